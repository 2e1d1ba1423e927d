"""Unit tests of the directory's call-side logic and history helpers (directory_calls, call_history)."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from reference_impl import call_history
from reference_impl.contacts import Directory, DirectoryError
from reference_impl.directory_calls import BLACKLIST_REJECT_CODE, lcd_problem, ringtone_name
from reference_impl.storage import CallRecord, PhoneStorage


@pytest.fixture
def store(tmp_path: Path):
    s = PhoneStorage(tmp_path / "phone.db")
    yield s
    s.close()


@pytest.fixture
def directory(store: PhoneStorage) -> Directory:
    return Directory(store)


# --- ringtone of a call -------------------------------------------------------------------------
@pytest.mark.parametrize("contact, config, expected", [
    (None, {"sounds.ringtone": "Ring 4"}, "Ring 4"),              # no contact: the phone's ringtone
    (0, {"sounds.ringtone": "Ring 4"}, "Ring 4"),                 # a contact without its own
    (7, {"sounds.ringtone": "Ring 4"}, "Ring 7"),                 # the contact's own
    ("office.wav", {"sounds.ringtone": "Ring 1"}, "office.wav"),  # an uploaded one
    ("0", {"sounds.ringtone": "Ring 2"}, "Ring 2"),
    (None, {"sounds.ringtone": "Custom", "sounds.custom_ringtone": "tune.wav"}, "tune.wav"),
    (None, {"sounds.ringtone": "Custom", "sounds.custom_ringtone": ""}, "Custom"),
    (None, {}, "Ring 1"),
])
def test_ringtone_name(contact, config, expected) -> None:
    assert ringtone_name(contact, config) == expected


def test_ringtone_name_ignores_a_bool() -> None:
    assert ringtone_name(True, {"sounds.ringtone": "Ring 3"}) == "Ring 3"


def test_blacklisted_callers_hear_decline_not_busy() -> None:
    assert BLACKLIST_REJECT_CODE == 603


# --- the LCD's short words for refusals -----------------------------------------------------------
def test_every_limit_has_its_own_short_message(directory: Directory) -> None:
    for i in range(directory.MAX_GROUPS - 1):
        directory.add_group(f"G{i}")
    with pytest.raises(DirectoryError) as groups_full:
        directory.add_group("one more")
    for i in range(directory.MAX_BLACKLIST):
        directory.add_to_blacklist("", f"3{i:03d}")
    with pytest.raises(DirectoryError) as blacklist_full:
        directory.add_to_blacklist("", "4000")
    assert lcd_problem(groups_full.value) == "Groups full"
    assert lcd_problem(blacklist_full.value) == "Blacklist full"
    assert lcd_problem(DirectoryError("cannot add 'x': the directory is full (1000 contacts ...)")) == "Contacts full"


@pytest.mark.parametrize("call, expected", [
    (lambda d: d.add_contact("Kim"), "Number required"),
    (lambda d: d.add_contact("", office="1"), "Name required"),
    (lambda d: d.add_group("销售", from_phone=True), "English only"),
    (lambda d: d.rename_group(1, "Other"), "Default group locked"),
    (lambda d: d.delete_group(1), "Default group locked"),
    (lambda d: d.add_group("BlackList"), "Name reserved"),
    (lambda d: d.add_to_blacklist("x", ""), "Number required"),
])
def test_refusals_become_short_lcd_lines(directory: Directory, call, expected) -> None:
    with pytest.raises(DirectoryError) as exc:
        call(directory)
    assert lcd_problem(exc.value) == expected


def test_duplicates_have_their_own_message(directory: Directory) -> None:
    directory.add_contact("Kim", office="1")
    directory.add_to_blacklist("", "2")
    with pytest.raises(DirectoryError) as same_name:
        directory.add_contact("kim", office="3")
    with pytest.raises(DirectoryError) as same_number:
        directory.add_to_blacklist("", "2")
    assert lcd_problem(same_name.value) == "Name already used"
    assert lcd_problem(same_number.value) == "Already blacklisted"


def test_an_unknown_refusal_is_cut_to_an_lcd_line() -> None:
    assert lcd_problem("something nobody planned for at all") == "something nobody pla"


# --- editing a blacklist entry (Options -> Details) -----------------------------------------------
def test_a_blacklist_entry_is_edited_in_place(directory: Directory) -> None:
    entry = directory.add_to_blacklist("Spam", "3999")
    changed = directory.update_blacklist_entry(entry.id, " Junk ", "39 98")
    assert (changed.id, changed.name, changed.number) == (entry.id, "Junk", "3998")
    assert [(e.name, e.number) for e in directory.blacklist()] == [("Junk", "3998")]
    assert directory.is_blacklisted("sip:3998@pbx") and not directory.is_blacklisted("3999")


def test_a_blacklist_edit_cannot_duplicate_a_number_or_empty_it(directory: Directory) -> None:
    first = directory.add_to_blacklist("A", "1")
    directory.add_to_blacklist("B", "2")
    with pytest.raises(DirectoryError, match="already on the blacklist"):
        directory.update_blacklist_entry(first.id, "A", "2")
    with pytest.raises(DirectoryError, match="needs a number"):
        directory.update_blacklist_entry(first.id, "A", " ")
    with pytest.raises(DirectoryError, match="no entry"):
        directory.update_blacklist_entry(999, "A", "5")
    assert [(e.name, e.number) for e in directory.blacklist()] == [("A", "1"), ("B", "2")]
    assert directory.update_blacklist_entry(first.id, "A2", "1").name == "A2"   # same number, new name


# --- call history helpers -------------------------------------------------------------------------
@pytest.mark.parametrize("secs, text", [(0, "00:00"), (5.4, "00:05"), (754, "12:34"), (3723, "1:02:03"),
                                        (-3, "00:00")])
def test_duration_text(secs, text) -> None:
    assert call_history.duration_text(secs) == text


def test_detail_lines() -> None:
    at = time.mktime((2026, 3, 4, 5, 6, 7, 0, 0, -1))
    record = CallRecord(1, "missed", "2001", "Carol", 2, at, 0.0)
    assert call_history.detail_lines(record) == [
        "Number: 2001", "Name: Carol", "Type: Missed", "Time: 2026-03-04 05:06", "Duration: 00:00", "Account: 2"]
    assert call_history.detail_lines(CallRecord(2, "dialled", "9", "", 1, at, 65))[1] == "Name: -"


def test_lists_delete_and_fill(store: PhoneStorage) -> None:
    call_history.fill(store, "missed", 3, "7")
    store.add_call("dialled", "2001")
    assert [r.number for r in call_history.records(store, "missed")] == ["7002", "7001", "7000"]
    assert len(call_history.records(store, "all")) == 4
    with pytest.raises(ValueError):
        call_history.records(store, "blocked")
    ids = [r.id for r in call_history.records(store, "missed")[:2]]
    assert call_history.delete_calls(store, ids + ids + [12345]) == 2
    assert [r.number for r in store.calls()] == ["2001", "7000"]


def test_filled_records_are_older_than_a_real_call_and_the_limit_holds(store: PhoneStorage) -> None:
    call_history.fill(store, "missed", store.HISTORY_LIMIT, "7")
    store.add_call("missed", "2001")
    numbers = [r.number for r in store.calls("missed")]
    assert len(numbers) == store.HISTORY_LIMIT
    assert numbers[0] == "2001" and "7000" not in numbers and numbers[-1] == "7001"
