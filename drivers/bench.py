"""The bench as the steps see it: the phones under test, the far-end peers, the registrar.

``Dut`` bundles one phone's drivers (keypad, screen, web UI) so a step never
knows which target runs.  ``Bench`` resets every phone at the start of a
scenario the way a real bench does (web UI factory reset) and hands out the
roles the features name: reference phones ``A``, ``B`` and soft phones ``C``, ``D``.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from .capture import Capture
from .errors import LabError, PhoneFailure
from .keypad import Keypad
from .screen import ScreenWatcher
from .webui import WebUI
from .wait import WaitTimeout, wait_until


@dataclass
class Dut:
    """One phone under test."""

    name: str
    ip: str
    sip_port: int
    account: object            # lab_config PhoneAccount: label, display_name, user, password, register_name
    keypad: Keypad
    screen: ScreenWatcher
    web: WebUI
    accessories: object = None      # plugs the headset
    process: object | None = None   # ReferencePhoneProcess on the reference targets
    home_ip: str = ""               # the address the bench gave it (its DHCP lease)
    camera: object | None = None    # the camera source on the handset targets (follows a virtual handset)

    def __post_init__(self):
        self.home_ip = self.home_ip or self.ip

    def move_to(self, ip: str) -> None:
        """The phone now answers at another address (a static address took effect)."""
        for driver in (self.keypad, self.screen.screen, self.web, self.accessories,
                       getattr(self.accessories, "microphone", None)):
            if hasattr(driver, "base_url"):
                driver.base_url = driver.base_url.replace(f"//{self.ip}:", f"//{ip}:")
        if self.camera is not None and self.camera.cfg.source == "auto":
            self.camera.follow(ip)
        if self.process is not None:
            self.process.ip = ip
        self.ip = ip

    def wait_reachable(self, timeout: float = 10.0) -> None:
        def up():
            try:
                return self.web.identity()
            except LabError:
                return None
        wait_until(up, timeout, 0.1, what=f"{self.name} answering at {self.ip}")

    def press(self, *keys: str) -> None:
        for key in keys:
            self.keypad.press(key)

    def account_settings(self, registrar_ip: str, registrar_port: int, n: int = 1, transport: str = "UDP") -> dict:
        a = self.account
        p = f"account.{n}."
        return {p + "enable": 1, p + "label": a.label, p + "display_name": a.display_name,
                p + "user_name": a.user, p + "register_name": a.register_name or a.user,
                p + "password": a.password, p + "server1": registrar_ip, p + "port": registrar_port,
                p + "transport": transport}

    def factory_reset(self) -> None:
        self.web.login()
        before = self.web.identity().get("boot_id")
        if self.web.factory_reset().get("restarting"):
            if self.ip != self.home_ip:   # a scenario gave it a static address: the reset brings it home
                self.move_to(self.home_ip)
            self.wait_restarted(before)

    def wait_restarted(self, before: str | None, timeout: float = 15.0) -> None:
        """The phone process started again (its boot id changed) and answers."""
        def new_boot():
            try:
                return self.web.identity().get("boot_id") != before
            except LabError:
                return False   # down between the two lives
        wait_until(new_boot, timeout, 0.1, what=f"{self.name} restarting")

    def wait_standby(self, timeout: float = 10.0) -> None:
        self.screen.wait_for_screen("standby", timeout)


@dataclass
class Bench:
    lab: object
    registrar: object
    duts: dict[str, Dut]
    peers: dict[str, object]
    evidence_dir: object
    context: dict = field(default_factory=dict)

    def dut(self, name: str) -> Dut:
        try:
            return self.duts[name]
        except KeyError:
            raise LabError("bench", f"no phone {name!r} on bench {self.lab.bench} "
                                    f"(phones: {', '.join(self.duts)})") from None

    def peer(self, name: str):
        try:
            return self.peers[name]
        except KeyError:
            raise LabError("bench", f"no far-end peer {name!r} on bench {self.lab.bench} "
                                    f"(peers: {', '.join(self.peers)})") from None

    def expand(self, text: str) -> str:
        """Bench facts a feature names without hard-coding them: ``{registrar.ip}``, ``{A.ip}``,
        ``{A.mac}``, ``{A.mac_file}`` (``001565000011.cfg``), ``{A.static_ip}`` (a free address beside A's, for static set-ups), ``{peers.ip}``,
        ``{bench.block}`` (the first three bytes of the bench's loopback block, for servers a scenario starts)."""
        def value(match):
            who, what = match.group(1), match.group(2)
            if who == "registrar" and what == "ip":
                return str(self.lab.registrar.ip)
            if who == "peers" and what == "ip":
                return str(self.lab.peers.host_ip)
            if who == "bench" and what == "block":   # "127.0.0": servers a scenario starts go at {bench.block}.N
                return str(self.lab.peers.host_ip).rsplit(".", 1)[0]
            dut = self.dut(who)
            if what == "ip":
                return dut.home_ip
            if what == "mac":
                return self.lab.phones[who].mac
            if what == "mac_file":   # the MAC as a per-phone provisioning file names it (§6.4.1)
                return self.lab.phones[who].mac.replace(":", "").lower() + ".cfg"
            if what == "static_ip":
                a, b, c, d = dut.home_ip.split(".")
                return f"{a}.{b}.{c}.{(int(d) + 20) % 254 + 1}"
            raise LabError("feature", f"unknown bench fact {{{who}.{what}}}")
        return re.sub(r"\{(\w+)\.(\w+)\}", value, text)

    def number_of(self, name: str) -> str:
        if name in self.duts:
            return self.duts[name].account.user
        return self.peer(name).user

    def reset(self) -> None:
        """Factory-reset every phone (in parallel: each reboots on its own) and tidy the peers."""
        for dut in self.duts.values():
            dut.factory_reset()
        for dut in self.duts.values():
            dut.wait_standby()
            if hasattr(dut.accessories, "play_at_microphone"):
                dut.accessories.play_at_microphone(0)   # the bench's speaker falls silent
        for peer in self.peers.values():
            if peer.call_state not in (None, "IDLE", "DISCONNECTED"):
                try:
                    peer.hangup()
                except PhoneFailure:
                    pass   # the call ended on its own between the look and the hang-up
            peer.set_auto_answer(None)
            if peer.tone_hz is not None:
                peer.play_tone(None)
        # Steps look only at the peers' calls made from here on.
        self.context["peer_baseline"] = {name: len(peer.calls) for name, peer in self.peers.items()}

    @property
    def capture_net(self) -> str | None:
        """The /24 every address of this bench is in, if there is one ("127.0.16.0/24").

        Benches of parallel workers share the loopback interface; sniffing only the
        bench's own block keeps another worker's packets out of this scenario's pcap.
        """
        lab = self.lab
        addresses = [lab.registrar.ip, lab.peers.host_ip, *(p.ip for p in lab.phones.values())]
        nets = {str(a).rsplit(".", 1)[0] for a in addresses}
        return f"{nets.pop()}.0/24" if len(nets) == 1 else None

    # --- bench tools a scenario starts: stopped when the scenario ends (conftest's bench fixture) ---
    def tool(self, key: str, make):
        """A tool of this scenario (a pager, an HTTP listener …): made on first use, closed at the end."""
        if key not in self.context:
            tool = self.context[key] = make()
            self.context.setdefault("closers", []).append(tool.close)
        return self.context[key]

    def start_capture(self, key: str, bpf: str, pcap_name: str, iface: str | None = None) -> Capture:
        """Sniff the bench interface (or ``iface``) with ``bpf`` into the scenario's ``pcap_name``."""
        if iface is None and self.capture_net:
            bpf = f"({bpf}) and src net {self.capture_net}"
        cap = Capture(iface or self.lab.capture.interface, bpf, self.evidence_dir / pcap_name)
        cap.start()
        self.context[key] = cap
        self.context.setdefault("captures", []).append(cap)
        return cap

    def capture(self, key: str, how_to_start: str) -> Capture:
        """The capture a check needs; a scenario that never started it is the feature's mistake."""
        try:
            return self.context[key]
        except KeyError:
            raise LabError("bench", f"the scenario checks the wire but started no capture "
                                    f"(add: Given {how_to_start})") from None

    def account_form(self, dut: Dut, n: int = 1, transport: str = "UDP") -> dict:
        """The phone's bench account as account ``n`` settings, pointing at the bench registrar."""
        r = self.lab.registrar
        return dut.account_settings(str(r.ip), r.port, n, transport)

    def provision(self, dut: Dut, n: int = 1, transport: str = "UDP", timeout: float = 10.0) -> None:
        """Give the phone its bench account through the web UI and wait until it is registered."""
        dut.web.set_config(self.account_form(dut, n, transport))
        try:
            self.registrar.wait_registered(dut.account.user, timeout)
        except WaitTimeout as exc:
            raise LabError("registrar", f"{dut.name} ({dut.account.user}) never registered: {exc}") from exc
        dut.screen.wait_for_icon("account_registered", timeout=timeout)


def elapsed(since: float) -> float:
    return time.monotonic() - since
