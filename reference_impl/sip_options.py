"""Account and SIP-stack options of the manual's provisionable list (§6.4.1, REQ-PROV-10):
DTMF, User Agent, heartbeat service and STUN / NAT.

All of them are web and CFG/provisioning settings only: the §1.3 matrix keeps NAT and DTMF off
the phone's account menus (REQ-MTX-05) and STUN off its network menus (REQ-MTX-06).  Choices the
manual leaves open, made here and kept in one place:

* **DTMF** is per account (``account.N.dtmf_mode``): ``RFC2833`` (factory default; named-telephone
  events in RTP), ``SIP INFO`` (one INFO request per key) or ``Inband`` (the two tones in the
  call's audio, 250 ms per key).  ``account.N.dtmf_payload`` is the telephone-event payload type
  this phone offers in its SDP, 96..127, default 101.  When this phone *answers* an offer it keeps
  the offerer's payload type, as RFC 3264 asks of an answerer.
* **User Agent** (``sip.user_agent``) is the ``User-Agent`` header of every SIP request; empty
  means the factory value "model firmware mac".  The SIP stack takes it when it starts, so a new
  value takes effect after a reboot (the web page says so).
* **Heartbeat** is per account (``account.N.heartbeat``, ``account.N.heartbeat_interval`` in
  seconds, 1..3600, default 30): while the account is in use, the phone sends an out-of-dialog
  SIP OPTIONS to its registrar server every interval (as many H680-class phones do to keep NAT
  bindings open and to see that the server is alive).  The first one goes one interval after the
  account is applied.
* **NAT** (``sip.nat``) is Disabled, STUN or Static.  Static puts ``sip.nat_address`` in the Via
  sent-by and the Contact of what the phone sends (REQ-SIP-12); STUN asks the server
  ``network.stun.server`` (``host[:port]``, port 3478 if left out) for the mapped address of the
  SIP socket and uses that.  Requests still leave from the local SIP port (REQ-SIP-13).  The SIP
  transport learns its public address when it is created, so NAT changes take effect after a
  reboot, like the local SIP port.  The SDP keeps the local media address.
"""
from __future__ import annotations

import asyncio
import ctypes
import logging
import re
from dataclasses import dataclass

import pjsua2 as pj

log = logging.getLogger(__name__)

DTMF_MODES = ("RFC2833", "SIP INFO", "Inband")
NAT_MODES = ("Disabled", "STUN", "Static")
STUN_DEFAULT_PORT = 3478
INBAND_ON_MS, INBAND_OFF_MS = 250, 50
_TE_RTPMAP = re.compile(r"^a=rtpmap:(\d+) telephone-event/8000", re.M)
_PJ_METHODS = {"RFC2833": pj.PJSUA_DTMF_METHOD_RFC2833, "SIP INFO": pj.PJSUA_DTMF_METHOD_SIP_INFO}


def rule_problems(v: dict) -> list[tuple[tuple[str, ...], str]]:
    """Rules between these settings (schema.rule_problems runs them)."""
    out = []
    if v.get("sip.nat") == "Static" and not v.get("sip.nat_address"):
        out.append((("sip.nat_address", "sip.nat"),
                    "sip.nat_address: NAT Static needs the public IPv4 address to put in Via and Contact"))
    if v.get("sip.nat") == "STUN" and not v.get("network.stun.server"):
        out.append((("network.stun.server", "sip.nat"),
                    "network.stun.server: NAT STUN needs a STUN server (host or host:port)"))
    return out


def renumber_payload(sdp: str, old: int, new: int) -> str:
    """``sdp`` with payload types ``old`` and ``new`` swapped in m= lines, rtpmap and fmtp."""
    if old == new:
        return sdp
    swap = {str(old): str(new), str(new): str(old)}

    def media_line(match: re.Match) -> str:
        head, formats = match.group(1), match.group(2).split()
        return head + " ".join(swap.get(f, f) for f in formats)

    sdp = re.sub(r"^(m=\S+ \S+ \S+ )([^\r\n]*)", media_line, sdp, flags=re.M)
    return re.sub(r"^(a=(?:rtpmap|fmtp):)(\d+)", lambda m: m.group(1) + swap.get(m.group(2), m.group(2)),
                  sdp, flags=re.M)


@dataclass(frozen=True)
class StackOptions:
    """What the SIP stack takes when it starts (a change needs a reboot)."""

    user_agent: str
    nat: str
    nat_address: str
    stun_server: str

    @classmethod
    def from_config(cls, config: dict, default_user_agent: str) -> "StackOptions":
        stun = str(config["network.stun.server"] or "")
        if stun and not re.search(r"(\]|^[^:]*):\d+$", stun):
            stun = f"{stun}:{STUN_DEFAULT_PORT}"
        return cls(user_agent=str(config["sip.user_agent"] or default_user_agent),
                   nat=str(config["sip.nat"]), nat_address=str(config["sip.nat_address"] or ""),
                   stun_server=stun if config["sip.nat"] == "STUN" else "")


class _PjStr(ctypes.Structure):
    _fields_ = [("ptr", ctypes.c_char_p), ("slen", ctypes.c_ssize_t)]


class _PjsipMethod(ctypes.Structure):
    _fields_ = [("id", ctypes.c_int), ("name", _PjStr)]


class PhoneSipOptions:
    """The phone's side of these options: hooks the SIP engine and the call screen call."""

    def __init__(self, phone):
        self.phone = phone
        self.started: StackOptions | None = None
        self.heartbeats: dict[int, asyncio.TimerHandle] = {}
        self.heartbeats_sent: dict[int, int] = {}
        self.inband: dict[int, tuple[object, pj.ToneGenerator]] = {}   # call id -> (call, tone maker)
        self.retired_tones: list[pj.ToneGenerator] = []   # freed in close(), before the library goes
        phone.engine.options = self
        self._lib = None

    def stack_options(self, config: dict | None = None) -> StackOptions:
        return StackOptions.from_config(config or self.phone.config, self.phone.identity.user_agent())

    # --- the stack at start: User Agent, STUN, static NAT ----------------------------------
    def endpoint_config(self, cfg: "pj.EpConfig") -> None:
        self.started = self.stack_options()
        cfg.uaConfig.userAgent = self.started.user_agent
        if self.started.stun_server:
            cfg.uaConfig.stunServer.append(self.started.stun_server)
            cfg.uaConfig.stunIgnoreFailure = True   # no STUN answer: the phone still works, without NAT

    def public_address(self, transport: str, ip: str) -> str:
        """The address the SIP transport publishes in Via and Contact ("" lets STUN find it)."""
        s = self.started
        if s is None or s.nat == "Disabled":
            return ip
        if s.nat == "Static":
            return s.nat_address
        return "" if transport == "UDP" else ip

    def account_config(self, cfg: "pj.AccountConfig") -> None:
        s = self.started
        if s is None or s.nat == "Disabled":
            return
        # The configured public address stays: no rewriting from the registrar's received/rport.
        cfg.natConfig.contactRewriteUse = 0
        cfg.natConfig.viaRewriteUse = 0
        if s.nat == "STUN":
            cfg.natConfig.sipStunUse = pj.PJSUA_STUN_USE_DEFAULT

    def restart_needed(self, config: dict) -> bool:
        """Would ``config`` start the SIP stack differently from how it runs now?"""
        return self.started is not None and self.stack_options(config) != self.started

    # --- DTMF ------------------------------------------------------------------------------
    def sdp_created(self, call, prm) -> None:
        """An SDP offer of this phone carries the account's telephone-event payload type."""
        if str(prm.remSdp.wholeSdp or "").strip():
            return   # an answer keeps the offerer's payload type
        n = self._account_of(call)
        sdp = str(prm.sdp.wholeSdp)
        match = _TE_RTPMAP.search(sdp)
        if n is None or match is None:
            return
        wanted = int(self.phone.config[f"account.{n}.dtmf_payload"])
        if int(match.group(1)) != wanted:
            prm.sdp.wholeSdp = renumber_payload(sdp, int(match.group(1)), wanted)

    def send_dtmf(self, session, digit: str) -> None:
        """A key pressed during a connected call goes to the far end by the account's DTMF mode."""
        mode = self.phone.config[f"account.{session.account}.dtmf_mode"]
        call = session.call
        try:
            if mode == "Inband":
                self._play_inband(call, digit)
                return
            prm = pj.CallSendDtmfParam()
            prm.method = _PJ_METHODS[mode]
            prm.digits = digit
            call.sendDtmf(prm)
        except pj.Error as exc:
            log.warning("DTMF %s (%s) not sent: %s", digit, mode, exc.info())

    def _play_inband(self, call, digit: str) -> None:
        aud = call.audio()
        if aud is None:
            return
        owner, gen = self.inband.get(call.getId(), (None, None))
        if owner is not call:   # call ids are reused: a tone maker belongs to one call object
            if gen is not None:
                self.retired_tones.append(gen)
            from .tones import RATE
            gen = pj.ToneGenerator()
            gen.createToneGenerator(RATE, 1)
            gen.startTransmit(aud)
            self.inband[call.getId()] = (call, gen)
        tone = pj.ToneDigit()
        tone.digit, tone.on_msec, tone.off_msec, tone.volume = digit, INBAND_ON_MS, INBAND_OFF_MS, 0
        digits = pj.ToneDigitVector()
        digits.append(tone)
        gen.playDigits(digits, False)

    def _account_of(self, call) -> int | None:
        return next((n for n, acc in self.phone.engine.accounts.items() if acc is call.account), None)

    # --- heartbeat -------------------------------------------------------------------------
    def account_applied(self, n: int) -> None:
        """Account ``n`` was (re)configured: its heartbeat starts over with the new settings."""
        handle = self.heartbeats.pop(n, None)
        if handle is not None:
            handle.cancel()
        c = self.phone.config
        if c[f"account.{n}.heartbeat"] and self.phone.account_settings(n).usable:
            self._schedule(n)

    def _schedule(self, n: int) -> None:
        interval = int(self.phone.config[f"account.{n}.heartbeat_interval"])
        self.heartbeats[n] = asyncio.get_running_loop().call_later(interval, self._beat, n)

    def _beat(self, n: int) -> None:
        self.heartbeats.pop(n, None)
        settings = self.phone.account_settings(n)
        if not (self.phone.config[f"account.{n}.heartbeat"] and settings.usable):
            return
        acc = self.phone.engine.accounts.get(n)
        if acc is not None:
            transport = ";transport=tcp" if settings.transport == "TCP" else ""
            self._send_options(acc.getId(), f"sip:{settings.server_hostport()}{transport}")
        self._schedule(n)

    def _send_options(self, acc_id: int, target: str) -> None:
        """An out-of-dialog OPTIONS from the account (pjsua_acc_create_request, sent stateful)."""
        lib = self._lib or ctypes.CDLL(pj._pjsua2.__file__)
        self._lib = lib
        lib.pjsua_acc_create_request.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.POINTER(_PjStr),
                                                 ctypes.POINTER(ctypes.c_void_p)]
        lib.pjsua_acc_create_request.restype = ctypes.c_int
        lib.pjsua_get_pjsip_endpt.restype = ctypes.c_void_p
        lib.pjsip_endpt_send_request.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int32,
                                                 ctypes.c_void_p, ctypes.c_void_p]
        lib.pjsip_endpt_send_request.restype = ctypes.c_int
        method = _PjsipMethod.in_dll(lib, "pjsip_options_method")
        raw = target.encode()
        text = _PjStr(ctypes.c_char_p(raw), len(raw))
        tdata = ctypes.c_void_p()
        status = lib.pjsua_acc_create_request(acc_id, ctypes.addressof(method), ctypes.byref(text),
                                              ctypes.byref(tdata))
        if status != 0:
            log.warning("heartbeat OPTIONS to %s not built (pj status %d)", target, status)
            return
        status = lib.pjsip_endpt_send_request(lib.pjsua_get_pjsip_endpt(), tdata, -1, None, None)
        if status != 0:
            log.warning("heartbeat OPTIONS to %s not sent (pj status %d)", target, status)

    def close(self) -> None:
        """Before the SIP library goes: timers off, tone makers freed while the library still runs."""
        for handle in self.heartbeats.values():
            handle.cancel()
        self.heartbeats.clear()
        self.retired_tones += [gen for _call, gen in self.inband.values()]
        self.inband.clear()
        self.retired_tones.clear()
