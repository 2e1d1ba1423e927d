"""Steps of §6.6, Action URL: the phone's HTTP GETs arrive at a listener on the bench.

A few composite steps put the phone into the state an event needs ("A is in a
call with C", "A is ringing with a call from C" …), built from the same keypad
and peer actions the chapter-5 features use, so each event's scenario can be a
row of a table.
"""
from __future__ import annotations


from pytest_bdd import parsers, step

from drivers.action_url_listener import ActionUrlListener
from drivers.errors import PhoneFailure
from steps.call_steps import peer_call_reaches, peer_in_call, phone_rings, wait_call_screen
from steps.phone_steps import press_soft_key, type_number_of
from steps.wire_steps import capture_of

PHONE = r"(?:phone )?(?P<name>[A-B])"
PEER = r"(?P<peer>[C-D])"
OTHER = r"(?P<other>[A-D])"


def _listener(bench) -> ActionUrlListener:
    return bench.tool("action_url_listener", lambda: ActionUrlListener(str(bench.lab.peers.host_ip)))


@step(parsers.re(rf'the Action URL of "(?P<event>\w+)" on {PHONE} reports(?P<variables>(?: \$\w+)*)'))
def point_action_url(bench, event, name, variables):
    query = "&".join(f"{v[1:]}={v}" for v in variables.split())
    dut = bench.dut(name)
    dut.web.login()
    dut.web.set_config({f"action_url.{event}": _listener(bench).url_for(event, query)})


@step(parsers.re(rf'{PHONE} sends the Action URL "(?P<event>\w+)"'))
def sends_action_url(bench, name, event):
    request = _listener(bench).wait_for(event, timeout=8)
    if request.client != bench.dut(name).ip:
        raise PhoneFailure(f"the {event} request came from {request.client}, not {name} ({bench.dut(name).ip})")
    bench.context[f"action_url_{event}"] = request
    with (bench.evidence_dir / "action-urls.txt").open("a") as f:
        f.write(f"{event}: {request.path} {request.query}\n")


@step(parsers.re(rf'{PHONE} sends no Action URL "(?P<event>\w+)" for (?P<secs>[\d.]+) s'))
def sends_no_action_url(bench, name, event, secs):
    try:
        _listener(bench).wait_for(event, timeout=float(secs))
    except PhoneFailure:
        return
    raise PhoneFailure(f"{name} sent an Action URL for {event} although none should go")


@step(parsers.re(r'the Action URL "(?P<event>\w+)" carries the MAC, IP, model and firmware of (?P<name>[A-B])'))
def carries_basic(bench, event, name):
    q = bench.context[f"action_url_{event}"].query
    ident = bench.dut(name).web.identity()
    want = {"mac": ident["mac"].replace(":", "").lower(), "ip": bench.dut(name).ip, "model": ident["model"],
            "firmware": ident["firmware"]}
    wrong = {k: (q.get(k), v) for k, v in want.items() if q.get(k) != v}
    if wrong:
        raise PhoneFailure(f"{event}: variables (got, expected): {wrong}")


@step(parsers.re(r'the Action URL "(?P<event>\w+)" carries (?P<var>\w+) = "(?P<value>[^"]*)"'))
def carries_value(bench, event, var, value):
    got = bench.context[f"action_url_{event}"].query.get(var)
    want = bench.expand(value)
    if got != want:
        raise PhoneFailure(f"{event}: ${var} was {got!r}, expected {want!r}")


@step(parsers.re(r'the Action URL "(?P<event>\w+)" carries the Call-ID of the INVITE (?P<name>[A-B]) sent'))
def carries_call_id(bench, event, name):
    got = bench.context[f"action_url_{event}"].query.get("call_id")
    ip = bench.dut(name).ip
    ids = {m.call_id for m in capture_of(bench).sip_messages() if m.method == "INVITE" and m.src[0] == ip}
    if got not in ids:
        raise PhoneFailure(f"{event}: $call_id was {got!r}; the INVITEs {name} sent carry {sorted(ids)}")


# --- composite set-ups -----------------------------------------------------------------------------
@step(parsers.re(rf"{PHONE} calls {OTHER}(?P<how> hands-free)?"))
def phone_calls(bench, name, other, how):
    type_number_of(bench, name, other)
    bench.dut(name).press("SPEAKER" if how else "OFFHOOK")


@step(parsers.re(rf"{PHONE} is in a call with {PEER}"))
def in_call_with(bench, name, peer):
    bench.peer(peer).set_auto_answer(200)
    phone_calls(bench, name, peer, None)
    peer_in_call(bench, peer, name)
    wait_call_screen(bench, name, peer, "handset", ("talking",), "talking to")


@step(parsers.re(rf"{PHONE} is calling {PEER} and it rings"))
def calling_ringing(bench, name, peer):
    bench.peer(peer).set_auto_answer(None)
    phone_calls(bench, name, peer, None)
    peer_call_reaches(bench, bench.peer(peer), "INCOMING")


@step(parsers.re(rf"{PHONE} is ringing with a call from {PEER}"))
def ringing_from(bench, name, peer):
    bench.peer(peer).call(bench.number_of(name))
    phone_rings(bench, name, peer)


@step(parsers.re(rf"{PEER} calls {PHONE} and gives up"))
def call_and_give_up(bench, peer, name):
    ringing_from(bench, name, peer)
    bench.peer(peer).hangup()


@step(parsers.re(rf"{PHONE} has put {PEER} on hold"))
def put_on_hold(bench, name, peer):
    in_call_with(bench, name, peer)
    bench.dut(name).press("TRANSFER")   # the transfer screen holds the call
    bench.dut(name).screen.wait_for(lambda s: "Resume" in s.softkeys, "the held call's Resume key")


@step(parsers.re(rf"{PHONE} has muted its call with {PEER}"))
def muted_call(bench, name, peer):
    in_call_with(bench, name, peer)
    bench.dut(name).press("MUTE")
    bench.dut(name).screen.wait_for_icon("mute")


def _transfer_key_then(bench, name: str, other: str, soft_key: str) -> None:
    """The Transfer key, the other party's number, then a soft key (Send, BTra …)."""
    bench.dut(name).press("TRANSFER")
    type_number_of(bench, name, other)
    press_soft_key(bench, name, soft_key)


@step(parsers.re(rf"{PHONE} forwards the ringing call to {OTHER}"))
def forward_by_hand(bench, name, other):
    _transfer_key_then(bench, name, other, "Send")


@step(parsers.re(rf"{PHONE} transfers the call blind to {OTHER}"))
def blind_transfer_to(bench, name, other):
    _transfer_key_then(bench, name, other, "BTra")


@step(parsers.re(rf"{PHONE} transfers the call to {OTHER} after talking to (?P=other)"))
def attended_transfer_to(bench, name, other):
    _transfer_key_then(bench, name, other, "Send")
    phone_rings(bench, other, name)
    bench.dut(other).press("OFFHOOK")
    wait_call_screen(bench, name, other, "handset", ("talking",), "talking to")
    press_soft_key(bench, name, "Transfer")


@step(parsers.re(r"nothing else happens"))
def nothing_else():
    """A table row whose event needs no set-up."""


@step(parsers.re(rf"{PHONE} is in a call with {PEER} and transfers it blind to {OTHER}"))
def call_then_blind_transfer(bench, name, peer, other):
    in_call_with(bench, name, peer)
    blind_transfer_to(bench, name, other)
