"""Keypad lock (manual §4.1.4): the lock, its timer, its screens.

Settings (schema ``keypad_lock.*``, phone: Menu -> Basic Settings -> Keypad
Lock behind the unlock PIN; web: Features -> Keypad Lock): enable, type,
unlock PIN (factory ``admin``), auto-lock time 0-3600 s, emergency numbers
(comma list, at most 5).

Choices made where the manual leaves room (see also spec REQ-KLOCK-*):

* The lock engages only when it is enabled: by a long press of ``#`` on the
  idle screen, or by itself ``auto_lock_time`` seconds (> 0) after the phone
  is idle with no key pressed.  Turning the lock off (or a factory reset)
  unlocks.
* While locked the idle screen reads "Keypad locked", shows the keypad-locked
  icon (every screen does) and its soft keys become Emergency and Unlock.
  Those two always work; Emergency lists the emergency numbers to call.
* Keys each type locks (the Chinese manual is the authority): Menu key -- only
  the Menu soft key (which the locked idle screen has replaced by Unlock);
  Function keys -- navigation, OK, Message, Transfer and the soft keys; All
  keys -- everything but the digits, ``*``, ``#``, hands-free and volume (the
  handset has no separate account key, so none is kept).  A locked key opens
  the unlock prompt.
* Calls: a ringing or connected call is handled as usual under every type
  (off-hook / hands-free / Answer answer, Reject rejects).  With the Function
  keys or All keys type only the emergency numbers may be dialled; any other
  number sends nothing and asks for the PIN.  The Menu key type locks the menu
  only; calls are made as usual.
* Entering the settings with the factory PIN ``admin`` forces a change of PIN
  first (the new PIN may not be ``admin`` again).  The web page can set a new
  PIN at any time (a forgotten PIN, REQ-KLOCK-21).
"""
from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

from .input_method import MultiTapInput
from .lcd import Frame
from .ui import Screen

if TYPE_CHECKING:
    from .phone import Phone

FACTORY_PIN = "admin"
LOCKED_TEXT = "Keypad locked"
TICK_SECS = 0.1
NAVIGATION = {"UP", "DOWN", "LEFT", "RIGHT"}
FUNCTION_KEYS = NAVIGATION | {"OK", "MESSAGE", "TRANSFER", "SOFT_LEFT", "SOFT_RIGHT"}
ALL_KEYS_ACTIVE = set("0123456789*#") | {"SPEAKER", "VOL_UP", "VOL_DOWN"}


class KeypadLock:
    def __init__(self, phone: "Phone"):
        self.phone = phone
        self.locked = False
        self.idle_since = time.monotonic()
        self._timer: asyncio.TimerHandle | None = None
        self._settings: tuple | None = None     # (enabled, auto-lock time) the idle time counts under

    # -- settings --
    @property
    def enabled(self) -> bool:
        return bool(self.phone.config.get("keypad_lock.enable"))

    @property
    def kind(self) -> str:
        return str(self.phone.config.get("keypad_lock.type"))

    def lock(self) -> None:
        if self.enabled and not self.locked:
            self.locked = True

    def unlock(self) -> None:
        self.locked = False
        self.idle_since = time.monotonic()

    # -- auto lock: a loop timer that looks at the phone ten times a second --
    def start(self) -> None:
        if self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(TICK_SECS, self._tick)

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _idle(self) -> bool:
        from .ui import StandbyScreen
        p = self.phone
        return (not p.booting and p.session is None and not p.others
                and isinstance(p.ui.top(), StandbyScreen))

    def _tick(self) -> None:
        self._timer = asyncio.get_running_loop().call_later(TICK_SECS, self._tick)
        now = time.monotonic()
        if not self.enabled:
            self.locked = False
        if self.locked or not self._idle():
            self.idle_since = now
            return
        secs = int(self.phone.config.get("keypad_lock.auto_lock_time") or 0)
        if (self.enabled, secs) != self._settings:
            # Switched on or re-timed: the wait starts now, not at a key pressed long before.
            self._settings, self.idle_since = (self.enabled, secs), now
        if self.enabled and secs > 0 and now - max(self.idle_since, self.phone.last_key_at) >= secs:
            self.lock()

    # -- keys --
    def is_locked_key(self, key: str) -> bool:
        kind = self.kind
        if kind == "Menu key":
            return False   # the Menu soft key: the locked idle screen shows Unlock in its place
        if kind == "Function keys":
            return key in FUNCTION_KEYS
        return key not in ALL_KEYS_ACTIVE

    def intercept(self, ui, key: str, long: bool) -> bool:
        """Called first for every key; True when the lock took the key."""
        from .ui import BootScreen, CallScreen, MessageScreen, StandbyScreen
        top = ui.top()
        if not self.locked:
            if key == "#" and long and self.enabled and isinstance(top, StandbyScreen):
                self.lock()
                return True
            return False
        if isinstance(top, (CallScreen, MessageScreen, BootScreen, UnlockScreen, EmergencyScreen)):
            return False   # calls stay usable; the lock's own screens take their keys
        if isinstance(top, StandbyScreen):
            if key == "SOFT_LEFT":
                ui.push(EmergencyScreen(ui))
                return True
            if key == "SOFT_RIGHT" or (key == "#" and long):
                ui.push(UnlockScreen(ui))
                return True
        if key in ("VOL_UP", "VOL_DOWN"):
            return False
        if self.is_locked_key(key):
            ui.push(UnlockScreen(ui))
            return True
        return False

    def may_dial(self, number: str) -> bool:
        """Function keys / All keys: only emergency numbers while locked (the prompt opens otherwise)."""
        from .dialing import emergency_numbers
        if not self.locked or self.kind == "Menu key" or number in emergency_numbers(self.phone.config):
            return True
        ui = self.phone.ui
        if not isinstance(ui.top(), UnlockScreen):
            ui.push(UnlockScreen(ui, note="Emergency numbers only"))
        return False

    # -- screen --
    def decorate(self, frame: Frame, top) -> Frame:
        from .ui import StandbyScreen
        if not self.locked:
            return frame
        if "keypad_locked" not in frame.icons:
            frame.icons = [*frame.icons, "keypad_locked"]
        if isinstance(top, StandbyScreen):
            frame.lines = [*frame.lines[:1], LOCKED_TEXT]
            frame.softkeys = ("Emergency", "Unlock")
        return frame


# --- screens -----------------------------------------------------------------------------------------
class _PinEntry:
    """The PIN typed on a prompt (multi-tap, the factory PIN is letters)."""

    def __init__(self):
        self.input = MultiTapInput(mode="abc")

    def typed(self) -> str:
        self.input.tick()
        return self.input.text


class UnlockScreen(Screen):
    """Unlock PIN prompt: OK with the right PIN unlocks; a wrong PIN leaves the keypad locked."""

    name = "unlock"

    def __init__(self, ui, note: str = ""):
        super().__init__(ui)
        self.pin = _PinEntry()
        self.error = note

    def render(self):
        from .ui import editor_line
        lines = ["Unlock PIN:", editor_line(self.pin.input, secret=True)] + ([self.error] if self.error else [])
        return Frame(self.name, "Keypad Lock", lines, ("OK", "Back"), self.status_icons())

    def key(self, key, long):
        from .ui import DIGITS
        if key in DIGITS:
            self.pin.input.press(key)
        elif key == "DELETE":
            self.pin.input.delete()
        elif key in ("OK", "SOFT_LEFT"):
            if self.pin.typed() == self.phone.config["keypad_lock.pin"]:
                self.phone.keypad_lock.unlock()
                self.ui.pop()
                self.ui.message("Keypad Lock", ["Unlocked"])
            else:
                self.error = "Wrong PIN"
                self.pin = _PinEntry()
        elif key in ("SOFT_RIGHT", "ONHOOK"):
            self.ui.pop()


class EmergencyScreen(Screen):
    """Emergency soft key while locked: choose an emergency number and dial it."""

    name = "emergency"

    def __init__(self, ui):
        super().__init__(ui)
        self.index = 0

    def numbers(self) -> list[str]:
        from .dialing import emergency_numbers
        return emergency_numbers(self.phone.config)

    def render(self):
        numbers = self.numbers() or ["(no emergency number)"]
        return Frame(self.name, "Emergency", numbers, ("Dial", "Back"), self.status_icons(),
                     min(self.index, len(numbers) - 1))

    def key(self, key, long):
        numbers = self.numbers()
        if key in ("UP", "DOWN") and numbers:
            self.index = (self.index + (1 if key == "DOWN" else -1)) % len(numbers)
        elif key in ("OK", "SOFT_LEFT", "OFFHOOK", "SPEAKER") and numbers:
            mode = "speaker" if key != "OFFHOOK" else self.phone._default_mode()
            self.phone.dial(numbers[self.index], mode)
        elif key in ("SOFT_RIGHT", "ONHOOK"):
            self.ui.pop()


class LockPinScreen(UnlockScreen):
    """Menu -> Basic Settings -> Keypad Lock: the unlock PIN opens the settings."""

    name = "pin"

    def key(self, key, long):
        if key in ("OK", "SOFT_LEFT"):
            typed = self.pin.typed()
            if typed != self.phone.config["keypad_lock.pin"]:
                self.error = "Wrong PIN"
                self.pin = _PinEntry()
                return
            self.ui.pop()
            if typed == FACTORY_PIN:
                self.ui.push(change_pin_screen(self.ui))
            else:
                self.ui.push(settings_screen(self.ui))
            return
        super().key(key, long)


SETTINGS_KEYS = ["keypad_lock.enable", "keypad_lock.type", "keypad_lock.auto_lock_time", "keypad_lock.emergency"]


def settings_screen(ui):
    from .ui import FormScreen
    return FormScreen(ui, "Keypad Lock", SETTINGS_KEYS)


def change_pin_screen(ui):
    """The factory PIN must be changed before the settings open."""
    from .ui import FormScreen, MessageScreen

    class ChangePinScreen(FormScreen):
        name = "change_pin"

        def render(self):
            frame = super().render()
            frame.lines = ["Change the factory PIN", *frame.lines]
            frame.selected = (frame.selected or 0) + 1
            return frame

        def _save(self):
            from .phone import ConfigRejected
            self._commit_editor()
            new = self.values["keypad_lock.pin"].strip()
            if new == FACTORY_PIN or not new:
                self.error = "Choose a PIN other than admin"
                return
            try:
                self.phone.apply_config({"keypad_lock.pin": new}, where="phone")
            except ConfigRejected as exc:
                self.error = exc.problems[0]
                return
            self.ui.pop()
            self.ui.push(settings_screen(self.ui))
            self.ui.push(MessageScreen(self.ui, "Keypad Lock", ["PIN changed"]))

    screen = ChangePinScreen(ui, "Change PIN", ["keypad_lock.pin"])
    return screen


def menu_screen(ui, title):
    """The menu leaf: the PIN prompt first."""
    return LockPinScreen(ui)
