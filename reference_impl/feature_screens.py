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
from .ui import DIGITS, DialScreen


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
    transfer and takes the held call back.
    """

    name = "transfer"

    def __init__(self, ui):
        super().__init__(ui, digits="", mode=None)

    def render(self):
        held = self.phone.transfer_from
        who = (held.name or held.number) if held else ""
        keys = ("BTra", "Send") if self.digits else ("", "Resume")
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
