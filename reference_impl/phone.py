"""The reference H680: configuration, storage, SIP and the screen, with one owner.

Everything here runs on the phone's asyncio loop (pjsua2 callbacks included,
see sip_engine), so state changes need no locks.  The phone's behaviour is the
manual's: the UI screens live in ``ui.py``; this module holds what the screens
act on -- accounts and their registration, calls and their audio device, call
history, configuration changes from any interface, factory reset.
"""
from __future__ import annotations

import asyncio
import logging
import socket
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from . import call_features as features
from .auto_redial import AutoRedial
from .conference import LocalConference
from .paging_control import PhonePaging
from .action_url import ActionUrls
from .config_backup import BackupRejected, pack_bin, unpack_bin
from .text_messages import TextMessages
from .cfg_file import CfgError, export_cfg, parse_cfg
from .firmware import FirmwareImage, FirmwareRejected, check_image, install
from .identity import Identity
from .trust import TrustSettings, client_context
from .lcd import LONG_PRESS_MS, Frame
from .schema import SCHEMA, ConfigValueError, defaults, validate_all
from .sip_engine import MAX_ACCOUNTS, AccountSettings, PhoneCall, SipEngine
from .contacts import Directory
from .provisioning import AutoProvisioner
from . import directory_calls
from .customization import linked as linked_settings
from .sounds import PhoneSounds
from .timekeeping import PhoneTime
from .storage import PhoneStorage

log = logging.getLogger(__name__)

BOOT_SCREEN_SECS = 0.4
UPGRADE_SECS = 2.0   # the "do not power off" screen before the new firmware starts


class ConfigRejected(ValueError):
    """A change from the web, the phone menus or a CFG file that was refused as a whole."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass
class Registration:
    state: str = "unregistered"   # unregistered | registering | registered | failed
    code: int = 0
    reason: str = ""


@dataclass
class CallSession:
    """A call as the phone's UI sees it."""

    call: PhoneCall
    direction: str          # "in" | "out"
    number: str
    name: str
    account: int
    mode: str               # handset | speaker | headset
    started_at: float = field(default_factory=time.time)
    answered_at: float | None = None
    rejected: bool = False
    muted: bool = False
    state: str = "CALLING"  # pjsua2's state text, upper case
    held: bool = False      # this phone put it on hold (transfer, call waiting, swap)
    waiting: bool = False   # a second incoming call offered during another call (§5.8)
    forwarded_to: str = ""  # redirected with 302 (§5.6)
    transferring: bool = False   # a REFER for it is under way (§5.7)
    ended_here: bool = False     # the user hung it up (no auto redial after that)
    timers: list = field(default_factory=list)   # auto answer, no-answer forward
    ringtone: str = ""           # what an incoming call rings with (a contact's own, §4.2.2)

    @property
    def connected(self) -> bool:
        return self.state == "CONFIRMED"


def address_is_local(address: str) -> bool:
    """Can this host use the address?  (On the embedded bench only 127.0.0.0/8 can be.)"""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.bind((address, 0))
        return True
    except OSError:
        return False


def number_of(uri: str) -> tuple[str, str]:
    """('1002', 'Bob') from '"Bob" <sip:1002@127.0.0.1>'."""
    name = ""
    if '"' in uri:
        name = uri.split('"')[1]
    inner = uri.split("<", 1)[1].split(">", 1)[0] if "<" in uri else uri
    inner = inner.split(":", 1)[1] if ":" in inner else inner
    return inner.split("@", 1)[0].split(";", 1)[0], name


class Phone:
    def __init__(self, identity: Identity, dhcp_ip: str, sip_port: int, web_port: int, data_dir: Path):
        self.identity, self.dhcp_ip, self.web_port = identity, dhcp_ip, web_port
        self.start_sip_port = sip_port   # what the phone listens on until a local SIP port is set
        self.data_dir = data_dir
        data_dir.mkdir(parents=True, exist_ok=True)
        self.storage = PhoneStorage(data_dir / "phone.db")
        self.config: dict = {**defaults(), **self.storage.config_overrides()}
        ip = self.ip = self.bound_address()
        self.sip_port = self.bound_sip_port()
        self.engine = SipEngine(ip, self.sip_port, self, data_dir / "sip.log", identity.user_agent())
        self.engine.sip_dscp, self.engine.rtp_dscp = self._dscp()   # QoS (§6.4.1): fixed until a restart
        from .sip_options import PhoneSipOptions
        self.sip_options = PhoneSipOptions(self)   # DTMF, User Agent, heartbeat, NAT/STUN (§6.4.1)
        self.registrations = {n: Registration() for n in range(1, MAX_ACCOUNTS + 1)}
        self.session: CallSession | None = None   # the call in the foreground
        self.others: list[CallSession] = []        # held calls and waiting incoming calls
        self.transfer_from: CallSession | None = None   # the held call a transfer started from
        self.auto_redial: AutoRedial | None = None       # a redial run under way (§5.9)
        self.directory = Directory(self.storage)        # contacts, groups, blacklist (§4.3)
        self.texts = TextMessages(self)                 # SIP MESSAGE (§6.2.1)
        self.conference: LocalConference | None = None  # a three-way call hosted here (§5.14)
        self.paging = PhonePaging(self)                  # multicast paging (§6.1)
        self.urls = ActionUrls(self)                     # Action URL (§6.6)
        self.autop = AutoProvisioner(self)               # auto provisioning (§6.4)
        from .ldap_phone import PhoneLdap
        self.ldap = PhoneLdap(self)                      # LDAP directory (§4.3.3)
        from .vpn_client import PhoneVpn
        self.vpn = PhoneVpn(self)                        # OpenVPN client (Network -> VPN; Action URL "VPN IP")
        self.conference_from: CallSession | None = None  # the held call a conference started from
        self.active_account = 1
        self.headset_plugged = False
        self.missed_calls = 0
        self.booting = True
        self.boot_count = 0
        self.last_key_at = 0.0
        self.restart_requested = False   # the process re-executes itself (a real reboot)
        self.boot_id = uuid.uuid4().hex  # new at every start of the process: tells a restart apart
        self.upgrading = ""              # version being installed (§5.15); "" = none
        from .ui import Ui  # ui imports phone for typing only
        self.ui = Ui(self)
        self.lcd_language = self.config["phone.language"]   # the LCD's: set at boot and by the phone (§4.1.1)
        self.time = PhoneTime(self)                          # clock, SNTP, manual time (§4.1.2)
        self.sounds = PhoneSounds(self)                      # ringtone, key tone, signal tones (§4.2)
        from .keypad_lock import KeypadLock
        self.keypad_lock = KeypadLock(self)              # keypad lock (§4.1.4)
        from .discovery import Discovery
        self.discovery = Discovery(self)                 # LLDP and CDP frames (§6.4.1, §1.3)

    # --- life cycle -------------------------------------------------------
    def start(self) -> None:
        self.engine.start()
        self.keypad_lock.start()
        self.boot()

    def boot(self) -> None:
        """Show the boot screen, then bring the accounts up (also what a reboot/factory reset does)."""
        self.booting = True
        self.vpn.stop()   # the network goes down with a reboot; the VPN comes back once booted
        self.trust = TrustSettings.from_config(self.config)   # §6.7: certificate settings apply from boot
        self.boot_count += 1
        self.lcd_language = self.config["phone.language"]
        self.time.boot()
        self.ui.reset()
        self._apply_timers()
        self.discovery.restart()
        asyncio.get_running_loop().call_later(BOOT_SCREEN_SECS, self._boot_done, self.boot_count)

    def _boot_done(self, count: int) -> None:
        if count != self.boot_count:
            return
        self.booting = False
        self.paging.restart_listener()
        self.urls.fire("setup_completed")
        last_ip = self.data_dir / "last.ip"
        previous = last_ip.read_text().strip() if last_ip.exists() else self.ip
        if previous != self.ip:
            self.urls.fire("ip_changed")
        last_ip.write_text(self.ip + "\n")
        self.vpn.apply()
        for n in range(1, MAX_ACCOUNTS + 1):
            self._apply_account(n)
        self.ui.reset()
        if self.config["autop.power_on"]:
            self.autop.start("power-on")

    def stop(self) -> None:
        self.discovery.stop()
        self.vpn.close()
        self.ldap.close()
        self.time.stop()
        self.keypad_lock.stop()
        self.paging.close()
        self.sip_options.close()
        self.engine.stop()
        self.storage.close()

    def bound_address(self, config: dict | None = None) -> str:
        """The IPv4 address the phone uses: the static one if configured, else its DHCP lease (``--ip``)."""
        c = config or self.config
        if c["network.ipv4.type"] == "Static" and c["network.ipv4.address"]:
            address = c["network.ipv4.address"]
            if address_is_local(address):
                return address
            log.warning("static address %s is not on this host; staying on %s", address, self.dhcp_ip)
        return self.dhcp_ip

    def bound_sip_port(self, config: dict | None = None) -> int:
        """The SIP port (§6.5.2): the configured local port once it is set, else the start-up one.

        Like a static address, a new port takes effect when the phone restarts:
        its transport is bound once, at boot.
        """
        c = config or self.config
        configured = int(c["sip.local_port"])
        return configured if configured != SCHEMA["sip.local_port"].default else self.start_sip_port

    def _network_changed(self, config: dict | None = None) -> bool:
        return (self.ip != self.bound_address(config) or self.sip_port != self.bound_sip_port(config)
                or (self.engine.sip_dscp, self.engine.rtp_dscp) != self._dscp(config)
                or self.sip_options.restart_needed(config or self.config))   # User Agent, NAT, STUN

    def _dscp(self, config: dict | None = None) -> tuple[int, int]:
        """The QoS DSCP values of SIP and RTP (§6.4.1); the transports take them when the phone starts."""
        c = config or self.config
        return int(c["network.qos.sip_dscp"]), int(c["network.qos.rtp_dscp"])

    def factory_reset(self) -> None:
        """Back to the factory state: configuration and every record wiped, then a reboot."""
        self._end_all_calls()
        self.storage.factory_reset()
        self.vpn.wipe()
        if self._network_changed(defaults()):
            self.restart_requested = True   # back to the DHCP address and port: a real restart
            return
        self.config = defaults()
        for n in range(1, MAX_ACCOUNTS + 1):
            self.engine.configure_account(n, AccountSettings.from_config(self.config, n))
            self.registrations[n] = Registration()
        self.active_account = 1
        self.missed_calls = 0
        self.headset_plugged = False
        self.boot()

    def upgrade(self, data: bytes) -> str:
        """Check a firmware image; if good, install it and restart (§5.15).  Returns the new version.

        Raises FirmwareRejected with the reason; the phone then goes on unchanged.
        """
        if self.upgrading:
            raise FirmwareRejected(f"an upgrade to {self.upgrading} is already under way")
        image = check_image(data, self.identity.model)
        self.upgrading = image.version
        self._end_all_calls()
        self.ui.upgrading(image.version)
        asyncio.get_running_loop().call_later(UPGRADE_SECS, self._finish_upgrade, image)
        return image.version

    def _finish_upgrade(self, image: FirmwareImage) -> None:
        install(self.data_dir, image)
        self.restart_requested = True   # the new firmware starts in a new process

    @property
    def cert_dir(self) -> Path:
        return self.data_dir / "certs"

    def tls_context(self):
        """The TLS client context of HTTPS provisioning, HTTPS Action URL and LDAPS (§6.7)."""
        return client_context(self.trust, self.cert_dir)

    def reboot(self) -> None:
        if self._network_changed():
            self._end_all_calls()
            self.restart_requested = True   # a new address or SIP port: the network comes up again
            return
        self._end_all_calls()
        for n in range(1, MAX_ACCOUNTS + 1):
            self.engine.configure_account(n, AccountSettings.from_config(defaults(), n))
        self.boot()

    # --- configuration ----------------------------------------------------
    def apply_config(self, raw: dict[str, str], where: str) -> dict:
        """Validate raw text values from one interface; apply all of them or none.

        Returns the parsed values.  Raises ConfigRejected naming every problem.
        """
        problems, parsed = [], {}
        for key, value in raw.items():
            setting = SCHEMA.get(key)
            if setting is None:
                problems.append(f"{key}: unknown setting")
                continue
            if where not in setting.where:
                problems.append(f"{key}: cannot be changed from the {where} interface")
                continue
            try:
                parsed[key] = setting.parse(str(value))
            except ConfigValueError as exc:
                problems.append(str(exc))
        problems += validate_all({**self.config, **parsed}) if not problems else []
        problems += self._required_problems({**self.config, **parsed}, parsed)
        if problems:
            raise ConfigRejected(problems)
        self._commit(parsed)
        return parsed

    def _required_problems(self, merged: dict, changed: dict) -> list[str]:
        """An enabled account must have its required fields (REQ-ACCT-11)."""
        problems = []
        for n in range(1, MAX_ACCOUNTS + 1):
            prefix = f"account.{n}."
            if not any(k.startswith(prefix) for k in changed) or not merged[prefix + "enable"]:
                continue
            for key, setting in SCHEMA.items():
                if key.startswith(prefix) and setting.required and merged[key] in ("", None):
                    problems.append(f"{key}: is required when account {n} is enabled")
        return problems

    def import_cfg(self, text: str, source: str) -> dict:
        try:
            parsed = parse_cfg(text, source=source, where="cfg", base=self.config)
        except CfgError as exc:
            raise ConfigRejected([str(p) for p in exc.problems]) from exc
        problems = self._required_problems({**self.config, **parsed}, parsed)
        if problems:
            raise ConfigRejected(problems)
        self._commit(parsed)
        return parsed

    def apply_provisioned(self, values: dict, source: str) -> dict:
        """Values already parsed from provisioning files (§6.4): checked together, applied at once."""
        merged = {**self.config, **values}
        problems = [f"{source}: {p}" for p in validate_all(merged) + self._required_problems(merged, values)]
        if problems:
            raise ConfigRejected(problems)
        changed = {k: v for k, v in values.items() if self.config.get(k) != v}
        self._commit(values)
        return changed

    def export_cfg(self, keys: list[str] | None = None) -> str:
        return export_cfg(self.config, keys,
                          header=f"{self.identity.model} {self.identity.firmware} {self.identity.mac}")

    def export_bin(self) -> bytes:
        return pack_bin(self.identity.model, self.identity.firmware, self.export_cfg())

    def import_bin(self, data: bytes, source: str) -> dict:
        """Take on a BIN file's whole configuration (§6.3); checked whole, applied all at once or not at all."""
        try:
            text = unpack_bin(data, self.identity.model)
        except BackupRejected as exc:
            raise ConfigRejected([f"{source}: {exc}"]) from exc
        try:
            parsed = parse_cfg(text, source=source, where="cfg", base=defaults())
        except CfgError as exc:
            raise ConfigRejected([str(p) for p in exc.problems]) from exc
        full = {**defaults(), **parsed}
        problems = self._required_problems(full, full)
        if problems:
            raise ConfigRejected(problems)
        self._commit(full)
        return full

    def _commit(self, parsed: dict) -> None:
        parsed = {**parsed, **linked_settings(parsed, self.config)}
        changed = {k: v for k, v in parsed.items() if self.config.get(k) != v}
        self.storage.set_config({**self.storage.config_overrides(), **changed})
        old = dict(self.config)
        self.config.update(changed)
        self._send_feature_codes(features.feature_codes(old, self.config))
        for event in features.switched_events(old, self.config):
            self.urls.fire(event)
        if any(k.startswith("sip.t") for k in changed):
            self._apply_timers()
        if any(k.startswith(("time.", "phone.time_format")) for k in changed) and not self.booting:
            self.time.config_changed()
        if any(k.startswith("paging.listen.") for k in changed) and not self.booting:
            self.paging.restart_listener()
        if any(k.startswith(("network.lldp.", "network.cdp.", "network.vlan.", "network.qos.")) for k in changed):
            self.discovery.restart()   # LLDP/CDP say the new VLAN and DSCP at once
        if any(k.startswith("vpn.") for k in changed) and not self.booting:
            self.vpn.apply()
        for n in range(1, MAX_ACCOUNTS + 1):
            if any(k.startswith(f"account.{n}.") for k in changed) and not self.booting:
                self._apply_account(n)

    def _send_feature_codes(self, codes: list[tuple[int, str]]) -> None:
        """On/off codes go to the server from the account they belong to (§5.6.2, §5.8, §5.11)."""
        for n, number in codes:
            if self.booting or not self.engine.usable_account(n):
                log.info("feature code %s not sent: account %d is not usable", number, n)
                continue
            self.engine.send_quietly(n, number)

    def _apply_timers(self) -> None:
        c = self.config
        self.engine.set_timers(int(c["sip.t1"]), int(c["sip.t2"]), int(c["sip.t4"]))

    def _apply_account(self, n: int) -> None:
        settings = AccountSettings.from_config(self.config, n)
        if not settings.usable and self.registrations[n].state == "registered":
            self.urls.fire("unregistered")   # the account is switched off: its binding goes
        self.registrations[n] = Registration("registering" if settings.usable else "unregistered")
        self.engine.configure_account(n, settings)
        self.sip_options.account_applied(n)   # heartbeat (§6.4.1)

    def account_settings(self, n: int) -> AccountSettings:
        return AccountSettings.from_config(self.config, n)

    # --- SIP events (SipEvents) --------------------------------------------
    def on_registration(self, account: int, state: str, code: int, reason: str) -> None:
        reg = self.registrations[account]
        if state == "registering" and reg.state == "registered":
            return  # a refresh keeps the registered icon
        if state == "unregistering":
            state = "unregistered"
        before = self.registrations[account].state
        self.registrations[account] = Registration(state, code, reason)
        log.info("account %d: %s %s %s", account, state, code, reason)
        event = {"registered": "registered", "failed": "register_failed"}.get(state)
        if state == "unregistered" and before == "registered":
            event = "unregistered"
        if event and state != before:
            self.urls.fire(event)

    def on_message(self, account: int, from_uri: str, text: str) -> None:
        self.texts.received(account, from_uri, text)

    def on_message_status(self, account: int, to_uri: str, code: int, reason: str) -> None:
        self.texts.answered(account, to_uri, code, reason)

    def on_incoming_call(self, call: PhoneCall) -> None:
        """DND, forward, call waiting and auto answer decide first (see call_features)."""
        info = call.getInfo()
        number, name = number_of(info.remoteUri)
        n = call.account.n
        if self.booting:
            self.engine.reject(call, 486)
            return
        if directory_calls.refuse_blacklisted(self, call, number, info.remoteUri):   # §4.3.2
            return
        name = directory_calls.name_for(self, number) or name   # a contact's name wins (§4.3.1)
        busy = self.session is not None or bool(self.others)
        anonymous = features.is_anonymous(info.remoteUri, call.invite_text)
        decision = features.decide(self.config, n, number, busy, anonymous)
        from . import intercom
        decision, intercom_answer = intercom.decide(self.config, call.invite_text, decision)   # §6.4.1
        if decision.action == "forward":
            self.engine.redirect(call, self.engine.target_uri(n, decision.target))
            log.info("call from %s forwarded (%s) to %s", number, decision.reason, decision.target)
            self.urls.fire("call_forwarded", CallSession(call, "in", number, name, n, "handset"))
            return
        if decision.action == "reject":
            self.engine.reject(call, decision.code)
            if decision.reason == "dnd":   # REQ-DND-08: a DND refusal is a missed call
                self.missed_calls += 1
                self.storage.add_call("missed", number, name, n, time.time(), 0.0)
                self.urls.fire("missed_call", CallSession(call, "in", number, name, n, "handset"))
            return
        session = CallSession(call, "in", number, name, n, self._default_mode())
        directory_calls.identify(self, session)   # contact name and ringtone (§4.2.2)
        if not directory_calls.name_for(self, number):   # a local contact's name wins over LDAP's
            self.ldap.lookup_incoming(session)   # REQ-LDAP-23: the LDAP name, once found, is shown
        self._going_busy()
        self.engine.ring(call)
        self.urls.fire("incoming_call", session)
        if decision.action == "waiting":
            session.waiting = True
            self.others.append(session)
        else:
            self.session = session
            self._arm_ringing_timers(session)
        self.ui.show_call()
        intercom.answer_soon(self, session, intercom_answer)

    def _arm_ringing_timers(self, s: CallSession) -> None:
        """Auto answer (§5.10) and no-answer forward (§5.6.2) run on the phone's loop."""
        loop = asyncio.get_running_loop()
        if features.auto_answer_on(self.config, s.account):
            s.timers.append(loop.call_later(int(self.config["auto_answer.delay"]), self._auto_answer, s))
        target = features.forward_target(self.config, "no_answer", s.account, s.number)
        if target:
            s.timers.append(loop.call_later(int(self.config["forward.no_answer.time"]),
                                            self._forward_ringing, s, target))

    def _auto_answer(self, s: CallSession) -> None:
        if self.session is s and s.answered_at is None and not self.others:
            self.answer("speaker")

    def _forward_ringing(self, s: CallSession, target: str, by_user: bool = False) -> None:
        if s.answered_at is None and s.state != "DISCONNECTED" and not s.forwarded_to:
            s.forwarded_to = target
            self.engine.redirect(s.call, self.engine.target_uri(s.account, target))
            self.urls.fire("forward_incoming_call" if by_user else "call_forwarded", s)

    def forward_ringing(self, target: str) -> bool:
        """The Forward action of a ringing call (§5.6.1): the caller is redirected to ``target``."""
        s = self.session
        if not target or s is None or s.direction != "in" or s.answered_at is not None:
            return False
        self._forward_ringing(s, target, by_user=True)
        return True

    def _all_sessions(self) -> list[CallSession]:
        """Every call the phone has: foreground, held/waiting, and conference members."""
        members = self.conference.members if self.conference is not None else []
        out: list[CallSession] = []
        for s in [self.session, *self.others, *members]:
            if s is not None and s not in out:
                out.append(s)
        return out

    def _session_of(self, call: PhoneCall) -> CallSession | None:
        return next((s for s in self._all_sessions() if s.call is call), None)

    def on_call_state(self, call: PhoneCall) -> None:
        if call.quiet:   # a feature code sent to the server: no screen, ended once answered
            if call.state == "CONFIRMED":
                self.engine.hangup(call)
            return
        s = self._session_of(call)
        if s is None:
            return
        s.state = call.state
        if call.state == "CONFIRMED" and s.answered_at is None:
            s.answered_at = time.time()
            self.urls.fire("call_established", s)
            if s.direction == "out":
                self._stop_auto_redial()
        if call.state != "DISCONNECTED":
            self.ui.show_call()
            return
        for timer in s.timers:
            timer.cancel()
        self._call_over_events(s, call.last_status)
        self._log_call(s)
        self._after_failed_call(s, call.last_status)
        if s is self.conference_from:
            self.conference_from = None
        if self.conference is not None and s in self.conference.members:
            self.conference.member_left(s)
            self.ui.show_call()
            return
        if s is self.transfer_from:
            self.transfer_from = None
        if s is self.session:
            self.session = None
            # A held call stays held (the user resumes it); a waiting call now simply rings.
            nxt = next((o for o in self.others if not o.waiting), None) or next(iter(self.others), None)
            if nxt is not None and self.transfer_from is None:
                self.others.remove(nxt)
                nxt.waiting = False
                self.session = nxt
            self.ui.call_ended(call.last_status, s)
        else:
            self.others.remove(s)
            self.ui.show_call()

    def on_call_replaced(self, old: PhoneCall, new: PhoneCall) -> None:
        """The session goes on with the call that replaced it (INVITE with Replaces, §5.7.2)."""
        s = self._session_of(old)
        if s is None:
            return
        s.call = new
        s.number, s.name = number_of(new.getInfo().remoteUri)
        self.ui.show_call()

    def on_transfer_status(self, call: PhoneCall, code: int, final: bool) -> None:
        """NOTIFY of our REFER: on success the transferor leaves (BYE), on failure the call stays held."""
        s = self._session_of(call)
        if s is None or not final:
            return
        s.transferring = False
        self.urls.fire("transfer_finished" if 200 <= code < 300 else "transfer_failed", s)
        if 200 <= code < 300:
            consult = self.session if self.transfer_from is s else None
            self.engine.hangup(s.call)
            if consult is not None:
                self.engine.hangup(consult.call)
            self.ui.message("Transferred", [s.name or s.number])
        else:
            self.ui.message("Transfer failed", [f"{code}"])

    def _going_busy(self) -> None:
        if not self._all_sessions():
            self.urls.fire("idle_to_busy")

    def _call_over_events(self, s: CallSession, status: int) -> None:
        """Action URL events of a call that just ended (§6.6.1)."""
        if s.answered_at is not None:
            self.urls.fire("call_terminated", s)
        elif s.direction == "out" and s.ended_here:
            self.urls.fire("cancel_callout", s)
        elif s.direction == "out" and status == 486:
            self.urls.fire("remote_busy", s)
        elif not (s.rejected or s.forwarded_to) and status == 487:
            self.urls.fire("call_remote_canceled", s)
        if [o for o in self._all_sessions() if o is not s] == []:
            self.urls.fire("busy_to_idle", s)

    def _after_failed_call(self, s: CallSession, status: int) -> None:
        """Auto redial (§5.9) picks up an outgoing call that failed without the user ending it."""
        if s.direction != "out" or s.answered_at is not None or s.ended_here or status < 400:
            return
        if not self.config["auto_redial.enable"]:
            self.auto_redial = None
            return
        run = self.auto_redial
        if run is None or run.number != s.number:
            run = self.auto_redial = AutoRedial(self, s.number, s.account, s.mode)
        if not run.schedule():
            self.auto_redial = None

    def _stop_auto_redial(self) -> None:
        if self.auto_redial is not None:
            self.auto_redial.cancel()
            self.auto_redial = None

    def _log_call(self, s: CallSession) -> None:
        duration = time.time() - s.answered_at if s.answered_at else 0.0
        if s.direction == "out" or s.forwarded_to:
            return  # dialled calls are logged when placed; forwarded ones never rang here for the user
        kind = "received" if (s.answered_at or s.rejected) else "missed"
        if kind == "missed":
            self.missed_calls += 1
            self.urls.fire("missed_call", s)
        self.storage.add_call(kind, s.number, s.name, s.account, s.started_at, duration)

    # --- call actions (what the keys do) ----------------------------------
    def _default_mode(self) -> str:
        return "headset" if self.headset_plugged else "handset"

    def dial(self, number: str, mode: str, account: int = 0) -> bool:
        """Place a call from the active account (or ``account``, a contact's); False if it cannot be placed."""
        n = account or self.active_account
        if not number or not self.engine.usable_account(n) or self.session is not None:
            return False
        from .dialing import outgoing_number
        target = outgoing_number(self, number, n)   # keypad lock, dial plan (§4.1.4, §4.7)
        if target is None:
            return False
        self._going_busy()
        call = self.engine.make_call(n, target, anonymous=features.anonymous_call_on(self.config, n))
        self.session = CallSession(call, "out", number, directory_calls.name_for(self, number), n, mode)
        self.urls.fire("outgoing_call", self.session)
        self._mode_events(mode, self.session)
        self.storage.add_call("dialled", number, self.session.name, n, time.time())
        self.ui.show_call()
        return True

    def redial(self, mode: str) -> bool:
        last = self.storage.last_dialled()
        return bool(last) and self.dial(last.number, mode)

    def answer(self, mode: str) -> None:
        s = self.session
        if s and s.direction == "in" and s.answered_at is None:
            s.mode = mode
            self.engine.answer(s.call)
            self.urls.fire("answer_new_incoming_call", s)
            self._mode_events(mode, s)

    def reject(self) -> None:
        s = self.session
        if s and s.direction == "in" and s.answered_at is None:
            s.rejected = True
            self.engine.reject(s.call, 486)
            self.urls.fire("reject_incoming_call", s)

    def hang_up(self) -> None:
        if self.conference is not None:
            self.conference.hang_up()
            return
        if self.session:
            self.session.ended_here = True
            self.engine.hangup(self.session.call)

    # --- transfer (§5.7) and call waiting (§5.8) ----------------------------
    def start_transfer(self) -> bool:
        """Transfer key: the call goes on hold while the target is typed."""
        s = self.session
        if s is None or not s.connected or self.transfer_from is not None:
            return False
        self._hold(s)
        self.transfer_from = s
        return True

    def blind_transfer(self, number: str) -> bool:
        s = self.transfer_from
        if s is None or not number:
            return False
        s.transferring = True
        self.engine.transfer(s.call, self.engine.target_uri(s.account, number))
        self.urls.fire("blind_transfer", s)
        return True

    def attended_transfer(self) -> bool:
        """Transfer key on the consult call: REFER with Replaces to the held party."""
        held, consult = self.transfer_from, self.session
        if held is None or consult is None or not consult.connected:
            return False
        held.transferring = True
        self.engine.transfer_replacing(held.call, consult.call)
        self.urls.fire("attended_transfer", held)
        return True

    def resume(self) -> bool:
        """Resume soft key: the held call (a cancelled transfer, a swapped call) comes back."""
        held = self.transfer_from or next((o for o in self.others if o.held), None)
        if held is None and self.session and self.session.held:
            held = self.session
        if held is None or (self.session is not None and self.session is not held):
            return False
        if held in self.others:
            self.others.remove(held)
        self.transfer_from = None
        held.held = False
        self.session = held
        self.engine.unhold(held.call)
        self.urls.fire("unhold", held)
        self.ui.show_call()
        return True

    def answer_waiting(self) -> bool:
        """Answer the waiting call; the current one goes on hold."""
        waiting = next((o for o in self.others if o.waiting), None)
        if waiting is None:
            return False
        current = self.session
        if current is not None:
            self._hold(current)
            waiting.mode = current.mode
        self.others.remove(waiting)
        waiting.waiting = False
        self.session = waiting
        self.engine.answer(waiting.call)
        self.urls.fire("answer_new_incoming_call", waiting)
        return True

    def reject_waiting(self) -> bool:
        waiting = next((o for o in self.others if o.waiting), None)
        if waiting is None:
            return False
        waiting.rejected = True
        self.engine.reject(waiting.call, 486)
        self.urls.fire("reject_incoming_call", waiting)
        return True

    def swap(self) -> bool:
        """Up/down with a held call: hold the current call, resume the other."""
        held = next((o for o in self.others if o.held), None)
        current = self.session
        if held is None or current is None or not current.connected or self.transfer_from is not None:
            return False
        self._hold(current)
        self.others.remove(held)
        held.held = False
        self.session = held
        self.engine.unhold(held.call)
        self.urls.fire("unhold", held)
        self.ui.show_call()
        return True

    def _hold(self, s: CallSession) -> None:
        """Put the foreground call on hold and into the background."""
        self.engine.hold(s.call)
        s.held = True
        self.others.insert(0, s)
        self.session = None
        self.urls.fire("hold", s)

    def set_mode(self, mode: str) -> None:
        if self.session:
            self.session.mode = mode
            self._mode_events(mode, self.session)

    def _mode_events(self, mode: str, s: CallSession | None = None) -> None:
        if mode == "speaker":
            self.urls.fire("handfree_in_use", s)
        elif mode == "headset":
            self.urls.fire("headset_in_use", s)

    def volume_target(self) -> str:
        """What the volume keys change (§4.2.1): the ring when idle or ringing, else the device in use."""
        s = self.session
        return s.mode if s is not None and s.connected else "ring"

    def change_volume(self, step: int) -> tuple[str, int]:
        """One press of a side volume key; the level stops at 1 and 15 and is kept like any setting."""
        target = self.volume_target()
        key = f"volume.{target}"
        level = min(15, max(1, int(self.config[key]) + step))
        if level != self.config[key]:
            self.apply_config({key: str(level)}, where="phone")
        return target, level

    def dial_service_code(self, key: str) -> str:
        """Message / Pickup key: dial the configured code; returns a prompt when there is none."""
        n = self.active_account
        code = str(self.config[f"voicemail.account{n}"] if key == "MESSAGE" else self.config["pickup.code"])
        if not code:
            return "No voice mail number" if key == "MESSAGE" else "No pickup code"
        if not self.dial(code, self._default_mode()):
            return "Account not ready"
        return ""

    def toggle_mute(self) -> None:
        """Mute key: the far end stops hearing the microphone (REQ-KEYS-08)."""
        if self.conference is not None:
            self.conference.toggle_mute()
        elif self.session and self.session.connected:
            self.session.muted = not self.session.muted
            self.engine.set_muted(self.session.call, self.session.muted)
            self.urls.fire("mute" if self.session.muted else "unmute", self.session)

    # --- local conference (§5.14) -------------------------------------------
    def start_conference(self) -> bool:
        """Conference on a call: it goes on hold while the third party is chosen."""
        s = self.session
        if s is None or not s.connected or self.conference is not None or self.transfer_from is not None:
            return False
        self._hold(s)
        self.conference_from = s
        return True

    def conference_candidates(self) -> list[CallSession]:
        """Held calls that can be joined with the one the conference started from."""
        return [o for o in self.others if o.held and o is not self.conference_from]

    def cancel_conference(self) -> None:
        held, self.conference_from = self.conference_from, None
        if held is not None and self.session is None:
            self.resume()

    def join_conference(self, other: CallSession | None = None) -> bool:
        """Conf: join the call the conference started from with ``other`` (default: the consult call)."""
        first, second = self.conference_from, other or self.session
        if first is None or second is None or second is first or not second.connected:
            return False
        self.conference_from = None
        if self.session is second:
            self.session = None
        self.conference = LocalConference(self, first, second)
        self.conference.join()
        self.ui.show_call()
        return True

    def _end_all_calls(self) -> None:
        self.paging.end_outgoing()
        self.paging.end_incoming()
        sessions = self._all_sessions()
        self.conference = self.conference_from = None
        for s in sessions:
            if s is not None:
                for timer in s.timers:
                    timer.cancel()
                self.engine.hangup(s.call)
        self.session = None
        self.others = []
        self.transfer_from = None

    # --- accessories ------------------------------------------------------
    def plug_headset(self, plugged: bool) -> None:
        self.headset_plugged = plugged
        self.urls.fire("peripheral_information")   # a peripheral came or went
        if self.session and plugged:
            self.session.mode = "headset"
        elif self.session and self.session.mode == "headset":
            self.session.mode = "handset"

    # --- keypad and screen ------------------------------------------------
    def press(self, key: str, duration_ms: int = 100) -> None:
        self.last_key_at = time.monotonic()
        self.sounds.key_pressed(key)
        if key in ("OFFHOOK", "ONHOOK"):   # the handset lifted / put down (§6.6.1)
            self.urls.fire("off_hook" if key == "OFFHOOK" else "on_hook")
        self.ui.key(key, long=duration_ms >= LONG_PRESS_MS)

    def screen(self) -> Frame:
        return self.ui.render()

    def clear_missed(self) -> None:
        self.missed_calls = 0

    # --- status (phone UI and web UI show the same facts) -----------------
    def status(self) -> dict:
        c = self.config
        ipv4_static = c["network.ipv4.type"] == "Static"
        accounts = []
        for n in range(1, MAX_ACCOUNTS + 1):
            s = self.account_settings(n)
            reg = self.registrations[n]
            accounts.append({
                "account": n, "enabled": s.enable, "label": c[f"account.{n}.label"],
                "user": s.user_name, "server": s.server1, "state": reg.state,
                "code": reg.code, "reason": reg.reason})
        return {
            "network": {
                "ip_mode": c["network.ip_mode"],
                "ipv4": {"type": c["network.ipv4.type"],
                         "address": self.ip,
                         "netmask": c["network.ipv4.netmask"] if ipv4_static else "255.0.0.0",
                         "gateway": c["network.ipv4.gateway"] if ipv4_static else "",
                         "dns": [c["network.ipv4.dns1"], c["network.ipv4.dns2"]] if ipv4_static else []},
                "ipv6": {"type": c["network.ipv6.type"], "address": c["network.ipv6.address"]},
            },
            "accounts": accounts,
            "ringer": directory_calls.ringer_status(self),   # what the phone rings with now (§4.2.2)
            "discovery": self.discovery.status(),            # LLDP / CDP senders (§6.4.1)
            "vpn": self.vpn.status(),                        # OpenVPN client: state and VPN IP
            "device": {
                "product_name": self.identity.model, "firmware": self.identity.firmware,
                "hardware": self.identity.hardware, "mac": self.identity.mac,
                "product_id": self.identity.product_id,
            },
        }
