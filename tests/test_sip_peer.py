"""The far-end soft phones, exercised for real: pjsua2 peers calling each other on loopback.

Without a registrar, peers reach each other by contact URI (sip:user@127.0.0.1:port);
with one, a real Kamailio (drivers/registrar.py) registers them and routes by number.
"""
from __future__ import annotations

import shutil
import socket
import threading
from pathlib import Path

import pytest

from drivers.errors import LabError, PhoneFailure
from drivers.sip_peer import SipPeerHost, parse_sip_message, split_name_addr
from drivers.wait import wait_until

IP = "127.0.0.1"
NOWHERE = 9   # the discard port: nothing of ours listens there; no registrar needed


@pytest.fixture
def host(tmp_path: Path):
    peers = SipPeerHost(IP, log_path=tmp_path / "peers.log")
    peers.start()
    try:
        yield peers
    finally:
        peers.stop()


@pytest.fixture
def alice_bob(host: SipPeerHost):
    alice = host.add_peer("A", "alice", "pw", IP, NOWHERE, display_name="Alice Liddell")
    bob = host.add_peer("B", "bob", "pw", IP, NOWHERE)
    return alice, bob


def _media(peer, status: str):
    return wait_until(lambda: peer.last_call.media_status == status, timeout=3.0,
                      what=f"{peer.name} media {status}")


def test_direct_call_rings_connects_holds_and_hangs_up(alice_bob):
    alice, bob = alice_bob
    alice.call(bob.contact_uri)

    incoming = bob.wait_for_incoming_call(timeout=3.0)
    assert incoming.direction == "in"
    assert incoming.remote_uri == "sip:alice@127.0.0.1"
    assert incoming.remote_display_name == "Alice Liddell"
    assert incoming.request_uri == f"sip:bob@127.0.0.1:{bob.contact_port}"
    assert incoming.invite_headers["CSeq"].endswith("INVITE")
    assert "Alice Liddell" in incoming.invite_headers["From"]
    assert incoming.call_id == incoming.invite_headers["Call-ID"]
    ringing = alice.wait_for_call_state("EARLY", timeout=3.0)
    assert ringing.last_status_code == 180
    assert bob.call_state == "EARLY"

    bob.answer()
    mine = alice.wait_for_call_state("CONFIRMED", timeout=3.0)
    theirs = bob.wait_for_call_state("CONFIRMED", timeout=3.0)
    assert mine.call_id == theirs.call_id == incoming.call_id
    assert mine.last_status_code == 200 and mine.connected_at is not None
    _media(alice, "ACTIVE")
    _media(bob, "ACTIVE")
    assert alice.last_call.media_active and alice.last_call.media_dir == "sendrecv"

    alice.hold()
    _media(alice, "LOCAL_HOLD")
    _media(bob, "REMOTE_HOLD")
    assert not bob.last_call.media_active
    alice.unhold()
    _media(alice, "ACTIVE")
    _media(bob, "ACTIVE")

    bob.hangup()
    ended = alice.wait_for_call_state("DISCONNECTED", timeout=3.0)
    assert ended.ended_at is not None and ended.ended_at >= ended.connected_at
    bob.wait_for_call_state("DISCONNECTED", timeout=3.0)
    assert alice.call_state == bob.call_state == "IDLE"
    assert not alice.last_call.media_active
    kinds = [kind for _, kind, _ in alice.events]
    assert kinds.count("call_state") >= 4 and "media" in kinds


@pytest.mark.parametrize("code", [486, 603])
def test_reject_reaches_the_caller_with_its_code(alice_bob, code):
    alice, bob = alice_bob
    alice.call(bob.contact_uri)
    bob.reject(code)
    ended = alice.wait_for_call_state("DISCONNECTED", timeout=3.0)
    assert ended.last_status_code == code
    assert ended.connected_at is None


def test_caller_cancel_gives_487(alice_bob):
    alice, bob = alice_bob
    alice.call(bob.contact_uri)
    bob.wait_for_incoming_call(timeout=3.0)
    alice.wait_for_call_state("EARLY", timeout=3.0)
    alice.hangup()
    assert bob.wait_for_call_state("DISCONNECTED", timeout=3.0).last_status_code == 487


def test_auto_answer_connects_without_a_step(alice_bob):
    alice, bob = alice_bob
    bob.set_auto_answer(200)
    alice.call(bob.contact_uri)
    alice.wait_for_call_state("CONFIRMED", timeout=3.0)
    bob.set_auto_answer(486)
    alice.hangup()
    alice.wait_for_call_state("DISCONNECTED", timeout=3.0)
    alice.call(bob.contact_uri)
    assert alice.wait_for_call_state("DISCONNECTED", timeout=3.0).last_status_code == 486


def test_message_arrives_with_utf8_intact(alice_bob):
    alice, bob = alice_bob
    text = "Grüße, 你好 — ✓ 1002"
    assert alice.send_message(bob.contact_uri, text) == 200
    message = bob.wait_for_message(timeout=3.0)
    assert message.text == text
    assert message.from_uri == "sip:alice@127.0.0.1"
    assert bob.messages == [message]


def test_blind_transfer_moves_the_far_end(host, alice_bob):
    alice, bob = alice_bob
    carol = host.add_peer("C", "carol", "pw", IP, NOWHERE)
    alice.call(bob.contact_uri)
    bob.answer()
    alice.wait_for_call_state("CONFIRMED", timeout=3.0)

    alice.transfer(carol.contact_uri)
    incoming = carol.wait_for_incoming_call(timeout=3.0)
    assert incoming.remote_uri == "sip:bob@127.0.0.1"
    carol.answer()
    carol.wait_for_call_state("CONFIRMED", timeout=3.0)
    assert bob.wait_for_call_state("CONFIRMED", timeout=3.0).remote_uri == carol.contact_uri
    assert alice.wait_for_call_state("DISCONNECTED", timeout=3.0)
    assert any(kind == "transfer_request" for _, kind, _ in bob.events)


def test_waiting_for_what_the_phone_never_does_is_a_phone_failure(alice_bob):
    alice, bob = alice_bob
    with pytest.raises(PhoneFailure, match="received no call"):
        bob.wait_for_incoming_call(timeout=0.3)
    with pytest.raises(PhoneFailure, match="no call rang"):
        bob.answer(timeout=0.2)
    with pytest.raises(LabError, match="never had a call"):
        bob.hangup()
    alice.call(bob.contact_uri)
    bob.reject(486)
    alice.wait_for_call_state("DISCONNECTED", timeout=3.0)
    with pytest.raises(PhoneFailure, match="already ended"):
        alice.hold()


def test_bad_target_is_a_lab_error(alice_bob):
    alice, _ = alice_bob
    with pytest.raises(LabError, match="peer A"):
        alice.call("sip:")


def test_queue_runs_jobs_in_the_pjsua2_thread(host):
    name = host.submit(lambda: threading.current_thread().name)
    assert name.startswith("pjsua2-peers") and name != threading.current_thread().name

    def boom():
        raise ValueError("inside")
    with pytest.raises(ValueError, match="inside"):
        host.submit(boom)
    assert host.submit(lambda: 41 + 1) == 42


def test_stop_leaves_no_thread_and_is_idempotent(tmp_path):
    before = set(threading.enumerate())
    first = SipPeerHost(IP)
    first.start()
    first.add_peer("A", "alice", "pw", IP, NOWHERE)
    with pytest.raises(LabError, match="one Endpoint per process"):
        SipPeerHost(IP).start()
    first.stop()
    first.stop()
    assert set(threading.enumerate()) == before
    with pytest.raises(LabError, match="not running"):
        first.submit(lambda: None)
    # the process can host a fresh Endpoint afterwards
    with SipPeerHost(IP) as second:
        peer = second.add_peer("A", "alice", "pw", IP, NOWHERE)
        assert peer.contact_port > 0
    assert set(threading.enumerate()) == before


def test_host_refuses_a_ninth_peer(host):
    for n in range(8):
        host.add_peer(f"P{n}", f"user{n}", "pw", IP, NOWHERE)
    with pytest.raises(LabError, match="at most 8"):
        host.add_peer("P8", "user8", "pw", IP, NOWHERE)


def test_register_without_a_registrar_is_a_lab_error(host):
    lonely = host.add_peer("A", "alice", "pw", IP, NOWHERE)
    with pytest.raises(LabError, match="no answer from the registrar"):
        lonely.register(timeout=0.5)
    assert not lonely.is_registered()


def test_parse_sip_message_expands_compact_and_folded_headers():
    raw = ("INVITE sip:1002@127.0.0.11:5060 SIP/2.0\r\n"
           "v: SIP/2.0/UDP a;branch=z9hG4bK1\r\nVia: SIP/2.0/UDP b;branch=z9hG4bK2\r\n"
           "f: \"Bob\" <sip:1001@h>;tag=1\r\nAlert-Info: <http://x/ring>;\r\n  info=alert-external\r\n"
           "i: abc@h\r\n\r\nv=0\r\n")
    uri, headers = parse_sip_message(raw)
    assert uri == "sip:1002@127.0.0.11:5060"
    assert headers["Via"] == "SIP/2.0/UDP a;branch=z9hG4bK1, SIP/2.0/UDP b;branch=z9hG4bK2"
    assert headers["Call-ID"] == "abc@h"
    assert headers["Alert-Info"] == "<http://x/ring>; info=alert-external"
    assert split_name_addr(headers["From"].split(";")[0]) == ("Bob", "sip:1001@h")


# --------------------------------------------------------------------------- with Kamailio

def _free_port() -> int:
    """A port free for both UDP and TCP on loopback (Kamailio listens on both)."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
            tcp.bind((IP, 0))
            port = tcp.getsockname()[1]
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
                try:
                    udp.bind((IP, port))
                except OSError:
                    continue
        return port
    raise LabError("test", "no free port pair")


@pytest.fixture
def registrar(tmp_path: Path):
    if shutil.which("kamailio") is None:
        pytest.skip("kamailio is not installed")
    from drivers.registrar import KamailioRegistrar
    kam = KamailioRegistrar(IP, _free_port(), {"1001": "secret1", "1002": "secret2"},
                            tmp_path / "kamailio")
    kam.start()
    try:
        yield kam
    finally:
        kam.stop()


def test_peers_register_and_call_by_number_through_kamailio(registrar, host):
    # registrar first, so the peers (and their un-REGISTERs) are torn down before it
    port = registrar.port
    a = host.add_peer("A", "1001", "secret1", IP, port, display_name="Front Desk")
    b = host.add_peer("B", "1002", "secret2", IP, port, transport="tcp")
    impostor = host.add_peer("X", "1001", "wrong", IP, port)
    a.register()
    b.register()
    assert a.is_registered() and b.is_registered()
    assert registrar.registered_contacts("1001") == [f"sip:1001@127.0.0.1:{a.contact_port};ob"]
    # over TCP the Contact carries the connection's port, not the listener's
    assert [c for c in registrar.registered_contacts("1002") if "transport=TCP" in c]
    with pytest.raises(LabError, match="peer X.*403"):
        impostor.register(timeout=3.0)

    a.call("1002")
    incoming = b.wait_for_incoming_call(timeout=3.0)
    assert incoming.request_uri == registrar.registered_contacts("1002")[0]
    assert incoming.remote_display_name == "Front Desk"
    assert "Record-Route" in incoming.invite_headers
    b.answer()
    a.wait_for_call_state("CONFIRMED", timeout=3.0)
    b.hangup()
    a.wait_for_call_state("DISCONNECTED", timeout=3.0)

    b.unregister()
    assert not b.is_registered()
    assert registrar.registered_contacts("1002") == []
