"""The lab's PBX seen on the wire (drivers/pbx_watch.py): bindings from its answers to REGISTER."""
from __future__ import annotations

import socket

import pytest

from drivers.errors import LabError
from drivers.pbx_watch import WatchedPbx, live_bindings, user_of
from drivers.sip_wire import parse_sip


def answer(contacts: list[str], expires_header: str | None = None, at: float = 1000.0):
    lines = ["SIP/2.0 200 OK", "Via: SIP/2.0/UDP 10.0.0.11:5060;branch=z9hG4bK1",
             "From: <sip:1001@pbx>;tag=a", "To: <sip:1001@pbx>;tag=b", "Call-ID: reg-1", "CSeq: 2 REGISTER"]
    lines += [f"Contact: {c}" for c in contacts]
    if expires_header is not None:
        lines.append(f"Expires: {expires_header}")
    text = "\r\n".join(lines + ["Content-Length: 0", "", ""])
    return parse_sip(text.encode(), at, ("10.0.0.2", 5060), ("10.0.0.11", 5060), "UDP")


def test_every_binding_the_pbx_lists_counts_until_it_expires():
    msg = answer(["<sip:1001@10.0.0.11:5060>;expires=300", "<sip:1001@10.0.0.99:5060>;expires=60"])
    assert live_bindings(msg, now=1030.0) == ["sip:1001@10.0.0.11:5060", "sip:1001@10.0.0.99:5060"]
    assert live_bindings(msg, now=1100.0) == ["sip:1001@10.0.0.11:5060"]      # the second is 40 s gone
    assert live_bindings(msg, now=1400.0) == []


def test_expiry_falls_back_to_the_expires_header_then_an_hour():
    assert live_bindings(answer(["<sip:1001@10.0.0.11>"], expires_header="0"), now=1000.5) == []
    assert live_bindings(answer(["<sip:1001@10.0.0.11>"], expires_header="120"), now=1100.0) == ["sip:1001@10.0.0.11"]
    assert live_bindings(answer(["<sip:1001@10.0.0.11>"]), now=1000.0 + 3599) == ["sip:1001@10.0.0.11"]
    assert live_bindings(answer(["<sip:1001@10.0.0.11>"]), now=1000.0 + 3601) == []


def test_an_answer_without_contacts_means_no_binding():
    assert live_bindings(answer([]), now=1000.0) == []


def test_user_of_a_uri():
    assert user_of("sip:1001@pbx.lab;transport=udp") == "1001"
    assert user_of("sips:alice@example.com") == "alice"
    assert user_of(None) == ""


def test_a_pbx_that_answers_nothing_is_a_lab_error_naming_it(tmp_path):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as silent:     # bound, never answers
        silent.bind(("127.0.10.2", 0))
        port = silent.getsockname()[1]
        pbx = WatchedPbx("127.0.10.2", port, "lo", "127.0.10.1", tmp_path / "pbx.pcap", bench="bench-7")
        with pytest.raises(LabError) as err:
            pbx.start(timeout=0.5)
    said = str(err.value)
    assert f"PBX 127.0.10.2:{port} of bench-7" in said and "OPTIONS" in said and "registrar.ip" in said
    assert not pbx.capture.running
