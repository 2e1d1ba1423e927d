"""LDAP on the phone's screens (manual §4.3.3.1, §4.3.3.4).

* Menu -> Directory -> LDAP (shown only while LDAP is enabled, REQ-LDAP-26) opens the
  search screen, titled with the LDAP label (REQ-LDAP-09).  The user types a name or a
  number with the input methods; each time the typed text settles (the multi-tap
  character committed) the phone asks the server and lists what it returned
  (REQ-LDAP-06/07).  Up/down choose a result; Send calls its number (REQ-LDAP-27);
  Option offers Add to Contacts and Add to Blacklist (REQ-LDAP-04, REQ-BL-09).  Results
  are read-only: nothing here edits or deletes them (REQ-LDAP-03).
* On the dial screen (pre-dial and off-hook), with "LDAP lookup for call-out" on, the
  digits typed are looked up and matches listed under them; up/down choose one and Send
  (or OK, off-hook) calls it (REQ-LDAP-05, REQ-LDAP-24).
* A failure (server unreachable, certificate not trusted …) is said on the LCD with the
  server's address.
"""
from __future__ import annotations

import asyncio

from .input_method import MultiTapInput
from .lcd import Frame
from .ldap_directory import LdapEntry, LdapError
from .ldap_phone import lcd_error
from .ui import DIGITS, MENU, Leaf, ListScreen, MessageScreen, Screen, editor_line

SETTLE_SECS = 1.05   # the multi-tap commit (1 s) and a little: the typed text is final then
MESSAGE_SECS = 2.0


def result_line(entry: LdapEntry) -> str:
    return " ".join(x for x in (entry.name, entry.number) if x)


class LdapSearchScreen(Screen):
    """Menu -> Directory -> LDAP: type, see the server's answer, call or copy a result."""

    name = "ldap"

    def __init__(self, ui):
        super().__init__(ui)
        self.editor = MultiTapInput(mode="2aB", max_length=64)
        self.results: list[LdapEntry] | None = None
        self.error: list[str] = []
        self.searching = False
        self.searched = ""
        self.seq = 0
        self.index = 0

    # -- drawing ------------------------------------------------------------------------
    def render(self):
        lines = [f"Search: {editor_line(self.editor)}"]
        selected = None
        if self.searching:
            lines.append("Searching...")
        elif self.error:
            lines += self.error
        elif self.results is None:
            lines.append("Enter name or number")
        elif not self.results:
            lines.append("No match")
        else:
            lines += [result_line(e) for e in self.results]
            selected = 1 + self.index
        keys = ("Send", "Option") if selected is not None else ("", "Back")
        return Frame(self.name, self.phone.config["ldap.label"], lines, keys, self.status_icons(), selected)

    def selected(self) -> LdapEntry | None:
        if self.searching or self.error or not self.results:
            return None
        return self.results[self.index]

    # -- keys ---------------------------------------------------------------------------
    def key(self, key, long):
        entry = self.selected()
        if key in DIGITS:
            self.editor.press(key)
            self._typed()
        elif key == "DELETE":
            self.editor.delete()
            self._typed()
        elif key in ("UP", "DOWN") and entry is not None:
            self.index = (self.index + (1 if key == "DOWN" else -1)) % len(self.results)
        elif key in ("SOFT_LEFT", "OFFHOOK", "SPEAKER") and entry is not None:
            call_entry(self, entry, "speaker" if key != "OFFHOOK" else self.phone._default_mode())
        elif key in ("SOFT_RIGHT", "OK") and entry is not None:
            self.ui.push(LdapOptionScreen(self.ui, entry))
        elif key == "SOFT_RIGHT":
            self.ui.pop()
        else:
            super().key(key, long)

    def _typed(self) -> None:
        self._refresh()
        asyncio.get_running_loop().call_later(SETTLE_SECS, self._refresh)

    def _refresh(self) -> None:
        """Ask the server once the typed text is settled and differs from the last question."""
        if self not in self.ui.stack or self.editor.pending is not None:
            return
        text = self.editor.text.strip()
        if text == self.searched:
            return
        self.searched, self.seq = text, self.seq + 1
        self.error, self.index = [], 0
        if not text:
            self.results, self.searching = None, False
            return
        self.searching = True
        seq = self.seq
        self.phone.ldap.search(text, lambda result: self._answer(seq, result))

    def _answer(self, seq: int, result) -> None:
        if seq != self.seq:
            return   # a newer question is under way
        self.searching = False
        if isinstance(result, LdapError):
            self.results, self.error = None, lcd_error(result)
        else:
            self.results, self.error = list(result), []


class LdapOptionScreen(ListScreen):
    """Option on a result: it can be copied into the phone's own lists, not changed."""

    name = "ldap_option"
    softkeys = ("OK", "Back")

    def __init__(self, ui, entry: LdapEntry):
        super().__init__(ui)
        self.entry = entry
        self.title = entry.name

    def items(self):
        return ["Send", "Add to Contacts", "Add to Blacklist"]

    def open(self, index):
        from .contacts import DirectoryError
        e, d = self.entry, self.phone.directory
        if index == 0:
            self.ui.pop()
            call_entry(self, e, "speaker")
            return
        numbers = (e.dialable + ["", "", ""])[:3]
        try:
            if index == 1:
                d.add_contact(e.name, office=numbers[0], mobile=numbers[1], other=numbers[2])
                text = "Added to Contacts"
            else:
                d.add_to_blacklist(e.name, e.number)
                text = "Added to Blacklist"
        except DirectoryError as exc:
            text = str(exc)
        self.ui.pop()
        self.ui.push(MessageScreen(self.ui, self.title, [text, result_line(e)], secs=MESSAGE_SECS))


def call_entry(screen: Screen, entry: LdapEntry, mode: str) -> None:
    if not entry.number or not screen.phone.dial(entry.number, mode):
        screen.ui.push(MessageScreen(screen.ui, "LDAP", ["Cannot call", entry.number or entry.name],
                                     secs=MESSAGE_SECS))


# --- the dial screen's lookup (REQ-LDAP-05, REQ-LDAP-24) -------------------------------------
def dial_typed(screen) -> None:
    """The digits on the dial screen changed: ask the server (if the lookup is on) for matches."""
    screen.ldap_seq = getattr(screen, "ldap_seq", 0) + 1
    screen.ldap_matches, screen.ldap_index = [], None
    seq = screen.ldap_seq

    def done(result):
        if seq == getattr(screen, "ldap_seq", 0) and not isinstance(result, LdapError):
            screen.ldap_matches = list(result)

    if screen.digits:
        screen.phone.ldap.dial_search(screen.digits, done)


def dial_lines(screen) -> tuple[list[str], int | None]:
    """Lines under the digits and the highlighted one (None: the digits themselves)."""
    matches = getattr(screen, "ldap_matches", [])
    index = getattr(screen, "ldap_index", None)
    return [result_line(e) for e in matches], (None if index is None else 1 + index)


def dial_key(screen, key: str) -> bool:
    """Up/down choose a match; Send / OK / off-hook call the chosen one.  True if the key was used."""
    matches = getattr(screen, "ldap_matches", [])
    index = getattr(screen, "ldap_index", None)
    if not matches:
        return False
    if key in ("UP", "DOWN"):
        if index is None:
            screen.ldap_index = 0 if key == "DOWN" else len(matches) - 1
        else:
            screen.ldap_index = (index + (1 if key == "DOWN" else -1)) % len(matches)
        return True
    if index is not None and key in ("SOFT_LEFT", "OK", "OFFHOOK"):
        mode = screen.mode or (screen.phone._default_mode() if key == "OFFHOOK" else "speaker")
        call_entry(screen, matches[index], mode)
        return True
    return False


# --- Menu -> Directory -> LDAP ---------------------------------------------------------------
class LdapLeaf(Leaf):
    """The LDAP entry of the Directory menu: there only while LDAP is enabled (REQ-LDAP-26)."""

    @staticmethod
    def shown(phone) -> bool:
        return bool(phone.config["ldap.enable"])


MENU.setdefault("Directory", {})["LDAP"] = LdapLeaf(lambda ui, title: LdapSearchScreen(ui))
