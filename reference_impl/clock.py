"""Time and date of the reference H680 (manual §4.1.2): display formats, DST, the phone's clock, SNTP.

What the manual asks (REQ-TIME-01..21), in short: the idle screen shows the time; the time comes
from a primary or secondary SNTP server re-queried every "synchronisation period" seconds, or is
typed in by hand; daylight saving time is either automatic (pick a location) or manual (start and
end given by date or by week); the clock shows 12- or 24-hour time and one of seven date formats.

This module is pure logic plus a small SNTP client; the phone's screens and web page use it.

Interpretations (the manual leaves these open):

* **Date formats.** The Chinese table (7 April 2020) governs the Chinese UI, the English table
  (12 August 2020) the English UI (REQ-TIME-21).  Days and months are zero-padded in the four
  compact forms (indexes 1-4: ``20-04-07``, ``12/Aug/20``) and unpadded in the three word forms
  (indexes 0, 5, 6: ``4月7日``, ``12 Aug.2020``), following the Chinese examples.  The manual labels
  both index 2 and index 5 ``YYYY MM DD``; :func:`date_format_choices` adds the example so a
  drop-down can tell them apart (REQ-TIME-19).
* **12-hour time** is ``h:MM AM``/``h:MM PM`` with no leading zero (``2:05 PM``); midnight is
  ``12:00 AM`` and noon ``12:00 PM``.  The same Latin AM/PM is used in both languages, since the
  manual shows no Chinese form.  **24-hour time** is ``HH:MM`` (``14:05``).  No seconds.
* **Manual DST.** The start is given in local *standard* time and the end in local *daylight* time
  (the wall clock the user sees at that moment), as regulations word it ("2:00 a.m. local time" at
  both ends in the US).  The DST period includes its start instant and excludes its end instant.
  A start later in the year than the end is a southern-hemisphere rule (DST spans the new year).
  A by-date day past the end of the month (29 February in a common year) means the month's last day.
  The offset (not given by the manual, REQ-TIME-11) defaults to 60 minutes.
* **Automatic DST.** A location is a time zone of the IANA database (Python's ``zoneinfo``); it
  decides the whole local time (standard offset and DST), since a location's DST rule only makes
  sense with its own offset.  The time-zone offset setting is used when DST is off or manual.
"""
from __future__ import annotations

import calendar
import socket
import struct
import threading
import time
from dataclasses import dataclass
from datetime import date, datetime, time as dtime, timedelta, timezone
from typing import Callable, Literal, Union
from zoneinfo import ZoneInfo

# ---------------------------------------------------------------------------------------------
# Date and time display
# ---------------------------------------------------------------------------------------------

Language = Literal["en", "zh"]
LANGUAGES = ("en", "zh")

#: The labels of the seven date formats as each manual prints them (index = option number).
DATE_FORMAT_LABELS: dict[str, tuple[str, ...]] = {
    "zh": ("MM DD WWWW", "YY MM DD", "YYYY MM DD", "YYYY/MM/DD", "YY/MM/DD", "YYYY MM DD", "MM DD WW"),
    "en": ("MM DD WWW", "YY MM DD", "YYYY MM DD", "YYYY/MM/DD", "YY/MM/DD", "YYYY MM DD", "MM DD WW"),
}
DATE_FORMAT_COUNT = 7

_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_EN_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_ZH_DIGITS = ("一", "二", "三", "四", "五", "六", "日")   # Monday .. Sunday


def _check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise ValueError(f"language {language!r}: allowed are {', '.join(LANGUAGES)}")


def _check_format_index(fmt_index: int) -> None:
    if not isinstance(fmt_index, int) or isinstance(fmt_index, bool) \
            or not 0 <= fmt_index < DATE_FORMAT_COUNT:
        raise ValueError(f"date format {fmt_index!r}: allowed are the integers 0..{DATE_FORMAT_COUNT - 1}")


def format_date(d: date, fmt_index: int, language: Language = "en") -> str:
    """The date as the LCD shows it in date format ``fmt_index`` (0..6) for the UI ``language``.

    Chinese, 7 April 2020: ``4月7日 星期二``, ``20-04-07``, ``2020-04-07``, ``2020/04/07``,
    ``20/04/07``, ``2020年4月7日``, ``4月7日 周二``.  English, 12 August 2020: ``Wed,Aug 12``,
    ``12-Aug-20``, ``2020-Aug-12``, ``12/Aug/2020``, ``12/Aug/20``, ``12 Aug.2020``, ``Wed 12,Aug``.
    """
    _check_format_index(fmt_index)
    _check_language(language)
    y4, y2 = f"{d.year:04d}", f"{d.year % 100:02d}"
    if language == "zh":
        week_long, week_short = f"星期{_ZH_DIGITS[d.weekday()]}", f"周{_ZH_DIGITS[d.weekday()]}"
        return (
            f"{d.month}月{d.day}日 {week_long}",
            f"{y2}-{d.month:02d}-{d.day:02d}",
            f"{y4}-{d.month:02d}-{d.day:02d}",
            f"{y4}/{d.month:02d}/{d.day:02d}",
            f"{y2}/{d.month:02d}/{d.day:02d}",
            f"{y4}年{d.month}月{d.day}日",
            f"{d.month}月{d.day}日 {week_short}",
        )[fmt_index]
    mon, wd = _EN_MONTHS[d.month - 1], _EN_WEEKDAYS[d.weekday()]
    return (
        f"{wd},{mon} {d.day}",
        f"{d.day:02d}-{mon}-{y2}",
        f"{y4}-{mon}-{d.day:02d}",
        f"{d.day:02d}/{mon}/{y4}",
        f"{d.day:02d}/{mon}/{y2}",
        f"{d.day} {mon}.{y4}",
        f"{wd} {d.day},{mon}",
    )[fmt_index]


def date_format_choices(language: Language = "en", sample: date | None = None) -> list[tuple[int, str]]:
    """(index, label) pairs for a drop-down, each label followed by an example so that the two
    options the manual both calls ``YYYY MM DD`` can be told apart (REQ-TIME-19)."""
    _check_language(language)
    sample = sample or (date(2020, 4, 7) if language == "zh" else date(2020, 8, 12))
    return [(i, f"{label} ({format_date(sample, i, language)})")
            for i, label in enumerate(DATE_FORMAT_LABELS[language])]


def format_time(t: Union[dtime, datetime], hour24: bool) -> str:
    """``14:05`` in 24-hour mode, ``2:05 PM`` in 12-hour mode (midnight ``12:00 AM``)."""
    if not isinstance(t, (dtime, datetime)):
        raise ValueError(f"time {t!r}: a datetime.time or datetime.datetime is needed")
    if hour24:
        return f"{t.hour:02d}:{t.minute:02d}"
    hour12 = t.hour % 12 or 12
    return f"{hour12}:{t.minute:02d} {'AM' if t.hour < 12 else 'PM'}"


# ---------------------------------------------------------------------------------------------
# Daylight saving time
# ---------------------------------------------------------------------------------------------

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")   # index = Python weekday()
LAST_WEEK = 5


def _check_range(name: str, value: int, low: int, high: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ValueError(f"{name} {value!r}: allowed are the integers {low}..{high}")


@dataclass(frozen=True)
class DstDate:
    """A DST edge by date: ``month`` 1-12, ``day`` 1-31, at ``hour`` 0-23 (local wall clock)."""
    month: int
    day: int
    hour: int = 2

    def __post_init__(self):
        _check_range("DST month", self.month, 1, 12)
        _check_range("DST day", self.day, 1, 29 if self.month == 2 else calendar.monthrange(2001, self.month)[1])
        _check_range("DST hour", self.hour, 0, 23)

    def moment(self, year: int) -> datetime:
        last = calendar.monthrange(year, self.month)[1]
        return datetime(year, self.month, min(self.day, last), self.hour)


@dataclass(frozen=True)
class DstWeek:
    """A DST edge by week: the ``week``-th (1-4, 5 = last) ``weekday`` (0 = Monday .. 6 = Sunday)
    of ``month``, at ``hour`` 0-23 (local wall clock)."""
    month: int
    week: int
    weekday: int
    hour: int = 2

    def __post_init__(self):
        _check_range("DST month", self.month, 1, 12)
        _check_range("DST week", self.week, 1, LAST_WEEK)
        _check_range("DST weekday (0 = Monday)", self.weekday, 0, 6)
        _check_range("DST hour", self.hour, 0, 23)

    def moment(self, year: int) -> datetime:
        first_weekday, days = calendar.monthrange(year, self.month)
        first = 1 + (self.weekday - first_weekday) % 7
        if self.week == LAST_WEEK:
            day = first + 7 * ((days - first) // 7)
        else:
            day = first + 7 * (self.week - 1)
        return datetime(year, self.month, day, self.hour)


DstEdge = Union[DstDate, DstWeek]


@dataclass(frozen=True)
class DstRule:
    """Manual DST: from ``start`` (local standard time) to ``end`` (local daylight time) each year
    the clock runs ``offset_minutes`` ahead.  Both edges are by date or both by week."""
    start: DstEdge
    end: DstEdge
    offset_minutes: int = 60

    def __post_init__(self):
        if type(self.start) is not type(self.end) or not isinstance(self.start, (DstDate, DstWeek)):
            raise ValueError("DST start and end: both must be DstDate (by date) or both DstWeek (by week)")
        _check_range("DST offset (minutes)", self.offset_minutes, 1, 180)

    @property
    def mode(self) -> str:
        return "date" if isinstance(self.start, DstDate) else "week"

    @property
    def offset(self) -> timedelta:
        return timedelta(minutes=self.offset_minutes)

    def active(self, standard_local: datetime) -> bool:
        """Whether DST is in force at this local *standard* time (naive datetime)."""
        year = standard_local.year
        start = self.start.moment(year)
        end = self.end.moment(year) - self.offset   # the end is given on the daylight clock
        if start <= end:
            return start <= standard_local < end
        return standard_local >= start or standard_local < end   # southern hemisphere


#: Automatic DST: the locations offered, mapped to IANA time zones (tzdata).
DST_LOCATIONS: dict[str, str] = {
    "United States-Eastern": "America/New_York",
    "United States-Central": "America/Chicago",
    "United States-Pacific": "America/Los_Angeles",
    "United Kingdom": "Europe/London",
    "Germany-Berlin": "Europe/Berlin",
    "France-Paris": "Europe/Paris",
    "China-Beijing": "Asia/Shanghai",
    "Australia-Sydney": "Australia/Sydney",
    "New Zealand-Auckland": "Pacific/Auckland",
}


def location_zone(location: str) -> ZoneInfo:
    """The time zone of a DST location; ValueError lists the allowed locations."""
    try:
        return ZoneInfo(DST_LOCATIONS[location])
    except KeyError:
        raise ValueError(f"DST location {location!r}: allowed are {', '.join(DST_LOCATIONS)}") from None


DstMode = Literal["off", "auto", "manual"]


@dataclass(frozen=True)
class ClockSettings:
    """The Date & Time settings that decide what the LCD shows.

    ``utc_offset_minutes`` is the time zone (standard time); ``dst_mode`` is ``off``, ``auto``
    (``dst_location`` decides) or ``manual`` (``dst_rule`` decides).
    """
    utc_offset_minutes: int = 0
    dst_mode: DstMode = "off"
    dst_location: str | None = None
    dst_rule: DstRule | None = None
    hour24: bool = True
    date_format: int = 0
    language: Language = "en"

    def __post_init__(self):
        _check_range("time zone offset (minutes)", self.utc_offset_minutes, -12 * 60, 14 * 60)
        if self.dst_mode not in ("off", "auto", "manual"):
            raise ValueError(f"DST mode {self.dst_mode!r}: allowed are off, auto, manual")
        if self.dst_mode == "auto":
            location_zone(self.dst_location or "")
        if self.dst_mode == "manual" and not isinstance(self.dst_rule, DstRule):
            raise ValueError("DST mode manual needs a dst_rule (DstRule by date or by week)")
        _check_format_index(self.date_format)
        _check_language(self.language)

    @property
    def standard_offset(self) -> timedelta:
        return timedelta(minutes=self.utc_offset_minutes)


def _as_utc(utc: datetime) -> datetime:
    if utc.tzinfo is None:
        return utc.replace(tzinfo=timezone.utc)
    return utc.astimezone(timezone.utc)


def is_dst(utc: datetime, settings: ClockSettings) -> bool:
    """Whether the settings put the instant ``utc`` (naive = UTC) in daylight saving time."""
    utc = _as_utc(utc)
    if settings.dst_mode == "auto":
        return bool(utc.astimezone(location_zone(settings.dst_location)).dst())
    if settings.dst_mode == "manual":
        standard = (utc + settings.standard_offset).replace(tzinfo=None)
        return settings.dst_rule.active(standard)
    return False


def local_time(utc: datetime, settings: ClockSettings) -> datetime:
    """The local time the phone shows for the instant ``utc`` (naive = UTC), as an aware datetime."""
    utc = _as_utc(utc)
    if settings.dst_mode == "auto":
        return utc.astimezone(location_zone(settings.dst_location))
    offset = settings.standard_offset
    if is_dst(utc, settings):
        offset += settings.dst_rule.offset
    return utc.astimezone(timezone(offset))


def to_utc(local: datetime, settings: ClockSettings) -> datetime:
    """The instant of a wall-clock time typed by the user (naive = local time; aware is kept).

    A time that occurs twice (end of DST) is taken as the first one; a time skipped at the start
    of DST is read on the standard clock (so 2:30 becomes 3:30 daylight time), as zoneinfo does.
    """
    if local.tzinfo is not None:
        return local.astimezone(timezone.utc)
    if settings.dst_mode == "auto":
        return local.replace(tzinfo=location_zone(settings.dst_location)).astimezone(timezone.utc)
    standard = (local - settings.standard_offset).replace(tzinfo=timezone.utc)
    if settings.dst_mode == "manual":
        daylight = standard - settings.dst_rule.offset
        if is_dst(daylight, settings):
            return daylight
    return standard


# ---------------------------------------------------------------------------------------------
# The phone's clock
# ---------------------------------------------------------------------------------------------

class PhoneClock:
    """The phone's idea of "now": the system clock plus an offset, so a set time keeps running.

    ``set_manual`` (a time typed on the keypad or the web page) and ``sync`` (an SNTP answer) only
    change the offset; ``source`` says where the current time came from (``system``, ``manual``
    or ``sntp <server>``).  Thread-safe: ``SntpSync`` calls ``sync`` from its own thread.
    """

    def __init__(self, settings: ClockSettings | None = None,
                 system_clock: Callable[[], float] = time.time):
        self.settings = settings or ClockSettings()
        self._system_clock = system_clock
        self._offset = 0.0
        self._lock = threading.Lock()
        self.source = "system"

    def now_utc(self) -> datetime:
        with self._lock:
            seconds = self._system_clock() + self._offset
        return datetime.fromtimestamp(seconds, timezone.utc)

    def now(self) -> datetime:
        """The local time to show, with the settings' time zone and DST applied."""
        return local_time(self.now_utc(), self.settings)

    def set_manual(self, when: datetime) -> None:
        """Make ``when`` (naive = local wall clock, as the user types it) the current time."""
        target = to_utc(when, self.settings).timestamp()
        with self._lock:
            self._offset = target - self._system_clock()
            self.source = "manual"

    def sync(self, server_time: Union[float, datetime], server: str | None = None) -> None:
        """Take the time from an SNTP answer: Unix seconds, or an aware (naive = UTC) datetime."""
        if isinstance(server_time, datetime):
            seconds = _as_utc(server_time).timestamp()
        elif isinstance(server_time, (int, float)) and not isinstance(server_time, bool):
            seconds = float(server_time)
        else:
            raise ValueError(f"server time {server_time!r}: Unix seconds or a datetime is needed")
        with self._lock:
            self._offset = seconds - self._system_clock()
            self.source = f"sntp {server}" if server else "sntp"

    def display(self) -> tuple[str, str]:
        """(time, date) as the idle screen shows them with the current settings."""
        now = self.now()
        s = self.settings
        return format_time(now, s.hour24), format_date(now.date(), s.date_format, s.language)


# ---------------------------------------------------------------------------------------------
# SNTP client (RFC 4330)
# ---------------------------------------------------------------------------------------------

NTP_PORT = 123
NTP_UNIX_DELTA = 2208988800          # seconds from 1900-01-01 to 1970-01-01
_ERA = 1 << 32


class SntpError(Exception):
    """An SNTP server did not answer, or answered something a client must discard."""

    def __init__(self, server: str, reason: str):
        self.server = server
        self.reason = reason
        super().__init__(f"SNTP server {server}: {reason}")


def parse_server(server: str, default_port: int = NTP_PORT) -> tuple[str, int]:
    """``host``, ``host:port``, ``[v6]`` or ``[v6]:port`` -> (host, port)."""
    text = (server or "").strip()
    if not text:
        raise ValueError("SNTP server: empty; give host or host:port")
    host, port = text, default_port
    if text.startswith("["):
        host, sep, rest = text[1:].partition("]")
        if not sep or (rest and not rest.startswith(":")):
            raise ValueError(f"SNTP server {server!r}: use [ipv6] or [ipv6]:port")
        port_text = rest[1:] if rest else ""
    elif text.count(":") == 1:
        host, port_text = text.split(":")
    else:
        port_text = ""
    if port_text:
        if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
            raise ValueError(f"SNTP server {server!r}: port must be 1..65535")
        port = int(port_text)
    if not host:
        raise ValueError(f"SNTP server {server!r}: host missing")
    return host, port


def _to_ntp(unix: float) -> bytes:
    seconds = unix + NTP_UNIX_DELTA
    whole = int(seconds)
    return struct.pack("!II", whole % _ERA, int((seconds - whole) * _ERA) % _ERA)


def _from_ntp(raw: bytes) -> float:
    """NTP timestamp -> Unix seconds; RFC 4330 §3: MSB clear means era 1 (after 2036-02-07)."""
    seconds, fraction = struct.unpack("!II", raw)
    if not seconds & 0x80000000:
        seconds += _ERA
    return seconds - NTP_UNIX_DELTA + fraction / _ERA


@dataclass(frozen=True)
class SntpReply:
    """What a server said, for evidence: who, its stratum, its transmit time, the round trip."""
    server: str
    stratum: int
    transmit_time: float      # Unix seconds
    round_trip: float         # seconds, measured by the client
    reference_id: bytes


def query_sntp_reply(host: str, port: int | None = None, timeout: float = 1.0,
                     source: str | None = None) -> SntpReply:
    """Ask one server once (mode 3, version 4) and check the answer as RFC 4330 §5 says.

    ``host`` may carry the port (``host:port``); an explicit ``port`` wins.  ``source``: the local
    address to send from (the phone's own address; default: the one the kernel picks).  Raises ``SntpError``
    naming the server on timeout, refusal, short reply, a mode other than 4 (server), a
    kiss-o'-death (stratum 0, its code is reported), an unsynchronised server (LI = 3), an
    originate timestamp that does not echo ours, or a zero transmit timestamp.
    """
    name, parsed_port = parse_server(host)
    port = parsed_port if port is None else port
    label = f"{name}:{port}"
    request = bytearray(48)
    request[0] = (0 << 6) | (4 << 3) | 3                 # LI 0, VN 4, mode 3 (client)
    try:
        family, _, _, _, address = socket.getaddrinfo(name, port, type=socket.SOCK_DGRAM)[0]
    except (socket.gaierror, UnicodeError) as exc:
        raise SntpError(label, f"cannot resolve host: {exc}") from None
    with socket.socket(family, socket.SOCK_DGRAM) as sock:
        sock.settimeout(timeout)
        try:
            if source:
                sock.bind((source, 0))
            sock.connect(address)
            sent_at = time.time()
            request[40:48] = _to_ntp(sent_at)
            started = time.monotonic()
            sock.send(bytes(request))
            data = sock.recv(512)
            round_trip = time.monotonic() - started
        except socket.timeout:
            raise SntpError(label, f"no answer within {timeout:g} s") from None
        except OSError as exc:
            raise SntpError(label, f"no answer ({exc.strerror or exc})") from None
    if len(data) < 48:
        raise SntpError(label, f"reply of {len(data)} bytes, an NTP packet has at least 48")
    leap, mode, stratum = data[0] >> 6, data[0] & 7, data[1]
    if mode != 4:
        raise SntpError(label, f"reply in mode {mode}, a server answers in mode 4")
    if stratum == 0:
        code = data[12:16].decode("ascii", "replace").rstrip("\x00")
        raise SntpError(label, f"kiss-o'-death (stratum 0, code {code!r})")
    if stratum > 15:
        raise SntpError(label, f"stratum {stratum} is not a valid server stratum (1..15)")
    if leap == 3:
        raise SntpError(label, "server clock not synchronised (leap indicator 3)")
    if data[24:32] != bytes(request[40:48]):
        raise SntpError(label, "originate timestamp does not echo our request (stale or forged reply)")
    if data[40:48] == bytes(8):
        raise SntpError(label, "transmit timestamp is zero")
    return SntpReply(label, stratum, _from_ntp(data[40:48]), round_trip, bytes(data[12:16]))


def query_sntp(host: str, port: int | None = None, timeout: float = 1.0, source: str | None = None) -> float:
    """The server's transmit time in Unix seconds (see ``query_sntp_reply`` for the checks)."""
    return query_sntp_reply(host, port, timeout, source).transmit_time


@dataclass(frozen=True)
class SyncAttempt:
    """One query made by ``SntpSync``: when (monotonic), to whom, and the time or the error."""
    at: float
    server: str
    time: float | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


class SntpSync(threading.Thread):
    """Re-query SNTP every ``period_s`` seconds: the primary first, the secondary if it fails.

    The first round runs at once.  Rounds start ``period_s`` apart (from start to start), so a
    slow or silent primary does not stretch the period unless it takes longer than the period.
    Each answer is passed to ``on_time(unix_seconds, server)``.  ``attempts`` records every query
    (evidence of which server answered); ``last_server`` is the last one that answered.
    """

    def __init__(self, primary: str, secondary: str | None, period_s: float,
                 on_time: Callable[[float, str], None], timeout: float = 1.0, source: str | None = None):
        super().__init__(name=f"sntp-sync {primary}", daemon=True)
        self.servers = [s for s in (primary, secondary) if s]
        if not self.servers:
            raise ValueError("SNTP sync: give a primary or a secondary server")
        for server in self.servers:
            parse_server(server)
        if not isinstance(period_s, (int, float)) or isinstance(period_s, bool) or period_s <= 0:
            raise ValueError(f"SNTP synchronisation period {period_s!r}: a number of seconds > 0")
        self.period_s = float(period_s)
        self.timeout = min(float(timeout), self.period_s)
        self.on_time = on_time
        self.source = source
        self.attempts: list[SyncAttempt] = []
        self.last_server: str | None = None
        self.last_error: str | None = None
        self._stop_event = threading.Event()
        self._lock = threading.Lock()

    def run(self) -> None:
        next_round = time.monotonic()
        while not self._stop_event.is_set():
            self._round()
            next_round += self.period_s
            now = time.monotonic()
            if next_round < now:                      # a round overran: do not burst to catch up
                next_round = now
            self._stop_event.wait(next_round - now)

    def _round(self) -> None:
        errors = []
        for server in self.servers:
            if self._stop_event.is_set():
                return
            at = time.monotonic()
            try:
                value = query_sntp(server, timeout=self.timeout, source=self.source)
            except SntpError as exc:
                errors.append(str(exc))
                self._record(SyncAttempt(at, server, error=exc.reason))
                continue
            self._record(SyncAttempt(at, server, time=value))
            with self._lock:
                self.last_server, self.last_error = server, None
            self.on_time(value, server)
            return
        with self._lock:
            self.last_error = "; ".join(errors)

    def _record(self, attempt: SyncAttempt) -> None:
        with self._lock:
            self.attempts.append(attempt)

    def answered(self, server: str | None = None) -> list[SyncAttempt]:
        """The successful queries so far (to ``server`` only, if given)."""
        with self._lock:
            return [a for a in self.attempts if a.ok and (server is None or a.server == server)]

    def stop(self, timeout: float = 5.0) -> None:
        """Stop after the query under way (at most ``timeout`` per server); safe to call twice."""
        self._stop_event.set()
        if self.is_alive() and threading.current_thread() is not self:
            self.join(timeout + self.timeout * len(self.servers))
