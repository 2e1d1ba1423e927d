"""Capture on the real loopback interface: real datagrams and a real TCP connection.

Needs root (a PF_PACKET socket).  Each test binds ephemeral ports and filters on
them, so other traffic on ``lo`` (other tests, a phone running nearby, even one on
127.0.0.5:5099) cannot disturb the counts.
"""
from __future__ import annotations

import os
import socket
import time

import pytest
from scapy.utils import rdpcap

from drivers.capture import Capture, _TcpFlow, is_loopback
from drivers.errors import LabError, PhoneFailure
from drivers.sip_wire import check_retransmissions, group_transactions

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="sniffing needs root")

SRC = "127.0.0.1"
DST_HOST = "127.0.0.5"


def sip_request(method: str, branch: str, cseq: int = 1, body: str = "",
                call_id: str = "cap-test-1") -> bytes:
    return (f"{method} sip:bob@{DST_HOST} SIP/2.0\r\n"
            f"Via: SIP/2.0/UDP {SRC}:5098;branch={branch}\r\n"
            f"From: <sip:alice@{SRC}>;tag=a1\r\nTo: <sip:bob@127.0.0.5>\r\n"
            f"Call-ID: {call_id}\r\nCSeq: {cseq} {method}\r\n"
            f"Content-Length: {len(body.encode())}\r\n\r\n{body}").encode()


def sip_response(status: int, reason: str, method: str, branch: str, cseq: int = 1) -> bytes:
    return (f"SIP/2.0 {status} {reason}\r\n"
            f"Via: SIP/2.0/TCP {SRC}:5098;branch={branch}\r\n"
            f"From: <sip:alice@{SRC}>;tag=a1\r\nTo: <sip:bob@127.0.0.5>;tag=b1\r\n"
            f"Call-ID: cap-test-tcp\r\nCSeq: {cseq} {method}\r\nContent-Length: 0\r\n\r\n").encode()


class UdpPair:
    """A sender on 127.0.0.1 and a receiver on 127.0.0.5 (so no ICMP 'port
    unreachable'), both on ephemeral ports; ``bpf`` matches exactly their datagrams."""

    def __init__(self) -> None:
        self.rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.rx.bind((DST_HOST, 0))
        self.tx.bind((SRC, 0))
        self.dst = self.rx.getsockname()
        self.bpf = f"udp and src port {self.tx.getsockname()[1]} and dst port {self.dst[1]}"

    def sendto(self, payload: bytes) -> None:
        self.tx.sendto(payload, self.dst)

    def close(self) -> None:
        self.tx.close()
        self.rx.close()


@pytest.fixture
def udp_pair():
    pair = UdpPair()
    try:
        yield pair
    finally:
        pair.close()


def send_on_schedule(pair: UdpPair, offsets: list[float], payload: bytes) -> list[float]:
    """Send at the given offsets (s) from now; return the socket-side send times.
    Sleeping is the point here: it makes the schedule the capture must measure."""
    start, sent = time.time(), []
    for offset in offsets:
        delay = start + offset - time.time()
        if delay > 0.005:                        # sleep, then spin the last 5 ms
            time.sleep(delay - 0.005)
        while time.time() < start + offset:
            pass
        sent.append(time.time())
        pair.sendto(payload)
    return sent


def test_udp_schedule_is_counted_once_and_timed(udp_pair, tmp_path):
    pcap = tmp_path / "udp.pcap"
    offsets = [0.0, 0.05, 0.15, 0.35, 0.75]      # Timer A with T1 = 50 ms
    payload = sip_request("INVITE", "z9hG4bKcap1")
    with Capture(bpf=udp_pair.bpf, pcap_path=pcap) as cap:
        sent = send_on_schedule(udp_pair, offsets, payload)   # first send right after start()
        seen = cap.wait_for_sip(lambda m: m.method == "INVITE", timeout=2, count=5)
    packets = cap.packets()
    assert len(packets) == 5, [(float(p.time) - sent[0], p.summary()) for p in packets]
    assert len(seen) == len(cap.sip_messages()) == 5

    msg = seen[0]
    assert (msg.src[0], msg.dst, msg.transport, msg.branch) == (
        SRC, udp_pair.dst, "UDP", "z9hG4bKcap1")
    # the capture's clock against the socket's: DESIGN.md says within ±1 ms
    offsets_ms = [(m.time - s) * 1000 for m, s in zip(seen, sent)]
    print("capture minus socket send time (ms):", [f"{o:.3f}" for o in offsets_ms])
    assert all(-1.0 <= o <= 1.0 for o in offsets_ms), offsets_ms
    gap_errors = [(b.time - a.time) - (sb - sa)
                  for a, b, sa, sb in zip(seen, seen[1:], sent, sent[1:])]
    assert max(abs(e) for e in gap_errors) < 0.001, gap_errors

    # the whole chain: captured sends judged by the Timer A oracle (the sender's own
    # scheduling jitter on a loaded 2-core machine is what the tolerance covers)
    check = check_retransmissions(group_transactions(seen)[0], t1=0.05, t2=4.0,
                                  tolerance=0.005, max_sends=5)
    print(check.summary())
    assert check.ok, check.summary()

    assert pcap.stat().st_size > 0
    back = rdpcap(str(pcap))
    assert len(back) == 5
    assert all(abs(float(b.time) - float(p.time)) < 1e-6 for b, p in zip(back, packets))
    assert bytes(back[0]["UDP"].payload) == payload


def test_start_and_stop_lose_no_packet(udp_pair):
    """A datagram sent right after start() and right before stop() is always there."""
    for i in range(20):
        cap = Capture(bpf=udp_pair.bpf)
        cap.start()
        try:
            udp_pair.sendto(sip_request("OPTIONS", f"z9hG4bKedge{i}"))
        finally:
            packets = cap.stop()
        assert len(packets) == 1, f"round {i}: {len(packets)} packets"
        assert cap.dropped == 0


def test_tcp_stream_with_split_and_joined_messages(tmp_path):
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    conn = None
    invite = sip_request("INVITE", "z9hG4bKtcp1", body="v=0\r\ns=-\r\n", call_id="cap-test-tcp")
    message = sip_request("MESSAGE", "z9hG4bKtcp2", cseq=2, body="hi", call_id="cap-test-tcp")
    bye = sip_request("BYE", "z9hG4bKtcp3", cseq=3, call_id="cap-test-tcp")
    try:
        server.bind((DST_HOST, 0))
        server.listen(1)
        address = server.getsockname()
        client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        client.bind((SRC, 0))
        bpf = f"tcp and port {address[1]} and port {client.getsockname()[1]}"
        with Capture(bpf=bpf, pcap_path=tmp_path / "tcp.pcap") as cap:
            client.connect(address)
            conn, _ = server.accept()
            client.sendall(invite[:60])                  # a start line and part of the headers
            _wait_bytes(conn, 60)                        # so it travels as its own segment
            client.sendall(invite[60:] + b"\r\n\r\n" + message + bye[:20])
            client.sendall(bye[20:])
            conn.sendall(sip_response(100, "Trying", "INVITE", "z9hG4bKtcp1")
                         + sip_response(200, "OK", "INVITE", "z9hG4bKtcp1"))
            cap.wait_for_sip(lambda m: m.status == 200, timeout=2)
            msgs = cap.wait_for_sip(lambda m: m.transport == "TCP", timeout=2, count=5)
            client_address = client.getsockname()
            client.close()
            conn.close()
    finally:
        for s in (client, conn, server):
            if s is not None:
                s.close()
    assert [m.first_line() for m in msgs] == [
        f"INVITE sip:bob@{DST_HOST}", f"MESSAGE sip:bob@{DST_HOST}",
        f"BYE sip:bob@{DST_HOST}", "100 Trying", "200 OK"]
    assert msgs[0].body == "v=0\r\ns=-\r\n" and msgs[1].body == "hi"
    assert msgs[0].src == client_address and msgs[0].dst == address
    assert msgs[3].src == address and msgs[3].dst == client_address
    assert msgs == sorted(msgs, key=lambda m: m.time)
    assert len(cap.sip_messages()) == 5                  # each segment decoded once
    txs = group_transactions(msgs)
    assert [(tx.key[1], tx.final_status) for tx in txs] == [
        ("INVITE", 200), ("MESSAGE", None), ("BYE", None)]
    # a stream of ~12 packets: enough to measure the timestamps' resolution
    assert len(cap.packets()) >= 8
    print(f"measured timestamp resolution: {cap.precision * 1e6:.3f} µs")
    assert 0 < cap.precision < 1e-6


def _wait_bytes(conn: socket.socket, n: int) -> None:
    conn.settimeout(2)
    got = b""
    while len(got) < n:
        got += conn.recv(n - len(got))


def test_wait_for_sip_failure_names_what_it_saw(udp_pair):
    with Capture(bpf=udp_pair.bpf) as cap:
        udp_pair.sendto(sip_request("REGISTER", "z9hG4bKreg"))
        cap.wait_for_sip(lambda m: m.method == "REGISTER", timeout=2)
        with pytest.raises(PhoneFailure, match=r"no BYE: 0 of 1(?s:.*)REGISTER"):
            cap.wait_for_sip(lambda m: m.method == "BYE", timeout=0.2, what="no BYE")
    with pytest.raises(LabError):
        cap.wait_for_sip(lambda m: True, timeout=0.2)     # stopped: the lab's problem


def test_loopback_detection_and_bad_filter():
    assert is_loopback("lo") and Capture().kernel_filter == "inbound and (udp or tcp)"
    assert not is_loopback("no-such-if0")
    with pytest.raises(LabError, match="filter"):
        Capture(bpf="udp and and port").start()


def test_tcp_reassembly_skips_resent_bytes_and_resyncs_after_a_hole():
    """The flow logic alone, with the segment cases loopback rarely produces."""
    one, two = sip_request("OPTIONS", "z9hG4bKf1"), sip_request("OPTIONS", "z9hG4bKf2", cseq=2)
    flow = _TcpFlow()
    assert flow.feed(1000, one[10:], 1.0) == []               # joined midway: wait for a start
    assert flow.feed(5000, one[:30], 2.0) == []
    assert flow.feed(5000, one[:30], 2.1) == []               # the same segment resent
    assert flow.feed(5020, one[20:], 2.2) == [(one, 2.0)]     # overlaps by 10 bytes
    seq = 5000 + len(one)
    assert flow.feed(seq + 7, two[7:], 3.0) == []             # a hole: bytes were missed
    assert flow.feed(seq + 500, two, 4.0) == [(two, 4.0)]     # next message start resyncs
    end = (2**32 - 10)                                        # sequence numbers wrap
    flow = _TcpFlow()
    assert flow.feed(end, one[:40], 5.0) == []
    assert flow.feed((end + 40) % 2**32, one[40:] + two, 5.5) == [(one, 5.0), (two, 5.5)]
