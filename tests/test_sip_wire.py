"""SIP decoding, transaction grouping and the RFC 3261 retransmission oracle."""
from __future__ import annotations

import pytest

from drivers.errors import PhoneFailure
from drivers.sip_wire import (
    SipMessage, Transaction, check_retransmissions, expected_retransmit_intervals,
    group_transactions, parse_name_addr, parse_sip, split_stream,
)


def crlf(text: str) -> bytes:
    """Test texts are written with \\n; SIP wants CRLF."""
    return text.replace("\n", "\r\n").encode()


SDP = ("v=0\no=- 3912 3912 IN IP4 127.0.0.11\ns=pjmedia\nc=IN IP4 127.0.0.11\nt=0 0\n"
       "m=audio 4000 RTP/AVP 0 8\na=rtpmap:0 PCMU/8000\n").replace("\n", "\r\n")

INVITE = crlf(
    "INVITE sip:102@127.0.0.12:5060 SIP/2.0\n"
    "Via: SIP/2.0/UDP 127.0.0.11:5060;rport;branch=z9hG4bKPj1a2b3c\n"
    "Max-Forwards: 70\n"
    'From: "Alice Smith" <sip:101@127.0.0.1>;tag=fr0m-t4g\n'
    "To: <sip:102@127.0.0.1>\n"
    "Contact: <sip:101@127.0.0.11:5060;ob>\n"
    "Call-ID: 4a5b6c7d-call@127.0.0.11\n"
    "CSeq: 4711 INVITE\n"
    "Allow: PRACK, INVITE, ACK, BYE, CANCEL, UPDATE\n"
    "Content-Type: application/sdp\n"
    f"Content-Length: {len(SDP)}\n"
    "\n") + SDP.encode()

OK_200 = crlf(
    "SIP/2.0 200 OK\n"
    "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKproxy.1;received=127.0.0.1, "
    "SIP/2.0/UDP 127.0.0.11:5060;rport=5060;received=127.0.0.11;branch=z9hG4bKPj1a2b3c\n"
    "Via: SIP/2.0/UDP 127.0.0.9:5060;branch=z9hG4bKthird\n"
    "Record-Route: <sip:127.0.0.1;lr>\n"
    "From: \"Alice Smith\" <sip:101@127.0.0.1>;tag=fr0m-t4g\n"
    "To: <sip:102@127.0.0.1>;tag=t0-t4g\n"
    "Call-ID: 4a5b6c7d-call@127.0.0.11\n"
    "CSeq: 4711 INVITE\n"
    "Contact: \"Bob\" <sip:102@127.0.0.12:5060>\n"
    "WWW-Authenticate: Digest realm=\"h680\", nonce=\"abc,def\"\n"
    "Content-Length: 0\n"
    "\n")

COMPACT_MESSAGE = crlf(
    "MESSAGE sip:102@127.0.0.12 SIP/2.0\n"
    "v: SIP/2.0/UDP 127.0.0.11:5060;branch=z9hG4bKmsg1\n"
    "f: sip:101@127.0.0.1;tag=abc\n"
    "t: Bob <sip:102@127.0.0.1>\n"
    "i: compact-1@127.0.0.11\n"
    "m: sip:101@127.0.0.11\n"
    "CSeq: 2 MESSAGE\n"
    "c: text/plain;charset=UTF-8\n"
    "l: 12\n"
    "\n"
    "héllo world")     # 'é' is two bytes in UTF-8: 12 bytes in all


def test_invite_request_fields():
    msg = parse_sip(INVITE, time=12.5, src=("127.0.0.11", 5060), dst=("127.0.0.12", 5060))
    assert msg is not None and msg.is_request
    assert (msg.method, msg.request_uri, msg.status, msg.reason) == (
        "INVITE", "sip:102@127.0.0.12:5060", None, None)
    assert (msg.time, msg.src, msg.dst, msg.transport) == (
        12.5, ("127.0.0.11", 5060), ("127.0.0.12", 5060), "UDP")
    assert msg.call_id == "4a5b6c7d-call@127.0.0.11"
    assert (msg.cseq_num, msg.cseq_method) == (4711, "INVITE")
    assert msg.branch == "z9hG4bKPj1a2b3c"
    assert (msg.from_display, msg.from_uri, msg.from_tag) == (
        "Alice Smith", "sip:101@127.0.0.1", "fr0m-t4g")
    assert (msg.to_uri, msg.to_tag) == ("sip:102@127.0.0.1", None)
    assert msg.contact == "sip:101@127.0.0.11:5060;ob"
    assert msg.headers["max-forwards"] == ["70"]
    assert msg.headers["allow"] == ["PRACK, INVITE, ACK, BYE, CANCEL, UPDATE"]
    assert msg.body == SDP and msg.body.startswith("v=0\r\n")
    assert msg.header("Content-Type") == "application/sdp"


def test_response_with_several_vias_and_quoted_commas():
    msg = parse_sip(OK_200)
    assert msg is not None and not msg.is_request
    assert (msg.status, msg.reason, msg.method) == (200, "OK", None)
    assert len(msg.vias) == 3
    assert msg.vias[1].startswith("SIP/2.0/UDP 127.0.0.11:5060")
    assert msg.branch == "z9hG4bKproxy.1"          # the top Via
    assert msg.to_tag == "t0-t4g"
    assert msg.contact == "sip:102@127.0.0.12:5060"
    assert msg.headers["record-route"] == ["<sip:127.0.0.1;lr>"]
    # not a list header: the comma inside the quoted nonce must not split it
    assert msg.headers["www-authenticate"] == ['Digest realm="h680", nonce="abc,def"']
    assert msg.body == ""


def test_compact_header_forms_and_content_length_in_bytes():
    msg = parse_sip(COMPACT_MESSAGE)
    assert msg is not None
    assert msg.method == "MESSAGE"
    assert msg.branch == "z9hG4bKmsg1"
    assert msg.call_id == "compact-1@127.0.0.11"
    assert (msg.from_uri, msg.from_tag, msg.from_display) == ("sip:101@127.0.0.1", "abc", None)
    assert (msg.to_uri, msg.to_tag) == ("sip:102@127.0.0.1", None)
    assert msg.contact == "sip:101@127.0.0.11"
    assert msg.header("c") == msg.headers["content-type"][0] == "text/plain;charset=UTF-8"
    assert msg.headers["content-length"] == ["12"]
    assert msg.body == "héllo world"


def test_folded_header_lowercase_method_and_wildcard_contact():
    text = crlf("REGISTER sip:127.0.0.1 SIP/2.0\n"
                "Via: SIP/2.0/UDP 127.0.0.11:5060\n ;branch=z9hG4bKfold\n"
                "From: <sip:101@127.0.0.1>;tag=1\nTo: <sip:101@127.0.0.1>\n"
                "Call-ID: r1\nCSeq: 7 register\nContact: *\nExpires: 0\nContent-Length: 0\n\n")
    msg = parse_sip(text)
    assert msg.branch == "z9hG4bKfold"
    assert (msg.cseq_num, msg.cseq_method) == (7, "REGISTER")
    assert msg.contact == "*"


@pytest.mark.parametrize("payload", [
    b"", b"\r\n\r\n", b"\x80\x00\x12\x34" + bytes(160),           # keep-alive, RTP
    b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", b"HTTP/1.1 200 OK\r\n\r\n",
    b"SIP/2.0 OK\r\n\r\n",
])
def test_non_sip_payloads_are_not_messages(payload):
    assert parse_sip(payload) is None


def test_name_addr_forms():
    assert parse_name_addr('"A \\"q\\" <x>" <sip:a@h>;tag=9') == (
        'A "q" <x>', "sip:a@h", {"tag": "9"})
    assert parse_name_addr("Bob <sips:b@h;transport=tls>") == ("Bob", "sips:b@h;transport=tls", {})
    assert parse_name_addr("sip:c@h;tag=t;x") == (None, "sip:c@h", {"tag": "t", "x": ""})


def test_split_stream_several_and_partial_messages():
    stream = INVITE + b"\r\n\r\n" + OK_200 + COMPACT_MESSAGE
    parts = split_stream(stream)
    assert parts == [INVITE, OK_200, COMPACT_MESSAGE]
    assert [parse_sip(p, transport="TCP").first_line() for p in parts] == [
        "INVITE sip:102@127.0.0.12:5060", "200 OK", "MESSAGE sip:102@127.0.0.12"]
    # a segment cut inside the body, then inside the headers: only whole messages come out
    assert split_stream(INVITE + OK_200[:40]) == [INVITE]
    assert split_stream(INVITE[:-5]) == []
    assert split_stream(INVITE[:100]) == []


# ---------------------------------------------------------------- transactions & timing

def make(method=None, status=None, t=0.0, branch="z9hG4bK1", cseq_method=None,
         transport="UDP", call_id="c1") -> SipMessage:
    """A synthesised message, as parse_sip would return it for a capture."""
    cseq_method = cseq_method or method
    first = f"{method} sip:b@127.0.0.12 SIP/2.0" if method else f"SIP/2.0 {status} X"
    text = crlf(f"{first}\nVia: SIP/2.0/{transport} 127.0.0.11:5060;branch={branch}\n"
                f"From: <sip:a@h>;tag=a\nTo: <sip:b@h>\nCall-ID: {call_id}\n"
                f"CSeq: 1 {cseq_method}\nContent-Length: 0\n\n")
    src, dst = ("127.0.0.11", 5060), ("127.0.0.12", 5060)
    if status is not None:
        src, dst = dst, src
    return parse_sip(text, t, src, dst, transport)


def sends(method: str, times: list[float], **kw) -> list[SipMessage]:
    return [make(method, t=t, **kw) for t in times]


def schedule(gaps: list[float], jitter: float = 0.0, start: float = 1000.0) -> list[float]:
    times = [start]
    for i, g in enumerate(gaps):
        times.append(times[-1] + g + (jitter if i % 2 else -jitter))
    return times


def test_expected_intervals_invite_timer_a_is_not_capped():
    assert expected_retransmit_intervals("INVITE", 0.25, 4.0) == [0.25, 0.5, 1, 2, 4, 8]
    assert sum(expected_retransmit_intervals("INVITE", 0.5, 4.0)) < 32


def test_expected_intervals_non_invite_timer_e_is_capped_at_t2():
    gaps = expected_retransmit_intervals("REGISTER", 0.5, 4.0)
    assert gaps == [0.5, 1, 2, 4, 4, 4, 4, 4, 4, 4]
    assert sum(gaps) == 31.5 and sum(gaps) + 4 > 32
    # DESIGN.md: pjsip's MESSAGE with T1 = 250 ms, T2 = 4 s
    assert expected_retransmit_intervals("MESSAGE", 0.25, 4.0) == [0.25, 0.5, 1, 2, 4, 4, 4]
    assert expected_retransmit_intervals("OPTIONS", 0.5, 4.0, timeout=4.0) == [0.5, 1, 2]
    assert expected_retransmit_intervals("ACK", 0.5, 4.0) == []


def test_group_transactions_by_branch_and_cseq_method():
    msgs = [
        *sends("INVITE", [0.0, 0.25, 0.75]),
        make(status=100, t=0.8, cseq_method="INVITE"),
        make(status=486, t=0.9, cseq_method="INVITE"),
        make("ACK", t=0.91),                                  # same branch, its own key
        make("CANCEL", t=0.5),                                 # same branch, CANCEL
        *sends("MESSAGE", [2.0, 2.5], branch="z9hG4bK2"),
        make(status=200, t=2.6, branch="z9hG4bKother", cseq_method="MESSAGE"),  # orphan
    ]
    txs = group_transactions(list(reversed(msgs)))
    assert [tx.key for tx in txs] == [("z9hG4bK1", "INVITE"), ("z9hG4bK1", "CANCEL"),
                                      ("z9hG4bK1", "ACK"), ("z9hG4bK2", "MESSAGE")]
    invite = txs[0]
    assert [s.time for s in invite.sends] == [0.0, 0.25, 0.75]
    assert invite.request is invite.sends[0]
    assert [r.status for r in invite.responses] == [100, 486]
    assert invite.final_status == 486 and invite.gave_up_after is None
    message = txs[3]
    assert message.final_status is None and message.gave_up_after == 0.5
    message.local_timeout = 2.0 + 32
    assert message.gave_up_after == 32


def test_check_passes_for_a_full_invite_give_up():
    tx = group_transactions(sends("INVITE", schedule([0.25, 0.5, 1, 2, 4, 8], jitter=0.003)))[0]
    check = check_retransmissions(tx, t1=0.25, t2=4.0, tolerance=0.01)
    assert check.ok, check.summary()
    assert check.expected == [0.25, 0.5, 1, 2, 4, 8]
    assert check.worst_error == pytest.approx(0.003, abs=1e-6)
    assert "OK" in check.summary() and "expected s" in check.summary()
    check.assert_ok()


def test_check_fails_on_a_gap_out_of_tolerance():
    tx = group_transactions(sends("REGISTER", schedule([0.5, 1, 2, 4, 4, 4.06])))[0]
    check = check_retransmissions(tx, t1=0.5, t2=4.0, max_sends=7)
    assert not check.ok
    assert check.worst_error == pytest.approx(0.06)
    assert "<--" in check.summary()
    with pytest.raises(PhoneFailure, match="outside"):
        check.assert_ok()


def test_check_fails_when_timer_e_is_not_capped():
    # INVITE-like doubling for a MESSAGE: 0.25 … 8 instead of capping at T2 = 4
    tx = group_transactions(sends("MESSAGE", schedule([0.25, 0.5, 1, 2, 4, 8])))[0]
    check = check_retransmissions(tx, t1=0.25, t2=4.0)
    assert not check.ok
    assert any("too few" in p for p in check.problems)


def test_check_fails_on_too_many_or_too_few_sends_before_give_up():
    too_many = group_transactions(sends("INVITE", schedule([0.25, 0.5, 1, 2, 4, 8, 16])))[0]
    check = check_retransmissions(too_many, 0.25, 4.0)
    assert not check.ok and any("too many" in p for p in check.problems)
    assert "extra" in check.summary()
    too_few = group_transactions(sends("INVITE", schedule([0.25, 0.5, 1, 2])))[0]
    check = check_retransmissions(too_few, 0.25, 4.0)
    assert not check.ok and "missing" in check.summary()
    # the same sends are fine when the caller only waited for five of them
    assert check_retransmissions(too_few, 0.25, 4.0, max_sends=5).ok


def test_check_answered_transaction_compares_only_what_was_sent():
    msgs = sends("OPTIONS", schedule([0.5, 1.0], start=0.0)) + [
        make(status=200, t=1.6, cseq_method="OPTIONS")]
    assert check_retransmissions(group_transactions(msgs)[0], 0.5, 4.0).ok
    late = msgs + [make("OPTIONS", t=3.5)]
    check = check_retransmissions(group_transactions(late)[0], 0.5, 4.0)
    assert not check.ok and any("after the response" in p for p in check.problems)


def test_check_needs_two_gaps_and_udp():
    one_gap = sends("MESSAGE", [0.0, 0.25]) + [make(status=200, t=0.3, cseq_method="MESSAGE")]
    check = check_retransmissions(group_transactions(one_gap)[0], 0.25, 4.0)
    assert not check.ok and any("at least 2" in p for p in check.problems)
    tcp = Transaction(key=("b", "INVITE"), request=make("INVITE", transport="TCP"))
    with pytest.raises(ValueError):
        check_retransmissions(tcp, 0.5, 4.0)


def test_a_wrong_expectation_fails_showing_expected_and_measured_intervals():
    """The phone runs T1 = 0.5 s; a check expecting T1 = 0.4 s must fail and show both schedules."""
    tx = group_transactions(sends("REGISTER", schedule([0.5, 1, 2, 4, 4, 4], jitter=0.001)))[0]
    check = check_retransmissions(tx, t1=0.4, t2=4.0, max_sends=7)
    assert not check.ok
    text = check.summary()
    assert "0.4000      0.4990" in text and "+99.0  <--" in text   # expected 0.4 s, measured 0.5 s
    with pytest.raises(PhoneFailure, match="expected s"):
        check.assert_ok()
