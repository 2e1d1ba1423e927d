"""Steps of §5.9 (auto redial) and §5.11 (anonymous call and its rejection).

Both are checked on the wire: the anonymous INVITE as the far end received it
(From and Privacy), the phone's 433 as captured, and the redial attempts as the
INVITEs the phone sent, one per new call (Call-ID), with their times.
"""
from __future__ import annotations

from pytest_bdd import parsers, step

from drivers.errors import PhoneFailure
from drivers.wait import WaitTimeout, wait_until
from steps.call_steps import new_peer_call
from steps.feature_steps import _record
from steps.wire_steps import capture_of

PHONE = r"(?:phone )?(?P<name>[A-B])"
PEER = r"(?P<peer>[C-D])"
OTHER = r"(?P<other>[A-D])"


# --- anonymous call (§5.11) -------------------------------------------------------------------------
@step(parsers.re(rf"{PEER} calls {PHONE} anonymously"))
def peer_calls_anonymously(bench, peer, name):
    bench.peer(peer).call(bench.number_of(name), anonymous=True)


@step(parsers.re(rf"{PEER} calls (?P<number>\d+) anonymously"))
def peer_calls_number_anonymously(bench, peer, number):
    bench.peer(peer).call(number, anonymous=True)


@step(parsers.re(rf"{PEER} receives a call from {PHONE} that hides its caller"))
def peer_gets_anonymous_call(bench, peer, name):
    call = new_peer_call(bench, bench.peer(peer))
    number = bench.number_of(name)
    problems = []
    if "anonymous" not in call.remote_uri.lower():
        problems.append(f"From URI is {call.remote_uri!r}, expected an anonymous one")
    if number in call.remote_uri or number in call.remote_display_name:
        problems.append(f"From still shows {number}")
    privacy = {k.lower(): v for k, v in call.invite_headers.items()}.get("privacy", "")
    if "id" not in [v.strip().lower() for v in privacy.split(";")]:
        problems.append(f"Privacy header is {privacy!r}, expected 'id'")
    if problems:
        raise PhoneFailure(f"{peer} received a call from {name} that shows who calls: " + "; ".join(problems))


@step(parsers.re(rf"{PEER} receives a call from {PHONE} that shows its number"))
def peer_gets_named_call(bench, peer, name):
    call = new_peer_call(bench, bench.peer(peer))
    number = bench.number_of(name)
    if f"sip:{number}@" not in call.remote_uri:
        raise PhoneFailure(f"{peer} received a call from {call.remote_uri!r}, expected {name}'s number {number}")


@step(parsers.re(rf"{PHONE} answered the anonymous INVITE with (?P<code>\d{{3}}) and no 180"))
def answered_anonymous(bench, name, code):
    ip = bench.dut(name).ip
    cap = capture_of(bench)
    final = cap.wait_for_sip(
        lambda m: (not m.is_request and m.src[0] == ip and m.cseq_method == "INVITE" and m.status == int(code)
                   and "anonymous" in (m.from_uri or "").lower()),
        timeout=8, what=f"{code} from {name} to the anonymous INVITE")[-1]
    if any(m.status == 180 and m.call_id == final.call_id for m in cap.sip_messages()):
        raise PhoneFailure(f"{name} rang (180) before refusing the anonymous call with {code}")


# --- auto redial (§5.9) -----------------------------------------------------------------------------
def _call_attempts(bench, name: str, number: str) -> list[float]:
    """Times of the phone's new INVITEs (one per Call-ID) for ``number``."""
    ip = bench.dut(name).ip
    first: dict[str, float] = {}
    for m in capture_of(bench).sip_messages():
        if m.method == "INVITE" and m.src[0] == ip and (m.request_uri or "").startswith(f"sip:{number}@"):
            first.setdefault(m.call_id or "", m.time)
    return sorted(first.values())


@step(parsers.re(rf"{PEER} refuses every call with (?P<code>\d{{3}})"))
def peer_refuses_all(bench, peer, code):
    bench.peer(peer).set_auto_answer(int(code))


@step(parsers.re(rf"{PHONE} calls {OTHER} (?P<count>\d+) times, (?P<secs>[\d.]+) s apart"))
def redial_attempts(bench, name, other, count, secs):
    count, secs = int(count), float(secs)
    number = bench.number_of(other)
    try:
        wait_until(lambda: len(_call_attempts(bench, name, number)) >= count, count * (secs + 2) + 3, 0.1,
                   what=f"{count} calls to {number}")
    except WaitTimeout:
        raise PhoneFailure(f"{name} called {other} {len(_call_attempts(bench, name, number))} times, "
                           f"expected {count}") from None
    times = _call_attempts(bench, name, number)[:count]
    gaps = [b - a for a, b in zip(times, times[1:])]
    for i, gap in enumerate(gaps, 1):
        # The gap runs from one INVITE to the next: the refusal's round trip adds a little.
        _record(bench, f"auto redial: gap before attempt {i + 1}", gap, f"{secs} s", "+0.0/+0.8 s")
    bad = [f"{g:.2f}" for g in gaps if not secs - 0.05 <= g <= secs + 0.8]
    if bad:
        raise PhoneFailure(f"{name}'s calls to {other} came {[round(g, 2) for g in gaps]} s apart, "
                           f"expected {secs} s each (off: {bad})")


@step(parsers.re(rf"{PHONE} called {OTHER} exactly (?P<count>\d+) times? in (?P<secs>[\d.]+) s"))
def exact_attempts(bench, name, other, count, secs):
    number = bench.number_of(other)
    try:
        wait_until(lambda: len(_call_attempts(bench, name, number)) > int(count), float(secs), 0.1)
    except WaitTimeout:
        pass   # the expected outcome: no further call within the time
    made = len(_call_attempts(bench, name, number))
    if made != int(count):
        raise PhoneFailure(f"{name} called {other} {made} times in {secs} s, expected exactly {count}")
