"""Screens of multicast paging (§6.1.1, §6.1.3): the paging list, a page going out, a page coming in.

Menu -> Features -> Paging List shows the groups (their labels; empty rows
read "(empty)").  OK pages the selected group; Options offers Paging, Edit,
Delete (asks first) and Delete All.  While paging, Hold pauses the stream and
End stops it.  An incoming page shows its label over whatever was on screen;
End stops playing it.
"""
from __future__ import annotations

from .lcd import Frame
from .schema import PAGING_LIST_SIZE
from .ui import ConfirmScreen, FormScreen, ListScreen, MessageScreen, Screen

GROUP_FIELDS = ("address", "label", "channel")


class PagingListScreen(ListScreen):
    name = "paging_list"
    title = "Paging List"
    softkeys = ("Options", "Back")

    def items(self):
        paging = self.phone.paging
        out = []
        for n in range(1, PAGING_LIST_SIZE + 1):
            label, address = paging.group(n)
            out.append(f"{n}. {label or address or '(empty)'}")
        return out

    def key(self, key, long):
        if key == "OK":
            page_group(self, self.index + 1)
        elif key == "SOFT_LEFT":
            self.ui.push(PagingOptionsScreen(self.ui, self.index + 1))
        elif key.isdigit():
            pass   # no digit shortcuts: the rows are numbered for reading
        else:
            super().key(key, long)


def page_group(screen: Screen, n: int) -> None:
    problem = screen.phone.paging.send(n)
    if problem:
        screen.ui.push(MessageScreen(screen.ui, "Paging", [problem]))
    else:
        screen.ui.push(PagingOutScreen(screen.ui))


class PagingOptionsScreen(ListScreen):
    name = "options"
    title = "Options"
    softkeys = ("OK", "Back")

    def __init__(self, ui, n: int):
        super().__init__(ui)
        self.n = n

    def items(self):
        return ["Paging", "Edit", "Delete", "Delete All"]

    def open(self, index):
        ui, p, n = self.ui, self.phone, self.n
        ui.pop()
        if index == 0:
            page_group(self, n)
        elif index == 1:
            ui.push(FormScreen(ui, f"Group {n}", [f"paging.list.{n}.{f}" for f in GROUP_FIELDS]))
        elif index == 2:
            ui.push(ConfirmScreen(ui, "Delete group?", lambda: _clear(p, [n])))
        else:
            ui.push(ConfirmScreen(ui, "Delete all groups?", lambda: _clear(p, range(1, PAGING_LIST_SIZE + 1))))


def _clear(phone, rows) -> None:
    phone.apply_config({f"paging.list.{n}.{f}": ("0" if f == "channel" else "")
                        for n in rows for f in GROUP_FIELDS}, where="phone")


class PagingOutScreen(Screen):
    """A page going out: the group, Hold/Resume, End."""

    name = "paging_out"

    def render(self):
        paging = self.phone.paging
        sender = paging.outgoing
        if sender is None:
            return Frame(self.name, "Paging", ["Paging ended"], ("", "Back"), self.status_icons())
        _, label, address = paging.outgoing_group
        state = "On hold" if sender.held else "Paging..."
        return Frame(self.name, "Paging", [label or address, address, state],
                     ("Resume" if sender.held else "Hold", "End"), self.status_icons())

    def key(self, key, long):
        paging = self.phone.paging
        if key == "SOFT_LEFT":
            paging.hold_outgoing()
        elif key in ("SOFT_RIGHT", "ONHOOK"):
            paging.end_outgoing()
            if self in self.ui.stack:
                self.ui.stack.remove(self)


class PagingInScreen(Screen):
    """A page being played: its label (REQ-PAGE-25) or address, and End."""

    name = "paging_in"

    def render(self):
        stream = self.phone.paging.incoming
        if stream is None:
            return Frame(self.name, "Paging", ["Page ended"], ("", ""), self.status_icons())
        where = f"{stream.group}:{stream.port}"
        return Frame(self.name, "Paging", [stream.label or where, where, f"Priority {stream.priority}"],
                     ("", "End"), self.status_icons())

    def key(self, key, long):
        if key in ("SOFT_RIGHT", "ONHOOK"):
            self.phone.paging.end_incoming()
