"""Steps for the account and SIP options of the manual's provisionable list (§6.4.1): DTMF, User
Agent, heartbeat and STUN / NAT -- each checked where the far end or the wire sees it.

* DTMF: the far-end soft phone (pjsua2) reports each digit with the method it came by (RFC 2833
  or SIP INFO); inband digits are only tones in the audio, found by their two frequencies
  (drivers/audio_analysis.py).  The payload type is read from the INVITE's SDP and from the RTP
  event packets in the capture.
* User Agent, heartbeat OPTIONS, NAT addresses and the STUN Binding request are read from the
  capture of the bench's SIP traffic.  The STUN server is a real coturn (drivers/stun_server.py).
"""
from __future__ import annotations

import re
import struct

from pytest_bdd import parsers, step
from scapy.layers.inet import IP, UDP

from drivers.audio_analysis import describe, hears, tone_strength
from drivers.errors import LabError, PhoneFailure
from drivers.peer_audio import RATE
from drivers.stun_server import StunServer, mapped_address
from drivers.wait import WaitTimeout, wait_until
from steps.wire_steps import _sent_by_port, capture_of

PHONE = r"(?:phone )?(?P<name>[A-B])"
PEER = r"(?P<peer>[C-D])"

# The DTMF keypad frequencies (ITU-T Q.23): row tone, column tone.
DTMF_ROWS = {"123": 697, "456": 770, "789": 852, "*0#": 941}
DTMF_COLS = {"147*": 1209, "2580": 1336, "369#": 1477}
STRAY_RATIO = 0.25   # another keypad tone at a quarter of the digit's weaker tone would be a wrong digit


def dtmf_pair(digit: str) -> tuple[int, int]:
    row = next(hz for keys, hz in DTMF_ROWS.items() if digit in keys)
    col = next(hz for keys, hz in DTMF_COLS.items() if digit in keys)
    return row, col


def _sip_from(bench, name: str, method: str):
    ip = bench.dut(name).ip
    return lambda m: m.method == method and m.src[0] == ip


def _registration(bench, name: str):
    is_register = _sip_from(bench, name, "REGISTER")
    return lambda m: is_register(m) and m.header("Expires") != "0" and "expires=0" not in (m.contact or "").lower()


# --- DTMF -----------------------------------------------------------------------------------------
def _dtmf_events(bench, peer: str) -> list[dict]:
    """DTMF the peer received on the calls of this scenario (the peers live for the whole session)."""
    first = bench.context.get("peer_baseline", {}).get(peer, 0)
    calls = {c.call_id for c in bench.peer(peer).calls[first:]}
    return [data for _t, kind, data in bench.peer(peer).events if kind == "dtmf" and data["call_id"] in calls]


@step(parsers.re(rf'{PEER} receives the DTMF digit "(?P<digit>[0-9*#])" by (?P<method>RFC2833|SIP INFO)'))
def peer_receives_dtmf(bench, peer, digit, method):
    try:
        events = wait_until(lambda: _dtmf_events(bench, peer) or None, 5, 0.05, what=f"a DTMF digit at {peer}")
    except WaitTimeout:
        raise PhoneFailure(f"{peer} received no DTMF digit (RFC 2833 or SIP INFO) within 5 s") from None
    got = [(e["digit"], e["method"]) for e in events]
    if (digit, method) not in got:
        raise PhoneFailure(f"{peer} expected DTMF {digit} by {method}; it received {got}")


@step(parsers.re(rf"{PEER} receives no DTMF event"))
def peer_receives_no_dtmf(bench, peer):
    events = _dtmf_events(bench, peer)
    if events:
        raise PhoneFailure(f"{peer} received DTMF events it should not have: {events}")


@step(parsers.re(rf'{PEER} hears the DTMF tones of "(?P<digit>[0-9*#])"'))
def peer_hears_dtmf_tones(bench, peer, digit):
    """Inband DTMF: both tones of the digit are in what the peer receives, no other keypad tone is."""
    samples = bench.peer(peer).hear(seconds=1.0)
    row, col = dtmf_pair(digit)
    others = {f"other{i}": hz for i, hz in enumerate(
        hz for hz in [*DTMF_ROWS.values(), *DTMF_COLS.values()] if hz not in (row, col))}
    report = describe(samples, RATE, {"row": row, "column": col, **others})
    (bench.evidence_dir / f"inband-dtmf-{digit}.txt").write_text(report + "\n")
    if not (hears(samples, RATE, row) and hears(samples, RATE, col)):
        raise PhoneFailure(f"{peer} does not hear both DTMF tones of {digit} ({row} + {col} Hz): {report}")
    # A tone burst leaks into nearby bins; another digit's tone would be about as strong as these two.
    weaker = min(tone_strength(samples, RATE, row), tone_strength(samples, RATE, col))
    stray = [f"{hz} Hz" for hz in others.values() if tone_strength(samples, RATE, hz) > STRAY_RATIO * weaker]
    if stray:
        raise PhoneFailure(f"{peer} hears keypad tones of another digit ({', '.join(stray)} above "
                           f"{STRAY_RATIO:.0%} of the digit's weaker tone): {report}")


def _telephone_event_pt(body: str) -> int | None:
    match = re.search(r"^a=rtpmap:(\d+) telephone-event/8000", body, re.M)
    return int(match.group(1)) if match else None


@step(parsers.re(rf"the INVITE of {PHONE} offers telephone-event with payload type (?P<pt>\d+)"))
def invite_offers_pt(bench, name, pt):
    invite = capture_of(bench).wait_for_sip(_sip_from(bench, name, "INVITE"), timeout=5,
                                            what=f"an INVITE from {name}")[0]
    offered = _telephone_event_pt(invite.body)
    if offered != int(pt):
        raise PhoneFailure(f"{name}'s INVITE offers telephone-event with payload type {offered}, expected {pt}:\n"
                           f"{invite.body}")


def _rtp_payload_types(bench, name: str) -> list[int]:
    ip = bench.dut(name).ip
    sip_port = bench.dut(name).sip_port
    out = []
    for pkt in capture_of(bench).packets():
        if IP in pkt and UDP in pkt and pkt[IP].src == ip and pkt[UDP].sport not in (sip_port, 5060):
            data = bytes(pkt[UDP].payload)
            if len(data) >= 12 and data[0] >> 6 == 2:
                out.append(data[1] & 0x7F)
    return out


@step(parsers.re(rf"the RTP of {PHONE} carries the DTMF events with payload type (?P<pt>\d+)"))
def rtp_event_pt(bench, name, pt):
    try:
        wait_until(lambda: int(pt) in _rtp_payload_types(bench, name), 3, 0.05,
                   what=f"RTP packets of payload type {pt} from {name}")
    except WaitTimeout:
        seen = sorted(set(_rtp_payload_types(bench, name)))
        raise PhoneFailure(f"no RTP packet of payload type {pt} from {name}; payload types seen: {seen}") from None


@step(parsers.re(rf'{PHONE} sent an INFO carrying the DTMF digit "(?P<digit>[0-9*#])"'))
def sent_info(bench, name, digit):
    is_info = _sip_from(bench, name, "INFO")
    found = capture_of(bench).wait_for_sip(is_info, timeout=5, what=f"an INFO from {name}")
    bodies = [m.body for m in found]
    if not any(re.search(rf"Signal\s*=\s*{re.escape(digit)}\b", b) for b in bodies):
        raise PhoneFailure(f"{name}'s INFO does not carry Signal={digit}: {bodies}")


@step(parsers.re(rf"{PHONE} sent no INFO"))
def sent_no_info(bench, name):
    sent = [m for m in capture_of(bench).sip_messages() if _sip_from(bench, name, "INFO")(m)]
    if sent:
        raise PhoneFailure(f"{name} sent {len(sent)} INFO: {sent[0].body!r}")


# --- web pages ------------------------------------------------------------------------------------
@step(parsers.re(rf'the web page "(?P<page>\w+)" of {PHONE} offers (?P<key>[\w.]+) saying "(?P<text>[^"]+)"'))
def web_page_offers(bench, page, name, key, text):
    import html
    web = bench.dut(name).web
    web.login()
    resp = web.page(f"/page/{page}")
    field = next((p for p in re.findall(r"<p>.*?</p>", resp.text, re.S) if f"name='{key}'" in p), None)
    if field is None:
        raise PhoneFailure(f"the web page {page!r} of {name} has no field {key}")
    if text not in html.unescape(field):
        raise PhoneFailure(f"the field {key} on web page {page!r} does not say {text!r}: {html.unescape(field)}")


# --- the phone's menus ----------------------------------------------------------------------------
@step(parsers.re(rf'the form on the screen of {PHONE} offers no "(?P<text>[^"]+)"'))
def form_offers_no(bench, name, text):
    """Scroll the whole form (a handset shows a window of it) and look at every line."""
    dut = bench.dut(name)
    state = dut.screen.wait_for_screen("form")
    seen, start = list(state.lines), state.selected
    for _ in range(60):
        dut.press("DOWN")
        state = dut.screen.read()
        seen += [line for line in state.lines if line not in seen]
        if state.selected == start:
            break
    (bench.evidence_dir / f"form-lines-{name}.txt").write_text("\n".join(seen) + "\n")
    offending = [line for line in seen if text.lower() in line.lower()]
    if offending:
        raise PhoneFailure(f"the {state.screen} screen of {name} offers {text!r}: {offending}")
    if len(seen) < 3:
        raise LabError("screen", f"the form of {name} showed too few lines to judge: {seen}")


# --- User Agent -----------------------------------------------------------------------------------
def _user_agent_of(bench, name: str, method: str) -> str:
    match = _registration(bench, name) if method == "REGISTER" else _sip_from(bench, name, method)
    found = capture_of(bench).wait_for_sip(match, timeout=10, what=f"a {method} from {name}")[-1]
    return found.header("User-Agent") or ""


@step(parsers.re(rf'the (?P<method>REGISTER|INVITE|OPTIONS) of {PHONE} carries the User-Agent "(?P<ua>[^"]+)"'))
def carries_user_agent(bench, method, name, ua):
    got = _user_agent_of(bench, name, method)
    if got != ua:
        raise PhoneFailure(f"{name}'s {method} carries User-Agent {got!r}, expected {ua!r}")


@step(parsers.re(rf"the (?P<method>REGISTER|INVITE) of {PHONE} carries its factory User-Agent \(model and firmware\)"))
def carries_factory_user_agent(bench, method, name):
    identity = bench.dut(name).web.identity()
    wanted = f"{identity['model']} {identity['firmware']}"
    got = _user_agent_of(bench, name, method)
    if not got.startswith(wanted):
        raise PhoneFailure(f"{name}'s {method} carries User-Agent {got!r}, expected it to start with {wanted!r}")


# --- heartbeat ------------------------------------------------------------------------------------
def _heartbeats(bench, name: str) -> list:
    ip, registrar = bench.dut(name).ip, str(bench.lab.registrar.ip)
    return [m for m in capture_of(bench).sip_messages()
            if m.method == "OPTIONS" and m.src[0] == ip and m.dst[0] == registrar]


@step(parsers.re(rf"{PHONE} sends OPTIONS to the registrar every (?P<secs>[\d.]+) s within (?P<tol>\d+) ms"))
def heartbeat_every(bench, name, secs, tol):
    interval, tolerance, wanted = float(secs), int(tol) / 1000, 3
    try:
        wait_until(lambda: len(_heartbeats(bench, name)) >= wanted, wanted * interval + 2, 0.05,
                   what=f"{wanted} OPTIONS from {name}")
    except WaitTimeout:
        pass   # the check below reports what was seen
    sent = _heartbeats(bench, name)[:wanted]
    gaps = [round(b.time - a.time, 3) for a, b in zip(sent, sent[1:])]
    report = (f"heartbeat OPTIONS of {name} to the registrar: {len(sent)} seen, gaps {gaps} s; "
              f"expected {interval} s +/- {tolerance} s")
    (bench.evidence_dir / f"heartbeat-{name}.txt").write_text(report + "\n")
    if len(sent) < wanted or any(abs(g - interval) > tolerance for g in gaps):
        raise PhoneFailure(report)
    for m in sent:
        if m.request_uri is None or not m.request_uri.startswith(f"sip:{bench.lab.registrar.ip}"):
            raise PhoneFailure(f"{name}'s heartbeat OPTIONS is for {m.request_uri}, not its registrar server")


@step(parsers.re(rf"{PHONE} sends no OPTIONS to the registrar for (?P<secs>[\d.]+) s"))
def heartbeat_none(bench, name, secs):
    try:   # a deadline, not a sleep: any OPTIONS seen ends the wait at once
        wait_until(lambda: _heartbeats(bench, name) or None, float(secs), 0.05, what="no OPTIONS")
    except WaitTimeout:
        return
    raise PhoneFailure(f"{name} sent a heartbeat OPTIONS: {_heartbeats(bench, name)[0].summary()}")


@step(parsers.re(r"the registrar answers the OPTIONS with 200"))
def registrar_answers_options(bench):
    registrar = str(bench.lab.registrar.ip)
    capture_of(bench).wait_for_sip(lambda m: m.status == 200 and m.cseq_method == "OPTIONS"
                                   and m.src[0] == registrar, timeout=5, what="200 to OPTIONS from the registrar")


# --- NAT and STUN ---------------------------------------------------------------------------------
def _via_host_port(via: str) -> tuple[str, int]:
    sent_by = via.split(";", 1)[0].split()[-1]
    return sent_by.rsplit(":", 1)[0], _sent_by_port(via)


def _contact_host_port(contact: str) -> tuple[str, int]:
    match = re.search(r"sips?:(?:[^@>;]*@)?([^:;>]+)(?::(\d+))?", contact or "")
    if match is None:
        return "", 0
    return match.group(1), int(match.group(2) or 5060)


def _check_register_shows(bench, name: str, address: str, port: int) -> None:
    found = capture_of(bench).wait_for_sip(_registration(bench, name), timeout=10,
                                           what=f"a REGISTER from {name}")[-1]
    local_port = bench.dut(name).sip_port
    via, contact = _via_host_port(found.vias[0]), _contact_host_port(found.contact or "")
    problems = []
    if via != (address, port):
        problems.append(f"Via sent-by is {via[0]}:{via[1]} ({found.vias[0]})")
    if contact != (address, port):
        problems.append(f"Contact is {found.contact!r}")
    if found.src != (bench.dut(name).ip, local_port):
        problems.append(f"it left from {found.src[0]}:{found.src[1]}, not the local SIP port {local_port}")
    (bench.evidence_dir / f"nat-register-{name}.txt").write_text(found.raw.decode(errors="replace"))
    if problems:
        raise PhoneFailure(f"{name}'s REGISTER does not show {address}:{port}: " + "; ".join(problems))


@step(parsers.re(rf"the REGISTER of {PHONE} shows (?P<address>\S+) in Via and Contact and leaves from its local SIP port"))
def register_shows_address(bench, name, address):
    address = bench.expand(address)
    _check_register_shows(bench, name, address, bench.dut(name).sip_port)


@step(parsers.re(r"the bench runs a STUN server at (?P<ip>[^:\s]+):(?P<port>\d+)"))
def run_stun(bench, ip, port):
    ip = bench.expand(ip)
    bench.tool("stun_server", lambda: StunServer(ip, int(port), log_dir=bench.evidence_dir).start())


def _stun_server(bench) -> StunServer:
    try:
        return bench.context["stun_server"]
    except KeyError:
        raise LabError("bench", "the scenario uses a STUN server but never started it "
                                "(add: Given the bench runs a STUN server at {bench.block}.40:3478)") from None


def _stun_exchanges(bench, name: str) -> tuple[list, list]:
    """Binding requests from the phone's SIP socket to the server, and the server's answers to it."""
    server = _stun_server(bench)
    phone = (bench.dut(name).ip, bench.dut(name).sip_port)
    requests, answers = [], []
    for pkt in capture_of(bench).packets():
        if IP not in pkt or UDP not in pkt:
            continue
        data = bytes(pkt[UDP].payload)
        if len(data) < 20 or data[0] & 0xC0 or struct.unpack("!H", data[2:4])[0] + 20 != len(data):
            continue   # not a STUN message (RFC 5389 §6: two zero bits, then a length that fits)
        src, dst = (pkt[IP].src, pkt[UDP].sport), (pkt[IP].dst, pkt[UDP].dport)
        kind = struct.unpack("!H", data[:2])[0]
        if src == phone and dst == (server.address, server.port) and kind == 0x0001:
            requests.append(data)
        elif src == (server.address, server.port) and dst == phone and kind == 0x0101:
            answers.append(data)
    return requests, answers


@step(parsers.re(rf"{PHONE} asks the STUN server for its mapped address from its SIP port"))
def asks_stun(bench, name):
    try:
        wait_until(lambda: all(_stun_exchanges(bench, name)), 10, 0.05,
                   what=f"a STUN Binding request from {name}'s SIP port and its answer")
    except WaitTimeout:
        requests, answers = _stun_exchanges(bench, name)
        raise PhoneFailure(f"{name} sent {len(requests)} STUN Binding request(s) from its SIP port to "
                           f"{_stun_server(bench).server}; {len(answers)} answer(s) came back") from None
    mapped = mapped_address(_stun_exchanges(bench, name)[1][-1])
    if mapped is None:
        raise LabError("stun server", "the STUN server's answer carries no mapped address")
    bench.context["stun_mapped"] = mapped
    (bench.evidence_dir / f"stun-mapped-{name}.txt").write_text(f"{mapped[0]}:{mapped[1]}\n")


@step(parsers.re(rf"the REGISTER of {PHONE} shows the STUN mapped address in Via and Contact"))
def register_shows_mapped(bench, name):
    address, port = bench.context["stun_mapped"]
    _check_register_shows(bench, name, address, port)


@step(parsers.re(rf"{PHONE} sends no STUN Binding request"))
def no_stun(bench, name):
    requests, _ = _stun_exchanges(bench, name)
    if requests:
        raise PhoneFailure(f"{name} sent {len(requests)} STUN Binding request(s) with NAT disabled")
