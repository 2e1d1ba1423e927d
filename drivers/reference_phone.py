"""Starting and stopping reference phones: one process per phone, stopped by its PID."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import requests

from .errors import LabError
from .process import ManagedProcess
from .wait import WaitTimeout, wait_until

REPO = Path(__file__).resolve().parent.parent


def hardware_args(keypad, degradation: str, live_noise: float = 0.0, camera_at: str | None = None,
                  protocol: str | None = None) -> list[str]:
    """Arguments that make a reference phone look like hardware: its LCD as a camera stream (``camera_at``:
    also at an address of its own) and a relay board on a pty wired as ``keypad`` (a RelayKeypadConfig)."""
    return (["--camera", degradation, "--camera-live-noise", str(live_noise)]
            + (["--camera-at", camera_at] if camera_at else [])
            + ["--relay", protocol or keypad.protocol, "--relay-map", json.dumps(keypad.wiring)])


class ReferencePhoneProcess:
    """``python -m reference_impl`` for one phone of the bench."""

    def __init__(self, name: str, ip: str, sip_port: int, web_port: int, mac: str, model: str,
                 data_dir: Path, log_dir: Path, cfg: Path | None = None, extra_args: list[str] | None = None):
        self.name, self.ip, self.sip_port, self.web_port = name, ip, sip_port, web_port
        self.mac, self.model, self.data_dir, self.cfg = mac, model, Path(data_dir), cfg
        self.log_path = Path(log_dir) / f"phone-{name}.out"
        self.extra_args = list(extra_args or [])
        self.proc: ManagedProcess | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.ip}:{self.web_port}"

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def argv(self) -> list[str]:
        argv = [sys.executable, "-m", "reference_impl", "--ip", self.ip, "--sip-port", str(self.sip_port),
                "--web-port", str(self.web_port), "--data-dir", str(self.data_dir), "--mac", self.mac,
                "--model", self.model]
        return argv + (["--cfg", str(self.cfg)] if self.cfg else []) + self.extra_args

    def start(self, timeout: float = 10.0) -> None:
        self.proc = ManagedProcess(f"phone {self.name}", self.argv(), self.log_path, cwd=REPO).start()
        try:
            wait_until(self._ready, timeout, interval=0.05, what=f"phone {self.name} web server")
        except WaitTimeout as exc:
            tail = self.proc.log_tail()
            self.stop()
            raise LabError(f"phone {self.name}", f"did not come up on {self.base_url}: {exc}\n{tail}") from exc

    def _ready(self) -> bool:
        if self.proc and not self.proc.alive():
            raise LabError(f"phone {self.name}", f"exited with {self.proc.popen.returncode}:\n"
                                                 f"{self.proc.log_tail()}")
        try:
            return requests.get(self.base_url + "/api/identity", timeout=0.5).ok
        except requests.RequestException:
            return False

    def stop(self) -> int | None:
        return self.proc.stop() if self.proc else None

    def restart(self, timeout: float = 10.0) -> None:
        self.stop()
        self.start(timeout)
