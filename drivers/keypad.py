"""The phone's keypad: one interface, a backend per target.

Steps press keys by the names of the manual's hardware table (``OFFHOOK``,
``SPEAKER``, ``SOFT_LEFT`` …).  The ``reference`` backend presses them through
the phone's control API; the hardware backends press them through a relay board.
"""
from __future__ import annotations

import time
from typing import Protocol

import requests

from .errors import LabError

DEFAULT_PRESS_MS = 100
LONG_PRESS_MS = 2000


class Keypad(Protocol):
    def press(self, key: str, duration_ms: int = DEFAULT_PRESS_MS) -> None: ...


class ControlApiKeypad:
    """Presses keys through the reference phone's control API."""

    def __init__(self, base_url: str, name: str = "phone"):
        self.base_url, self.name = base_url, name
        self.pressed: list[tuple[float, str, int]] = []

    def press(self, key: str, duration_ms: int = DEFAULT_PRESS_MS) -> None:
        try:
            resp = requests.post(self.base_url + "/control/key", json={"key": key, "duration_ms": duration_ms},
                                 timeout=10 + duration_ms / 1000)
        except requests.RequestException as exc:
            raise LabError(f"keypad of {self.name}", f"cannot press {key}: {exc}") from exc
        if resp.status_code != 200:
            raise LabError(f"keypad of {self.name}", f"key {key!r} refused: {resp.text}")
        self.pressed.append((time.time(), key, duration_ms))


def press_keys(keypad: Keypad, keys: list[str] | str) -> None:
    for key in keys:
        keypad.press(key)


def long_press(keypad: Keypad, key: str) -> None:
    keypad.press(key, LONG_PRESS_MS)
