"""The phone's persistent memory: one SQLite file in its data directory.

What a real H680 keeps across a power cut -- its configuration and its
records (call history now; contacts, groups, blacklist and messages later) --
the reference phone keeps here, so a restart of the phone process (SIGTERM or
``kill -9``) loses nothing that was saved.

Durability: the database runs in WAL mode with ``synchronous=FULL`` and every
change is one explicit transaction, committed before the method returns.  A
process killed at any point leaves either the whole change or none of it.

Configuration is stored sparsely: only values that differ from the schema's
defaults, as the text a CFG file would hold, parsed back through the schema on
read.  A factory reset is therefore "delete every row", and a schema whose
default changes moves unmodified phones along with it.

Extending: the database layout is built by the numbered steps in
``MIGRATIONS``; to add a table (contacts, blacklist ...) append a step, add
the table to ``RECORD_TABLES`` so a factory reset wipes it, and add methods.
A phone opening an older file runs the missing steps.

One owner: a ``PhoneStorage`` belongs to the thread that made it (the phone's
event loop), as sqlite3 insists by default.
"""
from __future__ import annotations

import logging
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .contacts import CONTACT_TABLES, CONTACTS_MIGRATION
from .schema import SCHEMA, ConfigValueError, check_values, defaults

log = logging.getLogger(__name__)

# Each step brings the database from version N-1 to N.  Never edit a released
# step; append a new one.
MIGRATIONS: list[list[str]] = [
    [  # 1: configuration overrides and call history
        "CREATE TABLE config (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """CREATE TABLE calls (
               id         INTEGER PRIMARY KEY AUTOINCREMENT,
               kind       TEXT    NOT NULL CHECK (kind IN ('dialled', 'received', 'missed')),
               number     TEXT    NOT NULL,
               name       TEXT    NOT NULL DEFAULT '',
               account    INTEGER NOT NULL,
               started_at REAL    NOT NULL,
               duration   REAL    NOT NULL DEFAULT 0
           )""",
        "CREATE INDEX calls_by_kind_time ON calls (kind, started_at DESC, id DESC)",
    ],
    [  # 2: text messages (§6.2.1)
        """CREATE TABLE messages (
               id      INTEGER PRIMARY KEY AUTOINCREMENT,
               folder  TEXT    NOT NULL CHECK (folder IN ('inbox', 'sent', 'outbox', 'drafts')),
               number  TEXT    NOT NULL,
               account INTEGER NOT NULL,
               text    TEXT    NOT NULL,
               at      REAL    NOT NULL,
               unread  INTEGER NOT NULL DEFAULT 0
           )""",
        "CREATE INDEX messages_by_folder_time ON messages (folder, at DESC, id DESC)",
    ],
    CONTACTS_MIGRATION,  # 3: contact groups, contacts and the blacklist (§4.3.1, §4.3.2)
]

# Tables that hold user data; factory_reset() empties all of them.
RECORD_TABLES = ("config", "calls", "messages") + CONTACT_TABLES


@dataclass(frozen=True)
class TextMessage:
    """One text message (§6.2.1) in one of the four folders."""

    id: int
    folder: str
    number: str     # the other party: sender for the inbox, recipient otherwise
    account: int
    text: str
    at: float       # seconds since the epoch
    unread: bool


@dataclass(frozen=True)
class CallRecord:
    """One call-history entry (§4.4): who, when, how long, on which account."""

    id: int
    kind: str
    number: str
    name: str
    account: int
    started_at: float  # seconds since the epoch
    duration: float  # seconds; 0 for missed calls


class PhoneStorage:
    """Configuration and records of one phone, in one SQLite file."""

    HISTORY_KINDS = ("dialled", "received", "missed")
    HISTORY_LIMIT = 300  # records kept per kind (§4.4); the oldest go first
    ACCOUNTS = (1, 2)

    def __init__(self, db_path: Path | str):
        self.path = Path(db_path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, so a
        # transaction is exactly what _transaction() encloses.
        self._db = sqlite3.connect(self.path, isolation_level=None, timeout=5.0)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._migrate()

    # -- plumbing ----------------------------------------------------------
    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """All statements inside commit together or not at all."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _migrate(self) -> None:
        with self._transaction() as db:
            db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            row = db.execute("SELECT version FROM schema_version").fetchone()
            if row is None:
                db.execute("INSERT INTO schema_version VALUES (0)")
                version = 0
            else:
                version = row[0]
            if version > len(MIGRATIONS):
                raise RuntimeError(f"{self.path}: database version {version} is newer than "
                                   f"this phone knows ({len(MIGRATIONS)})")
            for number in range(version + 1, len(MIGRATIONS) + 1):
                for statement in MIGRATIONS[number - 1]:
                    db.execute(statement)
                db.execute("UPDATE schema_version SET version = ?", (number,))

    @property
    def schema_version(self) -> int:
        return self._db.execute("SELECT version FROM schema_version").fetchone()[0]

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "PhoneStorage":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- configuration -------------------------------------------------------
    def config_overrides(self) -> dict[str, object]:
        """Saved values that differ from the defaults, parsed through the schema.

        A row whose key the schema no longer has, or whose text the schema no
        longer accepts, is skipped with a warning: the default applies.
        """
        out: dict[str, object] = {}
        for key, text in self._db.execute("SELECT key, value FROM config"):
            setting = SCHEMA.get(key)
            if setting is None:
                log.warning("%s: ignoring stored value of unknown setting %s", self.path, key)
                continue
            try:
                out[key] = setting.parse(text)
            except ConfigValueError as exc:
                log.warning("%s: ignoring stored value: %s", self.path, exc)
        return {k: out[k] for k in SCHEMA if k in out}  # schema order

    def config(self) -> dict[str, object]:
        """The phone's whole configuration: defaults updated with the saved values."""
        return {**defaults(), **self.config_overrides()}

    def set_config(self, values: dict[str, object]) -> None:
        """Save ``values`` (a subset of keys) in one transaction.

        Every value goes through the schema and the cross-field rules are
        checked on the result; a refusal (``KeyError``, ``ConfigValueError``,
        ``ConfigRulesError``) leaves the stored configuration untouched.
        """
        clean = check_values(values, base=self.config())
        with self._transaction() as db:
            for key, value in clean.items():
                setting = SCHEMA[key]
                if value == setting.default:
                    db.execute("DELETE FROM config WHERE key = ?", (key,))
                else:
                    db.execute("INSERT OR REPLACE INTO config (key, value) VALUES (?, ?)",
                               (key, setting.format(value)))

    def reset_config(self) -> None:
        """Every setting back to its factory default (records are kept)."""
        with self._transaction() as db:
            db.execute("DELETE FROM config")

    # -- call history ---------------------------------------------------------
    def _check_kind(self, kind: str | None, allow_none: bool) -> None:
        if kind is None and allow_none:
            return
        if kind not in self.HISTORY_KINDS:
            raise ValueError(f"call kind must be one of {self.HISTORY_KINDS}, not {kind!r}")

    def add_call(
        self,
        kind: str,
        number: str,
        name: str = "",
        account: int = 1,
        started_at: float | None = None,
        duration: float = 0.0,
    ) -> int:
        """Record a call and return its id; keep only the newest 300 of its kind.

        ``started_at`` defaults to now (wall clock, as the phone's history shows it).
        """
        self._check_kind(kind, allow_none=False)
        if account not in self.ACCOUNTS:
            raise ValueError(f"account must be one of {self.ACCOUNTS}, not {account!r}")
        if duration < 0:
            raise ValueError(f"duration must not be negative, not {duration!r}")
        when = time.time() if started_at is None else float(started_at)
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT INTO calls (kind, number, name, account, started_at, duration) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (kind, number, name, account, when, float(duration)),
            )
            db.execute(
                """DELETE FROM calls WHERE kind = ? AND id NOT IN (
                       SELECT id FROM calls WHERE kind = ?
                       ORDER BY started_at DESC, id DESC LIMIT ?)""",
                (kind, kind, self.HISTORY_LIMIT),
            )
        return int(cursor.lastrowid)

    def calls(self, kind: str | None = None) -> list[CallRecord]:
        """History records, newest first; all kinds when ``kind`` is None."""
        self._check_kind(kind, allow_none=True)
        query = "SELECT id, kind, number, name, account, started_at, duration FROM calls"
        args: tuple[object, ...] = ()
        if kind is not None:
            query += " WHERE kind = ?"
            args = (kind,)
        query += " ORDER BY started_at DESC, id DESC"
        return [CallRecord(*row) for row in self._db.execute(query, args)]

    def last_dialled(self) -> CallRecord | None:
        """The most recent dialled call (what Redial calls), or None."""
        row = self._db.execute(
            "SELECT id, kind, number, name, account, started_at, duration FROM calls "
            "WHERE kind = 'dialled' ORDER BY started_at DESC, id DESC LIMIT 1"
        ).fetchone()
        return CallRecord(*row) if row else None

    def clear_calls(self, kind: str | None = None) -> None:
        """Delete the history of one kind, or all of it."""
        self._check_kind(kind, allow_none=True)
        with self._transaction() as db:
            if kind is None:
                db.execute("DELETE FROM calls")
            else:
                db.execute("DELETE FROM calls WHERE kind = ?", (kind,))

    # -- everything ------------------------------------------------------------
    # -- text messages (§6.2.1) ------------------------------------------------
    MESSAGE_FOLDERS = ("inbox", "sent", "outbox", "drafts")
    MESSAGE_LIMIT = 100   # per folder; the oldest goes first

    def _check_folder(self, folder: str) -> None:
        if folder not in self.MESSAGE_FOLDERS:
            raise ValueError(f"message folder must be one of {self.MESSAGE_FOLDERS}, not {folder!r}")

    def add_message(self, folder: str, number: str, account: int, text: str,
                    at: float, unread: bool = False) -> int:
        """Store a message; a folder over its limit loses its oldest message in the same transaction."""
        self._check_folder(folder)
        with self._transaction() as db:
            cur = db.execute("INSERT INTO messages (folder, number, account, text, at, unread) "
                             "VALUES (?, ?, ?, ?, ?, ?)", (folder, number, account, text, at, int(unread)))
            db.execute("""DELETE FROM messages WHERE folder = ? AND id NOT IN (
                              SELECT id FROM messages WHERE folder = ? ORDER BY at DESC, id DESC LIMIT ?)""",
                       (folder, folder, self.MESSAGE_LIMIT))
            return int(cur.lastrowid)

    def messages(self, folder: str) -> list[TextMessage]:
        """A folder, newest first."""
        self._check_folder(folder)
        rows = self._db.execute("SELECT id, folder, number, account, text, at, unread FROM messages "
                                "WHERE folder = ? ORDER BY at DESC, id DESC", (folder,)).fetchall()
        return [TextMessage(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6])) for r in rows]

    def move_message(self, message_id: int, folder: str) -> None:
        self._check_folder(folder)
        with self._transaction() as db:
            db.execute("UPDATE messages SET folder = ? WHERE id = ?", (folder, message_id))
            db.execute("""DELETE FROM messages WHERE folder = ? AND id NOT IN (
                              SELECT id FROM messages WHERE folder = ? ORDER BY at DESC, id DESC LIMIT ?)""",
                       (folder, folder, self.MESSAGE_LIMIT))

    def mark_read(self, message_id: int) -> None:
        with self._transaction() as db:
            db.execute("UPDATE messages SET unread = 0 WHERE id = ?", (message_id,))

    def delete_message(self, message_id: int) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM messages WHERE id = ?", (message_id,))

    def delete_folder(self, folder: str) -> None:
        self._check_folder(folder)
        with self._transaction() as db:
            db.execute("DELETE FROM messages WHERE folder = ?", (folder,))

    def unread_messages(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM messages WHERE unread = 1").fetchone()[0])

    def factory_reset(self) -> None:
        """Forget all configuration and every record, in one transaction."""
        with self._transaction() as db:
            for table in RECORD_TABLES:
                db.execute(f"DELETE FROM {table}")
