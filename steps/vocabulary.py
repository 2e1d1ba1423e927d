"""How the features name things, mapped to the names the drivers use."""
from __future__ import annotations

# Keys as the manual's hardware table (§1.1) names them.
KEY_NAMES = {
    "ok": "OK", "off-hook": "OFFHOOK", "hands-free": "SPEAKER", "on-hook": "ONHOOK", "mute": "MUTE",
    "delete": "DELETE", "up": "UP", "down": "DOWN", "left": "LEFT", "right": "RIGHT",
    "transfer": "TRANSFER", "message": "MESSAGE", "pickup": "PICKUP", "volume-up": "VOL_UP",
    "volume-down": "VOL_DOWN", "#": "#", "*": "*",
    **{str(d): str(d) for d in range(10)},
}

# Icons of §1.2 as the features name them.
ICON_NAMES = {
    "registered": "account_registered", "registering": "account_registering",
    "unregistered": "account_unregistered", "handset": "handset", "hands-free": "speaker",
    "headset": "headset", "missed call": "missed_call", "mute": "mute", "WiFi": "wifi_connected",
    "battery": "battery", "DND": "dnd", "auto answer": "auto_answer", "call forward": "forward",
    "text message": "text_message",
    "keypad lock": "keypad_locked",
    "voice mail": "voicemail",
}

MODES = {"handset": "handset", "hands-free": "speaker", "headset": "headset"}

SCREENS = {"standby": "standby", "dialing": "dialing", "ringing": "ringing", "incoming call": "ringing",
           "talking": "talking", "calling": "calling", "status": "status", "menu": "menu",
           "password": "password", "boot": "boot", "history": "history",
           "auto redial": "auto_redial", "QR code": "qr",
           "conference": "conference", "upgrading": "upgrading",
           "unlock PIN": "unlock", "keypad lock PIN": "pin", "change PIN": "change_pin",
           "emergency": "emergency", "form": "form"}


def key(name: str) -> str:
    try:
        return KEY_NAMES[name] if name in KEY_NAMES else KEY_NAMES[name.lower()]
    except KeyError:
        raise ValueError(f"unknown key {name!r} in the feature (allowed: {', '.join(KEY_NAMES)})") from None


def icon(name: str) -> str:
    try:
        return ICON_NAMES[name]
    except KeyError:
        raise ValueError(f"unknown icon {name!r} in the feature (allowed: {', '.join(ICON_NAMES)})") from None
