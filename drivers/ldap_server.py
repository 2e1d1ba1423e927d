"""The bench's LDAP server: a real OpenLDAP ``slapd`` holding a test phone book.

The H680 manual (§4.3.3) lets the phone look names and numbers up in an LDAP directory
(OpenLDAP is one of the four servers it names), over plain LDAP, StartTLS or LDAPS.  This
driver runs one self-contained slapd for the tests and the features:

* its own ``slapd.conf`` in a run directory (nothing under ``/etc`` is read for the
  configuration except the stock schema files, nothing anywhere is written outside the
  run directory), an ``mdb`` database under ``base`` (``dc=h680,dc=test``), filled with
  ``slapadd`` from an LDIF that :func:`build_directory` makes;
* three ways in: ``ldap://addr:port`` (plain), StartTLS on that same port, and
  ``ldaps://addr:tls_port``; a throw-away CA and a server certificate (names: the IP
  address and ``localhost``) are made with the ``openssl`` command at each start, and the
  CA's PEM is ``server.ca_pem`` for the phone's trust store;
* LDAPv2 binds are allowed (``allow bind_v2``), since the manual says the phone talks v2
  and v3 (REQ-LDAP-01, REQ-LDAP-22);
* reading the phone books needs a bind (admin or the read-only ``phone`` user) unless the
  server is made with ``anonymous_read=True``, so that the phone's user name and password
  (REQ-LDAP-17) are really exercised;
* the server runs in the foreground with the ``stats`` log level, so every bind, search
  (base, scope, filter) and StartTLS the phone sends is in ``server.log_path``, which is
  the "LDAP server log" that the requirements name as evidence; :meth:`LdapServer.searches`
  parses it.

The directory schema.  The people are ``inetOrgPerson`` entries (``cn``, ``givenName``,
``sn``, ``telephoneNumber``, ``mobile``, ``homePhone``, ``mail``, ``ou``) with two
auxiliary classes defined here: ``h680Extension`` carries ``ipPhone`` (the attribute name
Active Directory uses for an IP-phone extension), and ``h680PbxContact`` carries the
IP-PBX attribute names that the manual's examples use (``CallerIDName``,
``AccountNumber``, ``MobileNumber``, ``HomeNumber``, ``FirstName``, ``LastName``,
``Department``; ``Email`` and ``Fax`` are stock aliases of ``email`` / ``facsimileTelephoneNumber``),
so the manual's own example settings such as ``(CallerIDName=%)`` and ``%FirstName`` work
literally against this server.

Names, phone books and numbers are chosen so filters and max-hits matter: several first
names share prefixes (Ja…, Jo…, Chr…), a dozen people have Chinese names (several share
the family name 张, 王 or 李), extensions are 4 digits 1001… so number prefixes select
groups, and the people sit in two phone books (``ou=Sales`` and ``ou=Engineering``) so a
base of one phone book searches only that one (REQ-LDAP-16).  ``bulk`` adds a third phone
book ``ou=Bulk`` with that many generated entries, to test max hits near 1000.

Life cycle: ``with LdapServer(...) as server:`` starts slapd, waits (polling, with a
deadline) until an admin bind answers on the plain and the LDAPS URL, and stops it by its
PID on exit (SIGTERM, wait with a deadline, SIGKILL).  A server that does not come up is a
``LabError("ldap-server", ...)`` carrying the tail of slapd's log.
"""
from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .certificates import generate_ca, generate_server_certificate
from .errors import LabError
from .process import ManagedProcess
from .wait import WaitTimeout, wait_until

PART = "ldap-server"
SLAPD_CANDIDATES = ("/usr/sbin/slapd", "slapd")
SCHEMA_DIR = Path("/etc/ldap/schema")
MODULE_DIR = Path("/usr/lib/ldap")
DEFAULT_BASE = "dc=h680,dc=test"
ADMIN_PASSWORD = "h680-admin"
PHONE_USER_PASSWORD = "h680-phone"
STARTTLS_OID = "1.3.6.1.4.1.1466.20037"

# OIDs under 2.25 (a UUID turned into an integer, ITU-T X.667): unique without registration.
_OID = "2.25.190384012234567341629104418921874712365"

# Attributes of the IP-PBX style (the manual's examples) and ipPhone (Active Directory's
# name; its real AD OID is kept).  Names get case-insensitive equality and substring
# matching, numbers telephone-number matching (spaces and hyphens ignored).
_NAME_SYNTAX = ("EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch "
                "ORDERING caseIgnoreOrderingMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15")
_NUMBER_SYNTAX = ("EQUALITY telephoneNumberMatch SUBSTR telephoneNumberSubstringsMatch "
                  "SYNTAX 1.3.6.1.4.1.1466.115.121.1.50")
_PBX_NAME_ATTRS = ("CallerIDName", "FirstName", "LastName", "Department")
_PBX_NUMBER_ATTRS = ("AccountNumber", "MobileNumber", "HomeNumber")
# "Email" and "Fax" already exist in the stock schemas, as aliases of emailAddress (core.schema,
# pkcs9) and facsimileTelephoneNumber; the auxiliary class allows the former, inetOrgPerson the latter.


def _schema_text() -> str:
    lines = [f"# h680-hil test schema (made by {__name__})",
             f"attributetype ( 1.2.840.113556.1.4.721 NAME 'ipPhone' {_NUMBER_SYNTAX} )"]
    for n, name in enumerate(_PBX_NAME_ATTRS + _PBX_NUMBER_ATTRS, start=1):
        syntax = _NAME_SYNTAX if name in _PBX_NAME_ATTRS else _NUMBER_SYNTAX
        lines.append(f"attributetype ( {_OID}.1.{n} NAME '{name}' {syntax} )")
    lines.append(f"objectclass ( {_OID}.2.1 NAME 'h680Extension' AUXILIARY MAY ( ipPhone ) )")
    lines.append(f"objectclass ( {_OID}.2.2 NAME 'h680PbxContact' AUXILIARY "
                 f"MAY ( {' $ '.join(_PBX_NAME_ATTRS + _PBX_NUMBER_ATTRS + ('email',))} ) )")
    return "\n".join(lines) + "\n"


# -- the test directory ------------------------------------------------------------------
@dataclass(frozen=True)
class Person:
    """One person of the test phone book.

    ``uid`` names the entry (``uid=<uid>,ou=<phonebook>,<base>``).  ``cn`` is
    "given family" for Latin names and "family given" without a space for Chinese ones,
    the way each is written.  Every number is digits only, as a phone dials it.
    """

    uid: str
    given_name: str
    surname: str
    phonebook: str                      # "Sales", "Engineering" or "Bulk"
    extension: str                      # ipPhone and AccountNumber
    office: tuple[str, ...] = ()        # telephoneNumber (may hold several)
    mobile: str = ""                    # mobile and MobileNumber
    home: str = ""                      # homePhone and HomeNumber
    fax: str = ""                       # facsimileTelephoneNumber and Fax
    chinese: bool = False

    @property
    def cn(self) -> str:
        return f"{self.surname}{self.given_name}" if self.chinese else f"{self.given_name} {self.surname}"

    @property
    def mail(self) -> str:
        return f"{self.uid}@h680.test"

    def dn(self, base: str) -> str:
        return f"uid={self.uid},ou={self.phonebook},{base}"

    def attributes(self) -> dict[str, list[str]]:
        """Every attribute of the entry (objectClass included), in a stable order."""
        attrs: dict[str, list[str]] = {
            "objectClass": ["inetOrgPerson", "h680Extension", "h680PbxContact"],
            "uid": [self.uid], "cn": [self.cn], "givenName": [self.given_name],
            "sn": [self.surname], "displayName": [self.cn], "ou": [self.phonebook],
            "mail": [self.mail], "ipPhone": [self.extension],
            "CallerIDName": [self.cn], "FirstName": [self.given_name],
            "LastName": [self.surname], "email": [self.mail], "Department": [self.phonebook],
            "AccountNumber": [self.extension],
        }
        if self.office:
            attrs["telephoneNumber"] = list(self.office)
        if self.mobile:
            attrs["mobile"] = [self.mobile]
            attrs["MobileNumber"] = [self.mobile]
        if self.home:
            attrs["homePhone"] = [self.home]
            attrs["HomeNumber"] = [self.home]
        if self.fax:
            attrs["facsimileTelephoneNumber"] = [self.fax]   # also readable as "Fax"
        return attrs


# (given name, surname, phone book, chinese).  Prefixes shared on purpose: Ja-, Jo-, Chr-,
# Mar-, and the family names 张 / 王 / 李.
_PEOPLE = (
    ("James", "Smith", "Sales", False), ("Jane", "Doe", "Sales", False),
    ("Janet", "Walker", "Engineering", False), ("Jason", "Brown", "Engineering", False),
    ("Jack", "Wilson", "Sales", False), ("John", "Taylor", "Engineering", False),
    ("Johnny", "Cash", "Sales", False), ("Joan", "Miller", "Engineering", False),
    ("Christine", "Moore", "Sales", False), ("Christopher", "Clark", "Engineering", False),
    ("Chris", "Lewis", "Sales", False), ("Maria", "Garcia", "Engineering", False),
    ("Mark", "Johnson", "Sales", False), ("Martin", "Young", "Engineering", False),
    ("Alice", "Martin", "Sales", False), ("Bob", "King", "Engineering", False),
    ("Carol", "Wright", "Sales", False), ("David", "Scott", "Engineering", False),
    ("Emma", "Green", "Sales", False), ("Frank", "Baker", "Engineering", False),
    ("Grace", "Adams", "Sales", False), ("Henry", "Nelson", "Engineering", False),
    ("Irene", "Hill", "Sales", False), ("Kevin", "Campbell", "Engineering", False),
    ("Laura", "Mitchell", "Sales", False), ("Nina", "Roberts", "Engineering", False),
    ("Oscar", "Turner", "Sales", False), ("Paul", "Phillips", "Engineering", False),
    ("伟", "张", "Sales", True), ("敏", "张", "Engineering", True),
    ("静", "张", "Sales", True), ("芳", "王", "Engineering", True),
    ("磊", "王", "Sales", True), ("娜", "李", "Engineering", True),
    ("强", "李", "Sales", True), ("洋", "刘", "Engineering", True),
    ("杰", "陈", "Sales", True), ("丽", "赵", "Engineering", True),
    ("军", "黄", "Sales", True), ("秀英", "周", "Engineering", True),
)

# Romanised uids for the Chinese names (an entry's RDN stays ASCII, as in most real books).
_PINYIN = {"伟": "wei", "敏": "min", "静": "jing", "芳": "fang", "磊": "lei", "娜": "na",
           "强": "qiang", "洋": "yang", "杰": "jie", "丽": "li", "军": "jun", "秀英": "xiuying",
           "张": "zhang", "王": "wang", "李": "li", "刘": "liu", "陈": "chen", "赵": "zhao",
           "黄": "huang", "周": "zhou"}


def build_directory(bulk: int = 0) -> list[Person]:
    """The test phone book: 40 people in ou=Sales / ou=Engineering, plus ``bulk`` generated ones.

    Extensions run 1001, 1002, … in list order; office numbers are ``05925503`` + extension;
    mobiles are ``1380013`` + a 4-digit serial; every fifth person has no mobile, every
    third a home number, every seventh a fax, and the first two a second office line.
    Bulk entries ("Bulk 0001" …, extensions 20001 …) sit in ``ou=Bulk``.
    """
    people: list[Person] = []
    for i, (given, sn, book, chinese) in enumerate(_PEOPLE):
        ext = str(1001 + i)
        uid = (f"{_PINYIN[sn]}.{_PINYIN[given]}" if chinese else f"{given}.{sn}").lower()
        office = (f"05925503{ext}",) + ((f"05925504{ext}",) if i < 2 else ())
        people.append(Person(
            uid=uid, given_name=given, surname=sn, phonebook=book, extension=ext,
            office=office,
            mobile="" if i % 5 == 4 else f"1380013{i + 1:04d}",
            home=f"05927700{i + 1:04d}" if i % 3 == 0 else "",
            fax=f"05925509{ext}" if i % 7 == 0 else "",
            chinese=chinese))
    for n in range(1, bulk + 1):
        people.append(Person(uid=f"bulk{n:04d}", given_name="Bulk", surname=f"{n:04d}",
                             phonebook="Bulk", extension=str(20000 + n),
                             office=(f"0592600{20000 + n}",)))
    return people


def _ldif_line(name: str, value: str) -> str:
    """One LDIF attribute line; base64 (``name:: ...``) for anything not plain ASCII (RFC 2849)."""
    safe = value.isascii() and value == value.strip() and not value.startswith((":", "<")) \
        and all(32 <= ord(c) < 127 for c in value)
    if safe:
        return f"{name}: {value}"
    return f"{name}:: {base64.b64encode(value.encode('utf-8')).decode('ascii')}"


def directory_ldif(base: str, people: list[Person], phone_user_password: str = PHONE_USER_PASSWORD) -> str:
    """The LDIF for ``slapadd``: the base, one ou per phone book, a read-only phone user, the people."""
    dc = base.split(",")[0].split("=", 1)[1]
    blocks = [[f"dn: {base}", "objectClass: dcObject", "objectClass: organization",
               "o: H680 test company", f"dc: {dc}"],
              [f"dn: cn=phone,{base}", "objectClass: organizationalRole",
               "objectClass: simpleSecurityObject", "cn: phone",
               "description: read-only account the phones bind with",
               _ldif_line("userPassword", ssha(phone_user_password))]]
    for book in sorted({p.phonebook for p in people}, key=["Sales", "Engineering", "Bulk"].index):
        blocks.append([f"dn: ou={book},{base}", "objectClass: organizationalUnit", f"ou: {book}"])
    for person in people:
        lines = [f"dn: {person.dn(base)}"]
        for name, values in person.attributes().items():
            lines.extend(_ldif_line(name, v) for v in values)
        blocks.append(lines)
    return "\n\n".join("\n".join(b) for b in blocks) + "\n"


def ssha(password: str) -> str:
    """``{SSHA}`` hash of a password, the form slapd stores and checks."""
    salt = os.urandom(8)
    digest = hashlib.sha1(password.encode("utf-8") + salt).digest()
    return "{SSHA}" + base64.b64encode(digest + salt).decode("ascii")


# -- certificates ------------------------------------------------------------------------
# -- the server ----------------------------------------------------------------------------
_SEARCH_RE = re.compile(r'conn=(\d+) op=(\d+) SRCH base="(.*)" scope=(\d) deref=\d+ filter="(.*)"$')
_ATTRS_RE = re.compile(r"conn=(\d+) op=(\d+) SRCH attr=(.*)$")
_BIND_RE = re.compile(r'conn=(\d+) op=(\d+) BIND dn="(.*)" method=(\d+)')


@dataclass
class SearchRecord:
    """One search request as slapd logged it (the "LDAP server log" evidence)."""

    conn: int
    op: int
    base: str
    scope: int                      # 0 base, 1 one level, 2 subtree
    filter: str
    attributes: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The filter with slapd's ``\\XX`` escapes of non-ASCII bytes turned back into UTF-8."""
        raw = re.sub(rb"\\([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]),
                     self.filter.encode("utf-8"))
        return raw.decode("utf-8", "replace")


def _free_port(address: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((address, 0))
        return probe.getsockname()[1]


def _find_slapd() -> str:
    for candidate in SLAPD_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    raise LabError(PART, "slapd is not installed: apt-get install slapd ldap-utils "
                         "(Debian packages; the bench needs both)")


class LdapServer:
    """One slapd serving the test phone book on ``address``: plain+StartTLS on ``port``, LDAPS on ``tls_port``.

    ``port`` / ``tls_port`` of 0 (the default) pick free ports.  ``run_dir`` holds the
    configuration, database, certificates and log; without one a temporary directory is
    made and removed at stop.  ``people`` defaults to :func:`build_directory` (``bulk``
    extra entries).  ``cert_names`` are the names the server certificate carries
    (default: the address and ``localhost``); leave the address out to test a client
    that must refuse a certificate naming some other host.
    """

    def __init__(self, address: str = "127.0.0.1", port: int = 0, tls_port: int = 0,
                 base: str = DEFAULT_BASE, admin_password: str = ADMIN_PASSWORD,
                 phone_password: str = PHONE_USER_PASSWORD, people: list[Person] | None = None,
                 bulk: int = 0, anonymous_read: bool = False, run_dir: Path | None = None,
                 cert_names: tuple[str, ...] | None = None):
        if not re.fullmatch(r"dc=[a-z0-9-]+(,dc=[a-z0-9-]+)*", base):
            raise ValueError(f"base {base!r}: use dc=…,dc=… with lower-case letters, digits, '-'")
        if not address.startswith("127."):
            raise ValueError(f"address {address!r}: the LDAP test server listens on loopback (127.x.x.x) only")
        self.address = address
        self.port = int(port) or _free_port(address)
        self.tls_port = int(tls_port) or _free_port(address)
        if self.port == self.tls_port:
            raise ValueError(f"port and tls_port are both {self.port}; they must differ")
        self.base = base
        self.admin_dn = f"cn=admin,{base}"
        self.admin_password = admin_password
        self.phone_dn = f"cn=phone,{base}"
        self.phone_password = phone_password
        self.people = list(people) if people is not None else build_directory(bulk)
        self.anonymous_read = anonymous_read
        self.cert_names = tuple(cert_names) if cert_names else (address, "localhost")
        self._own_dir = run_dir is None
        self.run_dir = Path(run_dir) if run_dir else None
        self._proc: ManagedProcess | None = None
        self.ca_pem: bytes = b""

    # -- addresses -------------------------------------------------------------------------
    @property
    def url(self) -> str:
        """Plain LDAP (and StartTLS) URL."""
        return f"ldap://{self.address}:{self.port}"

    @property
    def ldaps_url(self) -> str:
        return f"ldaps://{self.address}:{self.tls_port}"

    @property
    def log_path(self) -> Path:
        assert self.run_dir is not None
        return self.run_dir / "slapd.log"

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None and self._proc.alive() else None

    def phonebook_dn(self, name: str) -> str:
        return f"ou={name},{self.base}"

    # -- configuration -----------------------------------------------------------------------
    def render_conf(self) -> str:
        """slapd.conf for this instance: stock schemas + ours, TLS files, one mdb database."""
        assert self.run_dir is not None
        d = self.run_dir
        read = "by users read by anonymous read" if self.anonymous_read else "by users read by anonymous auth"
        return "\n".join([
            f"# slapd for the h680-hil bench (made by {__name__}); only this file configures it",
            *(f"include {SCHEMA_DIR / s}" for s in ("core.schema", "cosine.schema", "inetorgperson.schema")),
            f"include {d / 'h680.schema'}",
            f"pidfile {d / 'slapd.pid'}",
            f"argsfile {d / 'slapd.args'}",
            f"modulepath {MODULE_DIR}",
            "moduleload back_mdb",
            "allow bind_v2",
            "sizelimit unlimited",
            "timelimit 10",
            f"TLSCACertificateFile {d / 'tls' / 'ca.pem'}",
            f"TLSCertificateFile {d / 'tls' / 'server.pem'}",
            f"TLSCertificateKeyFile {d / 'tls' / 'server.key'}",
            "",
            "database mdb",
            "maxsize 268435456",
            f'suffix "{self.base}"',
            f'rootdn "{self.admin_dn}"',
            f"rootpw {ssha(self.admin_password)}",
            f"directory {d / 'db'}",
            "index objectClass eq",
            "index cn,givenName,sn,CallerIDName,FirstName,LastName eq,sub",
            "index telephoneNumber,mobile,ipPhone,AccountNumber,MobileNumber eq,sub",
            "access to attrs=userPassword by self write by anonymous auth by * none",
            f"access to * {read}",
            "",
        ])

    def _prepare(self) -> None:
        if self.run_dir is None:
            self.run_dir = Path(tempfile.mkdtemp(prefix="h680-slapd-"))
        d = self.run_dir
        for sub in ("db", "tls"):
            path = d / sub
            if path.exists():
                shutil.rmtree(path)
            path.mkdir(parents=True)
        ca_pem, ca_key = generate_ca(d / "tls", "h680-hil throw-away LDAP CA")
        generate_server_certificate(d / "tls", ca_pem, ca_key, self.cert_names)
        self.ca_pem = ca_pem.read_bytes()
        (d / "h680.schema").write_text(_schema_text())
        (d / "slapd.conf").write_text(self.render_conf())
        (d / "directory.ldif").write_text(directory_ldif(self.base, self.people, self.phone_password),
                                          encoding="utf-8")
        # client-side settings for the ldap-utils readiness probe (never /etc/ldap/ldap.conf);
        # it checks the certificate fully unless the certificate is meant not to name the address
        check = "demand" if self.address in self.cert_names else "allow"
        (d / "ldaprc").write_text(f"TLS_CACERT {d / 'tls' / 'ca.pem'}\nTLS_REQCERT {check}\n")
        slapadd = shutil.which("slapadd") or "/usr/sbin/slapadd"
        try:
            done = subprocess.run([slapadd, "-q", "-f", str(d / "slapd.conf"), "-l", str(d / "directory.ldif")],
                                  capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise LabError(PART, f"slapadd could not load the test directory: {exc}") from None
        if done.returncode != 0:
            raise LabError(PART, f"slapadd refused the test directory ({d / 'directory.ldif'}):\n"
                                 f"{(done.stdout + done.stderr).strip()[-1500:]}")

    # -- life cycle --------------------------------------------------------------------------
    def start(self, timeout: float = 10.0) -> "LdapServer":
        """Build the config, certificates and database, start slapd, wait until binds answer."""
        if self.pid is not None:
            return self
        slapd = _find_slapd()
        for port in (self.port, self.tls_port):
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
                try:
                    probe.bind((self.address, port))
                except OSError as exc:
                    raise LabError(PART, f"cannot listen on {self.address}:{port}: {exc.strerror} "
                                         "(another server there?)") from None
        try:
            self._prepare()
        except BaseException:
            self._remove_dir()
            raise
        d = self.run_dir
        assert d is not None
        argv = [slapd, "-d", "stats", "-f", str(d / "slapd.conf"),
                "-h", f"ldap://{self.address}:{self.port}/ ldaps://{self.address}:{self.tls_port}/"]
        with open(self.log_path, "ab") as log:
            log.write(f"--- {time.strftime('%Y-%m-%d %H:%M:%S')} {' '.join(argv)}\n".encode())
        try:
            self._proc = ManagedProcess(PART, argv, self.log_path, cwd=d).start()
        except LabError:
            self._remove_dir()
            raise
        try:
            wait_until(self._ready, timeout=timeout, interval=0.05,
                       what=f"slapd answering binds on {self.url} (plain and StartTLS) and {self.ldaps_url}")
        except (WaitTimeout, _Exited) as exc:
            tail = self._proc.log_tail(25)
            self.stop()
            raise LabError(PART, f"slapd on {self.address}:{self.port}/{self.tls_port} did not start: "
                                 f"{exc}\n--- tail of slapd's log:\n{tail}") from None
        return self

    def _ready(self) -> bool:
        assert self._proc is not None and self._proc.popen is not None
        if not self._proc.alive():
            raise _Exited(f"slapd exited with code {self._proc.popen.returncode}")
        return self._whoami(self.url) and self._whoami(self.url, starttls=True) \
            and self._whoami(self.ldaps_url)

    def _whoami(self, url: str, starttls: bool = False) -> bool:
        """One admin bind with ldapwhoami (after StartTLS if asked); True when the server answered it."""
        assert self.run_dir is not None
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(self.run_dir),
               "LDAPCONF": str(self.run_dir / "ldaprc"), "LDAPRC": "ldaprc-none"}
        try:
            done = subprocess.run(["ldapwhoami", "-x", "-H", url, *(["-ZZ"] if starttls else []),
                                   "-D", self.admin_dn, "-w", self.admin_password, "-o", "nettimeout=1"],
                                  capture_output=True, text=True, timeout=3, env=env, cwd=self.run_dir)
        except FileNotFoundError:
            raise LabError(PART, "ldapwhoami is missing: apt-get install ldap-utils") from None
        except subprocess.TimeoutExpired:
            return False
        return done.returncode == 0

    def stop(self) -> None:
        """Stop slapd by its PID (SIGTERM, wait, SIGKILL) and remove a temporary run dir.  Safe twice."""
        proc, self._proc = self._proc, None
        if proc is not None:
            proc.stop(timeout=5.0)
        self._remove_dir()

    def _remove_dir(self) -> None:
        if self._own_dir and self.run_dir is not None:
            shutil.rmtree(self.run_dir, ignore_errors=True)
            self.run_dir = None

    def __enter__(self) -> "LdapServer":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"LdapServer({self.url}, {self.ldaps_url}, pid={self.pid})"

    # -- evidence ------------------------------------------------------------------------------
    def log_lines(self) -> list[str]:
        try:
            return self.log_path.read_text(errors="replace").splitlines()
        except (OSError, AssertionError):
            return []

    def searches(self) -> list[SearchRecord]:
        """Every search slapd has logged so far, with the attributes it was asked for."""
        records: dict[tuple[int, int], SearchRecord] = {}
        for line in self.log_lines():
            if m := _SEARCH_RE.search(line):
                key = (int(m.group(1)), int(m.group(2)))
                records[key] = SearchRecord(key[0], key[1], m.group(3), int(m.group(4)), m.group(5))
            elif (m := _ATTRS_RE.search(line)) and (int(m.group(1)), int(m.group(2))) in records:
                records[(int(m.group(1)), int(m.group(2)))].attributes = m.group(3).split()
        return list(records.values())

    def binds(self) -> list[tuple[int, str]]:
        """Every (connection, bind DN) slapd has logged so far."""
        return [(int(m.group(1)), m.group(3)) for line in self.log_lines() if (m := _BIND_RE.search(line))]

    def log_mark(self) -> int:
        """How many log lines there are now; pass to :meth:`lines_since` to see what came after."""
        return len(self.log_lines())

    def lines_since(self, mark: int) -> list[str]:
        return self.log_lines()[mark:]


class _Exited(Exception):
    """slapd ended while we waited for it to become ready."""
