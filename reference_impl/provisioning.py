"""Auto provisioning ("Auto update", manual §6.4): the phone fetches its configuration.

The manual gives the order -- the boot file ``common.boot`` first, then the CFG files it names
-- and names ``common.cfg`` (for every phone) and ``<mac>.cfg`` (for one phone), but not the
boot file's syntax.  Our reading, kept in this one place:

* The boot file lists CFG files, one per line, either as a bare file name or in the
  ``include:config "name.cfg"`` form that provisioning tools commonly write.  ``$mac`` in a
  name stands for the phone's MAC as 12 lower-case hex digits.  ``#`` lines are comments.
* With no boot file on the server (a "not found" answer), the phone falls back to
  ``common.cfg`` then ``<mac>.cfg``, either of which may be absent (but not both).  A file
  the boot file lists that is missing is an error.
* Files are applied in order; a key set by a later file wins (so ``<mac>.cfg`` after
  ``common.cfg`` overrides it).
* All or nothing: every file is fetched and checked (through the same CFG parser as a web
  import, so an error names the file, the line and the key) before anything is applied; a
  server that does not answer, a missing file or a bad line leaves the phone as it was.
* ``static.firmware.url`` in a file makes the phone fetch that image (any of the four
  protocols) once the configuration is applied, and upgrade to it when its version differs
  from the running one (§6.4.1's example).

Server address: ``http://``, ``https://``, ``ftp://`` or ``tftp://`` with an optional port and
directory; FTP's user and password come from the URL or from ``autop.user``/``autop.password``.
HTTPS checks the server's certificate against the phone's trusted certificates (§6.7).

Runs on every boot when ``autop.power_on`` is set, and when the web page's "Provision now" is
pressed.  The fetching runs in a worker thread; applying is done on the phone's event loop.
"""
from __future__ import annotations

import asyncio
import ftplib
import http.client
import io
import logging
import re
import socket
import ssl
import struct
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from .cfg_file import CfgError, parse_cfg

log = logging.getLogger(__name__)

SCHEMES = ("http", "https", "ftp", "tftp")
BOOT_FILE = "common.boot"
COMMON_FILE = "common.cfg"
FIRMWARE_KEY = "static.firmware.url"
FETCH_TIMEOUT = 5.0
_INCLUDE_RE = re.compile(r'include:config\s+"?([^"\s]+)"?\s*$', re.IGNORECASE)


class ProvisioningError(Exception):
    """A run that stopped: ``status`` is the short state, ``str()`` the whole reason."""

    def __init__(self, status: str, message: str):
        self.status = status
        super().__init__(message)


class FileMissing(ProvisioningError):
    def __init__(self, url: str):
        super().__init__("file_missing", f"{url}: the server has no such file")


def server_url_problem(url: str) -> str | None:
    """Why ``url`` cannot be a provisioning server address, or None (also used by the schema)."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme.lower() not in SCHEMES:
        return f"must start with {', '.join(s + '://' for s in SCHEMES)}"
    if not parts.hostname:
        return "has no server address"
    try:
        parts.port
    except ValueError:
        return "has a port outside 0..65535"
    return None


def mac_name(mac: str) -> str:
    return mac.replace(":", "").replace("-", "").lower()


def boot_file_names(text: str, mac: str) -> list[str]:
    """The CFG files a boot file lists, in order, with ``$mac`` filled in."""
    names = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped[0] in "#;":
            continue
        match = _INCLUDE_RE.fullmatch(stripped)
        name = match.group(1) if match else stripped
        if not match and (" " in name or "=" in name or ":" in name):
            raise ProvisioningError("bad_boot_file",
                                    f"{BOOT_FILE} line {number}: not a file name: {stripped[:60]!r}")
        names.append(name.replace("$mac", mac_name(mac)).replace("$MAC", mac_name(mac).upper()))
    return names


# --- fetching ----------------------------------------------------------------------------------
@dataclass
class Fetcher:
    """Gets one file from the server address by the address's protocol."""

    base_url: str
    user: str = ""
    password: str = ""
    tls: ssl.SSLContext | None = None
    timeout: float = FETCH_TIMEOUT
    source_ip: str = ""
    user_agent: str = "SIP-H680"

    def url_of(self, name: str) -> str:
        return self.base_url.rstrip("/") + "/" + name

    def get(self, name: str) -> bytes:
        url = self.url_of(name)
        scheme = urlsplit(url).scheme.lower()
        try:
            return getattr(self, f"_get_{scheme}")(url)
        except ProvisioningError:
            raise
        except ssl.SSLCertVerificationError as exc:
            raise ProvisioningError("certificate_refused",
                                    f"{url}: the server's certificate is not trusted ({exc.verify_message})") from exc
        except (OSError, EOFError, ftplib.Error) as exc:
            raise ProvisioningError("server_unreachable", f"{url}: {exc}") from exc

    def _get_http(self, url: str) -> bytes:
        parts = urlsplit(url)
        source = (self.source_ip, 0) if self.source_ip else None
        if parts.scheme.lower() == "https":
            conn = http.client.HTTPSConnection(parts.hostname, parts.port or 443, timeout=self.timeout,
                                               source_address=source,
                                               context=self.tls or ssl.create_default_context())
        else:
            conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=self.timeout,
                                              source_address=source)
        try:
            conn.request("GET", parts.path or "/", headers={"User-Agent": self.user_agent})
            reply = conn.getresponse()
            body = reply.read()
        finally:
            conn.close()
        if reply.status == 404:
            raise FileMissing(url)
        if reply.status != 200:
            raise ProvisioningError("server_error", f"{url}: the server answered {reply.status} {reply.reason}")
        return body

    _get_https = _get_http

    def _get_ftp(self, url: str) -> bytes:
        parts = urlsplit(url)
        user = unquote(parts.username) if parts.username else (self.user or "anonymous")
        password = unquote(parts.password) if parts.password else self.password
        buffer = io.BytesIO()
        with ftplib.FTP(timeout=self.timeout) as ftp:
            ftp.connect(parts.hostname, parts.port or 21,
                        source_address=(self.source_ip, 0) if self.source_ip else None)
            ftp.login(user, password)
            try:
                ftp.retrbinary(f"RETR {unquote(parts.path)}", buffer.write)
            except ftplib.error_perm as exc:
                if str(exc).startswith("550"):
                    raise FileMissing(url) from exc
                raise
        return buffer.getvalue()

    def _get_tftp(self, url: str) -> bytes:
        parts = urlsplit(url)
        return tftp_get(parts.hostname, parts.port or 69, unquote(parts.path).lstrip("/"),
                        timeout=self.timeout, source_ip=self.source_ip, url=url)


def tftp_get(host: str, port: int, name: str, timeout: float = FETCH_TIMEOUT,
             source_ip: str = "", url: str = "", retries: int = 5) -> bytes:
    """Read one file over TFTP (RFC 1350, octet mode): DATA blocks of 512 bytes, each ACKed."""
    url = url or f"tftp://{host}:{port}/{name}"
    data, expected, server = bytearray(), 1, None
    message = struct.pack("!H", 1) + name.encode() + b"\0octet\0"
    target = (host, port)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind((source_ip, 0))
        sock.settimeout(timeout / retries)
        silent = 0
        while True:
            sock.sendto(message, target)
            try:
                packet, source = sock.recvfrom(4 + 512 + 64)
            except socket.timeout:
                silent += 1
                if silent >= retries:
                    raise ProvisioningError("server_unreachable", f"{url}: no answer from the TFTP server")
                continue
            if server is not None and source != server:
                continue                      # not our transfer
            op = struct.unpack("!H", packet[:2])[0]
            if op == 5:
                code = struct.unpack("!H", packet[2:4])[0]
                text = packet[4:].split(b"\0")[0].decode("utf-8", "replace")
                if code == 1:
                    raise FileMissing(url)
                raise ProvisioningError("server_error", f"{url}: TFTP error {code} {text}")
            if op != 3:
                continue
            server, target, silent = source, source, 0
            number = struct.unpack("!H", packet[2:4])[0]
            message = struct.pack("!HH", 4, number)       # ACK this block (again, if a repeat)
            if number != expected & 0xFFFF:
                continue
            data += packet[4:]
            if len(packet) - 4 < 512:
                sock.sendto(message, target)
                return bytes(data)
            expected += 1


# --- one run -------------------------------------------------------------------------------------
@dataclass
class ProvisioningRun:
    """What one run fetched and decided: the status the web page and the API show."""

    state: str = "idle"          # idle, running, done, failed
    status: str = ""             # done, server_unreachable, file_missing, bad_file, certificate_refused ...
    message: str = ""
    server: str = ""
    files: list[str] = field(default_factory=list)      # fetched, in order
    applied: list[str] = field(default_factory=list)    # keys changed
    firmware: str = ""                                  # version being installed, if any
    started: float = 0.0
    finished: float = 0.0

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class FetchedFiles:
    values: dict[str, object]
    files: list[str]
    firmware_image: bytes | None = None
    firmware_url: str = ""


def fetch_configuration(fetcher: Fetcher, mac: str, config: dict) -> FetchedFiles:
    """Fetch the boot file and the CFG files; check every line.  Nothing is applied here."""
    fetched: list[str] = []
    try:
        boot = fetcher.get(BOOT_FILE)
        fetched.append(BOOT_FILE)
        names = boot_file_names(boot.decode("utf-8-sig", "replace"), mac)
        optional = False
    except FileMissing:
        names, optional = [COMMON_FILE, f"{mac_name(mac)}.cfg"], True
    merged, values = dict(config), {}
    for name in names:
        try:
            text = fetcher.get(name)
        except FileMissing:
            if optional:
                continue
            raise
        fetched.append(name)
        try:
            parsed = parse_cfg(text, source=name, where="cfg", base=merged)
        except CfgError as exc:
            raise ProvisioningError("bad_file", str(exc)) from exc
        merged.update(parsed)
        values.update(parsed)
    if optional and fetched == []:
        raise ProvisioningError("file_missing", f"{fetcher.url_of('')}: the server has none of "
                                                f"{BOOT_FILE}, {', '.join(names)}")
    result = FetchedFiles(values, fetched)
    url = str(values.get(FIRMWARE_KEY) or "")
    if url:
        image_fetcher = Fetcher(url.rsplit("/", 1)[0], fetcher.user, fetcher.password, fetcher.tls,
                                fetcher.timeout, fetcher.source_ip, fetcher.user_agent)
        result.firmware_image = image_fetcher.get(url.rsplit("/", 1)[1])
        result.firmware_url = url
    return result


class AutoProvisioner:
    """The phone's side of §6.4: start a run, fetch in a worker thread, apply on the loop."""

    def __init__(self, phone):
        self.phone = phone
        self.last = ProvisioningRun()
        self.runs = 0

    def start(self, why: str) -> bool:
        """Begin a run (``why``: "power-on" or "web"); False if one is already under way."""
        if self.last.state == "running":
            return False
        phone, config = self.phone, dict(self.phone.config)
        url = str(config["autop.url"])
        self.runs += 1
        self.last = ProvisioningRun(state="running", server=url, started=time.time())
        if not url:
            self._fail(ProvisioningError("no_server", "no server URL is set (Settings > Auto provision)"))
            return False
        tls = phone.tls_context() if urlsplit(url).scheme.lower() == "https" else None
        fetcher = Fetcher(url, str(config["autop.user"]), str(config["autop.password"]), tls,
                          source_ip=phone.ip, user_agent=phone.identity.user_agent())
        log.info("auto provisioning (%s) from %s", why, url)
        run = self.last

        def work() -> FetchedFiles:
            return fetch_configuration(fetcher, phone.identity.mac, config)

        def done(outcome: FetchedFiles | Exception) -> None:
            if run is self.last:
                self._finish(outcome)

        loop = asyncio.get_running_loop()

        def worker() -> None:
            try:
                outcome: FetchedFiles | Exception = work()
            except Exception as exc:  # noqa: BLE001 - every failure becomes the run's status
                outcome = exc
            loop.call_soon_threadsafe(done, outcome)

        threading.Thread(target=worker, name="autoprovision", daemon=True).start()
        return True

    def _fail(self, exc: Exception) -> None:
        status = exc.status if isinstance(exc, ProvisioningError) else "error"
        self.last.state, self.last.status, self.last.message = "failed", status, str(exc)
        self.last.finished = time.time()
        log.warning("auto provisioning failed: %s", exc)

    def _finish(self, outcome: FetchedFiles | Exception) -> None:
        from .firmware import FirmwareRejected, check_image
        from .phone import ConfigRejected

        if isinstance(outcome, Exception):
            self._fail(outcome)
            return
        self.last.files = outcome.files
        image = None
        if outcome.firmware_image is not None:
            try:
                image = check_image(outcome.firmware_image, self.phone.identity.model)
            except FirmwareRejected as exc:
                self._fail(ProvisioningError("firmware_refused", f"{outcome.firmware_url}: {exc}"))
                return
        try:
            applied = self.phone.apply_provisioned(outcome.values, ", ".join(outcome.files))
        except ConfigRejected as exc:
            self._fail(ProvisioningError("bad_file", "; ".join(exc.problems)))
            return
        self.last.applied = sorted(applied)
        self.last.state, self.last.status = "done", "done"
        self.last.message = f"{len(outcome.files)} file(s) applied"
        self.last.finished = time.time()
        self.phone.urls.fire("autop_finish")
        if image is not None and image.version != self.phone.identity.firmware:
            self.last.firmware = image.version
            self.phone.upgrade(outcome.firmware_image)
