"""The paging no-leak check can see a leak: multicast sent out of a veth into a namespace the
test creates is caught by a Capture on that veth, as a leak onto eth0 would be (never sent)."""
from __future__ import annotations

import os
import socket
import subprocess
import time

import pytest

from drivers.capture import Capture
from drivers.wait import wait_until

NS, HOST_IF, NS_IF = "h680leak", "h680leak0", "h680leak1"
HOST_IP = "169.254.250.1"


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True)


@pytest.fixture
def veth():
    if os.geteuid() != 0:
        pytest.skip("needs root to create a network namespace")
    subprocess.run(["ip", "netns", "del", NS], capture_output=True)   # a leftover of a killed run
    _ip("netns", "add", NS)
    try:
        _ip("link", "add", HOST_IF, "type", "veth", "peer", "name", NS_IF, "netns", NS)
        _ip("addr", "add", f"{HOST_IP}/30", "dev", HOST_IF)
        _ip("link", "set", HOST_IF, "up")
        _ip("-n", NS, "link", "set", NS_IF, "up")
        yield HOST_IF
    finally:
        subprocess.run(["ip", "link", "del", HOST_IF], capture_output=True)
        subprocess.run(["ip", "netns", "del", NS], capture_output=True)


def test_a_multicast_packet_on_another_interface_is_caught(veth, tmp_path) -> None:
    cap = Capture(veth, "udp and dst net 224.0.0.0/4", tmp_path / "leak.pcap")
    cap.start()
    try:
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(HOST_IP))
        sock.sendto(b"\x80\x00" + b"\x00" * 170, ("239.250.0.1", 25999))   # into the test's namespace only
        sock.close()
        wait_until(lambda: cap.packets(), 3, 0.05, what="the leaked packet")
    finally:
        cap.stop()
    assert len(cap.packets()) == 1
