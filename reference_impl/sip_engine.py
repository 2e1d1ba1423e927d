"""SIP for the reference phone: pjsua2, polled from the phone's asyncio loop.

pjsua2's Endpoint is a per-process singleton, so one process is one phone.  The
library runs with no worker threads (``threadCnt = 0``, ``mainThreadOnly``): the
phone's event loop calls :meth:`SipEngine.poll` and every callback arrives on
that same thread, so the phone's state has a single owner and needs no locks.

The engine knows nothing about screens or keys.  It reports what happens on the
wire to a :class:`SipEvents` listener (the phone) and offers the few actions the
firmware needs: register an account, place, answer, reject and end calls, and set
the RFC 3261 timers.
"""
from __future__ import annotations

import asyncio
import ctypes
import time
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pjsua2 as pj

from .call_features import ANONYMOUS_FROM, ANONYMOUS_HEADERS
from .tones import ToneSource

log = logging.getLogger(__name__)

MAX_ACCOUNTS = 2


class SipEvents(Protocol):
    """What the engine tells the phone."""

    def on_registration(self, account: int, state: str, code: int, reason: str) -> None: ...
    def on_incoming_call(self, call: "PhoneCall") -> None: ...
    def on_call_state(self, call: "PhoneCall") -> None: ...
    def on_transfer_status(self, call: "PhoneCall", code: int, final: bool) -> None: ...
    def on_call_replaced(self, old: "PhoneCall", new: "PhoneCall") -> None: ...
    def on_message(self, account: int, from_uri: str, text: str) -> None: ...
    def on_message_status(self, account: int, to_uri: str, code: int, reason: str) -> None: ...


@dataclass
class AccountSettings:
    """The subset of ``account.N.*`` the SIP stack needs."""

    enable: bool
    display_name: str
    user_name: str
    register_name: str
    password: str
    server1: str
    server2: str
    port: int
    reregister_period: int
    outbound_proxy: str
    transport: str  # "UDP" | "TCP"

    @classmethod
    def from_config(cls, config: dict, n: int) -> "AccountSettings":
        p = f"account.{n}."
        return cls(
            enable=bool(config[p + "enable"]), display_name=config[p + "display_name"] or "",
            user_name=config[p + "user_name"] or "", register_name=config[p + "register_name"] or "",
            password=config[p + "password"] or "", server1=config[p + "server1"] or "",
            server2=config[p + "server2"] or "", port=int(config[p + "port"]),
            reregister_period=int(config[p + "reregister_period"]),
            outbound_proxy=config[p + "outbound_proxy"] or "", transport=config[p + "transport"])

    @property
    def usable(self) -> bool:
        return self.enable and bool(self.user_name and self.server1)

    def server_hostport(self) -> str:
        return self.server1 if self.port == 5060 else f"{self.server1}:{self.port}"

    def aor(self) -> str:
        return f"sip:{self.user_name}@{self.server_hostport()}"


class PhoneAccount(pj.Account):
    def __init__(self, engine: "SipEngine", n: int, settings: AccountSettings):
        super().__init__()
        self.engine, self.n, self.settings = engine, n, settings

    def onRegStarted(self, prm):
        self.engine.events.on_registration(self.n, "registering" if prm.renew else "unregistering", 0, "")

    def onRegState(self, prm):
        if self.n in self.engine.unregistering:
            self.engine.account_unregistered(self.n)
            return
        info = self.getInfo()
        if info.regIsActive and prm.code // 100 == 2:
            state = "registered"
        elif prm.code // 100 == 2:
            state = "unregistered"
        else:
            state = "failed"
        self.engine.events.on_registration(self.n, state, prm.code, prm.reason)

    def onInstantMessage(self, prm):
        """A SIP MESSAGE for this account (§6.2.1); pjsua2 has already answered 200."""
        self.engine.events.on_message(self.n, str(prm.fromUri), str(prm.msgBody))

    def onInstantMessageStatus(self, prm):
        """The far end's final answer to a MESSAGE we sent (matched by target, first sent first)."""
        self.engine.events.on_message_status(self.n, str(prm.toUri), int(prm.code), str(prm.reason))

    def onIncomingCall(self, prm):
        call = PhoneCall(self.engine, self, prm.callId, direction="in")
        call.invite_text = prm.rdata.wholeMsg
        self.engine.calls[call.getId()] = call
        self.engine.events.on_incoming_call(call)


# The codecs of an H680-class desk phone, in order; pjsua2's speex, iLBC and GSM are switched off
# (a phone does not offer them, and a vocoder would smear the test tones the features listen for).
CODECS = ("PCMU/8000/1", "PCMA/8000/1", "G722/16000/1")


def set_codecs(ep: "pj.Endpoint") -> None:
    for info in ep.codecEnum2():
        ep.codecSetPriority(info.codecId, 0)
    for i, codec in enumerate(CODECS):
        ep.codecSetPriority(codec, 200 - i)


def _when_no_invite_pending(call: "PhoneCall", action, what: str, tries: int = 30) -> None:
    """Run a re-INVITE now, or -- while another INVITE transaction of the call is still open (the
    far end's session refresh, an ACK not yet through on a busy machine) -- again every 100 ms,
    as RFC 3261 §14.1 wants a UA to wait rather than overlap INVITE transactions."""
    live = call.state != "DISCONNECTED" and call.engine.calls.get(call.getId()) is call
    if not live:
        return   # the call ended meanwhile: a retry must never touch a newer call with the same id
    try:
        action()
    except pj.Error as exc:
        pending = "pending" in exc.info().lower() or "PJSIP_EPENDINGTX" in exc.info()
        if tries <= 0 or not pending:
            log.warning("%s of call %s not sent: %s", what, call.remote_uri, exc.info())
            return
        asyncio.get_running_loop().call_later(0.1, _when_no_invite_pending, call, action, what, tries - 1)


def _quietly(action, *args) -> None:
    try:
        action(*args)
    except pj.Error:
        pass


def sip_headers(headers: dict[str, str]) -> "pj.SipHeaderVector":
    """Extra headers for a request, as pjsua2 wants them."""
    vector = pj.SipHeaderVector()
    for name, value in headers.items():
        h = pj.SipHeader()
        h.hName, h.hValue = name, value
        vector.append(h)
    return vector


class PhoneCall(pj.Call):
    """One call; the engine keeps a reference until it is disconnected (pjsua2 needs that)."""

    def __init__(self, engine: "SipEngine", account: PhoneAccount, call_id=pj.PJSUA_INVALID_ID,
                 direction: str = "out"):
        super().__init__(account, call_id)
        self.engine, self.account, self.direction = engine, account, direction
        self.state = "NULL"
        self.remote_uri = ""
        self.last_status = 0
        self.invite_text = ""
        self.number = ""
        self.quiet = False   # a feature-code INVITE: no session, hung up when answered
        self.muted = False   # the microphone is not sent on this call
        self.partners: set[PhoneCall] = set()   # calls bridged with this one (local conference)

    def onCallState(self, prm):
        info = self.getInfo()
        self.state = info.stateText.upper()
        self.remote_uri = info.remoteUri
        self.last_status = info.lastStatusCode
        self.engine.events.on_call_state(self)
        if info.state == pj.PJSIP_INV_STATE_DISCONNECTED:
            self.engine.calls.pop(self.getId(), None)
            # pjsua2's ~Call hangs up "its" call id if that id is active, and ids are reused: an
            # ended call freed later by Python's cycle collector (conference partners form cycles)
            # would hang up whichever newer call got its id.  Ended calls are kept until stop().
            self.partners.clear()
            self.engine.ended.append(self)

    def onCallRedirected(self, prm):
        """A 3xx to our INVITE (the far end forwards us): follow it, as a desk phone does."""
        return pj.PJSIP_REDIRECT_ACCEPT_REPLACE

    def onCallReplaced(self, prm):
        """An INVITE with Replaces took over this call (we are an attended transfer's target)."""
        new = PhoneCall(self.engine, self.account, prm.newCallId, direction="in")
        prm.newCall = new
        self.engine.calls[new.getId()] = new
        self.engine.events.on_call_replaced(self, new)

    def onCallSdpCreated(self, prm):
        """The SDP this phone is about to send (the account's DTMF payload type, sip_options.py)."""
        if self.engine.options is not None:
            self.engine.options.sdp_created(self, prm)

    def onCallTransferStatus(self, prm):
        """NOTIFYs about a REFER this phone sent (sipfrag status of the transferee's new call)."""
        self.engine.events.on_transfer_status(self, int(prm.statusCode), bool(prm.finalNotify))

    def audio(self) -> "pj.AudioMedia | None":
        """The call's audio while it flows (not held, not gone)."""
        try:
            info = self.getInfo()
        except pj.Error:
            return None
        for i, media in enumerate(info.media):
            if media.type == pj.PJMEDIA_TYPE_AUDIO and media.status == pj.PJSUA_CALL_MEDIA_ACTIVE:
                return self.getAudioMedia(i)
        return None

    def onCallMediaState(self, prm):
        """Wire the call into the phone's audio: earpiece, microphone (unless muted), conference partners."""
        aud = self.audio()
        if aud is None:
            return
        mgr = pj.Endpoint.instance().audDevManager()
        aud.startTransmit(mgr.getPlaybackDevMedia())   # the null sound device drains the RTP
        if not self.muted:
            self.engine.microphone().startTransmit(aud)
        for partner in self.partners:
            other = partner.audio()
            if other is not None:   # a local conference: each party hears the other (§5.14)
                aud.startTransmit(other)
                other.startTransmit(aud)


def set_dscp(tcfg: "pj.TransportConfig", dscp: int | None) -> None:
    """pjsua2's QoS parameters: PJSIP sets IP_TOS = DSCP << 2 on the transport's sockets."""
    if dscp is not None:
        tcfg.qosParams.flags = pj.PJ_QOS_PARAM_HAS_DSCP
        tcfg.qosParams.dscp_val = dscp


class SipEngine:
    def __init__(self, ip: str, sip_port: int, events: SipEvents, log_path: Path,
                 user_agent: str):
        self.ip, self.sip_port, self.events = ip, sip_port, events
        self.log_path, self.user_agent = log_path, user_agent
        self.ep: pj.Endpoint | None = None
        self.transports: dict[str, int] = {}
        self.accounts: dict[int, PhoneAccount] = {}
        self.unregistering: set[int] = set()
        self.pending: dict[int, AccountSettings] = {}
        self.calls: dict[int, PhoneCall] = {}
        self.buddies: dict[tuple[int, str], pj.Buddy] = {}   # MESSAGE targets, per account
        self.retired: list[PhoneAccount] = []   # see _remove_account
        self.ended: list[PhoneCall] = []        # see PhoneCall.onCallState
        self.mic_tone: ToneSource | None = None   # what the microphone picks up (bench control)
        self.sip_dscp: int | None = None   # QoS (§6.4.1): IP TOS = DSCP << 2 on SIP, set before start()
        self.rtp_dscp: int | None = None   # ... and on RTP/RTCP of every call
        self.options = None   # sip_options.PhoneSipOptions: User Agent, NAT/STUN, DTMF payload type

    # --- life cycle -------------------------------------------------------
    def start(self) -> None:
        ep = self.ep = pj.Endpoint()
        ep.libCreate()
        cfg = pj.EpConfig()
        cfg.uaConfig.threadCnt = 0
        cfg.uaConfig.mainThreadOnly = True
        cfg.uaConfig.userAgent = self.user_agent
        if self.options is not None:
            self.options.endpoint_config(cfg)
        cfg.logConfig.level = 4
        cfg.logConfig.consoleLevel = 0
        cfg.logConfig.filename = str(self.log_path)
        cfg.medConfig.noVad = True
        ep.libInit(cfg)
        for name, kind in (("UDP", pj.PJSIP_TRANSPORT_UDP), ("TCP", pj.PJSIP_TRANSPORT_TCP)):
            tcfg = pj.TransportConfig()
            tcfg.port = self.sip_port
            tcfg.boundAddress = self.ip
            tcfg.publicAddress = self.options.public_address(name, self.ip) if self.options else self.ip
            set_dscp(tcfg, self.sip_dscp)
            self.transports[name] = ep.transportCreate(kind, tcfg)
        ep.audDevManager().setNullDev()
        set_codecs(ep)
        ep.libStart()

    # --- audio: microphone, mute, local conference -------------------------
    def microphone(self) -> "pj.AudioMedia":
        """The microphone: silence (null device), or the tone the bench plays into it."""
        if self.mic_tone is not None:
            return self.mic_tone.media
        return pj.Endpoint.instance().audDevManager().getCaptureDevMedia()

    def set_microphone_tone(self, hz: int | None) -> None:
        """The bench plays a steady tone into the microphone (None: quiet again)."""
        live = [(c, c.audio()) for c in self.calls.values()]
        for call, aud in live:
            if aud is not None and not call.muted:
                _quietly(self.microphone().stopTransmit, aud)
        self.mic_tone = ToneSource(hz) if hz else None
        for call, aud in live:
            if aud is not None and not call.muted:
                self.microphone().startTransmit(aud)

    def set_muted(self, call: PhoneCall, muted: bool) -> None:
        if call.muted == muted:
            return
        call.muted = muted
        aud = call.audio()
        if aud is not None:
            (self.microphone().stopTransmit if muted else self.microphone().startTransmit)(aud)

    @staticmethod
    def bridge(a: PhoneCall, b: PhoneCall, joined: bool) -> None:
        """Join (or part) the audio of two calls: a local three-way conference."""
        aud_a, aud_b = a.audio(), b.audio()
        if joined:
            a.partners.add(b)
            b.partners.add(a)
            if aud_a is not None and aud_b is not None:
                aud_a.startTransmit(aud_b)
                aud_b.startTransmit(aud_a)
        else:
            a.partners.discard(b)
            b.partners.discard(a)
            if aud_a is not None and aud_b is not None:
                _quietly(aud_a.stopTransmit, aud_b)
                _quietly(aud_b.stopTransmit, aud_a)

    def stop(self) -> None:
        if not self.ep:
            return
        try:
            self.ep.hangupAllCalls()
        except pj.Error:
            pass
        self.calls.clear()
        self.mic_tone = None
        for call in self.ended:
            call.__disown__()   # never destroyed by Python: no late hang-up of a reused id
        self.ended.clear()
        self._unregister_all()
        for n in list(self.accounts):
            self._remove_account(n)
        self.ep.libDestroy(pj.PJSUA_DESTROY_NO_NETWORK)
        self.ep = None

    def _unregister_all(self, timeout: float = 2.0) -> None:
        """A clean shutdown (SIGTERM, reboot) un-registers first, as the firmware does.

        The registrar challenges the Expires: 0 REGISTER, so the accounts must stay
        alive until it has answered; pjsua2 is polled here until every one has.
        """
        for n, acc in self.accounts.items():
            if n not in self.unregistering and acc.settings.usable:
                try:
                    acc.setRegistration(False)
                    self.unregistering.add(n)
                except pj.Error:
                    pass
        self.pending.clear()
        deadline = time.monotonic() + timeout
        while self.unregistering and time.monotonic() < deadline:
            self.ep.libHandleEvents(10)

    def poll(self, max_ms: int) -> None:
        self.ep.libHandleEvents(max_ms)

    # --- timers -----------------------------------------------------------
    def set_timers(self, t1_ms: int, t2_ms: int, t4_ms: int) -> None:
        """RFC 3261 T1/T2/T4 through PJSIP's exported C function (td = 64*T1, Timer D kept at 32 s min)."""
        lib = ctypes.CDLL(pj._pjsua2.__file__)
        fn = lib.pjsip_tsx_set_timers
        fn.argtypes = [ctypes.c_uint] * 4
        fn.restype = None
        fn(t1_ms, t2_ms, t4_ms, max(32000, 64 * t1_ms))

    # --- accounts ---------------------------------------------------------
    def configure_account(self, n: int, s: AccountSettings) -> None:
        """Apply account n's settings.

        A change to a working account is a ``modify`` (pjsua2 re-registers).  A
        disabled account un-registers with its own credentials (the registrar
        challenges the Expires: 0 REGISTER too) and is removed once the registrar
        has answered; settings that arrive meanwhile wait for that answer, so an
        old un-REGISTER can never remove a newer binding of the same contact.
        """
        if n in self.unregistering:
            self.pending[n] = s
            return
        acc = self.accounts.get(n)
        if not s.usable:
            if acc is None:
                return
            try:
                acc.setRegistration(False)
                self.unregistering.add(n)
            except pj.Error:   # it was not registered: nothing to take back
                self._remove_account(n)
            self.events.on_registration(n, "unregistered", 0, "")
            return
        cfg = self._account_config(s)
        if acc is None:
            acc = PhoneAccount(self, n, s)
            acc.create(cfg)
            self.accounts[n] = acc
        else:
            acc.settings = s
            acc.modify(cfg)

    def account_unregistered(self, n: int) -> None:
        """The registrar answered the un-REGISTER (or it timed out): retire the account."""
        if n not in self.unregistering:
            return
        self.unregistering.discard(n)
        try:
            asyncio.get_running_loop().call_soon(self._retire, n)
        except RuntimeError:   # shutting down: stop() removes the accounts itself
            pass

    def _retire(self, n: int) -> None:
        self._remove_account(n)
        if n in self.pending:
            self.configure_account(n, self.pending.pop(n))

    def send_message(self, n: int, number: str, text: str) -> str:
        """Send a SIP MESSAGE from account ``n``; returns the target URI on_message_status names."""
        uri = self.target_uri(n, number)
        buddy = self.buddies.get((n, uri))
        if buddy is None:
            cfg = pj.BuddyConfig()
            cfg.uri, cfg.subscribe = uri, False
            buddy = pj.Buddy()
            buddy.create(self.accounts[n], cfg)
            self.buddies[(n, uri)] = buddy
        prm = pj.SendInstantMessageParam()
        prm.content = text
        buddy.sendInstantMessage(prm)
        return uri

    def _remove_account(self, n: int) -> None:
        for key in [k for k in self.buddies if k[0] == n]:
            del self.buddies[key]   # a buddy dies with its account
        acc = self.accounts.pop(n, None)
        if acc is not None:
            for cid, call in list(self.calls.items()):
                if call.account is acc:
                    self.calls.pop(cid, None)
            acc.shutdown()
            # pjsua2's ~Account deletes "its" account id again, and ids are reused: a retired
            # object freed later (by Python's cycle collector) would delete the account that
            # now has its id.  Retired accounts are therefore kept until the library is gone.
            self.retired.append(acc)

    def _account_config(self, s: AccountSettings) -> "pj.AccountConfig":
        cfg = pj.AccountConfig()
        display = f'"{s.display_name}" ' if s.display_name else ""
        cfg.idUri = f"{display}<{s.aor()}>"
        transport = ";transport=tcp" if s.transport == "TCP" else ""
        cfg.regConfig.registrarUri = f"sip:{s.server_hostport()}{transport}"
        cfg.regConfig.timeoutSec = s.reregister_period
        cfg.regConfig.retryIntervalSec = 30
        cred = pj.AuthCredInfo("digest", "*", s.register_name or s.user_name, 0, s.password)
        cfg.sipConfig.authCreds.append(cred)
        if s.outbound_proxy:
            cfg.sipConfig.proxies.append(f"sip:{s.outbound_proxy};lr{transport}")
        cfg.sipConfig.transportId = self.transports[s.transport]
        cfg.mediaConfig.transportConfig.boundAddress = self.ip
        cfg.mediaConfig.transportConfig.publicAddress = self.ip
        set_dscp(cfg.mediaConfig.transportConfig, self.rtp_dscp)
        cfg.natConfig.iceEnabled = False
        cfg.natConfig.sipStunUse = pj.PJSUA_STUN_USE_DISABLED
        cfg.natConfig.mediaStunUse = pj.PJSUA_STUN_USE_DISABLED
        if self.options is not None:
            self.options.account_config(cfg)
        return cfg

    def usable_account(self, n: int) -> bool:
        acc = self.accounts.get(n)
        return acc is not None and acc.settings.usable

    def account_uri(self, n: int) -> str:
        acc = self.accounts.get(n)
        return acc.settings.aor() if acc and acc.settings.usable else ""

    # --- calls ------------------------------------------------------------
    def target_uri(self, n: int, number: str) -> str:
        acc = self.accounts[n]
        if number.startswith(("sip:", "sips:")):
            return number
        if "@" in number:
            return f"sip:{number}"
        transport = ";transport=tcp" if acc.settings.transport == "TCP" else ""
        return f"sip:{number}@{acc.settings.server_hostport()}{transport}"

    def make_call(self, n: int, number: str, anonymous: bool = False) -> PhoneCall:
        """INVITE ``number`` from account ``n``; ``anonymous`` hides who calls (§5.11)."""
        acc = self.accounts[n]
        call = PhoneCall(self, acc, direction="out")
        call.number = number
        prm = pj.CallOpParam(True)
        if anonymous:
            prm.txOption.localUri = ANONYMOUS_FROM
            prm.txOption.headers = sip_headers(ANONYMOUS_HEADERS)
        call.makeCall(self.target_uri(n, number), prm)
        self.calls[call.getId()] = call
        return call

    @staticmethod
    def ring(call: PhoneCall) -> None:
        prm = pj.CallOpParam()
        prm.statusCode = 180
        call.answer(prm)

    @staticmethod
    def answer(call: PhoneCall) -> None:
        prm = pj.CallOpParam()
        prm.statusCode = 200
        call.answer(prm)

    @staticmethod
    def reject(call: PhoneCall, code: int = 486) -> None:
        prm = pj.CallOpParam()
        prm.statusCode = code
        call.hangup(prm)

    @staticmethod
    def redirect(call: PhoneCall, target_uri: str, code: int = 302) -> None:
        """Send the caller elsewhere: a 3xx final answer whose Contact is the target (call forward)."""
        prm = pj.CallOpParam()
        prm.statusCode = code
        contact = pj.SipHeader()
        contact.hName = "Contact"
        contact.hValue = f"<{target_uri}>"
        prm.txOption.headers.append(contact)
        call.answer(prm)

    @staticmethod
    def hold(call: PhoneCall) -> None:
        """re-INVITE with a=sendonly (pjsua2's hold)."""
        _when_no_invite_pending(call, lambda: call.setHold(pj.CallOpParam(True)), "hold")

    @staticmethod
    def unhold(call: PhoneCall) -> None:
        def reinvite():
            prm = pj.CallOpParam(True)
            prm.opt.flag = pj.PJSUA_CALL_UNHOLD
            call.reinvite(prm)
        _when_no_invite_pending(call, reinvite, "unhold")

    @staticmethod
    def transfer(call: PhoneCall, target_uri: str) -> None:
        """Blind transfer: REFER with Refer-To: target."""
        call.xfer(target_uri, pj.CallOpParam(True))

    @staticmethod
    def transfer_replacing(call: PhoneCall, consult: PhoneCall) -> None:
        """Attended transfer: REFER whose Refer-To names the consult call's far end with Replaces."""
        call.xferReplaces(consult, pj.CallOpParam(True))

    def send_quietly(self, n: int, number: str) -> PhoneCall:
        """An INVITE no screen shows (a feature code for the server); it is ended once answered."""
        call = self.make_call(n, number)
        call.quiet = True
        return call

    @staticmethod
    def hangup(call: PhoneCall) -> None:
        try:
            call.hangup(pj.CallOpParam())
        except pj.Error as exc:  # already gone
            log.info("hangup: %s", exc.info())
