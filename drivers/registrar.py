"""The bench's SIP registrar and proxy: a real Kamailio 5.6 on a loopback address.

Why Kamailio and not a toy registrar in Python: the phone must be judged against a
registrar that behaves like the ones it meets in the field (digest challenges, nonce
handling, loose routing, transaction retransmissions).  The routing policy lives in
``drivers/kamailio/registrar.cfg``; its header comment lists the choices made (403 for a
wrong password, 404 for a user with no binding, Expires honoured unclamped).

Each instance is self-contained: config, PID file, control socket and log all sit in its
own ``run_dir``, so several registrars can run side by side on different ip:port pairs.
Bindings are read back through Kamailio's own RPC (``kamcmd`` on the ``ctl`` socket),
never by reading the log.
"""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path

from .errors import LabError
from .process import ManagedProcess
from .wait import WaitTimeout, wait_until

PART = "registrar"
TEMPLATE = Path(__file__).with_name("kamailio") / "registrar.cfg"
KAMAILIO = "kamailio"
KAMCMD = "kamcmd"
# Relative to run_dir (kamailio runs with it as working directory): a unix socket path is
# limited to 108 bytes, and pytest's tmp_path can be longer than that.
CTL_SOCKET = "kamailio_ctl"

_USER_RE = re.compile(r"^[A-Za-z0-9_.+\-]+$")
_PASSWORD_RE = re.compile(r'^[\x20-\x7e]+$')
_ADDRESS_RE = re.compile(r"^\s*Address:\s*(\S+)\s*$")
_EXPIRES_RE = re.compile(r"^\s*Expires:\s*(\S+)\s*$")


class _Exited(Exception):
    """Kamailio ended while we waited for it to become ready."""


def sip_options_answered(ip: str, port: int, from_ip: str, timeout: float = 0.2) -> bool:
    """Send one OPTIONS over UDP from ``from_ip``; any SIP reply proves a SIP server serves there."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind((from_ip, 0))
        sock.settimeout(timeout)
        host, local_port = sock.getsockname()
        tag = uuid.uuid4().hex[:10]
        request = (f"OPTIONS sip:{ip}:{port} SIP/2.0\r\n"
                   f"Via: SIP/2.0/UDP {host}:{local_port};branch=z9hG4bK{tag};rport\r\n"
                   f"Max-Forwards: 70\r\n"
                   f"From: <sip:probe@{host}>;tag={tag}\r\n"
                   f"To: <sip:{ip}>\r\n"
                   f"Call-ID: probe-{tag}\r\n"
                   f"CSeq: 1 OPTIONS\r\n"
                   f"Content-Length: 0\r\n\r\n")
        try:
            sock.sendto(request.encode(), (ip, port))
            data, _ = sock.recvfrom(65535)
        except OSError:  # timeout, or ICMP port unreachable while it binds
            return False
        return data.startswith(b"SIP/2.0 ")


class Registrations:
    """What steps ask a registrar, whoever answers it: ``registered_contacts(user)`` is the one
    question a registrar backend answers; the waits are built on it."""

    ip: str
    port: int

    def registered_contacts(self, user: str) -> list[str]:
        raise NotImplementedError

    def is_registered(self, user: str) -> bool:
        return bool(self.registered_contacts(user))

    def wait_registered(self, user: str, timeout: float = 5.0) -> list[str]:
        """Wait until ``user`` has at least one binding; return its contacts.

        Raises ``WaitTimeout``: whether a missing registration is the phone's fault or the
        bench's depends on who was registering, so the caller turns it into PhoneFailure
        or LabError.
        """
        return wait_until(lambda: self.registered_contacts(user), timeout=timeout,
                          what=f"{user} registered at {self.ip}:{self.port}")

    def wait_unregistered(self, user: str, timeout: float = 5.0) -> None:
        """Wait until ``user`` has no binding left (raises ``WaitTimeout``, as above)."""
        wait_until(lambda: not self.registered_contacts(user), timeout=timeout,
                   what=f"{user} unregistered at {self.ip}:{self.port}")


class KamailioRegistrar(Registrations):
    """One Kamailio process acting as registrar (digest auth) and proxy for domain ``ip``."""

    def __init__(self, ip: str, port: int, users: dict[str, str], run_dir: Path,
                 transports: tuple[str, ...] = ("udp", "tcp"), challenge_invite: bool = False):
        for user, password in users.items():
            if not _USER_RE.match(user):
                raise ValueError(f"registrar user {user!r}: use letters, digits and _ . + - only")
            if not _PASSWORD_RE.match(password) or '"' in password or "\\" in password:
                raise ValueError(f"password of {user!r}: printable ASCII without quote or backslash")
        unknown = set(transports) - {"udp", "tcp"}
        if unknown or not transports:
            raise ValueError(f"transports must be a non-empty subset of udp, tcp (got {transports})")
        self.ip = ip
        self.port = int(port)
        self.users = dict(users)
        self.run_dir = Path(run_dir)
        self.transports = tuple(transports)
        self.challenge_invite = challenge_invite
        self._proc: ManagedProcess | None = None

    # -- properties ---------------------------------------------------------------------
    @property
    def domain(self) -> str:
        """The SIP domain (and digest realm) this registrar serves: its IP address."""
        return self.ip

    @property
    def log_path(self) -> Path:
        return self.run_dir / "kamailio.log"

    @property
    def cfg_path(self) -> Path:
        return self.run_dir / "kamailio.cfg"

    @property
    def pid_path(self) -> Path:
        return self.run_dir / "kamailio.pid"

    @property
    def pid(self) -> int | None:
        """PID of the running Kamailio main process, or None when it is not running."""
        if self._proc is None or not self._proc.alive():
            return None
        return self._proc.pid

    # -- life cycle ---------------------------------------------------------------------
    def render_cfg(self) -> str:
        """The template with this instance's addresses, users and options filled in."""
        listen = "\n".join(f"listen={t}:{self.ip}:{self.port}" for t in self.transports)
        users = "\n".join(f'\t$sht(users=>{u}) = "{p}";' for u, p in sorted(self.users.items()))
        defines = "#!define CHALLENGE_INVITE" if self.challenge_invite else ""
        text = TEMPLATE.read_text()
        for key, value in {"DEFINES": defines, "LISTEN": listen, "USERS": users,
                           "REALM": self.ip, "CTL_SOCKET": CTL_SOCKET}.items():
            text = text.replace(f"@@{key}@@", value)
        return text

    def start(self, timeout: float = 5.0) -> None:
        """Write the config into run_dir, start Kamailio and wait until it answers SIP and RPC.

        Raises ``LabError("registrar", ...)``: before starting if the ip:port is already
        taken, and with the tail of the log if Kamailio exits (bad config, bind error) or
        does not become ready in time.  Calling it while running does nothing.
        """
        if self.pid is not None:
            return
        self._check_port_free()
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.cfg_path.write_text(self.render_cfg())
        argv = [KAMAILIO, "-f", str(self.cfg_path), "-DD", "-E", "-n", "1",
                "-Y", str(self.run_dir), "-w", str(self.run_dir), "-P", str(self.pid_path)]
        with open(self.log_path, "ab") as log:
            log.write(f"--- {time.strftime('%Y-%m-%d %H:%M:%S')} {' '.join(argv)}\n".encode())
        self._proc = ManagedProcess(PART, argv, self.log_path, cwd=self.run_dir,
                                    pid_file=self.pid_path).start()
        try:
            wait_until(self._ready, timeout=timeout, interval=0.05,
                       what=f"kamailio answering on {self.ip}:{self.port}")
        except (WaitTimeout, _Exited) as exc:
            tail = self._proc.log_tail(25)
            self.stop()
            raise LabError(PART, f"kamailio on {self.ip}:{self.port} did not start: {exc}\n"
                                 f"--- tail of {self.log_path}:\n{tail}") from None

    def _check_port_free(self) -> None:
        """Refuse to start on an ip:port some other socket holds.

        Kamailio sets SO_REUSEADDR on its UDP sockets, so a second instance on the same
        ip:port would start "fine" and share the datagrams with the first.  Our own bind
        (without SO_REUSEADDR) fails in that case, which makes the clash visible.
        """
        for transport in self.transports:
            kind = socket.SOCK_DGRAM if transport == "udp" else socket.SOCK_STREAM
            with socket.socket(socket.AF_INET, kind) as probe:
                try:
                    probe.bind((self.ip, self.port))
                except OSError as exc:
                    raise LabError(PART, f"cannot listen on {transport}:{self.ip}:{self.port}: "
                                         f"{exc.strerror} (another registrar or phone there?)"
                                   ) from None

    def _ready(self) -> bool:
        """True once every transport answers and the RPC socket replies; raise if it died."""
        assert self._proc is not None and self._proc.popen is not None
        if not self._proc.alive():
            raise _Exited(f"kamailio exited with code {self._proc.popen.returncode}")
        if "udp" in self.transports and not self._udp_options_answered():
            return False
        if "tcp" in self.transports and not self._tcp_accepts():
            return False
        return self._rpc_ok()

    def _udp_options_answered(self) -> bool:
        return sip_options_answered(self.ip, self.port, self.ip)

    def _tcp_accepts(self) -> bool:
        try:
            with socket.create_connection((self.ip, self.port), timeout=0.2):
                return True
        except OSError:
            return False

    def _rpc_ok(self) -> bool:
        try:
            self._rpc("core.uptime")
            return True
        except LabError:
            return False

    def stop(self) -> None:
        """Stop Kamailio by its PID (SIGTERM, then SIGKILL).  Safe to call twice."""
        proc, self._proc = self._proc, None
        if proc is None or proc.popen is None:
            return
        pgid = proc.pid
        proc.stop(timeout=3.0)
        # Kamailio's main process stops its workers on SIGTERM; if it had to be killed they
        # would be orphaned, so sweep its own process group (created for it, by its PID).
        try:
            os.killpg(pgid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    # -- bindings -----------------------------------------------------------------------
    def _rpc(self, *args: str) -> str:
        """Run one kamcmd command on this instance's ctl socket; return its output."""
        if self._proc is None or not self._proc.alive():
            tail = self._proc.log_tail(10) if self._proc else "(never started)"
            raise LabError(PART, f"kamailio on {self.ip}:{self.port} is not running\n{tail}")
        try:
            done = subprocess.run([KAMCMD, "-s", f"unix:{CTL_SOCKET}", *args], cwd=self.run_dir,
                                  capture_output=True, text=True, timeout=3.0)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise LabError(PART, f"kamcmd {' '.join(args)} failed: {exc}") from exc
        out = done.stdout + done.stderr
        if done.returncode != 0 or out.lstrip().startswith("error:"):
            raise LabError(PART, f"kamcmd {' '.join(args)}: {out.strip()}")
        return out

    def registered_contacts(self, user: str) -> list[str]:
        """Contact URIs currently bound to ``user`` (``alice`` or ``alice@domain``)."""
        aor = user.split("@", 1)[0].removeprefix("sip:")
        try:
            # "s:" keeps kamcmd from sending an all-digit user (1001) as an integer
            out = self._rpc("ul.lookup", "location", f"s:{aor}")
        except LabError as exc:
            # "AOR not found": never bound; "AOR has no contacts": bindings all gone
            if "aor not found" in str(exc).lower() or "no contacts" in str(exc).lower():
                return []
            raise
        return _parse_contacts(out)

    def __enter__(self) -> "KamailioRegistrar":
        self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"KamailioRegistrar({self.ip}:{self.port}, pid={self.pid})"


def _parse_contacts(rpc_output: str) -> list[str]:
    """Pick the live contacts out of ``kamcmd ul.lookup`` output.

    Each contact is printed as ``Address: <uri>`` followed (a few lines later) by
    ``Expires: <seconds left>`` or a word (``permanent``, ``expired``, ``deleted``).
    Bindings already expired but not yet swept by usrloc's timer are left out.
    """
    contacts: list[str] = []
    address: str | None = None
    for line in rpc_output.splitlines():
        if m := _ADDRESS_RE.match(line):
            address = m.group(1)
        elif (m := _EXPIRES_RE.match(line)) and address is not None:
            expires = m.group(1)
            if expires == "permanent" or (expires.isdigit() and int(expires) > 0):
                contacts.append(address)
            address = None
    return contacts
