"""Schema validation of DTMF, User Agent, heartbeat and NAT / STUN (reference_impl/sip_options.py)."""
from __future__ import annotations

import struct

import pytest

from drivers.stun_server import MAGIC_COOKIE, StunServer, mapped_address
from reference_impl.cfg_file import CfgError, parse_cfg
from reference_impl.schema import SCHEMA, ConfigValueError, defaults, validate_all
from reference_impl.sip_options import StackOptions, renumber_payload
from reference_impl.web import WebServer


@pytest.mark.parametrize("n", [1, 2])
def test_dtmf_defaults_and_modes(n):
    assert SCHEMA[f"account.{n}.dtmf_mode"].default == "RFC2833"
    assert SCHEMA[f"account.{n}.dtmf_payload"].default == 101
    assert SCHEMA[f"account.{n}.dtmf_mode"].parse("sip info") == "SIP INFO"
    assert SCHEMA[f"account.{n}.dtmf_mode"].parse("INBAND") == "Inband"
    with pytest.raises(ConfigValueError, match="is not one of the choices .allowed: one of RFC2833, SIP INFO, Inband"):
        SCHEMA[f"account.{n}.dtmf_mode"].parse("tones")


@pytest.mark.parametrize("value, ok", [("96", True), ("127", True), ("101", True), ("95", False), ("128", False)])
def test_dtmf_payload_limits(value, ok):
    setting = SCHEMA["account.1.dtmf_payload"]
    if ok:
        assert setting.parse(value) == int(value)
    else:
        with pytest.raises(ConfigValueError) as exc:
            setting.parse(value)
        assert str(exc.value) == f"account.1.dtmf_payload: '{value}' is out of range (allowed: integer 96..127)"


@pytest.mark.parametrize("value, ok", [("1", True), ("3600", True), ("0", False), ("3601", False), ("1.5", False)])
def test_heartbeat_interval_limits(value, ok):
    setting = SCHEMA["account.2.heartbeat_interval"]
    assert SCHEMA["account.2.heartbeat"].default is False and setting.default == 30
    if ok:
        assert setting.parse(value) == int(value)
    else:
        with pytest.raises(ConfigValueError, match=r"allowed: integer 1\.\.3600 s"):
            setting.parse(value)


def test_user_agent_length_and_control_characters():
    setting = SCHEMA["sip.user_agent"]
    assert setting.default == ""
    assert setting.parse("U" * 128) == "U" * 128
    with pytest.raises(ConfigValueError, match=r"too long \(129 characters\)"):
        setting.parse("U" * 129)
    with pytest.raises(ConfigValueError, match="control character"):
        setting.parse("Lab\tPhone")


def test_nat_address_and_stun_server_kinds():
    assert SCHEMA["sip.nat"].default == "Disabled"
    assert SCHEMA["sip.nat"].choices == ("Disabled", "STUN", "Static")
    with pytest.raises(ConfigValueError, match="not an IPv4 address"):
        SCHEMA["sip.nat_address"].parse("203.0.113.300")
    assert SCHEMA["network.stun.server"].parse("stun.example.com:3478") == "stun.example.com:3478"
    with pytest.raises(ConfigValueError, match="port outside 1..65535"):
        SCHEMA["network.stun.server"].parse("stun.example.com:70000")


def test_nat_needs_its_address():
    assert validate_all({"sip.nat": "Static"}) == [
        "sip.nat_address: NAT Static needs the public IPv4 address to put in Via and Contact"]
    assert validate_all({"sip.nat": "STUN"}) == [
        "network.stun.server: NAT STUN needs a STUN server (host or host:port)"]
    assert validate_all({"sip.nat": "Static", "sip.nat_address": "203.0.113.7"}) == []
    assert validate_all({"sip.nat": "STUN", "network.stun.server": "127.0.1.40"}) == []


def test_web_only_never_on_the_phone_menus():
    """REQ-MTX-05/06: DTMF, NAT and STUN are web (and CFG) settings, not phone-UI ones."""
    for key in ("account.1.dtmf_mode", "account.1.dtmf_payload", "sip.nat", "sip.nat_address",
                "network.stun.server", "sip.user_agent", "account.1.heartbeat"):
        assert SCHEMA[key].where == frozenset({"web", "cfg"}), key


def test_web_pages_carry_them():
    assert {"account.1.dtmf_mode", "account.1.dtmf_payload", "account.1.heartbeat",
            "account.1.heartbeat_interval"} <= set(WebServer.page_keys("account1"))
    assert {"sip.user_agent", "sip.nat", "sip.nat_address"} <= set(WebServer.page_keys("sip"))
    assert "network.stun.server" in WebServer.page_keys("network_advanced")
    assert "after a reboot" in SCHEMA["sip.user_agent"].label and "after a reboot" in SCHEMA["sip.nat"].label


def test_cfg_file_sets_them_and_refuses_a_bad_line():
    parsed = parse_cfg("account.1.dtmf_mode = SIP INFO\naccount.1.heartbeat = on\nsip.nat = Static\n"
                       "sip.nat_address = 203.0.113.7\n", source="t.cfg", where="cfg", base=defaults())
    assert parsed == {"account.1.dtmf_mode": "SIP INFO", "account.1.heartbeat": True, "sip.nat": "Static",
                      "sip.nat_address": "203.0.113.7"}
    with pytest.raises(CfgError) as exc:
        parse_cfg("account.2.dtmf_payload = 95\n", source="t.cfg", where="cfg", base=defaults())
    assert "line 1" in str(exc.value.problems[0]) and "96..127" in str(exc.value.problems[0])


def test_stack_options_default_user_agent_and_stun_port():
    c = defaults()
    assert StackOptions.from_config(c, "SIP-H680W 2.0 mac").user_agent == "SIP-H680W 2.0 mac"
    c.update({"sip.user_agent": "Lab", "sip.nat": "STUN", "network.stun.server": "127.0.1.40"})
    options = StackOptions.from_config(c, "x")
    assert options.user_agent == "Lab" and options.stun_server == "127.0.1.40:3478"
    c["sip.nat"] = "Disabled"
    assert StackOptions.from_config(c, "x").stun_server == ""   # STUN is asked only with NAT STUN


SDP = ("v=0\r\nm=audio 4000 RTP/AVP 0 8 9 96 120\r\na=rtpmap:96 telephone-event/8000\r\n"
       "a=fmtp:96 0-16\r\na=rtpmap:120 telephone-event/16000\r\n")


def test_renumber_payload_swaps_everywhere():
    out = renumber_payload(SDP, 96, 120)
    assert "m=audio 4000 RTP/AVP 0 8 9 120 96\r\n" in out
    assert "a=rtpmap:120 telephone-event/8000" in out and "a=fmtp:120 0-16" in out
    assert "a=rtpmap:96 telephone-event/16000" in out
    assert renumber_payload(SDP, 96, 96) == SDP
    assert "m=audio 4000 RTP/AVP 0 8 9 101 120" in renumber_payload(SDP, 96, 101)


def test_stun_mapped_address_decodes_xor_mapped_address():
    tid = bytes(range(12))
    port, ip = 5060 ^ (MAGIC_COOKIE >> 16), bytes(a ^ b for a, b in zip(bytes([127, 0, 1, 11]),
                                                                        struct.pack("!I", MAGIC_COOKIE)))
    attr = struct.pack("!HHBBH4s", 0x0020, 8, 0, 1, port, ip)
    msg = struct.pack("!HHI", 0x0101, len(attr), MAGIC_COOKIE) + tid + attr
    assert mapped_address(msg, tid) == ("127.0.1.11", 5060)
    assert mapped_address(msg, bytes(12)) is None          # another transaction's answer
    assert mapped_address(msg[:10]) is None


def test_stun_server_refuses_addresses_off_loopback():
    with pytest.raises(ValueError, match="only IPv4 loopback"):
        StunServer("192.0.2.1", 3478)
    with pytest.raises(ValueError, match="1..65535"):
        StunServer("127.0.1.40", 0)


def test_stun_server_answers_a_binding_request_and_stops_by_pid():
    """The real coturn (Debian package coturn, installed by make setup) on a free loopback port."""
    import os
    import socket

    from drivers.stun_server import binding_probe
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with StunServer("127.0.0.1", port) as server:
        pid = server.pid
        assert pid is not None
        assert binding_probe("127.0.0.1", port) is not None
    assert server.pid is None and "turnserver" in server.last_log
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
