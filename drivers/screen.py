"""The phone's screen: one interface, a backend per target.

A ``ScreenState`` is what the harness saw: title, body lines, soft-key labels,
status icons.  Steps wait on it with a deadline (``wait_for``), and every
state used for a verdict is kept in ``seen`` as evidence.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Callable, Protocol

import requests

from .errors import LabError, PhoneFailure
from .wait import WaitTimeout, wait_until


# Curly quotes are straight ones drawn in another font (OCR reads either).
_PLAIN_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


@dataclass
class ScreenState:
    screen: str
    title: str
    lines: list[str]
    softkeys: tuple[str, str]
    icons: list[str]
    selected: int | None = None
    at: float = field(default_factory=time.time, compare=False)

    def text(self) -> str:
        return "\n".join([self.title, *self.lines, " | ".join(self.softkeys)])

    def shows(self, pattern: str) -> bool:
        """``pattern`` is on the screen, in one line or in a sentence the LCD broke over lines."""
        flowing = " ".join([self.title, *self.lines, *self.softkeys])
        return any(re.search(pattern, text.translate(_PLAIN_QUOTES), re.IGNORECASE)
                   for text in (self.text(), flowing))


class Screen(Protocol):
    def read(self) -> ScreenState: ...

    def picture(self) -> "np.ndarray":
        """The LCD as an image (grey, square-on): what a person or a smartphone camera looks at."""


class ControlApiScreen:
    """Reads the reference phone's LCD model through its control API."""

    def __init__(self, base_url: str, name: str = "phone"):
        self.base_url, self.name = base_url, name

    def read(self) -> ScreenState:
        try:
            d = requests.get(self.base_url + "/control/screen", timeout=5).json()
        except (requests.RequestException, ValueError) as exc:
            raise LabError(f"screen of {self.name}", f"cannot read the LCD: {exc}") from exc
        return ScreenState(d["screen"], d["title"], d["lines"], tuple(d["softkeys"]), d["icons"], d["selected"])

    def picture(self):
        """The LCD model drawn as the phone's LCD draws it (reference_impl.lcd_render)."""
        import numpy as np

        from reference_impl.lcd import Frame
        from reference_impl.lcd_render import render
        try:
            d = requests.get(self.base_url + "/control/screen", timeout=5).json()
        except (requests.RequestException, ValueError) as exc:
            raise LabError(f"screen of {self.name}", f"cannot read the LCD: {exc}") from exc
        d["softkeys"] = tuple(d["softkeys"])
        return np.asarray(render(Frame(**d)))


class ScreenWatcher:
    """Target-independent waits on a Screen, keeping what was seen as evidence."""

    def __init__(self, screen: Screen, name: str):
        self.screen, self.name = screen, name
        self.seen: list[ScreenState] = []

    def read(self) -> ScreenState:
        state = self.screen.read()
        if not self.seen or self.seen[-1].text() != state.text() or self.seen[-1].icons != state.icons:
            self.seen.append(state)
        return state

    def wait_for(self, predicate: Callable[[ScreenState], bool], what: str, timeout: float = 5.0,
                 stable_secs: float = 0.0) -> ScreenState:
        last: list[ScreenState] = []

        def check():
            state = self.read()
            last[:] = [state]
            return state if predicate(state) else None
        try:
            return wait_until(check, timeout, interval=0.05, stable_secs=stable_secs, what=what)
        except WaitTimeout:
            shown = last[0].text() if last else "(nothing read)"
            icons = last[0].icons if last else []
            raise PhoneFailure(f"{self.name}: the LCD never showed {what} within {timeout:.1f} s; "
                               f"it shows:\n{shown}\nicons: {icons}") from None

    def picture(self):
        return self.screen.picture()

    def wait_for_screen(self, name: str, timeout: float = 5.0) -> ScreenState:
        return self.wait_for(lambda s: s.screen == name, f"the {name} screen", timeout)

    def wait_for_text(self, pattern: str, timeout: float = 5.0) -> ScreenState:
        return self.wait_for(lambda s: s.shows(pattern), f"text matching {pattern!r}", timeout)

    def wait_for_icon(self, icon: str, present: bool = True, timeout: float = 5.0) -> ScreenState:
        what = f"the {icon} icon" if present else f"no {icon} icon"
        return self.wait_for(lambda s: (icon in s.icons) == present, what, timeout)
