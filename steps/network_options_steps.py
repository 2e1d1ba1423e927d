"""QoS, VLAN, LLDP and CDP (§6.4.1 provisioning list, §1.3 advanced network settings), checked on the wire.

* QoS: the TOS byte of the IP packets the phone sends (DSCP << 2), SIP and RTP apart.
* LLDP / CDP: the frames on the bench's loopback interface, read with scapy's own dissectors.
  Parallel benches share ``lo`` and their phones share MACs, so a phone's frames are told
  apart by the address they carry (LLDP management address, CDP address TLV), never by MAC.
* VLAN: cannot be seen as a tag on loopback; what the phone advertises (LLDP-MED network
  policy, CDP VoIP VLAN query) is checked instead.
"""
from __future__ import annotations

import socket
import time

from pytest_bdd import parsers, step
from scapy.contrib.cdp import CDPAddrRecordIPv4, CDPMsgAddr, CDPMsgDeviceID, CDPMsgPlatform, CDPMsgVoIPVLANQuery, CDPv2_HDR
from scapy.contrib.lldp import (LLDPDUChassisID, LLDPDUGenericOrganisationSpecific, LLDPDUManagementAddress,
                                LLDPDUSystemName, LLDPDUTimeToLive)
from scapy.layers.inet import IP, TCP, UDP
from scapy.layers.l2 import Dot3, Ether

from drivers.errors import LabError, PhoneFailure
from drivers.sip_wire import looks_like_sip_start
from drivers.wait import WaitTimeout, wait_until

PHONE = r"(?:phone )?(?P<name>[A-B])"
PROTO = r"(?P<proto>LLDP|CDP)"
_BPF = {"LLDP": "ether proto 0x88cc", "CDP": "ether dst 01:00:0c:cc:cc:cc"}
_MED_OUI = 0x0012BB
_APPS = {1: "voice", 2: "voice signalling"}


# --- reading the frames -------------------------------------------------------------------------
def med_policies(frame) -> dict[str, tuple[bool, int, int, int]]:
    """LLDP-MED network policies of an LLDP frame: application -> (tagged, VLAN ID, priority, DSCP)."""
    out = {}
    layer = frame
    while layer:
        if isinstance(layer, LLDPDUGenericOrganisationSpecific) and layer.org_code == _MED_OUI and layer.subtype == 2:
            data = bytes(layer.data)
            bits = int.from_bytes(data[1:4], "big")
            out[_APPS.get(data[0], str(data[0]))] = (bool(bits >> 22 & 1), bits >> 9 & 0xFFF, bits >> 6 & 7, bits & 0x3F)
        layer = layer.payload
    return out


def _lldp_address(frame) -> str | None:
    if not frame.haslayer(LLDPDUManagementAddress):
        return None
    mgmt = frame[LLDPDUManagementAddress]
    return socket.inet_ntoa(bytes(mgmt.management_address)) if mgmt.management_address_subtype == 1 else None


def _cdp_address(frame) -> str | None:
    return frame[CDPMsgAddr][CDPAddrRecordIPv4].addr if frame.haslayer(CDPAddrRecordIPv4) else None


def frames_of(bench, name: str, proto: str, since: float = 0.0) -> list:
    """The decoded LLDP or CDP frames captured since ``since`` that carry phone ``name``'s address."""
    cap = bench.capture(f"{proto.lower()}_capture", f"the {proto} frames on the bench's loopback are captured")
    ip = bench.dut(name).home_ip
    out = []
    for pkt in cap.packets():
        if pkt.time < since:
            continue
        frame = Ether(bytes(pkt)) if proto == "LLDP" else Dot3(bytes(pkt))
        frame.time = pkt.time
        address = _lldp_address(frame) if proto == "LLDP" else _cdp_address(frame)
        if address == ip:
            out.append(frame)
    return out


def _sender_problem(bench, name: str, proto: str) -> str | None:
    """The phone's own word on its sender: an error means the lab (no raw socket), not the phone."""
    state = bench.dut(name).web.status().get("discovery", {}).get(proto.lower(), {}).get("state", "")
    return state if state.startswith("error") else None


def wait_frames(bench, name: str, proto: str, count: int, timeout: float, since: float = 0.0) -> list:
    try:
        return wait_until(lambda: (lambda f: f if len(f) >= count else None)(frames_of(bench, name, proto, since)),
                          timeout, 0.1, what=f"{count} {proto} frames of {name}")
    except WaitTimeout:
        problem = _sender_problem(bench, name, proto)
        if problem:
            raise LabError(f"raw socket ({proto} sender of {name})", problem) from None
        seen = len(frames_of(bench, name, proto, since))
        raise PhoneFailure(f"{name} sent {seen} {proto} frames in {timeout:.0f} s, expected {count} or more") from None


# --- steps: captures ---------------------------------------------------------------------------
@step(parsers.re(rf"the {PROTO} frames on the bench's loopback are captured"))
def capture_frames(bench, proto):
    """Layer-2 frames, not IP: the capture is not limited to the bench's block (phones are told apart later)."""
    bench.start_capture(f"{proto.lower()}_capture", _BPF[proto], f"{proto.lower()}.pcap",
                        iface=bench.lab.capture.interface)


@step(parsers.re(rf"the IP packets {PHONE} sends are captured"))
def capture_phone_packets(bench, name):
    bench.start_capture("qos_capture", f"(udp or tcp) and src host {bench.dut(name).home_ip}", "qos.pcap")


@step(parsers.re(r"the time is noted"))
def note_time(bench):
    bench.context["noted_at"] = time.time()


# --- steps: QoS ----------------------------------------------------------------------------------
def _sent_by(bench, name: str):
    cap = bench.capture("qos_capture", f"the IP packets {name} sends are captured")
    return [p for p in cap.packets() if p.haslayer(IP) and p[IP].src == bench.dut(name).home_ip]


def _data(pkt) -> bytes:
    layer = pkt[UDP] if pkt.haslayer(UDP) else pkt[TCP] if pkt.haslayer(TCP) else None
    return bytes(layer.payload) if layer is not None else b""


def _is_sip(pkt) -> bool:
    """A UDP datagram or TCP segment that starts a SIP message."""
    data = _data(pkt)
    return bool(data) and looks_like_sip_start(data[:200])


def _is_rtp(pkt) -> bool:
    data = _data(pkt)
    return (pkt.haslayer(UDP) and len(data) >= 12 and data[0] >> 6 == 2 and (data[1] & 0x7F) in (0, 8, 9)
            and not _is_sip(pkt))


@step(parsers.re(rf"every (?P<kind>SIP|RTP) packet {PHONE} sent(?: over (?P<transport>UDP|TCP))? "
                 r"carries DSCP (?P<dscp>\d+) \(TOS (?P<tos>0x[0-9a-f]{2})\)"))
def packets_carry_dscp(bench, kind, name, transport, dscp, tos):
    dscp, tos = int(dscp), int(tos, 16)
    if tos != dscp << 2:
        raise LabError("feature", f"TOS {tos:#04x} is not DSCP {dscp} << 2")
    layer = {"UDP": UDP, "TCP": TCP}.get(transport)
    kind_of = _is_sip if kind == "SIP" else _is_rtp

    def pick(p):
        return kind_of(p) and (layer is None or p.haslayer(layer))
    try:
        packets = wait_until(lambda: [p for p in _sent_by(bench, name) if pick(p)] or None, 5, 0.1,
                             what=f"{kind} packets of {name}")
    except WaitTimeout:
        raise PhoneFailure(f"no {kind} packet of {name} was captured") from None
    wrong = sorted({p[IP].tos for p in packets if p[IP].tos != tos})
    if wrong:
        raise PhoneFailure(f"{kind} of {name}: expected TOS {tos:#04x} (DSCP {dscp}) on all {len(packets)} packets; "
                           f"seen TOS {', '.join(f'{t:#04x}' for t in wrong)}")


# --- steps: LLDP and CDP -------------------------------------------------------------------------
@step(parsers.re(rf"{PHONE} sends an? {PROTO} frame every (?P<secs>\d+) s"))
def sends_every(bench, name, proto, secs):
    """Three frames of this phone, spaced by the interval (within 0.3 s: loopback, event-loop timers)."""
    secs = int(secs)
    frames = wait_frames(bench, name, proto, 3, 3 * secs + 2)
    gaps = [round(float(b.time - a.time), 3) for a, b in zip(frames, frames[1:])]
    if any(abs(g - secs) > 0.3 for g in gaps[:2]):
        raise PhoneFailure(f"{proto} frames of {name} came {gaps} s apart, expected {secs} s (tolerance 0.3 s)")


@step(parsers.re(rf"{PHONE} sends no {PROTO} frame for (?P<secs>[\d.]+) s(?P<after> after the time noted)?"))
def sends_none(bench, name, proto, secs, after):
    since = bench.context["noted_at"] if after else 0.0
    deadline = time.monotonic() + float(secs)
    while time.monotonic() < deadline:   # a deadline poll: any frame fails at once
        frames = frames_of(bench, name, proto, since)
        if frames:
            raise PhoneFailure(f"{name} sent {len(frames)} {proto} frames, expected none")
        time.sleep(0.1)


@step(parsers.re(rf"the LLDP frames of {PHONE} give its MAC as chassis ID, its model as system name "
                 r"and (?P<ip>\S+) as management address"))
def lldp_names(bench, name, ip):
    ip = bench.expand(ip)
    frame = wait_frames(bench, name, "LLDP", 1, 5)[-1]
    mac = bench.lab.phones[name].mac.lower()
    model = bench.dut(name).web.identity()["model"]
    chassis = frame[LLDPDUChassisID]
    got = (chassis.subtype, str(chassis.id).lower(), bytes(frame[LLDPDUSystemName].system_name).decode(), _lldp_address(frame))
    if got != (4, mac, model, ip):
        raise PhoneFailure(f"LLDP of {name}: (chassis subtype, chassis ID, system name, management address) = {got}, "
                           f"expected {(4, mac, model, ip)}")
    if frame[LLDPDUTimeToLive].ttl <= 0:
        raise PhoneFailure(f"LLDP of {name} has TTL {frame[LLDPDUTimeToLive].ttl}")


@step(parsers.re(rf"the LLDP-MED (?P<app>voice|voice signalling) policy of {PHONE} says "
                 r"(?P<tag>VLAN (?P<vlan>\d+) tagged|untagged), priority (?P<prio>\d), DSCP (?P<dscp>\d+)"))
def lldp_med_policy(bench, app, name, tag, vlan, prio, dscp):
    want = (vlan is not None, int(vlan or 0), int(prio), int(dscp))
    since = bench.context.get("noted_at", 0.0)
    try:
        frames = wait_until(lambda: [f for f in frames_of(bench, name, "LLDP", since) if med_policies(f).get(app) == want]
                            or None, 5, 0.1, what=f"an LLDP-MED {app} policy {want}")
    except WaitTimeout:
        frames = wait_frames(bench, name, "LLDP", 1, 1, since)
        raise PhoneFailure(f"LLDP-MED {app} policy of {name} is {med_policies(frames[-1]).get(app)} "
                           f"(tagged, VLAN, priority, DSCP), expected {want}") from None
    assert frames


@step(parsers.re(rf"the CDP frames of {PHONE} give its device ID, (?P<ip>\S+) as address and its model as platform"))
def cdp_names(bench, name, ip):
    ip = bench.expand(ip)
    frame = wait_frames(bench, name, "CDP", 1, 5)[-1]
    identity = bench.dut(name).web.identity()
    device_id = f"{identity['model']}-{identity['mac'].replace(':', '').upper()}"
    cdp = frame[CDPv2_HDR]
    got = (bytes(cdp[CDPMsgDeviceID].val).decode(), _cdp_address(frame), bytes(cdp[CDPMsgPlatform].val).decode())
    if got != (device_id, ip, identity["model"]):
        raise PhoneFailure(f"CDP of {name}: (device ID, address, platform) = {got}, "
                           f"expected {(device_id, ip, identity['model'])}")


@step(parsers.re(rf"the CDP frames of {PHONE} (?P<how>ask for voice VLAN (?P<vlan>\d+)|carry no voice VLAN)"))
def cdp_voice_vlan(bench, name, how, vlan):
    since = bench.context.get("noted_at", 0.0)
    frame = wait_frames(bench, name, "CDP", 1, 5, since)[-1]
    got = frame[CDPMsgVoIPVLANQuery].vlan if frame.haslayer(CDPMsgVoIPVLANQuery) else None
    want = int(vlan) if vlan else None
    if got != want:
        raise PhoneFailure(f"CDP VoIP VLAN query of {name}: {got}, expected {want}")
