"""Screens of the local conference (manual §5.14) and the call's Options list.

The talking screen's left soft key opens Options (Transfer, Conference, Paging).
Conference holds the call and opens a dialing screen that also lists the
other held calls; Send calls the typed number (the consult call, whose left
soft key then reads "Conf") or joins the chosen held call at once.  During the
conference the left soft key opens its options (Split, Hold, Manage, Mute);
Manage lists the members, each with Delete, Hold/Resume, Mute and Hang Up.
"""
from __future__ import annotations

import time

from .lcd import Frame
from .ui import DIGITS, DialScreen, ListScreen


class ConferenceScreenMixin:
    """Screens that only make sense while the conference lasts (dropped when it ends)."""

    belongs_to_conference = True


def drop_conference_screens(ui) -> None:
    ui.stack = [s for s in ui.stack if not getattr(s, "belongs_to_conference", False)]


class CallOptionsScreen(ListScreen):
    name = "options"
    title = "Options"
    softkeys = ("OK", "Back")

    def items(self):
        return ["Transfer", "Conference", "Paging"]

    def open(self, index):
        p, ui = self.phone, self.ui
        ui.pop()
        if index == 0 and p.start_transfer():
            from .feature_screens import TransferScreen
            ui.push(TransferScreen(ui))
        elif index == 1 and p.start_conference():
            ui.push(ConferenceDialScreen(ui))
        elif index == 2:   # page a group during the call (§6.1.3: the call goes on hold)
            from .paging_screens import PagingListScreen
            ui.push(PagingListScreen(ui))


class ConferenceDialScreen(DialScreen):
    """The third party: type a number, or pick a held call with up/down; Send."""

    name = "conference_dial"

    def __init__(self, ui):
        super().__init__(ui, digits="", mode=None)
        self.pick = 0

    def render(self):
        p = self.phone
        held = p.conference_from
        lines = [f"Held: {(held.name or held.number) if held else ''}", f"To: {self.digits}"]
        for i, c in enumerate(p.conference_candidates()):
            lines.append(f"{'>' if i == self.pick and not self.digits else ' '}Join {c.name or c.number}")
        right = "Delete" if self.digits else "Back"
        return Frame(self.name, "Conference", lines, ("Send", right), self.status_icons())

    def key(self, key, long):
        p = self.phone
        candidates = p.conference_candidates()
        if key in DIGITS:
            self.digits += key
        elif key in ("UP", "DOWN") and candidates:
            self.pick = (self.pick + (1 if key == "DOWN" else -1)) % len(candidates)
        elif key in ("SOFT_LEFT", "OK", "OFFHOOK"):
            held = p.conference_from
            if self.digits:
                p.dial(self.digits, held.mode if held else p._default_mode())   # the consult call
            elif candidates:
                self.ui.pop()
                p.join_conference(candidates[self.pick])
        elif key in ("SOFT_RIGHT", "DELETE") and self.digits:
            self.digits = self.digits[:-1]
        elif key in ("SOFT_RIGHT", "ONHOOK"):
            self.ui.pop()
            p.cancel_conference()


def conference_frame(screen, icons: list[str]) -> Frame:
    p = screen.phone
    conf = p.conference
    lines = [f"{m.name or m.number}{' (held)' if m.held else ''}" for m in conf.members]
    started = min((m.answered_at or time.time()) for m in conf.members)
    secs = int(time.time() - started)
    lines.append(f"{secs // 60:02d}:{secs % 60:02d}")
    if conf.muted and "mute" not in icons:
        icons = icons + ["mute"]
    if conf.held:
        return Frame("conference", "Conference held", lines, ("Resume", "Hang Up"), icons)
    return Frame("conference", "Conference", lines, ("Options", "Hang Up"), icons)


def conference_key(screen, key: str) -> None:
    p, ui = screen.phone, screen.ui
    conf = p.conference
    if key == "SOFT_LEFT":
        if conf.held:
            conf.resume()
        else:
            ui.push(ConferenceOptionsScreen(ui))
    elif key in ("SOFT_RIGHT", "ONHOOK"):
        p.hang_up()
    elif key == "MUTE":
        p.toggle_mute()
    elif key == "SPEAKER":
        p.set_mode("speaker")


class ConferenceOptionsScreen(ConferenceScreenMixin, ListScreen):
    name = "options"
    title = "Conference"
    softkeys = ("OK", "Back")

    def items(self):
        conf = self.phone.conference
        return ["Split", "Hold", "Manage", "Unmute" if conf and conf.muted else "Mute"]

    def open(self, index):
        conf, ui = self.phone.conference, self.ui
        ui.pop()
        if conf is None:
            return
        if index == 0:
            conf.split()
            drop_conference_screens(ui)
            ui.show_call()
        elif index == 1:
            conf.hold()
        elif index == 2:
            ui.push(ManageScreen(ui))
        else:
            conf.toggle_mute()


class ManageScreen(ConferenceScreenMixin, ListScreen):
    """The members (REQ-CONF-09); Options acts on the selected one."""

    name = "manage"
    title = "Manage"
    softkeys = ("Options", "Back")

    def members(self):
        conf = self.phone.conference
        return conf.members if conf is not None else []

    def items(self):
        return [f"{m.name or m.number}{' (held)' if m.held else ''}" for m in self.members()] or ["(none)"]

    def open(self, index):
        members = self.members()
        if members:
            self.ui.push(MemberOptionsScreen(self.ui, members[min(index, len(members) - 1)]))


class MemberOptionsScreen(ConferenceScreenMixin, ListScreen):
    name = "options"
    softkeys = ("OK", "Back")

    def __init__(self, ui, member):
        super().__init__(ui)
        self.member = member
        self.title = member.name or member.number

    def items(self):
        conf = self.phone.conference
        return ["Delete", "Resume" if self.member.held else "Hold",
                "Unmute" if conf and conf.muted else "Mute", "Hang Up"]

    def open(self, index):
        conf, ui, m = self.phone.conference, self.ui, self.member
        ui.pop()
        if conf is None or m not in conf.members:
            return
        if index == 0:
            drop_conference_screens(ui)
            conf.remove(m)
        elif index == 1:
            conf.resume_member(m) if m.held else conf.hold_member(m)
        elif index == 2:
            conf.toggle_mute()
        elif index == 3:
            drop_conference_screens(ui)
            conf.hang_up()
