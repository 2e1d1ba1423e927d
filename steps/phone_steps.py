"""Steps about one phone: its keys, its screen, its menus, its account."""
from __future__ import annotations

import re
import time

from pytest_bdd import parsers, step

from drivers.errors import PhoneFailure
from drivers.keypad import long_press
from steps import vocabulary as vocab

PHONE = r"(?:phone )?(?P<name>[A-B])"


# --- set-up ---------------------------------------------------------------------------------
@step(parsers.re(rf"{PHONE} is at factory defaults"))
def at_factory_defaults(bench, name):
    dut = bench.dut(name)
    dut.wait_standby()
    dut.screen.wait_for_icon("account_unregistered")


@step(parsers.re(rf"the web UI of {PHONE} resets it to factory defaults"))
def web_factory_reset(bench, name):
    dut = bench.dut(name)
    dut.factory_reset()
    at_factory_defaults(bench, name)


@step(parsers.re(rf"{PHONE} is registered with its bench account(?: over (?P<transport>UDP|TCP))?"))
def registered(bench, name, transport):
    bench.provision(bench.dut(name), transport=transport or "UDP")


@step(parsers.re(r"phones A and B are registered with their bench accounts"))
def both_registered(bench):
    for name in ("A", "B"):
        bench.provision(bench.dut(name))


@step(parsers.re(rf"a headset is plugged into {PHONE}"))
def plug_headset(bench, name):
    bench.dut(name).accessories.plug_headset(True)


# --- keys -----------------------------------------------------------------------------------
@step(parsers.re(rf"{PHONE} presses the (?P<key>[\w#*-]+) key"))
def press_key(bench, name, key):
    bench.dut(name).press(vocab.key(key))


@step(parsers.re(rf"{PHONE} presses the (?P<key>[\w#*-]+) key (?P<times>\d+) times"))
def press_key_times(bench, name, key, times):
    for _ in range(int(times)):
        bench.dut(name).press(vocab.key(key))


@step(parsers.re(rf"{PHONE} long-presses the (?P<key>[\w#*-]+) key"))
def long_press_key(bench, name, key):
    long_press(bench.dut(name).keypad, vocab.key(key))


@step(parsers.re(rf'{PHONE} presses the "(?P<label>[^"]+)" soft key'))
def press_soft_key(bench, name, label):
    dut = bench.dut(name)
    state = dut.screen.wait_for(lambda s: label in s.softkeys, f'a "{label}" soft key')
    dut.press("SOFT_LEFT" if state.softkeys[0] == label else "SOFT_RIGHT")


@step(parsers.re(rf"{PHONE} types (?P<digits>[0-9*#]+)"))
def type_digits(bench, name, digits):
    bench.dut(name).press(*digits)


@step(parsers.re(rf"{PHONE} types the number of (?P<other>[A-D])"))
def type_number_of(bench, name, other):
    bench.dut(name).press(*bench.number_of(other))


# --- menus ----------------------------------------------------------------------------------
def select_line(dut, text: str):
    """Move the highlight with UP/DOWN to the line that starts with ``text``.

    The LCD shows a window of a longer list: a line not on screen is looked for by
    scrolling down (and wrapping round), as a person would.
    """
    state = dut.screen.read()
    for _ in range(40):
        matches = [i for i, line in enumerate(state.lines) if line.startswith(text)]
        if matches and state.selected == matches[0]:
            return state
        if matches:
            dut.press("DOWN" if (state.selected or 0) < matches[0] else "UP")
        else:
            dut.press("DOWN")
        state = dut.screen.read()
    raise PhoneFailure(f"{dut.name}: no line starting with {text!r} could be highlighted on the "
                       f"{state.screen} screen: {state.lines}")


LCD_BODY_LINES = 6    # a longer list is shown as a window of six around the highlight


def whole_list(dut, state=None) -> list[str]:
    """Every line of the list on the screen, top to bottom, however long.

    A full window with a highlight may be part of a longer list: DOWN is pressed until
    the highlight wraps round to where it started, as a person scrolls to see it all.
    """
    state = state or dut.screen.read()
    if len(state.lines) != LCD_BODY_LINES or state.selected is None:
        return state.lines
    start = (tuple(state.lines), state.selected)
    seen = [state.lines[state.selected]]
    top = 0                                  # where in ``seen`` the list's first line is
    for _ in range(1000):
        before = state.selected
        dut.press("DOWN")
        state = dut.screen.read()
        if state.selected is None:
            raise PhoneFailure(f"{dut.name}: the highlight left the list while scrolling it: {state.lines}")
        if (tuple(state.lines), state.selected) == start:
            return seen[top:] + seen[:top]
        if state.selected < before:          # wrapped from the last line back to the first
            top = len(seen)
        seen.append(state.lines[state.selected])
    raise PhoneFailure(f"{dut.name}: scrolling never came back round to the start of the list")


@step(parsers.re(rf'{PHONE} opens "(?P<path>[^"]+)" from the menu'))
def open_menu_path(bench, name, path):
    """A path like "Account > Account 1"; the Menu soft key is pressed first."""
    dut = bench.dut(name)
    press_soft_key(bench, name, "Menu")
    for item in [p.strip() for p in path.split(">")]:
        select_line(dut, item)
        dut.press("OK")
        if dut.screen.read().screen == "password":
            return   # the path goes on after the password


@step(parsers.re(rf'{PHONE} selects "(?P<item>[^"]+)"'))
def select_item(bench, name, item):
    dut = bench.dut(name)
    select_line(dut, item)
    dut.press("OK")


@step(parsers.re(rf'{PHONE} enters the admin password "(?P<password>[^"]*)"'))
def enter_admin_password(bench, name, password):
    dut = bench.dut(name)
    dut.screen.wait_for_screen("password")
    enter_text(dut, password)
    dut.press("OK")


# --- text entry through the input methods (§3.8) -------------------------------------------
_LETTER_KEYS = {ch: (k, i + 1) for k, letters in {"2": "abc", "3": "def", "4": "ghi", "5": "jkl",
                                                  "6": "mno", "7": "pqrs", "8": "tuv", "9": "wxyz"}.items()
                for i, ch in enumerate(letters)}
_PUNCT = "*.'#?!\\-()$@/:"


def current_mode(dut) -> str | None:
    m = re.search(r"\[(123|2aB|abc|ABC)\]", dut.screen.read().text())
    return m.group(1) if m else None


def switch_mode(dut, mode: str) -> None:
    for _ in range(5):
        if current_mode(dut) == mode:
            return
        dut.press("#")
    raise PhoneFailure(f"{dut.name}: the # key never switched the input method to {mode}")


def enter_text(dut, text: str) -> None:
    """Type ``text`` as a person would: choose the input method, multi-tap, pause 1 s between taps of one key."""
    last_key = None
    for ch in text:
        if ch.isdigit():
            mode, key, taps = "123", ch, 1
        elif ch.lower() in _LETTER_KEYS:
            mode = "abc" if ch.islower() else "ABC"
            key, taps = _LETTER_KEYS[ch.lower()]
        elif ch in _PUNCT:
            mode, key, taps = None, "*", _PUNCT.index(ch) + 1
        elif ch == " ":
            mode, key, taps = "abc", "0", 1
        else:
            raise ValueError(f"cannot type {ch!r} on the keypad")
        if mode and current_mode(dut) is None:
            dut.press("#")   # the first key opens the field's editor; '#' then cycles the input method
        if mode and current_mode(dut) != mode:
            switch_mode(dut, mode)
            last_key = None
        if key == last_key:
            wait_committed(dut)   # a second character on the same key waits for the 1-second commit (§3.8)
        for _ in range(taps):
            dut.press(key)
        last_key = key
    wait_committed(dut)


def wait_committed(dut, timeout: float = 3.0) -> None:
    """The LCD shows a character still being chosen as <x>; it is committed after 1 s without a key."""
    dut.screen.wait_for(lambda s: not re.search(r"<.>", s.text()), "the typed character committed", timeout)


@step(parsers.re(rf'{PHONE} sets "(?P<field>[^"]+)" to "(?P<value>[^"]*)"'))
def set_form_field(bench, name, field, value):
    value = bench.expand(value)
    dut = bench.dut(name)
    state = select_line(dut, field)
    current = state.lines[state.selected].split(": ", 1)[1] if ": " in state.lines[state.selected] else ""
    for _ in range(len(current)):
        dut.press("DELETE")
    enter_text(dut, value)
    shown = (value, "*" * len(value))   # a password field shows stars
    dut.screen.wait_for(lambda s: any(l.startswith(f"{field}: {v}") for l in s.lines for v in shown),
                        f'"{field}: {value}" on the form', timeout=3)


@step(parsers.re(rf'{PHONE} switches "(?P<field>[^"]+)" to "(?P<value>[^"]+)"'))
def switch_form_field(bench, name, field, value):
    dut = bench.dut(name)
    for _ in range(16):   # the longest choice list (ringtones) has 11 entries
        state = select_line(dut, field)
        if re.sub(r"\s*&\s*", "&", state.lines[state.selected]) == f"{field}: {value}":
            return
        press_soft_key(bench, name, "Switch")
    raise PhoneFailure(f'{name}: the Switch soft key never set "{field}" to "{value}"')


# --- the screen -----------------------------------------------------------------------------
@step(parsers.re(rf'{PHONE} shows the (?P<screen>[\w ]+) screen reading "(?P<first>[^"]+)" and "(?P<second>[^"]+)"'))
def shows_screen_reading(bench, name, screen, first, second):
    bench.dut(name).screen.wait_for(
        lambda s: s.screen == vocab.SCREENS[screen] and s.shows(re.escape(first)) and s.shows(re.escape(second)),
        f'the {screen} screen with "{first}" and "{second}"', timeout=8)


@step(parsers.re(rf"{PHONE} shows the (?P<screen>[\w ]+) screen"))
def shows_screen(bench, name, screen):
    bench.dut(name).screen.wait_for_screen(vocab.SCREENS[screen], timeout=8)


@step(parsers.re(rf'{PHONE} shows "(?P<text>[^"]+)"'))
def shows_text(bench, name, text):
    bench.dut(name).screen.wait_for_text(re.escape(bench.expand(text)))


@step(parsers.re(rf'{PHONE} does not show "(?P<text>[^"]+)"'))
def does_not_show_text(bench, name, text):
    bench.dut(name).screen.wait_for(lambda s: not s.shows(re.escape(text)), f'no "{text}"', stable_secs=0.3)


@step(parsers.re(rf"{PHONE} shows the (?P<icon>[\w -]+) icon"))
def shows_icon(bench, name, icon):
    bench.dut(name).screen.wait_for_icon(vocab.icon(icon), timeout=8)


@step(parsers.re(rf"{PHONE} does not show the (?P<icon>[\w -]+) icon"))
def no_icon(bench, name, icon):
    bench.dut(name).screen.wait_for_icon(vocab.icon(icon), present=False, timeout=8)


@step(parsers.re(rf'the soft keys of {PHONE} read "(?P<left>[^"]*)" and "(?P<right>[^"]*)"'))
def soft_keys_read(bench, name, left, right):
    bench.dut(name).screen.wait_for(lambda s: s.softkeys == (left, right), f'soft keys "{left}" / "{right}"')


@step(parsers.re(rf"{PHONE} shows the time and date"))
def shows_time_and_date(bench, name):
    def now_shown(s):
        t = time.localtime()
        # Factory settings (§4.1.2): UTC, 24-hour, date format 0 in English ("Wed,Aug 12").
        t, before = time.gmtime(), time.gmtime(time.time() - 60)
        return s.title in (time.strftime("%H:%M", t), time.strftime("%H:%M", before)) \
            and f"{time.strftime('%a,%b', t)} {t.tm_mday}" in " ".join(s.lines)
    bench.dut(name).screen.wait_for(now_shown, "the current time and date")


@step(parsers.re(rf"{PHONE} shows its account label and number"))
def shows_label_and_number(bench, name):
    dut = bench.dut(name)
    expected = f"{dut.account.label} {dut.account.user}"
    dut.screen.wait_for_text(re.escape(expected))


@step(parsers.re(rf'the status screen of {PHONE} lists "(?P<item>[^"]+)" as "(?P<value>[^"]+)"'))
def status_lists(bench, name, item, value):
    value = bench.expand(value)
    bench.dut(name).screen.wait_for(lambda s: f"{item}: {value}" in s.lines, f'"{item}: {value}"')


@step(parsers.re(rf"the status screen of {PHONE} shows its IP address, MAC address and firmware version"))
def status_shows_identity(bench, name):
    dut = bench.dut(name)
    ident = dut.web.identity()
    for line in (f"IPv4: {dut.ip}", f"MAC: {ident['mac']}", f"Firmware: {ident['firmware']}"):
        dut.screen.wait_for(lambda s, line=line: line in s.lines, f'"{line}"')


@step(parsers.re(rf'{PHONE} moves to the "(?P<field>[^"]+)" field'))
def move_to_field(bench, name, field):
    select_line(bench.dut(name), field)


@step(parsers.re(rf"{PHONE} lets the character commit"))
def let_commit(bench, name):
    wait_committed(bench.dut(name))


@step(parsers.re(rf'{PHONE} types "(?P<text>[^"]*)" with the input methods'))
def types_text(bench, name, text):
    enter_text(bench.dut(name), text)


@step(parsers.re(rf'the field "(?P<field>[^"]+)" of {PHONE} reads "(?P<value>[^"]*)"'))
def field_reads(bench, name, field, value):
    def reads(s):
        line = next((l for l in s.lines if l.startswith(field + ": ")), "")
        shown = re.sub(r" \[(123|2aB|abc|ABC)\]$", "", line[len(field) + 2:])
        return re.sub(r" ?_", "", shown) == value   # the cursor (drawn a space apart on a camera picture)
    bench.dut(name).screen.wait_for(reads, f'"{field}: {value}"')


@step(parsers.re(rf"the input method of {PHONE} is (?P<mode>123|2aB|abc|ABC)"))
def input_method_is(bench, name, mode):
    bench.dut(name).screen.wait_for(lambda s: f"[{mode}]" in s.text(), f"the input method {mode}")
