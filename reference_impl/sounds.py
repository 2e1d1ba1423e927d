"""What the reference H680 plays (§4.2.2-§4.2.4): ringtone, key tone and the 12 signal tones.

The reference phone has no loudspeaker the bench could record, so it reports what it plays: the
control API ``GET /control/sounds`` gives the ringtone while a call rings, each key tone (one per
key press while key tone is on) and the signal tones sounding now with their definitions.  On a
real handset the same checks are made with a microphone at the speaker.

A tone definition is a cadence of ``frequency/milliseconds`` elements separated by commas:
``450/350,0/350`` is 450 Hz for 350 ms then silence for 350 ms, repeated.  A frequency of 0 is
silence; two frequencies are mixed with ``+`` (``350+440``); an element with no ``/ms`` sounds
without end (a steady dial tone is just ``450``).  Frequencies are 200..4000 Hz, durations
10..60000 ms, at most 8 elements (interpretations: the manual gives the 450 Hz standard only).
"""
from __future__ import annotations

import re
import time
from collections import deque

TONE_TYPES: tuple[tuple[str, str], ...] = (
    ("dial", "Dial Tone"), ("second_dial", "Second Dial Tone"), ("ringback", "Ring Back Tone"),
    ("busy", "Busy Tone"), ("congestion", "Congestion Tone"), ("call_waiting", "Call Waiting Tone"),
    ("dial_recall", "Dial Recall Tone"), ("special_info", "Special Information Tone"),
    ("voicemail_prompt", "Voicemail Prompt Tone"), ("message_prompt", "Message Prompt Tone"),
    ("auto_answer", "Auto Answer Tone"), ("voicemail_callback", "Voicemail Call Back Tone"),
)

TONE_COUNTRIES = ("China", "United States", "United Kingdom", "Germany", "Custom")


def _set(dial, ringback, busy, congestion, waiting, stutter, special, message, short):
    return {"dial": dial, "second_dial": stutter, "ringback": ringback, "busy": busy,
            "congestion": congestion, "call_waiting": waiting, "dial_recall": stutter,
            "special_info": special, "voicemail_prompt": stutter, "message_prompt": message,
            "auto_answer": short, "voicemail_callback": stutter}


#: The standard sets (China: the manual's table, 450 Hz throughout; the others their national plans).
STANDARD_TONES: dict[str, dict[str, str]] = {
    "China": _set("450", "450/1000,0/4000", "450/350,0/350", "450/700,0/700", "450/400,0/4000",
                  "450/400,0/40", "450/100,0/100,450/100,0/100,450/100,0/400", "450/200,0/200,450/200,0/2000",
                  "450/500,0/60000"),
    "United States": _set("350+440", "440+480/2000,0/4000", "480+620/500,0/500", "480+620/250,0/250",
                          "440/300,0/10000", "350+440/100,0/100", "950/330,1400/330,1800/330,0/1000",
                          "440/200,0/200,440/200,0/2000", "440/500,0/60000"),
    "United Kingdom": _set("350+440", "400+450/400,0/200,400+450/400,0/2000", "400/375,0/375",
                           "400/400,0/350,400/225,0/525", "400/100,0/2500", "350+440/750,0/750",
                           "950/330,1400/330,1800/330,0/1000", "400/200,0/200,400/200,0/2000", "400/500,0/60000"),
    "Germany": _set("425", "425/1000,0/4000", "425/480,0/480", "425/240,0/240", "425/200,0/200,425/200,0/5000",
                    "425/100,0/40", "950/330,1400/330,1800/330,0/1000", "425/200,0/200,425/200,0/2000",
                    "425/500,0/60000"),
}

MIN_HZ, MAX_HZ = 200, 4000
MIN_MS, MAX_MS = 10, 60000
MAX_ELEMENTS = 8
_ELEMENT = re.compile(r"(\d+)(?:\+(\d+))?(?:/(\d+))?")


def tone_problem(text: str) -> str | None:
    """Why ``text`` is not a tone definition (see the module doc), or None."""
    parts = [p.strip() for p in str(text).split(",")]
    if not text or not all(parts):
        return "is empty or has an empty element (use freq/ms,freq/ms..., e.g. 450/350,0/350)"
    if len(parts) > MAX_ELEMENTS:
        return f"has {len(parts)} elements; at most {MAX_ELEMENTS}"
    for part in parts:
        m = _ELEMENT.fullmatch(part)
        if not m:
            return f"element {part!r} is not freq/ms (e.g. 450/350, 350+440/100, 0/350)"
        for hz in (m.group(1), m.group(2)):
            if hz is not None and hz != "0" and not MIN_HZ <= int(hz) <= MAX_HZ:
                return f"frequency {int(hz)} Hz is outside {MIN_HZ}..{MAX_HZ} Hz (0 = silence)"
        if m.group(3) is not None and not MIN_MS <= int(m.group(3)) <= MAX_MS:
            return f"duration {int(m.group(3))} ms is outside {MIN_MS}..{MAX_MS} ms"
    return None


def tone_set(config: dict) -> dict[str, str]:
    """The tones the phone plays: the country's standard set, or the Custom values."""
    country = config["tones.country"]
    if country == "Custom":
        return {key: str(config[f"tones.{key}"]) for key, _ in TONE_TYPES}
    return dict(STANDARD_TONES[country])


def main_frequency(definition: str) -> int:
    """The first sounding frequency of a definition (the pitch a listener notices)."""
    for part in definition.split(","):
        hz = int(_ELEMENT.fullmatch(part.strip()).group(1))
        if hz:
            return hz
    return 0


class PhoneSounds:
    """Key tones heard so far (the last 200) and what sounds now, for the control API."""

    def __init__(self, phone):
        self.phone = phone
        self.key_tones: deque = deque(maxlen=200)
        from .signal_tones import EventTones
        self.events = EventTones(phone)   # one-shot tones and the voice-mail waiting state (§4.2.4)

    def key_pressed(self, key: str) -> None:
        if self.phone.config.get("sounds.key_tone") and not self.phone.booting:
            self.key_tones.append({"key": key, "at": time.time()})

    def signal_tones(self) -> list[str]:
        """The signal tones sounding now, from the phone's state."""
        from .ui import DialScreen, MessageScreen
        p = self.phone
        out = []
        top = p.ui.top()
        s = p.session
        ev = self.events
        out += ev.one_shots()   # message prompt, auto answer (signal_tones.py)
        if isinstance(top, DialScreen) and top.name in ("transfer", "conference_dial") and not top.digits:
            out.append("second_dial")
        elif isinstance(top, DialScreen) and top.mode is not None and not top.digits:
            out.append("voicemail_prompt" if ev.voicemail_waiting() else "dial")
        if s is not None and s.direction == "out" and s.state == "EARLY" and not s.connected:
            out.append("voicemail_callback" if ev.calling_voicemail(s) else "ringback")
        if isinstance(top, MessageScreen) and type(top) is MessageScreen:
            if top.title == "Busy":
                out.append("busy")
            elif top.title in ("Unavailable", "Network busy"):
                out.append("congestion")
            elif top.title in ("Not found", "Incomplete number"):
                out.append("special_info")
        if getattr(top, "name", "") == "auto_redial" and p.auto_redial is not None and p.auto_redial.pending:
            out.append("dial_recall")
        if s is not None and s.connected and any(o.waiting for o in p.others) and p.config["call_waiting.tone"]:
            out.append("call_waiting")
        return out

    def report(self) -> dict:
        p = self.phone
        s = p.session
        ringing = s is not None and s.direction == "in" and s.answered_at is None and not s.rejected
        tones = tone_set(p.config)
        return {
            "ringtone": p.config["sounds.ringtone"] if ringing else None,
            "key_tone": bool(p.config["sounds.key_tone"]),
            "key_tones": list(self.key_tones),
            "signal_tones": [{"type": t, "definition": tones[t]} for t in self.signal_tones()],
            "played_tones": list(self.events.played),   # one-shot tones, with the time each started
            "voicemail_waiting": self.events.voicemail_waiting(),
            "country": p.config["tones.country"],
        }


SPEAKER_RATE = 8000


def render(definition: str, seconds: float, rate: int = SPEAKER_RATE):
    """The sound of a tone definition, ``seconds`` long from the start of its cadence, as int16 PCM.

    What the phone's tone generator sends to its speaker; the bench analyses it like any audio
    (drivers/audio_analysis.py).  Level about -10 dBFS per tone (the manual's -10 dBm0).
    """
    import numpy as np
    elements = []
    for part in definition.split(","):
        m = _ELEMENT.fullmatch(part.strip())
        freqs = [int(f) for f in (m.group(1), m.group(2)) if f is not None and int(f)]
        elements.append((freqs, int(m.group(3)) if m.group(3) else None))
    total = int(seconds * rate)
    out = np.zeros(total, dtype=np.float64)
    pos = 0
    amplitude = 0.316 * 32767 / max(1, max(len(f) for f, _ in elements))
    while pos < total:
        for freqs, ms in elements:
            n = total - pos if ms is None else min(total - pos, ms * rate // 1000)
            t = (pos + np.arange(n)) / rate
            for hz in freqs:
                out[pos:pos + n] += amplitude * np.sin(2 * np.pi * hz * t)
            pos += n
            if pos >= total:
                break
    return out.astype(np.int16)


def speaker_output(phone, seconds: float) -> bytes:
    """The speaker's next ``seconds`` of sound: the first signal tone sounding now, else silence."""
    import numpy as np
    playing = phone.sounds.signal_tones()
    if not playing:
        return np.zeros(int(seconds * SPEAKER_RATE), dtype=np.int16).tobytes()
    return render(tone_set(phone.config)[playing[0]], seconds).tobytes()
