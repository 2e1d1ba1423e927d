"""When the reference H680 plays which signal tone (§4.2.4), beyond dial, ring-back, busy and call waiting.

The manual's table names each tone with one line of purpose and no trigger; the reference phone
reads them like this (interpretations):

* **Second dial** (二次拨号): the phone asks for a second number while a call waits on hold --
  the Transfer and Conference dialing screens with nothing typed yet.  It replaces the dial tone
  there (those screens had no tone before).
* **Congestion** (网络拥塞): the network or a trunk cannot carry the call -- the far end or a proxy
  answers the INVITE with 503 Service Unavailable, 502 Bad Gateway, 504 Server Time-out or
  500 Server Internal Error (a proxy may turn a downstream 503 into 500, RFC 3261 §16.7), and
  480 Temporarily Unavailable as before.  The LCD says "Network busy" for the 5xx ones.
* **Dial recall** (回拨提示音, "call-back state"): the phone waits to call again by itself -- an
  auto-redial run is pending (§5.9).  It sounds instead of the busy tone while the auto-redial
  prompt counts down.
* **Special information** (特殊信息): the number cannot be reached as dialled -- 404 Not Found,
  410 Gone, 484 Address Incomplete, 604 Does Not Exist Anywhere (the classic "number
  unobtainable" intercept).  404 used to count as congestion; it is special information now.
* **Voicemail prompt** (语音留言提示音, stutter): a voice message waits -- the last NOTIFY
  ``message-summary`` for the account said ``Messages-Waiting: yes`` (RFC 3842, sent
  unsolicited by the voice-mail server).  It replaces the dial tone when the phone goes off-hook,
  until a NOTIFY says ``no``.  The LCD shows the voice-mail icon meanwhile.
* **Voicemail call-back** (语言留言回拨, stutter dial): the phone is calling the voice mail back
  -- an outgoing call to the account's voice-mail number (the Message key, §3) rings out; it
  sounds instead of the ring-back tone.
* **Message prompt** (信息提示音): once, when a SIP MESSAGE (text message) arrives.
* **Auto answer** (自动应答): once, when auto answer takes a call (§5.10).

The last two are one-shot tones: they sound for one pass of their cadence without its trailing
silence (at least 200 ms; a definition without an end sounds 1 s), and every one-shot is also
kept in ``played`` (the last 50, with the time it started) so the bench can tell it sounded
even if it missed the moment.
"""
from __future__ import annotations

import re
import time
from collections import deque

NETWORK_BUSY = "Network busy"
END_TITLES = {500: NETWORK_BUSY, 502: NETWORK_BUSY, 503: NETWORK_BUSY, 504: NETWORK_BUSY,
              410: "Not found", 484: "Incomplete number", 604: "Not found"}
_PART = re.compile(r"(\d+)(?:\+(\d+))?(?:/(\d+))?")


def once_seconds(definition: str) -> float:
    """How long one pass of a cadence sounds, without its trailing silence."""
    total = sounding_end = 0
    for part in definition.split(","):
        m = _PART.fullmatch(part.strip())
        if m is None:
            return 1.0
        if m.group(3) is None:          # no end: a steady tone
            return max(1.0, total / 1000)
        total += int(m.group(3))
        if int(m.group(1)) or (m.group(2) and int(m.group(2))):
            sounding_end = total
    return max(0.2, sounding_end / 1000)


def parse_message_summary(body: str) -> bool | None:
    """``Messages-Waiting`` of an RFC 3842 body: True, False, or None when it has none."""
    m = re.search(r"^\s*messages-waiting\s*:\s*(yes|no)\s*$", body or "", re.I | re.M)
    return None if m is None else m.group(1).lower() == "yes"


class EventTones:
    """Tones started by events (one-shots) and the voice-mail waiting state."""

    def __init__(self, phone):
        self.phone = phone
        self.voicemail: dict[int, bool] = {}          # account -> a message waits
        self.sounding: list[tuple[str, str, float]] = []   # (type, definition, until)
        self.played: deque = deque(maxlen=50)

    # --- events -------------------------------------------------------------
    def play_once(self, kind: str) -> None:
        from .sounds import tone_set
        definition = tone_set(self.phone.config)[kind]
        now = time.time()
        self.sounding.append((kind, definition, now + once_seconds(definition)))
        self.played.append({"type": kind, "definition": definition, "at": now})

    def message_summary(self, account: int, body: str) -> None:
        waiting = parse_message_summary(body)
        if waiting is not None:
            self.voicemail[account] = waiting

    # --- state --------------------------------------------------------------
    def voicemail_waiting(self, account: int | None = None) -> bool:
        if account is None:
            account = self.phone.active_account
        return bool(self.voicemail.get(account))

    def one_shots(self) -> list[str]:
        now = time.time()
        self.sounding = [t for t in self.sounding if t[2] > now]
        return [kind for kind, _, _ in self.sounding]

    def calling_voicemail(self, session) -> bool:
        number = str(self.phone.config.get(f"voicemail.account{session.account}", "") or "")
        return bool(number) and session.number == number

    def forget(self) -> None:
        """Boot (factory reset, reboot): no message waits any more, nothing sounds or has sounded."""
        self.voicemail.clear()
        self.sounding.clear()
        self.played.clear()
