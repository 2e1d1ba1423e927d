"""The bench's VPN server: a real OpenVPN server (Debian package ``openvpn``) on the bench's loopback block.

The Action URL event "VPN IP" (manual §6.6.1, REQ-AURL-50) fires when the phone's VPN gets or changes
its address, so the bench needs a VPN the phone can join.  This driver runs one ``openvpn`` in server
mode as a child process, in the foreground, with everything of its own in a private run directory
(config, certificates, management socket, log):

* TLS mode: a throw-away CA (``drivers/certificates.py``) signs the server's certificate and, on
  request, one client certificate per phone (:meth:`VpnServer.issue_client`); ``dh none`` (ECDHE);
* UDP on ``address:port`` only (an IPv4 loopback address of the bench's block): all outer traffic of
  the tunnel stays on loopback, between this server and the phone's own ``openvpn`` client;
* ``topology subnet`` with a subnet derived from the bench's block (``10.68.<3rd byte>.0/24``) so
  benches side by side on one host never share one, the server at ``.1``, and an address pool
  (by default ``.10``-``.49``; :meth:`restart` can hand out another one, to make the phone's VPN
  address change);
* a tun device named after the server's address (``h680s<3rd>x<4th>``, at most 15 characters);
* nothing is pushed but what ``server`` pushes itself (topology, route-gateway inside the subnet,
  ping timers, the client's address): no routes, no ``redirect-gateway``, no DNS;
* ``keepalive 1 5`` and ``explicit-exit-notify 1``: a server stopped on purpose tells its clients,
  which re-connect within about a second when it is back;
* a management interface on a unix socket in the run directory answers ``status 2``, so
  :meth:`clients` is the far end's view of who is connected, from where, with which VPN address.

It counts as ready once its log says "Initialization Sequence Completed" (polled with a deadline).
It is stopped by its PID (SIGTERM, wait, SIGKILL) through ``ManagedProcess``.  Anything wrong with
the bench (openvpn missing, ``/dev/net/tun`` not usable, port taken, openvpn exiting) raises
``LabError("vpn server", ...)`` naming the address and port, with the tail of openvpn's log.
"""
from __future__ import annotations

import ipaddress
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .certificates import generate_ca, generate_client_certificate, generate_server_certificate
from .errors import LabError
from .process import BenchServer, ManagedProcess
from .wait import WaitTimeout, wait_until

PART = "vpn server"
TUN_DEVICE = "/dev/net/tun"
DEFAULT_POOL = (10, 49)
_SEARCH_PATH = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])
READY_LINE = "Initialization Sequence Completed"
NOTIFY_SECS = 0.3   # time the restart notice to the clients gets before openvpn is told again to go


class _Exited(Exception):
    """openvpn ended while we waited for it."""


def find_openvpn() -> str | None:
    return shutil.which("openvpn", path=_SEARCH_PATH)


def vpn_subnet_for(address: str) -> ipaddress.IPv4Network:
    """The VPN subnet of the bench whose servers live at ``address``: 10.68.<its 3rd byte>.0/24."""
    third = ipaddress.IPv4Address(address).packed[2]
    return ipaddress.IPv4Network(f"10.68.{third}.0/24")


def tun_name_for(prefix: str, address: str) -> str:
    """A tun device name unique to ``address`` on this host: ``<prefix><3rd>x<4th>`` (<= 15 characters)."""
    _, _, c, d = ipaddress.IPv4Address(address).packed
    name = f"{prefix}{c}x{d}"
    if len(name) > 15:
        raise ValueError(f"tun name {name!r} is longer than the 15 characters Linux allows")
    return name


def check_tun_device(part: str = PART) -> None:
    """LabError naming ``part`` if the kernel's tun device cannot be opened (no module, no rights, no
    device node in a container)."""
    try:
        fd = os.open(TUN_DEVICE, os.O_RDWR)
    except OSError as exc:
        raise LabError(part, f"{TUN_DEVICE} cannot be opened: {exc.strerror} (openvpn needs the tun "
                             f"driver and the right to use it, e.g. CAP_NET_ADMIN and the device node "
                             f"in a container)") from None
    os.close(fd)


@dataclass(frozen=True)
class VpnClient:
    """One connected client, as the server's management interface lists it."""

    common_name: str
    real_address: str      # "127.0.3.11:48467": where its UDP comes from
    virtual_address: str   # its VPN address

    @property
    def real_ip(self) -> str:
        return self.real_address.rsplit(":", 1)[0]


@dataclass(frozen=True)
class ClientFiles:
    """What a phone is given to join: the CA's, its certificate's and its key's PEM text."""

    ca_pem: bytes
    cert_pem: bytes
    key_pem: bytes


def parse_status(text: str) -> list[VpnClient]:
    """The CLIENT_LIST rows of ``status 2`` (status-version 2) output."""
    out = []
    for line in text.splitlines():
        fields = line.split(",")
        if fields[0] == "CLIENT_LIST" and len(fields) >= 4:
            out.append(VpnClient(fields[1], fields[2], fields[3]))
    return out


class VpnServer(BenchServer):
    """One OpenVPN server on ``address:port`` (UDP).  Use as a context manager:

    ``with VpnServer("127.0.3.50") as vpn: files = vpn.issue_client("phone-A")``
    """

    LOG, SAVED_LOG = "openvpn.log", "openvpn-server-{address}-{port}.log"

    def __init__(self, address: str, port: int = 1194, pool: tuple[int, int] = DEFAULT_POOL,
                 start_timeout: float = 8.0, log_dir: str | Path | None = None):
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            raise ValueError(f"VPN server address {address!r}: an IPv4 loopback address "
                             f"(127.0.0.0/8) is needed") from None
        if ip.version != 4 or not ip.is_loopback:
            raise ValueError(f"VPN server address {address!r}: only IPv4 loopback (127.0.0.0/8) "
                             f"is allowed on this bench")
        if not isinstance(port, int) or isinstance(port, bool) or not 1 <= port <= 65535:
            raise ValueError(f"VPN server port {port!r}: allowed are the integers 1..65535")
        self.address, self.port = address, port
        self.subnet = vpn_subnet_for(address)
        self.tun = tun_name_for("h680s", address)
        self.pool = self._check_pool(pool)
        self.start_timeout = start_timeout
        self.log_dir = Path(log_dir) if log_dir else None
        self.run_dir: Path | None = None
        self.last_log = ""
        self._proc: ManagedProcess | None = None
        self._clients_issued = 0

    # -- facts ----------------------------------------------------------------------------------
    @property
    def gateway(self) -> str:
        """The server's own address inside the VPN (.1)."""
        return str(self.subnet.network_address + 1)

    @property
    def pool_range(self) -> tuple[str, str]:
        base = self.subnet.network_address
        return str(base + self.pool[0]), str(base + self.pool[1])

    @property
    def ca_pem(self) -> bytes:
        assert self.run_dir is not None, "the VPN server is not started"
        return (self.run_dir / "ca.pem").read_bytes()

    def _check_pool(self, pool: tuple[int, int]) -> tuple[int, int]:
        first, last = pool
        if not 2 <= first <= last <= 254:
            raise ValueError(f"VPN address pool {pool!r}: host numbers 2..254, first <= last")
        return first, last

    # -- configuration ----------------------------------------------------------------------------
    def render_config(self, run_dir: Path) -> str:
        first, last = self.pool_range
        return "\n".join([
            f"# h680-hil VPN server on udp {self.address}:{self.port}; written by drivers/vpn_server.py",
            f"dev {self.tun}",
            "dev-type tun",
            "proto udp4",
            f"local {self.address}",
            f"port {self.port}",
            "topology subnet",
            f"server {self.subnet.network_address} {self.subnet.netmask} nopool",
            f"ifconfig-pool {first} {last} {self.subnet.netmask}",
            f"ca {run_dir / 'ca.pem'}",
            f"cert {run_dir / 'server.pem'}",
            f"key {run_dir / 'server.key'}",
            "dh none",
            "keepalive 1 5",
            "explicit-exit-notify 1",
            f"management {run_dir / 'management.sock'} unix",
            "verb 3",
            "",
        ])

    def issue_client(self, common_name: str) -> ClientFiles:
        """A client certificate and key signed by this server's CA, for one phone."""
        assert self.run_dir is not None, "the VPN server is not started"
        self._clients_issued += 1
        stem = f"client{self._clients_issued}"
        cert, key = generate_client_certificate(self.run_dir, self.run_dir / "ca.pem", self.run_dir / "ca.key",
                                                common_name, stem=stem)
        return ClientFiles(self.ca_pem, cert.read_bytes(), key.read_bytes())

    # -- life cycle -------------------------------------------------------------------------------
    def start(self) -> "VpnServer":
        """Make the certificates (first start only), start openvpn and wait until it is up."""
        if self.pid is not None:
            return self
        openvpn = find_openvpn()
        if openvpn is None:
            raise LabError(PART, f"openvpn not found (install the Debian package openvpn); it was to "
                                 f"serve udp {self.address}:{self.port}")
        check_tun_device()
        self._check_port_free()
        if self.run_dir is None:
            # A short private path: the management socket path is limited to 108 bytes.
            self.run_dir = Path(tempfile.mkdtemp(prefix="h680-vpn-"))
            ca, ca_key = generate_ca(self.run_dir, "h680-hil VPN CA")
            generate_server_certificate(self.run_dir, ca, ca_key, (self.address,))
        config = self.run_dir / "server.conf"
        config.write_text(self.render_config(self.run_dir))
        log = self.run_dir / self.LOG
        argv = [openvpn, "--config", str(config)]
        with log.open("a") as f:
            f.write(f"--- {time.strftime('%Y-%m-%d %H:%M:%S')} {' '.join(argv)} "
                    f"(pool {' - '.join(self.pool_range)})\n")
        self._log_mark = log.stat().st_size
        self._proc = ManagedProcess(PART, argv, log, cwd=self.run_dir).start()
        try:
            wait_until(self._ready, timeout=self.start_timeout, interval=0.05,
                       what=f"openvpn serving udp {self.address}:{self.port}")
        except (WaitTimeout, _Exited) as exc:
            self.stop()
            raise LabError(PART, f"openvpn on udp {self.address}:{self.port} did not come up: {exc}\n"
                                 f"--- tail of its log:\n{self.log_tail(25)}") from None
        return self

    def _ready(self) -> bool:
        assert self._proc is not None and self._proc.popen is not None
        if not self._proc.alive():
            raise _Exited(f"openvpn exited with code {self._proc.popen.returncode}")
        try:
            with open(self._proc.log_path, errors="replace") as f:
                f.seek(self._log_mark)
                return READY_LINE in f.read()
        except OSError:
            return False

    def _check_port_free(self) -> None:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            try:
                probe.bind((self.address, self.port))
            except OSError as exc:
                raise LabError(PART, f"cannot serve on udp {self.address}:{self.port}: {exc.strerror} "
                                     f"(another VPN server there?)") from None

    def restart(self, pool: tuple[int, int] | None = None) -> "VpnServer":
        """Stop openvpn and start it again (same CA and certificates), optionally with another pool."""
        self._stop_process()
        if pool is not None:
            self.pool = self._check_pool(pool)
        return self.start()

    def clients(self, timeout: float = 2.0) -> list[VpnClient]:
        """Who is connected now, from the server's management interface (``status 2``)."""
        if self.pid is None or self.run_dir is None:
            return []
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                s.settimeout(timeout)
                s.connect(str(self.run_dir / "management.sock"))
                s.sendall(b"status 2\n")
                data = b""
                while b"\nEND" not in data:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                s.sendall(b"quit\n")
        except OSError as exc:
            raise LabError(PART, f"its management interface did not answer: {exc}") from None
        return parse_status(data.decode(errors="replace"))

    def _stop_process(self, timeout: float = 5.0) -> None:
        """SIGTERM by PID: openvpn tells its clients at once (explicit-exit-notify), then would wait
        2 s for them; a second SIGTERM (ManagedProcess.stop, SIGKILL after ``timeout``) ends that wait."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.alive():
            proc.popen.send_signal(signal.SIGTERM)
            try:
                proc.popen.wait(NOTIFY_SECS)
            except subprocess.TimeoutExpired:
                pass
        proc.stop(timeout)
