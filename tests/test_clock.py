"""Time and date of the reference phone (manual §4.1.2): reference_impl/clock.py and drivers/ntp_server.py.

The display and DST parts are pure functions, checked against the manual's tables and, for DST
rules, against the IANA time-zone database (zoneinfo) as an independent oracle.  The SNTP client
and the periodic sync run against a real chronyd (drivers.ntp_server.NtpServer) on loopback; the
only hand-made server is a tiny UDP responder that sends the malformed replies a real server
would never send (kiss-o'-death, wrong mode, zero transmit time ...).
"""
from __future__ import annotations

import socket
import struct
import threading
import time
from datetime import date, datetime, time as dtime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

import drivers.ntp_server as ntp_server_module
from drivers.errors import LabError
from drivers.process import pid_running
from drivers.ntp_server import NtpServer
from drivers.wait import wait_until
from reference_impl.clock import (
    DST_LOCATIONS, ClockSettings, DstDate, DstRule, DstWeek, PhoneClock, SntpError, SntpSync,
    date_format_choices, format_date, format_time, is_dst, local_time, parse_server, query_sntp,
    query_sntp_reply, to_utc,
)

UTC = timezone.utc


def free_udp_port(ip: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind((ip, 0))
        return sock.getsockname()[1]


# ---------------------------------------------------------------------------------------------
# Date formats: the manual's table, one test per example
# ---------------------------------------------------------------------------------------------

ZH_EXAMPLES = [  # 7 April 2020, a Tuesday
    (0, "4月7日 星期二", "REQ-TIME-14"),
    (1, "20-04-07", "REQ-TIME-15"),
    (2, "2020-04-07", "REQ-TIME-16"),
    (3, "2020/04/07", "REQ-TIME-17"),
    (4, "20/04/07", "REQ-TIME-18"),
    (5, "2020年4月7日", "REQ-TIME-19"),
    (6, "4月7日 周二", "REQ-TIME-20"),
]
EN_EXAMPLES = [  # 12 August 2020, a Wednesday
    (0, "Wed,Aug 12"), (1, "12-Aug-20"), (2, "2020-Aug-12"), (3, "12/Aug/2020"),
    (4, "12/Aug/20"), (5, "12 Aug.2020"), (6, "Wed 12,Aug"),
]


@pytest.mark.parametrize("index,expected,req", ZH_EXAMPLES, ids=[r for _, _, r in ZH_EXAMPLES])
def test_chinese_date_formats_match_the_manual(index, expected, req):
    assert format_date(date(2020, 4, 7), index, "zh") == expected


@pytest.mark.req("REQ-TIME-21")
@pytest.mark.parametrize("index,expected", EN_EXAMPLES, ids=[f"en{i}" for i, _ in EN_EXAMPLES])
def test_english_date_formats_match_the_manual(index, expected):
    assert format_date(date(2020, 8, 12), index, "en") == expected


def test_single_digit_days_are_padded_only_in_the_compact_forms():
    d = date(2021, 1, 3)   # a Sunday
    assert [format_date(d, i, "en") for i in range(7)] == [
        "Sun,Jan 3", "03-Jan-21", "2021-Jan-03", "03/Jan/2021", "03/Jan/21", "3 Jan.2021", "Sun 3,Jan"]
    assert [format_date(d, i, "zh") for i in range(7)] == [
        "1月3日 星期日", "21-01-03", "2021-01-03", "2021/01/03", "21/01/03", "2021年1月3日", "1月3日 周日"]


@pytest.mark.req("REQ-TIME-13")
def test_seven_formats_with_distinct_choices():
    for language in ("en", "zh"):
        choices = date_format_choices(language)
        assert [i for i, _ in choices] == list(range(7))
        assert len({label for _, label in choices}) == 7, choices   # the two "YYYY MM DD" differ


@pytest.mark.parametrize("index", [-1, 7, "1", True, 1.0])
def test_bad_date_format_is_refused_with_the_allowed_range(index):
    with pytest.raises(ValueError, match=r"date format .*0\.\.6"):
        format_date(date(2020, 1, 1), index, "en")


def test_bad_language_is_refused():
    with pytest.raises(ValueError, match="language 'fr'.*en, zh"):
        format_date(date(2020, 1, 1), 0, "fr")


# ---------------------------------------------------------------------------------------------
# 12 / 24 hour time
# ---------------------------------------------------------------------------------------------

@pytest.mark.req("REQ-TIME-12")
@pytest.mark.parametrize("hour,minute,h24,h12", [
    (14, 5, "14:05", "2:05 PM"),
    (0, 0, "00:00", "12:00 AM"),
    (0, 59, "00:59", "12:59 AM"),
    (9, 7, "09:07", "9:07 AM"),
    (11, 59, "11:59", "11:59 AM"),
    (12, 0, "12:00", "12:00 PM"),
    (23, 59, "23:59", "11:59 PM"),
])
def test_time_in_24_and_12_hour_form(hour, minute, h24, h12):
    assert format_time(dtime(hour, minute, 42), hour24=True) == h24
    assert format_time(dtime(hour, minute), hour24=False) == h12
    assert format_time(datetime(2020, 1, 1, hour, minute), hour24=False) == h12


def test_format_time_refuses_a_string():
    with pytest.raises(ValueError, match="time '14:05'"):
        format_time("14:05", True)


# ---------------------------------------------------------------------------------------------
# Manual DST by date and by week
# ---------------------------------------------------------------------------------------------

US_BY_DATE = ClockSettings(utc_offset_minutes=-300, dst_mode="manual",
                           dst_rule=DstRule(DstDate(3, 10, 2), DstDate(11, 3, 2)))


def wall(settings: ClockSettings, utc: datetime) -> datetime:
    return local_time(utc.replace(tzinfo=UTC), settings).replace(tzinfo=None)


@pytest.mark.req("REQ-TIME-11")
def test_by_date_inside_and_outside():
    assert wall(US_BY_DATE, datetime(2021, 6, 1, 12)) == datetime(2021, 6, 1, 8)     # EDT
    assert wall(US_BY_DATE, datetime(2021, 1, 15, 12)) == datetime(2021, 1, 15, 7)   # EST
    assert wall(US_BY_DATE, datetime(2021, 12, 20, 12)) == datetime(2021, 12, 20, 7)


@pytest.mark.req("REQ-TIME-11")
def test_by_date_edges():
    # Start: 2:00 standard time on 10 March = 07:00 UTC; the clock jumps to 3:00.
    assert wall(US_BY_DATE, datetime(2021, 3, 10, 6, 59, 59)) == datetime(2021, 3, 10, 1, 59, 59)
    assert wall(US_BY_DATE, datetime(2021, 3, 10, 7, 0)) == datetime(2021, 3, 10, 3, 0)
    # End: 2:00 daylight time on 3 November = 06:00 UTC; the clock goes back to 1:00.
    assert wall(US_BY_DATE, datetime(2021, 11, 3, 5, 59, 59)) == datetime(2021, 11, 3, 1, 59, 59)
    assert wall(US_BY_DATE, datetime(2021, 11, 3, 6, 0)) == datetime(2021, 11, 3, 1, 0)
    assert is_dst(datetime(2021, 11, 3, 5, 59, 59), US_BY_DATE)
    assert not is_dst(datetime(2021, 11, 3, 6, 0), US_BY_DATE)


@pytest.mark.req("REQ-TIME-11")
def test_by_date_southern_hemisphere_spans_the_new_year():
    sydney = ClockSettings(utc_offset_minutes=600, dst_mode="manual",
                           dst_rule=DstRule(DstDate(10, 1, 2), DstDate(4, 1, 3)))
    assert wall(sydney, datetime(2021, 1, 10, 0)) == datetime(2021, 1, 10, 11)   # summer: +11
    assert wall(sydney, datetime(2021, 12, 10, 0)) == datetime(2021, 12, 10, 11)
    assert wall(sydney, datetime(2021, 6, 10, 0)) == datetime(2021, 6, 10, 10)   # winter: +10
    # Start edge: 1 October 2:00 standard = 30 September 16:00 UTC.
    assert wall(sydney, datetime(2021, 9, 30, 15, 59)) == datetime(2021, 10, 1, 1, 59)
    assert wall(sydney, datetime(2021, 9, 30, 16, 0)) == datetime(2021, 10, 1, 3, 0)
    # End edge: 1 April 3:00 daylight = 31 March 16:00 UTC.
    assert wall(sydney, datetime(2021, 3, 31, 15, 59)) == datetime(2021, 4, 1, 2, 59)
    assert wall(sydney, datetime(2021, 3, 31, 16, 0)) == datetime(2021, 4, 1, 2, 0)


def test_dst_offset_other_than_an_hour():
    half = ClockSettings(utc_offset_minutes=0, dst_mode="manual",
                         dst_rule=DstRule(DstDate(5, 1, 0), DstDate(9, 1, 0), offset_minutes=30))
    assert wall(half, datetime(2021, 7, 1, 12)) == datetime(2021, 7, 1, 12, 30)
    assert wall(half, datetime(2021, 1, 1, 12)) == datetime(2021, 1, 1, 12)


def test_by_date_29_february_means_the_last_day_in_a_common_year():
    assert DstDate(2, 29, 1).moment(2021) == datetime(2021, 2, 28, 1)
    assert DstDate(2, 29, 1).moment(2024) == datetime(2024, 2, 29, 1)


@pytest.mark.parametrize("edge,expected", [
    (DstWeek(3, 2, 6, 2), datetime(2021, 3, 14, 2)),    # 2nd Sunday of March 2021
    (DstWeek(11, 1, 6, 2), datetime(2021, 11, 7, 2)),   # 1st Sunday of November 2021
    (DstWeek(3, 4, 6, 1), datetime(2020, 3, 22, 1)),    # March 2020 has five Sundays
    (DstWeek(3, 5, 6, 1), datetime(2020, 3, 29, 1)),    # 5 = the last one
    (DstWeek(2, 5, 0, 0), datetime(2021, 2, 22, 0)),    # Feb 2021 has four Mondays: last = 4th
    (DstWeek(8, 1, 5, 23), datetime(2020, 8, 1, 23)),   # 1 August 2020 is a Saturday
])
def test_by_week_finds_the_nth_weekday(edge, expected):
    assert edge.moment(expected.year) == expected


def hours_around_transitions(zone: str, years: range):
    """Every 15 minutes within ±3 h of each of the zone's transitions, plus mid-season points."""
    tz = ZoneInfo(zone)
    for year in years:
        t = datetime(year, 1, 1, tzinfo=UTC)
        end = datetime(year + 1, 1, 1, tzinfo=UTC)
        previous = t.astimezone(tz).utcoffset()
        while t < end:
            offset = t.astimezone(tz).utcoffset()
            if offset != previous:
                for k in range(-12, 13):
                    yield t + timedelta(minutes=15 * k)
            previous = offset
            yield t + timedelta(days=15)
            t += timedelta(hours=1)


@pytest.mark.req("REQ-TIME-10")
@pytest.mark.parametrize("zone,settings", [
    ("America/New_York", ClockSettings(utc_offset_minutes=-300, dst_mode="manual",
                                       dst_rule=DstRule(DstWeek(3, 2, 6, 2), DstWeek(11, 1, 6, 2)))),
    ("Europe/Berlin", ClockSettings(utc_offset_minutes=60, dst_mode="manual",
                                    dst_rule=DstRule(DstWeek(3, 5, 6, 2), DstWeek(10, 5, 6, 3)))),
    ("Australia/Sydney", ClockSettings(utc_offset_minutes=600, dst_mode="manual",
                                       dst_rule=DstRule(DstWeek(10, 1, 6, 2), DstWeek(4, 1, 6, 3)))),
], ids=["us-eastern", "berlin", "sydney-southern"])
def test_by_week_agrees_with_the_tz_database_around_every_transition(zone, settings):
    tz = ZoneInfo(zone)
    mismatches = []
    for utc in hours_around_transitions(zone, range(2020, 2026)):
        ours, theirs = local_time(utc, settings), utc.astimezone(tz)
        if ours.replace(tzinfo=None) != theirs.replace(tzinfo=None):
            mismatches.append((utc.isoformat(), ours.isoformat(), theirs.isoformat()))
    assert not mismatches, mismatches[:5]


@pytest.mark.parametrize("make,message", [
    (lambda: DstDate(13, 1, 0), r"DST month 13: allowed are the integers 1\.\.12"),
    (lambda: DstDate(4, 31, 0), r"DST day 31: allowed are the integers 1\.\.30"),
    (lambda: DstDate(2, 30, 0), r"DST day 30: allowed are the integers 1\.\.29"),
    (lambda: DstDate(4, 1, 24), r"DST hour 24: allowed are the integers 0\.\.23"),
    (lambda: DstWeek(4, 6, 6, 2), r"DST week 6: allowed are the integers 1\.\.5"),
    (lambda: DstWeek(4, 1, 7, 2), r"DST weekday \(0 = Monday\) 7"),
    (lambda: DstRule(DstDate(3, 1), DstDate(10, 1), offset_minutes=0), r"DST offset \(minutes\) 0"),
    (lambda: DstRule(DstDate(3, 1), DstWeek(10, 5, 6)), "both must be DstDate"),
    (lambda: ClockSettings(dst_mode="manual"), "needs a dst_rule"),
    (lambda: ClockSettings(dst_mode="summer"), "DST mode 'summer': allowed are off, auto, manual"),
    (lambda: ClockSettings(utc_offset_minutes=15 * 60), r"time zone offset \(minutes\) 900"),
])
def test_bad_dst_values_name_the_field_and_the_allowed_values(make, message):
    with pytest.raises(ValueError, match=message):
        make()


# ---------------------------------------------------------------------------------------------
# Automatic DST by location
# ---------------------------------------------------------------------------------------------

@pytest.mark.req("REQ-TIME-09")
@pytest.mark.parametrize("location,january_hours,july_hours", [
    ("United States-Eastern", -5, -4),
    ("United Kingdom", 0, 1),
    ("Germany-Berlin", 1, 2),
    ("China-Beijing", 8, 8),
    ("Australia-Sydney", 11, 10),    # southern hemisphere: DST in January, not in July
])
def test_automatic_dst_by_location(location, january_hours, july_hours):
    settings = ClockSettings(dst_mode="auto", dst_location=location)
    january, july = datetime(2021, 1, 15, 12, tzinfo=UTC), datetime(2021, 7, 15, 12, tzinfo=UTC)
    assert local_time(january, settings).utcoffset() == timedelta(hours=january_hours)
    assert local_time(july, settings).utcoffset() == timedelta(hours=july_hours)
    assert is_dst(january, settings) == (location == "Australia-Sydney")
    assert is_dst(july, settings) == (location in ("United States-Eastern", "United Kingdom",
                                                   "Germany-Berlin"))


def test_every_location_resolves_and_unknown_ones_list_the_choices():
    for location in DST_LOCATIONS:
        ClockSettings(dst_mode="auto", dst_location=location)
    with pytest.raises(ValueError, match="DST location 'Atlantis'.*United Kingdom"):
        ClockSettings(dst_mode="auto", dst_location="Atlantis")


def test_dst_off_uses_the_time_zone_only():
    settings = ClockSettings(utc_offset_minutes=480)
    assert wall(settings, datetime(2021, 7, 1, 0)) == datetime(2021, 7, 1, 8)
    assert not is_dst(datetime(2021, 7, 1), settings)


# ---------------------------------------------------------------------------------------------
# The phone's clock: manual time keeps running, SNTP sets it
# ---------------------------------------------------------------------------------------------

class SteppedClock:
    """A system clock the test moves by hand (the dependency of PhoneClock, not the thing tested)."""

    def __init__(self, now: float):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.mark.req("REQ-TIME-08")
def test_manual_time_keeps_running():
    system = SteppedClock(1_000_000.0)
    clock = PhoneClock(US_BY_DATE, system_clock=system)
    clock.set_manual(datetime(2021, 6, 1, 8, 0))              # local wall time, in DST
    assert clock.now_utc() == datetime(2021, 6, 1, 12, 0, tzinfo=UTC)
    system.now += 65
    assert clock.now().replace(tzinfo=None) == datetime(2021, 6, 1, 8, 1, 5)
    assert clock.source == "manual"
    assert clock.display() == ("08:01", "Tue,Jun 1")


def test_manual_time_in_the_skipped_hour_reads_as_standard_time():
    # 2:30 on 10 March does not exist under the rule: taken as 2:30 EST = 3:30 EDT.
    assert to_utc(datetime(2021, 3, 10, 2, 30), US_BY_DATE) == datetime(2021, 3, 10, 7, 30, tzinfo=UTC)
    # 1:30 on 3 November happens twice: the first (daylight) one is taken.
    assert to_utc(datetime(2021, 11, 3, 1, 30), US_BY_DATE) == datetime(2021, 11, 3, 5, 30, tzinfo=UTC)


def test_sync_sets_the_clock_from_server_time():
    system = SteppedClock(500.0)
    clock = PhoneClock(ClockSettings(utc_offset_minutes=480, hour24=False, date_format=5,
                                     language="zh"), system_clock=system)
    server_time = datetime(2020, 4, 7, 6, 5, tzinfo=UTC).timestamp()
    clock.sync(server_time, "127.0.0.1:12300")
    assert clock.source == "sntp 127.0.0.1:12300"
    assert clock.display() == ("2:05 PM", "2020年4月7日")
    system.now += 3600
    assert clock.display() == ("3:05 PM", "2020年4月7日")
    with pytest.raises(ValueError, match="server time 'soon'"):
        clock.sync("soon")


# ---------------------------------------------------------------------------------------------
# SNTP against a real chronyd
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def ntp_server():
    server = NtpServer("127.0.0.1", free_udp_port("127.0.0.1"))
    try:
        server.start()
        yield server
    finally:
        pid = server.pid
        server.stop()
        assert pid is None or not pid_running(pid), f"chronyd {pid} still running after stop()"


def test_parse_server():
    assert parse_server("127.0.0.1") == ("127.0.0.1", 123)
    assert parse_server("127.0.0.1:12300") == ("127.0.0.1", 12300)
    assert parse_server("[::1]:4123") == ("::1", 4123)
    assert parse_server("ntp.example") == ("ntp.example", 123)
    for bad in ("", "host:0", "host:x", ":123", "[::1"):
        with pytest.raises(ValueError, match="SNTP server"):
            parse_server(bad)


@pytest.mark.req("REQ-TIME-02")
def test_query_the_real_server(ntp_server):
    before = time.time()
    reply = query_sntp_reply(ntp_server.server, timeout=1.0)
    after = time.time()
    assert reply.server == ntp_server.server
    assert reply.stratum == 8                                   # local stratum 8, no upstream
    # chronyd serves this host's clock (it runs with -x), so its time is ours within the round trip.
    assert before - 0.05 <= reply.transmit_time <= after + 0.05, (before, reply, after)
    assert abs(query_sntp(ntp_server.address, ntp_server.port) - time.time()) < 0.5


def test_nobody_listening_is_an_error_naming_the_server():
    port = free_udp_port()
    started = time.monotonic()
    with pytest.raises(SntpError, match=f"SNTP server 127.0.0.1:{port}: no answer") as info:
        query_sntp(f"127.0.0.1:{port}", timeout=1.0)
    assert info.value.server == f"127.0.0.1:{port}"
    assert time.monotonic() - started < 1.0      # ICMP port unreachable, no need to time out


def test_silent_server_times_out():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as silent:
        silent.bind(("127.0.0.1", 0))
        port = silent.getsockname()[1]
        with pytest.raises(SntpError, match=rf"127\.0\.0\.1:{port}: no answer within 0\.2 s"):
            query_sntp("127.0.0.1", port, timeout=0.2)


class ScriptedReply:
    """A UDP responder that answers one request with a reply built by ``make(request)``."""

    def __init__(self, make):
        self.make = make
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(5)
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self):
        try:
            request, peer = self.sock.recvfrom(512)
            self.sock.sendto(self.make(request), peer)
        except OSError:
            pass

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.sock.close()
        self.thread.join(5)


def good_reply(request: bytes, first=0x24, stratum=2, ref=b"GPS\x00", transmit=None) -> bytes:
    now = time.time() + 2208988800
    stamp = transmit if transmit is not None else struct.pack("!II", int(now), 0)
    return (bytes([first, stratum, 6, 0xEC]) + bytes(8) + ref + bytes(8)
            + request[40:48] + stamp + stamp)


@pytest.mark.parametrize("make,reason", [
    (lambda r: good_reply(r, stratum=0, ref=b"RATE"), "kiss-o'-death (stratum 0, code 'RATE')"),
    (lambda r: good_reply(r, first=0x23), "reply in mode 3, a server answers in mode 4"),
    (lambda r: good_reply(r, transmit=bytes(8)), "transmit timestamp is zero"),
    (lambda r: good_reply(r, first=0xE4), "not synchronised (leap indicator 3)"),
    (lambda r: good_reply(bytes(48)), "originate timestamp does not echo our request"),
    (lambda r: good_reply(r, stratum=16), "stratum 16 is not a valid server stratum"),
    (lambda r: b"\x24" * 20, "reply of 20 bytes"),
], ids=["kod", "mode", "zero-transmit", "unsynchronised", "originate", "stratum16", "short"])
def test_bad_replies_are_refused(make, reason):
    with ScriptedReply(make) as server:
        with pytest.raises(SntpError) as info:
            query_sntp("127.0.0.1", server.port, timeout=2.0)
    assert info.value.server == f"127.0.0.1:{server.port}"
    assert reason in str(info.value)


def test_scripted_good_reply_is_accepted_and_decoded():
    """The same responder with a sane reply: the error cases above fail for their own reason."""
    stamp = struct.pack("!II", 3_800_000_000, 1 << 31)          # 2020-06-02 ... .5 s
    with ScriptedReply(lambda r: good_reply(r, transmit=stamp)) as server:
        value = query_sntp("127.0.0.1", server.port, timeout=2.0)
    assert value == 3_800_000_000 - 2208988800 + 0.5


# ---------------------------------------------------------------------------------------------
# Periodic sync: primary, secondary, period
# ---------------------------------------------------------------------------------------------

@pytest.fixture
def syncs():
    """SntpSync threads made by a test, stopped at the end whatever happens."""
    made: list[SntpSync] = []
    try:
        yield made
    finally:
        for sync in made:
            sync.stop()
        assert not any(s.is_alive() for s in made)


@pytest.mark.req("REQ-TIME-06")
def test_primary_down_secondary_used(ntp_server, syncs):
    dead = f"127.0.0.1:{free_udp_port()}"
    clock = PhoneClock()
    sync = SntpSync(dead, ntp_server.server, period_s=5, on_time=clock.sync, timeout=0.5)
    syncs.append(sync)
    sync.start()
    wait_until(lambda: sync.answered(), timeout=3, what="an SNTP answer")
    first_two = sync.attempts[:2]
    assert [a.server for a in first_two] == [dead, ntp_server.server]
    assert not first_two[0].ok and "no answer" in first_two[0].error
    assert first_two[1].ok
    assert sync.last_server == ntp_server.server
    assert clock.source == f"sntp {ntp_server.server}"
    assert abs(clock.now_utc().timestamp() - time.time()) < 0.5


@pytest.mark.req("REQ-TIME-05")
def test_primary_up_secondary_not_asked(ntp_server, syncs):
    spare = f"127.0.0.1:{free_udp_port()}"
    sync = SntpSync(ntp_server.server, spare, period_s=0.3, on_time=lambda t, s: None, timeout=0.5)
    syncs.append(sync)
    sync.start()
    wait_until(lambda: len(sync.answered()) >= 2, timeout=3, what="two SNTP answers")
    sync.stop()
    assert {a.server for a in sync.attempts} == {ntp_server.server}


@pytest.mark.req("REQ-TIME-07")
def test_period_is_honoured(ntp_server, syncs):
    period, tolerance = 1.0, 0.15
    sync = SntpSync(ntp_server.server, None, period_s=period, on_time=lambda t, s: None, timeout=0.5)
    syncs.append(sync)
    sync.start()
    wait_until(lambda: len(sync.answered()) >= 4, timeout=period * 3 + 3, what="four SNTP answers")
    sync.stop()
    starts = [a.at for a in sync.answered()]
    intervals = [round(b - a, 3) for a, b in zip(starts, starts[1:])]
    assert all(abs(i - period) <= tolerance for i in intervals), \
        f"measured intervals {intervals} s, expected {period} s ± {tolerance} s"


def test_both_servers_down_names_both(syncs):
    a, b = f"127.0.0.1:{free_udp_port()}", f"127.0.0.1:{free_udp_port()}"
    sync = SntpSync(a, b, period_s=5, on_time=lambda t, s: None, timeout=0.3)
    syncs.append(sync)
    sync.start()
    error = wait_until(lambda: sync.last_error, timeout=3, what="the round to fail")
    assert a in error and b in error
    assert sync.last_server is None


def test_sync_settings_are_checked():
    with pytest.raises(ValueError, match="synchronisation period 0"):
        SntpSync("127.0.0.1", None, 0, lambda t, s: None)
    with pytest.raises(ValueError, match="primary or a secondary"):
        SntpSync("", None, 10, lambda t, s: None)
    with pytest.raises(ValueError, match="port must be 1..65535"):
        SntpSync("127.0.0.1:70000", None, 10, lambda t, s: None)


# ---------------------------------------------------------------------------------------------
# The NtpServer driver itself
# ---------------------------------------------------------------------------------------------

def test_server_is_stopped_by_pid_even_when_the_block_fails():
    server = NtpServer("127.0.0.1", free_udp_port())
    with pytest.raises(RuntimeError, match="boom"):
        with server:
            pid = server.pid
            assert pid and pid_running(pid)
            raise RuntimeError("boom")
    assert not pid_running(pid)
    assert server.pid is None and server.run_dir is None
    assert "chronyd exiting" in server.last_log
    server.stop()                                      # a second stop is harmless


def test_two_servers_share_a_port_on_different_loopback_addresses(tmp_path):
    port = free_udp_port("127.0.0.71")
    with NtpServer("127.0.0.71", port, log_dir=tmp_path) as one, \
            NtpServer("127.0.0.72", port, stratum=5) as two:
        assert query_sntp_reply(one.server).stratum == 8
        assert query_sntp_reply(two.server).stratum == 5
    assert (tmp_path / f"chronyd-127.0.0.71-{port}.log").exists()


def test_port_taken_is_a_lab_error():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as holder:
        holder.bind(("127.0.0.1", 0))
        port = holder.getsockname()[1]
        with pytest.raises(LabError, match=rf"\[lab: ntp server\] cannot serve on udp:127\.0\.0\.1:{port}"):
            NtpServer("127.0.0.1", port).start()


def test_missing_chronyd_is_a_lab_error(monkeypatch, tmp_path):
    monkeypatch.setattr(ntp_server_module, "_SEARCH_PATH", str(tmp_path))
    with pytest.raises(LabError, match="chronyd not found .*chrony.*127.0.0.1:12399"):
        NtpServer("127.0.0.1", 12399).start()


def test_chronyd_that_does_not_come_up_is_a_lab_error_with_its_log():
    class Broken(NtpServer):
        def render_config(self, run_dir):
            return super().render_config(run_dir) + "no_such_directive 1\n"

    port = free_udp_port()
    server = Broken("127.0.0.1", port)
    with pytest.raises(LabError) as info:
        server.start()
    message = str(info.value)
    assert f"chronyd on 127.0.0.1:{port} did not come up" in message
    assert "Invalid directive" in message, message
    assert server.pid is None and server.run_dir is None


@pytest.mark.parametrize("address,port,message", [
    ("192.168.1.10", 123, "only IPv4 loopback"),
    ("::1", 123, "only IPv4 loopback"),
    ("localhost", 123, "IPv4 loopback address"),
    ("127.0.0.1", 0, "port 0: allowed are the integers 1..65535"),
])
def test_bad_server_address_or_port(address, port, message):
    with pytest.raises(ValueError, match=message):
        NtpServer(address, port)
