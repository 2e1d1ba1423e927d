"""The LCD model: what the screen shows, as data.

A :class:`Frame` is what a camera would see: a status bar of icons, a title, a
few body lines (one may be highlighted) and the labels of the two soft keys.
The ``reference`` target reads it as JSON; the ``virtual-handset`` target
renders the same frame to an image.  Screens are small functions of the
phone's state that return a Frame.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

# Icon names of manual §1.2 (the icons exist only as pictures in the manual).
ICONS = (
    "account_unregistered", "account_registering", "account_registered",
    "dnd", "auto_answer", "missed_call", "voicemail", "text_message", "mute",
    "speaker", "handset", "headset", "forward", "wifi_connected", "wifi_no_signal",
    "keypad_locked", "lte_no_signal", "lte_full", "battery",
)

# Keys of the manual's hardware table (§1.1), as the control API and relay maps name them.
KEYS = (
    "VOL_UP", "VOL_DOWN", "UP", "DOWN", "LEFT", "RIGHT", "SPEAKER", "OFFHOOK",
    "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "#",
    "PICKUP", "MUTE", "TRANSFER", "DELETE", "ONHOOK", "MESSAGE", "OK", "SOFT_LEFT", "SOFT_RIGHT",
)

LONG_PRESS_MS = 1500  # a key held this long is a long press (long # locks, long power switches off)


@dataclass
class Frame:
    screen: str                      # which screen this is ("standby", "dialing", "ringing" …)
    title: str = ""
    lines: list[str] = field(default_factory=list)
    softkeys: tuple[str, str] = ("", "")
    icons: list[str] = field(default_factory=list)
    selected: int | None = None      # index into lines of the highlighted line
    qr: str = ""                     # text of a QR code drawn in the body (§5.13), "" = none

    def as_dict(self) -> dict:
        d = asdict(self)
        d["softkeys"] = list(self.softkeys)
        return d

    def text(self) -> str:
        """Plain text, as an OCR of the whole screen would give it."""
        body = [f"{'>' if i == self.selected else ' '}{line}" for i, line in enumerate(self.lines)]
        return "\n".join([self.title, *body, f"{self.softkeys[0]:<12}{self.softkeys[1]:>12}"])
