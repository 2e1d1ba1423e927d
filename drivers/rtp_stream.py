"""RTP streams on the wire: what a multicast page (or any call leg) really carried.

``rtp_streams`` groups captured UDP packets into streams by (source, destination,
SSRC) and decodes the RTP header; an ``RtpStream`` then answers the questions
the manual's promises raise: payload type, 20 ms packets of 160 bytes, a
constant SSRC, sequence numbers +1, timestamps +160, the marker bit, the IP
TTL, pauses (hold) and when it stopped.  ``problems`` lists every way a stream
differs from an ``RtpExpectation``, each with the expected and measured value.

Captures on ``lo`` can see a packet twice; drivers.capture already keeps one
copy, and ``rtp_packets`` also drops exact repeats (same bytes within 1 ms) so
a pcap read back with rdpcap gives the same answer.
"""
from __future__ import annotations

import statistics
import struct
from dataclasses import dataclass, field

from scapy.layers.inet import IP, UDP


@dataclass(frozen=True)
class RtpPacket:
    time: float
    src: tuple[str, int]
    dst: tuple[str, int]
    ttl: int
    payload_type: int
    marker: bool
    seq: int
    timestamp: int
    ssrc: int
    payload_len: int


def rtp_packets(packets) -> list[RtpPacket]:
    out: list[RtpPacket] = []
    seen: dict[bytes, float] = {}
    for pkt in packets:
        if IP not in pkt or UDP not in pkt:
            continue
        data = bytes(pkt[UDP].payload)
        if len(data) < 12 or data[0] >> 6 != 2 or 72 <= (data[1] & 0x7F) <= 76:   # not RTP, or RTCP
            continue
        t = float(pkt.time)
        raw = bytes(pkt[IP])
        if raw in seen and t - seen[raw] < 0.001:
            continue
        seen[raw] = t
        seq, ts, ssrc = struct.unpack("!HII", data[2:12])
        header = 12 + 4 * (data[0] & 0x0F)
        out.append(RtpPacket(t, (pkt[IP].src, pkt[UDP].sport), (pkt[IP].dst, pkt[UDP].dport), pkt[IP].ttl,
                             data[1] & 0x7F, bool(data[1] & 0x80), seq, ts, ssrc, len(data) - header))
    return sorted(out, key=lambda p: p.time)


@dataclass
class RtpExpectation:
    payload_type: int = 0          # PCMU
    ptime: float = 0.020
    spacing_tolerance: float = 0.005   # |interval - ptime| allowed for 95 % of the intervals
    payload_len: int = 160
    ts_step: int = 160
    ttl: int | None = None
    pause: float = 0.200           # a longer gap is a pause (hold), not jitter


@dataclass
class RtpStream:
    src: tuple[str, int]
    dst: tuple[str, int]
    ssrc: int
    packets: list[RtpPacket] = field(default_factory=list)

    @property
    def first(self) -> float:
        return self.packets[0].time

    @property
    def last(self) -> float:
        return self.packets[-1].time

    def intervals(self) -> list[float]:
        return [b.time - a.time for a, b in zip(self.packets, self.packets[1:])]

    def pauses(self, longer_than: float = 0.2) -> list[tuple[float, float]]:
        """(start, length) of every gap longer than ``longer_than`` s: the sender held the page."""
        return [(a.time, b.time - a.time) for a, b in zip(self.packets, self.packets[1:])
                if b.time - a.time > longer_than]

    def spacing(self, ptime: float = 0.020, pause: float = 0.2) -> dict[str, float]:
        gaps = [g for g in self.intervals() if g <= pause]
        if not gaps:
            return {"median": 0.0, "p95": 0.0, "p99": 0.0, "max": 0.0}
        dev = sorted(abs(g - ptime) for g in gaps)

        def pct(q: float) -> float:
            return dev[min(len(dev) - 1, int(q * len(dev)))]
        return {"median": statistics.median(gaps), "p95": pct(0.95), "p99": pct(0.99), "max": dev[-1]}

    def problems(self, expect: RtpExpectation) -> list[str]:
        out = []
        if len(self.packets) < 3:
            return [f"only {len(self.packets)} RTP packets"]
        pts = {p.payload_type for p in self.packets}
        if pts != {expect.payload_type}:
            out.append(f"payload type: expected {expect.payload_type}, measured {sorted(pts)}")
        sizes = {p.payload_len for p in self.packets}
        if sizes != {expect.payload_len}:
            out.append(f"payload size: expected {expect.payload_len} bytes, measured {sorted(sizes)}")
        s = self.spacing(expect.ptime, expect.pause)
        if abs(s["median"] - expect.ptime) > 0.001 or s["p95"] > expect.spacing_tolerance:
            out.append(f"packet spacing: expected {expect.ptime * 1000:.0f} ms ± {expect.spacing_tolerance * 1000:.0f}"
                       f" ms, measured median {s['median'] * 1000:.2f} ms, 95 % within "
                       f"{s['p95'] * 1000:.2f} ms (max {s['max'] * 1000:.2f} ms)")
        bad_seq = [(a.seq, b.seq) for a, b in zip(self.packets, self.packets[1:]) if (b.seq - a.seq) & 0xFFFF != 1]
        if bad_seq:
            out.append(f"sequence: expected +1 each packet, measured {len(bad_seq)} jumps, first {bad_seq[0]}")
        bad_ts = [(a.timestamp, b.timestamp) for a, b in zip(self.packets, self.packets[1:])
                  if b.time - a.time <= expect.pause and (b.timestamp - a.timestamp) & 0xFFFFFFFF != expect.ts_step]
        if bad_ts:
            out.append(f"timestamp: expected +{expect.ts_step} each packet, measured {len(bad_ts)} other steps")
        if not self.packets[0].marker:
            out.append("marker: expected on the first packet, measured off")
        if expect.ttl is not None and {p.ttl for p in self.packets} != {expect.ttl}:
            out.append(f"IP TTL: expected {expect.ttl}, measured {sorted({p.ttl for p in self.packets})}")
        return out

    def summary(self) -> str:
        s = self.spacing()
        return (f"RTP {self.src[0]}:{self.src[1]} -> {self.dst[0]}:{self.dst[1]} SSRC {self.ssrc:#010x}: "
                f"{len(self.packets)} packets over {self.last - self.first:.2f} s, PT "
                f"{sorted({p.payload_type for p in self.packets})}, spacing median {s['median'] * 1000:.2f} ms "
                f"p99 dev {s['p99'] * 1000:.2f} ms, TTL {sorted({p.ttl for p in self.packets})}, "
                f"pauses {[(round(t, 2), round(g, 2)) for t, g in self.pauses()]}")


def rtp_streams(packets, dst: str | None = None) -> list[RtpStream]:
    """Streams in first-packet order; ``dst`` keeps only those sent to that address."""
    streams: dict[tuple, RtpStream] = {}
    for p in rtp_packets(packets):
        if dst is not None and p.dst[0] != dst:
            continue
        key = (p.src, p.dst, p.ssrc)
        streams.setdefault(key, RtpStream(p.src, p.dst, p.ssrc)).packets.append(p)
    return list(streams.values())
