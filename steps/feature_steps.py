"""Steps of chapter 5's call features: DND, forward, transfer, call waiting, auto answer.

What the far end saw is read from the peers' own records (calls, hold state,
REFERs they received); what the phone sent is read from the bench capture, so
a scenario checks the wire and not only the phone's screen.
"""
from __future__ import annotations

import json
import time

from pytest_bdd import parsers, step

from drivers.errors import LabError, PhoneFailure
from drivers.wait import WaitTimeout, wait_until
from steps.call_steps import new_peer_call, peer_call_reaches, peer_calls
from steps.wire_steps import capture_of

PHONE = r"(?:phone )?(?P<name>[A-B])"
PEER = r"(?P<peer>[C-D])"
OTHER = r"(?P<other>[A-D])"


def _record(bench, what: str, measured: float, expected: str, tolerance: str) -> None:
    """Measured checks keep their value, the expectation and the tolerance in the evidence."""
    path = bench.evidence_dir / "measurements.jsonl"
    with path.open("a") as f:
        f.write(json.dumps({"what": what, "measured": round(measured, 3), "expected": expected,
                            "tolerance": tolerance}) + "\n")


def _number_in(uri: str | None, number: str) -> bool:
    return bool(uri) and f"sip:{number}@" in uri


def _invite_responses(bench, name: str, caller: str, timeout: float = 8.0, status: int | None = None):
    """Responses the phone sent to the INVITE that ``caller`` sent it (via the registrar)."""
    ip = bench.dut(name).ip
    number = bench.number_of(caller)

    def match(m):
        return (not m.is_request and m.src[0] == ip and m.cseq_method == "INVITE"
                and _number_in(m.from_uri, number) and (status is None or m.status == status))
    return capture_of(bench).wait_for_sip(match, timeout=timeout,
                                          what=f"{status or 'a'} response of {name} to {caller}'s INVITE")


# --- bench set-up ---------------------------------------------------------------------------------
@step(parsers.re(rf"account 2 of {PHONE} is registered as (?P<user>\w+)"))
def second_account(bench, name, user):
    dut = bench.dut(name)
    r = bench.lab.registrar
    password = next((u.password for u in r.users if str(u.user) == user), None)
    if password is None:
        raise LabError("bench", f"user {user} is not on the registrar of bench {bench.lab.bench}")
    dut.web.login()
    dut.web.set_config({"account.2.enable": 1, "account.2.user_name": user, "account.2.register_name": user,
                        "account.2.password": password, "account.2.server1": str(r.ip),
                        "account.2.port": r.port, "account.2.label": "Second"})
    try:
        bench.registrar.wait_registered(user, 10)
    except WaitTimeout as exc:
        raise LabError("registrar", f"{name} account 2 ({user}) never registered: {exc}") from exc


@step(parsers.re(rf'the web UI of {PHONE} sets (?P<key>[\w.]+) to "(?P<value>[^"]*)"'))
def web_sets_one(bench, name, key, value):
    """One setting whose value may hold commas (a list of numbers)."""
    dut = bench.dut(name)
    dut.web.login()
    dut.web.set_config({key: value})


@step(parsers.re(rf"{PEER} calls (?P<number>\d+)"))
def peer_calls_number(bench, peer, number):
    bench.peer(peer).call(number)


@step(parsers.re(rf'{PHONE} sets "(?P<field>[^"]+)" to the number of {OTHER}'))
def set_field_to_number(bench, name, field, other):
    from steps.phone_steps import set_form_field
    set_form_field(bench, name, field, bench.number_of(other))


# --- the phone's answers on the wire ------------------------------------------------------------
@step(parsers.re(rf"{PHONE} answered the INVITE from {OTHER} with (?P<code>\d{{3}}) and no 180"))
def answered_without_ringing(bench, name, other, code):
    final = _invite_responses(bench, name, other, status=int(code))[-1]
    ringing = [m for m in capture_of(bench).sip_messages()
               if not m.is_request and m.status == 180 and m.call_id == final.call_id
               and m.src[0] == bench.dut(name).ip]
    if ringing:
        raise PhoneFailure(f"{name} sent 180 Ringing before its {code} to {other}'s INVITE")


@step(parsers.re(rf"{PHONE} answered the INVITE from {OTHER} with 302 pointing to (?P<target>[A-D])"
                 r"(?: (?P<secs>[\d.]+) s after its 180)?"))
def redirected(bench, name, other, target, secs):
    timeout = 8.0 + float(secs or 0)
    moved = _invite_responses(bench, name, other, timeout=timeout, status=302)[-1]
    number = bench.number_of(target)
    if not _number_in(moved.contact, number):
        raise PhoneFailure(f"{name}'s 302 names Contact {moved.contact!r}, expected {number}")
    if secs is None:
        return
    ringing = [m for m in capture_of(bench).sip_messages()
               if not m.is_request and m.status == 180 and m.call_id == moved.call_id
               and m.src[0] == bench.dut(name).ip]
    if not ringing:
        raise PhoneFailure(f"{name} sent no 180 before forwarding {other}'s call")
    waited = moved.time - ringing[0].time
    _record(bench, "no-answer forward: 180 to 302", waited, f"{secs} s", "±0.5 s")
    if abs(waited - float(secs)) > 0.5:
        raise PhoneFailure(f"{name} forwarded {waited:.2f} s after its 180, expected {secs} s ± 0.5 s")


@step(parsers.re(rf"{PHONE} sent no (?P<code>\d{{3}})"))
def sent_no_status(bench, name, code):
    ip = bench.dut(name).ip
    sent = [m for m in capture_of(bench).sip_messages() if m.status == int(code) and m.src[0] == ip]
    if sent:
        raise PhoneFailure(f"{name} sent {code}: {sent[0].summary()}")


@step(parsers.re(rf"{PHONE} sent an INVITE for (?P<number>[0-9*#]+)"))
def sent_invite_for(bench, name, number):
    ip = bench.dut(name).ip
    capture_of(bench).wait_for_sip(
        lambda m: m.method == "INVITE" and m.src[0] == ip and (m.request_uri or "").startswith(f"sip:{number}@"),
        timeout=5, what=f"an INVITE for {number} from {name}")


@step(parsers.re(rf"{PHONE} shows a waiting call from {OTHER}"))
def shows_waiting_call(bench, name, other):
    number = bench.number_of(other)
    bench.dut(name).screen.wait_for(lambda s: any(l.startswith(f"Call waiting: {number}") for l in s.lines),
                                    f"a waiting call from {number}", timeout=5)


@step(parsers.re(rf"{PHONE} did not ring"))
def did_not_ring(bench, name):
    dut = bench.dut(name)
    dut.screen.wait_for(lambda s: s.screen != "ringing", "no ringing screen", timeout=3, stable_secs=0.5)
    sent = [m for m in capture_of(bench).sip_messages() if m.status == 180 and m.src[0] == dut.ip]
    if sent:
        raise PhoneFailure(f"{name} sent 180 Ringing: {sent[0].summary()}")


# --- what the peers saw -----------------------------------------------------------------------------
def _live_call_with(bench, peer, number: str):
    """The peer's live call with ``number``; else its only live call (a call to the phone's other account)."""
    live = [c for c in peer_calls(bench, peer) if c.state != "DISCONNECTED"]
    calls = [c for c in live if number in c.remote_uri]
    return calls[-1] if calls else (live[0] if len(live) == 1 else None)


@step(parsers.re(rf"{PEER} rings with a call from (?P<other>[C-D])"))
def peer_rings_from_peer(bench, peer, other):
    p = bench.peer(peer)
    number = bench.number_of(other)
    try:
        wait_until(lambda: any(c.direction == "in" and _number_in(c.remote_uri, number)
                               for c in peer_calls(bench, p)), 8, 0.02, what=f"{peer} ringing")
    except WaitTimeout:
        raise PhoneFailure(f"{peer} saw no call from {other} ({number}): "
                           f"{[(c.direction, c.remote_uri) for c in peer_calls(bench, p)]}") from None


@step(parsers.re(rf"{PEER} is in a call with (?P<other>[C-D])"))
def peer_in_call_with_peer(bench, peer, other):
    p = bench.peer(peer)
    number = bench.number_of(other)

    def talking():
        return any(c.state == "CONFIRMED" and _number_in(c.remote_uri, number) for c in peer_calls(bench, p))
    try:
        wait_until(talking, 8, 0.02, what=f"{peer} talking to {other}")
    except WaitTimeout:
        raise PhoneFailure(f"{peer} is not in a call with {other}: "
                           f"{[(c.remote_uri, c.state) for c in peer_calls(bench, p)]}") from None


@step(parsers.re(rf"{PEER} hears audio from (?P<other>[C-D])"))
def peer_hears_peer(bench, peer, other):
    p = bench.peer(peer)
    number = bench.number_of(other)
    try:
        wait_until(lambda: any(c.media_active and c.media_dir == "sendrecv" and _number_in(c.remote_uri, number)
                               for c in peer_calls(bench, p)), 5, 0.05, what="active audio")
    except WaitTimeout:
        raise PhoneFailure(f"{peer}'s call with {other} has no two-way audio") from None


@step(parsers.re(rf"{PEER} hears ringback from {PHONE}"))
def peer_hears_ringback(bench, peer, name):
    peer_call_reaches(bench, bench.peer(peer), "EARLY")


@step(parsers.re(rf"{PEER}'s call is not answered for (?P<secs>[\d.]+) s"))
def peer_not_answered(bench, peer, secs):
    p = bench.peer(peer)
    new_peer_call(bench, p)
    try:
        wait_until(lambda: "CONFIRMED" in peer_calls(bench, p)[-1].states_seen, float(secs), 0.05)
    except WaitTimeout:
        return
    raise PhoneFailure(f"{peer}'s call was answered within {secs} s")


@step(parsers.re(rf"{PEER}'s call is answered between (?P<lo>[\d.]+) and (?P<hi>[\d.]+) s after it rang"))
def peer_answered_after(bench, peer, lo, hi):
    p = bench.peer(peer)
    call = peer_call_reaches(bench, p, "CONFIRMED", timeout=float(hi) + 5)
    early = [t for t, kind, data in p.events
             if kind == "call_state" and data.get("state") == "EARLY" and data.get("call_id") == call.call_id]
    if not early:
        raise PhoneFailure(f"{peer}'s call was answered without ringing first")
    waited = call.connected_at - early[0]
    _record(bench, "auto answer: 180 to 200", waited, f"{lo}..{hi} s", "range")
    if not float(lo) <= waited <= float(hi):
        raise PhoneFailure(f"{peer}'s call was answered {waited:.2f} s after it rang, expected {lo}..{hi} s")


@step(parsers.re(rf"{PEER} is (?P<how>put on|taken off) hold by {PHONE}"))
def peer_hold_state(bench, peer, how, name):
    p = bench.peer(peer)
    number = bench.number_of(name)
    want = "REMOTE_HOLD" if how == "put on" else "ACTIVE"

    def reached():
        call = _live_call_with(bench, p, number)
        return call if call and call.media_status == want else None
    try:
        wait_until(reached, 5, 0.02, what=f"{peer} {how} hold")
    except WaitTimeout:
        call = _live_call_with(bench, p, number)
        raise PhoneFailure(f"{peer}'s call with {name} is {call.media_status if call else 'gone'}, "
                           f"expected {want}") from None


@step(parsers.re(rf"{PEER} was asked to call (?P<target>[A-D]) (?P<how>with|without) Replaces"))
def peer_referred(bench, peer, target, how):
    number = bench.number_of(target)
    refer = capture_of(bench).wait_for_sip(
        lambda m: m.method == "REFER" and number in (m.header("Refer-To") or ""), timeout=5,
        what=f"a REFER naming {target}")[-1]
    has_replaces = "replaces" in (refer.header("Refer-To") or "").lower()
    if has_replaces != (how == "with"):
        raise PhoneFailure(f"the REFER's Refer-To is {refer.header('Refer-To')!r}: expected it {how} Replaces")
    p = bench.peer(peer)
    since = time.monotonic() - (time.time() - refer.time) - 0.5   # the REFER's time on the peers' clock
    try:
        wait_until(lambda: any(kind == "transfer_request" and number in data.get("target", "") and t >= since
                               for t, kind, data in p.events), 5, 0.02, what=f"{peer} got the REFER")
    except WaitTimeout:
        raise PhoneFailure(f"{peer} never received a REFER to {target}") from None
