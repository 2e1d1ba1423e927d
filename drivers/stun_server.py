"""The bench's STUN server: a real coturn ``turnserver`` in STUN-only mode on a loopback address.

The phone's STUN / NAT traversal (manual §1.3 matrix, §6.4.1 list, §6.5.2) must be judged
against a real STUN server, not a script that says what the test expects.  coturn (Debian
package ``coturn``) runs in the foreground as a child process, with everything of its own in a
private temporary directory (PID file, log):

* ``-n``: no configuration file is read (the system's /etc/turnserver.conf plays no part);
* ``--stun-only``: it answers STUN Binding requests and refuses every TURN request;
* ``--listening-ip`` / ``--listening-port``: only the given IPv4 loopback address and UDP port;
  ``--no-tcp --no-tls --no-dtls --no-cli``: nothing else is opened; ``--db``: its (unused) user
  database lives in the private directory, not in /var/lib/turn.

It counts as ready once it answers a Binding request of our own (RFC 5389, built here by hand
and independent of the phone's STUN client).  It is stopped by its PID (SIGTERM, wait, SIGKILL)
through ``ManagedProcess``.  Anything wrong with the bench (turnserver missing, port taken,
turnserver exiting or not answering) raises ``LabError("stun server", ...)`` naming the address
and port, with the tail of its log.
"""
from __future__ import annotations

import ipaddress
import os
import shutil
import socket
import struct
import tempfile
import time
from pathlib import Path

from .errors import LabError
from .process import BenchServer, ManagedProcess
from .wait import WaitTimeout, wait_until

PART = "stun server"
MAGIC_COOKIE = 0x2112A442
BINDING_REQUEST, BINDING_SUCCESS = 0x0001, 0x0101
XOR_MAPPED_ADDRESS, MAPPED_ADDRESS = 0x0020, 0x0001
_SEARCH_PATH = os.pathsep.join([os.environ.get("PATH", ""), "/usr/bin", "/usr/sbin", "/sbin"])


class _Exited(Exception):
    """turnserver ended while we waited for it to answer."""


def mapped_address(response: bytes, transaction_id: bytes | None = None) -> tuple[str, int] | None:
    """The (X)OR-MAPPED-ADDRESS of a STUN Binding success response, or None if it is not one."""
    if len(response) < 20:
        return None
    kind, length, cookie = struct.unpack("!HHI", response[:8])
    if kind != BINDING_SUCCESS or (transaction_id is not None and response[8:20] != transaction_id):
        return None
    found = None
    at, end = 20, min(len(response), 20 + length)
    while at + 4 <= end:
        attr, size = struct.unpack("!HH", response[at:at + 4])
        value = response[at + 4:at + 4 + size]
        if attr in (XOR_MAPPED_ADDRESS, MAPPED_ADDRESS) and len(value) >= 8 and value[1] == 1:
            port, raw = struct.unpack("!H4s", value[2:8])
            if attr == XOR_MAPPED_ADDRESS:
                port ^= MAGIC_COOKIE >> 16
                raw = bytes(b ^ c for b, c in zip(raw, struct.pack("!I", MAGIC_COOKIE)))
            found = (str(ipaddress.IPv4Address(raw)), port)
            if attr == XOR_MAPPED_ADDRESS:
                return found
        at += 4 + size + (-size % 4)
    return found


def binding_probe(address: str, port: int, timeout: float = 0.2) -> tuple[str, int] | None:
    """Ask address:port for our mapped address; the answer, or None if no STUN server answered."""
    transaction_id = os.urandom(12)
    request = struct.pack("!HHI", BINDING_REQUEST, 0, MAGIC_COOKIE) + transaction_id
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(timeout)
        try:
            sock.bind((address, 0))   # from the server's own loopback address: never off the bench
            sock.sendto(request, (address, port))
            data, _ = sock.recvfrom(2048)
        except OSError:                      # timeout, or ICMP port unreachable
            return None
    return mapped_address(data, transaction_id)


class StunServer(BenchServer):
    """One coturn answering STUN on ``address:port`` (UDP).  Use as a context manager:

    ``with StunServer("127.0.1.40", 3478) as server: ...server.server...``
    """

    LOG, SAVED_LOG = "turnserver.log", "turnserver-{address}-{port}.log"

    def __init__(self, address: str = "127.0.0.1", port: int = 3478, start_timeout: float = 5.0,
                 log_dir: str | Path | None = None):
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            raise ValueError(f"STUN server address {address!r}: an IPv4 loopback address "
                             f"(127.0.0.0/8) is needed") from None
        if ip.version != 4 or not ip.is_loopback:
            raise ValueError(f"STUN server address {address!r}: only IPv4 loopback (127.0.0.0/8) "
                             f"is allowed on this bench")
        if not isinstance(port, int) or isinstance(port, bool) or not 1 <= port <= 65535:
            raise ValueError(f"STUN server port {port!r}: allowed are the integers 1..65535")
        self.address, self.port = address, port
        self.start_timeout = start_timeout
        self.log_dir = Path(log_dir) if log_dir else None
        self.run_dir: Path | None = None
        self.last_log = ""
        self._proc: ManagedProcess | None = None

    @property
    def server(self) -> str:
        """``address:port``, the form the phone's STUN server field takes."""
        return f"{self.address}:{self.port}"


    def argv(self, turnserver: str, run_dir: Path) -> list[str]:
        return [turnserver, "-n", "--stun-only", "--no-cli", "--no-tcp", "--no-tls", "--no-dtls",
                "--listening-ip", self.address, "--listening-port", str(self.port),
                "--pidfile", str(run_dir / "turnserver.pid"), "--log-file", "stdout", "--simple-log",
                "--no-software-attribute", "--db", str(run_dir / "turndb")]

    def start(self) -> "StunServer":
        """Start turnserver and wait until it answers a Binding request; LabError if it does not."""
        if self.pid is not None:
            return self
        turnserver = shutil.which("turnserver", path=_SEARCH_PATH)
        if turnserver is None:
            raise LabError(PART, f"turnserver not found (install the Debian package coturn); "
                                 f"it was to serve {self.server}")
        self._check_port_free()
        self.run_dir = Path(tempfile.mkdtemp(prefix="h680-stun-"))
        log = self.run_dir / self.LOG
        argv = self.argv(turnserver, self.run_dir)
        log.write_text(f"--- {time.strftime('%Y-%m-%d %H:%M:%S')} {' '.join(argv)}\n")
        self._proc = ManagedProcess(PART, argv, log, cwd=self.run_dir).start()
        try:
            wait_until(self._ready, timeout=self.start_timeout, interval=0.05,
                       what=f"turnserver answering STUN on {self.server}")
        except (WaitTimeout, _Exited) as exc:
            self.stop()
            raise LabError(PART, f"turnserver on {self.server} did not come up: {exc}\n"
                                 f"--- tail of its log:\n{self.log_tail(25)}") from None
        return self

    def _ready(self) -> bool:
        assert self._proc is not None and self._proc.popen is not None
        if not self._proc.alive():
            raise _Exited(f"turnserver exited with code {self._proc.popen.returncode}")
        return binding_probe(self.address, self.port) is not None

    def _check_port_free(self) -> None:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            try:
                probe.bind((self.address, self.port))
            except OSError as exc:
                raise LabError(PART, f"cannot serve on udp:{self.server}: {exc.strerror} "
                                     f"(another STUN server there?)") from None
