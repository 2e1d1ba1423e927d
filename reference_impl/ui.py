"""The phone UI: a stack of screens, each drawing a Frame and handling keys.

Screens follow the manual's phone-UI paths.  The menus are data (``MENU``):
a tree whose leaves open either a screen or a form of configuration keys
from the schema, so the web UI, the menus and CFG files edit the same settings.
"""
from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Callable

from . import call_features as features
from .input_method import MultiTapInput
from .lcd import Frame
from .schema import SCHEMA

if TYPE_CHECKING:
    from .phone import CallSession, Phone

END_SCREEN_SECS = 1.0
ERROR_SCREEN_SECS = 3.0    # a refusal stays longer: it has to be read
DIGITS = set("0123456789*#")


def editor_line(editor: MultiTapInput, secret: bool = False) -> str:
    """The field as the LCD shows it while typing: the character still being chosen in <>, else a cursor."""
    editor.tick()
    text, pending, cursor = editor.text, editor.pending, editor.cursor
    committed = text[:cursor] + text[cursor + 1:] if pending else text
    if secret:
        committed = "*" * len(committed)
        pending = "*" if pending else None
    mark = f"<{pending}>" if pending else "_"
    return f"{committed[:cursor]}{mark}{committed[cursor:]} [{editor.mode}]"


def reg_icon(state: str) -> str:
    return {"registered": "account_registered",
            "registering": "account_registering"}.get(state, "account_unregistered")


class Screen:
    name = "screen"

    def __init__(self, ui: "Ui"):
        self.ui = ui
        self.phone: "Phone" = ui.phone

    def render(self) -> Frame:
        raise NotImplementedError

    def key(self, key: str, long: bool) -> None:
        if key == "ONHOOK":
            self.ui.home()

    def status_icons(self) -> list[str]:
        p = self.phone
        icons = [reg_icon(p.registrations[p.active_account].state)]
        if p.missed_calls:
            icons.append("missed_call")
        if p.texts.unread:
            icons.append("text_message")
        if p.headset_plugged:
            icons.append("headset")
        c = p.config
        icons += [name for name, on in (("dnd", features.dnd_icon(c)), ("forward", features.forward_icon(c)),
                                        ("auto_answer", features.auto_answer_icon(c))) if on]
        icons += ["wifi_connected" if p.identity.radio == "WiFi" else "lte_full", "battery"]
        return icons


class ListScreen(Screen):
    """A scrollable list: UP/DOWN move, OK or the left soft key opens, right soft key goes back."""

    title = ""
    softkeys = ("Enter", "Back")

    def __init__(self, ui):
        super().__init__(ui)
        self.index = 0

    def items(self) -> list[str]:
        return []

    def open(self, index: int) -> None:
        pass

    def render(self) -> Frame:
        return Frame(self.name, self.title, self.items(), self.softkeys, self.status_icons(), self.index)

    def key(self, key, long):
        items = self.items()
        if key == "UP" and items:
            self.index = (self.index - 1) % len(items)
        elif key == "DOWN" and items:
            self.index = (self.index + 1) % len(items)
        elif key in ("OK", "SOFT_LEFT") and items:
            self.open(self.index)
        elif key.isdigit() and key != "0" and int(key) <= len(items):
            self.index = int(key) - 1
            self.open(self.index)
        elif key == "SOFT_RIGHT":
            self.ui.pop()
        else:
            super().key(key, long)


# --- boot and standby -------------------------------------------------------
class BootScreen(Screen):
    name = "boot"

    def render(self):
        return Frame(self.name, "", ["Welcome", "Starting..."], ("", ""), [])

    def key(self, key, long):
        pass


class UpgradeScreen(Screen):
    name = "upgrading"

    def __init__(self, ui, version: str):
        super().__init__(ui)
        self.version = version

    def render(self):
        return Frame(self.name, "Upgrading", [f"Firmware {self.version}", "Do not power off"], ("", ""), [])

    def key(self, key, long):
        pass   # keys do nothing while the firmware is written


class StandbyScreen(Screen):
    name = "standby"

    def render(self):
        p = self.phone
        clock, today = p.time.display()   # the configured time and date formats (§4.1.2)
        n = p.active_account
        label = p.config[f"account.{n}.label"] or p.config[f"account.{n}.display_name"]
        user = p.config[f"account.{n}.user_name"]
        account_line = " ".join(x for x in (label, user) if x) or "No account"
        lines = [today, account_line]
        unread = p.texts.unread
        if unread:   # §6.2.1: the count of unread text messages on the idle screen
            lines.append(f"{unread} new text message" + ("s" if unread > 1 else ""))
        from .programmable_keys import softkeys   # the idle soft keys may be programmed (web, CFG)
        return Frame(self.name, clock, lines, softkeys(p.config), self.status_icons())

    def key(self, key, long):
        p, ui = self.phone, self.ui
        from .programmable_keys import press as programmed_key
        if programmed_key(self, key):
            return
        if key in DIGITS:
            ui.push(DialScreen(ui, digits=key, mode=None))
        elif key == "OFFHOOK":
            ui.push(DialScreen(ui, digits="", mode=p._default_mode()))
        elif key == "SPEAKER":
            ui.push(DialScreen(ui, digits="", mode="speaker"))
        elif key == "OK":
            ui.push(StatusScreen(ui))
        elif key == "SOFT_LEFT":
            p.clear_missed()
            ui.push(_directory("history")(ui, "History"))
        elif key == "SOFT_RIGHT":
            ui.push(MenuScreen(ui, MENU))
        elif key == "TRANSFER":
            toggle_forward(self)
        elif key in ("MESSAGE", "PICKUP"):
            problem = p.dial_service_code(key)
            if problem:
                ui.push(MessageScreen(ui, "Voice Mail" if key == "MESSAGE" else "Pickup", [problem]))
        elif key in ("LEFT", "RIGHT"):
            # The account key of §3.7: the navigation keys switch the account for the next call.
            usable = [n for n in (1, 2) if p.account_settings(n).usable] or [1]
            i = usable.index(p.active_account) if p.active_account in usable else 0
            p.active_account = usable[(i + (1 if key == "RIGHT" else -1)) % len(usable)]


# --- calls ---------------------------------------------------------------------
class DialScreen(Screen):
    """Digits typed so far.  ``mode`` None means pre-dial (digits typed from idle)."""

    name = "dialing"

    def __init__(self, ui, digits: str, mode: str | None):
        super().__init__(ui)
        self.digits, self.mode = digits, mode
        if digits:
            ldap_screens.dial_typed(self)   # the first digit from idle is looked up too
        hotline = self.phone.config.get("hotline.number", "")
        if hotline and mode is not None and not digits:
            # Hotline (§5.12): off-hook, hands-free or headset starts the timer; a key typed meanwhile stops it.
            delay = int(self.phone.config["hotline.delay"])
            asyncio.get_running_loop().call_later(delay, self._hotline, hotline)

    def _hotline(self, number: str) -> None:
        if self.ui.top() is self and not self.digits:
            self.phone.dial(number, self.mode)

    def render(self):
        n = self.phone.active_account
        user = self.phone.config[f"account.{n}.user_name"] or f"Account {n}"
        right = "Delete" if self.digits else "Back"
        icons = self.status_icons() + ([self.mode] if self.mode else [])
        matches, selected = ldap_screens.dial_lines(self)   # LDAP lookup while dialing (§4.3.3)
        return Frame(self.name, f"Dial ({user})", [self.digits] + matches, ("Send", right), icons, selected)

    def key(self, key, long):
        p = self.phone
        if ldap_screens.dial_key(self, key):
            return
        if key in DIGITS:
            self.digits += key
            ldap_screens.dial_typed(self)
        elif key in ("DELETE", "SOFT_RIGHT"):
            if self.digits:
                self.digits = self.digits[:-1]
                ldap_screens.dial_typed(self)
            else:
                self.ui.pop()
        elif key == "OFFHOOK":
            mode = self.mode or p._default_mode()
            if self.digits:
                p.dial(self.digits, mode)
            elif self.mode is not None:
                p.redial(mode)  # off-hook (or hands-free) then off-hook again: redial (§5.4)
        elif key in ("OK", "SOFT_LEFT"):   # Send: on the headset in headset mode (§4.5.1)
            p.dial(self.digits, self.mode or ("headset" if p.headset_plugged else "speaker"))
        elif key == "SPEAKER":
            if self.digits:
                p.dial(self.digits, "speaker")
            elif self.mode == "speaker":
                self.ui.pop()  # hands-free off again: back to idle
            else:
                self.mode = "speaker"
        else:
            super().key(key, long)


class CallScreen(Screen):
    """Outgoing (calling / ringback), incoming (ringing) and talking, drawn from the call session."""

    def __init__(self, ui, session: "CallSession"):
        super().__init__(ui)
        self.session = session

    @property
    def name(self):
        return self.render().screen

    def waiting(self) -> "CallSession | None":
        return next((o for o in self.phone.others if o.waiting), None)

    def render(self):
        s, p = self.session, self.phone
        who = s.name or s.number
        icons = self.status_icons() + [s.mode] + (["mute"] if s.muted else [])
        if p.conference is not None and s in p.conference.members:
            from .conference_screens import conference_frame
            return conference_frame(self, icons)
        if s.connected and (s.held or s.transferring):
            title = "Transferring..." if s.transferring else "On hold"
            return Frame("held", title, [who, s.number], ("", "" if s.transferring else "Resume"), icons)
        if s.connected:
            secs = int(time.time() - (s.answered_at or time.time()))
            lines = [who, s.number, f"{secs // 60:02d}:{secs % 60:02d}"]
            lines += [f"Held: {o.name or o.number}" for o in p.others if o.held]
            waiting = self.waiting()
            if waiting is not None:   # call waiting (§5.8): the second call is offered on screen
                line = " ".join(x for x in ("Call waiting:", waiting.number, waiting.name) if x)
                return Frame("talking", "Talking", lines + [line], ("Answer", "Reject"), icons)
            # The left soft key: hand over (consult call of a transfer), join (consult call of a
            # conference), else the call's options (Transfer, Conference).
            left = "Transfer" if p.transfer_from else "Conf" if p.conference_from else "Options"
            return Frame("talking", "Talking", lines, (left, "Hang Up"), icons)
        if s.direction == "in":
            return Frame("ringing", "Incoming call", [who, s.number], ("Answer", "Reject"), icons)
        state = "Ringing..." if s.state == "EARLY" else "Calling..."
        return Frame("calling", state, [s.number], ("", "Hang Up"), icons)

    def key(self, key, long):
        p, s = self.phone, self.session
        if s.direction == "in" and not s.connected and s.answered_at is None:
            if key == "OFFHOOK":
                p.answer(p._default_mode())
            elif key in ("SOFT_LEFT", "OK") and p.headset_plugged:
                p.answer("headset")   # Answer in headset mode: on the headset (§4.5.1)
            elif key in ("SOFT_LEFT", "SPEAKER", "OK"):
                p.answer("speaker")
            elif key in ("SOFT_RIGHT", "ONHOOK"):
                p.reject()
            elif key == "TRANSFER":   # forward the ringing call (§5.6.1)
                from .feature_screens import ForwardScreen
                self.ui.push(ForwardScreen(self.ui))
            return
        if p.conference is not None and s in p.conference.members:
            from .conference_screens import conference_key
            conference_key(self, key)
            return
        if s.connected and s.held:
            if key == "SOFT_RIGHT":
                p.resume()
            elif key == "ONHOOK":
                p.hang_up()
            return
        if s.connected and self.waiting() is not None and key in ("SOFT_LEFT", "SOFT_RIGHT", "OK"):
            p.reject_waiting() if key == "SOFT_RIGHT" else p.answer_waiting()
            return
        if s.connected and key == "SOFT_LEFT" and p.conference_from is not None:
            p.join_conference()
            return
        if s.connected and key == "SOFT_LEFT" and p.transfer_from is None:
            from .conference_screens import CallOptionsScreen
            self.ui.push(CallOptionsScreen(self.ui))
            return
        if s.connected and key in ("SOFT_LEFT", "TRANSFER"):
            if p.transfer_from is not None:
                p.attended_transfer()   # the consult call: hand the held party over (§5.7.2)
            elif p.start_transfer():
                from .feature_screens import TransferScreen
                self.ui.push(TransferScreen(self.ui))
            return
        if key in DIGITS and s.connected:   # keys in a call reach the far end as DTMF (sip_options.py)
            p.sip_options.send_dtmf(s, key)
            return
        if key in ("UP", "DOWN") and s.connected:
            p.swap()
        elif key in ("SOFT_RIGHT", "ONHOOK"):
            p.hang_up()
        elif key == "SPEAKER":
            if s.mode == "speaker":
                p.hang_up()  # hands-free key ends a hands-free call (§5.3)
            else:
                p.set_mode("speaker")
        elif key == "OFFHOOK" and s.mode == "speaker":
            p.set_mode(p._default_mode())
        elif key == "MUTE":
            p.toggle_mute()


LCD_LINE_CHARS = 24    # a longer sentence is broken over lines, at spaces, as the LCD shows it


def lcd_wrap(lines: list[str]) -> list[str]:
    """Each line broken at spaces into pieces that fit the LCD's width."""
    import textwrap
    return [piece for line in lines
            for piece in (textwrap.wrap(line, LCD_LINE_CHARS, break_long_words=False) or [line])]


class MessageScreen(Screen):
    """A short prompt that goes away by itself (or with any key)."""

    name = "message"

    def __init__(self, ui, title: str, lines: list[str], secs: float = END_SCREEN_SECS):
        super().__init__(ui)
        self.title, self.lines = title, lcd_wrap(lines)
        asyncio.get_running_loop().call_later(secs, self._expire)

    def _expire(self):
        if self in self.ui.stack:
            self.ui.stack.remove(self)

    def render(self):
        return Frame(self.name, self.title, self.lines, ("", ""), self.status_icons())

    def key(self, key, long):
        self._expire()
        if key == "ONHOOK":   # on-hook always leads back to the idle screen
            self.ui.home()


class VolumeScreen(MessageScreen):
    """The volume bar shown over any screen while the side keys are pressed (§4.2.1).

    Any other key closes it and goes on to the screen below, so a ringing call
    can still be answered at once.
    """

    name = "volume"
    TITLES = {"ring": "Ring Volume", "handset": "Handset Volume", "speaker": "Speaker Volume",
              "headset": "Headset Volume"}

    def __init__(self, ui, target: str, level: int):
        bar = "[" + "#" * level + "-" * (15 - level) + "]"
        super().__init__(ui, self.TITLES[target], [f"Volume: {level}", bar], secs=2.0)

    def render(self):
        below = next((s for s in reversed(self.ui.stack) if s is not self), None)
        keys = below.render().softkeys if below is not None else ("", "")
        return Frame(self.name, self.title, self.lines, keys, self.status_icons())

    def key(self, key, long):
        self._expire()
        self.ui.key(key, long)


class ConfirmScreen(Screen):
    """A yes/no question before something is deleted; OK does it, Cancel does not."""

    name = "confirm"

    def __init__(self, ui, question: str, action):
        super().__init__(ui)
        self.question, self.action = question, action

    def render(self):
        return Frame(self.name, "Delete", [self.question], ("OK", "Cancel"), self.status_icons())

    def key(self, key, long):
        if key in ("OK", "SOFT_LEFT"):
            self.action()
            self.ui.pop()
            self.ui.push(MessageScreen(self.ui, "Delete", ["Deleted"]))
        elif key in ("SOFT_RIGHT", "ONHOOK"):
            self.ui.pop()


# --- status -----------------------------------------------------------------------
class StatusScreen(ListScreen):
    name = "status"
    title = "Status"
    softkeys = ("Enter", "Back")

    def items(self):
        st = self.phone.status()
        net = st["network"]
        lines = [f"IP mode: {net['ip_mode']}", f"IPv4: {net['ipv4']['address']}"]
        if net["ipv6"]["address"]:
            lines.append(f"IPv6: {net['ipv6']['address']}")
        lines += [f"MAC: {st['device']['mac']}", f"Firmware: {st['device']['firmware']}"]
        for a in st["accounts"]:
            lines.append(f"Account {a['account']}: {a['user'] or '-'} {a['state'].capitalize()}")
        return lines + ["More..."]

    def open(self, index):
        if index == len(self.items()) - 1:
            self.ui.push(MoreStatusScreen(self.ui))


class MoreStatusScreen(ListScreen):
    name = "status_more"
    title = "More"

    def items(self):
        return ["Network", "Account", "Device"]

    def open(self, index):
        self.ui.push(DetailScreen(self.ui, self.items()[index], self.details(index)))

    def details(self, index) -> Callable[[], list[str]]:
        def network():
            net = self.phone.status()["network"]
            v4 = net["ipv4"]
            vpn = self.phone.status()["vpn"]
            return [f"IP mode: {net['ip_mode']}", f"Type: {v4['type']}", f"IP: {v4['address']}"] + (
                    [f"VPN IP: {vpn['ip'] or '-'}"] if vpn["enabled"] else []) + [   # only with the VPN on
                    f"Mask: {v4['netmask']}", f"Gateway: {v4['gateway'] or '-'}",
                    f"DNS: {', '.join(d for d in v4['dns'] if d) or '-'}"]

        def account():
            return [f"Account {a['account']}: {a['user'] or '-'}@{a['server'] or '-'} "
                    f"{a['state'].capitalize()}" for a in self.phone.status()["accounts"]]

        def device():
            d = self.phone.status()["device"]
            return [f"Product: {d['product_name']}", f"Firmware: {d['firmware']}",
                    f"Hardware: {d['hardware']}", f"MAC: {d['mac']}", f"Product ID: {d['product_id']}"]
        return (network, account, device)[index]


class DetailScreen(ListScreen):
    name = "status_detail"
    softkeys = ("", "Back")

    def __init__(self, ui, title: str, lines: Callable[[], list[str]]):
        super().__init__(ui)
        self.title, self.lines = title, lines

    def items(self):
        return self.lines()

    def open(self, index):
        pass


# --- history ------------------------------------------------------------------------
class HistoryScreen(ListScreen):
    name = "history"
    title = "History"
    softkeys = ("Dial", "Back")
    MARK = {"dialled": "Dialled", "received": "Received", "missed": "Missed"}

    def records(self):
        return sorted(self.phone.storage.calls(), key=lambda r: r.started_at, reverse=True)

    def items(self):
        return [f"{self.MARK[r.kind]} {r.name or r.number}" for r in self.records()] or ["(empty)"]

    def key(self, key, long):
        records = self.records()
        if key in ("OFFHOOK", "OK", "SOFT_LEFT") and records:
            mode = "speaker" if key != "OFFHOOK" else self.phone._default_mode()
            self.phone.dial(records[self.index].number, mode)
        else:
            super().key(key, long)


# --- menus and forms --------------------------------------------------------------------
class MenuScreen(ListScreen):
    name = "menu"

    def __init__(self, ui, node: dict, title: str = "Menu"):
        super().__init__(ui)
        self.node, self.title = node, title

    def items(self):
        return [k for k, e in self.node.items() if getattr(e, "shown", lambda phone: True)(self.phone)]

    def open(self, index):
        label = self.items()[index]
        entry = self.node[label]
        if isinstance(entry, Protected):
            self.ui.push(PasswordScreen(self.ui, lambda: self.ui.push(entry.make(self.ui, label))))
        else:
            self.ui.push(entry.make(self.ui, label) if isinstance(entry, Leaf) else
                         MenuScreen(self.ui, entry, label))


class PasswordScreen(Screen):
    """The administrator password that guards the advanced settings (§1.3.1)."""

    name = "password"

    def __init__(self, ui, on_success: Callable[[], None]):
        super().__init__(ui)
        self.input = MultiTapInput(mode="abc")
        self.on_success = on_success
        self.error = ""

    def render(self):
        self.input.tick()
        lines = ["Admin password:", editor_line(self.input, secret=True)]
        if self.error:
            lines.append(self.error)
        return Frame(self.name, "Advanced", lines, ("OK", "Back"), self.status_icons())

    def key(self, key, long):
        if key in DIGITS:
            self.input.press(key)
        elif key == "DELETE":
            self.input.delete()
        elif key in ("OK", "SOFT_LEFT"):
            self.input.tick()
            if self.input.text == self.phone.config["security.admin_password"]:
                self.ui.pop()
                self.on_success()
            else:
                self.error = "Wrong password"
                self.input = MultiTapInput(mode=self.input.mode)
        elif key == "SOFT_RIGHT":
            self.ui.pop()
        else:
            super().key(key, long)


class FormScreen(ListScreen):
    """Edit schema keys: type with multi-tap on text fields, Switch on choice fields, Save stores."""

    name = "form"

    def __init__(self, ui, title: str, keys: list[str]):
        super().__init__(ui)
        self.title, self.keys = title, keys
        self.values = {k: SCHEMA[k].format(ui.phone.config[k]) for k in keys}
        self.editor: MultiTapInput | None = None
        self.error = ""

    def _commit_editor(self):
        if self.editor is not None:
            self.editor.tick()
            self.values[self.keys[self.index]] = self.editor.text
            self.editor = None

    def items(self):
        lines = []
        for i, k in enumerate(self.keys):
            s = SCHEMA[k]
            value = self.values[k]
            if i == self.index and self.editor is not None:
                value = editor_line(self.editor, secret=s.kind == "password")
            elif s.kind == "password":
                value = "*" * len(value)
            elif s.kind == "bool":
                value = "Enabled" if value == "1" else "Disabled"
            elif s.kind == "enum":
                value = value.replace("&", " & ")   # "IPv4 & IPv6": spaced as on the LCD, easier to read
            lines.append(f"{s.label}: {value}")
        return lines + ([self.error] if self.error else [])

    def render(self):
        s = SCHEMA[self.keys[self.index]]
        left = "Switch" if s.kind in ("bool", "enum") else "Save"
        return Frame(self.name, self.title, self.items(), (left, "Back"), self.status_icons(), self.index)

    def key(self, key, long):
        s = SCHEMA[self.keys[self.index]]
        if key in ("UP", "DOWN"):
            self._commit_editor()
            self.index = (self.index + (1 if key == "DOWN" else -1)) % len(self.keys)
        elif key in ("SOFT_LEFT", "LEFT", "RIGHT") and s.kind in ("bool", "enum"):
            self._switch(s)   # left/right switch too (§5.5 custom DND, §5.11)
        elif key in ("SOFT_LEFT", "OK"):
            self._save()
        elif key == "SOFT_RIGHT":
            self.ui.pop()
        elif key in DIGITS and s.kind not in ("bool", "enum"):
            if self.editor is None:
                mode = "123" if s.kind in ("int", "ipv4") else "2aB"
                self.editor = MultiTapInput(text=self.values[self.keys[self.index]], mode=mode)
            self.editor.press(key)
        elif key == "DELETE" and s.kind not in ("bool", "enum"):
            if self.editor is None:
                self.editor = MultiTapInput(text=self.values[self.keys[self.index]], mode="2aB")
            self.editor.delete()
        else:
            super().key(key, long)

    def _switch(self, s):
        k = s.key
        if s.kind == "bool":
            self.values[k] = "0" if self.values[k] == "1" else "1"
        else:
            i = s.choices.index(self.values[k]) if self.values[k] in s.choices else -1
            self.values[k] = s.choices[(i + 1) % len(s.choices)]

    def _save(self):
        from .phone import ConfigRejected
        self._commit_editor()
        changed = {k: v for k, v in self.values.items() if v != SCHEMA[k].format(self.phone.config[k])}
        try:
            self.phone.apply_config(changed, where="phone")
        except ConfigRejected as exc:
            # Too long for one line of the form: said in a prompt over it, which keeps what was typed.
            self.ui.push(MessageScreen(self.ui, self.title, [exc.problems[0]], secs=ERROR_SCREEN_SECS))
            return
        self.error = ""
        self.ui.pop()
        self.ui.push(MessageScreen(self.ui, self.title, ["Saved"]))


class AccountListScreen(ListScreen):
    name = "accounts"
    title = "Account"

    def items(self):
        return [f"Account {n}: {self.phone.config[f'account.{n}.user_name'] or '-'}" for n in (1, 2)]

    def open(self, index):
        n = index + 1
        keys = [f"account.{n}.{f}" for f in ("enable", "label", "display_name", "user_name", "register_name",
                                             "password", "server1", "server2", "port",
                                             "reregister_period", "outbound_proxy", "transport")]
        self.ui.push(FormScreen(self.ui, f"Account {n}", keys))


class Leaf:
    """A menu entry that opens a screen."""

    def __init__(self, make: Callable[["Ui", str], Screen]):
        self.make = make


class Protected(Leaf):
    """A leaf behind the administrator password."""


def form(*keys: str) -> Leaf:
    return Leaf(lambda ui, title: FormScreen(ui, title, list(keys)))


def protected_form(*keys: str) -> Protected:
    return Protected(lambda ui, title: FormScreen(ui, title, list(keys)))


NETWORK_KEYS = ("network.ip_mode", "network.priority", "network.ipv4.type", "network.ipv4.address",
                "network.ipv4.netmask", "network.ipv4.gateway", "network.ipv4.dns1", "network.ipv4.dns2",
                "network.ipv6.type", "network.ipv6.address", "network.ipv6.prefix",
                "network.ipv6.gateway", "network.ipv6.dns1", "network.ipv6.dns2")

def _messages(folder: str | None) -> "Leaf":
    """Menu -> Messages -> Text Message -> a folder, or New Message (§6.2.1)."""
    def make(ui, title):
        from .message_screens import ComposeScreen, FolderScreen
        return ComposeScreen(ui) if folder is None else FolderScreen(ui, folder)
    return Leaf(make)


def _directory(screen: str):
    """Screens of the directory and the call history (§4.3, §4.4), in directory_screens."""
    from . import directory_screens
    return getattr(directory_screens, screen)


def _paging_list(ui, title):
    from .paging_screens import PagingListScreen
    return PagingListScreen(ui)


def _keypad_lock_menu(ui, title):
    from .keypad_lock import menu_screen
    return menu_screen(ui, title)


def _qr_screen(ui, title):
    from .feature_screens import QrScreen
    return QrScreen(ui)


# The phone menu (§1.3.1): basic settings open freely, advanced ones ask for the admin password.
MENU: dict = {
    "Status": Leaf(lambda ui, title: StatusScreen(ui)),
    "History": Leaf(lambda ui, title: _directory("history")(ui, title)),
    "Directory": {"Local contacts": Leaf(lambda ui, title: _directory("local_contacts")(ui, title)),
                  "Blacklist": Leaf(lambda ui, title: _directory("blacklist")(ui, title))},
    "Basic Settings": {
        "Language": form("phone.language"),
        "Time Format": form("phone.time_format"),
        "Ring Tones": form("sounds.ringtone"),
        "Keypad Lock": Leaf(lambda ui, title: _keypad_lock_menu(ui, title)),
    },
    "Features": {
        "DND": Leaf(lambda ui, title: FormScreen(ui, title, dnd_keys(ui.phone.config))),
        "Call Forward": {
            "Always forward": form(*[f"forward.always.{k}" for k in ("enable", "number", "on_code", "off_code")]),
            "Busy forward": form(*[f"forward.busy.{k}" for k in ("enable", "number", "on_code", "off_code")]),
            "No-answer forward": form(*[f"forward.no_answer.{k}"
                                        for k in ("enable", "number", "time", "on_code", "off_code")]),
        },
        "Auto Answer": form("auto_answer.account1", "auto_answer.account2"),
        "Hotline": form("hotline.number", "hotline.delay"),
        # Chinese manual: rejection and local anonymous on one page; English: pick the account first.
        "Anonymous Call": {f"Account {n}": form(f"anonymous.{n}.rejection", f"anonymous.{n}.call")
                           for n in (1, 2)},
        "Auto Redial": form("auto_redial.enable", "auto_redial.interval", "auto_redial.count"),
        "QR Code": Leaf(_qr_screen),
        "Paging List": Leaf(_paging_list),
        "Call-out Key": form("phone.call_out_key"),
        "Intercom": form("intercom.enable", "intercom.mute", "intercom.barge"),
    },
    "Messages": {"Text Message": {"New Message": _messages(None), "Inbox": _messages("inbox"),
                                  "Sent": _messages("sent"), "Outbox": _messages("outbox"),
                                  "Drafts": _messages("drafts")}},
    "Account": Protected(lambda ui, title: AccountListScreen(ui)),
    "WIFI": protected_form(*NETWORK_KEYS),
    "Advanced Network": protected_form("network.cdp.enable", "network.cdp.interval"),   # §1.3 matrix: CDP
}


def dnd_keys(config: dict) -> list[str]:
    """Menu -> Features -> DND: one switch in Phone mode, one per account in Custom mode (§5.5)."""
    return ["dnd.enable"] if config["dnd.mode"] == "Phone" else ["dnd.account1", "dnd.account2"]


def toggle_forward(screen: Screen) -> None:
    """The Transfer key on an idle phone turns call forward off, or Always forward on (§1.1, REQ-FWD-21)."""
    from .phone import ConfigRejected
    p, ui = screen.phone, screen.ui
    kinds = [k for k in features.FORWARD_KINDS if p.config[f"forward.{k}.enable"]]
    if kinds:
        change, text = {f"forward.{k}.enable": "0" for k in kinds}, "Forward off"
    elif p.config["forward.always.number"]:
        change, text = {"forward.always.enable": "1"}, "Forward on"
    else:
        ui.push(MessageScreen(ui, "Call Forward", ["No forward number"]))
        return
    try:
        p.apply_config(change, where="phone")
    except ConfigRejected as exc:
        text = exc.problems[0]
    ui.push(MessageScreen(ui, "Call Forward", [text]))


class Ui:
    def __init__(self, phone: "Phone"):
        self.phone = phone
        self.stack: list[Screen] = []
        from .clock_screens import install_menus   # chapter 4 entries of Basic Settings (idempotent)
        install_menus(MENU)

    def reset(self):
        self.stack = [BootScreen(self) if self.phone.booting else StandbyScreen(self)]

    def home(self):
        self.stack = self.stack[:1]

    def push(self, screen: Screen):
        self.stack.append(screen)

    def pop(self):
        if len(self.stack) > 1:
            self.stack.pop()

    def top(self) -> Screen:
        return self.stack[-1]

    def render(self) -> Frame:
        from .clock_screens import localize
        frame = self.phone.keypad_lock.decorate(self.top().render(), self.top())   # §4.1.4 lock screen
        return localize(self.phone, frame)

    def key(self, key: str, long: bool) -> None:
        from . import dialing
        if self.phone.keypad_lock.intercept(self, key, long) or dialing.call_out_key(self, key, long):
            return   # keypad lock (§4.1.4), call-out key (§4.1.3)
        if key in ("VOL_UP", "VOL_DOWN") and not self.phone.booting:
            target, level = self.phone.change_volume(1 if key == "VOL_UP" else -1)
            self.stack = [s for s in self.stack if s.name != "volume"]
            self.push(VolumeScreen(self, target, level))
            return
        self.top().key(key, long)
        dialing.after_key(self)   # dial-now timer (§4.7.2.2)

    # --- call screens follow the call ---
    def shown_session(self) -> "CallSession | None":
        """The call the screen is about: the foreground call, else a held one (transfer, swap)."""
        p = self.phone
        return p.session or next((o for o in p.others if not o.waiting), None)

    def show_call(self):
        session = self.shown_session()
        self.stack = [s for s in self.stack if not (isinstance(s, CallScreen) and s.session is not session)]
        if session is None:
            return
        if not any(isinstance(s, CallScreen) and s.session is session for s in self.stack):
            self.stack = [s for s in self.stack if not isinstance(s, (DialScreen, CallScreen))
                          and s.name != "auto_redial"]
            self.push(CallScreen(self, session))

    def show_page(self) -> None:
        """An incoming page is shown on top while it plays, and taken away when it ends."""
        from .paging_screens import PagingInScreen
        self.stack = [s for s in self.stack if not isinstance(s, PagingInScreen)]
        if self.phone.paging.incoming is not None:
            self.push(PagingInScreen(self))

    def upgrading(self, version: str) -> None:
        """§5.15: the phone must not lose power now; nothing but this screen until it restarts."""
        self.stack = [UpgradeScreen(self, version)]

    def message(self, title: str, lines: list[str]) -> None:
        self.push(MessageScreen(self, title, lines))

    def call_ended(self, status: int, session: "CallSession"):
        self.stack = [s for s in self.stack if not isinstance(s, (DialScreen, CallScreen))
                      and s.name != "auto_redial"]
        self.show_call()
        if session.forwarded_to:
            self.push(MessageScreen(self, "Forwarded", [session.forwarded_to]))
            return
        reason = {486: "Busy", 603: "Declined", 404: "Not found", 480: "Unavailable",
                  408: "No answer", 487: "Call ended", 433: "Anonymous rejected"}.get(status, "Call ended")
        if self.phone.auto_redial is not None and self.phone.auto_redial.pending:
            from .feature_screens import AutoRedialScreen
            self.push(AutoRedialScreen(self, reason))
            return
        self.push(MessageScreen(self, "Call ended" if reason == "Call ended" else reason,
                                [session.name or session.number]))


from . import ldap_screens  # noqa: E402  (Menu -> Directory -> LDAP and the dial screen's lookup)
