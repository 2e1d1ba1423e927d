"""Steps of §6.2.1, text messages: SIP MESSAGE between the phone and the peers.

What the far end got is read from the peer's own record of the MESSAGE (its
From and body); the phone's folders are read through its web API, the same
data the Messages menu shows.
"""
from __future__ import annotations

from pytest_bdd import parsers, step

from drivers.errors import PhoneFailure
from drivers.wait import expect

PHONE = r"(?:phone )?(?P<name>[A-B])"
PEER = r"(?P<peer>[C-D])"
OTHER = r"(?P<other>[A-D])"
FOLDER = r"(?P<folder>inbox|sent|outbox|drafts)"


def _folder(bench, name: str, folder: str) -> list[dict]:
    dut = bench.dut(name)
    dut.web.login()
    return dut.web.request("GET", "/api/messages").json()[folder]


@step(parsers.re(rf'{PEER} sends the text message "(?P<text>[^"]*)" to {PHONE}'))
def peer_sends_text(bench, peer, text, name):
    code = bench.peer(peer).send_message(bench.number_of(name), text)
    if code != 200:
        raise PhoneFailure(f"{name} answered {peer}'s MESSAGE with {code}, expected 200")


@step(parsers.re(rf"{PEER} sends (?P<count>\d+) numbered text messages to {PHONE}"))
def peer_sends_many(bench, peer, count, name):
    for i in range(1, int(count) + 1):
        peer_sends_text(bench, peer, f"message {i}", name)


@step(parsers.re(rf'{PEER} receives the text message "(?P<text>[^"]*)" from (?P<sender>[A-B]|\d+)'))
def peer_receives_text(bench, peer, text, sender):
    number = sender if sender.isdigit() else bench.number_of(sender)
    got = bench.peer(peer).wait_for_message(timeout=8)
    if got.text != text or f"sip:{number}@" not in got.from_uri:
        raise PhoneFailure(f"{peer} received {got.text!r} from {got.from_uri}, expected {text!r} from {number}")


@step(parsers.re(rf"{PEER} received no text message"))
def peer_received_none(bench, peer):
    if bench.peer(peer).messages:
        raise PhoneFailure(f"{peer} received {[m.text for m in bench.peer(peer).messages]}")


@step(parsers.re(rf"the {FOLDER} of {PHONE} holds (?P<count>\d+) messages?"))
def folder_holds(bench, folder, name, count):
    expect(lambda: len(_folder(bench, name, folder)) == int(count), 5,
           lambda: f"the {folder} of {name} holds {len(_folder(bench, name, folder))} messages, expected {count}")


@step(parsers.re(rf'the {FOLDER} of {PHONE} (?P<how>holds|does not hold) "(?P<text>[^"]*)"'))
def folder_has_text(bench, folder, name, how, text):
    want = how == "holds"
    expect(lambda: any(m["text"] == text for m in _folder(bench, name, folder)) == want, 5,
           lambda: f"the {folder} of {name} {'lacks' if want else 'still holds'} {text!r}: "
                   f"{[m['text'] for m in _folder(bench, name, folder)][:5]}")


@step(parsers.re(rf'the web UI of {PHONE} sends the text message "(?P<text>[^"]*)" to {OTHER} '
                 r"from account (?P<n>\d)"))
def web_sends_text(bench, name, text, other, n):
    dut = bench.dut(name)
    dut.web.login()
    resp = dut.web.request("POST", "/api/sms", json={"account": int(n), "number": bench.number_of(other),
                                                    "text": text})
    if resp.status_code != 200:
        raise PhoneFailure(f"the SMS page of {name} refused the message: {resp.status_code} {resp.text[:300]}")
