"""The lab's own PBX (``registrar.kind: external``), whose bindings the harness reads off the wire.

A real bench registers its handsets with whatever PBX the lab runs (Asterisk, FreeSWITCH, a
hosted one); the harness has no account on it to ask who is registered.  What it can see is
the traffic: on the capture interface (the switch port that mirrors the PBX's and the phones'
ports) every REGISTER and the PBX's answer to it.  RFC 3261 §10.3 makes the PBX list *all* of
an address-of-record's current bindings, each with its expiry, in the 200 it sends to a
REGISTER, so the latest 200 for a user, aged by the time since it was sent, is the PBX's own
statement of that user's bindings.  The steps ask the same questions as of the bench's
Kamailio (``drivers.registrar.Registrations``).

Every packet to or from the PBX is kept in one pcap for the whole run (``pbx.pcap``).
"""
from __future__ import annotations

import time
from pathlib import Path

from .capture import Capture
from .errors import LabError
from .registrar import Registrations, sip_options_answered
from .sip_wire import SipMessage, parse_name_addr
from .wait import WaitTimeout, wait_until

DEFAULT_EXPIRES = 3600   # RFC 3261 §10.2.1.1: a binding without any expiry lasts an hour


def user_of(uri: str | None) -> str:
    """``sip:1001@pbx;transport=udp`` -> ``1001``."""
    if not uri:
        return ""
    return uri.split(":", 1)[-1].split("@", 1)[0]


def live_bindings(answer: SipMessage, now: float) -> list[str]:
    """The contacts a 200 to REGISTER lists that have not expired by ``now``."""
    default = answer.header("expires")
    contacts = []
    for value in answer.headers.get("contact", []):
        _, uri, params = parse_name_addr(value)
        try:
            expires = int(params.get("expires", default if default is not None else DEFAULT_EXPIRES))
        except ValueError:
            expires = DEFAULT_EXPIRES
        if expires > 0 and answer.time + expires > now:
            contacts.append(uri)
    return contacts


class WatchedPbx(Registrations):
    """The lab's PBX at ``ip:port``, watched on ``interface``; ``probe_from`` is the bench PC's address."""

    def __init__(self, ip: str, port: int, interface: str, probe_from: str, pcap_path: Path,
                 bench: str = "bench"):
        self.ip, self.port, self.interface, self.probe_from = ip, port, interface, probe_from
        self.bench = bench
        self.capture = Capture(interface, f"host {ip} and port {port}", pcap_path)

    @property
    def part(self) -> str:
        return f"PBX {self.ip}:{self.port} of {self.bench}"

    def start(self, timeout: float = 5.0) -> None:
        """Start watching, then check the PBX answers SIP at all (an OPTIONS from the bench PC)."""
        self.capture.start()
        try:
            wait_until(lambda: sip_options_answered(self.ip, self.port, self.probe_from), timeout, 0.1,
                       what="an answer to OPTIONS")
        except WaitTimeout:
            self.stop()
            raise LabError(self.part, f"answers no SIP OPTIONS sent from {self.probe_from} within {timeout} s "
                                      "(is the PBX up, and registrar.ip / registrar.port right?)") from None
        except OSError as exc:
            self.stop()
            raise LabError(self.part, f"cannot send OPTIONS from {self.probe_from} (peers.host_ip): {exc}") from None

    def stop(self) -> None:
        if self.capture.running:
            self.capture.stop()

    def registered_contacts(self, user: str) -> list[str]:
        """The contacts the PBX last said ``user`` has, less those expired since."""
        if not self.capture.running:
            raise LabError(self.part, "the registration watch is not running")
        if self.capture.dropped:
            raise LabError(self.part, f"the capture on {self.interface} dropped {self.capture.dropped} packets: "
                                      "the PBX's answers cannot be trusted to be complete")
        aor = user_of(user if ":" in user else f"sip:{user}")
        latest = None
        for msg in self.capture.sip_messages():
            if (msg.status == 200 and msg.cseq_method == "REGISTER" and msg.src[0] == self.ip
                    and user_of(msg.to_uri) == aor):
                latest = msg
        return live_bindings(latest, time.time()) if latest is not None else []

    def __repr__(self) -> str:
        return f"WatchedPbx({self.ip}:{self.port} on {self.interface})"
