"""What a bench is made of, as pydantic models: field types first, cross-checks after.

Two layers of checking, on purpose:

* Each field carries its own type and, through an ``Allowed`` marker, a sentence
  that tells the person editing the YAML what the field accepts.  The loader
  (``lab_config.load_lab``) prints that sentence next to every bad value, so
  the words live beside the type they describe and cannot drift apart.
* ``cross_check`` looks at the bench as a whole (accounts known to the
  registrar, distinct addresses, loopback only on the reference target, free
  ports).  It returns *all* problems as ``Problem`` records with their own
  field paths rather than stopping at the first, and it accepts a partly valid
  bench, so the loader can still list these problems when some unrelated field
  is broken.

Every model forbids unknown keys (a typo must not be silently ignored) and is
frozen: a scenario that wants other ports makes a copy, it does not change the
bench under the feet of the next scenario.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Network
from pathlib import Path
from typing import Annotated, Any, Iterator, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from drivers.errors import LabError

LOOPBACK = IPv4Network("127.0.0.0/8")
TARGETS = ("reference", "virtual-handset", "handset")


class _NoValue:
    def __repr__(self) -> str:
        return "NO_VALUE"


NO_VALUE: Any = _NoValue()


@dataclass(frozen=True)
class Allowed:
    """What a field accepts, in words for the person editing the YAML."""

    text: str


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a bench: where (a path of keys), what, and what would do.

    ``value`` is the offending value, or ``NO_VALUE`` when showing it would not
    help (a password) or there is none.
    """

    loc: tuple[str | int, ...]
    message: str
    allowed: str
    value: Any = NO_VALUE


def _text_only(value: Any) -> Any:
    """Refuse numbers before pydantic's lax mode turns ``5`` into ``0.0.0.5``."""
    if not isinstance(value, (str, IPv4Address)):
        raise PydanticCustomError("string_type", "Input should be text (quote it in YAML)")
    return value


Port = Annotated[int, Field(strict=True, ge=1, le=65535), Allowed("integer 1..65535")]
IPv4 = Annotated[
    IPv4Address, BeforeValidator(_text_only), Allowed("an IPv4 address, e.g. 127.0.0.11")
]
MacAddress = Annotated[
    str,
    Field(pattern=r"^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$"),
    Allowed("a MAC address: six hex pairs joined by colons, e.g. 00:15:65:00:00:11"),
]
SipUserName = Annotated[
    str,
    Field(pattern=r"^[A-Za-z0-9]+$"),
    Allowed("digits and letters only, e.g. 1001"),
]
Password = Annotated[
    str,
    Field(min_length=1),
    Allowed("non-empty text (quote it if YAML would read it as a number or true/false)"),
]
Text = Annotated[str, Field(min_length=1), Allowed("non-empty text")]
RoleName = Annotated[
    str,
    Field(pattern=r"^[A-Z][A-Za-z0-9]*$"),
    Allowed("a role name as the features write it: a capital letter, then letters or digits (A, B, C)"),
]
InterfaceName = Annotated[
    str,
    Field(pattern=r"^[A-Za-z0-9_.:@-]{1,15}$"),
    Allowed("a network interface name, e.g. lo or eth0"),
]


class _Strict(BaseModel):
    """Shared settings: unknown keys are errors, instances are read-only.

    ``coerce_numbers_to_str`` lets ``user: 1001`` through unquoted; the YAML
    reader only makes integers of plain decimal numbers, so nothing is lost.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)


class SipUser(_Strict):
    """An account the registrar accepts (digest user name and password)."""

    user: SipUserName
    password: Password


class RegistrarConfig(_Strict):
    """The SIP registrar: the bench's own Kamailio, or one the lab already runs."""

    kind: Literal["kamailio", "external"]
    ip: IPv4
    port: Port = 5060
    transports: Annotated[
        list[Literal["udp", "tcp"]],
        Field(min_length=1),
        Allowed("a list of udp, tcp (each at most once)"),
    ] = ["udp", "tcp"]
    users: Annotated[
        list[SipUser],
        Field(min_length=1),
        Allowed("a list of at least one {user, password}"),
    ]

    @field_validator("transports")
    @classmethod
    def _transports_once(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("a transport is listed twice")
        return value

    @model_validator(mode="after")
    def _users_once(self) -> RegistrarConfig:
        seen: dict[str, int] = {}
        problems = []
        for index, sip_user in enumerate(self.users):
            if sip_user.user in seen:
                problems.append(Problem(
                    ("users", index, "user"),
                    f"user {sip_user.user} is already registrar.users[{seen[sip_user.user]}]",
                    "each user once", sip_user.user))
            seen.setdefault(sip_user.user, index)
        raise_problems(problems)
        return self


class PhoneAccount(_Strict):
    """The SIP account the bench provisions on a phone at the start of a scenario."""

    label: Text
    display_name: Text
    user: SipUserName
    password: Password
    register_name: SipUserName = ""  # not given: the user, filled in below

    @model_validator(mode="after")
    def _register_name_defaults_to_user(self) -> PhoneAccount:
        # Filled in after validation, so a bad user is reported once, not twice.
        return self if self.register_name else self.model_copy(update={"register_name": self.user})


KEY_NAMES = (
    "VOL_UP", "VOL_DOWN", "UP", "DOWN", "LEFT", "RIGHT", "SPEAKER", "OFFHOOK",
    "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "#",
    "PICKUP", "MUTE", "TRANSFER", "DELETE", "ONHOOK", "MESSAGE", "OK", "SOFT_LEFT", "SOFT_RIGHT",
)
KeyName = Annotated[Literal[KEY_NAMES], Allowed("a key of the manual's hardware table: " + ", ".join(KEY_NAMES))]
Channel = Annotated[int, Field(strict=True, ge=1, le=64), Allowed("a relay channel 1..64")]


class RelayKeypadConfig(_Strict):
    """The keypad pressed through a relay board on a serial port (one relay per key)."""

    protocol: Annotated[Literal["lcus", "text"],
                        Allowed("lcus (binary A0 ch state sum frames of LCUS-type USB relay modules) or "
                                "text (the line protocol of microcontroller key boards, drivers/relay.py)")]
    port: Annotated[str, Field(min_length=1),
                    Allowed("a serial device such as /dev/ttyUSB0, or 'auto' for the reference phone's "
                            "relay emulator on the virtual-handset target")]
    baudrate: Annotated[int, Field(strict=True, ge=1200, le=921600), Allowed("integer 1200..921600")] = 115200
    gap_ms: Annotated[int, Field(strict=True, ge=0, le=5000), Allowed("integer 0..5000 ms between keys")] = 150
    map: dict[KeyName, Channel]
    headset: Annotated[int | None, Field(strict=True, ge=1, le=64),
                       Allowed("the relay channel 1..64 that switches the headset jack (held closed = plugged), "
                               "or leave out if the bench has none")] = None

    @model_validator(mode="after")
    def _headset_not_a_key(self) -> RelayKeypadConfig:
        keys = [key for key, channel in self.map.items() if channel == self.headset]
        if keys:
            raise_problems([Problem(("headset",), f"channel {self.headset} already presses key {keys[0]}",
                                    "a channel no key of the map uses", self.headset)])
        return self

    @property
    def wiring(self) -> dict[str, int]:
        """Every relay of the board by what it is wired to: the keys, and ``HEADSET`` if there is one."""
        return dict(self.map, **({"HEADSET": self.headset} if self.headset else {}))


class CameraConfig(_Strict):
    """The LCD read through a camera with OpenCV + tesseract."""

    source: Annotated[str, Field(min_length=1),
                      Allowed("a device index (0), an http(s) MJPEG / snapshot URL, a video or image file, or "
                              "'auto' for the reference phone's MJPEG stream on the virtual-handset target")]
    degradation: Annotated[Literal["none", "mild", "middle", "hard"],
                           Allowed("none, mild, middle or hard (virtual-handset only: camera-like "
                                   "skew, blur, noise, glare)")] = "none"
    live_noise: Annotated[float, Field(ge=0, le=1), Allowed("a number 0..1")] = 0.0
    lcd_corners: Annotated[list[tuple[float, float]] | None, Field(min_length=4, max_length=4),
                           Allowed("four [x, y] pixel corners of the LCD (python -m drivers.calibrate "
                                   "writes them), or leave out to find them in the first frame")] = None
    lang: Annotated[Literal["eng", "chi_sim+eng"], Allowed("eng or chi_sim+eng")] = "eng"


class PhoneConfig(_Strict):
    """One phone on the bench: where it lives on the network and who it is."""

    ip: IPv4
    sip_port: Port = 5060
    web_port: Port = 8080
    mac: MacAddress
    model: Literal["SIP-H680W", "SIP-H680L"] = "SIP-H680W"
    account: PhoneAccount
    keypad: RelayKeypadConfig | None = None   # needed on the virtual-handset and handset targets
    camera: CameraConfig | None = None        # needed on the virtual-handset and handset targets

    @field_validator("mac")
    @classmethod
    def _mac_lower_case(cls, value: str) -> str:
        # Auto-provisioning names files after the MAC; one spelling avoids two files.
        return value.lower()


class PeerAccount(_Strict):
    """A far-end soft phone the harness runs (C, D ... in the manual's flows)."""

    user: SipUserName
    password: Password
    display_name: Text


class PeersConfig(_Strict):
    """Where the harness's soft phones bind, and the accounts they register."""

    host_ip: IPv4 = IPv4Address("127.0.0.1")
    accounts: Annotated[
        dict[RoleName, PeerAccount],
        Allowed("a mapping of role name (C, D ...) to {user, password, display_name}"),
    ] = {}


class CaptureConfig(_Strict):
    """Where scapy listens for the wire checks."""

    interface: InterfaceName = "lo"


class Lab(_Strict):
    """A whole bench, checked as a whole when it is built (see ``cross_check``)."""

    bench: Annotated[str, Field(min_length=1), Allowed("non-empty text: a name for reports")]
    target: Literal["reference", "virtual-handset", "handset"]
    registrar: RegistrarConfig
    phones: Annotated[
        dict[RoleName, PhoneConfig],
        Field(min_length=1),
        Allowed("a mapping of role name (A, B ...) to phone settings, at least one phone"),
    ]
    peers: PeersConfig = PeersConfig()
    capture: CaptureConfig = CaptureConfig()
    evidence_dir: Annotated[
        Path, Allowed("a directory path (relative paths start where pytest runs)")
    ] = Path("reports/runs")

    _source: Path | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _bench_is_consistent(self) -> Lab:
        raise_problems(cross_check(BenchParts.of(self)))
        return self

    @property
    def source(self) -> Path | None:
        """The YAML file this bench came from, when it came from one."""
        return self._source

    def on_loopback_block(self, block: int) -> "Lab":
        """The same bench with every loopback address moved to 127.x.``block``.y (a copy).

        Parallel feature runs (pytest-xdist) give each worker its own block, so each
        worker's Kamailio, phones and peers have addresses of their own and the wire
        checks can tell the workers' traffic apart.  Ports stay as they are.
        """
        if not 0 <= block <= 255:
            raise ValueError(f"loopback block {block}: allowed 0..255")

        def move(value):
            if isinstance(value, IPv4Address) and value in LOOPBACK:
                a, b, _, d = str(value).split(".")
                return IPv4Address(f"{a}.{b}.{block}.{d}")
            if isinstance(value, dict):
                return {k: move(v) for k, v in value.items()}
            if isinstance(value, (list, tuple)):
                return type(value)(move(v) for v in value)
            return value

        moved = Lab.model_validate(move(self.model_dump()))
        moved._source = self._source
        return moved

    def phone(self, role: str) -> PhoneConfig:
        """The phone playing ``role``; a feature naming a phone the bench lacks is a lab error."""
        if role not in self.phones:
            raise LabError("lab config", f"the scenario needs phone {role}, but bench "
                           f"{self.bench!r} ({self._source}) has phones {', '.join(self.phones)}")
        return self.phones[role]

    def peer(self, role: str) -> PeerAccount:
        """The soft-phone account playing ``role``, or a lab error naming what exists."""
        if role not in self.peers.accounts:
            raise LabError("lab config", f"the scenario needs peer {role}, but bench "
                           f"{self.bench!r} ({self._source}) has peers "
                           f"{', '.join(self.peers.accounts) or '(none)'}")
        return self.peers.accounts[role]


# --- cross-checks --------------------------------------------------------------------


def raise_problems(problems: list[Problem]) -> None:
    """Hand cross-check problems to pydantic as one error that keeps them all.

    pydantic gives a model validator a single error slot; the ``problems`` list
    rides in the error's context, and the loader unfolds it into one line each.
    """
    if problems:
        text = "; ".join(f"{dotted(p.loc)}: {p.message} (allowed: {p.allowed})" for p in problems)
        raise PydanticCustomError("lab_cross_check", "{text}", {"text": text, "problems": problems})


@dataclass
class BenchParts:
    """The parts of a bench that passed their own checks; a missing part is skipped."""

    target: str | None = None
    registrar: RegistrarConfig | None = None
    users: list[SipUser] | None = None  # registrar.users, kept apart from a broken registrar
    phones: dict[str, PhoneConfig] = field(default_factory=dict)
    peers: PeersConfig | None = None
    capture: CaptureConfig | None = None

    @classmethod
    def of(cls, lab: Lab) -> BenchParts:
        return cls(lab.target, lab.registrar, lab.registrar.users, dict(lab.phones),
                   lab.peers, lab.capture)


def cross_check(parts: BenchParts) -> list[Problem]:
    """Every rule that spans more than one field, each problem with its own path."""
    return [
        *_accounts_known_to_registrar(parts),
        *_each_user_on_one_device(parts),
        *_phones_distinct(parts),
        *_roles_distinct(parts),
        *_loopback_only(parts),
        *_endpoints_free(parts),
        *_hardware_path_present(parts),
        *_embedded_parts_where_they_exist(parts),
    ]


def _hardware_path_present(parts: BenchParts) -> Iterator[Problem]:
    """A handset (real or virtual) is reached only through its relay keypad and camera."""
    if parts.target not in ("virtual-handset", "handset"):
        return
    for role, phone in parts.phones.items():
        for part in ("keypad", "camera"):
            if getattr(phone, part) is None:
                yield Problem(("phones", role, part), f"the {parts.target} target needs the phone's {part}",
                              f"a {part} section (see lab_config/example-h680-bench.yaml)")


def _embedded_parts_where_they_exist(parts: BenchParts) -> Iterator[Problem]:
    """The embedded benches start their own Kamailio; only the reference phone has a relay
    emulator, an MJPEG stream of its LCD and a camera degradation to draw."""
    if parts.target in ("reference", "virtual-handset"):
        if parts.registrar is not None and parts.registrar.kind != "kamailio":
            yield Problem(("registrar", "kind"), f"the {parts.target} bench starts its own Kamailio",
                          "kamailio (external is for a real bench's PBX, --target handset)", parts.registrar.kind)
        return
    if parts.target != "handset":
        return
    for role, phone in parts.phones.items():
        if phone.keypad is not None and phone.keypad.port == "auto":
            yield Problem(("phones", role, "keypad", "port"), "a real handset has no relay emulator to find",
                          "the serial device of the relay board, e.g. /dev/serial/by-id/usb-...", "auto")
        if phone.camera is not None and phone.camera.source == "auto":
            yield Problem(("phones", role, "camera", "source"), "a real handset serves no camera stream",
                          "a device index (0), an MJPEG / snapshot URL, or a file", "auto")
        if phone.camera is not None and phone.camera.degradation != "none":
            yield Problem(("phones", role, "camera", "degradation"),
                          "a real camera degrades the picture by itself",
                          "none (the degradation is drawn by the virtual handset only)", phone.camera.degradation)


def _accounts(parts: BenchParts) -> Iterator[tuple[tuple[str | int, ...], PhoneAccount | PeerAccount]]:
    for role, phone in parts.phones.items():
        yield ("phones", role, "account"), phone.account
    if parts.peers is not None:
        for role, account in parts.peers.accounts.items():
            yield ("peers", "accounts", role), account


def _accounts_known_to_registrar(parts: BenchParts) -> Iterator[Problem]:
    if parts.users is None:
        return
    known = {u.user: (i, u.password) for i, u in enumerate(parts.users)}
    names = ", ".join(known)
    for loc, account in _accounts(parts):
        if account.user not in known:
            yield Problem(loc + ("user",), f"user {account.user} is not in registrar.users",
                          f"one of the registrar's users: {names}", account.user)
        elif known[account.user][1] != account.password:
            index = known[account.user][0]
            yield Problem(loc + ("password",),
                          f"password differs from registrar.users[{index}] (user {account.user})",
                          f"the password of registrar.users[{index}]")


def _each_user_on_one_device(parts: BenchParts) -> Iterator[Problem]:
    # Two devices registering one user would both ring on every call to it.
    first: dict[str, tuple[str | int, ...]] = {}
    for loc, account in _accounts(parts):
        if account.user in first:
            yield Problem(loc + ("user",), f"user {account.user} is already used by "
                          f"{dotted(first[account.user])}",
                          "a registrar user no other phone or peer uses", account.user)
        first.setdefault(account.user, loc)


def _phones_distinct(parts: BenchParts) -> Iterator[Problem]:
    for attribute in ("ip", "mac"):
        first: dict[str, str] = {}
        for role, phone in parts.phones.items():
            value = str(getattr(phone, attribute))
            if value in first:
                yield Problem(("phones", role, attribute),
                              f"same {attribute.upper()} as phones.{first[value]}",
                              f"{'an IP address' if attribute == 'ip' else 'a MAC'} "
                              "no other phone uses", value)
            first.setdefault(value, role)


def _roles_distinct(parts: BenchParts) -> Iterator[Problem]:
    if parts.peers is None:
        return
    for role in parts.peers.accounts:
        if role in parts.phones:
            yield Problem(("peers", "accounts", role), f"role {role} is already phones.{role}",
                          "a role name that no phone uses", role)


def _loopback_only(parts: BenchParts) -> Iterator[Problem]:
    # The embedded bench must never send a packet off this machine.
    if parts.target not in ("reference", "virtual-handset"):
        return
    addresses: list[tuple[tuple[str | int, ...], IPv4Address]] = []
    if parts.registrar is not None:
        addresses.append((("registrar", "ip"), parts.registrar.ip))
    addresses += [(("phones", role, "ip"), phone.ip) for role, phone in parts.phones.items()]
    if parts.peers is not None:
        addresses.append((("peers", "host_ip"), parts.peers.host_ip))
    for loc, ip in addresses:
        if ip not in LOOPBACK:
            yield Problem(loc, "not a loopback address",
                          "an IPv4 address in 127.0.0.0/8 on the embedded benches (reference, virtual-handset)", str(ip))
    if parts.capture is not None and parts.capture.interface != "lo":
        yield Problem(("capture", "interface"), "the reference target captures on loopback",
                      "lo on the embedded benches (reference, virtual-handset)", parts.capture.interface)


def _endpoints_free(parts: BenchParts) -> Iterator[Problem]:
    # SIP listens on UDP and TCP, the web UI on TCP: one port per address, one service.
    claims: list[tuple[tuple[str | int, ...], IPv4Address, int]] = []
    if parts.registrar is not None:
        claims.append((("registrar", "port"), parts.registrar.ip, parts.registrar.port))
    for role, phone in parts.phones.items():
        claims.append((("phones", role, "sip_port"), phone.ip, phone.sip_port))
        claims.append((("phones", role, "web_port"), phone.ip, phone.web_port))
    taken: dict[tuple[IPv4Address, int], tuple[str | int, ...]] = {}
    for loc, ip, port in claims:
        if (ip, port) in taken:
            yield Problem(loc, f"{ip}:{port} is already taken by {dotted(taken[(ip, port)])}",
                          f"a port that nothing else on {ip} uses", port)
        taken.setdefault((ip, port), loc)


def dotted(loc: tuple[str | int, ...]) -> str:
    """``('registrar', 'users', 2, 'user')`` -> ``registrar.users[2].user``."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text
