"""Packet capture on one interface with scapy, and SIP decoded from it.

Why a reader thread of our own rather than scapy's ``AsyncSniffer``:

* ``start()`` must not return before the kernel is queueing packets for us, or the
  first packet a scenario sends can be lost.  Here the PF_PACKET socket is opened,
  filtered and bound inside ``start()`` itself, so once it returns nothing is missed.
* ``AsyncSniffer.stop()`` discards what is still queued in the socket; ``stop()``
  here drains the socket first, so the last packet before ``stop()`` is kept.
* Packets are visible while the capture runs (``packets()``, ``sip_messages()``,
  ``wait_for_sip()``), which AsyncSniffer only offers at the end.

Loopback (checked on Debian 12, kernel 6.x, scapy 2.8): a PF_PACKET socket on ``lo``
sees each packet twice, as it leaves (PACKET_OUTGOING) and as it arrives, about
10 µs apart.  On a loopback interface the BPF filter is therefore wrapped as
``inbound and (<filter>)``, which keeps exactly one copy.  On any other interface
(a real bench's NIC, a veth) each packet passes once already, and the harness's own
outgoing packets must be kept, so the filter is used as given.  (libpcap with
``conf.use_pcap`` also de-duplicates on ``lo`` but, with ``inbound``, lost packets in
our trials, so it is not used.)  The filter is compiled by libpcap through ctypes
(Debian package ``libpcap0.8``); tcpdump is not needed.

Timestamps are the kernel's receive times (SO_TIMESTAMPNS), as float epoch seconds.
"""
from __future__ import annotations

import math
import os
import re
import select
import socket
import struct
import threading
import time
from pathlib import Path
from typing import Callable

from scapy.config import conf
from scapy.layers.inet import IP, TCP, UDP
from scapy.layers.inet6 import IPv6
from scapy.packet import Packet, Padding
from scapy.utils import wrpcap

from .errors import LabError, PhoneFailure
from .sip_wire import SipMessage, looks_like_sip_start, parse_sip, split_stream_with_rest
from .wait import WaitTimeout, wait_until

_SOL_PACKET = 263
_PACKET_STATISTICS = 6
_SO_RCVBUFFORCE = 33
_RCVBUF = 8 * 1024 * 1024   # a burst on lo (64 KiB MTU) overflows scapy's 64 KiB default
_IFF_LOOPBACK = 0x8


def is_loopback(iface: str) -> bool:
    """True for an interface with the kernel's IFF_LOOPBACK flag (``lo``)."""
    try:
        flags = int(Path(f"/sys/class/net/{iface}/flags").read_text(), 16)
    except (OSError, ValueError):
        return iface == "lo"
    return bool(flags & _IFF_LOOPBACK)


def _may_start_sip(data: bytes) -> bool:
    """Could ``data`` be the start of a SIP message?  A segment may end inside the
    start line, so a line without its end only has to look like the beginning of
    one; ``_TcpFlow.feed`` checks it again once the whole line is there."""
    head = data.lstrip(b"\r\n")
    if b"\n" in head:
        return looks_like_sip_start(head)
    return bool(head) and (b"SIP/2.0 ".startswith(head[:8]) or head.startswith(b"SIP/2.0 ")
                           or re.match(rb"[!%*._+`'~0-9A-Za-z-]+(?: |$)", head) is not None)


class _TcpFlow:
    """Reassembles one direction of a TCP connection into SIP messages.

    Data is appended in sequence order; a retransmitted segment's already-seen
    bytes are skipped.  A gap (a segment the capture missed) resets the flow, which
    then waits for a segment that starts a SIP message.  A capture that joins a
    connection midway does the same.  Each message is stamped with the time of the
    segment that carried its first byte.
    """

    def __init__(self) -> None:
        self.next_seq: int | None = None
        self.buffer = b""
        self.starts: list[tuple[int, float]] = []   # (offset in buffer, segment time)

    def feed(self, seq: int, data: bytes, ts: float) -> list[tuple[bytes, float]]:
        if self.next_seq is not None:
            ahead = (seq - self.next_seq) % 2**32
            if ahead >= 2**31:                 # starts before next_seq: drop the old part
                behind = 2**32 - ahead
                if behind >= len(data):
                    return []
                seq, data = self.next_seq, data[behind:]
            elif ahead:                        # a hole: the capture missed bytes
                self.reset()
        if not self.buffer and not _may_start_sip(data):
            self.next_seq = None               # not (yet) at a SIP message boundary
            return []
        self.starts.append((len(self.buffer), ts))
        self.buffer += data
        self.next_seq = (seq + len(data)) % 2**32
        messages, rest = split_stream_with_rest(self.buffer)
        out, offset = [], 0
        for raw in messages:
            offset = self.buffer.index(raw, offset)
            out.append((raw, self._time_at(offset)))
            offset += len(raw)
        consumed = len(self.buffer) - len(rest)
        if rest:
            first = (0, self._time_at(consumed))
            self.starts = [first] + [(o - consumed, t) for o, t in self.starts if o > consumed]
        else:
            self.starts = []
        self.buffer = rest
        head = rest.lstrip(b"\r\n")
        if b"\n" in head and not looks_like_sip_start(head):
            self.reset()                       # garbage, not a SIP stream after all
        return out

    def _time_at(self, offset: int) -> float:
        """Time of the segment that carried byte ``offset`` of the buffer."""
        return [t for o, t in self.starts if o <= offset][-1]

    def reset(self) -> None:
        self.next_seq, self.buffer, self.starts = None, b"", []


def _addresses(pkt: Packet) -> tuple[str, str] | None:
    layer = pkt.getlayer(IP) or pkt.getlayer(IPv6)
    return (layer.src, layer.dst) if layer is not None else None


def _payload(layer: Packet) -> bytes:
    """The transport payload without link-layer padding."""
    data = bytes(layer.payload)
    pad = layer.getlayer(Padding)
    return data[:-len(pad.load)] if pad is not None and pad.load else data


class Capture:
    """Sniffs one interface with a BPF filter; one pcap per scenario kept as evidence
    (opens in Wireshark).  Use as a context manager or start()/stop()."""

    def __init__(self, iface: str = "lo", bpf: str = "udp or tcp", pcap_path: Path | None = None):
        self.iface = iface
        self.bpf = bpf
        self.pcap_path = Path(pcap_path) if pcap_path is not None else None
        self.kernel_filter = f"inbound and ({bpf})" if is_loopback(iface) else bpf
        self._sock = None
        self._thread: threading.Thread | None = None
        self._wake_r, self._wake_w = -1, -1
        self._lock = threading.Lock()
        self._packets: list[Packet] = []
        self._error: BaseException | None = None
        self._drops = 0
        self._decoded = 0                       # packets already turned into SIP
        self._sip: list[SipMessage] = []
        self._flows: dict[tuple, _TcpFlow] = {}
        self._linktype = 1                      # DLT_EN10MB until the socket says otherwise

    # ------------------------------------------------------------ lifecycle

    def start(self) -> None:
        """Open the socket, attach the filter and bind, then start reading.  The
        kernel queues packets from the moment the socket is bound, so when this
        returns no packet can be lost."""
        if self._thread is not None:
            raise LabError("capture", f"capture on {self.iface} already started")
        try:
            self._sock = conf.L2listen(iface=self.iface, filter=self.kernel_filter)
        except PermissionError as exc:
            raise LabError("capture", f"no permission to sniff {self.iface} (needs root or "
                                      f"CAP_NET_RAW): {exc}") from exc
        except Exception as exc:
            raise LabError("capture", f"cannot sniff {self.iface} with filter "
                                      f"{self.kernel_filter!r}: {exc}") from exc
        for opt in (_SO_RCVBUFFORCE, socket.SO_RCVBUF):
            try:
                self._sock.ins.setsockopt(socket.SOL_SOCKET, opt, _RCVBUF)
                break
            except OSError:
                continue
        self._linktype = conf.l2types.layer2num.get(self._sock.LL, 1)
        self._read_drops()     # reading clears the kernel's counter: forget the drops
        self._drops = 0        # scapy's set-up caused (SO_RCVBUF 0 before the filter was on)
        self._wake_r, self._wake_w = os.pipe()
        self._thread = threading.Thread(target=self._run, name=f"capture-{self.iface}",
                                        daemon=True)
        self._thread.start()

    def stop(self) -> list:
        """Stop reading, keep what is still queued, write the pcap, return the packets."""
        if self._thread is not None:
            os.write(self._wake_w, b"x")
            self._thread.join(timeout=5)
            if self._thread.is_alive():
                raise LabError("capture", f"reader thread on {self.iface} did not stop")
            try:
                if self._error is None:
                    self._drain()
                self._read_drops()
            finally:
                self._sock.close()
                os.close(self._wake_r)
                os.close(self._wake_w)
                self._thread = None
            if self.pcap_path is not None:
                self.pcap_path.parent.mkdir(parents=True, exist_ok=True)
                wrpcap(str(self.pcap_path), self.packets(), linktype=self._linktype, nano=True)
        if self._error is not None:
            raise LabError("capture", f"reader on {self.iface} failed: {self._error!r}")
        return self.packets()

    def __enter__(self) -> "Capture":
        self.start()
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            self.stop()
        except LabError:
            if exc_type is None:       # do not hide the error that is already on its way
                raise

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run(self) -> None:
        try:
            while True:
                ready, _, _ = select.select([self._sock.ins, self._wake_r], [], [])
                if self._wake_r in ready:
                    return
                self._receive_one()
        except BaseException as exc:   # noqa: BLE001 -- reported by stop()/wait_for_sip()
            self._error = exc

    def _receive_one(self) -> None:
        pkt = self._sock.recv()
        if pkt is not None:
            with self._lock:
                self._packets.append(pkt)

    def _drain(self) -> None:
        while select.select([self._sock.ins], [], [], 0)[0]:
            self._receive_one()

    def _read_drops(self) -> None:
        """Add the kernel's drop counter (it resets on each read) to ours."""
        try:
            raw = self._sock.ins.getsockopt(_SOL_PACKET, _PACKET_STATISTICS, 8)
            self._drops += struct.unpack("II", raw)[1]
        except OSError:
            pass

    @property
    def dropped(self) -> int:
        """Packets the kernel dropped because the reader fell behind.  Non-zero
        means the capture is incomplete: a lab problem, not the phone's."""
        if self.running:
            self._read_drops()
        return self._drops

    # ------------------------------------------------------------ reading

    def packets(self) -> list:
        """A copy of the packets captured so far, in arrival order."""
        with self._lock:
            return list(self._packets)

    def sip_messages(self) -> list[SipMessage]:
        """SIP over UDP and TCP captured so far, each packet once, in time order."""
        with self._lock:
            new = self._packets[self._decoded:]
            self._decoded += len(new)
            for pkt in new:
                self._sip.extend(self._decode(pkt))
            self._sip.sort(key=lambda m: m.time)
            return list(self._sip)

    def _decode(self, pkt: Packet) -> list[SipMessage]:
        addrs = _addresses(pkt)
        if addrs is None:
            return []
        ts = float(pkt.time)
        if (udp := pkt.getlayer(UDP)) is not None:
            msg = parse_sip(_payload(udp), ts, (addrs[0], udp.sport), (addrs[1], udp.dport), "UDP")
            return [msg] if msg else []
        tcp = pkt.getlayer(TCP)
        if tcp is None:
            return []
        src, dst = (addrs[0], tcp.sport), (addrs[1], tcp.dport)
        key = (src, dst)
        flags = int(tcp.flags)
        if flags & 0x02:                        # SYN: a new connection starts here
            self._flows.pop(key, None)
            return []
        data = _payload(tcp)
        out = []
        if data:
            flow = self._flows.setdefault(key, _TcpFlow())
            out = [m for raw, t in flow.feed(tcp.seq, data, ts)
                   if (m := parse_sip(raw, t, src, dst, "TCP"))]
        if flags & 0x05:                        # FIN or RST: the connection is over
            self._flows.pop(key, None)
        return out

    def wait_for_sip(self, predicate: Callable[[SipMessage], bool], timeout: float = 5.0,
                     count: int = 1, *, what: str = "SIP message") -> list[SipMessage]:
        """Wait until at least ``count`` captured SIP messages satisfy ``predicate``;
        return all that do.  Not seeing them is the phone's failure (PhoneFailure,
        listing what was seen); a capture that is not running or that dropped packets
        is the lab's (LabError).
        A caller waiting for the lab's own messages can catch PhoneFailure and re-raise."""
        if count < 1:
            raise ValueError("count must be at least 1")
        def matching() -> list[SipMessage] | None:
            if self._error is not None or not self.running:
                raise LabError("capture", f"capture on {self.iface} is not running"
                               + (f": {self._error!r}" if self._error else ""))
            found = [m for m in self.sip_messages() if predicate(m)]
            return found if len(found) >= count else None
        try:
            return wait_until(matching, timeout=timeout, interval=0.01, what=what)
        except WaitTimeout:
            if self.dropped:
                raise LabError("capture", f"{what}: not seen within {timeout:g} s, but the "
                               f"capture dropped {self.dropped} packet(s)") from None
            seen = self.sip_messages()
            got = len([m for m in seen if predicate(m)])
            tail = "\n".join("  " + m.summary() for m in seen[-10:]) or "  (no SIP at all)"
            raise PhoneFailure(f"{what}: {got} of {count} seen on {self.iface} within "
                               f"{timeout:g} s; last SIP messages:\n{tail}") from None

    @property
    def precision(self) -> float:
        """Timestamp resolution in seconds, measured on the timestamps captured so far.

        How: every timestamp is tested against decimal grids of 1 s, 1 ms and 1 µs
        (coarsest first); the coarsest grid that all of them sit on (within the
        float's rounding) is the resolution — that is what a µs-resolution pcap
        source or a millisecond clock would show.  When none fits (the kernel's
        nanosecond stamps) the limit is what a float64 epoch value can hold,
        ``math.ulp(t)`` (about 0.24 µs today).  Fewer than 8 packets are too few to
        tell a grid from chance, so then the float limit of the current time is given.
        """
        stamps = [float(p.time) for p in self.packets()]
        floor = math.ulp(max(stamps, default=time.time()))
        if len(stamps) < 8:
            return floor
        for step in (1.0, 1e-3, 1e-6):
            slack = floor / 2 / step + 0.01    # the float's own rounding, in grid units
            if slack >= 0.25:                  # the float cannot tell this grid from chance
                break
            residues = ((t - math.floor(t)) / step for t in stamps)
            if all(abs(r - round(r)) <= slack for r in residues):
                return step
        return floor
