"""The servers a phone provisions itself from (manual §6.4.2): HTTP, HTTPS, FTP and TFTP.

A lab's provisioning server is whatever the lab runs (HFS, IPOP, 3CDaemon, TFTPD32 in the
manual's examples); on the embedded bench the harness runs real ones on a loopback address:

* ``HttpFileServer`` -- ``http.server`` serving a directory, or HTTPS with a certificate signed
  by a throw-away CA (``ca_pem`` is what a phone must trust);
* ``FtpFileServer`` -- pyftpdlib with a user and password, read-only;
* ``TftpFileServer`` -- RFC 1350 read requests (octet mode, 512-byte blocks, retransmission),
  written here because no maintained Python TFTP server exists.

Each serves files from ``root`` and keeps a request log (``requests``: the path asked for, the
client, and whether the file was there) -- the far end's view that a scenario checks, for
example that ``common.boot`` was asked for before any CFG file.  Every server runs in threads of
the harness process and is stopped by ``stop()`` (the bench does it at the end of a scenario).
"""
from __future__ import annotations

import logging
import socket
import ssl
import struct
import threading
import time
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .errors import LabError
from .certificates import generate_ca, generate_server_certificate

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FileRequest:
    """One file asked of a provisioning server."""

    protocol: str      # http, https, ftp, tftp
    path: str          # as asked, without the leading '/'
    client: str        # the client's IP address
    found: bool
    at: float = field(default_factory=time.time)


class _FileServer:
    """What the four servers share: a root directory and a request log."""

    protocol = ""

    def __init__(self, address: str, port: int, root: Path):
        self.address, self.port, self.root = address, port, Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.requests: list[FileRequest] = []
        self._lock = threading.Lock()

    def put(self, name: str, content: str | bytes) -> Path:
        """Place a file in the server's root (text is written as UTF-8)."""
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)
        return path

    def remove(self, name: str) -> None:
        (self.root / name).unlink(missing_ok=True)

    def _record(self, path: str, client: str, found: bool) -> None:
        with self._lock:
            self.requests.append(FileRequest(self.protocol, path.lstrip("/"), client, found))

    def asked_for(self) -> list[str]:
        with self._lock:
            return [r.path for r in self.requests]

    @property
    def url(self) -> str:
        return f"{self.protocol}://{self.address}:{self.port}/"

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def stop(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def close(self) -> None:
        """What the bench calls at the end of a scenario."""
        self.stop()

    def _bind_error(self, exc: OSError) -> LabError:
        return LabError(f"{self.protocol} provisioning server",
                        f"cannot listen on {self.address}:{self.port}: {exc.strerror or exc}")


# --- HTTP and HTTPS --------------------------------------------------------------------------------
class HttpFileServer(_FileServer):
    """A plain web server over ``root``; with ``tls=True`` an HTTPS one with a throw-away CA."""

    def __init__(self, address: str, port: int, root: Path, tls: bool = False,
                 cert_names: tuple[str, ...] | None = None):
        super().__init__(address, port, root)
        self.protocol = "https" if tls else "http"
        self.tls = tls
        self.cert_names = cert_names or (address,)
        self.ca_pem: bytes = b""
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        server = self

        class Handler(SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=str(server.root), **kwargs)

            def send_head(self):
                path = self.path.split("?", 1)[0]
                server._record(path, self.client_address[0], Path(self.translate_path(path)).is_file())
                return super().send_head()

            def log_message(self, fmt, *args):
                log.debug("%s %s", server.protocol, fmt % args)

        try:
            self._httpd = ThreadingHTTPServer((self.address, self.port), Handler)
        except OSError as exc:
            raise self._bind_error(exc) from exc
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        if self.tls:
            certs = self.root.parent / f"{self.root.name}-tls"
            ca_pem, ca_key = generate_ca(certs, "h680-hil throw-away provisioning CA")
            cert, key = generate_server_certificate(certs, ca_pem, ca_key, self.cert_names)
            self.ca_pem = ca_pem.read_bytes()
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(cert, key)
            self._httpd.socket = context.wrap_socket(self._httpd.socket, server_side=True)
        self._thread = threading.Thread(target=self._httpd.serve_forever, name=f"{self.protocol}-server",
                                        daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None


# --- FTP -------------------------------------------------------------------------------------------
class FtpFileServer(_FileServer):
    """A read-only FTP server (pyftpdlib) with one user; passive ports on the same address."""

    protocol = "ftp"

    def __init__(self, address: str, port: int, root: Path, user: str = "h680", password: str = "h680"):
        super().__init__(address, port, root)
        self.user, self.password = user, password
        self._server = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        from pyftpdlib.authorizers import DummyAuthorizer
        from pyftpdlib.handlers import FTPHandler
        from pyftpdlib.servers import ThreadedFTPServer

        owner = self
        authorizer = DummyAuthorizer()
        authorizer.add_user(self.user, self.password, str(self.root), perm="elr")

        class Handler(FTPHandler):
            def ftp_RETR(self, file):
                relative = Path(file).resolve().relative_to(owner.root.resolve()).as_posix()
                owner._record(relative, self.remote_ip, Path(file).is_file())
                return super().ftp_RETR(file)

        Handler.authorizer = authorizer
        Handler.banner = "h680-hil provisioning FTP"
        Handler.masquerade_address = None
        logging.getLogger("pyftpdlib").setLevel(logging.WARNING)
        try:
            self._server = ThreadedFTPServer((self.address, self.port), Handler)
        except OSError as exc:
            raise self._bind_error(exc) from exc
        self.port = self._server.address[1]
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"timeout": 0.2, "blocking": True}, name="ftp-server", daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"ftp://{self.user}:{self.password}@{self.address}:{self.port}/"

    def stop(self) -> None:
        if self._server is not None:
            self._server.close_all()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None


# --- TFTP ------------------------------------------------------------------------------------------
TFTP_RRQ, TFTP_WRQ, TFTP_DATA, TFTP_ACK, TFTP_ERROR = 1, 2, 3, 4, 5
TFTP_BLOCK = 512


class TftpFileServer(_FileServer):
    """RFC 1350 read-only TFTP: each read request is answered from a new port, block by block."""

    protocol = "tftp"

    def __init__(self, address: str, port: int, root: Path, timeout: float = 1.0, retries: int = 5):
        super().__init__(address, port, root)
        self.timeout, self.retries = timeout, retries
        self._sock: socket.socket | None = None
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            self._sock.bind((self.address, self.port))
        except OSError as exc:
            self._sock.close()
            raise self._bind_error(exc) from exc
        self.port = self._sock.getsockname()[1]
        self._sock.settimeout(0.2)
        self._stopping.clear()
        self._thread = threading.Thread(target=self._serve, name="tftp-server", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stopping.is_set():
            try:
                packet, client = self._sock.recvfrom(2048)
            except socket.timeout:
                continue
            except OSError:
                return
            threading.Thread(target=self._answer, args=(packet, client), daemon=True).start()

    def _answer(self, packet: bytes, client: tuple[str, int]) -> None:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.bind((self.address, 0))
            sock.settimeout(self.timeout)
            if len(packet) < 4 or struct.unpack("!H", packet[:2])[0] != TFTP_RRQ:
                sock.sendto(_tftp_error(4, "only read requests are served"), client)
                return
            parts = packet[2:].split(b"\0")
            name, mode = parts[0].decode("utf-8", "replace"), parts[1].decode("ascii", "replace").lower()
            path = (self.root / name.lstrip("/")).resolve()
            inside = self.root.resolve() in path.parents
            found = inside and path.is_file()
            self._record(name, client[0], found)
            if mode != "octet":
                sock.sendto(_tftp_error(0, f"mode {mode!r} not served (octet only)"), client)
                return
            if not found:
                sock.sendto(_tftp_error(1, "file not found"), client)
                return
            data = path.read_bytes()
            block = 1
            while True:
                chunk = data[(block - 1) * TFTP_BLOCK: block * TFTP_BLOCK]
                if not self._send_block(sock, client, block, chunk):
                    return
                if len(chunk) < TFTP_BLOCK:
                    return
                block += 1

    def _send_block(self, sock: socket.socket, client, block: int, chunk: bytes) -> bool:
        message = struct.pack("!HH", TFTP_DATA, block & 0xFFFF) + chunk
        for _ in range(self.retries):
            sock.sendto(message, client)
            deadline = time.monotonic() + self.timeout
            while time.monotonic() < deadline and not self._stopping.is_set():
                try:
                    reply, source = sock.recvfrom(1024)
                except socket.timeout:
                    break
                if source != client or len(reply) < 4:
                    continue
                op, number = struct.unpack("!HH", reply[:4])
                if op == TFTP_ACK and number == block & 0xFFFF:
                    return True
                if op == TFTP_ERROR:
                    return False
        return False

    def stop(self) -> None:
        self._stopping.set()
        if self._sock is not None:
            self._sock.close()
            self._sock = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None


def _tftp_error(code: int, text: str) -> bytes:
    return struct.pack("!HH", TFTP_ERROR, code) + text.encode() + b"\0"


def provisioning_server(protocol: str, address: str, port: int, root: Path):
    """The server for one of the manual's four methods."""
    if protocol in ("http", "https"):
        return HttpFileServer(address, port, root, tls=protocol == "https")
    if protocol == "ftp":
        return FtpFileServer(address, port, root)
    if protocol == "tftp":
        return TftpFileServer(address, port, root)
    raise ValueError(f"provisioning protocol {protocol!r}: use one of http, https, ftp, tftp")
