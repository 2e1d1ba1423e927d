"""Phone screens of the directory and the call history (manual §4.3.1, §4.3.2, §4.4).

Menu -> Directory -> Local contacts lists "All contacts" and the groups (the
default group first).  The H680 has two soft keys, so:

* groups list: "Options" (Add group, Details, Delete, Delete all) and "Back";
  OK opens a group;
* a contact list: "Call" (the contact's numbers, then "Send" calls the chosen
  one from the contact's account) and "Options" (Add, Details, Delete,
  Delete all); an empty list offers "Add" and "Back"; the Delete key goes back;
* forms (contact, group, blacklist entry): text fields are typed with the
  input methods, choice fields change with "Switch" (or left/right); OK --
  or "Save" on a text field -- saves; a refusal stays on the form with a
  short line saying why ("Contacts full", "Name already used" ...);
* deletes ask first; OK confirms.

Menu -> Directory -> Blacklist: the entries, "Options" (Add, Details,
Delete, Delete all).  History soft key: every call, newest first; left/right
step through All / Dialled / Received / Missed; OK or off-hook calls the
selected number; "Options" holds Details, Call, Add to contacts, Add to
blacklist, Delete, Delete all.

At a limit the Add entry does not open a form: the LCD says "Contacts full",
"Groups full" or "Blacklist full" at once.
"""
from __future__ import annotations

from typing import Callable

from . import call_history
from .contacts import DEFAULT_GROUP_ID, Contact, DirectoryError
from .directory_calls import lcd_problem
from .input_method import MultiTapInput
from .lcd import Frame
from .ui import DIGITS, ConfirmScreen, HistoryScreen, ListScreen, MessageScreen, Screen, editor_line

LIMIT_SECS = 3.0   # how long a "... full" prompt stays


def _full(ui, title: str, text: str) -> None:
    ui.push(MessageScreen(ui, title, [text], secs=LIMIT_SECS))


class OptionsList(ListScreen):
    """A small list of actions; OK runs one, Back closes it."""

    name = "options"
    title = "Options"
    softkeys = ("OK", "Back")

    def __init__(self, ui, actions: list[tuple[str, Callable[[], None]]]):
        super().__init__(ui)
        self.actions = actions

    def items(self):
        return [label for label, _ in self.actions]

    def open(self, index):
        _, action = self.actions[index]
        self.ui.pop()
        action()


# --- forms ----------------------------------------------------------------------------------
class Field:
    def __init__(self, label: str, value: str = "", choices: list[tuple[str, str]] | None = None,
                 mode: str = "2aB"):
        self.label, self.value, self.choices, self.mode = label, value, choices, mode

    def shown(self) -> str:
        if self.choices is None:
            return self.value
        return next((text for value, text in self.choices if value == self.value), self.value)


class DirectoryForm(Screen):
    """Fields typed with multi-tap or switched; OK (or Save) calls ``save``, which may raise DirectoryError."""

    name = "directory_form"

    def __init__(self, ui, title: str, fields: list[Field]):
        super().__init__(ui)
        self.title, self.fields = title, fields
        self.index = 0
        self.editor: MultiTapInput | None = None
        self.error = ""

    def field(self, label: str) -> Field:
        return next(f for f in self.fields if f.label == label)

    def _commit_editor(self):
        if self.editor is not None:
            self.editor.tick()
            self.fields[self.index].value = self.editor.text
            self.editor = None

    def render(self):
        lines = []
        for i, f in enumerate(self.fields):
            value = editor_line(self.editor) if i == self.index and self.editor is not None else f.shown()
            lines.append(f"{f.label}: {value}")
        if self.error:
            lines.append(self.error)
        left = "Switch" if self.fields[self.index].choices is not None else "Save"
        return Frame(self.name, self.title, lines, (left, "Back"), self.status_icons(), self.index)

    def key(self, key, long):
        f = self.fields[self.index]
        if key in ("UP", "DOWN"):
            self._commit_editor()
            self.index = (self.index + (1 if key == "DOWN" else -1)) % len(self.fields)
        elif key in ("SOFT_LEFT", "LEFT", "RIGHT") and f.choices is not None:
            values = [v for v, _ in f.choices]
            i = values.index(f.value) if f.value in values else -1
            f.value = values[(i + (-1 if key == "LEFT" else 1)) % len(values)]
        elif key in ("SOFT_LEFT", "OK"):
            self._commit_editor()
            try:
                done = self.save()
            except DirectoryError as exc:
                self.error = lcd_problem(exc)
                return
            self.ui.pop()
            self.ui.push(MessageScreen(self.ui, self.title, [done or "Saved"]))
        elif key == "SOFT_RIGHT":
            self.ui.pop()
        elif key in DIGITS and f.choices is None:
            if self.editor is None:
                self.editor = MultiTapInput(text=f.value, mode=f.mode)
            self.editor.press(key)
        elif key == "DELETE" and f.choices is None:
            if self.editor is None:
                self.editor = MultiTapInput(text=f.value, mode=f.mode)
            self.editor.delete()
        else:
            super().key(key, long)

    def save(self) -> str:
        raise NotImplementedError


def _ring_choices(phone) -> list[tuple[str, str]]:
    choices = [("0", "Default")] + [(str(n), f"Ring {n}") for n in range(1, 11)]
    custom = phone.config.get("sounds.custom_ringtone")
    return choices + ([(custom, custom)] if custom else [])


class ContactForm(DirectoryForm):
    """Add (``contact`` None) or edit a contact: Name, Office, Mobile, Other, Ring, Account, Group."""

    def __init__(self, ui, contact: Contact | None = None, group_id: int = DEFAULT_GROUP_ID,
                 number: str = "", name: str = ""):
        phone = ui.phone
        c = contact
        groups = [(str(g.id), g.name) for g in phone.directory.groups()]
        fields = [
            Field("Name", c.name if c else name),
            Field("Office", c.office if c else number, mode="123"),
            Field("Mobile", c.mobile if c else "", mode="123"),
            Field("Other", c.other if c else "", mode="123"),
            Field("Ring", str(c.ringtone) if c else "0", _ring_choices(phone)),
            Field("Account", str(c.account) if c else "0",
                  [("0", "Default"), ("1", "Account 1"), ("2", "Account 2")]),
            Field("Group", str(c.group_id if c else group_id), groups),
        ]
        super().__init__(ui, "Edit contact" if c else "Add contact", fields)
        self.contact = contact

    def save(self) -> str:
        values = {f.label: f.value for f in self.fields}
        args = dict(name=values["Name"], office=values["Office"], mobile=values["Mobile"],
                    other=values["Other"], ringtone=values["Ring"], account=values["Account"],
                    group_id=int(values["Group"]))
        d = self.phone.directory
        if self.contact is None:
            d.add_contact(**args)
        else:
            d.update_contact(self.contact.id, **args)
        return "Saved"


class GroupForm(DirectoryForm):
    def __init__(self, ui, group=None):
        super().__init__(ui, "Edit group" if group else "Add group",
                         [Field("Group name", group.name if group else "", mode="abc")])
        self.group = group

    def save(self) -> str:
        d, name = self.phone.directory, self.fields[0].value
        if self.group is None:
            d.add_group(name, from_phone=True)
        else:
            d.rename_group(self.group.id, name, from_phone=True)
        return "Saved"


class BlacklistForm(DirectoryForm):
    def __init__(self, ui, entry=None, name: str = "", number: str = ""):
        super().__init__(ui, "Edit blacklist" if entry else "Add blacklist",
                         [Field("Name", entry.name if entry else name),
                          Field("Number", entry.number if entry else number, mode="123")])
        self.entry = entry

    def save(self) -> str:
        d = self.phone.directory
        name, number = self.field("Name").value, self.field("Number").value
        if self.entry is None:
            d.add_to_blacklist(name, number)
        else:
            d.update_blacklist_entry(self.entry.id, name, number)
        return "Saved"


# --- openers that check the limits first --------------------------------------------------
def add_contact(ui, group_id: int = DEFAULT_GROUP_ID, number: str = "", name: str = "") -> None:
    d = ui.phone.directory
    if d.contact_count() >= d.MAX_CONTACTS:
        _full(ui, "Add contact", "Contacts full")
    else:
        ui.push(ContactForm(ui, group_id=group_id, number=number, name=name))


def add_group(ui) -> None:
    d = ui.phone.directory
    if len(d.groups()) >= d.MAX_GROUPS:
        _full(ui, "Add group", "Groups full")
    else:
        ui.push(GroupForm(ui))


def add_blacklist(ui, name: str = "", number: str = "") -> None:
    d = ui.phone.directory
    if len(d.blacklist()) >= d.MAX_BLACKLIST:
        _full(ui, "Add blacklist", "Blacklist full")
    else:
        ui.push(BlacklistForm(ui, name=name, number=number))


# --- local contacts -------------------------------------------------------------------------
class GroupsScreen(ListScreen):
    """Menu -> Directory -> Local contacts: "All contacts", then every group with its count."""

    name = "contact_groups"
    title = "Local contacts"
    softkeys = ("Options", "Back")

    def rows(self):
        d = self.phone.directory
        return [None] + d.groups()

    def items(self):
        d = self.phone.directory
        return [f"All contacts ({d.contact_count()})"] + [
            f"{g.name} ({len(d.contacts(g.id))})" for g in d.groups()]

    def selected_group(self):
        rows = self.rows()
        return rows[min(self.index, len(rows) - 1)]

    def open(self, index):
        group = self.rows()[index]
        self.ui.push(ContactsScreen(self.ui, group.id if group else None))

    def key(self, key, long):
        if key == "SOFT_LEFT":
            self.ui.push(OptionsList(self.ui, self.options()))
        elif key == "OK":
            self.open(self.index)
        elif key in DIGITS:
            pass
        else:
            super().key(key, long)

    def options(self):
        ui, d, group = self.ui, self.phone.directory, self.selected_group()

        def refuse(text):
            return lambda: _full(ui, "Group", text)

        actions = [("Add group", lambda: add_group(ui))]
        if group is not None:
            if group.is_default:
                actions += [("Details", refuse("Default group locked")), ("Delete", refuse("Default group locked"))]
            else:
                actions += [("Details", lambda: ui.push(GroupForm(ui, group))),
                            ("Delete", lambda: ui.push(ConfirmScreen(ui, f"Delete group {group.name}?",
                                                                     lambda: d.delete_group(group.id))))]
        actions.append(("Delete all", lambda: ui.push(ConfirmScreen(ui, "Delete all groups?", d.delete_all_groups))))
        return actions


class ContactsScreen(ListScreen):
    """The contacts of a group (or all of them), by name."""

    name = "contacts"

    def __init__(self, ui, group_id: int | None):
        super().__init__(ui)
        self.group_id = group_id

    @property
    def title(self):
        return "All contacts" if self.group_id is None else self.phone.directory.group(self.group_id).name

    def contacts(self) -> list[Contact]:
        return self.phone.directory.contacts(self.group_id)

    def selected(self) -> Contact | None:
        contacts = self.contacts()
        return contacts[min(self.index, len(contacts) - 1)] if contacts else None

    def items(self):
        return [c.name for c in self.contacts()] or ["(empty)"]

    def render(self):
        keys = ("Call", "Options") if self.contacts() else ("Add", "Back")
        return Frame(self.name, self.title, self.items(), keys, self.status_icons(), self.index)

    def key(self, key, long):
        contact = self.selected()
        if key in ("SOFT_LEFT", "OK", "OFFHOOK") and contact is not None:
            self.ui.push(NumbersScreen(self.ui, contact))
        elif key == "SOFT_LEFT":
            add_contact(self.ui, self.group_id or DEFAULT_GROUP_ID)
        elif key == "SOFT_RIGHT" and contact is not None:
            self.ui.push(OptionsList(self.ui, self.options(contact)))
        elif key == "DELETE":
            self.ui.pop()
        elif key in DIGITS:
            pass
        else:
            super().key(key, long)

    def options(self, contact: Contact):
        ui, d = self.ui, self.phone.directory
        return [("Add", lambda: add_contact(ui, self.group_id or DEFAULT_GROUP_ID)),
                ("Details", lambda: ui.push(ContactForm(ui, d.contact(contact.id)))),
                ("Delete", lambda: ui.push(ConfirmScreen(ui, f"Delete {contact.name}?",
                                                         lambda: d.delete_contact(contact.id)))),
                ("Delete all", lambda: ui.push(ConfirmScreen(ui, "Delete all contacts?", d.delete_all_contacts)))]


NUMBER_LABELS = {"office": "Office", "mobile": "Mobile", "other": "Other"}


class NumbersScreen(ListScreen):
    """The Call soft key: the contact's numbers; Send calls the chosen one from the contact's account."""

    name = "contact_numbers"
    softkeys = ("Send", "Back")

    def __init__(self, ui, contact: Contact):
        super().__init__(ui)
        self.contact = contact
        self.title = contact.name

    def items(self):
        return [f"{NUMBER_LABELS[f]}: {n}" for f, n in self.contact.numbers()]

    def open(self, index):
        call_number(self.ui, self.contact.numbers()[index][1], self.contact.account)

    def key(self, key, long):
        if key == "OFFHOOK":
            self.open(self.index)
        else:
            super().key(key, long)


def call_number(ui, number: str, account: int = 0, mode: str | None = None) -> None:
    """Call from a list: the phone goes to the call screen (back to idle when it ends)."""
    p = ui.phone
    n = account or p.active_account
    if not p.engine.usable_account(n):
        _full(ui, "Call", f"Account {n} not ready")
        return
    ui.home()
    if not p.dial(number, mode or p._default_mode(), account=account):
        _full(ui, "Call", "Cannot call now")


# --- blacklist ------------------------------------------------------------------------------
class BlacklistScreen(ListScreen):
    name = "blacklist"
    title = "Blacklist"

    def entries(self):
        return self.phone.directory.blacklist()

    def selected(self):
        entries = self.entries()
        return entries[min(self.index, len(entries) - 1)] if entries else None

    def items(self):
        return [" ".join(x for x in (e.name, e.number) if x) for e in self.entries()] or ["(empty)"]

    def render(self):
        keys = ("Options", "Back") if self.entries() else ("Add", "Back")
        return Frame(self.name, self.title, self.items(), keys, self.status_icons(), self.index)

    def key(self, key, long):
        entry = self.selected()
        ui, d = self.ui, self.phone.directory
        if key == "SOFT_LEFT" and entry is None:
            add_blacklist(ui)
        elif key in ("SOFT_LEFT", "OK") and entry is not None:
            ui.push(OptionsList(ui, [
                ("Add", lambda: add_blacklist(ui)),
                ("Details", lambda: ui.push(BlacklistForm(ui, entry))),
                ("Delete", lambda: ui.push(ConfirmScreen(ui, f"Delete {entry.number}?",
                                                         lambda: d.remove_from_blacklist(entry.id)))),
                ("Delete all", lambda: ui.push(ConfirmScreen(ui, "Delete all?", d.clear_blacklist)))]))
        elif key in DIGITS:
            pass
        else:
            super().key(key, long)


# --- call history (§4.4) --------------------------------------------------------------------
class CallHistoryScreen(HistoryScreen):
    """The History soft key: All / Dialled / Received / Missed (left/right), Options on a record."""

    softkeys = ("Options", "Back")

    def __init__(self, ui):
        super().__init__(ui)
        self.which = "all"

    @property
    def title(self):
        return call_history.LIST_TITLES[self.which]

    def records(self):
        return call_history.records(self.phone.storage, self.which)

    def selected(self):
        records = self.records()
        return records[min(self.index, len(records) - 1)] if records else None

    def key(self, key, long):
        record = self.selected()
        if key in ("LEFT", "RIGHT"):
            lists = call_history.LISTS
            self.which = lists[(lists.index(self.which) + (1 if key == "RIGHT" else -1)) % len(lists)]
            self.index = 0
        elif key == "SOFT_LEFT":
            if record is not None:
                self.ui.push(OptionsList(self.ui, self.options(record)))
        elif key in ("OK", "OFFHOOK") and record is not None:
            call_number(self.ui, record.number, 0, "speaker" if key == "OK" else None)
        elif key in DIGITS:
            pass
        else:
            super().key(key, long)

    def options(self, record):
        ui, storage = self.ui, self.phone.storage
        kind = None if self.which == "all" else self.which
        return [("Details", lambda: ui.push(HistoryDetailScreen(ui, record))),
                ("Call", lambda: call_number(ui, record.number)),
                ("Add to contacts", lambda: add_contact(ui, number=record.number, name=record.name)),
                ("Add to blacklist", lambda: add_blacklist(ui, name=record.name, number=record.number)),
                ("Delete", lambda: ui.push(ConfirmScreen(ui, "Delete record?",
                                                         lambda: call_history.delete_calls(storage, [record.id])))),
                ("Delete all", lambda: ui.push(ConfirmScreen(ui, "Delete all records?",
                                                             lambda: storage.clear_calls(kind))))]


class HistoryDetailScreen(ListScreen):
    """Options -> Details: number, name, type, time, duration, account; Send calls back."""

    name = "history_detail"
    title = "Details"
    softkeys = ("Send", "Back")

    def __init__(self, ui, record):
        super().__init__(ui)
        self.record = record

    def items(self):
        return call_history.detail_lines(self.record)

    def key(self, key, long):
        if key in ("SOFT_LEFT", "OK", "OFFHOOK"):
            call_number(self.ui, self.record.number)
        elif key in DIGITS:
            pass
        else:
            super().key(key, long)


def local_contacts(ui, title: str = "") -> Screen:
    return GroupsScreen(ui)


def blacklist(ui, title: str = "") -> Screen:
    return BlacklistScreen(ui)


def history(ui, title: str = "") -> Screen:
    return CallHistoryScreen(ui)
