"""Screens of text messages (manual §6.2.1): Menu -> Messages -> Text Message.

The H680 has two soft keys, so a folder shows "Options" (View, Reply,
Delete, Delete All) and "Back"; OK views the selected message.  Writing is two
steps as in the manual: the text first (``#`` changes the input method), then
Send opens the addressing page, where From is switched between the accounts
and To takes the number; Send there sends.  Leaving unsent text with on-hook
keeps it in Drafts.
"""
from __future__ import annotations

import textwrap

from .input_method import MultiTapInput
from .lcd import Frame
from .ui import DIGITS, ConfirmScreen, ListScreen, MessageScreen, Screen, editor_line

FOLDER_TITLES = {"inbox": "Inbox", "sent": "Sent", "outbox": "Outbox", "drafts": "Drafts"}
LINE_WIDTH = 20   # characters of message text per LCD line


class FolderScreen(ListScreen):
    name = "messages"
    softkeys = ("Options", "Back")

    def __init__(self, ui, folder: str):
        super().__init__(ui)
        self.folder = folder
        self.title = FOLDER_TITLES[folder]

    def messages(self):
        return self.phone.storage.messages(self.folder)

    def items(self):
        return [f"{'*' if m.unread else ''}{m.number}: {m.text[:12]}" for m in self.messages()] or ["(empty)"]

    def selected(self):
        messages = self.messages()
        return messages[min(self.index, len(messages) - 1)] if messages else None

    def key(self, key, long):
        message = self.selected()
        if key == "OK" and message is not None:
            self.ui.push(ViewScreen(self.ui, message))
        elif key == "SOFT_LEFT":
            self.ui.push(OptionsScreen(self.ui, self))
        elif key in DIGITS:
            pass   # no shortcut digits in a message list
        else:
            super().key(key, long)


class OptionsScreen(ListScreen):
    name = "options"
    title = "Options"
    softkeys = ("OK", "Back")

    def __init__(self, ui, folder: FolderScreen):
        super().__init__(ui)
        self.folder = folder

    def items(self):
        has = self.folder.selected() is not None
        reply = ["Reply"] if self.folder.folder == "inbox" else []
        return (["View", *reply, "Delete", "Delete All"] if has else ["Delete All"])

    def open(self, index):
        choice, message, ui = self.items()[index], self.folder.selected(), self.ui
        ui.pop()
        storage = self.phone.storage
        if choice == "View":
            ui.push(ViewScreen(ui, message))
        elif choice == "Reply":
            ui.push(ComposeScreen(ui, to=message.number, account=message.account))
        elif choice == "Delete":
            ui.push(ConfirmScreen(ui, "Delete message?", lambda: storage.delete_message(message.id)))
        elif choice == "Delete All":
            ui.push(ConfirmScreen(ui, "Delete all?", lambda: storage.delete_folder(self.folder.folder)))


class ViewScreen(Screen):
    """One message; opening an unread message reads it (the new-message count goes down)."""

    name = "message_view"

    def __init__(self, ui, message):
        super().__init__(ui)
        self.message = message
        if message.unread:
            self.phone.storage.mark_read(message.id)

    def render(self):
        m = self.message
        who = "From" if m.folder == "inbox" else "To"
        body = textwrap.wrap(m.text, LINE_WIDTH) or [""]
        keys = ("Reply", "Back") if m.folder == "inbox" else ("", "Back")
        return Frame(self.name, f"{who} {m.number}", body, keys, self.status_icons())

    def key(self, key, long):
        if key == "SOFT_LEFT" and self.message.folder == "inbox":
            self.ui.pop()
            self.ui.push(ComposeScreen(self.ui, to=self.message.number, account=self.message.account))
        elif key in ("SOFT_RIGHT", "OK"):
            self.ui.pop()
        else:
            super().key(key, long)


class ComposeScreen(Screen):
    """Write the text; Send goes on to From / To.  On-hook keeps unsent text as a draft."""

    name = "compose"

    def __init__(self, ui, to: str = "", account: int | None = None, text: str = ""):
        super().__init__(ui)
        self.to, self.account = to, account or ui.phone.active_account
        self.editor = MultiTapInput(text=text, mode="abc")

    def render(self):
        lines = textwrap.wrap(editor_line(self.editor), LINE_WIDTH) or [""]
        right = "Delete" if self.editor.text else "Back"
        return Frame(self.name, "New Message", lines, ("Send", right), self.status_icons())

    def key(self, key, long):
        if key in DIGITS:
            self.editor.press(key)
        elif key in ("SOFT_LEFT", "OK") and self.editor.text:
            self.editor.commit()
            self.ui.push(AddressScreen(self.ui, self))
        elif key in ("SOFT_RIGHT", "DELETE") and self.editor.text:
            self.editor.delete()
        elif key == "SOFT_RIGHT":
            self.ui.pop()
        elif key == "ONHOOK":
            self.phone.texts.save_draft(self.account, self.to, self.editor.text)
            self.ui.home()


class AddressScreen(ListScreen):
    """From (switched between the accounts) and To; Send sends, Back returns to the text."""

    name = "address"
    title = "Send To"

    def __init__(self, ui, compose: ComposeScreen):
        super().__init__(ui)
        self.compose = compose
        self.index = 1   # the To line: Send is one key away; up selects From to switch account
        self.error = ""

    def items(self):
        c = self.compose
        user = self.phone.config[f"account.{c.account}.user_name"] or "-"
        lines = [f"From: Account {c.account} ({user})", f"To: {c.to}"]
        return lines + ([self.error] if self.error else [])

    def render(self):
        left = "Switch" if self.index == 0 else "Send"
        return Frame(self.name, self.title, self.items(), (left, "Back"), self.status_icons(), self.index)

    def key(self, key, long):
        c = self.compose
        if key in ("UP", "DOWN"):
            self.index = 1 - self.index
        elif key in ("LEFT", "RIGHT") or (key == "SOFT_LEFT" and self.index == 0):
            c.account = 2 if c.account == 1 else 1
        elif key in DIGITS and self.index == 1:
            c.to += key
        elif key == "DELETE" and self.index == 1:
            c.to = c.to[:-1]
        elif key in ("SOFT_LEFT", "OK"):
            self.error = self.phone.texts.send(c.account, c.to, c.editor.text)
            if not self.error:
                self.ui.home()
                self.ui.push(MessageScreen(self.ui, "Message", ["Sent"]))
        elif key == "SOFT_RIGHT":
            self.ui.pop()
        elif key == "ONHOOK":
            self.phone.texts.save_draft(c.account, c.to, c.editor.text)
            self.ui.home()
