"""Processes the harness starts (phones, Kamailio, servers) and stops by their own PID.

Every ``ManagedProcess`` is remembered in a registry; ``stop_all()`` runs at
interpreter exit and on SIGTERM/SIGINT, so a failure or Ctrl-C never leaves a
process behind.  Nothing here ever kills by name.
"""
from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path
from typing import Sequence

from .errors import LabError

_RUNNING: dict[int, "ManagedProcess"] = {}


class BenchServer:
    """The shell shared by the servers a scenario starts on the bench's loopback (chronyd, coturn,
    openvpn): PID, log tail, and a stop by PID that keeps the log (``last_log``, and a copy in
    ``log_dir``) and removes the server's scratch directory.  Subclasses set ``_proc``, ``run_dir``,
    ``log_dir``, ``last_log``, ``address``, ``port`` and name their log (``LOG``, ``SAVED_LOG``)."""

    LOG = "server.log"                          # in run_dir
    SAVED_LOG = "server-{address}-{port}.log"   # its copy in log_dir

    @property
    def pid(self) -> int | None:
        """PID of the running server, or None when it is not running."""
        if self._proc is None or not self._proc.alive():
            return None
        return self._proc.pid

    def log_tail(self, lines: int = 20) -> str:
        if self._proc is not None:
            return self._proc.log_tail(lines)
        return "\n".join(self.last_log.splitlines()[-lines:])

    def _stop_process(self, timeout: float) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            proc.stop(timeout)

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the server by its PID and remove its directory.  Safe twice; the log is kept."""
        try:
            self._stop_process(timeout)
        finally:
            if self.run_dir is not None:
                log = self.run_dir / self.LOG
                try:
                    self.last_log = log.read_text(errors="replace")
                    if self.log_dir is not None:
                        self.log_dir.mkdir(parents=True, exist_ok=True)
                        shutil.copyfile(log, self.log_dir / self.SAVED_LOG.format(address=self.address,
                                                                                  port=self.port))
                except OSError:
                    pass
                shutil.rmtree(self.run_dir, ignore_errors=True)
                self.run_dir = None

    def close(self) -> None:   # a scenario tool (Bench.tool closes tools with ``close``)
        self.stop()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()


class ManagedProcess:
    """A child process with its log file, stopped by PID (SIGTERM, then SIGKILL)."""

    def __init__(self, name: str, argv: Sequence[str], log_path: Path,
                 env: dict[str, str] | None = None, cwd: str | Path | None = None,
                 pid_file: Path | None = None):
        self.name = name
        self.argv = list(argv)
        self.log_path = Path(log_path)
        self.env = env
        self.cwd = cwd
        self.pid_file = pid_file
        self.popen: subprocess.Popen | None = None

    @property
    def pid(self) -> int | None:
        return self.popen.pid if self.popen else None

    def start(self) -> "ManagedProcess":
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "ab")
        try:
            self.popen = subprocess.Popen(
                self.argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                env=self.env, cwd=self.cwd, start_new_session=True)
        except OSError as exc:
            raise LabError(self.name, f"cannot start {self.argv[0]}: {exc}") from exc
        finally:
            log.close()
        _RUNNING[self.popen.pid] = self
        return self

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def _extra_pids(self) -> list[int]:
        """A daemon that forks writes its own pid file; stop that PID too."""
        if not self.pid_file:
            return []
        try:
            pid = int(Path(self.pid_file).read_text().strip())
        except (OSError, ValueError):
            return []
        return [pid] if pid != self.pid else []

    def stop(self, timeout: float = 5.0) -> int | None:
        """SIGTERM by PID, wait, then SIGKILL.  Returns the exit code."""
        if self.popen is None:
            return None
        for pid in self._extra_pids():
            _signal_pid(pid, signal.SIGTERM)
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout)
        for pid in self._extra_pids():
            _wait_pid_gone(pid, timeout)
        _RUNNING.pop(self.popen.pid, None)
        return self.popen.returncode


def _signal_pid(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def pid_running(pid: int) -> bool:
    """The process exists and is not a zombie (a zombie has stopped; only its exit status is left)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def _wait_pid_gone(pid: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not pid_running(pid):
            return
        time.sleep(0.02)
    _signal_pid(pid, signal.SIGKILL)


def stop_all() -> None:
    for proc in list(_RUNNING.values()):
        try:
            proc.stop()
        except Exception:  # keep stopping the others
            pass


atexit.register(stop_all)


def _on_signal(signum, frame):
    # A second SIGTERM (a wrapper like `timeout` forwarding it, a whole process group killed)
    # must not cut the clean-up short and orphan the children: ignore it until they are stopped.
    signal.signal(signum, signal.SIG_IGN)
    stop_all()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def install_signal_handlers() -> None:
    """Make SIGTERM stop every child before the harness dies (SIGINT is pytest's own)."""
    signal.signal(signal.SIGTERM, _on_signal)
