"""Screens of chapter 5's call features: forward a ringing call, transfer a call.

Both are number-entry screens laid over a call screen, so they are kinds of
``DialScreen``: the UI drops them with the other dialing screens when the call
they belong to ends.

The H680's LCD has two soft keys.  The ringing screen keeps "Answer" /
"Reject", so the manual's Forward action of a ringing call (§5.6.1, "FWD" soft
key) is reached with the Transfer hard key (转移, the same word as forward in
the Chinese manual); the forward screen itself then offers "Send".
"""
from __future__ import annotations

from .lcd import Frame
from .ui import DIGITS, DialScreen, ListScreen, Screen


class ForwardScreen(DialScreen):
    """Type the number a ringing call is forwarded to; Send / OK / off-hook forwards it."""

    name = "forward"

    def __init__(self, ui):
        super().__init__(ui, digits="", mode=None)

    def render(self):
        s = self.phone.session
        who = (s.name or s.number) if s else ""
        return Frame(self.name, "Forward", [f"Call from {who}", f"To: {self.digits}"],
                     ("Send", "Delete" if self.digits else "Back"), self.status_icons())

    def key(self, key, long):
        if key in DIGITS:
            self.digits += key
        elif key in ("SOFT_LEFT", "OK", "OFFHOOK"):
            if self.phone.forward_ringing(self.digits):
                self.ui.pop()
        elif key in ("SOFT_RIGHT", "DELETE"):
            if self.digits:
                self.digits = self.digits[:-1]
            else:
                self.ui.pop()
        elif key == "ONHOOK":
            self.ui.pop()


class TransferScreen(DialScreen):
    """The transfer target (§5.7): "BTra" transfers blind, "Send" calls the target first.

    With no digits typed the right soft key is "Resume", which cancels the
    transfer and takes the held call back, and the left one is "Dir": the target is
    picked from the local contacts and the call is handed over to it at once.
    """

    name = "transfer"

    def __init__(self, ui):
        super().__init__(ui, digits="", mode=None)

    def render(self):
        held = self.phone.transfer_from
        who = (held.name or held.number) if held else ""
        keys = ("BTra", "Send") if self.digits else ("Dir", "Resume")
        return Frame(self.name, "Transfer", [f"Held: {who}", f"To: {self.digits}"], keys, self.status_icons())

    def key(self, key, long):
        p = self.phone
        if key in DIGITS:
            self.digits += key
        elif key == "DELETE" and self.digits:
            self.digits = self.digits[:-1]
        elif key in ("SOFT_LEFT", "TRANSFER") and self.digits:
            if p.blind_transfer(self.digits):
                self.ui.pop()
        elif key in ("SOFT_RIGHT", "OK", "OFFHOOK") and self.digits:
            held = p.transfer_from
            p.dial(self.digits, held.mode if held else p._default_mode())   # the consult call (§5.7.2)
        elif key in ("SOFT_RIGHT", "ONHOOK") and not self.digits:
            self.ui.pop()
            p.resume()
        elif key == "SOFT_LEFT" and not self.digits:
            self.ui.push(PickGroupScreen(self.ui))


# Transfer to a contact (§5.7.1, REQ-XFER-07): Dir -> group (Enter) -> contact (Call) ->
# one of its numbers (Transfer): a blind transfer to that number.
class PickGroupScreen(ListScreen):
    name = "transfer_groups"
    title = "Contacts"
    softkeys = ("Enter", "Back")

    def items(self):
        return [g.name for g in self.phone.directory.groups()]

    def open(self, index):
        self.ui.push(PickContactScreen(self.ui, self.phone.directory.groups()[index]))


class PickContactScreen(ListScreen):
    name = "transfer_contacts"
    softkeys = ("Call", "Back")

    def __init__(self, ui, group):
        super().__init__(ui)
        self.group, self.title = group, group.name

    def contacts(self):
        return self.phone.directory.contacts(self.group.id)

    def items(self):
        return [c.name for c in self.contacts()] or ["(empty)"]

    def open(self, index):
        contacts = self.contacts()
        if contacts:
            self.ui.push(PickNumberScreen(self.ui, contacts[index]))


class PickNumberScreen(ListScreen):
    name = "transfer_numbers"
    softkeys = ("Transfer", "Back")
    LABELS = {"office": "Office", "mobile": "Mobile", "other": "Other"}

    def __init__(self, ui, contact):
        super().__init__(ui)
        self.contact, self.title = contact, contact.name

    def items(self):
        return [f"{self.LABELS.get(field, field)}: {number}" for field, number in self.contact.numbers()]

    def open(self, index):
        if self.phone.blind_transfer(self.contact.numbers()[index][1]):
            self.ui.home()

    def key(self, key, long):
        if key == "TRANSFER":
            self.open(self.index)
        else:
            super().key(key, long)


class AutoRedialScreen(Screen):
    """The auto-redial prompt (§5.9): why the call failed, and when the next attempt goes out.

    "Redial" dials at once, "Cancel" (or on-hook) stops the run.
    """

    name = "auto_redial"

    def __init__(self, ui, reason: str):
        super().__init__(ui)
        self.reason = reason

    def render(self):
        run = self.phone.auto_redial
        if run is None or not run.pending:
            return Frame(self.name, "Auto Redial", [self.reason, "Auto redial stopped"], ("", "Back"),
                         self.status_icons())
        lines = [self.reason, run.number, f"Redial {run.attempts + 1}/{run.limit} in {run.seconds_left()}s"]
        return Frame(self.name, "Auto Redial", lines, ("Redial", "Cancel"), self.status_icons())

    def key(self, key, long):
        run = self.phone.auto_redial
        if key in ("SOFT_LEFT", "OK", "OFFHOOK") and run is not None:
            run.attempt()
        elif key in ("SOFT_RIGHT", "ONHOOK"):
            if run is not None:
                run.cancel()
            self.phone.auto_redial = None
            if self in self.ui.stack:
                self.ui.stack.remove(self)


class QrScreen(Screen):
    """Menu -> Features -> QR Code (§5.13): a QR code of the web UI's address, for a smartphone.

    The address is the phone's current IP (and the web port when it is not 80),
    so it follows a change of address.  The text lines stay empty: what the code
    holds is only known by decoding it, as a smartphone does.
    """

    name = "qr"

    def render(self):
        p = self.phone
        port = "" if p.web_port == 80 else f":{p.web_port}"
        return Frame(self.name, "QR Code", [], ("", "Back"), self.status_icons(), qr=f"http://{p.ip}{port}/")

    def key(self, key, long):
        if key in ("SOFT_RIGHT", "ONHOOK", "OK"):
            self.ui.pop()
