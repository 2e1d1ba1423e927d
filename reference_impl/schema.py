"""The reference phone's configuration schema: one table, many users.

Every setting the phone knows is declared here once -- its CFG key, its type,
its range, its factory default, its label and the interfaces that may change
it (the manual's §1.3 matrix: phone LCD, web UI, CFG file / provisioning).  The
web pages, the LCD menus, CFG import/export and auto-provisioning all read this
table, so a range is checked the same way whichever door a value comes in by,
and a refusal always names the key, the value and what would have been allowed.

Choices the manual leaves open, made here and kept in one place:

* Booleans are written ``1`` / ``0``.  On input ``true``/``false``,
  ``yes``/``no`` and ``on``/``off`` (any case) are accepted too, because
  hand-edited provisioning files use them; output is always ``1`` / ``0``.
* Enum values are matched without regard to case (``udp`` is read as ``UDP``)
  and are stored and written in the spelling of ``choices``.
* Leading and trailing spaces never belong to a value (a CFG line could not
  carry them), so every kind strips them.  Control characters are refused.
* SIP timers T1/T2/T4 are whole **milliseconds** in CFG (``sip.t1 = 500``).
  The manual's web example speaks of seconds (T1 0.5, T2 4, REQ-SIP-08); a web
  page may show seconds, but the stored and exported unit is ms.  The manual
  gives no ranges (REQ-SIP-08); the ones below allow the short values the
  timing tests use and keep T1..T2 sane.  T2 >= T1 is a cross-field rule.
* The re-register period is in seconds, 30..86400 (the manual gives no range).
* ``host`` values are a host name, an IPv4 address, or an IPv6 address (bare,
  or in brackets), optionally followed by ``:port`` (brackets needed then).
"""
from __future__ import annotations

import difflib
import ipaddress
import re
from dataclasses import dataclass
from typing import Iterable

from .action_url import url_problem
from .paging import PagingError, parse_group

KINDS = ("str", "int", "bool", "enum", "password", "ipv4", "ipv6", "host")
INTERFACES = frozenset({"web", "phone", "cfg"})
EVERYWHERE = INTERFACES
WEB_AND_CFG = frozenset({"web", "cfg"})

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})
_INT_RE = re.compile(r"[+-]?[0-9]+")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
_LABEL_RE = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")


class ConfigValueError(ValueError):
    """A value that a setting refuses.

    ``str(error)`` reads ``"<key>: '<raw>' <reason> (allowed: <allowed>)"``;
    ``reason`` is the same text without the key, for callers (the CFG parser)
    that print the key themselves.
    """

    def __init__(self, key: str, raw: str, allowed: str, problem: str = "is not allowed"):
        self.key = key
        self.raw = raw
        self.allowed = allowed
        self.reason = f"{raw!r} {problem} (allowed: {allowed})"
        self.message = f"{key}: {self.reason}"
        super().__init__(self.message)


class ConfigRulesError(ValueError):
    """Values that are each fine but break a rule between settings (e.g. T2 < T1)."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True)
class Setting:
    """One configurable value of the phone, as CFG, web and LCD all see it."""

    key: str
    kind: str
    default: object
    label: str
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str, ...] = ()
    max_length: int | None = None
    required: bool = False
    where: frozenset[str] = EVERYWHERE
    unit: str | None = None  # "ms", "s" -- shown next to ints by web/LCD

    def __post_init__(self) -> None:
        # A broken schema entry must fail at import, not in the middle of a test.
        if self.kind not in KINDS:
            raise ValueError(f"{self.key}: unknown kind {self.kind!r}")
        if not self.where or not self.where <= INTERFACES:
            raise ValueError(f"{self.key}: bad 'where' {sorted(self.where)}")
        if self.kind == "enum" and not self.choices:
            raise ValueError(f"{self.key}: an enum needs choices")
        self.parse(self.format(self.default))

    # -- reading ---------------------------------------------------------
    def parse(self, raw: str) -> object:
        """Turn text (a CFG value, a web form field, LCD input) into a value.

        Raises ``ConfigValueError`` naming the key, the text and what is allowed.
        """
        if not isinstance(raw, str):
            raise TypeError(f"{self.key}: parse() takes text, got {type(raw).__name__}")
        text = raw.strip()
        if _CONTROL_RE.search(text):
            self._refuse(raw, "contains a control character")
        parser = getattr(self, f"_parse_{self.kind}")
        return parser(raw, text)

    def _refuse(self, raw: str, problem: str) -> None:
        raise ConfigValueError(self.key, raw, self.allowed(), problem)

    def _parse_str(self, raw: str, text: str) -> str:
        if self.max_length is not None and len(text) > self.max_length:
            self._refuse(raw, f"is too long ({len(text)} characters)")
        return text

    _parse_password = _parse_str

    def _parse_int(self, raw: str, text: str) -> int:
        if not _INT_RE.fullmatch(text):
            self._refuse(raw, "is not a whole number")
        value = int(text)
        if (self.minimum is not None and value < self.minimum) or (
            self.maximum is not None and value > self.maximum
        ):
            self._refuse(raw, "is out of range")
        return value

    def _parse_bool(self, raw: str, text: str) -> bool:
        low = text.lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        self._refuse(raw, "is not a yes/no value")
        raise AssertionError("unreachable")

    def _parse_enum(self, raw: str, text: str) -> str:
        for choice in self.choices:
            if choice.lower() == text.lower():
                return choice
        self._refuse(raw, "is not one of the choices")
        raise AssertionError("unreachable")

    def _parse_ipv4(self, raw: str, text: str) -> str:
        if not text:
            return ""
        try:
            return str(ipaddress.IPv4Address(text))
        except ValueError:
            self._refuse(raw, "is not an IPv4 address")
        raise AssertionError("unreachable")

    def _parse_ipv6(self, raw: str, text: str) -> str:
        if not text:
            return ""
        try:
            return str(ipaddress.IPv6Address(text))
        except ValueError:
            self._refuse(raw, "is not an IPv6 address")
        raise AssertionError("unreachable")

    def _parse_host(self, raw: str, text: str) -> str:
        if not text:
            return ""
        if self.max_length is not None and len(text) > self.max_length:
            self._refuse(raw, f"is too long ({len(text)} characters)")
        problem = _host_problem(text)
        if problem:
            self._refuse(raw, problem)
        return text

    # -- describing and writing ------------------------------------------
    def allowed(self) -> str:
        """What this setting accepts, in words, for error messages and web hints."""
        if self.kind == "int":
            unit = f" {self.unit}" if self.unit else ""
            if self.minimum is not None and self.maximum is not None:
                return f"integer {self.minimum}..{self.maximum}{unit}"
            if self.minimum is not None:
                return f"integer >= {self.minimum}{unit}"
            if self.maximum is not None:
                return f"integer <= {self.maximum}{unit}"
            return f"integer{unit}"
        if self.kind == "bool":
            return "1 or 0 (true/false, yes/no, on/off also read)"
        if self.kind == "enum":
            return "one of " + ", ".join(self.choices)
        if self.kind == "ipv4":
            return "an IPv4 address such as 192.168.1.10, or empty"
        if self.kind == "ipv6":
            return "an IPv6 address such as 2001:db8::10, or empty"
        if self.kind == "host":
            return "a host name, IPv4 address or [IPv6] address, optionally with :port, or empty"
        limit = f" up to {self.max_length} characters" if self.max_length else ""
        return f"text{limit}, no control characters"

    def format(self, value: object) -> str:
        """``value`` as it is written in a CFG file (and read back by ``parse``)."""
        if self.kind == "bool" and isinstance(value, (bool, int)):
            return "1" if value else "0"
        return str(value)

    def check(self, value: object) -> object:
        """Normalise a Python value through the schema (format, then parse)."""
        return self.parse(self.format(value))


def _host_problem(text: str) -> str | None:
    """Why ``text`` is not a ``host[:port]`` value, or None if it is fine."""
    host, port = text, None
    if text.startswith("["):
        end = text.find("]")
        if end < 0:
            return "has an unclosed '['"
        host, rest = text[1:end], text[end + 1 :]
        if rest:
            if not rest.startswith(":"):
                return "has text after ']' that is not ':port'"
            port = rest[1:]
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            return "has no valid IPv6 address inside [ ]"
    elif text.count(":") > 1:
        try:
            ipaddress.IPv6Address(text)
        except ValueError:
            return "is not a valid IPv6 address (use [address]:port for a port)"
        return None
    else:
        if ":" in text:
            host, port = text.split(":", 1)
        labels = host.split(".")
        if not host or len(host) > 253 or not all(_LABEL_RE.fullmatch(x) for x in labels):
            return "is not a valid host name or address"
        if labels[-1].isdigit():  # all-numeric: it has to be a real IPv4 address
            try:
                ipaddress.IPv4Address(host)
            except ValueError:
                return "is not a valid IPv4 address"
    if port is not None and not (port.isdigit() and 1 <= int(port) <= 65535):
        return "has a port outside 1..65535"
    return None


# --------------------------------------------------------------------------
# The table itself.
# --------------------------------------------------------------------------
def _account(n: int) -> list[Setting]:
    """The register page of account ``n`` (web Account -> Register, phone Menu -> Account).

    Factory state is "no account": disabled and empty.  ``required`` marks the
    fields the web Register page refuses to leave empty (REQ-ACCT-11, Chinese
    list: user name, register name, password, server address, port).
    """
    p = f"account.{n}."
    return [
        Setting(p + "enable", "bool", False, "Account Status"),
        Setting(p + "label", "str", "", "Label", max_length=32),
        Setting(p + "display_name", "str", "", "Display Name", max_length=64),
        Setting(p + "user_name", "str", "", "User Name", max_length=64, required=True),
        Setting(p + "register_name", "str", "", "Register Name", max_length=64, required=True),
        Setting(p + "password", "password", "", "Password", max_length=64, required=True),
        Setting(p + "server1", "host", "", "SIP Server 1", max_length=128, required=True),
        Setting(p + "server2", "host", "", "SIP Server 2", max_length=128),
        Setting(p + "port", "int", 5060, "Server Port", minimum=1, maximum=65535, required=True),
        Setting(p + "reregister_period", "int", 3600, "Reregister Period",
                minimum=30, maximum=86400, unit="s"),
        Setting(p + "outbound_proxy", "host", "", "Outbound Proxy", max_length=128),
        Setting(p + "transport", "enum", "UDP", "Transport", choices=("UDP", "TCP")),
    ]


def _network() -> list[Setting]:
    """Network -> WIFI -> SSID1 on the web, Menu -> WIFI -> SSID -> Config on the phone (§3.6)."""
    v4, v6 = "network.ipv4.", "network.ipv6."
    return [
        Setting("network.ip_mode", "enum", "IPv4", "IP Mode", choices=("IPv4", "IPv6", "IPv4&IPv6")),
        Setting("network.priority", "enum", "IPv4", "Mode Priority", choices=("IPv4", "IPv6")),
        Setting(v4 + "type", "enum", "DHCP", "IPv4 Type", choices=("DHCP", "Static")),
        Setting(v4 + "address", "ipv4", "", "IP Address"),
        Setting(v4 + "netmask", "ipv4", "", "Subnet Mask"),
        Setting(v4 + "gateway", "ipv4", "", "Default Gateway"),
        Setting(v4 + "dns1", "ipv4", "", "Primary DNS"),
        Setting(v4 + "dns2", "ipv4", "", "Secondary DNS"),
        Setting(v6 + "type", "enum", "DHCP", "IPv6 Type", choices=("DHCP", "Static")),
        Setting(v6 + "address", "ipv6", "", "IP Address"),
        Setting(v6 + "prefix", "int", 64, "IPv6 Prefix", minimum=0, maximum=128),
        Setting(v6 + "gateway", "ipv6", "", "Default Gateway"),
        Setting(v6 + "dns1", "ipv6", "", "Primary DNS"),
        Setting(v6 + "dns2", "ipv6", "", "Secondary DNS"),
    ]


def _sip() -> list[Setting]:
    """Settings -> SIP configuration (*), web only (REQ-SIP-01, REQ-SIP-09)."""
    return [
        Setting("sip.t1", "int", 500, "SIP Session Timer T1", minimum=50, maximum=10000,
                where=WEB_AND_CFG, unit="ms"),
        Setting("sip.t2", "int", 4000, "SIP Session Timer T2", minimum=100, maximum=40000,
                where=WEB_AND_CFG, unit="ms"),
        Setting("sip.t4", "int", 5000, "SIP Session Timer T4", minimum=100, maximum=40000,
                where=WEB_AND_CFG, unit="ms"),
        Setting("sip.local_port", "int", 5060, "Local SIP Port", minimum=1, maximum=65535,
                where=WEB_AND_CFG),
        Setting("sip.tls_port", "int", 5061, "TLS SIP Port", minimum=1, maximum=65535,
                where=WEB_AND_CFG),
    ]


def _access_and_phone() -> list[Setting]:
    return [
        # The password that opens the phone's advanced menus (§1.3.1), initially admin.
        Setting("security.admin_password", "password", "admin", "Admin Password",
                max_length=32, required=True),
        # The web login (§3.5: admin/admin initially).
        Setting("web.user", "str", "admin", "Web User", max_length=32, required=True,
                where=WEB_AND_CFG),
        Setting("web.password", "password", "admin", "Web Password", max_length=32,
                required=True, where=WEB_AND_CFG),
        Setting("phone.language", "enum", "English", "Language", choices=("English", "Chinese")),
        Setting("phone.time_format", "enum", "24", "Time Format", choices=("12", "24")),
    ]


def _volume() -> list[Setting]:
    """Volumes (§4.2.1): 1-15, louder as it rises; ring and each audio device kept apart.

    The manual gives no factory value; 8 (the middle) is this phone's.
    """
    return [Setting(f"volume.{d}", "int", 8, f"{d.title()} Volume", minimum=1, maximum=15)
            for d in ("ring", "handset", "speaker", "headset")]


RINGTONES = tuple(f"Ring {n}" for n in range(1, 11)) + ("Custom",)


def _sounds() -> list[Setting]:
    """Ringtone (§4.2.2): ten built in, plus "Custom" once a ringtone is uploaded (REQ-RINGUP-01)."""
    return [
        Setting("sounds.ringtone", "enum", "Ring 1", "Ring Tone", choices=RINGTONES),
        Setting("sounds.custom_ringtone", "str", "", "Uploaded Ringtone", max_length=64, where=WEB_AND_CFG),
    ]


PAGING_LIST_SIZE = 10    # groups to page to (the manual gives no number)
PAGING_LISTEN_SIZE = 31  # listening addresses (REQ-PAGE-03)
PAGING_LEVELS = ("Disabled",) + tuple(str(n) for n in range(1, 32))


def _paging() -> list[Setting]:
    """Multicast paging (§6.1; web Directory -> Multicast address, phone Menu -> Features -> Paging List).

    Addresses are ``IP:port`` of a multicast group (checked in rule_problems);
    an empty address is an unused row.  Priority of a listening row = its number.
    """
    out = []
    for kind, count in (("list", PAGING_LIST_SIZE), ("listen", PAGING_LISTEN_SIZE)):
        for n in range(1, count + 1):
            p = f"paging.{kind}.{n}."
            out += [Setting(p + "address", "str", "", "Address", max_length=21),
                    Setting(p + "label", "str", "", "Label", max_length=32),
                    Setting(p + "channel", "int", 0, "Channel", minimum=0, maximum=30)]
    return out + [
        Setting("paging.barge", "enum", "Disabled", "Paging Barge", choices=PAGING_LEVELS),
        Setting("paging.dnd_penetration", "enum", "Disabled", "DND Penetration", choices=PAGING_LEVELS),
        Setting("paging.priority", "bool", False, "Paging Priority"),
    ]


def _action_urls() -> list[Setting]:
    """Action URL (§6.6; web Features -> Action URL): one URL per event of the manual's table."""
    from .action_url import EVENTS
    return [Setting(f"action_url.{key}", "str", "", title, max_length=512, where=WEB_AND_CFG)
            for key, title, _ in EVENTS]


def _certificates() -> list[Setting]:
    """Trusted certificates (§6.7, REQ-CERT-02); effective after a reboot (see reference_impl/trust.py)."""
    return [
        Setting("cert.only_trusted", "bool", False, "Only Accept Trusted Certificates", where=WEB_AND_CFG),
        Setting("cert.common_name_validation", "bool", False, "Common Name Validation", where=WEB_AND_CFG),
        Setting("cert.ca_set", "enum", "All", "CA Certificates", choices=("Default", "Custom", "All"),
                where=WEB_AND_CFG),
    ]


def _autoprovision() -> list[Setting]:
    """Auto provisioning (§6.4; web Settings -> Auto provision).  ``static.firmware.url`` is the
    manual's example of an upgrade set by a provisioning file: CFG only."""
    return [
        Setting("autop.url", "str", "", "Server URL", max_length=255, where=WEB_AND_CFG),
        Setting("autop.user", "str", "", "User name", max_length=64, where=WEB_AND_CFG),
        Setting("autop.password", "password", "", "Password", max_length=64, where=WEB_AND_CFG),
        Setting("autop.power_on", "bool", False, "Power on", where=WEB_AND_CFG),
        Setting("static.firmware.url", "str", "", "Firmware image URL", max_length=255,
                where=frozenset({"cfg"})),
    ]


def _tr069() -> list[Setting]:
    """TR-069 (REQ-TR069-*): the manual lists the feature but defines nothing more; these are the
    settings a TR-069 page carries.  The reference phone stores them (web and CFG/provisioning);
    it runs no CWMP session with an ACS."""
    return [
        Setting("tr069.enable", "bool", False, "TR069", where=WEB_AND_CFG),
        Setting("tr069.acs_url", "str", "", "ACS URL", max_length=256, where=WEB_AND_CFG),
        Setting("tr069.user", "str", "", "ACS User Name", max_length=64, where=WEB_AND_CFG),
        Setting("tr069.password", "password", "", "ACS Password", max_length=64, where=WEB_AND_CFG),
        Setting("tr069.periodic_inform", "bool", True, "Periodic Inform", where=WEB_AND_CFG),
        Setting("tr069.inform_interval", "int", 3600, "Periodic Inform Interval", minimum=30, maximum=86400,
                unit="s", where=WEB_AND_CFG),
    ]


def _call_features() -> list[Setting]:
    """Chapter 5's call features: DND, call forward, call waiting, auto answer.

    Choices the manual leaves open (kept here, see also reference_impl/call_features.py):

    * DND (§5.5): ``dnd.mode`` Phone (factory default) applies ``dnd.enable`` to
      every account; Custom uses ``dnd.account1`` / ``dnd.account2`` instead.
    * Forward (§5.6.2): one set of Always / Busy / No-answer settings.  ``forward.mode``
      Phone applies it to every account; Custom applies it to ``forward.account``
      (1, 2 or All).  The no-answer time is in seconds, default 5 (Chinese manual),
      range 1..120 (the manual gives none).  Authorised numbers are a comma list.
    * Call waiting (§5.8) is on by default (the manual does not say; most PBX
      phones ship with it on), its tone too.
    * Auto answer (§5.10) is per account; the manual gives no wait time, so
      ``auto_answer.delay`` is 0..60 s, default 0 (answer at once).
    """
    fwd = []
    for kind, label in (("always", "Always"), ("busy", "Busy"), ("no_answer", "No answer")):
        p = f"forward.{kind}."
        fwd += [Setting(p + "enable", "bool", False, "Status"),
                Setting(p + "number", "str", "", "Number", max_length=64),
                Setting(p + "on_code", "str", "", "On Code", max_length=16),
                Setting(p + "off_code", "str", "", "Off Code", max_length=16)]
        if kind == "no_answer":
            fwd.append(Setting(p + "time", "int", 5, "No Answer Time", minimum=1, maximum=120, unit="s"))
    return [
        Setting("dnd.mode", "enum", "Phone", "DND Mode", choices=("Phone", "Custom")),
        Setting("dnd.enable", "bool", False, "DND"),
        Setting("dnd.account1", "bool", False, "Account 1"),
        Setting("dnd.account2", "bool", False, "Account 2"),
        Setting("forward.mode", "enum", "Phone", "Forward Mode", choices=("Phone", "Custom")),
        Setting("forward.account", "enum", "All", "Forward Account", choices=("1", "2", "All")),
        *fwd,
        Setting("forward.authorised.enable", "bool", False, "Authorised Numbers"),
        Setting("forward.authorised.numbers", "str", "", "Authorised Number List", max_length=256),
        Setting("call_waiting.enable", "bool", True, "Call Waiting"),
        Setting("call_waiting.tone", "bool", True, "Call Waiting Tone"),
        Setting("call_waiting.on_code", "str", "", "On Code", max_length=16),
        Setting("call_waiting.off_code", "str", "", "Off Code", max_length=16),
        Setting("auto_answer.account1", "bool", False, "Account 1"),
        Setting("auto_answer.account2", "bool", False, "Account 2"),
        Setting("auto_answer.delay", "int", 0, "Auto Answer Delay", minimum=0, maximum=60, unit="s"),
        # Hotline (§5.12): going off-hook dials this number after the delay; 0 = at once (the
        # English manual's default); an empty number leaves the dialing screen as it is.
        Setting("hotline.number", "str", "", "Hotline Number", max_length=32),
        Setting("hotline.delay", "int", 0, "Hotline Delay", minimum=0, maximum=10, unit="s"),
        *_anonymous(1), *_anonymous(2),
        # Message key (§1.1 item 14): the voice-mail number the administrator sets, per account.
        Setting("voicemail.account1", "str", "", "Voice Mail Number (account 1)", max_length=32),
        Setting("voicemail.account2", "str", "", "Voice Mail Number (account 2)", max_length=32),
        # Pickup key (§1.1 item 7): the server's call-pickup code, dialled from the active account.
        Setting("pickup.code", "str", "", "Call Pickup Code", max_length=16),
        # Auto redial (§5.9): a failed outgoing call is tried again after ``interval`` s, at most
        # ``count`` times, until one gets through.
        Setting("auto_redial.enable", "bool", False, "Auto Redial"),
        Setting("auto_redial.interval", "int", 10, "Redial Interval", minimum=1, maximum=300, unit="s"),
        Setting("auto_redial.count", "int", 10, "Redial Times", minimum=1, maximum=300),
    ]


def _anonymous(n: int) -> list[Setting]:
    """Anonymous call and anonymous call rejection of account ``n`` (§5.11; web Account -> Advanced).

    The on/off codes are the server's service codes: turning the setting on or
    off sends the matching code from this account (REQ-ANON-08).
    """
    p = f"anonymous.{n}."
    return [
        Setting(p + "call", "bool", False, "Local Anonymous"),   # short: a form line of the LCD
        Setting(p + "call_on_code", "str", "", "Anonymous Call On Code", max_length=16),
        Setting(p + "call_off_code", "str", "", "Anonymous Call Off Code", max_length=16),
        Setting(p + "rejection", "bool", False, "Anonymous Reject"),
        Setting(p + "rejection_on_code", "str", "", "Rejection On Code", max_length=16),
        Setting(p + "rejection_off_code", "str", "", "Rejection Off Code", max_length=16),
    ]


def _ldap() -> list[Setting]:
    """LDAP directory (§4.3.3.3; web Directory -> LDAP, web and CFG only: REQ-MTX-10).

    Defaults are LdapSettings' (the manual's examples, LDAP itself off).  The rules of the
    manual's table (filters with %, display name starting with %, max hits 1-1000, a DN for
    Base, StartTLS only with version 3 …) are LdapSettings' checks, run by rule_problems so
    the refusal carries LdapSettingsError's words.
    """
    from .ldap_directory import TRANSPORTS, LdapSettings
    d = LdapSettings()
    w = WEB_AND_CFG
    return [
        Setting("ldap.enable", "bool", d.enabled, "Enable LDAP", where=w),
        Setting("ldap.label", "str", d.label, "LDAP Label", max_length=64, where=w),
        Setting("ldap.name_filter", "str", d.name_filter, "LDAP Name Filter", max_length=512, where=w),
        Setting("ldap.number_filter", "str", d.number_filter, "LDAP Number Filter", max_length=512, where=w),
        Setting("ldap.transport", "enum", d.transport, "LDAP Encryption", choices=TRANSPORTS, where=w),
        Setting("ldap.server", "str", d.server, "Server Address", max_length=253, where=w),
        Setting("ldap.port", "int", d.port, "Port", minimum=1, maximum=65535, where=w),
        Setting("ldap.base", "str", d.base, "Base", max_length=512, where=w),
        Setting("ldap.user", "str", d.user, "User Name", max_length=255, where=w),
        Setting("ldap.password", "password", d.password, "Password", max_length=255, where=w),
        Setting("ldap.max_hits", "int", d.max_hits, "Max Hits (1~1000)", where=w),
        Setting("ldap.name_attributes", "str", d.name_attributes, "LDAP Name Attributes", max_length=512, where=w),
        Setting("ldap.number_attributes", "str", d.number_attributes, "LDAP Number Attributes",
                max_length=512, where=w),
        Setting("ldap.display_name", "str", d.display_name, "LDAP Display Name", max_length=128, where=w),
        Setting("ldap.version", "enum", str(d.version), "Protocol", choices=("2", "3"), where=w),
        Setting("ldap.match_incoming", "bool", d.match_incoming, "LDAP Lookup For Incoming Call", where=w),
        Setting("ldap.search_while_dialing", "bool", d.search_while_dialing, "LDAP Lookup For Callout", where=w),
        Setting("ldap.sort_results", "bool", d.sort_results, "LDAP Sorting Results", where=w),
    ]


def _time_and_date() -> list[Setting]:
    """Date & Time (§4.1.2; web Settings -> Date & Time, phone Basic Settings -> Time & Date).

    SNTP servers are ``host[:port]``; the period is in seconds, 1..86400 (the manual gives no range);
    manual setting is off by default, so SNTP is used (REQ-TIME-04).  The time zone is minutes from
    UTC.  DST edges (start in standard time, end in daylight time) are by date (month, day, hour) or by
    week (month, week 1-5 with 5 = last, weekday, hour); see reference_impl/clock.py.
    """
    from .clock import DST_LOCATIONS, WEEKDAY_NAMES
    edges = []
    for edge, month, day, week in (("start", 3, 10, 2), ("end", 11, 3, 1)):
        p = f"time.dst.{edge}."
        edges += [Setting(p + "month", "int", month, f"DST {edge.title()} Month", minimum=1, maximum=12, where=WEB_AND_CFG),
                  Setting(p + "day", "int", day, f"DST {edge.title()} Day", minimum=1, maximum=31, where=WEB_AND_CFG),
                  Setting(p + "week", "int", week, f"DST {edge.title()} Week", minimum=1, maximum=5, where=WEB_AND_CFG),
                  Setting(p + "weekday", "enum", "Sun", f"DST {edge.title()} Weekday", choices=WEEKDAY_NAMES,
                          where=WEB_AND_CFG),
                  Setting(p + "hour", "int", 2, f"DST {edge.title()} Hour", minimum=0, maximum=23, where=WEB_AND_CFG)]
    return [
        Setting("time.manual", "bool", False, "Manual Setting"),
        Setting("time.sntp.primary", "host", "", "Primary Server", max_length=128),
        Setting("time.sntp.secondary", "host", "", "Secondary Server", max_length=128),
        Setting("time.sntp.period", "int", 3600, "Synchronisation Period", minimum=1, maximum=86400, unit="s"),
        Setting("time.zone", "int", 0, "Time Zone", minimum=-720, maximum=840, unit="min", where=WEB_AND_CFG),
        Setting("time.dst.mode", "enum", "Disabled", "Daylight Saving Time", choices=("Disabled", "Automatic", "Manual"),
                where=WEB_AND_CFG),
        Setting("time.dst.location", "enum", next(iter(DST_LOCATIONS)), "DST Location", choices=tuple(DST_LOCATIONS),
                where=WEB_AND_CFG),
        Setting("time.dst.rule", "enum", "By Date", "DST Rule", choices=("By Date", "By Week"), where=WEB_AND_CFG),
        *edges,
        Setting("time.dst.offset", "int", 60, "DST Offset", minimum=1, maximum=180, unit="min", where=WEB_AND_CFG),
        Setting("time.date_format", "int", 0, "Date Format", minimum=0, maximum=6),
    ]


def _customization() -> list[Setting]:
    """Language as the provisioning file writes it, key tone and signal tones (§4.1.1, §4.2.3, §4.2.4).

    ``language_setting.languages`` is the chapter 6 CFG form of ``phone.language`` (0 = Chinese,
    1 = English); the two always agree (reference_impl/customization.py links them).
    The ``tones.*`` values are the Custom tone set: used when ``tones.country`` is Custom; any other
    country plays its own standard set (reference_impl/sounds.py).
    """
    from .sounds import TONE_COUNTRIES, TONE_TYPES, STANDARD_TONES
    return [
        Setting("language_setting.languages", "int", 1, "Language (0 Chinese, 1 English)", minimum=0, maximum=1,
                where=frozenset({"cfg"})),
        Setting("sounds.key_tone", "bool", True, "Key Tone"),
        Setting("tones.country", "enum", TONE_COUNTRIES[0], "Country", choices=TONE_COUNTRIES, where=WEB_AND_CFG),
        *[Setting(f"tones.{key}", "str", STANDARD_TONES[TONE_COUNTRIES[0]][key], label, max_length=128,
                  where=WEB_AND_CFG) for key, label in TONE_TYPES],
    ]


def _dialing_and_lock() -> list[Setting]:
    """Chapter 4: call-out key (§4.1.3), keypad lock (§4.1.4), dial plan (§4.7).

    See reference_impl/dialing.py and reference_impl/keypad_lock.py for the
    behaviour and the choices the manual leaves open.
    """
    return [
        # The manual gives no default (open question, REQ-SEND-01): '#' here, as on most SIP phones.
        Setting("phone.call_out_key", "enum", "#", "Call-out Key", choices=("#", "*", "Disabled")),
        # The whole dial plan (replace, dial now + delay, area code, block out) as the JSON text of
        # DialPlan.to_dict(); empty = no rules.  Checked as a rule (see rule_problems).
        Setting("dialplan.rules", "str", "", "Dial Plan", where=WEB_AND_CFG),
        Setting("keypad_lock.enable", "bool", False, "Keypad Lock"),
        Setting("keypad_lock.type", "enum", "All keys", "Lock Type",
                choices=("Menu key", "Function keys", "All keys")),
        Setting("keypad_lock.pin", "password", "admin", "Unlock PIN", max_length=16, required=True),
        Setting("keypad_lock.auto_lock_time", "int", 0, "Auto Lock Time", minimum=0, maximum=3600, unit="s"),
        Setting("keypad_lock.emergency", "str", "112,110,119,120", "Emergency Numbers", max_length=128),
    ]


def _network_options() -> list[Setting]:
    """Advanced network items of the provisioning list (§6.4.1: QoS, VLAN, LLDP, CDP; REQ-PROV-10).

    The manual names them but gives no page, range or default; the choices made here:
    * QoS: the DSCP of SIP signalling and of RTP voice, 0..63 (the IP header's 6-bit field;
      the TOS byte is DSCP << 2).  Defaults 26 (AF31) and 46 (EF), as on most SIP desk phones.
      Like the static address and the SIP port, they take effect when the phone restarts.
    * VLAN: the voice VLAN, ID 1..4094 (0 and 4095 are reserved by 802.1Q), priority 0..7.
      The phone advertises it in LLDP-MED and CDP (tagging cannot be seen on loopback).
    * LLDP and CDP: off by default, interval 1..3600 s (the manual gives none; 60 s is common).
    * Phone UI: the matrix (§1.3, REQ-MTX-06) puts CDP under the advanced network settings; VLAN,
      LLDP and QoS appear only in the provisioning list, so they are web and CFG only.
    See reference_impl/discovery.py (LLDP/CDP frames) and reference_impl/sip_engine.py (DSCP).
    """
    return [
        Setting("network.qos.sip_dscp", "int", 26, "SIP DSCP", minimum=0, maximum=63, where=WEB_AND_CFG),
        Setting("network.qos.rtp_dscp", "int", 46, "Voice (RTP) DSCP", minimum=0, maximum=63, where=WEB_AND_CFG),
        Setting("network.vlan.enable", "bool", False, "Voice VLAN", where=WEB_AND_CFG),
        Setting("network.vlan.id", "int", 1, "VLAN ID", minimum=1, maximum=4094, where=WEB_AND_CFG),
        Setting("network.vlan.priority", "int", 0, "VLAN Priority", minimum=0, maximum=7, where=WEB_AND_CFG),
        Setting("network.lldp.enable", "bool", False, "LLDP", where=WEB_AND_CFG),
        Setting("network.lldp.interval", "int", 60, "LLDP Interval", minimum=1, maximum=3600, unit="s",
                where=WEB_AND_CFG),
        Setting("network.cdp.enable", "bool", False, "CDP"),
        Setting("network.cdp.interval", "int", 60, "CDP Interval", minimum=1, maximum=3600, unit="s"),
    ]


def _sip_options() -> list[Setting]:
    """DTMF and heartbeat per account, User Agent, NAT and STUN (§6.4.1's provisionable list, §6.5.2).

    Web and CFG only: the §1.3 matrix keeps DTMF and NAT off the phone's account menus
    (REQ-MTX-05) and STUN off its network menus (REQ-MTX-06).  Ranges and the meaning of each
    choice: reference_impl/sip_options.py.  User Agent, NAT and STUN are taken by the SIP stack
    when it starts, so they take effect after a reboot (their labels say so on the web page).
    """
    from .sip_options import DTMF_MODES, NAT_MODES
    w = WEB_AND_CFG
    out = []
    for n in (1, 2):
        p = f"account.{n}."
        out += [Setting(p + "dtmf_mode", "enum", "RFC2833", "DTMF Mode", choices=DTMF_MODES, where=w),
                Setting(p + "dtmf_payload", "int", 101, "RFC2833 Payload Type", minimum=96, maximum=127, where=w),
                Setting(p + "heartbeat", "bool", False, "Heartbeat (SIP OPTIONS to the server)", where=w),
                Setting(p + "heartbeat_interval", "int", 30, "Heartbeat Interval", minimum=1, maximum=3600,
                        unit="s", where=w)]
    return out + [
        Setting("sip.user_agent", "str", "", "User Agent (empty: model, firmware, MAC; after a reboot)",
                max_length=128, where=w),
        Setting("sip.nat", "enum", "Disabled", "NAT Traversal (after a reboot)", choices=NAT_MODES, where=w),
        Setting("sip.nat_address", "ipv4", "", "NAT Public Address (Static; after a reboot)", where=w),
        Setting("network.stun.server", "host", "", "STUN Server (host[:port], 3478 if left out; after a reboot)",
                max_length=128, where=w),
    ]


def _vpn() -> list[Setting]:
    """VPN (OpenVPN client; web Network -> VPN, web and CFG).  The CA certificate, client
    certificate and key are files uploaded on that page (reference_impl/vpn_client.py)."""
    return [
        Setting("vpn.enable", "bool", False, "Enable VPN", where=WEB_AND_CFG),
        Setting("vpn.server", "host", "", "OpenVPN Server Address", max_length=253, where=WEB_AND_CFG),
        Setting("vpn.port", "int", 1194, "OpenVPN Server Port (UDP)", minimum=1, maximum=65535, where=WEB_AND_CFG),
    ]


def _intercom() -> list[Setting]:
    """Intercom (§1.3 matrix: phone and web; §6.4.1 provisionable); see reference_impl/intercom.py."""
    return [
        Setting("intercom.enable", "bool", True, "Intercom"),
        Setting("intercom.mute", "bool", False, "Intercom Mute"),
        Setting("intercom.barge", "bool", False, "Intercom Barge"),
    ]


def _programmable_keys() -> list[Setting]:
    """Programmable keys (§1.3 matrix: web only; §6.4.1 provisionable); see reference_impl/programmable_keys.py."""
    from .programmable_keys import KEY_COUNT, KEY_TYPES, LABEL_MAX, VALUE_MAX, factory_type
    out = []
    for n in range(1, KEY_COUNT + 1):
        p = f"programmable_key.{n}."
        out += [Setting(p + "type", "enum", factory_type(n), "Type", choices=KEY_TYPES, where=WEB_AND_CFG),
                Setting(p + "value", "str", "", "Value", max_length=VALUE_MAX, where=WEB_AND_CFG),
                Setting(p + "label", "str", "", "Label", max_length=LABEL_MAX, where=WEB_AND_CFG)]
    return out


SCHEMA: dict[str, Setting] = {
    s.key: s
    for s in [*_account(1), *_account(2), *_network(), *_sip(), *_access_and_phone(), *_volume(), *_sounds(), *_tr069(),
              *_certificates(), *_paging(), *_action_urls(),
              *_call_features(), *_autoprovision(), *_ldap(), *_time_and_date(), *_customization(),
              *_dialing_and_lock(), *_network_options(), *_sip_options(), *_vpn(), *_intercom(),
              *_programmable_keys()]
}

SECTION_TITLES: dict[str, str] = {
    "account.1": "Account 1 (web: Account -> Register; phone: Menu -> Account)",
    "account.2": "Account 2 (web: Account -> Register; phone: Menu -> Account)",
    "network": "Network mode (web: Network -> WIFI -> SSID1)",
    "network.ipv4": "IPv4 (DHCP or static)",
    "network.ipv6": "IPv6 (DHCP or static)",
    "sip": "SIP configuration (web: Settings -> SIP configuration); timers in ms",
    "security": "Phone advanced-menu password",
    "web": "Web login",
    "phone": "Phone customisation",
    "dnd": "Do not disturb (web: Features -> Forward & DND; phone: Menu -> Features -> DND)",
    "forward": "Call forward (web: Features -> Forward & DND; phone: Menu -> Features -> Call Forward)",
    "forward.always": "Always forward",
    "forward.busy": "Busy forward",
    "forward.no_answer": "No-answer forward (time in s)",
    "forward.authorised": "Numbers never forwarded",
    "call_waiting": "Call waiting (web: Features -> Basic information)",
    "auto_answer": "Auto answer (phone: Menu -> Features -> Auto Answer)",
    "hotline": "Hotline (phone: Menu -> Features -> Hotline)",
    "anonymous.1": "Anonymous call, account 1 (web: Account -> Advanced; phone: Menu -> Features -> Anonymous Call)",
    "anonymous.2": "Anonymous call, account 2 (web: Account -> Advanced; phone: Menu -> Features -> Anonymous Call)",
    "volume": "Volumes 1-15 (side volume keys)",
    "action_url": "Action URL (web: Features -> Action URL); $variables are filled in when sent",
    "paging": "Multicast paging (web: Directory -> Multicast address)",
    **{f"paging.list.{n}": f"Paging list group {n}" for n in range(1, PAGING_LIST_SIZE + 1)},
    **{f"paging.listen.{n}": f"Listening address {n} (priority {n})" for n in range(1, PAGING_LISTEN_SIZE + 1)},
    "cert": "Trusted certificates (web: Security -> Trusted certificates); take effect after a reboot",
    "tr069": "TR069 (web: Settings -> TR069); settings only, no ACS session",
    "sounds": "Ringtone (web: Settings -> Tones / Upload ringtone; phone: Menu -> Basic Settings -> Ring Tones)",
    "voicemail": "Voice mail numbers (Message key)",
    "pickup": "Call pickup (Pickup key)",
    "auto_redial": "Auto redial (phone: Menu -> Features -> Auto Redial); interval in s",
    "autop": "Auto provision (web: Settings -> Auto provision); runs at power-on when enabled",
    "static.firmware": "Firmware to upgrade to (a provisioning file's upgrade line)",
    "ldap": "LDAP directory (web: Directory -> LDAP); % in filters and display name is the typed text / an attribute",
    "time": "Date & Time (web: Settings -> Date & Time; phone: Menu -> Basic Settings -> Time & Date)",
    "time.sntp": "SNTP servers (host or host:port) and synchronisation period in s",
    "time.dst": "Daylight saving time (offset in minutes)",
    "time.dst.start": "DST start (local standard time)",
    "time.dst.end": "DST end (local daylight time)",
    "language_setting": "Language as provisioning files write it: 0 Chinese, 1 English",
    "tones": "Signal tones (web: Settings -> Tones): Country, and the Custom values as freq/ms,...",
    "dialplan": "Dial plan (web: Settings -> Dial plan); the four rule lists as one JSON value",
    "keypad_lock": "Keypad lock (web: Features -> Keypad Lock; phone: Menu -> Basic Settings -> Keypad Lock)",
    "network.qos": "QoS (web: Network -> Advanced): DSCP 0-63 of SIP and of RTP voice; after a restart",
    "network.vlan": "Voice VLAN (web: Network -> Advanced): ID 1-4094, priority 0-7; advertised by LLDP-MED and CDP",
    "network.lldp": "LLDP (web: Network -> Advanced); interval in s",
    "network.cdp": "CDP (web: Network -> Advanced; phone: Menu -> Advanced Network); interval in s",
    "network.stun": "STUN server for NAT traversal (web: Network -> Advanced; web only); after a reboot",
    "vpn": "VPN, OpenVPN client (web: Network -> VPN; CA, client certificate and key are uploaded there)",
    "intercom": "Intercom (web: Features -> Intercom; phone: Menu -> Features -> Intercom)",
    "programmable_key.1": "Programmable key 1: the idle screen's left soft key (web: Features -> Programmable keys)",
    "programmable_key.2": "Programmable key 2: the idle screen's right soft key (web: Features -> Programmable keys)",
}


def defaults() -> dict[str, object]:
    """Factory values of every setting, in schema order."""
    return {key: s.default for key, s in SCHEMA.items()}


def section_of(key: str) -> str:
    """The section a key belongs to: everything before its last dot ("account.1")."""
    return key.rsplit(".", 1)[0]


def keys_under(*prefixes: str) -> list[str]:
    """Schema keys in the given sections or their subsections, in schema order.

    ``keys_under("network")`` gives network.* including network.ipv4.*; handy
    for the CFG export page's "network configuration" / "SIP configuration".
    """
    return [
        k for k in SCHEMA
        if any(section_of(k) == p or section_of(k).startswith(p + ".") for p in prefixes)
    ]


def suggest(key: str) -> str | None:
    """The closest known key to a misspelt one, for friendlier errors."""
    close = difflib.get_close_matches(key, list(SCHEMA), n=1, cutoff=0.8)
    return close[0] if close else None


def missing_required(values: dict[str, object], section: str) -> list[str]:
    """Required keys of ``section`` that are empty in ``values`` (REQ-ACCT-11).

    The web Register page calls this before saving and refuses the form if
    the list is not empty.  CFG files may leave them empty (factory state).
    """
    return [
        k for k, s in SCHEMA.items()
        if s.required and section_of(k) == section and str(values.get(k, s.default)).strip() == ""
    ]


# --------------------------------------------------------------------------
# Rules between settings.
# --------------------------------------------------------------------------
def _is_netmask(text: str) -> bool:
    bits = int(ipaddress.IPv4Address(text))
    inverted = ~bits & 0xFFFFFFFF
    return (inverted & (inverted + 1)) == 0  # ones then zeros


def rule_problems(values: dict[str, object]) -> list[tuple[tuple[str, ...], str]]:
    """Cross-field rule violations as (keys involved, message) pairs.

    ``values`` may be partial: missing keys take their defaults.  The keys let
    the CFG parser point at the line that set one of them.

    Rules:
    * sip.t2 >= sip.t1 (T2 caps the doubling that starts at T1, REQ-SIP-03);
    * sip.local_port != sip.tls_port (both listen on TCP);
    * a static IPv4 setup needs address, mask, gateway and both DNS (REQ-NET-06)
      and the mask must be contiguous; the same for static IPv6 (REQ-NET-07) --
      only when the IP mode uses that family.
    """
    v = {**defaults(), **values}
    out: list[tuple[tuple[str, ...], str]] = []
    if v["sip.t2"] < v["sip.t1"]:
        out.append((("sip.t2", "sip.t1"),
                    f"sip.t2 ({v['sip.t2']} ms) must not be less than sip.t1 ({v['sip.t1']} ms)"))
    if v["sip.local_port"] == v["sip.tls_port"]:
        out.append((("sip.tls_port", "sip.local_port"),
                    f"sip.tls_port and sip.local_port must differ (both {v['sip.tls_port']})"))
    mode = v["network.ip_mode"]
    for family in ("ipv4", "ipv6"):
        if family.replace("ip", "IP") not in mode:
            continue
        type_key = f"network.{family}.type"
        if v[type_key] != "Static":
            continue
        fields = ["address", "netmask" if family == "ipv4" else "prefix", "gateway", "dns1", "dns2"]
        empty = [f"network.{family}.{f}" for f in fields if v[f"network.{family}.{f}"] in ("", None)]
        if empty:
            out.append(((type_key, *empty),
                        f"{type_key} is Static, so these may not be empty: {', '.join(empty)}"))
    for key in (k for k in SCHEMA if k.startswith("paging.") and k.endswith(".address")):
        if v[key]:
            try:
                parse_group(str(v[key]))
            except PagingError as exc:
                out.append(((key,), f"{key}: {exc}"))
    for key in (k for k in SCHEMA if k.startswith("action_url.")):
        problem = url_problem(str(v[key]))
        if problem:
            out.append(((key,), f"{key}: {problem}"))
    from .provisioning import server_url_problem  # here: provisioning reads CFG files through this module
    for key in ("autop.url", "static.firmware.url"):
        problem = server_url_problem(str(v[key]))
        if problem:
            out.append(((key,), f"{key}: {problem}"))
    if v["tr069.enable"] and not str(v["tr069.acs_url"]).startswith(("http://", "https://")):
        out.append((("tr069.acs_url", "tr069.enable"),
                    "tr069.acs_url: an enabled TR069 needs an http:// or https:// ACS URL"))
    if v["sounds.ringtone"] == "Custom" and not v["sounds.custom_ringtone"]:
        out.append((("sounds.ringtone",), "sounds.ringtone: Custom needs an uploaded ringtone first"))
    from .ldap_phone import config_problems as ldap_problems
    out += ldap_problems(v)
    from .customization import rule_problems as customization_problems
    out += customization_problems(v)
    from .dialing import customization_problems as dialing_problems   # chapter 4: dial plan, keypad lock
    out += dialing_problems(v)
    from .sip_options import rule_problems as sip_option_problems   # NAT Static / STUN need their address
    out += sip_option_problems(v)
    from .vpn_client import config_problems as vpn_problems   # VPN (Network -> VPN)
    out += vpn_problems(v)
    from .programmable_keys import config_problems as key_problems   # a speed dial needs its number
    out += key_problems(v)
    mask = v["network.ipv4.netmask"]
    if mask and not _is_netmask(str(mask)):
        out.append((("network.ipv4.netmask",),
                    f"network.ipv4.netmask: {mask!r} is not a subnet mask (ones, then zeros)"))
    return out


def validate_all(values: dict[str, object]) -> list[str]:
    """Messages for every cross-field rule ``values`` breaks (empty list: all good)."""
    return [message for _keys, message in rule_problems(values)]


def check_values(values: dict[str, object], base: dict[str, object] | None = None) -> dict[str, object]:
    """Normalise ``values`` through the schema and check the rules against ``base``.

    Raises ``KeyError`` for an unknown key, ``ConfigValueError`` for the first
    bad value and ``ConfigRulesError`` for rule violations of the merged result.
    Returns the normalised values.  Storage calls this before it writes.
    """
    clean: dict[str, object] = {}
    for key, value in values.items():
        if key not in SCHEMA:
            hint = suggest(key)
            raise KeyError(f"unknown setting {key!r}" + (f" (did you mean {hint}?)" if hint else ""))
        clean[key] = SCHEMA[key].check(value)
    problems = validate_all({**(base if base is not None else defaults()), **clean})
    if problems:
        raise ConfigRulesError(problems)
    return clean


def _selfcheck(keys: Iterable[str]) -> None:
    for key in keys:
        if section_of(key) not in SECTION_TITLES:
            raise ValueError(f"{key}: its section has no title in SECTION_TITLES")


_selfcheck(SCHEMA)
