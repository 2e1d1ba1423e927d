"""Programmable keys (manual §1.3 matrix: web only, REQ-MTX-10; §6.4.1 provisionable, REQ-PROV-11).

The manual lists "programmable keys" (可编程按键) as a web-only, provisionable
feature and mentions an "LDAP programmable key" (§4.3.3.1, REQ-LDAP-06) and
programmable keys set to Menu (§4.1.4, REQ-KLOCK-03), but not which keys are
programmable nor what they can do.  Choices made here:

* The H680 handset has two soft keys (§1.1 item 16) and no line/DSS keys, so
  the programmable keys are the two soft keys **of the idle screen**: key 1 is
  the left one (factory: History), key 2 the right one (factory: Menu).  On
  every other screen the soft keys keep their fixed meaning.
* Each key has a type, a value and a label (CFG ``programmable_key.N.type``,
  ``.value``, ``.label``; web Features -> Programmable keys; not on the phone).
  Types: None (blank, does nothing), Speed Dial (calls the value), DND
  (switches DND on/off), LDAP (the LDAP search screen), Contacts (local
  contacts), History, Menu, Redial (the last dialled number), Voice Mail (the
  account's voice-mail number, as the Message key).
* Speed Dial needs a number in its value (up to 32 characters: digits, ``*``,
  ``#``, ``+`` or a SIP user name); the other types ignore the value.
* The label is what the LCD shows above the key, up to 10 characters (what fits
  half of the soft-key bar); empty means the type's own name.
* While the keypad is locked the idle soft keys are Emergency and Unlock
  (§4.1.4), so a key programmed as Menu is locked with the Menu soft key.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .ui import Screen

KEY_COUNT = 2
LABEL_MAX = 10
VALUE_MAX = 32
SOFT_KEYS = ("SOFT_LEFT", "SOFT_RIGHT")   # key 1, key 2
KEY_TYPES = ("None", "Speed Dial", "DND", "LDAP", "Contacts", "History", "Menu", "Redial", "Voice Mail")
TYPE_LABELS = {"None": "", "Voice Mail": "Voicemail"}   # the rest show their type name
NEEDS_NUMBER = ("Speed Dial",)
_NUMBER = re.compile(r"[0-9A-Za-z*#+._-]{1,32}")
_FACTORY = {1: "History", 2: "Menu"}


def factory_type(n: int) -> str:
    return _FACTORY[n]


def label_of(config: dict, n: int) -> str:
    """What the LCD shows above programmable key ``n``."""
    kind = config[f"programmable_key.{n}.type"]
    return config[f"programmable_key.{n}.label"] or TYPE_LABELS.get(kind, kind)


def softkeys(config: dict) -> tuple[str, str]:
    return label_of(config, 1), label_of(config, 2)


def config_problems(v: dict) -> list[tuple[tuple[str, ...], str]]:
    """Rules between a key's fields: a speed dial needs a number it can dial."""
    out = []
    for n in range(1, KEY_COUNT + 1):
        p = f"programmable_key.{n}."
        kind, value = v[p + "type"], str(v[p + "value"])
        if kind in NEEDS_NUMBER and not _NUMBER.fullmatch(value):
            problem = "needs a number" if not value else f"{value!r} is not a number to dial"
            out.append(((p + "value", p + "type"),
                        f"{p}value: {kind} {problem} (allowed: digits, * # + or a SIP user name, "
                        f"up to {VALUE_MAX} characters)"))
    return out


def press(screen: "Screen", key: str) -> bool:
    """A soft key pressed on the idle screen: True when its programmed action was done here.

    A key left at its factory type returns False, so the idle screen's own code handles it
    exactly as before.
    """
    if key not in SOFT_KEYS:
        return False
    n = SOFT_KEYS.index(key) + 1
    p = screen.phone
    kind = p.config[f"programmable_key.{n}.type"]
    if kind == _FACTORY[n]:
        return False
    action = _ACTIONS.get(kind)
    if action is not None:
        action(screen, str(p.config[f"programmable_key.{n}.value"]))
    return True


# --- the actions ---------------------------------------------------------------------------
def _speed_dial(screen, number: str) -> None:
    p = screen.phone
    if not p.dial(number, p._default_mode()):
        screen.ui.message("Speed Dial", ["Account not ready"])


def _dnd(screen, _value: str) -> None:
    """DND on or off, as Menu -> Features -> DND would set it (the active account in Custom mode)."""
    from .phone import ConfigRejected
    p = screen.phone
    key = "dnd.enable" if p.config["dnd.mode"] == "Phone" else f"dnd.account{p.active_account}"
    on = not p.config[key]
    try:
        p.apply_config({key: "1" if on else "0"}, where="phone")
        text = "DND on" if on else "DND off"
    except ConfigRejected as exc:
        text = exc.problems[0]
    screen.ui.message("DND", [text])


def _ldap(screen, _value: str) -> None:
    if not screen.phone.config["ldap.enable"]:
        screen.ui.message("LDAP", ["LDAP is disabled"])
        return
    from .ldap_screens import LdapSearchScreen
    screen.ui.push(LdapSearchScreen(screen.ui))


def _contacts(screen, _value: str) -> None:
    from .directory_screens import local_contacts
    screen.ui.push(local_contacts(screen.ui, "Local contacts"))


def _history(screen, _value: str) -> None:
    from .directory_screens import history
    screen.phone.clear_missed()
    screen.ui.push(history(screen.ui, "History"))


def _menu(screen, _value: str) -> None:
    from .ui import MENU, MenuScreen
    screen.ui.push(MenuScreen(screen.ui, MENU))


def _redial(screen, _value: str) -> None:
    p = screen.phone
    if not p.redial(p._default_mode()):
        screen.ui.message("Redial", ["No number to redial"])


def _voice_mail(screen, _value: str) -> None:
    problem = screen.phone.dial_service_code("MESSAGE")
    if problem:
        screen.ui.message("Voice Mail", [problem])


_ACTIONS = {"Speed Dial": _speed_dial, "DND": _dnd, "LDAP": _ldap, "Contacts": _contacts,
            "History": _history, "Menu": _menu, "Redial": _redial, "Voice Mail": _voice_mail}
