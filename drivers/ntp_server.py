"""The bench's SNTP server: a real chronyd on a loopback address and port of the caller's choice.

The phone's Auto time (manual §4.1.2) must be judged against a real NTP server, not a script
that only says what the test expects.  chronyd (Debian package ``chrony``) runs in the foreground
as a child process with everything of its own in a private temporary directory (config, PID file,
drift file, command socket, log):

* ``-x``: it never touches the system clock;
* ``-4`` and ``bindaddress``: it listens on the given IPv4 loopback address only, so several
  servers can share a port on different 127.x addresses;
* ``local stratum 8``: with no upstream source it serves its own clock (the host's) at stratum 8;
* ``allow 127.0.0.0/8``: only loopback clients are served; ``cmdport 0``: no UDP command port.

It counts as ready once it answers an SNTP query (polled with a deadline).  It is stopped by its
PID (SIGTERM, wait, SIGKILL) through ``ManagedProcess``.  Anything wrong with the bench (chronyd
missing, port taken, chronyd exiting or not answering) raises ``LabError("ntp server", ...)``
naming the address and port, with the tail of chronyd's log.
"""
from __future__ import annotations

import ipaddress
import os
import pwd
import shutil
import socket
import struct
import tempfile
import time
from pathlib import Path

from .errors import LabError
from .process import BenchServer, ManagedProcess
from .wait import WaitTimeout, wait_until

PART = "ntp server"
_SEARCH_PATH = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])


class _Exited(Exception):
    """chronyd ended while we waited for it to answer."""


def _find_chronyd() -> str | None:
    return shutil.which("chronyd", path=_SEARCH_PATH)


def sntp_probe(address: str, port: int, timeout: float = 0.2) -> bool:
    """True if a server on address:port answers a client request in mode 4 with a valid stratum.

    Deliberately independent of ``reference_impl.clock`` (the client under test), so a broken
    client never looks like a broken server.
    """
    request = bytes([0x23]) + bytes(47)            # LI 0, VN 4, mode 3
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(timeout)
        try:
            sock.sendto(request, (address, port))
            data, _ = sock.recvfrom(512)
        except OSError:                           # timeout, or ICMP port unreachable
            return False
    return len(data) >= 48 and data[0] & 7 == 4 and 1 <= data[1] <= 15 \
        and struct.unpack("!Q", data[40:48])[0] != 0


class NtpServer(BenchServer):
    """One chronyd serving time on ``address:port`` (UDP).  Use as a context manager:

    ``with NtpServer("127.0.0.1", 12300) as server: query_sntp(server.server)``
    """

    LOG, SAVED_LOG = "chronyd.log", "chronyd-{address}-{port}.log"

    def __init__(self, address: str = "127.0.0.1", port: int = 12300, stratum: int = 8,
                 start_timeout: float = 5.0, log_dir: str | Path | None = None):
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            raise ValueError(f"NTP server address {address!r}: an IPv4 loopback address "
                             f"(127.0.0.0/8) is needed") from None
        if ip.version != 4 or not ip.is_loopback:
            raise ValueError(f"NTP server address {address!r}: only IPv4 loopback (127.0.0.0/8) "
                             f"is allowed on this bench")
        if not isinstance(port, int) or isinstance(port, bool) or not 1 <= port <= 65535:
            raise ValueError(f"NTP server port {port!r}: allowed are the integers 1..65535")
        if not isinstance(stratum, int) or not 1 <= stratum <= 15:
            raise ValueError(f"NTP server stratum {stratum!r}: allowed are the integers 1..15")
        self.address = address
        self.port = port
        self.stratum = stratum
        self.start_timeout = start_timeout
        self.log_dir = Path(log_dir) if log_dir else None
        self.run_dir: Path | None = None
        self.last_log = ""                          # chronyd's log, kept after stop for evidence
        self._proc: ManagedProcess | None = None

    # -- what callers need ------------------------------------------------------------------
    @property
    def server(self) -> str:
        """``address:port``, the form the phone's SNTP server field takes."""
        return f"{self.address}:{self.port}"


    # -- life cycle -------------------------------------------------------------------------
    def render_config(self, run_dir: Path) -> str:
        return "\n".join([
            f"# h680-hil NTP server on {self.server}; written by drivers/ntp_server.py",
            f"pidfile {run_dir / 'chronyd.pid'}",
            f"driftfile {run_dir / 'chronyd.drift'}",
            f"bindcmdaddress {run_dir / 'chronyd.sock'}",
            "cmdport 0",
            f"bindaddress {self.address}",
            f"port {self.port}",
            f"local stratum {self.stratum}",
            "allow 127.0.0.0/8",
            "",
        ])

    def start(self) -> "NtpServer":
        """Start chronyd and wait until it answers SNTP; LabError (with its log) if it does not."""
        if self.pid is not None:
            return self
        chronyd = _find_chronyd()
        if chronyd is None:
            raise LabError(PART, f"chronyd not found (install the Debian package chrony); "
                                 f"it was to serve {self.server}")
        self._check_port_free()
        # A short private path: a unix socket path is limited to 108 bytes.
        self.run_dir = Path(tempfile.mkdtemp(prefix="h680-ntp-"))
        config = self.run_dir / "chronyd.conf"
        config.write_text(self.render_config(self.run_dir))
        log = self.run_dir / self.LOG
        user = pwd.getpwuid(os.getuid()).pw_name    # stay who we are: no privilege drop
        argv = [chronyd, "-d", "-x", "-4", "-u", user, "-f", str(config)]
        log.write_text(f"--- {time.strftime('%Y-%m-%d %H:%M:%S')} {' '.join(argv)}\n")
        self._proc = ManagedProcess(PART, argv, log, cwd=self.run_dir,
                                    pid_file=self.run_dir / "chronyd.pid").start()
        try:
            wait_until(self._ready, timeout=self.start_timeout, interval=0.05,
                       what=f"chronyd answering SNTP on {self.server}")
        except (WaitTimeout, _Exited) as exc:
            self.stop()
            raise LabError(PART, f"chronyd on {self.server} did not come up: {exc}\n"
                                 f"--- tail of its log:\n{self.log_tail(25)}") from None
        return self

    def _ready(self) -> bool:
        assert self._proc is not None and self._proc.popen is not None
        if not self._proc.alive():
            raise _Exited(f"chronyd exited with code {self._proc.popen.returncode}")
        return sntp_probe(self.address, self.port)

    def _check_port_free(self) -> None:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            try:
                probe.bind((self.address, self.port))
            except OSError as exc:
                raise LabError(PART, f"cannot serve on udp:{self.server}: {exc.strerror} "
                                     f"(another NTP server there?)") from None
