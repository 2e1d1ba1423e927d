"""Steps about calls (manual §5.1–5.4) between phones under test and far-end peers.

Roles: A and B are phones under test (reference phones on the embedded bench);
C and D are far-end soft phones on pjsua2 inside the harness.
"""
from __future__ import annotations

from pytest_bdd import parsers, step

from drivers.errors import PhoneFailure
from drivers.wait import WaitTimeout, wait_until
from steps import vocabulary as vocab

PHONE = r"(?:phone )?(?P<name>[A-B])"
PEER = r"(?P<peer>[C-D])"
ANY = r"(?P<who>[A-D])"


def peer_calls(bench, peer):
    """The peer's calls made during this scenario (earlier scenarios' calls are left out)."""
    return peer.calls[bench.context.setdefault("peer_baseline", {}).get(peer.name, 0):]


def new_peer_call(bench, peer, timeout=8.0):
    def arrived():   # a call record is complete once the far end's URI is known
        calls = peer_calls(bench, peer)
        return calls[-1] if calls and calls[-1].remote_uri else None
    try:
        return wait_until(arrived, timeout, 0.02, what=f"a call at {peer.name}")
    except WaitTimeout:
        raise PhoneFailure(f"{peer.name} ({peer.uri}) saw no call within {timeout:.0f} s") from None


def peer_call_reaches(bench, peer, state, timeout=8.0):
    def reached():
        calls = peer_calls(bench, peer)
        return calls[-1] if calls and state in calls[-1].states_seen else None
    try:
        return wait_until(reached, timeout, 0.02, what=f"{peer.name} call {state}")
    except WaitTimeout:
        calls = peer_calls(bench, peer)
        now = f"{calls[-1].state} (last status {calls[-1].last_status_code})" if calls else "no call"
        raise PhoneFailure(f"{peer.name}'s call never reached {state} within {timeout:.0f} s; now {now}") from None


# --- far-end peers act --------------------------------------------------------------------------
@step(parsers.re(rf"{PEER} will let its phone ring"))
def peer_rings(bench, peer):
    bench.peer(peer).set_auto_answer(None)


@step(parsers.re(rf"{PEER} answers every call"))
def peer_auto_answers(bench, peer):
    bench.peer(peer).set_auto_answer(200)


@step(parsers.re(rf"{PEER} calls {PHONE}"))
def peer_calls_phone(bench, peer, name):
    bench.peer(peer).call(bench.number_of(name))


@step(parsers.re(rf"{PEER} answers"))
def peer_answers(bench, peer):
    new_peer_call(bench, bench.peer(peer))
    bench.peer(peer).answer(200)


@step(parsers.re(rf"{PEER} rejects the call with (?P<code>\d{{3}})"))
def peer_rejects(bench, peer, code):
    new_peer_call(bench, bench.peer(peer))
    bench.peer(peer).reject(int(code))


@step(parsers.re(rf"{PEER} hangs up"))
def peer_hangs_up(bench, peer):
    bench.peer(peer).hangup()


# --- what the peers saw ---------------------------------------------------------------------------
@step(parsers.re(rf"{PEER} rings with a call from (?P<name>[A-B]|\d+)"))
def peer_rings_from(bench, peer, name):
    p = bench.peer(peer)
    call = new_peer_call(bench, p)
    number = name if name.isdigit() else bench.number_of(name)
    if call.direction != "in" or f"sip:{number}@" not in call.remote_uri:
        raise PhoneFailure(f"{peer} got {call.direction} call from {call.remote_uri}, expected one from {number}")
    bench.context["last_peer_call"] = call


@step(parsers.re(rf'{PEER} sees the caller name "(?P<display>[^"]*)"'))
def peer_sees_display(bench, peer, display):
    call = new_peer_call(bench, bench.peer(peer))
    if call.remote_display_name != display:
        raise PhoneFailure(f"{peer} saw caller name {call.remote_display_name!r}, expected {display!r} "
                           f"(From display-name of the INVITE)")


@step(parsers.re(rf"the INVITE that {PEER} received was for the number (?P<number>[0-9*#]+)"))
def invite_request_uri(bench, peer, number):
    call = new_peer_call(bench, bench.peer(peer))
    if not call.request_uri or not call.request_uri.startswith(f"sip:{number}@"):
        raise PhoneFailure(f"{peer} received an INVITE for {call.request_uri!r}, expected user part {number}")


@step(parsers.re(rf"{PEER} received exactly (?P<count>\d+) calls?"))
def peer_call_count(bench, peer, count):
    p = bench.peer(peer)
    new_peer_call(bench, p)
    calls = [c for c in peer_calls(bench, p) if c.direction == "in"]
    if len(calls) != int(count):
        raise PhoneFailure(f"{peer} received {len(calls)} calls, expected {count}")


@step(parsers.re(rf"{PEER} is in a call with {PHONE}"))
def peer_in_call(bench, peer, name):
    call = peer_call_reaches(bench, bench.peer(peer), "CONFIRMED")
    if f"sip:{bench.number_of(name)}@" not in call.remote_uri:
        raise PhoneFailure(f"{peer} is in a call with {call.remote_uri}, not with {name}")


@step(parsers.re(rf"{PEER}'s call ends with status (?P<code>\d{{3}})"))
def peer_call_status(bench, peer, code):
    call = peer_call_reaches(bench, bench.peer(peer), "DISCONNECTED")
    if call.last_status_code != int(code):
        raise PhoneFailure(f"{peer}'s call ended with {call.last_status_code} {call.last_reason}, expected {code}")
    if "CONFIRMED" in call.states_seen and int(code) >= 300:
        raise PhoneFailure(f"{peer}'s call was answered before it ended with {code}")


@step(parsers.re(rf"{PEER}'s call ends"))
def peer_call_ends(bench, peer):
    peer_call_reaches(bench, bench.peer(peer), "DISCONNECTED")


@step(parsers.re(rf"{PEER} hears audio from {PHONE}"))
def peer_media_active(bench, peer, name):
    p = bench.peer(peer)
    try:
        wait_until(lambda: (peer_calls(bench, p) or [None])[-1] is not None
                   and peer_calls(bench, p)[-1].media_active, 5, 0.05, what="active audio")
    except WaitTimeout:
        raise PhoneFailure(f"{peer}'s call with {name} has no active audio stream") from None


# --- phones under test ------------------------------------------------------------------------------
@step(parsers.re(rf"{PHONE} rings with a call from (?P<caller>[A-D])"))
def phone_rings(bench, name, caller):
    dut = bench.dut(name)
    number = bench.number_of(caller)
    dut.screen.wait_for(lambda s: s.screen == "ringing" and number in " ".join(s.lines),
                        f"an incoming call from {number}", timeout=8)


def wait_call_screen(bench, name, other, mode, screens, what):
    """The phone shows a call with ``other`` on one of ``screens``, with the icon of the audio ``mode``."""
    number = bench.number_of(other)
    want = vocab.MODES[mode]
    bench.dut(name).screen.wait_for(
        lambda s: s.screen in screens and number in " ".join(s.lines) and want in s.icons,
        f"{what} {number} with the {mode} icon", timeout=8)


@step(parsers.re(rf"{PHONE} is talking to (?P<other>[A-D]) in (?P<mode>handset|hands-free|headset) mode"))
def phone_talking(bench, name, other, mode):
    wait_call_screen(bench, name, other, mode, ("talking",), "talking to")


@step(parsers.re(rf"{PHONE} is calling (?P<other>[A-D]) in (?P<mode>handset|hands-free|headset) mode"))
def phone_calling(bench, name, other, mode):
    wait_call_screen(bench, name, other, mode, ("calling", "talking"), "a call to")


@step(parsers.re(rf"{PHONE} returns to the standby screen"))
def back_to_standby(bench, name):
    bench.dut(name).screen.wait_for_screen("standby", timeout=8)


@step(parsers.re(rf'the (?P<kind>dialled|received|missed) calls of {PHONE} list the number of (?P<other>[A-D])'))
def history_lists(bench, name, kind, other):
    dut = bench.dut(name)
    number = bench.number_of(other)
    records = dut.web.history(kind)
    if not records or records[0]["number"] != number:
        raise PhoneFailure(f"{name}'s {kind} calls are {[r['number'] for r in records]}, "
                           f"expected {number} first")


@step(parsers.re(rf"{PEER} received no call for (?P<secs>[\d.]+) s"))
def peer_no_call(bench, peer, secs):
    """Nothing may arrive during the window: the window itself is the check (a hotline delay)."""
    p = bench.peer(peer)
    try:
        call = wait_until(lambda: next(iter(peer_calls(bench, p)), None), float(secs), 0.02)
    except WaitTimeout:
        return
    raise PhoneFailure(f"{peer} received a call from {call.remote_uri} before {secs} s had passed")
