"""The phone's VPN (OpenVPN client): settings, uploaded files, the tunnel, and the "VPN IP" event.

Like the desk phones the manual's table is written for, the phone joins an OpenVPN server with
files the administrator uploads on the web page Network -> VPN: the CA certificate, the phone's
client certificate and its key (PEM).  The settings are ``vpn.enable``, ``vpn.server`` (address)
and ``vpn.port`` (UDP, 1194 by default); they and the files are kept across restarts, and a
factory reset forgets both.

When the VPN is enabled the phone runs ``openvpn`` as its child process:

* its own tun device (``h680c<3rd>x<4th>`` of the phone's address), its UDP bound to the phone's
  own address, routes pushed by the server ignored (``route-nopull``, no ``redirect-gateway``):
  the VPN carries only its own subnet;
* a management interface on the phone's own address and a free TCP port, behind a password made
  at each start (a file only the phone reads); the phone reads the
  state lines (``CONNECTED,SUCCESS,<ip>,...``) and log lines from it, so it knows its VPN address
  the moment OpenVPN has it, and why it is not connected when it is not;
* stopped by its PID (SIGTERM, wait, SIGKILL) when the VPN is switched off, the settings change,
  the phone reboots or stops; and, should the phone itself die, by the kernel
  (``PR_SET_PDEATHSIG``).

Action URL "VPN IP" (REQ-AURL-50) fires, with the Basic variables, each time the VPN gets an
address that differs from the last one it announced since it was started -- so the first
connection fires, a re-connection with the same address does not, a new address fires again.
"""
from __future__ import annotations

import asyncio
import logging
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .phone import Phone

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 64 * 1024
MGMT_PASSWORD_FILE = "management.pw"
CONNECT_MGMT_SECS = 5.0
_SEARCH_PATH = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])

# kind -> (file name in the phone's vpn directory, what the user calls it)
FILES = {
    "ca": ("ca.crt", "CA certificate"),
    "cert": ("client.crt", "client certificate"),
    "key": ("client.key", "client key"),
}
_CERT_PEM = re.compile(rb"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.DOTALL)
_KEY_PEM = re.compile(rb"-----BEGIN ((?:RSA |EC |ENCRYPTED )?PRIVATE KEY)-----.+?-----END \1-----", re.DOTALL)


class VpnFileRejected(ValueError):
    """An uploaded VPN file the phone cannot use; the text says why, for the user."""


# --- settings ----------------------------------------------------------------------------------
def config_problems(v: dict) -> list[tuple[tuple[str, ...], str]]:
    """Rules of the VPN settings, for schema.rule_problems."""
    out = []
    server = str(v.get("vpn.server", ""))
    if server.startswith("[") or server.count(":") == 1:
        out.append((("vpn.server",), f"vpn.server: {server!r} holds a port; give the address only "
                                     f"and the port in vpn.port"))
    if v.get("vpn.enable") and not server:
        out.append((("vpn.enable", "vpn.server"), "vpn.enable: an enabled VPN needs the server address "
                                                  "(vpn.server)"))
    return out


# --- uploaded files ----------------------------------------------------------------------------
def check_file(kind: str, data: bytes) -> bytes:
    """The PEM text to store for an uploaded ``kind`` file, or VpnFileRejected saying what is wrong."""
    if kind not in FILES:
        raise VpnFileRejected(f"unknown VPN file {kind!r} (allowed: {', '.join(FILES)})")
    what = FILES[kind][1]
    if not data:
        raise VpnFileRejected(f"{what}: no file was chosen")
    if len(data) > MAX_FILE_BYTES:
        raise VpnFileRejected(f"{what}: the file is too large ({len(data)} bytes, at most {MAX_FILE_BYTES})")
    if kind in ("ca", "cert"):
        blocks = _CERT_PEM.findall(data)
        if not blocks:
            raise VpnFileRejected(f"{what}: not a PEM certificate (no BEGIN CERTIFICATE block)")
        pem = b"\n".join(blocks) + b"\n"
        try:
            ssl.create_default_context(cadata=pem.decode("ascii"))
        except (ssl.SSLError, ValueError, UnicodeDecodeError) as exc:
            raise VpnFileRejected(f"{what}: the certificate cannot be read ({exc})") from None
        return pem
    match = _KEY_PEM.search(data)
    if not match:
        raise VpnFileRejected(f"{what}: not a PEM private key (no BEGIN PRIVATE KEY block)")
    if match.group(1) == b"ENCRYPTED PRIVATE KEY" or b"Proc-Type: 4,ENCRYPTED" in match.group(0):
        raise VpnFileRejected(f"{what}: the key is protected by a passphrase; upload it without one")
    return match.group(0) + b"\n"


def check_pair(cert_pem: bytes, key_pem: bytes) -> None:
    """The client key must belong to the client certificate (OpenSSL checks it when loading both)."""
    with tempfile.TemporaryDirectory() as tmp:
        cert, key = Path(tmp) / "c.pem", Path(tmp) / "k.pem"
        cert.write_bytes(cert_pem)
        key.write_bytes(key_pem)
        try:
            ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).load_cert_chain(cert, key, password=lambda: b"")
        except ssl.SSLError as exc:
            raise VpnFileRejected(f"client key: it does not belong to the uploaded client certificate "
                                  f"({exc.reason or exc})") from None


# --- the management interface --------------------------------------------------------------------
@dataclass(frozen=True)
class MgmtState:
    """A state line: ``[>STATE:]<time>,<state>,<detail>,<tunnel IPv4>,<remote>,...``"""

    state: str
    detail: str
    ip: str


@dataclass(frozen=True)
class MgmtLog:
    """A log line (``>LOG:<time>,<flags>,<message>``)."""

    message: str


STATES = frozenset({"CONNECTING", "WAIT", "AUTH", "GET_CONFIG", "ASSIGN_IP", "ADD_ROUTES", "CONNECTED",
                    "RECONNECTING", "EXITING", "RESOLVE", "TCP_CONNECT", "AUTH_PENDING"})
# A state: "[>STATE:]<time>,<state>,<detail>,<tunnel IPv4>,..."; a log line (real time, or the history
# that "log on all" sends first): "[>LOG:]<time>,<flags I F N W D>,<message>".
_STATE_LINE = re.compile(r"(?:>STATE:)?\d+,([A-Z_]+),([^,]*)(?:,([^,]*))?")
_LOG_LINE = re.compile(r"(?:>LOG:)?\d+,[IFNWD]*,(.*)")


def parse_management_line(line: str) -> MgmtState | MgmtLog | None:
    """One line of OpenVPN's management interface, or None for the ones the phone does not use."""
    line = line.rstrip("\r\n")
    m = _STATE_LINE.match(line)
    if m and m.group(1) in STATES:
        return MgmtState(m.group(1), m.group(2), m.group(3) or "")
    m = _LOG_LINE.match(line)
    if m:
        return MgmtLog(m.group(1))
    return None


# (what the log line holds, the user's words); earlier entries are the more telling ones: a
# certificate the phone refused is followed in the log by the handshake failing, and keeps its place.
REASONS = (
    ("VERIFY ERROR", "the server's certificate was not accepted (check the CA certificate)"),
    ("certificate verify failed", "the server's certificate was not accepted (check the CA certificate)"),
    ("Cannot open TUN/TAP", "the tunnel device cannot be opened"),
    ("Cannot ioctl TUNSETIFF", "the tunnel device cannot be opened"),
    ("AUTH_FAILED", "the server refused the phone's certificate"),
    ("TLS handshake failed", "no TLS handshake with the server (is it reachable?)"),
)


def reason_of(message: str) -> str | None:
    """A log line that explains why the VPN is not up, in the user's words (None: not such a line)."""
    return next((words for needle, words in REASONS if needle in message), None)


def more_telling(new: str, old: str) -> bool:
    """Whether reason ``new`` should replace ``old`` (an empty or generic one always gives way)."""
    rank = {words: n for n, (_, words) in reversed(list(enumerate(REASONS)))}
    return rank.get(new, len(REASONS)) <= rank.get(old, len(REASONS))


# --- building the client ---------------------------------------------------------------------------
def client_argv(openvpn: str, *, server: str, port: int, local_ip: str, tun: str, management_port: int,
                vpn_dir: Path) -> list[str]:
    """The openvpn command line of the phone's client."""
    return [
        openvpn, "--client", "--dev", tun, "--dev-type", "tun", "--proto", "udp4",
        "--remote", server, str(port), "--local", local_ip, "--lport", "0",
        "--ca", str(vpn_dir / FILES["ca"][0]), "--cert", str(vpn_dir / FILES["cert"][0]),
        "--key", str(vpn_dir / FILES["key"][0]),
        "--remote-cert-tls", "server",
        "--route-nopull", "--pull-filter", "ignore", "redirect-gateway",
        "--management", local_ip, str(management_port), str(vpn_dir / MGMT_PASSWORD_FILE),
        "--connect-retry", "1", "2", "--resolv-retry", "infinite",
        "--verb", "3",
    ]


def tun_name(ip: str) -> str:
    a = [int(x) for x in ip.split(".")]
    return f"h680c{a[2]}x{a[3]}"


def free_tcp_port(ip: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((ip, 0))
        return s.getsockname()[1]


def with_parent_death_signal(argv: list[str]) -> list[str]:
    """``argv`` run through util-linux ``setpriv --pdeathsig TERM`` (it execs, so the PID stays):
    the kernel ends openvpn should the phone die without stopping it.  No preexec_fn: the phone
    has threads (pjsua2), and code between fork and exec is not safe then."""
    setpriv = shutil.which("setpriv", path=_SEARCH_PATH)
    return [setpriv, "--pdeathsig", "TERM", "--", *argv] if setpriv else argv


class PhoneVpn:
    """The phone's OpenVPN client and what it shows (status) and sends (Action URL)."""

    def __init__(self, phone: "Phone"):
        self.phone = phone
        self.dir = phone.data_dir / "vpn"
        self.proc: subprocess.Popen | None = None
        self.state = "Disabled"
        self.reason = ""
        self.ip = ""
        self.announced = ""          # the address the last "VPN IP" event carried
        self._task: asyncio.Task | None = None
        self._running_for: tuple | None = None

    # --- files -------------------------------------------------------------------
    def files(self) -> dict[str, bool]:
        return {kind: (self.dir / name).exists() for kind, (name, _) in FILES.items()}

    def store(self, uploads: dict[str, bytes]) -> list[str]:
        """Check uploaded files (all of them, and the client key against the client certificate
        it will be used with); keep them all or none.  The VPN, if enabled, starts again with them.
        Returns what was stored, in the user's words."""
        if not uploads:
            raise VpnFileRejected("no file was chosen")
        pems = {kind: check_file(kind, data) for kind, data in uploads.items()}
        cert_path, key_path = self.dir / FILES["cert"][0], self.dir / FILES["key"][0]
        cert = pems.get("cert") or (cert_path.read_bytes() if cert_path.exists() else None)
        key = pems.get("key") or (key_path.read_bytes() if key_path.exists() else None)
        if cert and key and ("cert" in pems or "key" in pems):
            check_pair(cert, key)
        self.dir.mkdir(parents=True, exist_ok=True)
        for kind in FILES:
            if kind in pems:
                path = self.dir / FILES[kind][0]
                path.write_bytes(pems[kind])
                if kind == "key":
                    path.chmod(0o600)
        self._running_for = None
        self.apply()
        return [FILES[kind][1] for kind in FILES if kind in pems]

    def wipe(self) -> None:
        """Factory reset: the uploaded files go too."""
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    # --- life cycle ----------------------------------------------------------------
    def _wanted(self) -> tuple | None:
        c = self.phone.config
        if not c.get("vpn.enable"):
            return None
        return (c["vpn.server"], int(c["vpn.port"]), self.phone.ip)

    def apply(self) -> None:
        """Bring the client in line with the settings: start, restart or stop it."""
        wanted = self._wanted()
        if wanted is not None and wanted == self._running_for and self.proc and self.proc.poll() is None:
            return
        self.stop()
        if wanted is None:
            return
        missing = [FILES[k][1] for k, there in self.files().items() if not there]
        if missing:
            self.state, self.reason = "Not connected", f"missing: {', '.join(missing)} (upload on Network -> VPN)"
            return
        openvpn = shutil.which("openvpn", path=_SEARCH_PATH)
        if openvpn is None:
            self.state, self.reason = "Not connected", "the phone has no OpenVPN client"
            return
        server, port, ip = wanted
        mgmt_port = free_tcp_port(ip)
        password = secrets.token_hex(16)
        pw_file = self.dir / MGMT_PASSWORD_FILE
        pw_file.touch(mode=0o600)
        pw_file.write_text(password + "\n")
        argv = with_parent_death_signal(client_argv(openvpn, server=server, port=port, local_ip=ip, tun=tun_name(ip),
                           management_port=mgmt_port, vpn_dir=self.dir))
        logfile = self.dir / "openvpn.log"
        with logfile.open("wb") as out:
            try:
                self.proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                             cwd=self.dir)
            except OSError as exc:
                self.state, self.reason = "Not connected", f"openvpn could not start: {exc}"
                return
        log.info("VPN: openvpn (PID %d) to %s:%d, management on %s:%d", self.proc.pid, server, port, ip, mgmt_port)
        self._running_for = wanted
        self.state, self.reason, self.ip, self.announced = "Connecting", "", "", ""
        self._task = asyncio.get_running_loop().create_task(self._watch(self.proc, ip, mgmt_port, password))

    def stop(self) -> None:
        """Stop the client by its PID (SIGTERM, wait, SIGKILL)."""
        if self._task is not None:
            self._task.cancel()
            self._task = None
        proc, self.proc = self.proc, None
        self._running_for = None
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(3)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(3)
            log.info("VPN: openvpn (PID %d) stopped", proc.pid)
        self.state, self.reason, self.ip = "Disabled", "", ""

    def close(self) -> None:
        self.stop()

    # --- the management interface ----------------------------------------------------
    async def _watch(self, proc: subprocess.Popen, ip: str, port: int, password: str) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + CONNECT_MGMT_SECS
        while True:
            if proc.poll() is not None:
                self._exited(proc)
                return
            try:
                reader, writer = await asyncio.open_connection(ip, port, local_addr=(ip, 0))
                break
            except OSError:
                if loop.time() > deadline:
                    self.state, self.reason = "Not connected", "OpenVPN's management interface did not answer"
                    return
                await asyncio.sleep(0.05)
        try:
            # The log so far (a refused certificate may come before the phone connects), then real time.
            writer.write(f"{password}\nlog on all\nstate on\nstate\n".encode())
            await writer.drain()
            while True:
                line = await reader.readline()
                if not line:
                    break
                self.on_line(line.decode(errors="replace"))
        finally:
            writer.close()
        if proc is self.proc:
            await asyncio.sleep(0.2)
            self._exited(proc)

    def _exited(self, proc: subprocess.Popen) -> None:
        code = proc.poll()
        if proc is self.proc and code is not None:
            self.state, self.ip = "Not connected", ""
            self.reason = self.reason or f"openvpn exited (code {code})"

    def on_line(self, line: str) -> None:
        event = parse_management_line(line)
        if isinstance(event, MgmtLog):
            why = reason_of(event.message)
            if why and self.state != "Connected" and more_telling(why, self.reason):
                self.state, self.reason = "Not connected", why
        elif isinstance(event, MgmtState):
            self.on_state(event)

    def on_state(self, event: MgmtState) -> None:
        if event.state == "CONNECTED" and event.detail == "SUCCESS" and event.ip:
            self.state, self.reason, self.ip = "Connected", "", event.ip
            if event.ip != self.announced:
                self.announced = event.ip
                log.info("VPN: address %s", event.ip)
                self.phone.urls.fire("vpn_ip")
        elif event.state in ("RECONNECTING", "EXITING"):
            self.state, self.ip = "Not connected", ""
            if not self.reason and event.detail:
                self.reason = {"tls-error": "TLS error", "server-pushed-connection-reset": "the server restarted",
                               "ping-restart": "the server stopped answering"}.get(event.detail, event.detail)
        elif event.state in STATES:
            if self.state != "Not connected" or not self.reason:
                self.state = "Connecting"

    # --- what the phone shows ----------------------------------------------------------
    def status(self) -> dict:
        return {"enabled": bool(self.phone.config.get("vpn.enable")), "state": self.state, "reason": self.reason,
                "ip": self.ip, "files": self.files()}

    def summary(self) -> str:
        """One line: "Connected", "Disabled", "Not connected: <why>"."""
        return f"{self.state}: {self.reason}" if self.reason and self.state != "Connected" else self.state
