"""LLDP and CDP: the phone tells the switch who it is and which voice VLAN and DSCP it uses.

Provisionable items of the manual's list (§6.4.1, REQ-PROV-10); CDP is also on the phone's
advanced network menu (§1.3, REQ-MTX-06).  The frames are built here byte by byte, as a
firmware would; the harness reads them back with scapy's own LLDP and CDP dissectors, which
makes those an independent check of this code.

* LLDP (IEEE 802.1AB, ethertype 0x88cc, to 01:80:c2:00:00:0e): chassis ID = the MAC, port ID
  = the MAC, TTL = 4 x interval, system name = the model, system description = model and
  firmware, capabilities = telephone, management address = the phone's IPv4 address, and the
  LLDP-MED TLVs of a class III endpoint (TIA-1057): capabilities and two network policies,
  voice (VLAN, L2 priority, RTP DSCP) and voice signalling (VLAN, priority, SIP DSCP).
* CDP (version 2, to 01:00:0c:cc:cc:cc over 802.3 + LLC/SNAP 00000c/0x2000): device ID,
  address = the phone's IPv4 address, port ID, capabilities (host, phone), software version,
  platform = the model, duplex, and with a voice VLAN the VoIP VLAN query TLV carrying it.

Where the frames go: only to the loopback interface of the reference bench (the phone's address
is a 127.x address there).  A phone whose address is not on loopback sends nothing and says so.
No thread: the sends are timers of the phone's event loop, so they stop with the phone.
A raw socket that cannot be opened (not root) is logged and shown in the phone's status as the
protocol's error, so the harness can report a broken lab rather than a broken phone.
"""
from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
import struct
from dataclasses import dataclass

log = logging.getLogger(__name__)

LLDP_MULTICAST = "01:80:c2:00:00:0e"
LLDP_ETHERTYPE = 0x88CC
CDP_MULTICAST = "01:00:0c:cc:cc:cc"
LOOPBACK = "lo"

_MED_OUI = b"\x00\x12\xbb"
_MED_CAPABILITIES = 0x0001 | 0x0002      # LLDP-MED capabilities, network policy
_MED_CLASS_III = 3                        # communication device endpoint (an IP phone)
_APP_VOICE, _APP_VOICE_SIGNALLING = 1, 2
_CAP_TELEPHONE = 0x0020                   # 802.1AB system capability "telephone"
_CDP_CAP_HOST, _CDP_CAP_PHONE = 0x10, 0x80


@dataclass(frozen=True)
class Advert:
    """What the phone says about itself, from its identity and its configuration."""

    mac: str              # "00:15:65:00:00:11"
    ip: str               # "127.0.2.11"
    model: str            # "SIP-H680W"
    firmware: str
    vlan_enable: bool = False
    vlan_id: int = 1
    vlan_priority: int = 0
    sip_dscp: int = 26
    rtp_dscp: int = 46
    if_index: int = 1
    port: str = "WAN"

    @classmethod
    def of(cls, identity, ip: str, config: dict, if_index: int = 1) -> "Advert":
        return cls(mac=identity.mac, ip=ip, model=identity.model, firmware=identity.firmware,
                   vlan_enable=bool(config["network.vlan.enable"]), vlan_id=int(config["network.vlan.id"]),
                   vlan_priority=int(config["network.vlan.priority"]),
                   sip_dscp=int(config["network.qos.sip_dscp"]), rtp_dscp=int(config["network.qos.rtp_dscp"]),
                   if_index=if_index)

    @property
    def mac_bytes(self) -> bytes:
        return bytes.fromhex(self.mac.replace(":", ""))

    @property
    def device_id(self) -> str:
        """The CDP device ID: the model and the MAC, as "SIP-H680W-001565000011"."""
        return f"{self.model}-{self.mac.replace(':', '').upper()}"


def _mac(text: str) -> bytes:
    return bytes.fromhex(text.replace(":", ""))


# --- LLDP ---------------------------------------------------------------------------------
def _tlv(kind: int, value: bytes) -> bytes:
    if len(value) > 511:
        raise ValueError(f"LLDP TLV {kind} too long ({len(value)} bytes)")
    return struct.pack("!H", (kind << 9) | len(value)) + value


def network_policy(app: int, a: Advert, dscp: int) -> bytes:
    """The LLDP-MED network policy TLV (TIA-1057 §10.2.3) for one application type.

    24 bits after the application type: U (policy unknown) = 0, T (tagged) = VLAN on,
    X = 0, VLAN ID (12 bits, 0 = untagged / priority tagged), L2 priority (3), DSCP (6).
    """
    vlan = a.vlan_id if a.vlan_enable else 0
    bits = (int(a.vlan_enable) << 22) | (vlan << 9) | (a.vlan_priority << 6) | dscp
    return _tlv(127, _MED_OUI + bytes([2, app]) + bits.to_bytes(3, "big"))


def lldp_frame(a: Advert, interval: int) -> bytes:
    """One whole LLDP Ethernet frame (without FCS)."""
    ttl = min(65535, 4 * interval)
    addr = ipaddress.IPv4Address(a.ip).packed
    mgmt = bytes([1 + len(addr), 1]) + addr + bytes([2]) + struct.pack("!I", a.if_index) + bytes([0])
    body = b"".join([
        _tlv(1, bytes([4]) + a.mac_bytes),                        # chassis ID: MAC address
        _tlv(2, bytes([3]) + a.mac_bytes),                        # port ID: MAC address
        _tlv(3, struct.pack("!H", ttl)),
        _tlv(4, a.port.encode()),                                  # port description
        _tlv(5, a.model.encode()),                                 # system name
        _tlv(6, f"{a.model} {a.firmware}".encode()),               # system description
        _tlv(7, struct.pack("!HH", _CAP_TELEPHONE, _CAP_TELEPHONE)),
        _tlv(8, mgmt),                                             # management address: IPv4
        _tlv(127, _MED_OUI + bytes([1]) + struct.pack("!HB", _MED_CAPABILITIES, _MED_CLASS_III)),
        network_policy(_APP_VOICE, a, a.rtp_dscp),
        network_policy(_APP_VOICE_SIGNALLING, a, a.sip_dscp),
        _tlv(0, b""),
    ])
    return _mac(LLDP_MULTICAST) + a.mac_bytes + struct.pack("!H", LLDP_ETHERTYPE) + body


# --- CDP ----------------------------------------------------------------------------------
def cdp_checksum(data: bytes) -> int:
    """The Internet checksum as CDP computes it (an odd last byte is taken the Cisco way)."""
    if len(data) % 2:
        last = data[-1]
        data = data[:-1] + (bytes([0, last]) if last <= 0x80 else bytes([0xFF, last - 1]))
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def _cdp_tlv(kind: int, value: bytes) -> bytes:
    return struct.pack("!HH", kind, 4 + len(value)) + value


def cdp_frame(a: Advert, interval: int) -> bytes:
    """One whole CDPv2 frame: 802.3 header, LLC/SNAP, CDP header and TLVs."""
    ttl = min(255, max(10, 3 * interval))
    address = struct.pack("!I", 1) + bytes([1, 1, 0xCC]) + struct.pack("!H", 4) + ipaddress.IPv4Address(a.ip).packed
    tlvs = [
        _cdp_tlv(0x0001, a.device_id.encode()),
        _cdp_tlv(0x0002, address),
        _cdp_tlv(0x0003, a.port.encode()),
        _cdp_tlv(0x0004, struct.pack("!I", _CDP_CAP_HOST | _CDP_CAP_PHONE)),
        _cdp_tlv(0x0005, a.firmware.encode()),
        _cdp_tlv(0x0006, a.model.encode()),
        _cdp_tlv(0x000B, b"\x01"),                               # full duplex
    ]
    if a.vlan_enable:
        tlvs.append(_cdp_tlv(0x000F, bytes([0x20]) + struct.pack("!H", a.vlan_id)))   # VoIP VLAN query
    cdp = bytes([2, ttl]) + b"\x00\x00" + b"".join(tlvs)
    cdp = cdp[:2] + struct.pack("!H", cdp_checksum(cdp)) + cdp[4:]
    llc = b"\xaa\xaa\x03" + b"\x00\x00\x0c" + struct.pack("!H", 0x2000)
    payload = llc + cdp
    return _mac(CDP_MULTICAST) + a.mac_bytes + struct.pack("!H", len(payload)) + payload


# --- the sender -----------------------------------------------------------------------------
PROTOCOLS = {"lldp": lldp_frame, "cdp": cdp_frame}


class Discovery:
    """Sends LLDP and CDP frames on the phone's interface at their intervals (event-loop timers)."""

    def __init__(self, phone):
        self.phone = phone
        self.timers: dict[str, asyncio.TimerHandle] = {}
        self.sock: socket.socket | None = None
        self.state: dict[str, str] = {name: "off" for name in PROTOCOLS}
        self.sent: dict[str, int] = {name: 0 for name in PROTOCOLS}

    def interface(self) -> str | None:
        """The phone's interface: loopback on the reference bench; anything else is refused."""
        return LOOPBACK if ipaddress.ip_address(self.phone.ip).is_loopback else None

    def restart(self) -> None:
        """(Re)start the senders from the configuration: at boot and whenever a setting changes."""
        self._cancel()
        for name in PROTOCOLS:
            if not self.phone.config[f"network.{name}.enable"]:
                self.state[name] = "off"
                continue
            problem = self._open()
            if problem:
                self.state[name] = f"error: {problem}"
                log.error("%s not sent: %s", name.upper(), problem)
                continue
            self.state[name] = f"sending every {self.phone.config[f'network.{name}.interval']} s"
            self._send(name)
        if all(s == "off" for s in self.state.values()):
            self._close()

    def stop(self) -> None:
        self._cancel()
        self._close()

    def status(self) -> dict:
        return {name: {"state": self.state[name], "sent": self.sent[name]} for name in PROTOCOLS}

    # --- inside -----------------------------------------------------------------------------
    def _open(self) -> str | None:
        if self.sock is not None:
            return None
        iface = self.interface()
        if iface is None:
            return f"the phone's address {self.phone.ip} is not on loopback; frames go only to {LOOPBACK}"
        try:
            sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
            sock.bind((iface, 0))
        except OSError as exc:
            return f"cannot open a raw socket on {iface} (needs root): {exc}"
        self.sock = sock
        self.if_index = socket.if_nametoindex(iface)
        return None

    def _close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def _cancel(self) -> None:
        for handle in self.timers.values():
            handle.cancel()
        self.timers.clear()

    def _send(self, name: str) -> None:
        c = self.phone.config
        interval = int(c[f"network.{name}.interval"])
        advert = Advert.of(self.phone.identity, self.phone.ip, c, self.if_index)
        try:
            self.sock.send(PROTOCOLS[name](advert, interval))
            self.sent[name] += 1
        except OSError as exc:
            self.state[name] = f"error: sending on {LOOPBACK} failed: {exc}"
            log.error("%s not sent: %s", name.upper(), exc)
            return
        self.timers[name] = asyncio.get_running_loop().call_later(interval, self._send, name)
