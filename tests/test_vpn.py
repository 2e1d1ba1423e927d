"""The VPN: the bench's OpenVPN server driver, the phone's OpenVPN client, and what lies between.

Pure parts (config building, management-line parsing, the file and settings checks) are tested
on their own; then one real OpenVPN server on loopback and the phone's client against it, as the
phone runs it (child process, management interface, "VPN IP" event), without the rest of the phone.
"""
from __future__ import annotations

import asyncio
import ipaddress
import types
from pathlib import Path

import pytest

from drivers.certificates import generate_ca, generate_client_certificate
from drivers.errors import LabError
from drivers import vpn_server as vpn_server_module
from drivers.vpn_server import VpnClient, VpnServer, find_openvpn, parse_status, tun_name_for, vpn_subnet_for
from reference_impl.schema import SCHEMA, validate_all
from reference_impl.vpn_client import (FILES, MgmtLog, MgmtState, PhoneVpn, VpnFileRejected, check_file,
                                       check_pair, client_argv, config_problems, more_telling,
                                       parse_management_line, reason_of, tun_name)

needs_openvpn = pytest.mark.skipif(find_openvpn() is None, reason="openvpn is not installed (make setup)")


# --- the bench's server: configuration ----------------------------------------------------------
def test_the_vpn_subnet_and_tun_names_follow_the_loopback_block() -> None:
    assert vpn_subnet_for("127.0.3.50") == ipaddress.IPv4Network("10.68.3.0/24")
    assert vpn_subnet_for("127.0.19.50") != vpn_subnet_for("127.0.35.50")   # two benches, two subnets
    assert tun_name_for("h680s", "127.0.3.50") == "h680s3x50"
    assert len(tun_name_for("h680s", "127.0.255.255")) <= 15
    assert tun_name("127.0.3.11") == "h680c3x11" != tun_name("127.0.3.12")


def test_the_server_config_is_tls_subnet_udp_on_loopback_with_nothing_pushed(tmp_path) -> None:
    server = VpnServer("127.0.3.50", 1194)
    conf = server.render_config(tmp_path)
    lines = conf.splitlines()
    for line in ("proto udp4", "local 127.0.3.50", "port 1194", "topology subnet", "dev h680s3x50",
                 "server 10.68.3.0 255.255.255.0 nopool", "ifconfig-pool 10.68.3.10 10.68.3.49 255.255.255.0",
                 "dh none", "explicit-exit-notify 1"):
        assert line in lines, line
    assert "push" not in conf and "redirect-gateway" not in conf
    assert f"ca {tmp_path / 'ca.pem'}" in lines and f"management {tmp_path / 'management.sock'} unix" in lines
    assert server.gateway == "10.68.3.1"


@pytest.mark.parametrize("address, problem", [("10.0.0.1", "loopback"), ("::1", "IPv4 loopback"),
                                              ("vpn.example", "IPv4 loopback")])
def test_the_server_stays_on_ipv4_loopback(address, problem) -> None:
    with pytest.raises(ValueError, match=problem):
        VpnServer(address)


@pytest.mark.parametrize("pool", [(1, 10), (10, 255), (50, 40)])
def test_a_pool_outside_the_subnet_is_refused(pool) -> None:
    with pytest.raises(ValueError, match="2..254"):
        VpnServer("127.0.3.50", pool=pool)


def test_the_status_rows_are_read() -> None:
    text = ("TITLE,OpenVPN 2.6\nHEADER,CLIENT_LIST,Common Name,Real Address,Virtual Address\n"
            "CLIENT_LIST,h680-A,127.0.3.11:48467,10.68.3.10,,2136,2224\n"
            "CLIENT_LIST,UNDEF,127.0.3.12:5000,,,1,1\nEND\n")
    assert parse_status(text) == [VpnClient("h680-A", "127.0.3.11:48467", "10.68.3.10"),
                                  VpnClient("UNDEF", "127.0.3.12:5000", "")]
    assert parse_status(text)[0].real_ip == "127.0.3.11"


def test_no_tun_device_is_a_lab_error_naming_the_part(monkeypatch) -> None:
    monkeypatch.setattr(vpn_server_module, "TUN_DEVICE", "/nonexistent/net/tun")
    with pytest.raises(LabError, match=r"\[lab: vpn server\] /nonexistent/net/tun cannot be opened"):
        vpn_server_module.check_tun_device()


# --- the phone's client: configuration and management lines --------------------------------------
def test_the_client_binds_the_phone_address_and_takes_no_routes(tmp_path) -> None:
    argv = client_argv("/usr/sbin/openvpn", server="127.0.3.50", port=1194, local_ip="127.0.3.11",
                       tun="h680c3x11", management_port=40000, vpn_dir=tmp_path)
    text = " ".join(argv)
    assert "--client" in argv and "--remote 127.0.3.50 1194" in text and "--local 127.0.3.11" in text
    assert "--dev h680c3x11" in text and "--proto udp4" in text
    assert f"--management 127.0.3.11 40000 {tmp_path / 'management.pw'}" in text
    assert "--route-nopull" in argv and "--pull-filter ignore redirect-gateway" in text
    assert "--remote-cert-tls server" in text
    assert f"--ca {tmp_path / 'ca.crt'}" in text and f"--key {tmp_path / 'client.key'}" in text


@pytest.mark.parametrize("line, parsed", [
    (">STATE:1796143660,CONNECTED,SUCCESS,10.68.3.10,127.0.3.50,1194,127.0.3.11,48467",
     MgmtState("CONNECTED", "SUCCESS", "10.68.3.10")),
    ("1796143660,CONNECTED,SUCCESS,10.68.3.10,127.0.3.50,1194,,\r\n", MgmtState("CONNECTED", "SUCCESS", "10.68.3.10")),
    (">STATE:1796143963,WAIT,,,,,,", MgmtState("WAIT", "", "")),
    (">STATE:1796143963,RECONNECTING,tls-error,,,,,", MgmtState("RECONNECTING", "tls-error", "")),
    (">LOG:1796143977,N,VERIFY ERROR: depth=1", MgmtLog("VERIFY ERROR: depth=1")),
    ("1796143977,W,WARNING: a, b", MgmtLog("WARNING: a, b")),        # the history "log on all" sends
    ("1796143977,,Note: x", MgmtLog("Note: x")),
    ("END", None), ("SUCCESS: real-time state notification set to ON", None),
    (">INFO:OpenVPN Management Interface Version 5", None),
])
def test_management_lines_are_parsed(line, parsed) -> None:
    assert parse_management_line(line) == parsed


def test_the_most_telling_reason_is_kept() -> None:
    cert = reason_of("VERIFY ERROR: depth=1, error=self-signed certificate in certificate chain")
    handshake = reason_of("TLS Error: TLS handshake failed")
    assert "CA certificate" in cert and "handshake" in handshake
    assert reason_of("Initialization Sequence Completed") is None
    assert more_telling(cert, handshake) and not more_telling(handshake, cert)
    assert more_telling(handshake, "") and more_telling(handshake, "TLS error")


# --- settings and files ---------------------------------------------------------------------------
def test_vpn_settings_and_their_rules() -> None:
    assert SCHEMA["vpn.enable"].default is False and SCHEMA["vpn.port"].default == 1194
    assert SCHEMA["vpn.port"].allowed() == "integer 1..65535"
    assert config_problems({"vpn.enable": False, "vpn.server": ""}) == []
    assert config_problems({"vpn.enable": True, "vpn.server": "127.0.3.50"}) == []
    assert any("needs the server address" in m for _, m in config_problems({"vpn.enable": True, "vpn.server": ""}))
    assert any("holds a port" in m for _, m in config_problems({"vpn.server": "127.0.3.50:1194"}))
    assert any(m.startswith("vpn.enable:") for m in validate_all({"vpn.enable": True}))


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    d = tmp_path_factory.mktemp("pki")
    ca, ca_key = generate_ca(d)
    cert, key = generate_client_certificate(d, ca, ca_key, "h680-A")
    other_cert, other_key = generate_client_certificate(d, ca, ca_key, "h680-B", stem="other")
    return types.SimpleNamespace(ca=ca.read_bytes(), cert=cert.read_bytes(), key=key.read_bytes(),
                                 other_key=other_key.read_bytes())


def test_good_files_are_kept_as_pem(pki) -> None:
    assert check_file("ca", b"junk before\n" + pki.ca).startswith(b"-----BEGIN CERTIFICATE-----")
    assert check_file("key", pki.key).startswith(b"-----BEGIN PRIVATE KEY-----")
    check_pair(pki.cert, pki.key)


@pytest.mark.parametrize("kind, data, message", [
    ("ca", b"", "CA certificate: no file was chosen"),
    ("ca", b"hello", "CA certificate: not a PEM certificate"),
    ("cert", b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "client certificate: the certificate cannot be read"),
    ("key", b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "client key: not a PEM private key"),
    ("key", b"-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n", "passphrase"),
    ("ca", b"x" * (64 * 1024 + 1), "too large"),
    ("config", b"x", "unknown VPN file"),
])
def test_unusable_files_are_refused_saying_why(kind, data, message) -> None:
    with pytest.raises(VpnFileRejected, match=message):
        check_file(kind, data)


def test_a_key_of_another_certificate_is_refused(pki) -> None:
    with pytest.raises(VpnFileRejected, match="does not belong to the uploaded client certificate"):
        check_pair(pki.cert, pki.other_key)


# --- the real thing: the bench's server and the phone's client ------------------------------------
class FakePhone:
    """What PhoneVpn uses of the phone: its address, data directory, configuration and Action URLs."""

    def __init__(self, data_dir: Path, server: VpnServer):
        self.ip, self.data_dir = "127.0.0.11", data_dir
        self.config = {"vpn.enable": True, "vpn.server": server.address, "vpn.port": server.port}
        self.fired: list[str] = []
        self.urls = types.SimpleNamespace(fire=self.fired.append)


async def _until(condition, timeout: float = 8.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "not within the deadline"
        await asyncio.sleep(0.05)


@needs_openvpn
def test_the_phone_client_joins_the_bench_server_and_fires_vpn_ip(tmp_path) -> None:
    with VpnServer("127.0.0.1", 11940, log_dir=tmp_path / "logs") as server:
        files = server.issue_client("h680-test")
        phone = FakePhone(tmp_path / "phone", server)
        vpn = PhoneVpn(phone)

        async def run() -> None:
            try:
                assert vpn.store({"ca": files.ca_pem, "cert": files.cert_pem, "key": files.key_pem}) == [
                    FILES[k][1] for k in ("ca", "cert", "key")]
                await _until(lambda: vpn.state == "Connected")
                assert ipaddress.IPv4Address(vpn.ip) in server.subnet
                assert phone.fired == ["vpn_ip"]
                client = next(c for c in server.clients() if c.virtual_address == vpn.ip)
                assert client.real_ip == phone.ip and client.common_name == "h680-test"
                first, pid = vpn.ip, vpn.proc.pid
                server.restart(pool=(50, 99))                  # another pool: a new address, fired again
                await _until(lambda: vpn.state == "Connected" and vpn.ip != first)
                assert phone.fired == ["vpn_ip", "vpn_ip"] and vpn.proc.pid == pid
                vpn.stop()                                     # by its PID
                assert vpn.proc is None and vpn.status()["state"] == "Disabled"
            finally:
                vpn.close()
        asyncio.run(run())
    assert (tmp_path / "logs" / "openvpn-server-127.0.0.1-11940.log").exists()


@needs_openvpn
def test_a_client_without_its_files_says_what_is_missing(tmp_path) -> None:
    with VpnServer("127.0.0.1", 11941) as server:
        vpn = PhoneVpn(FakePhone(tmp_path, server))

        async def run() -> None:
            vpn.apply()
        asyncio.run(run())
        assert vpn.proc is None and vpn.state == "Not connected"
        assert "CA certificate, client certificate, client key" in vpn.reason
