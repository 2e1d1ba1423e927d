"""Multicast paging (manual §6.1): RTP to a group address, with no SIP at all.

Sending: G.711 µ-law RTP, 160 bytes every 20 ms, to ``group:port``, from the
phone's own address -- the socket's outgoing interface is the phone's address
(IP_MULTICAST_IF), TTL 1, so a page never leaves the phone's own network
segment (and on the embedded bench never leaves loopback).  Packets are paced
by a thread of their own against absolute deadlines (packet n at start + n x
20 ms), so the spacing neither jitters with the event loop nor drifts.  Hold
stops the stream; resume starts it again with the marker bit set.

Listening: up to 31 ``group:port`` entries.  A stream *starts* with its first
packet and *ends* when no packet came for ``STREAM_TIMEOUT`` (the sender hung
up or held).  Its priority is the index (1..31) of the listening entry it
matched (1 = highest), as the requirements read the manual.  Whether it is
played is ``decide`` below.

The manual's channel (0-30) is stored with each entry and shown, but the
manual gives it no effect on what is played; the reference phone follows that.
"""
from __future__ import annotations

import asyncio
import ipaddress
import logging
import math
import random
import socket
import struct
import threading
import time
from dataclasses import dataclass
from typing import Callable

log = logging.getLogger(__name__)

MAX_LISTEN = 31
PTIME = 0.020
SAMPLES = 160            # 20 ms at 8 kHz
PCMU = 0
STREAM_TIMEOUT = 0.5     # s without a packet: the page is over (25 packets missed)


class PagingError(ValueError):
    pass


def parse_group(text: str) -> tuple[str, int]:
    """``"224.5.6.20:10008"`` -> ("224.5.6.20", 10008); refuses anything else with the reason."""
    host, sep, port = text.strip().rpartition(":")
    try:
        ip = ipaddress.IPv4Address(host)
        number = int(port)
    except ValueError:
        raise PagingError(f"{text!r}: write a multicast address and port as IP:port, "
                          f"e.g. 224.5.6.20:10008") from None
    if not sep or not ip.is_multicast:
        raise PagingError(f"{text!r}: {host} is not a multicast address (224.0.0.0-239.255.255.255)")
    if not 1024 <= number <= 65535:
        raise PagingError(f"{text!r}: the port must be 1024-65535")
    return str(ip), number


# --- what to play ---------------------------------------------------------------------------
@dataclass(frozen=True)
class PagingPolicy:
    barge: int | None            # None = disabled: no page during a SIP call
    dnd_penetration: int | None  # None = disabled: no page while DND is on
    priority_enabled: bool       # a more (or equally) important page takes over a running one


@dataclass(frozen=True)
class Decision:
    play: bool
    reason: str


def decide(policy: PagingPolicy, in_call: bool, dnd: bool, current: int | None, new: int) -> Decision:
    """Play a new page of priority ``new`` (1 highest .. 31 lowest)?  REQ-PAGE-16..23."""
    if current is not None:
        if not policy.priority_enabled:
            return Decision(False, "a page is playing and paging priority is off")
        if new > current:
            return Decision(False, f"priority {new} is below the playing page's {current}")
    if in_call:
        if policy.barge is None:
            return Decision(False, "paging barge is off during a call")
        if new > policy.barge:
            return Decision(False, f"priority {new} is below the barge level {policy.barge}")
    if dnd:
        if policy.dnd_penetration is None:
            return Decision(False, "DND is on and DND penetration is off")
        if new > policy.dnd_penetration:
            return Decision(False, f"priority {new} is below the DND penetration level {policy.dnd_penetration}")
    return Decision(True, "")


# --- G.711 µ-law ----------------------------------------------------------------------------------
def ulaw_encode(sample: int) -> int:
    """One 16-bit linear sample to one µ-law byte (ITU-T G.711)."""
    bias, clip = 0x84, 32635
    sign = 0x80 if sample < 0 else 0
    magnitude = min(abs(sample), clip) + bias
    exponent = max(0, magnitude.bit_length() - 8)
    mantissa = (magnitude >> (exponent + 3)) & 0x0F
    return ~(sign | (exponent << 4) | mantissa) & 0xFF


def ulaw_decode(byte: int) -> int:
    byte = ~byte & 0xFF
    sign, exponent, mantissa = byte & 0x80, (byte >> 4) & 0x07, byte & 0x0F
    magnitude = ((mantissa << 3) + 0x84) << exponent
    return -(magnitude - 0x84) if sign else magnitude - 0x84


_SQUARES = [ulaw_decode(b) ** 2 for b in range(256)]   # the level of a frame without decoding it


def tone_frames(hz: float, amplitude: int = 6000):
    """Endless 20 ms µ-law frames of a sine (hz = 0: silence)."""
    n = 0
    while True:
        yield bytes(ulaw_encode(int(amplitude * math.sin(2 * math.pi * hz * (n + i) / 8000)))
                    for i in range(SAMPLES))
        n += SAMPLES


# --- sending --------------------------------------------------------------------------------------
class PagingSender:
    """Sends one page.  Its own thread keeps the 20 ms clock: the phone's event loop is shared
    with SIP and the web UI and cannot promise sub-millisecond timers; a DSP would not rely on it
    either.  Packet n leaves at start + n x 20 ms (absolute deadlines, so no drift)."""

    def __init__(self, phone_ip: str, group: str, port: int, tone_hz: float = 1000.0, ttl: int = 1):
        self.target = (group, port)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((phone_ip, 0))
        self.sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(phone_ip))
        self.sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, ttl)
        self.sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 1)   # listeners on this host
        self.ssrc = random.getrandbits(32)
        self.seq = random.getrandbits(16)
        self.timestamp = random.getrandbits(32)
        self.frames = tone_frames(tone_hz)
        self.packets_sent = 0
        self._lock = threading.Lock()
        self._running = threading.Event()     # set while the stream flows (not held)
        self._closed = threading.Event()
        self._marker = True
        self._held_at = 0.0
        self._thread = threading.Thread(target=self._run, name=f"paging-{group}:{port}", daemon=True)

    @property
    def held(self) -> bool:
        return not self._running.is_set()

    def start(self) -> None:
        self._marker = True
        self._running.set()
        if not self._thread.is_alive():
            self._thread.start()

    def _run(self) -> None:
        while not self._closed.is_set():
            if not self._running.wait(timeout=0.1):
                continue
            deadline = time.monotonic()
            while self._running.is_set() and not self._closed.is_set():
                self._send_one()
                deadline += PTIME
                delay = deadline - time.monotonic()
                if delay > 0:
                    self._closed.wait(delay)   # the RTP clock of this thread
                elif delay < -0.2:
                    deadline = time.monotonic()   # the machine stalled: do not burst to catch up

    def _send_one(self) -> None:
        with self._lock:
            header = struct.pack("!BBHII", 0x80, (0x80 if self._marker else 0) | PCMU,
                                 self.seq & 0xFFFF, self.timestamp & 0xFFFFFFFF, self.ssrc)
            self._marker = False
            self.seq += 1
            self.timestamp += SAMPLES
        try:
            self.sock.sendto(header + next(self.frames), self.target)
            self.packets_sent += 1
        except OSError as exc:
            if not self._closed.is_set():
                log.warning("paging packet to %s:%d not sent: %s", *self.target, exc)

    def hold(self) -> None:
        """The stream stops; listeners end the page by themselves (REQ-PAGE-29)."""
        if self._running.is_set():
            self._running.clear()
            self._held_at = time.monotonic()

    def resume(self) -> None:
        """The stream goes on; the RTP clock counts the pause, and the marker flags the new talk spurt."""
        if self.held and not self._closed.is_set():
            with self._lock:
                self.timestamp += int((time.monotonic() - self._held_at) * 8000)
            self.start()

    def stop(self) -> None:
        self._running.clear()
        self._closed.set()
        if self._thread.is_alive():
            self._thread.join(timeout=1)
        self.sock.close()


# --- listening ------------------------------------------------------------------------------------
@dataclass
class Stream:
    """A page being received on one listening entry."""

    priority: int
    group: str
    port: int
    label: str
    source: tuple[str, int]
    ssrc: int
    started: float
    last: float
    packets: int = 0
    level: float = 0.0              # RMS of the last frame
    played: bool = False
    ignored_because: str = ""


class _Receiver(asyncio.DatagramProtocol):
    def __init__(self, listener: "PagingListener", priority: int):
        self.listener, self.priority = listener, priority

    def datagram_received(self, data: bytes, addr) -> None:
        self.listener._packet(self.priority, data, addr)


@dataclass
class ListenEntry:
    priority: int
    group: str
    port: int
    label: str = ""
    channel: int = 0


class PagingListener:
    """Listens on the configured groups and reports pages to the phone (callbacks on the loop)."""

    def __init__(self, phone_ip: str, entries: list[ListenEntry],
                 on_start: Callable[[Stream], None], on_end: Callable[[Stream], None],
                 on_ignore: Callable[[Stream], None], policy_of: Callable[[], tuple[PagingPolicy, bool, bool]]):
        if len(entries) > MAX_LISTEN:
            raise PagingError(f"{len(entries)} listening addresses; the phone listens to at most {MAX_LISTEN}")
        self.phone_ip, self.entries = phone_ip, entries
        self.on_start, self.on_end, self.on_ignore, self.policy_of = on_start, on_end, on_ignore, policy_of
        self.streams: dict[int, Stream] = {}     # by priority (= entry index)
        self.current: Stream | None = None       # the page being played
        self._transports: list[asyncio.DatagramTransport] = []
        self._watch: asyncio.TimerHandle | None = None

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        for e in self.entries:
            sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            sock.bind((e.group, e.port))     # only this group's traffic on this port
            sock.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                            socket.inet_aton(e.group) + socket.inet_aton(self.phone_ip))
            transport, _ = await loop.create_datagram_endpoint(lambda e=e: _Receiver(self, e.priority), sock=sock)
            self._transports.append(transport)
        self._watch = loop.call_later(0.1, self._check_ended)

    def close(self) -> None:
        for t in self._transports:
            t.close()
        self._transports.clear()
        if self._watch is not None:
            self._watch.cancel()

    def stop_playing(self) -> None:
        """The user ended the page (End key): ignore this stream until it stops."""
        if self.current is not None:
            self.current.played = False
            self.current.ignored_because = "ended by the user"
            stream, self.current = self.current, None
            self.on_end(stream)

    def _packet(self, priority: int, data: bytes, addr) -> None:
        if addr[0] == self.phone_ip or len(data) < 12 or data[0] >> 6 != 2:
            return   # our own page looped back, or not RTP
        ssrc = struct.unpack("!I", data[8:12])[0]
        now = time.monotonic()
        stream = self.streams.get(priority)
        if stream is None or stream.ssrc != ssrc:
            entry = next(e for e in self.entries if e.priority == priority)
            stream = Stream(priority, entry.group, entry.port, entry.label, addr, ssrc, now, now)
            self.streams[priority] = stream
            self._arrived(stream)
        stream.last = now
        stream.packets += 1
        payload = data[12:]
        if payload:
            stream.level = math.sqrt(sum(_SQUARES[b] for b in payload) / len(payload))

    def _arrived(self, stream: Stream) -> None:
        policy, in_call, dnd = self.policy_of()
        current = self.current.priority if self.current is not None else None
        verdict = decide(policy, in_call, dnd, current, stream.priority)
        if not verdict.play:
            stream.ignored_because = verdict.reason
            self.on_ignore(stream)
            return
        if self.current is not None:
            old, self.current = self.current, None
            old.played = False
            old.ignored_because = f"taken over by priority {stream.priority}"
            self.on_end(old)
        stream.played = True
        self.current = stream
        self.on_start(stream)

    def _check_ended(self) -> None:
        now = time.monotonic()
        for priority, stream in list(self.streams.items()):
            if now - stream.last > STREAM_TIMEOUT:
                del self.streams[priority]
                if stream is self.current:
                    self.current = None
                    self.on_end(stream)
        self._watch = asyncio.get_running_loop().call_later(0.1, self._check_ended)
