"""Call history records beyond adding them (manual §4.4): details, delete, the lists.

The phone keeps three lists -- dialled, received, missed -- of up to 300
records each (``PhoneStorage.add_call`` drops the oldest of a kind).  The
History soft key opens all of them together, newest first; the left/right
navigation keys step through All -> Dialled -> Received -> Missed.
"""
from __future__ import annotations

import time
from typing import Iterable

from .storage import CallRecord, PhoneStorage

LISTS = ("all", "dialled", "received", "missed")
LIST_TITLES = {"all": "History", "dialled": "Dialled calls", "received": "Received calls",
               "missed": "Missed calls"}
KIND_LABELS = {"dialled": "Dialled", "received": "Received", "missed": "Missed"}


def duration_text(seconds: float) -> str:
    """00:05, 12:34, 1:02:03."""
    secs = int(round(max(0.0, seconds)))
    h, rest = divmod(secs, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


def detail_lines(record: CallRecord, when: float | None = None) -> list[str]:
    """Options -> Details of a record (REQ-HIST-05): number, name, type, time, duration, account."""
    at = time.localtime(record.started_at if when is None else when)
    return [f"Number: {record.number}", f"Name: {record.name or '-'}",
            f"Type: {KIND_LABELS[record.kind]}", f"Time: {time.strftime('%Y-%m-%d %H:%M', at)}",
            f"Duration: {duration_text(record.duration)}", f"Account: {record.account}"]


def records(storage: PhoneStorage, which: str) -> list[CallRecord]:
    """One list ("all" = every kind), newest first."""
    if which not in LISTS:
        raise ValueError(f"history list must be one of {LISTS}, not {which!r}")
    return storage.calls(None if which == "all" else which)


def delete_calls(storage: PhoneStorage, ids: Iterable[int]) -> int:
    """Delete the given records (REQ-HIST-08); returns how many went."""
    gone = 0
    with storage._transaction() as db:
        for call_id in dict.fromkeys(int(i) for i in ids):
            gone += db.execute("DELETE FROM calls WHERE id = ?", (call_id,)).rowcount
    return gone


def fill(storage: PhoneStorage, kind: str, count: int, number_prefix: str = "7", account: int = 1,
         start: float | None = None) -> None:
    """Bench fast path (reference target only): ``count`` old records of ``kind``, oldest first.

    Numbers are ``number_prefix`` + a running index (7000, 7001 ...); each
    record is a second older than the next, all before ``start`` (default: an
    hour ago), so real calls made afterwards are newer.
    """
    base = (time.time() - 3600) if start is None else start
    for i in range(count):
        storage.add_call(kind, f"{number_prefix}{i:03d}", "", account, base - (count - i), 0.0)
