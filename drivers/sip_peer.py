"""Far-end soft phones ("B", "C" … in the manual's call flows) built on pjsua2.

Why the shape:

* pjsua2 allows one ``Endpoint`` per process and aborts the process when it is
  called from a thread it does not know.  So a ``SipPeerHost`` owns one
  dedicated thread that creates the Endpoint, polls ``libHandleEvents`` and runs
  every pjsua2 call.  Step code (any other thread) hands it closures through a
  queue and waits for their result with a timeout (``SipPeerHost.submit``).
* Callbacks run in that thread and only write plain Python records
  (``CallInfo``, ``Message``, events) under a lock; readers get copies.  No
  pjsua2 object ever leaves the thread, so none is ever destroyed elsewhere.
* A ``Call`` object must stay referenced while the call lives (dropping it makes
  pjsua2 answer 603) and must not be deleted inside its own callback, so a
  finished call is parked and released by the loop after the callback returns.
* Each peer has its own transport and account bound to the host's 127.0.0.x
  address (SIP and RTP alike), so the compile-time limits of the wheel give at
  most 8 peers and 4 concurrent calls per host (per process).
* Blame is kept apart: a peer or bench problem raises ``LabError``; waiting in
  vain for something the phone under test should do raises ``PhoneFailure``.
"""
from __future__ import annotations

import atexit
import concurrent.futures
import ctypes
import dataclasses
import queue
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, TypeVar

import pjsua2 as pj

import numpy as np

from .errors import LabError, PhoneFailure
from .peer_audio import AudioSink, ToneSource
from reference_impl.sip_engine import set_codecs
from .wait import WaitTimeout, wait_until

T = TypeVar("T")

MAX_PEERS = 8            # the wheel's compile-time limit of accounts (and transports) per process
MAX_CALLS = 4            # the wheel's compile-time limit of concurrent calls per process
_POLL_MS = 10            # how long libHandleEvents may block: the latency of a queued job
_SHUTDOWN_GRACE = 1.0    # seconds to let BYEs and un-REGISTERs go out when stopping

_STATE_NAMES = {
    pj.PJSIP_INV_STATE_NULL: "NULL",
    pj.PJSIP_INV_STATE_CALLING: "CALLING",
    pj.PJSIP_INV_STATE_INCOMING: "INCOMING",
    pj.PJSIP_INV_STATE_EARLY: "EARLY",
    pj.PJSIP_INV_STATE_CONNECTING: "CONNECTING",
    pj.PJSIP_INV_STATE_CONFIRMED: "CONFIRMED",
    pj.PJSIP_INV_STATE_DISCONNECTED: "DISCONNECTED",
}
_MEDIA_STATUS_NAMES = {
    pj.PJSUA_CALL_MEDIA_NONE: "NONE",
    pj.PJSUA_CALL_MEDIA_ACTIVE: "ACTIVE",
    pj.PJSUA_CALL_MEDIA_LOCAL_HOLD: "LOCAL_HOLD",
    pj.PJSUA_CALL_MEDIA_REMOTE_HOLD: "REMOTE_HOLD",
    pj.PJSUA_CALL_MEDIA_ERROR: "ERROR",
}
_MEDIA_DIR_NAMES = {0: "inactive", 1: "sendonly", 2: "recvonly", 3: "sendrecv"}
# RFC 3261 §7.3.3 compact header names, expanded so steps can look up the long form.
_COMPACT_HEADERS = {
    "i": "Call-ID", "m": "Contact", "e": "Content-Encoding", "l": "Content-Length",
    "c": "Content-Type", "f": "From", "s": "Subject", "k": "Supported", "t": "To",
    "v": "Via", "r": "Refer-To", "b": "Referred-By", "o": "Event", "u": "Allow-Events",
    "x": "Session-Expires",
}
_NAME_ADDR = re.compile(r'^\s*(?:"(?P<quoted>[^"]*)"|(?P<plain>[^<"]*?))\s*<(?P<uri>[^>]*)>')


@dataclass
class CallInfo:
    """What a peer knows about one call: plain data, safe to read from any thread."""

    direction: str                      # "in" or "out"
    remote_uri: str = ""                # bare URI, without display name or brackets
    remote_display_name: str = ""
    local_uri: str = ""
    state: str = "NULL"                 # CALLING, INCOMING, EARLY, CONNECTING, CONFIRMED, DISCONNECTED
    last_status_code: int | None = None  # the last SIP status seen (180, 200, 486, 487, 603 …)
    last_reason: str = ""
    call_id: str = ""
    request_uri: str | None = None      # incoming only: Request-URI of the INVITE
    invite_headers: dict[str, str] = field(default_factory=dict)  # incoming only
    connected_at: float | None = None   # time.monotonic() of CONFIRMED
    ended_at: float | None = None       # time.monotonic() of DISCONNECTED
    media_active: bool = False          # audio stream ACTIVE (not held, not gone)
    media_status: str = "NONE"          # ACTIVE, LOCAL_HOLD, REMOTE_HOLD, NONE, ERROR
    media_dir: str = "inactive"         # sendrecv, sendonly, recvonly, inactive (pjsua2's view)
    states_seen: list[str] = field(default_factory=list)

    def copy(self) -> "CallInfo":
        return dataclasses.replace(self, invite_headers=dict(self.invite_headers),
                                   states_seen=list(self.states_seen))


@dataclass(frozen=True)
class Message:
    """A SIP MESSAGE a peer received."""

    from_uri: str
    text: str
    time: float                         # time.monotonic() of arrival
    to_uri: str = ""
    content_type: str = "text/plain"


def parse_sip_message(whole: str) -> tuple[str, dict[str, str]]:
    """Split a raw SIP request into its Request-URI and its headers.

    Header names are kept as sent, compact forms are expanded, folded lines are
    joined and repeated headers are joined with ", " (RFC 3261 §7.3.1).
    """
    head = whole.replace("\r\n", "\n").split("\n\n", 1)[0]
    lines = head.split("\n")
    parts = lines[0].split()
    request_uri = parts[1] if len(parts) >= 3 else ""
    headers: dict[str, str] = {}
    last: str | None = None
    for line in lines[1:]:
        if line[:1] in (" ", "\t") and last is not None:
            headers[last] += " " + line.strip()
            continue
        name, sep, value = line.partition(":")
        if not sep:
            continue
        name = name.strip()
        name = _COMPACT_HEADERS.get(name.lower(), name) if len(name) == 1 else name
        value = value.strip()
        existing = next((k for k in headers if k.lower() == name.lower()), None)
        if existing is None:
            headers[name] = value
            last = name
        else:
            headers[existing] += ", " + value
            last = existing
    return request_uri, headers


def split_name_addr(text: str) -> tuple[str, str]:
    """'"Alice" <sip:1001@h>' -> ("Alice", "sip:1001@h"); a bare URI has no name."""
    match = _NAME_ADDR.match(text)
    if not match:
        return "", text.strip()
    name = match.group("quoted") if match.group("quoted") is not None else match.group("plain")
    return (name or "").strip(), match.group("uri").strip()


def _pj_reason(exc: BaseException) -> str:
    """pjsua2 errors carry their text in ``reason``; str() of them is a SWIG proxy."""
    reason = getattr(exc, "reason", None)
    return str(reason) if reason else repr(exc)


# --------------------------------------------------------------------------- pjsua2 subclasses
# These live only inside the host thread; they forward every callback to the owning SipPeer.

class _Account(pj.Account):
    def __init__(self, peer: "SipPeer"):
        super().__init__()
        self.peer = peer

    def onRegState(self, prm):
        self.peer._guard("registration", self.peer._on_reg_state, prm)

    def onIncomingCall(self, prm):
        self.peer._guard("incoming_call", self.peer._on_incoming_call, prm)

    def onInstantMessage(self, prm):
        self.peer._guard("message", self.peer._on_message, prm)

    def onInstantMessageStatus(self, prm):
        self.peer._guard("message_status", self.peer._on_message_status, prm)


class _Call(pj.Call):
    def __init__(self, peer: "SipPeer", record: CallInfo, call_id: int = pj.PJSUA_INVALID_ID):
        super().__init__(peer._account, call_id)
        self.peer = peer
        self.record = record

    def onCallState(self, prm):
        self.peer._guard("call_state", self.peer._on_call_state, self)

    def onCallMediaState(self, prm):
        self.peer._guard("media", self.peer._on_media_state, self)

    def onCallTransferRequest(self, prm):
        self.peer._guard("transfer_request", self.peer._on_transfer_request, self, prm)

    def onCallTransferStatus(self, prm):
        self.peer._guard("transfer_status", self.peer._on_transfer_status, self, prm)

    def onDtmfDigit(self, prm):
        self.peer._guard("dtmf", self.peer._on_dtmf, self, prm)


# --------------------------------------------------------------------------- the host

class SipPeerHost:
    """One pjsua2 Endpoint in its own thread, hosting up to 8 peers."""

    _running: "SipPeerHost | None" = None   # pjsua2 allows one Endpoint per process
    _running_lock = threading.Lock()

    def __init__(self, ip: str = "127.0.0.1", log_path: Path | None = None):
        self.ip = ip
        self.log_path = Path(log_path) if log_path else None
        self.peers: dict[str, SipPeer] = {}
        self._jobs: queue.SimpleQueue[tuple[Callable[[], Any], concurrent.futures.Future]] = \
            queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._stopping = False
        self._start_error: BaseException | None = None
        self._ep: Any = None
        self._graveyard: list[_Call] = []   # finished calls, released outside their callbacks

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> None:
        """Start the pjsua2 thread and wait until the library is up."""
        if self._thread is not None:
            return
        with SipPeerHost._running_lock:
            if SipPeerHost._running is not None:
                raise LabError("sip peers", "a SipPeerHost already runs in this process "
                               "(pjsua2 allows one Endpoint per process); stop it first")
            SipPeerHost._running = self
        self._stopping = False
        self._start_error = None
        self._thread = threading.Thread(target=self._run, name=f"pjsua2-peers-{self.ip}",
                                        daemon=True)
        self._thread.start()
        if not self._ready.wait(10.0) or self._start_error is not None:
            error = self._start_error
            self.stop()
            raise LabError("sip peers", f"pjsua2 did not start on {self.ip}: "
                           f"{_pj_reason(error) if error else 'no answer within 10 s'}")
        atexit.register(self.stop)

    def stop(self) -> None:
        """Hang up every call, unregister, destroy the library and end the thread.

        Safe to call twice.  The peers keep their records (calls, messages, events)
        for the report, but can no longer act.
        """
        thread = self._thread
        if thread is None:
            return
        if threading.current_thread() is thread:
            raise LabError("sip peers", "stop() called from the pjsua2 thread itself")
        self._stopping = True
        thread.join(10.0)
        if thread.is_alive():   # keep the one-Endpoint guard: the old one may still be alive
            raise LabError("sip peers", "the pjsua2 thread did not stop within 10 s")
        self._thread = None
        self._ready.clear()
        self.peers.clear()
        atexit.unregister(self.stop)
        with SipPeerHost._running_lock:
            if SipPeerHost._running is self:
                SipPeerHost._running = None

    def __enter__(self) -> "SipPeerHost":
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive() and not self._stopping

    # -- the queue ---------------------------------------------------------------------------
    def submit(self, job: Callable[[], T], timeout: float = 5.0) -> T:
        """Run ``job`` in the pjsua2 thread and return its result (or raise its exception)."""
        if threading.current_thread() is self._thread:
            return job()
        if not self.running:
            raise LabError("sip peers", "the peer host is not running (start() it first)")
        future: concurrent.futures.Future = concurrent.futures.Future()
        self._jobs.put((job, future))
        try:
            return future.result(timeout)
        except concurrent.futures.TimeoutError:
            raise LabError("sip peers", f"the pjsua2 thread did not run a job within "
                           f"{timeout:.1f} s") from None

    # -- peers -------------------------------------------------------------------------------
    def add_peer(self, name: str, user: str, password: str, registrar: str,
                 registrar_port: int = 5060, transport: str = "udp",
                 display_name: str | None = None) -> "SipPeer":
        """Create a peer with its own transport and account (not registered yet)."""
        if name in self.peers:
            raise LabError(f"peer {name}", "a peer with this name already exists")
        if len(self.peers) >= MAX_PEERS:
            raise LabError(f"peer {name}", f"a host holds at most {MAX_PEERS} peers "
                           "(pjsua2's account and transport limits); start another process")
        if transport not in ("udp", "tcp"):
            raise LabError(f"peer {name}", f"transport must be 'udp' or 'tcp', not {transport!r}")
        peer = SipPeer(self, name, user, password, registrar, registrar_port, transport,
                       display_name)
        self.submit(peer._create)
        self.peers[name] = peer
        return peer

    # -- inside the pjsua2 thread -----------------------------------------------------------
    def _run(self) -> None:
        try:
            self._ep = self._create_endpoint()
        except BaseException as exc:  # report to start(), never crash the process
            self._start_error = exc
            self._ready.set()
            return
        self._ready.set()
        try:
            while not self._stopping:
                self._run_jobs()
                self._ep.libHandleEvents(_POLL_MS)
                self._graveyard.clear()
        finally:
            self._shutdown()

    def _create_endpoint(self) -> Any:
        # libCreate logs at level 5 before any config applies; quiet it down first.
        ctypes.CDLL(pj._pjsua2.__file__).pj_log_set_level(1)
        ep = pj.Endpoint()
        ep.libCreate()
        cfg = pj.EpConfig()
        cfg.uaConfig.threadCnt = 0
        cfg.uaConfig.mainThreadOnly = True
        cfg.uaConfig.maxCalls = MAX_CALLS
        cfg.uaConfig.userAgent = "h680-hil peer (pjsua2)"
        cfg.logConfig.consoleLevel = 1
        if self.log_path:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            cfg.logConfig.filename = str(self.log_path)
            cfg.logConfig.level = 5
            cfg.logConfig.msgLogging = True
        else:
            cfg.logConfig.level = 1
        cfg.medConfig.noVad = True        # keep RTP flowing, so media checks see packets
        cfg.medConfig.ecTailLen = 0
        ep.libInit(cfg)
        ep.audDevManager().setNullDev()
        set_codecs(ep)   # the same codecs as the phones: G.711 first, no vocoders
        ep.libStart()
        return ep

    def _run_jobs(self) -> None:
        while True:
            try:
                job, future = self._jobs.get_nowait()
            except queue.Empty:
                return
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(job())
            except BaseException as exc:
                future.set_exception(exc)

    def _shutdown(self) -> None:
        """Say goodbye on the wire (BYE, un-REGISTER) briefly, then destroy everything.

        A call that is still alive after the grace period (e.g. a BYE that gets no
        answer) is not deleted: deleting a live Call before libDestroy crashed the
        process once, so such calls (and the accounts) are handed to pjsua2 and
        leaked; libDestroy ends them itself.
        """
        ep = self._ep
        try:
            ep.hangupAllCalls()
            for peer in self.peers.values():
                peer._unregister_quietly()
            deadline = time.monotonic() + _SHUTDOWN_GRACE
            while time.monotonic() < deadline and any(p._busy_on_wire() for p in self.peers.values()):
                ep.libHandleEvents(_POLL_MS)
            self._graveyard.clear()
            stuck = any(p._calls for p in self.peers.values())
            for peer in self.peers.values():
                peer._release(leak=stuck)
        finally:
            try:
                ep.libDestroy(pj.PJSUA_DESTROY_NO_NETWORK)
            except Exception:
                pass
            self._graveyard.clear()
            self._ep = None
            del ep
            while True:  # anyone still waiting gets a clear answer instead of a timeout
                try:
                    _, future = self._jobs.get_nowait()
                except queue.Empty:
                    break
                if future.set_running_or_notify_cancel():
                    future.set_exception(LabError("sip peers", "the peer host was stopped"))


def _active_audio(call: Any) -> Any:
    """The call's audio media when it is flowing (host thread), else None."""
    try:
        info = call.getInfo()
    except Exception:
        return None
    for index, media in enumerate(info.media):
        if media.type == pj.PJMEDIA_TYPE_AUDIO and media.status == pj.PJSUA_CALL_MEDIA_ACTIVE:
            return call.getAudioMedia(index)
    return None


def _quietly(action: Callable[..., Any], *args: Any) -> None:
    try:
        action(*args)
    except Exception:
        pass


# --------------------------------------------------------------------------- a peer

class SipPeer:
    """One far-end soft phone: a transport, an account, its calls and messages."""

    def __init__(self, host: SipPeerHost, name: str, user: str, password: str, registrar: str,
                 registrar_port: int, transport: str, display_name: str | None):
        self.host = host
        self.name = name
        self.user = user
        self.password = password
        self.registrar = registrar
        self.registrar_port = registrar_port
        self.transport = transport
        self.display_name = display_name
        self._part = f"peer {name}"
        self._lock = threading.Lock()
        self._events: list[tuple[float, str, dict]] = []
        self._messages: list[Message] = []
        self._records: list[CallInfo] = []        # every call, oldest first
        self._incoming_taken = 0                  # incoming calls handed out by wait_for_incoming_call
        self._messages_taken = 0                  # messages handed out by wait_for_message
        self._auto_answer: int | None = None
        self._registered = False
        self._reg_seq = 0                         # count of registration outcomes seen
        self._reg_last: dict = {}
        self._msg_status_seq = 0
        self._msg_status_last: dict = {}
        self._contact_port = 0
        # pjsua2 objects: touched only in the host thread
        self._transport_id: int = -1
        self._account: _Account | None = None
        self._calls: list[_Call] = []             # live calls, oldest first
        self._buddies: dict[str, Any] = {}
        self._tone: ToneSource | None = None      # this peer's "microphone" (play_tone)
        self._sinks: list[AudioSink] = []         # used ears: dropped in the host thread only

    def __repr__(self) -> str:
        return f"<SipPeer {self.name} {self.uri} port {self._contact_port}>"

    # -- identity ----------------------------------------------------------------------------
    @property
    def _domain(self) -> str:
        return self.registrar if self.registrar_port == 5060 else \
            f"{self.registrar}:{self.registrar_port}"

    @property
    def uri(self) -> str:
        return f"sip:{self.user}@{self._domain}"

    @property
    def contact_port(self) -> int:
        return self._contact_port

    @property
    def contact_uri(self) -> str:
        """Where this peer can be reached directly, without a registrar."""
        suffix = ";transport=tcp" if self.transport == "tcp" else ""
        return f"sip:{self.user}@{self.host.ip}:{self._contact_port}{suffix}"

    def target_uri(self, target: str) -> str:
        """'1002' -> sip:1002@registrar; 'sip:…' passes; 'user@host' gets 'sip:'."""
        target = target.strip()
        if target.startswith(("sip:", "sips:", "<", '"')):
            return target
        if "@" in target:
            return f"sip:{target}"
        suffix = ";transport=tcp" if self.transport == "tcp" else ""
        return f"sip:{target}@{self._domain}{suffix}"

    # -- registration ------------------------------------------------------------------------
    def register(self, timeout: float = 5.0) -> None:
        """REGISTER with the registrar; LabError if it does not succeed in time."""
        seq = self._reg_seq
        self._do("register", lambda: self._account.setRegistration(True))
        outcome = self._wait_reg(seq, timeout, "register")
        if not self._registered:
            raise LabError(self._part, f"REGISTER to {self._domain} as {self.user} failed: "
                           f"{outcome.get('code')} {outcome.get('reason', '')}".rstrip())

    def unregister(self, timeout: float = 5.0) -> None:
        """Remove the binding (REGISTER with Expires: 0)."""
        if not self._registered:
            return
        seq = self._reg_seq
        self._do("unregister", lambda: self._account.setRegistration(False))
        self._wait_reg(seq, timeout, "unregister")
        if self._registered:
            raise LabError(self._part, f"un-REGISTER from {self._domain} failed: "
                           f"{self._reg_last.get('code')} {self._reg_last.get('reason', '')}")

    def is_registered(self) -> bool:
        return self._registered

    def _wait_reg(self, seq: int, timeout: float, what: str) -> dict:
        try:
            wait_until(lambda: self._reg_seq > seq, timeout, 0.01, what=f"{self.name} {what}")
        except WaitTimeout:
            raise LabError(self._part, f"{what}: no answer from the registrar "
                           f"{self._domain} ({self.transport}) within {timeout:.1f} s") from None
        return dict(self._reg_last)

    # -- calls -------------------------------------------------------------------------------
    def call(self, target: str, anonymous: bool = False,
             headers: dict[str, str] | None = None) -> None:
        """Send an INVITE to ``target`` (a number on the registrar, or a full SIP URI).

        ``anonymous`` hides the caller as RFC 3323 says: From
        ``sip:anonymous@anonymous.invalid`` and ``Privacy: id``.
        ``headers`` are added to the INVITE as they are (name -> value), e.g. the
        ``Alert-Info`` or ``Call-Info`` that marks an intercom call.
        """
        uri = self.target_uri(target)
        prm = pj.CallOpParam(True)
        if anonymous:
            prm.txOption.localUri = '"Anonymous" <sip:anonymous@anonymous.invalid>'
            privacy = pj.SipHeader()
            privacy.hName, privacy.hValue = "Privacy", "id"
            prm.txOption.headers.append(privacy)
        for name, value in (headers or {}).items():
            extra = pj.SipHeader()
            extra.hName, extra.hValue = name, value
            prm.txOption.headers.append(extra)

        def make() -> None:
            record = CallInfo(direction="out", remote_uri=split_name_addr(uri)[1])
            call = _Call(self, record)
            with self._lock:
                self._records.append(record)
            self._calls.append(call)
            try:
                call.makeCall(uri, prm)
            except Exception:
                self._calls.remove(call)
                with self._lock:
                    record.state = "DISCONNECTED"
                    record.ended_at = time.monotonic()
                raise
        self._do(f"call {uri}", make)

    def answer(self, code: int = 200, timeout: float = 5.0) -> None:
        """Answer the ringing incoming call with ``code`` (waits up to ``timeout`` for it)."""
        self._respond(code, timeout, "answer")

    def reject(self, code: int = 486, timeout: float = 5.0) -> None:
        """Refuse the ringing incoming call (486 Busy Here, 603 Decline …)."""
        self._respond(code, timeout, "reject")

    def hangup(self) -> None:
        """End the current call: CANCEL if still ringing out, BYE if connected, 603 if ringing in."""
        self._on_current_call("hang up", lambda call: call.hangup(pj.CallOpParam(True)))

    def hold(self) -> None:
        self._on_current_call("hold", lambda call: call.setHold(pj.CallOpParam(True)))

    def unhold(self) -> None:
        def resume(call: _Call) -> None:
            prm = pj.CallOpParam(True)
            prm.opt.flag = pj.PJSUA_CALL_UNHOLD
            call.reinvite(prm)
        self._on_current_call("unhold", resume)

    def transfer(self, target: str) -> None:
        """Blind transfer of the current call to ``target`` (REFER)."""
        uri = self.target_uri(target)
        self._on_current_call(f"transfer to {uri}",
                              lambda call: call.xfer(uri, pj.CallOpParam(True)))

    def set_auto_answer(self, code: int | None) -> None:
        """Answer every incoming call at once with ``code``; None lets it ring (180)."""
        self._auto_answer = code

    def wait_for_incoming_call(self, timeout: float = 5.0) -> CallInfo:
        """The next incoming call not yet handed out by this method."""
        def arrived() -> CallInfo | None:
            with self._lock:
                incoming = [r for r in self._records if r.direction == "in"]
                if len(incoming) > self._incoming_taken:
                    self._incoming_taken += 1
                    return incoming[self._incoming_taken - 1].copy()
            return None
        try:
            return wait_until(arrived, timeout, 0.01, what=f"incoming call at {self.name}")
        except WaitTimeout:
            raise PhoneFailure(f"{self.name} ({self.uri}) received no call within "
                               f"{timeout:.1f} s") from None

    def wait_for_call_state(self, state: str, timeout: float = 5.0) -> CallInfo:
        """Wait until the most recent call has reached ``state`` (now or earlier)."""
        state = state.upper()
        if state not in _STATE_NAMES.values():
            raise LabError(self._part, f"unknown call state {state!r}")

        def reached() -> CallInfo | None:
            record = self.last_call
            return record if record is not None and state in record.states_seen else None
        try:
            return wait_until(reached, timeout, 0.01, what=f"{self.name} call {state}")
        except WaitTimeout:
            last = self.last_call
            seen = f"{last.state}, last status {last.last_status_code}" if last else "no call"
            raise PhoneFailure(f"{self.name}'s call did not reach {state} within {timeout:.1f} s "
                               f"(now: {seen})") from None

    @property
    def call_state(self) -> str:
        """State of the current call, or "IDLE" when there is none."""
        with self._lock:
            live = [r for r in self._records if r.state != "DISCONNECTED"]
            return live[-1].state if live else "IDLE"

    @property
    def last_call(self) -> CallInfo | None:
        with self._lock:
            return self._records[-1].copy() if self._records else None

    @property
    def calls(self) -> list[CallInfo]:
        """Every call of this peer, oldest first."""
        with self._lock:
            return [r.copy() for r in self._records]

    # -- audio -------------------------------------------------------------------------------
    @property
    def tone_hz(self) -> int | None:
        return self._tone.hz if self._tone is not None else None

    def play_tone(self, hz: int | None) -> None:
        """From now on this peer "speaks" a steady ``hz`` tone on its calls (None: silence again)."""
        def start() -> None:
            old, self._tone = self._tone, (ToneSource(hz) if hz else None)
            devices = self.host._ep.audDevManager()
            for call in self._calls:
                audio = _active_audio(call)
                if audio is not None:
                    _quietly((old.media if old else devices.getCaptureDevMedia()).stopTransmit, audio)
                    (self._tone.media if self._tone else devices.getCaptureDevMedia()).startTransmit(audio)
        self._do(f"play a {hz} Hz tone" if hz else "stop its tone", start)

    def hear(self, seconds: float = 1.0, timeout: float = 5.0) -> np.ndarray:
        """What this peer's current call receives during ``seconds`` (16-bit samples at 16 kHz)."""
        def attach() -> tuple[AudioSink, Any] | None:
            call = next((c for c in reversed(self._calls) if c.record.state == "CONFIRMED"), None)
            audio = _active_audio(call) if call is not None else None
            if audio is None:
                return None
            sink = AudioSink(f"{self.name}-ear")
            self._sinks.append(sink)
            audio.startTransmit(sink)
            return sink, audio
        try:   # the call may still be setting up its media
            sink, audio = wait_until(lambda: self._do("listen", attach), timeout, 0.05,
                                     what=f"a call with active audio at {self.name}")
        except WaitTimeout:
            raise PhoneFailure(f"{self.name} has no call with active audio to listen to") from None
        try:
            wait_until(lambda: sink.seconds() >= seconds, timeout, 0.05,
                       what=f"{seconds} s of audio at {self.name}")
        except WaitTimeout:
            raise LabError(self._part, f"the call's audio stalled: {sink.seconds():.2f} s "
                                       f"in {timeout:.0f} s") from None
        finally:
            self._do("stop listening", lambda: _quietly(audio.stopTransmit, sink))
        return sink.samples()

    # -- messages ----------------------------------------------------------------------------
    def send_message(self, target: str, text: str, timeout: float = 5.0) -> int:
        """Send a SIP MESSAGE and return the final status the far end answered."""
        uri = self.target_uri(target)
        seq = self._msg_status_seq

        def send() -> None:
            buddy = self._buddies.get(uri)
            if buddy is None:
                cfg = pj.BuddyConfig()
                cfg.uri = uri
                cfg.subscribe = False
                buddy = pj.Buddy()
                buddy.create(self._account, cfg)
                self._buddies[uri] = buddy
            prm = pj.SendInstantMessageParam()
            prm.content = text
            buddy.sendInstantMessage(prm)
        self._do(f"MESSAGE to {uri}", send)
        try:
            wait_until(lambda: self._msg_status_seq > seq, timeout, 0.01,
                       what=f"answer to {self.name}'s MESSAGE")
        except WaitTimeout:
            raise PhoneFailure(f"no answer to {self.name}'s MESSAGE to {uri} within "
                               f"{timeout:.1f} s") from None
        return int(self._msg_status_last.get("code", 0))

    def wait_for_message(self, timeout: float = 5.0) -> Message:
        """The next MESSAGE not yet handed out by this method."""
        def arrived() -> Message | None:
            with self._lock:
                if len(self._messages) > self._messages_taken:
                    self._messages_taken += 1
                    return self._messages[self._messages_taken - 1]
            return None
        try:
            return wait_until(arrived, timeout, 0.01, what=f"MESSAGE at {self.name}")
        except WaitTimeout:
            raise PhoneFailure(f"{self.name} received no MESSAGE within {timeout:.1f} s") from None

    @property
    def messages(self) -> list[Message]:
        with self._lock:
            return list(self._messages)

    @property
    def events(self) -> list[tuple[float, str, dict]]:
        with self._lock:
            return list(self._events)

    # -- helpers for the caller's thread -----------------------------------------------------
    def _do(self, what: str, job: Callable[[], T]) -> T:
        """Run a pjsua2 job in the host thread; pjsua2 errors become this peer's LabError."""
        def guarded() -> T:
            if self._account is None:
                raise LabError(self._part, f"cannot {what}: the peer is not set up")
            try:
                return job()
            except (LabError, PhoneFailure):
                raise
            except Exception as exc:
                raise LabError(self._part, f"{what} failed: {_pj_reason(exc)}") from None
        return self.host.submit(guarded)

    def _respond(self, code: int, timeout: float, what: str) -> None:
        def ringing() -> bool:
            with self._lock:
                return any(r.direction == "in" and r.state in ("INCOMING", "EARLY")
                           for r in self._records)
        try:
            wait_until(ringing, timeout, 0.01, what=f"call ringing at {self.name}")
        except WaitTimeout:
            raise PhoneFailure(f"{self.name} cannot {what}: no call rang within "
                               f"{timeout:.1f} s") from None

        def respond() -> None:
            call = next((c for c in reversed(self._calls) if c.record.direction == "in"
                         and c.record.state in ("INCOMING", "EARLY")), None)
            if call is None:  # the caller gave up in between: the phone's doing
                raise PhoneFailure(f"{self.name} cannot {what}: the call stopped ringing")
            prm = pj.CallOpParam(True)
            prm.statusCode = code
            if code >= 300:
                call.hangup(prm)
            else:
                call.answer(prm)
        self._do(f"{what} with {code}", respond)

    def _on_current_call(self, what: str, action: Callable[[_Call], None]) -> None:
        def run() -> None:
            call = next((c for c in reversed(self._calls)
                         if c.record.state != "DISCONNECTED"), None)
            if call is None:
                with self._lock:
                    last = self._records[-1].copy() if self._records else None
                if last is None:
                    raise LabError(self._part, f"cannot {what}: this peer never had a call")
                raise PhoneFailure(f"{self.name} cannot {what}: its call already ended "
                                   f"(status {last.last_status_code} {last.last_reason})")
            action(call)
        self._do(what, run)

    # -- inside the host thread --------------------------------------------------------------
    def _create(self) -> None:
        ep = self.host._ep
        kind = pj.PJSIP_TRANSPORT_TCP if self.transport == "tcp" else pj.PJSIP_TRANSPORT_UDP
        tcfg = pj.TransportConfig()
        tcfg.port = 0
        tcfg.boundAddress = self.host.ip
        tcfg.publicAddress = self.host.ip
        try:
            self._transport_id = ep.transportCreate(kind, tcfg)
            self._contact_port = int(ep.transportGetInfo(self._transport_id).localName
                                     .rsplit(":", 1)[1])
            account = _Account(self)
            account.create(self._account_config())
        except Exception as exc:
            raise LabError(self._part, f"cannot create transport/account on {self.host.ip}: "
                           f"{_pj_reason(exc)}") from None
        self._account = account

    def _account_config(self) -> Any:
        cfg = pj.AccountConfig()
        cfg.idUri = (f'"{self.display_name}" <{self.uri}>' if self.display_name else self.uri)
        cfg.sipConfig.transportId = self._transport_id
        reg_uri = f"sip:{self._domain}"
        cfg.regConfig.registrarUri = reg_uri + (";transport=tcp" if self.transport == "tcp" else "")
        cfg.regConfig.registerOnAdd = False
        cfg.regConfig.retryIntervalSec = 0          # a failed REGISTER is reported, not retried
        cfg.sipConfig.authCreds.append(pj.AuthCredInfo("digest", "*", self.user, 0, self.password))
        cfg.natConfig.contactRewriteUse = 0         # loopback: no NAT to discover
        cfg.natConfig.viaRewriteUse = 0
        cfg.natConfig.sdpNatRewriteUse = 0
        cfg.mediaConfig.transportConfig.port = 0        # any free RTP port, none shared by peers
        cfg.mediaConfig.transportConfig.boundAddress = self.host.ip
        cfg.mediaConfig.transportConfig.publicAddress = self.host.ip
        return cfg

    def _guard(self, kind: str, handler: Callable[..., None], *args: Any) -> None:
        """An exception escaping a pjsua2 callback would abort the process: record it instead."""
        try:
            handler(*args)
        except Exception as exc:
            self._event("error", callback=kind, error=_pj_reason(exc))

    def _event(self, kind: str, **data: Any) -> None:
        with self._lock:
            self._events.append((time.monotonic(), kind, data))

    def _on_reg_state(self, prm: Any) -> None:
        code, expiration = int(prm.code), int(prm.expiration)
        outcome = {"code": code, "reason": str(prm.reason), "expires": expiration}
        with self._lock:
            self._registered = code // 100 == 2 and expiration > 0
            self._reg_last = outcome
            self._reg_seq += 1
            self._events.append((time.monotonic(), "registration", outcome))

    def _on_incoming_call(self, prm: Any) -> None:
        request_uri, headers = parse_sip_message(str(prm.rdata.wholeMsg))
        record = CallInfo(direction="in", request_uri=request_uri, invite_headers=headers)
        call = _Call(self, record, prm.callId)
        self._calls.append(call)                  # keep it referenced, or pjsua2 answers 603
        self._refresh(call)                       # readers see the record only once it is filled in
        with self._lock:
            self._records.append(record)
        self._event("incoming_call", remote_uri=record.remote_uri, call_id=record.call_id,
                    request_uri=request_uri)
        answer = pj.CallOpParam(True)
        answer.statusCode = self._auto_answer if self._auto_answer is not None else 180
        if answer.statusCode >= 300:
            call.hangup(answer)
        else:
            call.answer(answer)

    def _refresh(self, call: _Call) -> None:
        """Copy pjsua2's view of a call into its plain record."""
        info = call.getInfo()
        state = _STATE_NAMES.get(info.state, str(info.state))
        name, remote = split_name_addr(info.remoteUri)
        now = time.monotonic()
        with self._lock:
            record = call.record
            record.remote_uri, record.remote_display_name = remote, name
            record.local_uri = split_name_addr(info.localUri)[1]
            record.call_id = info.callIdString
            if int(info.lastStatusCode):
                record.last_status_code = int(info.lastStatusCode)
                record.last_reason = str(info.lastReason)
            record.state = state
            if not record.states_seen or record.states_seen[-1] != state:
                record.states_seen.append(state)
            if state == "CONFIRMED" and record.connected_at is None:
                record.connected_at = now
            if state == "DISCONNECTED":
                record.ended_at = now
                record.media_active = False
                record.media_status = "NONE"
                record.media_dir = "inactive"

    def _on_call_state(self, call: _Call) -> None:
        self._refresh(call)
        record = call.record
        self._event("call_state", state=record.state, status=record.last_status_code,
                    reason=record.last_reason, call_id=record.call_id)
        if record.state == "DISCONNECTED" and call in self._calls:
            self._calls.remove(call)
            self.host._graveyard.append(call)     # deleted by the loop, not inside this callback

    def _on_media_state(self, call: _Call) -> None:
        info = call.getInfo()
        for index, media in enumerate(info.media):
            if media.type != pj.PJMEDIA_TYPE_AUDIO:
                continue
            status = _MEDIA_STATUS_NAMES.get(media.status, str(media.status))
            if media.status == pj.PJSUA_CALL_MEDIA_ACTIVE:
                # Feed the null sound device both ways so the stream sends and drains RTP;
                # a peer that plays a tone sends that instead of the (silent) microphone.
                audio = call.getAudioMedia(index)
                devices = self.host._ep.audDevManager()
                source = self._tone.media if self._tone is not None else devices.getCaptureDevMedia()
                source.startTransmit(audio)
                audio.startTransmit(devices.getPlaybackDevMedia())
            with self._lock:
                call.record.media_status = status
                call.record.media_active = media.status == pj.PJSUA_CALL_MEDIA_ACTIVE
                call.record.media_dir = _MEDIA_DIR_NAMES.get(int(media.dir), str(media.dir))
            self._event("media", status=status, dir=call.record.media_dir,
                        call_id=call.record.call_id)
            break

    def _on_transfer_request(self, call: _Call, prm: Any) -> None:
        """We are being transferred: the new call gets its own record and Call object."""
        self._event("transfer_request", target=str(prm.dstUri), call_id=call.record.call_id)
        if prm.statusCode // 100 > 2:
            return
        record = CallInfo(direction="out", remote_uri=split_name_addr(str(prm.dstUri))[1])
        new_call = _Call(self, record)
        prm.newCall = new_call
        self._calls.append(new_call)
        with self._lock:
            self._records.append(record)

    def _on_transfer_status(self, call: _Call, prm: Any) -> None:
        """We transferred someone: once the far end reports success, leave the call (blind)."""
        code, final = int(prm.statusCode), bool(prm.finalNotify)
        self._event("transfer_status", status=code, reason=str(prm.reason), final=final,
                    call_id=call.record.call_id)
        if final and code // 100 == 2 and call.record.state != "DISCONNECTED":
            call.hangup(pj.CallOpParam(True))

    def _on_dtmf(self, call: _Call, prm: Any) -> None:
        """A DTMF digit the far end sent by RFC 2833 or SIP INFO (inband tones are only audio)."""
        method = {pj.PJSUA_DTMF_METHOD_RFC2833: "RFC2833",
                  pj.PJSUA_DTMF_METHOD_SIP_INFO: "SIP INFO"}.get(int(prm.method), str(prm.method))
        self._event("dtmf", digit=str(prm.digit), method=method, call_id=call.record.call_id)

    def _on_message(self, prm: Any) -> None:
        message = Message(from_uri=split_name_addr(str(prm.fromUri))[1], text=str(prm.msgBody),
                          time=time.monotonic(), to_uri=split_name_addr(str(prm.toUri))[1],
                          content_type=str(prm.contentType))
        with self._lock:
            self._messages.append(message)
            self._events.append((message.time, "message",
                                 {"from_uri": message.from_uri, "text": message.text}))

    def _on_message_status(self, prm: Any) -> None:
        outcome = {"to_uri": str(prm.toUri), "code": int(prm.code), "reason": str(prm.reason)}
        with self._lock:
            self._msg_status_last = outcome
            self._msg_status_seq += 1
            self._events.append((time.monotonic(), "message_status", outcome))

    def _unregister_quietly(self) -> None:
        """At shutdown: remove our binding so a later run's INVITE is not forked to a dead port."""
        if self._account is not None and self._registered:
            try:
                self._account.setRegistration(False)
            except Exception:
                self._registered = False

    def _busy_on_wire(self) -> bool:
        return bool(self._calls) or self._registered

    def _release(self, leak: bool = False) -> None:
        """Drop every pjsua2 object of this peer (host thread, before libDestroy).

        With ``leak`` the calls and the account are handed over to pjsua2 instead
        of deleted, because some call is still alive (see SipPeerHost._shutdown).
        """
        if leak:
            for call in self._calls:
                call.__disown__()
            if self._account is not None:
                self._account.__disown__()
        elif self._account is not None:
            self._calls.clear()
            try:
                self._account.shutdown()
            except Exception:
                pass
        self._calls.clear()
        self._buddies.clear()
        self._tone = None
        self._sinks.clear()
        self._account = None
