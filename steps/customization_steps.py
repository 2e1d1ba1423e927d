"""Steps of chapter 4 (customisation): time and date, language, sounds (manual §4.1.1, §4.1.2, §4.2).

The bench's SNTP servers are real chronyd processes (drivers/ntp_server.py) started on this
scenario's first use and stopped by PID at its end (``Bench.tool``).  chronyd serves the host's
clock, so "the phone shows the server's time" is the host clock in the configured zone (±1 min).
"""
from __future__ import annotations

import re
import time
from datetime import datetime, timedelta, timezone

from pytest_bdd import parsers, step

from drivers.errors import LabError, PhoneFailure
from drivers.ntp_server import NtpServer
from drivers.speaker import ControlApiSpeaker
from drivers.wait import WaitTimeout, expect, wait_until
from steps.phone_steps import press_soft_key, select_line, whole_list

PHONE = r"(?:phone )?(?P<name>[A-B])"
NTP = r"(?P<server>S\d)"


class _NtpTool:
    """An NtpServer as a scenario tool (Bench.tool closes tools with ``close``)."""

    def __init__(self, server: NtpServer):
        self.server = server.start()

    def close(self) -> None:
        self.server.stop()


def _ntp(bench, server: str) -> NtpServer:
    try:
        return bench.context[f"ntp_{server}"].server
    except KeyError:
        raise LabError("bench", f"the scenario uses SNTP server {server} but never started it "
                                f"(add: Given the bench runs an SNTP server {server} at <ip>:<port>)") from None


def _speaker(bench, name) -> ControlApiSpeaker:
    return ControlApiSpeaker(bench.dut(name).web.base_url, name)


def _expand(bench, text: str) -> str:
    """``{S1}`` -> that SNTP server's ``ip:port``; the bench facts as Bench.expand gives them."""
    text = re.sub(r"\{(S\d)\}", lambda m: _ntp(bench, m.group(1)).server, text)
    return bench.expand(text)


# --- SNTP servers ---------------------------------------------------------------------------------
@step(parsers.re(rf"the bench runs an SNTP server {NTP} at (?P<ip>\S+):(?P<port>\d+)"))
def run_ntp(bench, server, ip, port):
    ip = bench.expand(ip)
    bench.tool(f"ntp_{server}", lambda: _NtpTool(NtpServer(ip, int(port), log_dir=bench.evidence_dir)))


@step(parsers.re(r"the bench captures the SNTP traffic on port (?P<port>\d+)"))
def capture_ntp(bench, port):
    bench.start_capture("ntp_capture", f"udp and port {port}", "sntp.pcap")


def _ntp_packets(bench, src: str | None = None, dst: str | None = None) -> list:
    from scapy.layers.inet import IP
    cap = bench.capture("ntp_capture", "the bench captures the SNTP traffic on port <port>")
    return [p for p in cap.packets() if IP in p and (src is None or p[IP].src == src)
            and (dst is None or p[IP].dst == dst)]


@step(parsers.re(rf"{PHONE} asks (?P<server>S\d|[\d.]+) for the time and (?P<who>S\d) answers it"))
def asks_and_answered(bench, name, server, who):
    phone_ip = bench.dut(name).ip
    asked = _ntp(bench, server).address if server.startswith("S") else server
    answerer = _ntp(bench, who).address
    expect(lambda: _ntp_packets(bench, phone_ip, asked), 6,
           f"{name} ({phone_ip}) sent no SNTP request to {asked}")
    expect(lambda: _ntp_packets(bench, answerer, phone_ip), 6,
           f"no SNTP answer from {who} ({answerer}) reached {name}")


@step(parsers.re(rf"{PHONE} sends SNTP requests to (?P<ip>\S+)"))
def asks_address(bench, name, ip):
    ip = bench.expand(ip)
    phone_ip = bench.dut(name).ip
    expect(lambda: _ntp_packets(bench, phone_ip, ip), 6, f"{name} sent no SNTP request to {ip}")


@step(parsers.re(rf"{PHONE} asks {NTP} for the time every (?P<period>\d+) s"))
def asks_every(bench, name, server, period):
    phone_ip, addr, period = bench.dut(name).ip, _ntp(bench, server).address, float(period)

    def three():
        got = _ntp_packets(bench, phone_ip, addr)
        return got if len(got) >= 3 else None
    try:
        got = wait_until(three, timeout=3 * period + 3, interval=0.1, what="three SNTP requests")
    except WaitTimeout:
        raise PhoneFailure(f"{name} sent {len(_ntp_packets(bench, phone_ip, addr))} SNTP requests to {server} "
                           f"in {3 * period + 3:.0f} s; every {period:g} s was asked") from None
    times = [float(p.time) for p in got]
    gaps = [b - a for a, b in zip(times, times[1:])]
    if not all(abs(g - period) <= 0.5 for g in gaps):
        raise PhoneFailure(f"{name} asked {server} at intervals of {', '.join(f'{g:.2f}' for g in gaps)} s; "
                           f"the synchronisation period is {period:g} s (±0.5 s)")
    bench.context["ntp_gaps"] = gaps


# --- the Date & Time page ---------------------------------------------------------------------------
def _post_datetime(bench, name, pairs: dict):
    dut = bench.dut(name)
    dut.web.login()
    bench.context["config_before"] = dut.web.config()
    resp = dut.web.request("POST", "/datetime", data=pairs, allow_redirects=False)
    bench.context["web_response"] = resp
    return resp


@step(parsers.re(rf'the Date & Time page of {PHONE} is submitted with (?P<values>(?:[\w.]+ = [^,]*(?:, )?)+)'))
def datetime_submit(bench, name, values):
    pairs = dict(part.split(" = ", 1) for part in _expand(bench, values).split(", "))
    _post_datetime(bench, name, pairs)


@step(parsers.re(rf'the Date & Time page of {PHONE} sets the manual time (?P<date>\S+) (?P<time>\S+)'))
def datetime_manual(bench, name, date, time):
    resp = _post_datetime(bench, name, {"time.manual": "1", "date": date, "time": time})
    if resp.status_code != 302:
        raise PhoneFailure(f"the Date & Time page refused the manual time {date} {time}: {resp.text[:400]}")


@step("the page is accepted")
def page_accepted(bench):
    resp = bench.context["web_response"]
    if resp.status_code not in (302, 303):
        errors = re.findall(r"<li>(.*?)</li>", resp.text)
        raise PhoneFailure(f"the page was refused ({resp.status_code}): {errors or resp.text[:300]}")


@step(parsers.re(r'the page is refused saying "(?P<text>[^"]+)"'))
@step(parsers.re(r'the web UI\'s refusal reads "(?P<text>[^"]+)"'))
def page_refused_saying(bench, text):
    resp = bench.context["web_response"]
    import html as _html
    shown = _html.unescape(resp.text)
    if resp.status_code != 400 or text not in shown:
        raise PhoneFailure(f"expected a refusal saying {text!r}; got {resp.status_code}: "
                           f"{re.findall(r'<li>(.*?)</li>', shown) or shown[:300]}")


def _page(bench, name, path) -> str:
    dut = bench.dut(name)
    dut.web.login()
    resp = dut.web.page(path)
    if resp.status_code != 200:
        raise PhoneFailure(f"{path} of {name} answered {resp.status_code}")
    return resp.text


def _select_options(text: str, key: str) -> list[tuple[str, str, bool]]:
    m = re.search(rf"<select name='{re.escape(key)}'[^>]*>(.*?)</select>", text, re.S)
    if not m:
        raise PhoneFailure(f"the page has no drop-down {key}")
    return [(v, t, bool(sel)) for v, sel, t in re.findall(r"<option value='([^']*)'( selected)?>([^<]*)</option>",
                                                           m.group(1))]


@step(parsers.re(rf'the Date & Time page of {PHONE} shows "(?P<label>[^"]+)" as "(?P<value>[^"]+)"'))
def datetime_page_shows(bench, name, label, value):
    import html as _html
    text = _html.unescape(_page(bench, name, "/datetime"))
    m = re.search(rf"<label>{re.escape(label)} <(select|input) name='([^']+)'", text)
    if not m:
        raise PhoneFailure(f"the Date & Time page of {name} has no field {label!r}")
    if m.group(1) == "select":
        shown = next((t for _, t, sel in _select_options(text, m.group(2)) if sel), None)
    else:
        shown = re.search(rf"<input name='{re.escape(m.group(2))}' type='text' value='([^']*)'", text).group(1)
    if shown != value:
        raise PhoneFailure(f"the Date & Time page of {name} shows {label} as {shown!r}, expected {value!r}")


@step(parsers.re(rf'the Date & Time page of {PHONE} has the fields (?P<labels>"[^"]+"(?:(?:, | and )"[^"]+")*)'))
def datetime_page_fields(bench, name, labels):
    import html as _html
    text = _html.unescape(_page(bench, name, "/datetime"))
    missing = [l for l in re.findall(r'"([^"]+)"', labels) if f"<label>{l} <" not in text]
    if missing:
        raise PhoneFailure(f"the Date & Time page of {name} has no field {', '.join(missing)}")


@step(parsers.re(rf'the date format drop-down of {PHONE} offers (?P<count>\d+) distinct formats'))
def date_format_count(bench, name, count):
    options = _select_options(_page(bench, name, "/datetime"), "time.date_format")
    labels = [t for _, t, _ in options]
    if len(labels) != int(count) or len(set(labels)) != len(labels):
        raise PhoneFailure(f"the date format drop-down of {name} offers {labels}; "
                           f"{count} distinct formats were expected")


# --- what the LCD shows -----------------------------------------------------------------------------
def _standby(bench, name):
    dut = bench.dut(name)
    return dut.screen.wait_for_screen("standby", timeout=8)


def _same_date(seen: list[str], date: str) -> bool:
    """The standby's date line reads ``date``.  A space beside a Chinese character is not told
    apart by eye (or OCR) from the character's own spacing, so it is not compared."""
    def flat(text: str) -> str:
        return re.sub(r"\s*([\u3400-\u9fff])\s*", r"\1", text)
    return bool(seen) and flat(seen[0]) == flat(date)


@step(parsers.re(rf'{PHONE} shows the time "(?P<clock>[^"]+)"(?: and the date "(?P<date>[^"]+)")?'))
def shows_time(bench, name, clock, date):
    dut = bench.dut(name)
    what = f'the time "{clock}"' + (f' and the date "{date}"' if date else "")
    dut.screen.wait_for(lambda s: s.screen == "standby" and s.title == clock
                        and (date is None or _same_date(s.lines, date)), what, timeout=8)


@step(parsers.re(rf'{PHONE} shows the date "(?P<date>[^"]+)"'))
def shows_date(bench, name, date):
    bench.dut(name).screen.wait_for(lambda s: s.screen == "standby" and _same_date(s.lines, date),
                                    f'the date "{date}"', timeout=8)


@step(parsers.re(rf"{PHONE} shows the time of the SNTP server in time zone UTC(?P<sign>[+-])(?P<hh>\d\d):(?P<mm>\d\d)"))
def shows_server_time(bench, name, sign, hh, mm):
    offset = (1 if sign == "+" else -1) * timedelta(hours=int(hh), minutes=int(mm))

    def matches(s):
        if s.screen != "standby":
            return False
        host = datetime.now(timezone.utc) + offset   # chronyd serves the host's clock
        return s.title in {(host + timedelta(seconds=d)).strftime("%H:%M") for d in (-60, 0, 60)}
    bench.dut(name).screen.wait_for(matches, f"the SNTP server's time (UTC{sign}{hh}:{mm}, ±1 min)", timeout=8)


# --- menus of chapter 4 --------------------------------------------------------------------------
@step(parsers.re(rf'{PHONE} chooses "(?P<item>[^"]+)" and presses "(?P<soft>[^"]+)"'))
def choose_and_press(bench, name, item, soft):
    select_line(bench.dut(name), item)
    press_soft_key(bench, name, soft)


@step(parsers.re(rf'the LCD of {PHONE} is switched to Chinese on the phone'))
def lcd_chinese(bench, name):
    from steps.phone_steps import open_menu_path
    open_menu_path(bench, name, "Basic Settings > Language")
    choose_and_press(bench, name, "中文", "Save")
    dut = bench.dut(name)
    dut.press("ONHOOK")
    dut.screen.wait_for(lambda s: s.screen == "standby" and "菜单" in s.softkeys, "the Chinese standby screen")


@step(parsers.re(rf'{PHONE} sets the manual time on the phone to (?P<date>\d{{8}}) (?P<clock>\d{{4}})'))
def phone_manual_time(bench, name, date, clock):
    from steps.phone_steps import open_menu_path
    dut = bench.dut(name)
    open_menu_path(bench, name, "Basic Settings > Time & Date > Manual time")
    dut.screen.wait_for_screen("manual_time")
    dut.press(*date)
    dut.press("DOWN")
    dut.press(*clock)
    press_soft_key(bench, name, "Save")


@step(parsers.re(rf'the list of {PHONE} reads (?P<items>"[^"]+"(?:, "[^"]+")*) and nothing else'))
def list_reads(bench, name, items):
    want = re.findall(r'"([^"]+)"', items)
    dut = bench.dut(name)
    state = dut.screen.wait_for(lambda s: s.lines == want[:len(s.lines)] and s.lines, f"the list {want}")
    if whole_list(dut, state) != want:
        raise PhoneFailure(f"{name}: the list reads {whole_list(dut)}, expected exactly {want}")


# --- language ---------------------------------------------------------------------------------------
def _web_language(bench, name, path="/status") -> tuple[str, str]:
    text = _page(bench, name, path)
    m = re.search(r"<html lang='([^']+)'>", text)
    return (m.group(1) if m else ""), text


@step(parsers.re(rf'the web page "(?P<path>[^"]+)" of {PHONE} is (?P<language>English|Chinese)'))
def web_page_language(bench, name, path, language):
    lang, text = _web_language(bench, name, path)
    want, word = ("zh-CN", "状态") if language == "Chinese" else ("en", ">Status<")
    if lang != want or word not in text:
        raise PhoneFailure(f"the web page {path} of {name} is in {lang or 'no language'} "
                           f"(expected {language}: lang={want} and {word!r} in the menu)")


@step(parsers.re(rf'the web language drop-down of {PHONE} is set to (?P<language>English|Chinese)'))
def web_language_dropdown(bench, name, language):
    dut = bench.dut(name)
    dut.web.login()
    resp = dut.web.request("POST", "/language", data={"language": language}, allow_redirects=False)
    if resp.status_code not in (302, 303):
        raise PhoneFailure(f"the language drop-down of {name} refused {language}: {resp.status_code}")


@step(parsers.re(rf'the LCD of {PHONE} is (?P<language>English|Chinese)'))
def lcd_language(bench, name, language):
    want = "菜单" if language == "Chinese" else "Menu"
    bench.dut(name).screen.wait_for(lambda s: s.screen == "standby" and want in s.softkeys,
                                    f"the {language} standby screen (soft key {want})", timeout=8)


@step(parsers.re(rf'the LCD of {PHONE} stays (?P<language>English|Chinese)'))
def lcd_stays(bench, name, language):
    want = "菜单" if language == "Chinese" else "Menu"
    bench.dut(name).screen.wait_for(lambda s: s.screen == "standby" and want in s.softkeys,
                                    f"the {language} standby screen (soft key {want})", timeout=8, stable_secs=1.0)


# --- sounds -----------------------------------------------------------------------------------------
@step(parsers.re(rf"the bench listens to the speaker of {PHONE}"))
def listen(bench, name):
    bench.context[f"listen_{name}"] = time.time()


@step(parsers.re(rf"{PHONE} played (?P<count>\d+) key tones?"))
def key_tones_played(bench, name, count):
    since = bench.context.get(f"listen_{name}")
    if since is None:
        raise LabError("bench", f"add: When the bench listens to the speaker of {name}")
    speaker = _speaker(bench, name)

    def heard():
        return [t for t in speaker.sounds()["key_tones"] if t["at"] >= since]
    try:   # the count must be reached and then stay (no late extra tone)
        wait_until(lambda: len(heard()) == int(count) or None, 3, 0.05, stable_secs=0.5, what="key tones")
    except WaitTimeout:
        final = heard()
        raise PhoneFailure(f"{name} played {len(final)} key tones ({[t['key'] for t in final]}), "
                           f"expected {count}") from None


@step(parsers.re(rf'{PHONE} plays the ringtone "(?P<ringtone>[^"]+)"'))
def plays_ringtone(bench, name, ringtone):
    speaker = _speaker(bench, name)
    expect(lambda: speaker.sounds()["ringtone"] == ringtone, 8,
           lambda: f"{name} plays the ringtone {speaker.sounds()['ringtone']!r}, expected {ringtone!r}")


TONES = {"dial": "dial", "ring-back": "ringback", "busy": "busy", "call waiting": "call_waiting",
         "congestion": "congestion"}


@step(parsers.re(rf'{PHONE} plays the (?P<tone>dial|ring-back|busy|call waiting|congestion) tone "(?P<definition>[^"]+)"'))
def plays_tone(bench, name, tone, definition):
    speaker = _speaker(bench, name)
    kind = TONES[tone]

    def playing():
        return [t["definition"] for t in speaker.sounds()["signal_tones"] if t["type"] == kind]
    expect(lambda: definition in playing(), 8,
           lambda: f"{name} plays the {tone} tone as {playing() or 'nothing'}, expected {definition!r}")


@step(parsers.re(r'the Tones page of (?P<name>[A-B]) is submitted with (?P<values>(?:[\w.]+ = (?:[^,]|,(?! ))*(?:, )?)+)'))
def tones_submit(bench, name, values):
    """Pairs are separated by ", "; a tone value's own commas have no space after them."""
    pairs = dict(part.split(" = ", 1) for part in values.split(", "))
    dut = bench.dut(name)
    dut.web.login()
    bench.context["config_before"] = dut.web.config()
    bench.context["web_response"] = dut.web.request("POST", "/tones", data=pairs, allow_redirects=False)


@step(parsers.re(rf'the Tones page of {PHONE} shows (?P<count>\d+) tone types, (?P<state>editable|read-only)'))
def tones_page_fields(bench, name, count, state):
    text = _page(bench, name, "/tones")
    fields = re.findall(r"<input name='tones\.(\w+)' type='text' value='[^']*'( disabled)?>", text)
    if len(fields) != int(count):
        raise PhoneFailure(f"the Tones page of {name} has {len(fields)} tone types, expected {count}")
    disabled = [k for k, d in fields if d]
    if (state == "read-only") != (len(disabled) == len(fields)) or (state == "editable" and disabled):
        raise PhoneFailure(f"the Tones page of {name}: tone values should be {state}; disabled: {disabled}")


@step(parsers.re(rf'the Tones page of {PHONE} shows "(?P<label>[^"]+)" as "(?P<value>[^"]+)"'))
def tones_page_value(bench, name, label, value):
    import html as _html
    text = _html.unescape(_page(bench, name, "/tones"))
    m = re.search(rf"<label>{re.escape(label)} <input name='[^']+' type='text' value='([^']*)'", text)
    if not m or m.group(1) != value:
        raise PhoneFailure(f"the Tones page of {name} shows {label} as {m.group(1) if m else None!r}, "
                           f"expected {value!r}")


@step(parsers.re(rf"{PHONE} plays no (?P<tone>dial|ring-back|busy|call waiting|congestion) tone for (?P<secs>[\d.]+) s"))
def plays_no_tone(bench, name, tone, secs):
    speaker = _speaker(bench, name)
    kind = TONES[tone]

    def playing():
        return [t["definition"] for t in speaker.sounds()["signal_tones"] if t["type"] == kind]
    try:
        wait_until(lambda: playing() or None, float(secs), 0.05, what=f"a {tone} tone")
    except WaitTimeout:
        return
    raise PhoneFailure(f"{name} plays the {tone} tone {playing()} although none should sound")


# --- headset (§4.5.1) -------------------------------------------------------------------------------
@step(parsers.re(rf"the headset is unplugged from {PHONE}"))
def unplug_headset(bench, name):
    bench.dut(name).accessories.plug_headset(False)


@step(parsers.re(rf"the speaker of {PHONE} (?P<neg>sounds|does not sound) at (?P<hz>\d+) Hz"))
def speaker_sounds_at(bench, name, neg, hz):
    """1 s recorded from the speaker and analysed (drivers/audio_analysis.py)."""
    from drivers.audio_analysis import describe, hears
    samples, rate = _speaker(bench, name).record(1.0)
    if hears(samples, rate, float(hz)) != (neg == "sounds"):
        raise PhoneFailure(f"the speaker of {name} {'does not sound' if neg == 'sounds' else 'sounds'} at {hz} Hz: "
                           f"{describe(samples, rate, {'checked': float(hz)})}")
