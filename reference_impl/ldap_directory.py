"""The phone's LDAP directory client (manual §4.3.3), built on ldap3.

What the manual asks, and how it is read here:

* **Settings** (the table of §4.3.3.3, web Directory -> LDAP) are :class:`LdapSettings`,
  one field per row, each checked when the object is made; a bad value raises
  :class:`LdapSettingsError` naming the field, the value and what is allowed.
* **Filters.**  The name filter (example ``(CallerIDName=%)``) and the number filter
  (example ``(AccountNumber=%)``) are LDAP filters (RFC 4515) in which ``%`` stands for
  what the user typed and ``*`` matches any characters.  The manual says ``%`` is used as
  the *prefix* of the condition (REQ-LDAP-10): the typed text is put in place of ``%``
  and a ``*`` follows it, so typing ``J`` sends ``(CallerIDName=J*)``.  A ``*`` the admin
  already wrote right after ``%`` is kept single (``(cn=*%*)`` gives a "contains"
  search).  The typed text is escaped, so a ``*`` or ``(`` the user types is matched
  literally and cannot change the filter.  Every filter must contain ``%``.
* **One input, two filters.**  The search screen takes "a name or a number"
  (§4.3.3.4), so :meth:`LdapDirectory.search` sends ``(|<name filter><number filter>)``
  with the text put into both.  The incoming-call lookup uses the number filter only.
* **Attributes.**  Name attributes and number attributes are space-separated attribute
  names; both lists, and the attributes the display name uses, are asked for.  Every
  value of a number attribute becomes a dialable number of the entry, in the order of
  the setting (duplicates dropped).
* **Display name** must start with ``%`` (REQ-LDAP-21).  Reading of the manual's
  ``%FirstName`` example: every ``%<attribute>`` in the text is replaced by that
  attribute's first value and any other text is kept as written, so ``%cn`` shows the
  common name and ``%givenName %sn`` shows "Jane Doe".  If none of the named attributes
  is present in an entry, the first value of the first name attribute is shown, then the
  first number, then the DN, so a result never shows an empty line.
* **Max hits** 1–1000 is sent to the server as the search size limit, and the client
  also never returns more (REQ-LDAP-18).
* **Sorting** (REQ-LDAP-25, "alphabetical or numerical order"): by display name, case
  folded, with runs of digits compared as numbers ("Ext 9" before "Ext 10"); then by
  the first number.  Chinese names sort by code point (no pinyin collation is at hand).
  Off, results keep the server's order.
* **Transport**: ``LDAP`` (plain), ``StartTLS`` (plain connect, then the StartTLS
  extended operation before the bind) or ``LDAPS`` (TLS from the first byte).  Under
  TLS the server's certificate must chain to a trusted CA and name the server address;
  the trusted CAs are ``ca_pem`` when given, else the system's (the phone's built-in
  set).  StartTLS is an LDAPv3 extended operation, so it cannot go with version 2.
* **Bind**: with a user name, a simple bind with that name (a DN, or what the server
  takes, e.g. ``user@domain`` for Active Directory) and the password; without one, an
  anonymous bind.  A password without a user name is refused.
* **Read-only** (REQ-LDAP-03): the connection is opened with ldap3's ``read_only``, the
  API offers no write, and :class:`LdapEntry` is frozen.
* **Enable / lookups**: with LDAP disabled nothing is sent (REQ-LDAP-08): ``search``
  raises, the dial and incoming lookups return nothing.  ``dial_search`` honours "LDAP
  lookup for call-out", ``lookup_number`` "LDAP lookup for incoming call"; the incoming
  lookup accepts only an entry with a number *equal* to the caller's (spaces, hyphens,
  dots and brackets ignored), so 100 never takes the name of 1001.
* Every failure of the server is an :class:`LdapError` whose ``kind`` says which:
  ``unreachable`` (names server:port), ``untrusted`` (the certificate was not trusted),
  ``tls``, ``bind``, ``search``, ``disabled``, ``not-configured``.
"""
from __future__ import annotations

import ipaddress
import re
import ssl
from dataclasses import dataclass, field, fields
from typing import Iterable

import ldap3
from ldap3.core import exceptions as ldap_exc
from ldap3.operation.search import parse_filter
from ldap3.utils.conv import escape_filter_chars
from ldap3.utils.dn import parse_dn

TRANSPORTS = ("LDAP", "StartTLS", "LDAPS")
VERSIONS = (2, 3)
MAX_HITS_RANGE = (1, 1000)
CONNECT_TIMEOUT = 3        # seconds; the manual gives none
RECEIVE_TIMEOUT = 5        # seconds (ldap3 wants whole seconds for both)
MAX_TYPED = 64             # characters the search screen takes

_ATTR_RE = re.compile(r"[A-Za-z][A-Za-z0-9-]{0,63}")
_DISPLAY_TOKEN_RE = re.compile(r"%([A-Za-z][A-Za-z0-9-]*)")
_HOST_LABEL_RE = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
_STAR_RUN_RE = re.compile(r"\*{2,}")
_NUMBER_NOISE_RE = re.compile(r"[\s\-.()]")
_DIGITS_RE = re.compile(r"(\d+)")


class LdapSettingsError(ValueError):
    """A setting of §4.3.3.3 with a value it does not allow; names the field and what is allowed."""

    def __init__(self, field_name: str, value: object, allowed: str):
        self.field = field_name
        self.value = value
        self.allowed = allowed
        super().__init__(f"LDAP setting {field_name}: {value!r} is not allowed (allowed: {allowed})")


class LdapError(Exception):
    """The directory could not be searched.  ``kind`` says why, ``server`` is "host:port"."""

    def __init__(self, kind: str, server: str, message: str):
        self.kind = kind
        self.server = server
        super().__init__(message)


@dataclass(frozen=True)
class LdapSettings:
    """Every row of the manual's LDAP settings table (§4.3.3.3), checked when made.

    Defaults are the manual's examples where the example is a setting (filters,
    attributes, display name, port 389, version 3, max hits 50, lookups on), except
    that LDAP itself starts disabled and the server address and credentials start empty.
    """

    enabled: bool = False                                   # Enable LDAP
    label: str = "LDAP"                                     # LDAP label (directory title)
    name_filter: str = "(CallerIDName=%)"
    number_filter: str = "(AccountNumber=%)"
    transport: str = "LDAP"                                 # LDAP / StartTLS / LDAPS
    server: str = ""                                        # host name or IP address
    port: int = 389
    base: str = "dc=pbx,dc=com"
    user: str = ""
    password: str = ""
    max_hits: int = 50                                      # 1..1000
    name_attributes: str = "CallerIDName Email Department FirstName LastName"
    number_attributes: str = "AccountNumber MobileNumber HomeNumber Fax"
    display_name: str = "%FirstName"
    version: int = 3                                        # 2 or 3
    match_incoming: bool = True                             # LDAP lookup for incoming call
    search_while_dialing: bool = True                       # LDAP lookup for call-out
    sort_results: bool = True                               # LDAP sorting results

    def __post_init__(self) -> None:
        for f in fields(self):
            check = _CHECKS.get(f.name)
            if check is not None:
                check(f.name, getattr(self, f.name))
        if self.transport == "StartTLS" and self.version == 2:
            raise LdapSettingsError("transport", self.transport,
                                    "LDAP or LDAPS with protocol version 2 (StartTLS needs version 3)")
        if self.password and not self.user:
            raise LdapSettingsError("password", "***", "empty when user is empty (anonymous bind)")

    # -- derived ------------------------------------------------------------------------------
    @property
    def name_attribute_list(self) -> list[str]:
        return self.name_attributes.split()

    @property
    def number_attribute_list(self) -> list[str]:
        return self.number_attributes.split()

    @property
    def display_attribute_list(self) -> list[str]:
        return _DISPLAY_TOKEN_RE.findall(self.display_name)

    def requested_attributes(self) -> list[str]:
        """Name, number and display attributes, each once (case-insensitively), in that order."""
        seen: dict[str, str] = {}
        for name in self.name_attribute_list + self.number_attribute_list + self.display_attribute_list:
            seen.setdefault(name.lower(), name)
        return list(seen.values())


# -- field checks ------------------------------------------------------------------------------
def _check_bool(name: str, value: object) -> None:
    if not isinstance(value, bool):
        raise LdapSettingsError(name, value, "True or False (enabled / disabled)")


def _check_text(name: str, value: object, max_len: int, allow_empty: bool = True) -> None:
    if not isinstance(value, str) or _CONTROL_RE.search(value) or len(value) > max_len \
            or (not allow_empty and not value.strip()) or value != value.strip():
        empty = "" if allow_empty else "non-empty "
        raise LdapSettingsError(name, value, f"{empty}text of at most {max_len} characters, "
                                             "no control characters or leading/trailing spaces")


def _check_int(name: str, value: object, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise LdapSettingsError(name, value, f"a whole number from {low} to {high}")


def _check_filter(name: str, value: object) -> None:
    allowed = "an LDAP filter in parentheses containing % for the typed text, e.g. (cn=%)"
    if not isinstance(value, str) or "%" not in value or not value.strip().startswith("(") \
            or _CONTROL_RE.search(value) or len(value) > 512:
        raise LdapSettingsError(name, value, allowed)
    try:
        parse_filter(expand_filter(value, "x"), None, auto_escape=False, auto_encode=True,
                     validator=None, check_names=False)
    except Exception as exc:   # ldap3 raises several types for a malformed filter
        raise LdapSettingsError(name, value, f"{allowed} ({exc})") from None


def _check_transport(name: str, value: object) -> None:
    if value not in TRANSPORTS:
        raise LdapSettingsError(name, value, " / ".join(TRANSPORTS))


def _check_server(name: str, value: object) -> None:
    if not isinstance(value, str):
        raise LdapSettingsError(name, value, "a host name or an IP address")
    if value == "":
        return
    try:
        ipaddress.ip_address(value)
        return
    except ValueError:
        pass
    labels = value.rstrip(".").split(".")
    if len(value) > 253 or not all(_HOST_LABEL_RE.fullmatch(label) for label in labels) \
            or labels[-1].isdigit():
        raise LdapSettingsError(name, value, "a host name or an IP address (e.g. 192.168.17.30)")


def _check_base(name: str, value: object) -> None:
    allowed = "a DN such as dc=pbx,dc=com or ou=Sales,dc=pbx,dc=com"
    if not isinstance(value, str) or not value.strip() or _CONTROL_RE.search(value):
        raise LdapSettingsError(name, value, allowed)
    try:
        parse_dn(value)
    except Exception:
        raise LdapSettingsError(name, value, allowed) from None


def _check_attributes(name: str, value: object) -> None:
    allowed = "1 to 20 attribute names separated by spaces (letters, digits, '-'; starting with a letter)"
    if not isinstance(value, str):
        raise LdapSettingsError(name, value, allowed)
    names = value.split()
    if not 1 <= len(names) <= 20 or not all(_ATTR_RE.fullmatch(n) for n in names):
        raise LdapSettingsError(name, value, allowed)


def _check_display(name: str, value: object) -> None:
    allowed = "text starting with %<attribute>, e.g. %cn, %FirstName or %givenName %sn"
    if not isinstance(value, str) or not _DISPLAY_TOKEN_RE.match(value) or len(value) > 128 \
            or _CONTROL_RE.search(value):
        raise LdapSettingsError(name, value, allowed)


def _check_version(name: str, value: object) -> None:
    if isinstance(value, bool) or value not in VERSIONS:
        raise LdapSettingsError(name, value, "2 or 3")


_CHECKS = {
    "enabled": _check_bool, "match_incoming": _check_bool,
    "search_while_dialing": _check_bool, "sort_results": _check_bool,
    "label": lambda n, v: _check_text(n, v, 64, allow_empty=False),
    "name_filter": _check_filter, "number_filter": _check_filter,
    "transport": _check_transport, "server": _check_server,
    "port": lambda n, v: _check_int(n, v, 1, 65535),
    "base": _check_base,
    "user": lambda n, v: _check_text(n, v, 255),
    "password": lambda n, v: _check_text(n, v, 255),
    "max_hits": lambda n, v: _check_int(n, v, *MAX_HITS_RANGE),
    "name_attributes": _check_attributes, "number_attributes": _check_attributes,
    "display_name": _check_display,
    "version": _check_version,
}


# -- filters -----------------------------------------------------------------------------------
def expand_filter(template: str, typed: str) -> str:
    """The filter sent for ``typed``: ``%`` becomes the escaped text followed by ``*``.

    ``(CallerIDName=%)`` with ``J`` gives ``(CallerIDName=J*)``; ``(cn=*%*)`` with ``an``
    gives ``(cn=*an*)``; an empty input gives ``(cn=*)`` (every entry, up to max hits).
    """
    escaped = escape_filter_chars(typed)
    out = template.replace("%", escaped + "*")
    return _STAR_RUN_RE.sub("*", out)


def _combine(filters: Iterable[str]) -> str:
    unique = list(dict.fromkeys(filters))
    return unique[0] if len(unique) == 1 else "(|" + "".join(unique) + ")"


# -- results ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LdapEntry:
    """One search result, read-only: its display name and dialable numbers.

    ``numbers`` holds (attribute as configured, number) pairs in the order of the number
    attributes setting; ``details`` the values of the name attributes.
    """

    dn: str
    name: str
    numbers: tuple[tuple[str, str], ...] = ()
    details: tuple[tuple[str, str], ...] = ()

    @property
    def number(self) -> str:
        """The first dialable number ("" when the entry has none)."""
        return self.numbers[0][1] if self.numbers else ""

    @property
    def dialable(self) -> list[str]:
        return [n for _, n in self.numbers]


# Names of the same attribute in the standard schemas (RFC 4519, RFC 2798, PKCS #9).  A server
# answers with an attribute's first name (ask for "Fax", get "facsimileTelephoneNumber"), so a
# setting may use any of them without the client reading the server's schema.
_ALIAS_GROUPS = (
    ("cn", "commonName"), ("sn", "surname"), ("gn", "givenName"),
    ("facsimileTelephoneNumber", "fax"), ("mobile", "mobileTelephoneNumber"),
    ("homePhone", "homeTelephoneNumber"), ("pager", "pagerTelephoneNumber"),
    ("mail", "rfc822Mailbox"), ("email", "emailAddress", "pkcs9email"),
    ("uid", "userid"), ("ou", "organizationalUnitName"), ("o", "organizationName"),
    ("l", "localityName"), ("st", "stateOrProvinceName"), ("street", "streetAddress"),
    ("c", "countryName"), ("dc", "domainComponent"),
)
_ALIASES = {n.lower(): {m.lower() for m in group} for group in _ALIAS_GROUPS for n in group}


def _values(attributes: dict, name: str) -> list[str]:
    """The values of ``name`` in an ldap3 attribute dict, matched without regard to case or alias."""
    names = _ALIASES.get(name.lower(), {name.lower()})
    for key, value in attributes.items():
        if key.lower() in names:
            values = value if isinstance(value, (list, tuple)) else [value]
            found = [_text(v) for v in values if _text(v)]
            if found:
                return found
    return []


def _text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace").strip()
    return str(value).strip() if value is not None else ""


def normalise_number(number: str) -> str:
    """A number with spaces, hyphens, dots and brackets taken out (for equality only)."""
    return _NUMBER_NOISE_RE.sub("", number)


def _natural_key(text: str) -> tuple:
    return tuple(int(part) if part.isdigit() else part for part in _DIGITS_RE.split(text.casefold()))


def sort_key(entry: LdapEntry) -> tuple:
    """Alphabetical by display name, digit runs as numbers; then by first number."""
    return (_natural_key(entry.name), _natural_key(entry.number), entry.dn)


# -- the client ---------------------------------------------------------------------------------
@dataclass
class LdapDirectory:
    """The phone's LDAP directory: searches one server with the settings given.

    ``ca_pem`` is the trusted CA set (PEM, one or more certificates) for StartTLS and
    LDAPS; None means the system's CAs.  Each search opens its own connection (connect,
    StartTLS if asked, bind, search, unbind), as a phone does between key presses.
    """

    settings: LdapSettings
    ca_pem: bytes | None = None
    tls_context: ssl.SSLContext | None = None   # the phone's trusted certificates (§6.7); wins over ca_pem
    source_address: str | None = None           # the phone's own address (connections leave from it)
    last_filter: str = field(default="", init=False)

    @property
    def address(self) -> str:
        host = self.settings.server
        return f"[{host}]:{self.settings.port}" if ":" in host else f"{host}:{self.settings.port}"

    # -- what the phone asks --------------------------------------------------------------
    def search(self, typed: str) -> list[LdapEntry]:
        """Entries whose name or number matches what the user typed (search screen, §4.3.3.4)."""
        self._check_usable()
        text = self._typed(typed)
        s = self.settings
        return self._search(_combine([expand_filter(s.name_filter, text), expand_filter(s.number_filter, text)]))

    def dial_search(self, typed: str) -> list[LdapEntry]:
        """The pre-dial / dial-screen lookup: [] (nothing sent) unless LDAP and call-out lookup are on."""
        if not (self.settings.enabled and self.settings.search_while_dialing):
            return []
        return self.search(typed)

    def lookup_number(self, number: str) -> str | None:
        """The name to show for an incoming caller, or None.

        Nothing is sent unless LDAP and "lookup for incoming call" are on.  Only an entry
        holding a number equal to the caller's counts (a prefix match does not).  A server
        that fails raises :class:`LdapError` as ``search`` does; the caller (the incoming
        call screen) then shows the number alone.
        """
        s = self.settings
        text = self._typed(number)
        if not (s.enabled and s.match_incoming) or not text:
            return None
        self._check_usable()
        wanted = normalise_number(text)
        for entry in self._search(expand_filter(s.number_filter, text)):
            if any(normalise_number(n) == wanted for n in entry.dialable):
                return entry.name
        return None

    # -- internals ---------------------------------------------------------------------------
    def _check_usable(self) -> None:
        if not self.settings.enabled:
            raise LdapError("disabled", self.address, "LDAP is disabled (Enable LDAP is off); no query was sent")
        if not self.settings.server:
            raise LdapError("not-configured", self.address, "no LDAP server address is configured")

    @staticmethod
    def _typed(typed: str) -> str:
        if not isinstance(typed, str) or len(typed) > MAX_TYPED or _CONTROL_RE.search(typed):
            raise ValueError(f"search text {typed!r}: at most {MAX_TYPED} characters, no control characters")
        return typed.strip()

    def _tls(self) -> ldap3.Tls:
        if self.tls_context is not None:
            return _ContextTls(self.tls_context, self.settings.server)
        cadata = self.ca_pem.decode("ascii") if self.ca_pem else None
        return ldap3.Tls(validate=ssl.CERT_REQUIRED, ca_certs_data=cadata)

    def _connection(self) -> ldap3.Connection:
        s = self.settings
        use_tls = s.transport in ("StartTLS", "LDAPS")
        server = ldap3.Server(s.server, port=s.port, use_ssl=s.transport == "LDAPS",
                              tls=self._tls() if use_tls else None, get_info=ldap3.NONE,
                              connect_timeout=CONNECT_TIMEOUT)
        auth = ldap3.SIMPLE if s.user else ldap3.ANONYMOUS
        return ldap3.Connection(server, user=s.user or None, password=s.password or None,
                                version=s.version, authentication=auth, read_only=True,
                                raise_exceptions=False, receive_timeout=RECEIVE_TIMEOUT,
                                auto_referrals=False, auto_bind=ldap3.AUTO_BIND_NONE,
                                return_empty_attributes=False, source_address=self.source_address)

    def _search(self, ldap_filter: str) -> list[LdapEntry]:
        s = self.settings
        self.last_filter = ldap_filter
        conn = self._connection()
        try:
            self._open_and_bind(conn)
            try:
                conn.search(s.base, ldap_filter, search_scope=ldap3.SUBTREE,
                            attributes=s.requested_attributes(), size_limit=s.max_hits)
            except ldap_exc.LDAPException as exc:
                raise self._error(exc, "search") from exc
            code = conn.result.get("result")
            # 4 = sizeLimitExceeded: the server stopped at max hits, the entries are good
            if code not in (0, 4):
                raise LdapError("search", self.address,
                                f"LDAP server {self.address} refused the search under {s.base!r}: "
                                f"{conn.result.get('description')} {conn.result.get('message') or ''}".strip())
            entries = [self._entry(r) for r in conn.response or [] if r.get("type") == "searchResEntry"]
        finally:
            try:
                conn.unbind()
            except Exception:   # closing a broken connection: nothing more to learn
                pass
        entries = entries[:s.max_hits]
        if s.sort_results:
            entries.sort(key=sort_key)
        return entries

    def _open_and_bind(self, conn: ldap3.Connection) -> None:
        s = self.settings
        try:
            conn.open()
            if s.transport == "StartTLS":
                conn.start_tls()
            ok = conn.bind()
        except ldap_exc.LDAPException as exc:
            raise self._error(exc, "connect") from exc
        if not ok:
            who = f"user {s.user!r}" if s.user else "an anonymous bind"
            raise LdapError("bind", self.address,
                            f"LDAP server {self.address} refused {who}: {conn.result.get('description')}")

    def _error(self, exc: Exception, stage: str) -> LdapError:
        """One ldap3 failure as an LdapError that names the server and what went wrong."""
        text = _chain_text(exc)
        if "doesn't match any name" in text or isinstance(exc, ldap_exc.LDAPCertificateError):
            return LdapError("untrusted", self.address,
                             f"the certificate of LDAP server {self.address} was not trusted "
                             f"({self.settings.transport}): it does not name {self.settings.server}")
        if "CERTIFICATE_VERIFY_FAILED" in text:
            why = re.search(r"certificate verify failed: ([^(]*)", text)
            return LdapError("untrusted", self.address,
                             f"the certificate of LDAP server {self.address} was not trusted "
                             f"({self.settings.transport}): "
                             f"{why.group(1).strip() if why else _short(text)}")
        if isinstance(exc, ldap_exc.LDAPStartTLSError) or "ssl wrapping" in text or "SSLError" in text:
            return LdapError("tls", self.address,
                             f"TLS with LDAP server {self.address} failed ({self.settings.transport}): {_short(text)}")
        if isinstance(exc, (ldap_exc.LDAPSocketOpenError, ldap_exc.LDAPSocketReceiveError,
                            ldap_exc.LDAPSocketSendError, ldap_exc.LDAPSessionTerminatedByServerError)) \
                or stage == "connect":
            return LdapError("unreachable", self.address,
                             f"LDAP server {self.address} cannot be reached: {_short(text)}")
        return LdapError(stage, self.address, f"LDAP {stage} at {self.address} failed: {_short(text)}")

    def _entry(self, response: dict) -> LdapEntry:
        s = self.settings
        attrs = response.get("attributes") or {}
        numbers: list[tuple[str, str]] = []
        seen: set[str] = set()
        for name in s.number_attribute_list:
            for value in _values(attrs, name):
                if value not in seen:
                    seen.add(value)
                    numbers.append((name, value))
        details = tuple((name, v) for name in s.name_attribute_list for v in _values(attrs, name))
        dn = response.get("dn", "")
        return LdapEntry(dn=dn, name=self._display(attrs, details, numbers) or dn,
                         numbers=tuple(numbers), details=details)

    def _display(self, attrs: dict, details, numbers) -> str:
        found = False

        def fill(m: re.Match) -> str:
            nonlocal found
            values = _values(attrs, m.group(1))
            found = found or bool(values)
            return values[0] if values else ""

        text = " ".join(_DISPLAY_TOKEN_RE.sub(fill, self.settings.display_name).split())
        if found and text:
            return text
        if details:
            return details[0][1]
        return numbers[0][1] if numbers else ""


class _ContextTls(ldap3.Tls):
    """ldap3's TLS with a ready ``ssl.SSLContext`` (the phone's trust store decides, as for HTTPS).

    The context checks the chain and, when it asks for it, the server's name; ldap3's own
    name check is not used.
    """

    def __init__(self, context: ssl.SSLContext, host: str):
        super().__init__(validate=context.verify_mode)
        self.context, self.host = context, host

    def wrap_socket(self, connection, do_handshake=False):
        name = self.host if self.context.check_hostname else None
        connection.socket = self.context.wrap_socket(connection.socket, server_side=False,
                                                     do_handshake_on_connect=do_handshake,
                                                     server_hostname=name)


def _chain_text(exc: BaseException) -> str:
    parts, seen = [], set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        parts.append(f"{type(exc).__name__}: {exc}")
        exc = exc.__cause__ or exc.__context__
    return " <- ".join(parts)


def _short(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[:limit] + "…"
