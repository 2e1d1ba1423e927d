"""Intercom (manual §1.3 matrix: phone and web; §6.4.1: provisionable; REQ-MTX-08, REQ-PROV-11).

The manual names the feature and says where it is set, nothing more.  The
reference phone follows what SIP desk phones commonly do (Yealink, Fanvil,
Grandstream call the same four switches by the same names):

* An INVITE is an *intercom call* when the caller (or its PBX) marks it for
  automatic answer with one of the usual headers:
  ``Alert-Info: <...>;info=alert-autoanswer`` (also ``info=intercom`` and
  ``info=auto-answer``), ``Call-Info: <...>;answer-after=N`` or the RFC 5373
  ``Answer-Mode: Auto`` / ``Priv-Answer-Mode: Auto``.
* ``intercom.enable`` (on at the factory, as on those phones): an intercom
  call is answered at once, hands-free, with no key pressed.  Off: it rings
  like any other call.
* ``intercom.mute`` (off at the factory): the intercom call is answered with
  the microphone muted (the mute icon shows; the Mute key un-mutes).
* ``intercom.barge`` (off at the factory): an intercom call arriving during
  another call is answered too, and the current call goes on hold (as when a
  waiting call is answered).  Off: it is offered as a waiting call (§5.8), or
  refused busy when call waiting is off.
* The intercom tone some phones play before the answer is not modelled.
* DND, always forward, anonymous rejection and the blacklist still come first:
  an intercom call they refuse or send away is never answered.

Settings: web Features -> Intercom, phone Menu -> Features -> Intercom, CFG
``intercom.*`` (see schema ``_intercom``).
"""
from __future__ import annotations

import asyncio
import re
from typing import TYPE_CHECKING

from .call_features import Decision

if TYPE_CHECKING:
    from .phone import CallSession, Phone

ALERT_INFO_MARKERS = ("alert-autoanswer", "intercom", "auto-answer", "autoanswer")
_ANSWER_AFTER = re.compile(r";\s*answer-after\s*=\s*\d+", re.IGNORECASE)
_INFO = re.compile(r";\s*info\s*=\s*\"?([\w.-]+)", re.IGNORECASE)


def invite_headers(invite_text: str) -> list[tuple[str, str]]:
    """(name, value) of each header line of a SIP request, folded lines joined, in order."""
    head = invite_text.replace("\r\n", "\n").split("\n\n", 1)[0]
    out: list[tuple[str, str]] = []
    for line in head.split("\n")[1:]:   # the first line is the request line
        if line[:1] in (" ", "\t") and out:
            out[-1] = (out[-1][0], out[-1][1] + " " + line.strip())
        elif ":" in line:
            name, value = line.split(":", 1)
            out.append((name.strip(), value.strip()))
    return out


def intercom_marker(invite_text: str) -> str:
    """The header that makes this INVITE an intercom call (``"Alert-Info"`` …), or "" if none does."""
    for name, value in invite_headers(invite_text):
        low = name.lower()
        if low == "alert-info":
            infos = [m.group(1).lower() for m in _INFO.finditer(value)]
            if any(info in ALERT_INFO_MARKERS for info in infos):
                return name
        elif low == "call-info" and _ANSWER_AFTER.search(value):
            return name
        elif low in ("answer-mode", "priv-answer-mode") and value.split(";")[0].strip().lower() == "auto":
            return name
    return ""


def is_intercom(invite_text: str) -> bool:
    return bool(intercom_marker(invite_text))


def decide(config: dict, invite_text: str, decision: Decision) -> tuple[Decision, str]:
    """The call-feature decision, adjusted for an intercom call, and what intercom does with it.

    The second value is "answer" (answer at once), "barge" (answer over the current call) or ""
    (nothing: the call rings, waits or is refused as ``decision`` says).
    """
    if not config["intercom.enable"] or not is_intercom(invite_text):
        return decision, ""
    if decision.action == "ring":
        return decision, "answer"
    if config["intercom.barge"] and (decision.action == "waiting" or decision.reason == "busy_no_waiting"):
        return Decision("waiting"), "barge"
    return decision, ""


def answer_soon(phone: "Phone", session: "CallSession", how: str) -> None:
    """Answer the intercom call on the phone's loop, once the 180 is on its way."""
    if how:
        asyncio.get_running_loop().call_soon(_answer, phone, session, how)


def _answer(phone: "Phone", session: "CallSession", how: str) -> None:
    if session.answered_at is not None or session.rejected or session.call.state == "DISCONNECTED":
        return
    if how == "answer" and phone.session is not session:
        return
    if how == "barge" and session not in phone.others:
        return
    if phone.config["intercom.mute"]:
        session.muted = True
        phone.engine.set_muted(session.call, True)   # the microphone never reaches the call
    if how == "barge":
        phone.answer_waiting()   # the current call goes on hold; the audio device stays as it was
        phone.ui.show_call()
    else:
        phone.answer("speaker")
    if session.muted:
        phone.urls.fire("mute", session)
