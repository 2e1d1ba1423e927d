"""QoS, VLAN, LLDP and CDP of the reference phone (§6.4.1): schema limits and the frames it sends.

The frames are built by reference_impl/discovery.py by hand and read back here with scapy's
own LLDP and CDP dissectors: two independent implementations have to agree.
"""
from __future__ import annotations

import pytest
from scapy.contrib.cdp import (CDPAddrRecordIPv4, CDPMsgAddr, CDPMsgDeviceID, CDPMsgPlatform,
                               CDPMsgVoIPVLANQuery, CDPv2_HDR)
from scapy.contrib.lldp import (LLDPDUChassisID, LLDPDUEndOfLLDPDU, LLDPDUGenericOrganisationSpecific,
                                LLDPDUManagementAddress, LLDPDUSystemName, LLDPDUTimeToLive)
from scapy.layers.l2 import Dot3, Ether

from reference_impl.cfg_file import CfgError, parse_cfg
from reference_impl.discovery import Advert, cdp_checksum, cdp_frame, lldp_frame, network_policy
from reference_impl.schema import SCHEMA, ConfigValueError, defaults
from steps.network_options_steps import med_policies

A = Advert(mac="00:15:65:00:00:11", ip="127.0.2.11", model="SIP-H680W", firmware="2.0.4.12-ref",
           vlan_enable=True, vlan_id=4094, vlan_priority=5, sip_dscp=24, rtp_dscp=46)


# --- schema limits --------------------------------------------------------------------------
@pytest.mark.parametrize("key,good,bad", [
    ("network.qos.sip_dscp", ("0", "63"), ("-1", "64")),
    ("network.qos.rtp_dscp", ("0", "63"), ("-1", "64")),
    ("network.vlan.id", ("1", "4094"), ("0", "4095")),
    ("network.vlan.priority", ("0", "7"), ("-1", "8")),
    ("network.lldp.interval", ("1", "3600"), ("0", "3601")),
    ("network.cdp.interval", ("1", "3600"), ("0", "3601")),
])
def test_limits_are_accepted_and_one_past_is_refused_by_name(key, good, bad):
    for text in good:
        assert SCHEMA[key].parse(text) == int(text)
    for text in bad:
        with pytest.raises(ConfigValueError) as exc:
            SCHEMA[key].parse(text)
        assert str(exc.value).startswith(f"{key}: '{text}' is out of range (allowed: integer ")


def test_factory_values_and_where_they_are_edited():
    d = defaults()
    assert (d["network.qos.sip_dscp"], d["network.qos.rtp_dscp"]) == (26, 46)
    assert d["network.vlan.enable"] is False and d["network.lldp.enable"] is False and d["network.cdp.enable"] is False
    assert "phone" in SCHEMA["network.cdp.enable"].where   # the phone UI's advanced network menu (§1.3)
    for key in ("network.qos.sip_dscp", "network.vlan.id", "network.lldp.enable"):
        assert SCHEMA[key].where == {"web", "cfg"}


def test_a_provisioning_file_sets_them_and_a_bad_vlan_names_its_line():
    parsed = parse_cfg("network.qos.sip_dscp = 24\nnetwork.vlan.enable = 1\nnetwork.vlan.id = 4094\n"
                       "network.lldp.enable = 1\nnetwork.cdp.interval = 30\n", source="common.cfg")
    assert parsed["network.vlan.id"] == 4094 and parsed["network.qos.sip_dscp"] == 24
    with pytest.raises(CfgError) as exc:
        parse_cfg("network.vlan.id = 4095\n", source="common.cfg")
    assert "network.vlan.id" in str(exc.value) and "1..4094" in str(exc.value)


# --- LLDP -----------------------------------------------------------------------------------
def test_lldp_frame_reads_back_with_scapy():
    frame = Ether(lldp_frame(A, interval=30))
    assert frame.dst == "01:80:c2:00:00:0e" and frame.src == A.mac and frame.type == 0x88CC
    chassis = frame[LLDPDUChassisID]
    assert chassis.subtype == 4 and chassis.id == A.mac
    assert frame[LLDPDUTimeToLive].ttl == 120
    assert frame[LLDPDUSystemName].system_name == b"SIP-H680W"
    mgmt = frame[LLDPDUManagementAddress]
    assert mgmt.management_address_subtype == 1 and mgmt.management_address == b"\x7f\x00\x02\x0b"
    assert frame.haslayer(LLDPDUEndOfLLDPDU)
    assert med_policies(frame) == {"voice": (True, 4094, 5, 46), "voice signalling": (True, 4094, 5, 24)}


def test_network_policy_bits_untagged_without_vlan():
    untagged = Advert(**{**A.__dict__, "vlan_enable": False, "vlan_priority": 0})
    tlv = network_policy(1, untagged, 63)
    assert tlv[2:6] == b"\x00\x12\xbb\x02" and tlv[6] == 1
    assert int.from_bytes(tlv[7:10], "big") == 63        # U=0 T=0 VLAN 0 priority 0 DSCP 63
    tagged = network_policy(1, A, 0)
    assert int.from_bytes(tagged[7:10], "big") == (1 << 22) | (4094 << 9) | (5 << 6)


def test_every_lldp_tlv_is_known_to_scapy():
    frame = Ether(lldp_frame(A, interval=1))
    orgs = [t for t in frame.iterpayloads() if isinstance(t, LLDPDUGenericOrganisationSpecific)]
    assert [(t.subtype, len(bytes(t)) - len(bytes(t.payload))) for t in orgs] == [(1, 9), (2, 10), (2, 10)]
    assert not frame.haslayer("Raw") and not frame.haslayer("Padding")


# --- CDP ------------------------------------------------------------------------------------
def test_cdp_frame_reads_back_with_scapy_and_its_checksum_holds():
    raw = cdp_frame(A, interval=60)
    frame = Dot3(raw)
    assert frame.dst == "01:00:0c:cc:cc:cc" and frame.src == A.mac and frame.len == len(raw) - 14
    cdp = frame[CDPv2_HDR]
    assert cdp.vers == 2 and cdp.ttl == 180
    assert cdp[CDPMsgDeviceID].val == b"SIP-H680W-001565000011"
    assert cdp[CDPMsgAddr][CDPAddrRecordIPv4].addr == "127.0.2.11"
    assert cdp[CDPMsgPlatform].val == b"SIP-H680W"
    assert cdp[CDPMsgVoIPVLANQuery].vlan == 4094
    body = bytes(cdp)
    assert cdp_checksum(body[:2] + b"\x00\x00" + body[4:]) == cdp.cksum
    rebuilt = CDPv2_HDR(body)
    rebuilt.cksum = None
    assert bytes(rebuilt)[2:4] == body[2:4]          # scapy computes the same checksum


def test_cdp_without_voice_vlan_has_no_vlan_query_and_odd_lengths_check_out():
    for model in ("SIP-H680W", "SIP-H680LX"):       # even and odd total lengths
        plain = Advert(**{**A.__dict__, "vlan_enable": False, "model": model})
        cdp = Dot3(cdp_frame(plain, 60))[CDPv2_HDR]
        assert not cdp.haslayer(CDPMsgVoIPVLANQuery)
        body = bytes(cdp)
        again = CDPv2_HDR(body)
        again.cksum = None
        assert bytes(again) == body


# --- the sender -----------------------------------------------------------------------------
class _Phone:
    """What Discovery reads of a phone: its identity, its address and its configuration."""

    def __init__(self, ip: str, **config):
        from reference_impl.identity import Identity
        self.identity = Identity("SIP-H680W", "00:15:65:00:00:99")
        self.ip = ip
        self.config = {**defaults(), **config}


def test_sender_sends_on_loopback_at_its_interval_and_stops_with_the_phone():
    import asyncio

    from reference_impl.discovery import Discovery

    async def run():
        d = Discovery(_Phone("127.0.250.9", **{"network.lldp.enable": True, "network.lldp.interval": 1,
                                                 "network.cdp.enable": True, "network.cdp.interval": 1}))
        d.restart()
        await asyncio.sleep(1.2)
        sent = dict(d.sent)
        d.stop()
        await asyncio.sleep(1.2)
        return d, sent

    d, sent = asyncio.run(run())
    assert sent == {"lldp": 2, "cdp": 2}
    assert d.sent == sent and not d.timers and d.sock is None   # nothing left running


def test_sender_off_the_loopback_sends_nothing_and_says_why():
    import asyncio

    from reference_impl.discovery import Discovery

    async def run():
        d = Discovery(_Phone("192.0.2.10", **{"network.lldp.enable": True}))
        d.restart()
        return d

    d = asyncio.run(run())
    assert d.sent == {"lldp": 0, "cdp": 0} and d.sock is None
    assert d.status()["lldp"]["state"].startswith("error: the phone's address 192.0.2.10 is not on loopback")
    assert d.status()["cdp"]["state"] == "off"


def test_a_sender_that_could_not_open_its_raw_socket_is_a_lab_error_not_a_phone_failure():
    from types import SimpleNamespace

    from drivers.errors import LabError, PhoneFailure
    from steps.network_options_steps import wait_frames

    def bench(state):
        web = SimpleNamespace(status=lambda: {"discovery": {"lldp": {"state": state, "sent": 0}}})
        dut = SimpleNamespace(home_ip="127.0.2.11", web=web)
        capture = SimpleNamespace(packets=lambda: [])
        return SimpleNamespace(capture=lambda key, how: capture, dut=lambda name: dut)

    with pytest.raises(LabError, match=r"\[lab: raw socket \(LLDP sender of A\)\] error: cannot open a raw socket"):
        wait_frames(bench("error: cannot open a raw socket on lo (needs root): [Errno 1]"), "A", "LLDP", 1, 0.2)
    with pytest.raises(PhoneFailure, match="A sent 0 LLDP frames"):
        wait_frames(bench("sending every 1 s"), "A", "LLDP", 1, 0.2)
