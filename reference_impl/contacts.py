"""Local contacts, contact groups and the blacklist (manual §4.3.1, §4.3.2).

What the manual fixes (REQ-CONT-*, REQ-BL-*):

* up to 1000 local contacts and 10 groups, the default group included;
* a contact has a name, office, mobile and other numbers, a ringtone, an
  account and a group;
* the default group can be neither renamed nor deleted; "delete all groups"
  removes only the groups the user made;
* on the phone's keypad a group name can only be typed in English;
* the blacklist holds up to 30 entries (name and number) and a call from a
  number on it is rejected automatically.

What the manual leaves open, and how this model decides (interpretations):

* At a limit the new item is refused with a ``DirectoryError`` naming the
  limit, and nothing already stored changes (REQ-CONT-02/03, REQ-BL-01).
* The contacts of a deleted group move to the default group; none is lost
  (REQ-CONT-29).  The same happens, group by group, on "delete all groups".
* Contact names are unique (case-insensitive for Latin letters), so that
  "same name" can identify a contact when an exported file is edited and
  imported again (REQ-CONT-22).  Adding a second contact with an existing name
  is refused; edit the existing one instead.  Group names are unique too.
* "BlackList" is not a group: the web form uses it as a pseudo-group to add a
  blacklist entry (REQ-BL-05), so no real group may take that name.
* The default group is stored under the name ``Default`` (id 1); the screens
  translate it (Chinese UI: the default group's own label).
* Lengths the manual does not give: names and group names up to 32
  characters, numbers up to 64.  A number may be a phone number (digits,
  ``* # +``) or a SIP user / URI (letters, ``. @ : _ -`` too); spaces, and in
  a plain phone number the separators ``- ( )``, are dropped when it is saved.
* A ringtone is 0 (the phone's own ringtone), 1-10 (the built-in "Ring N") or
  the name of an uploaded ringtone.  An account is 0 (default: the phone picks
  the line, as for any dialled number), 1 or 2.
* Lookup by number (caller name, per-contact ringtone, blacklist) compares
  the number as saved with the number given, and also with the user part of a
  SIP URI given (``sip:2001@pbx;transport=udp`` -> ``2001``).  When several
  contacts share a number, the oldest contact wins.
* A blacklist entry needs a number; its name may be empty.  A number can be on
  the blacklist once.

Storage: the tables are built by ``CONTACTS_MIGRATION``, one more step for
``storage.MIGRATIONS``.  The default group row is made by that step, and two
triggers keep it: a DELETE of it is silently skipped and an UPDATE of it is
aborted.  So a factory reset that empties every table of ``CONTACT_TABLES``
(in any order, in one transaction) leaves exactly the default group, with no
further call.  ``Directory.restore_defaults()`` exists for belt and braces: it
recreates the row if anything ever removed it, and is harmless otherwise.

One owner: like its ``PhoneStorage``, a ``Directory`` belongs to the thread
(the phone's event loop) that made the storage.
"""
from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from .storage import PhoneStorage

MAX_CONTACTS = 1000
MAX_GROUPS = 10          # the default group counts
MAX_BLACKLIST = 30
MAX_NAME = 32            # characters in a contact, group or blacklist name (interpretation)
MAX_NUMBER = 64          # characters in a number (interpretation)
RINGTONE_COUNT = 10      # built-in ringtones "Ring 1" .. "Ring 10" (§4.2.2)
ACCOUNTS = (0, 1, 2)     # 0 = default / the phone chooses

DEFAULT_GROUP_ID = 1
DEFAULT_GROUP_NAME = "Default"
BLACKLIST_GROUP_NAME = "BlackList"   # the web form's pseudo-group for the blacklist

NUMBER_FIELDS = ("office", "mobile", "other")
NUMBER_LABELS = {"office": "office number", "mobile": "mobile number", "other": "other number"}

CONTACTS_MIGRATION: list[str] = [
    """CREATE TABLE contact_groups (
           id   INTEGER PRIMARY KEY,
           name TEXT    NOT NULL UNIQUE COLLATE NOCASE
       )""",
    f"INSERT INTO contact_groups (id, name) VALUES ({DEFAULT_GROUP_ID}, '{DEFAULT_GROUP_NAME}')",
    # The default group survives any DELETE (one row, a group, or a factory reset's
    # "DELETE FROM contact_groups") and refuses any change.
    f"""CREATE TRIGGER contact_groups_keep_default BEFORE DELETE ON contact_groups
        WHEN OLD.id = {DEFAULT_GROUP_ID}
        BEGIN SELECT RAISE(IGNORE); END""",
    f"""CREATE TRIGGER contact_groups_default_is_fixed BEFORE UPDATE ON contact_groups
        WHEN OLD.id = {DEFAULT_GROUP_ID}
        BEGIN SELECT RAISE(ABORT, 'the default group can be neither renamed nor deleted'); END""",
    # ON DELETE SET DEFAULT: a contact whose group goes lands in the default group,
    # whatever order the tables are emptied in.
    f"""CREATE TABLE contacts (
           id       INTEGER PRIMARY KEY AUTOINCREMENT,
           name     TEXT    NOT NULL UNIQUE COLLATE NOCASE,
           office   TEXT    NOT NULL DEFAULT '',
           mobile   TEXT    NOT NULL DEFAULT '',
           other    TEXT    NOT NULL DEFAULT '',
           ringtone TEXT    NOT NULL DEFAULT '0',
           account  INTEGER NOT NULL DEFAULT 0 CHECK (account IN (0, 1, 2)),
           group_id INTEGER NOT NULL DEFAULT {DEFAULT_GROUP_ID}
                    REFERENCES contact_groups (id) ON DELETE SET DEFAULT,
           CHECK (office != '' OR mobile != '' OR other != '')
       )""",
    "CREATE INDEX contacts_by_group ON contacts (group_id)",
    "CREATE INDEX contacts_by_office ON contacts (office)",
    "CREATE INDEX contacts_by_mobile ON contacts (mobile)",
    "CREATE INDEX contacts_by_other ON contacts (other)",
    """CREATE TABLE blacklist (
           id     INTEGER PRIMARY KEY AUTOINCREMENT,
           name   TEXT    NOT NULL DEFAULT '',
           number TEXT    NOT NULL UNIQUE
       )""",
]

# For storage.RECORD_TABLES (a factory reset empties them).  Contacts come
# before their groups; the triggers keep the default group in any case.
CONTACT_TABLES: tuple[str, ...] = ("contacts", "contact_groups", "blacklist")


class DirectoryError(ValueError):
    """A refused change; the message is meant for the user (web page or LCD)."""


@dataclass(frozen=True)
class Group:
    id: int
    name: str

    @property
    def is_default(self) -> bool:
        return self.id == DEFAULT_GROUP_ID


@dataclass(frozen=True)
class Contact:
    """One local contact (§4.3.1)."""

    id: int
    name: str
    office: str
    mobile: str
    other: str
    ringtone: int | str   # 0 = phone default, 1-10 = "Ring N", or an uploaded ringtone's name
    account: int          # 0 = default, 1 or 2
    group_id: int
    group: str            # the group's name

    def numbers(self) -> list[tuple[str, str]]:
        """(field, number) for each number filled in, office first: the Call soft key's list (§4.3.1.7)."""
        return [(field, getattr(self, field)) for field in NUMBER_FIELDS if getattr(self, field)]


@dataclass(frozen=True)
class BlacklistEntry:
    id: int
    name: str
    number: str


# -- validation ----------------------------------------------------------------
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_DIAL_ONLY = re.compile(r"[0-9*#+]+")
_NUMBER_CHARS = re.compile(r"[0-9A-Za-z*#+.@:_-]+")
_RINGTONE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _.()-]*")
_RING_N = re.compile(r"ring\s*(\d+)", re.IGNORECASE)


def check_name(value: object, what: str = "name", required: bool = True) -> str:
    """A name trimmed; refused if empty (when required), too long or with control characters."""
    if not isinstance(value, str):
        raise DirectoryError(f"{what}: must be text, not {type(value).__name__}")
    name = value.strip()
    if not name and required:
        raise DirectoryError(f"{what}: must not be empty")
    if len(name) > MAX_NAME:
        raise DirectoryError(f"{what}: {name!r} has {len(name)} characters; at most {MAX_NAME}")
    if _CONTROL.search(name):
        raise DirectoryError(f"{what}: {name!r} contains a control character")
    return name


def check_phone_group_name(name: str) -> None:
    """The phone's keypad types English only (§4.3.1.2): printable ASCII."""
    bad = [ch for ch in name if not " " <= ch <= "~"]
    if bad:
        raise DirectoryError(f"group name: {name!r} contains {bad[0]!r}; on the phone a group name "
                             "can only hold English letters, digits and symbols")


def check_number(value: object, what: str = "number") -> str:
    """A number as saved: spaces dropped, and ``- ( )`` too in a plain phone number; '' stays ''."""
    if not isinstance(value, str):
        raise DirectoryError(f"{what}: must be text, not {type(value).__name__}")
    number = re.sub(r"\s+", "", value)
    plain = re.sub(r"[-()]", "", number)
    if plain and _DIAL_ONLY.fullmatch(plain):
        number = plain
    if not number:
        return ""
    if len(number) > MAX_NUMBER:
        raise DirectoryError(f"{what}: {number!r} has {len(number)} characters; at most {MAX_NUMBER}")
    if not _NUMBER_CHARS.fullmatch(number):
        bad = next(ch for ch in number if not _NUMBER_CHARS.fullmatch(ch))
        raise DirectoryError(f"{what}: {number!r} contains {bad!r}; a number may hold digits, "
                             "* # +, and for a SIP address letters and . @ : _ -")
    return number


def check_ringtone(value: object) -> int | str:
    """0 (phone default), 1-10, or a ringtone name.  Accepts '3', 'Ring 3', 'Default', ''."""
    if isinstance(value, bool):
        raise DirectoryError(f"ringtone: {value!r} is not a ringtone")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str):
        text = value.strip()
        if text == "" or text.lower() == "default":
            return 0
        match = _RING_N.fullmatch(text)
        if re.fullmatch(r"[+-]?\d+", text) or match:
            number = int(match.group(1) if match else text)
        elif len(text) <= 64 and _RINGTONE_NAME.fullmatch(text) and re.search("[A-Za-z]", text):
            return text
        else:
            raise DirectoryError(f"ringtone: {text!r} is not a ringtone; use 0 (phone default), "
                                 f"1-{RINGTONE_COUNT}, or the name of an uploaded ringtone "
                                 "(letters, digits, space _ . ( ) -, with at least one letter; at most 64)")
    else:
        raise DirectoryError(f"ringtone: must be a number or a name, not {type(value).__name__}")
    if not 0 <= number <= RINGTONE_COUNT:
        raise DirectoryError(f"ringtone: {number} is out of range; use 0 (phone default), "
                             f"1-{RINGTONE_COUNT}, or the name of an uploaded ringtone")
    return number


def check_account(value: object) -> int:
    """0 (default), 1 or 2; '' means 0, and '1' / 'Account 1' are read as 1."""
    if isinstance(value, str):
        text = value.strip()
        text = re.sub(r"(?i)^account\s*", "", text)
        if text == "" or text.lower() in ("default", "auto"):
            return 0
        value = int(text) if re.fullmatch(r"\d+", text) else text
    if isinstance(value, bool) or value not in ACCOUNTS:
        raise DirectoryError(f"account: {value!r} is not an account; use 0 (default), 1 or 2")
    return int(value)  # type: ignore[arg-type]


def lookup_keys(number: str) -> list[str]:
    """The forms a number is compared in: as saved, and the user part of a SIP URI."""
    raw = number.strip()
    if "<" in raw:   # a From header: '"Bob" <sip:2001@pbx>'
        raw = raw.split("<", 1)[1].split(">", 1)[0]
    keys: list[str] = []
    try:
        keys.append(check_number(raw))
    except DirectoryError:
        pass
    user = re.sub(r"(?i)^(sips?|tel):", "", raw).split("@", 1)[0].split(";", 1)[0]
    try:
        keys.append(check_number(user))
    except DirectoryError:
        pass
    return [k for i, k in enumerate(keys) if k and k not in keys[:i]]


def _ringtone_text(ringtone: int | str) -> str:
    return str(ringtone)


def _ringtone_value(text: str) -> int | str:
    return int(text) if text.isdigit() else text


_CONTACT_SELECT = ("SELECT c.id, c.name, c.office, c.mobile, c.other, c.ringtone, c.account, "
                   "c.group_id, g.name FROM contacts c JOIN contact_groups g ON g.id = c.group_id")


def _contact(row: tuple) -> Contact:
    return Contact(row[0], row[1], row[2], row[3], row[4], _ringtone_value(row[5]), row[6], row[7], row[8])


class Directory:
    """The phone's local directory (contacts, groups) and blacklist, kept in its PhoneStorage."""

    MAX_CONTACTS = MAX_CONTACTS
    MAX_GROUPS = MAX_GROUPS
    MAX_BLACKLIST = MAX_BLACKLIST

    def __init__(self, storage: "PhoneStorage"):
        self.storage = storage
        tables = {r[0] for r in storage._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        missing = [t for t in CONTACT_TABLES if t not in tables]
        if missing:
            raise RuntimeError(f"{storage.path}: no {', '.join(missing)} table; append "
                               "contacts.CONTACTS_MIGRATION to storage.MIGRATIONS")

    @property
    def _db(self) -> sqlite3.Connection:
        return self.storage._db

    def restore_defaults(self) -> None:
        """Make sure the default group exists (the triggers already keep it through a reset)."""
        with self.storage._transaction() as db:
            db.execute("INSERT OR IGNORE INTO contact_groups (id, name) VALUES (?, ?)",
                       (DEFAULT_GROUP_ID, DEFAULT_GROUP_NAME))

    # -- groups (§4.3.1.1 - §4.3.1.3) -----------------------------------------
    def groups(self) -> list[Group]:
        """Every group, the default first, then in the order they were made."""
        return [Group(*r) for r in self._db.execute("SELECT id, name FROM contact_groups ORDER BY id")]

    def group(self, group_id: int) -> Group:
        row = self._db.execute("SELECT id, name FROM contact_groups WHERE id = ?", (group_id,)).fetchone()
        if row is None:
            raise DirectoryError(f"group: there is no group with id {group_id!r}")
        return Group(*row)

    def group_by_name(self, name: str) -> Group | None:
        row = self._db.execute("SELECT id, name FROM contact_groups WHERE name = ?", (name.strip(),)).fetchone()
        return Group(*row) if row else None

    def _check_group_name(self, db: sqlite3.Connection, name: object, from_phone: bool,
                          group_id: int | None = None) -> str:
        clean = check_name(name, "group name")
        if from_phone:
            check_phone_group_name(clean)
        if clean.lower() == BLACKLIST_GROUP_NAME.lower():
            raise DirectoryError(f"group name: {BLACKLIST_GROUP_NAME!r} is reserved for the blacklist")
        row = db.execute("SELECT id, name FROM contact_groups WHERE name = ?", (clean,)).fetchone()
        if row is not None and row[0] != group_id:
            raise DirectoryError(f"group name: a group named {row[1]!r} already exists")
        return clean

    def _insert_group(self, db: sqlite3.Connection, name: object, from_phone: bool) -> Group:
        clean = self._check_group_name(db, name, from_phone)
        count = db.execute("SELECT COUNT(*) FROM contact_groups").fetchone()[0]
        if count >= MAX_GROUPS:
            raise DirectoryError(f"cannot add group {clean!r}: the phone holds at most {MAX_GROUPS} groups "
                                 "(the default group included); delete a group first")
        cursor = db.execute("INSERT INTO contact_groups (name) VALUES (?)", (clean,))
        return Group(int(cursor.lastrowid), clean)

    def add_group(self, name: str, from_phone: bool = False) -> Group:
        """Make a group; the 11th group, a duplicate name, or (from the phone) a non-English name is refused."""
        with self.storage._transaction() as db:
            return self._insert_group(db, name, from_phone)

    def rename_group(self, group_id: int, name: str, from_phone: bool = False) -> Group:
        """Rename a group the user made; the default group keeps its name (§4.3.1.2)."""
        group = self.group(group_id)
        if group.is_default:
            raise DirectoryError("the default group cannot be renamed")
        with self.storage._transaction() as db:
            clean = self._check_group_name(db, name, from_phone, group_id=group_id)
            db.execute("UPDATE contact_groups SET name = ? WHERE id = ?", (clean, group_id))
        return Group(group_id, clean)

    def delete_group(self, group_id: int) -> int:
        """Delete a group the user made; its contacts move to the default group.  Returns how many moved."""
        group = self.group(group_id)
        if group.is_default:
            raise DirectoryError("the default group cannot be deleted")
        with self.storage._transaction() as db:
            moved = db.execute("UPDATE contacts SET group_id = ? WHERE group_id = ?",
                               (DEFAULT_GROUP_ID, group_id)).rowcount
            db.execute("DELETE FROM contact_groups WHERE id = ?", (group_id,))
        return moved

    def delete_all_groups(self) -> int:
        """Delete every group but the default one (§4.3.1.3); all contacts land in the default group.

        Returns how many groups were deleted.
        """
        with self.storage._transaction() as db:
            db.execute("UPDATE contacts SET group_id = ? WHERE group_id != ?", (DEFAULT_GROUP_ID, DEFAULT_GROUP_ID))
            return db.execute("DELETE FROM contact_groups WHERE id != ?", (DEFAULT_GROUP_ID,)).rowcount

    # -- contacts (§4.3.1.4 - §4.3.1.7) ---------------------------------------
    def contact_count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM contacts").fetchone()[0])

    def contacts(self, group_id: int | None = None) -> list[Contact]:
        """All contacts, or one group's, by name."""
        query, args = _CONTACT_SELECT, ()
        if group_id is not None:
            query += " WHERE c.group_id = ?"
            args = (group_id,)
        query += " ORDER BY c.name COLLATE NOCASE, c.id"
        return [_contact(r) for r in self._db.execute(query, args)]

    def contact(self, contact_id: int) -> Contact:
        row = self._db.execute(_CONTACT_SELECT + " WHERE c.id = ?", (contact_id,)).fetchone()
        if row is None:
            raise DirectoryError(f"contact: there is no contact with id {contact_id!r}")
        return _contact(row)

    def contact_by_name(self, name: str) -> Contact | None:
        row = self._db.execute(_CONTACT_SELECT + " WHERE c.name = ?", (name.strip(),)).fetchone()
        return _contact(row) if row else None

    def _clean_fields(self, db: sqlite3.Connection, fields: dict[str, object],
                      contact_id: int | None) -> dict[str, object]:
        """Every field checked; a refusal names the field.  The result fills a whole row."""
        clean: dict[str, object] = {"name": check_name(fields["name"])}
        for field in NUMBER_FIELDS:
            clean[field] = check_number(fields[field], NUMBER_LABELS[field])
        if not any(clean[f] for f in NUMBER_FIELDS):
            raise DirectoryError(f"contact {clean['name']!r}: fill in at least one number "
                                 "(office, mobile or other)")
        clean["ringtone"] = _ringtone_text(check_ringtone(fields["ringtone"]))
        clean["account"] = check_account(fields["account"])
        group_id = fields["group_id"]
        if db.execute("SELECT 1 FROM contact_groups WHERE id = ?", (group_id,)).fetchone() is None:
            raise DirectoryError(f"group: there is no group with id {group_id!r}")
        clean["group_id"] = group_id
        row = db.execute("SELECT id, name FROM contacts WHERE name = ?", (clean["name"],)).fetchone()
        if row is not None and row[0] != contact_id:
            raise DirectoryError(f"name: a contact named {row[1]!r} already exists; edit that contact instead")
        return clean

    def _insert_contact(self, db: sqlite3.Connection, fields: dict[str, object]) -> int:
        clean = self._clean_fields(db, fields, None)
        count = db.execute("SELECT COUNT(*) FROM contacts").fetchone()[0]
        if count >= MAX_CONTACTS:
            raise DirectoryError(f"cannot add {clean['name']!r}: the directory is full "
                                 f"({MAX_CONTACTS} contacts is the most the phone holds); delete a contact first")
        cursor = db.execute(
            "INSERT INTO contacts (name, office, mobile, other, ringtone, account, group_id) "
            "VALUES (:name, :office, :mobile, :other, :ringtone, :account, :group_id)", clean)
        return int(cursor.lastrowid)

    def _update_contact(self, db: sqlite3.Connection, contact_id: int, fields: dict[str, object]) -> None:
        clean = self._clean_fields(db, fields, contact_id)
        db.execute("UPDATE contacts SET name = :name, office = :office, mobile = :mobile, other = :other, "
                   "ringtone = :ringtone, account = :account, group_id = :group_id WHERE id = :id",
                   {**clean, "id": contact_id})

    def add_contact(self, name: str, office: str = "", mobile: str = "", other: str = "",
                    ringtone: int | str = 0, account: int = 0,
                    group_id: int = DEFAULT_GROUP_ID) -> Contact:
        """Add a contact; the 1001st, a duplicate name or a contact with no number is refused."""
        fields = {"name": name, "office": office, "mobile": mobile, "other": other,
                  "ringtone": ringtone, "account": account, "group_id": group_id}
        with self.storage._transaction() as db:
            contact_id = self._insert_contact(db, fields)
        return self.contact(contact_id)

    def update_contact(self, contact_id: int, **changes: object) -> Contact:
        """Change some fields (name, office, mobile, other, ringtone, account, group_id)."""
        allowed = ("name", *NUMBER_FIELDS, "ringtone", "account", "group_id")
        unknown = sorted(set(changes) - set(allowed))
        if unknown:
            raise DirectoryError(f"contact: no field {unknown[0]!r}; fields are {', '.join(allowed)}")
        old = self.contact(contact_id)
        fields = {f: getattr(old, f) for f in allowed}
        fields.update(changes)
        with self.storage._transaction() as db:
            self._update_contact(db, contact_id, fields)
        return self.contact(contact_id)

    def move_contact(self, contact_id: int, group_id: int) -> Contact:
        """Move a contact to another group (REQ-CONT-04)."""
        return self.update_contact(contact_id, group_id=group_id)

    def save_contact_by_name(self, fields: dict[str, object], group_name: str | None = None) -> str:
        """Add, or update the contact of the same name, in one transaction (batch import).

        ``fields`` holds ``name`` and any of office, mobile, other, ringtone,
        account; a field left out keeps its stored value (or the default for a
        new contact).  ``group_name`` (None: keep / default group; '' means
        the default group) names a group, made here if it does not exist yet.
        Returns "imported" or "updated"; a refusal changes nothing.
        """
        unknown = sorted(set(fields) - {"name", *NUMBER_FIELDS, "ringtone", "account"})
        if unknown:
            raise DirectoryError(f"contact: no field {unknown[0]!r}")
        name = check_name(fields.get("name", ""))
        with self.storage._transaction() as db:
            row = db.execute("SELECT id FROM contacts WHERE name = ?", (name,)).fetchone()
            old = self.contact(row[0]) if row else None
            base: dict[str, object] = (
                {f: getattr(old, f) for f in (*NUMBER_FIELDS, "ringtone", "account", "group_id")}
                if old else {"office": "", "mobile": "", "other": "", "ringtone": 0, "account": 0,
                             "group_id": DEFAULT_GROUP_ID})
            base.update({k: v for k, v in fields.items() if k != "group_id"})
            base["name"] = name
            if group_name is not None:
                base["group_id"] = self._group_id_for(db, group_name)
            if old is None:
                self._insert_contact(db, base)
                return "imported"
            self._update_contact(db, old.id, base)
            return "updated"

    def _group_id_for(self, db: sqlite3.Connection, group_name: str) -> int:
        name = group_name.strip()
        if not name:
            return DEFAULT_GROUP_ID
        if name.lower() == BLACKLIST_GROUP_NAME.lower():
            raise DirectoryError(f"group: {BLACKLIST_GROUP_NAME!r} is the blacklist, not a group; "
                                 "add blacklist entries on the blacklist page")
        row = db.execute("SELECT id FROM contact_groups WHERE name = ?", (name,)).fetchone()
        if row is not None:
            return int(row[0])
        return self._insert_group(db, name, from_phone=False).id

    def delete_contact(self, contact_id: int) -> None:
        self.delete_contacts([contact_id])

    def delete_contacts(self, contact_ids: Iterable[int]) -> int:
        """Delete the selected contacts (web: several ticked); an unknown id refuses them all."""
        ids = list(dict.fromkeys(contact_ids))
        with self.storage._transaction() as db:
            for contact_id in ids:
                if db.execute("DELETE FROM contacts WHERE id = ?", (contact_id,)).rowcount == 0:
                    raise DirectoryError(f"contact: there is no contact with id {contact_id!r}")
        return len(ids)

    def delete_all_contacts(self) -> int:
        """Delete every contact (groups and blacklist stay).  Returns how many went."""
        with self.storage._transaction() as db:
            return db.execute("DELETE FROM contacts").rowcount

    def find_by_number(self, number: str) -> Contact | None:
        """The contact having ``number`` as any of its numbers (caller name, ringtone), or None."""
        keys = lookup_keys(number)
        if not keys:
            return None
        marks = ", ".join("?" * len(keys))
        row = self._db.execute(
            f"{_CONTACT_SELECT} WHERE c.office IN ({marks}) OR c.mobile IN ({marks}) OR c.other IN ({marks}) "
            "ORDER BY c.id LIMIT 1", keys * 3).fetchone()
        return _contact(row) if row else None

    # -- blacklist (§4.3.2) ---------------------------------------------------
    def blacklist(self) -> list[BlacklistEntry]:
        """The entries in the order they were added."""
        return [BlacklistEntry(*r) for r in self._db.execute("SELECT id, name, number FROM blacklist ORDER BY id")]

    def add_to_blacklist(self, name: str, number: str) -> BlacklistEntry:
        """Add an entry; the 31st, or a number already on it, is refused."""
        clean_name = check_name(name, "name", required=False)
        clean_number = check_number(number, "number")
        if not clean_number:
            raise DirectoryError("number: a blacklist entry needs a number")
        with self.storage._transaction() as db:
            row = db.execute("SELECT name FROM blacklist WHERE number = ?", (clean_number,)).fetchone()
            if row is not None:
                raise DirectoryError(f"number: {clean_number} is already on the blacklist"
                                     + (f" as {row[0]!r}" if row[0] else ""))
            count = db.execute("SELECT COUNT(*) FROM blacklist").fetchone()[0]
            if count >= MAX_BLACKLIST:
                raise DirectoryError(f"cannot add {clean_number} to the blacklist: it is full "
                                     f"({MAX_BLACKLIST} entries is the most the phone holds); remove one first")
            cursor = db.execute("INSERT INTO blacklist (name, number) VALUES (?, ?)", (clean_name, clean_number))
        return BlacklistEntry(int(cursor.lastrowid), clean_name, clean_number)

    def update_blacklist_entry(self, entry_id: int, name: str, number: str) -> BlacklistEntry:
        """Change an entry's name and number (phone: Options -> Details); a number on it twice is refused."""
        clean_name = check_name(name, "name", required=False)
        clean_number = check_number(number, "number")
        if not clean_number:
            raise DirectoryError("number: a blacklist entry needs a number")
        with self.storage._transaction() as db:
            if db.execute("SELECT 1 FROM blacklist WHERE id = ?", (entry_id,)).fetchone() is None:
                raise DirectoryError(f"blacklist: there is no entry with id {entry_id!r}")
            row = db.execute("SELECT name FROM blacklist WHERE number = ? AND id != ?",
                             (clean_number, entry_id)).fetchone()
            if row is not None:
                raise DirectoryError(f"number: {clean_number} is already on the blacklist"
                                     + (f" as {row[0]!r}" if row[0] else ""))
            db.execute("UPDATE blacklist SET name = ?, number = ? WHERE id = ?", (clean_name, clean_number, entry_id))
        return BlacklistEntry(entry_id, clean_name, clean_number)

    def remove_from_blacklist(self, entry_ids: int | Iterable[int]) -> int:
        """Remove one entry or the ticked ones; an unknown id refuses them all."""
        ids = [entry_ids] if isinstance(entry_ids, int) else list(dict.fromkeys(entry_ids))
        with self.storage._transaction() as db:
            for entry_id in ids:
                if db.execute("DELETE FROM blacklist WHERE id = ?", (entry_id,)).rowcount == 0:
                    raise DirectoryError(f"blacklist: there is no entry with id {entry_id!r}")
        return len(ids)

    def clear_blacklist(self) -> int:
        """Remove every entry (Delete all).  Returns how many went."""
        with self.storage._transaction() as db:
            return db.execute("DELETE FROM blacklist").rowcount

    def is_blacklisted(self, number: str) -> bool:
        """Whether a call from ``number`` (a number or a SIP URI) must be rejected (REQ-BL-02)."""
        keys = lookup_keys(number)
        if not keys:
            return False
        marks = ", ".join("?" * len(keys))
        return self._db.execute(f"SELECT 1 FROM blacklist WHERE number IN ({marks}) LIMIT 1",
                                keys).fetchone() is not None
