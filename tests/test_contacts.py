"""Local contacts, groups, blacklist (manual §4.3.1, §4.3.2) and the batch import/export files.

Runs against a real PhoneStorage (SQLite) in tmp_path, with the contacts
migration appended to storage.MIGRATIONS for the test's duration.
"""
from __future__ import annotations

import codecs
import io
import sqlite3
from pathlib import Path

import pytest

from reference_impl import storage as storage_module
from reference_impl.contacts import (
    CONTACT_TABLES,
    CONTACTS_MIGRATION,
    DEFAULT_GROUP_ID,
    Directory,
    DirectoryError,
)
from reference_impl.phonebook_files import (
    TEMPLATE,
    PhonebookFileError,
    export_csv,
    import_rows,
    read_rows,
)
from reference_impl.storage import PhoneStorage

HEADER = ",".join(TEMPLATE.values())


@pytest.fixture
def with_contacts_migration() -> None:
    """The phone's storage carries the contacts step (migration 3)."""
    assert CONTACTS_MIGRATION in storage_module.MIGRATIONS
    assert set(CONTACT_TABLES) <= set(storage_module.RECORD_TABLES)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "phone.db"


@pytest.fixture
def store(with_contacts_migration: None, db_path: Path):
    s = PhoneStorage(db_path)
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def directory(store: PhoneStorage) -> Directory:
    return Directory(store)


def fill_contacts(directory: Directory, count: int, start: int = 0) -> None:
    for i in range(start, start + count):
        directory.add_contact(f"Contact {i:04d}", mobile=f"1380000{i:04d}")


def csv_file(*lines: str, bom: bool = False) -> bytes:
    data = "\r\n".join(lines).encode("utf-8") + b"\r\n"
    return codecs.BOM_UTF8 + data if bom else data


# -- set-up ---------------------------------------------------------------------------
def test_fresh_phone_has_only_the_default_group(directory: Directory, store: PhoneStorage) -> None:
    assert store.schema_version == len(storage_module.MIGRATIONS)
    [group] = directory.groups()
    assert group.id == DEFAULT_GROUP_ID and group.is_default and group.name == "Default"
    assert directory.contacts() == [] and directory.blacklist() == []


def test_directory_refuses_a_storage_without_the_migration(db_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storage_module, "MIGRATIONS", storage_module.MIGRATIONS[:2])
    with PhoneStorage(db_path) as plain:
        with pytest.raises(RuntimeError, match="CONTACTS_MIGRATION"):
            Directory(plain)


def test_an_older_database_gains_the_tables_and_keeps_its_records(db_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    full = storage_module.MIGRATIONS
    monkeypatch.setattr(storage_module, "MIGRATIONS", full[:2])   # a phone from before contacts
    with PhoneStorage(db_path) as old:
        old.add_call("dialled", "2002", "Bob", 1, 100.0, 3.0)
        old_version = old.schema_version
    monkeypatch.setattr(storage_module, "MIGRATIONS", full)
    with PhoneStorage(db_path) as new:
        assert new.schema_version == old_version + 1
        assert [g.name for g in Directory(new).groups()] == ["Default"]
        assert [c.number for c in new.calls()] == ["2002"]


# -- contacts ---------------------------------------------------------------------------
def test_a_contact_holds_every_field(directory: Directory) -> None:
    sales = directory.add_group("Sales")
    c = directory.add_contact("Alice", office="2001", mobile="138 0013-8000", other="sip:alice@pbx",
                              ringtone="Ring 3", account=2, group_id=sales.id)
    assert (c.name, c.office, c.mobile, c.other) == ("Alice", "2001", "13800138000", "sip:alice@pbx")
    assert (c.ringtone, c.account, c.group_id, c.group) == (3, 2, sales.id, "Sales")
    assert c.numbers() == [("office", "2001"), ("mobile", "13800138000"), ("other", "sip:alice@pbx")]
    assert directory.contact(c.id) == c


@pytest.mark.parametrize("ringtone, stored", [(0, 0), ("", 0), ("Default", 0), (1, 1), ("10", 10),
                                              ("Ring 10", 10), ("office.wav", "office.wav")])
def test_ringtone_choices(directory: Directory, ringtone: object, stored: object) -> None:
    assert directory.add_contact("Bob", mobile="2002", ringtone=ringtone).ringtone == stored  # type: ignore[arg-type]


@pytest.mark.parametrize("ringtone", [11, -1, "Ring 11", "3.5", "bad/name", True])
def test_bad_ringtones_are_refused(directory: Directory, ringtone: object) -> None:
    with pytest.raises(DirectoryError, match="ringtone"):
        directory.add_contact("Bob", mobile="2002", ringtone=ringtone)  # type: ignore[arg-type]
    assert directory.contacts() == []


def test_accounts(directory: Directory) -> None:
    assert [directory.add_contact(f"A{a}", mobile=f"20{a}", account=a).account for a in (0, 1, 2)] == [0, 1, 2]
    with pytest.raises(DirectoryError, match=r"account: 3 .*0 \(default\), 1 or 2"):
        directory.add_contact("A3", mobile="203", account=3)


@pytest.mark.parametrize("fields, message", [
    ({"name": "", "mobile": "1"}, "name: must not be empty"),
    ({"name": "   ", "mobile": "1"}, "name: must not be empty"),
    ({"name": "N" * 33, "mobile": "1"}, "at most 32"),
    ({"name": "Nobody"}, "at least one number"),
    ({"name": "Bad", "mobile": "12!3"}, "mobile number: .*'!'"),
    ({"name": "Long", "office": "1" * 65}, "office number: .*at most 64"),
    ({"name": "Lost", "mobile": "1", "group_id": 99}, "no group with id 99"),
])
def test_bad_contacts_are_refused(directory: Directory, fields: dict, message: str) -> None:
    with pytest.raises(DirectoryError, match=message):
        directory.add_contact(**fields)
    assert directory.contacts() == []


def test_contact_names_are_unique(directory: Directory) -> None:
    directory.add_contact("Alice", mobile="1")
    with pytest.raises(DirectoryError, match="'Alice' already exists"):
        directory.add_contact("alice", mobile="2")
    assert [c.mobile for c in directory.contacts()] == ["1"]


def test_1000_contacts_fit_and_the_1001st_is_refused(directory: Directory) -> None:
    fill_contacts(directory, 999)
    directory.add_contact("The 1000th", mobile="2000")
    assert directory.contact_count() == 1000
    with pytest.raises(DirectoryError, match="full.*1000 contacts"):
        directory.add_contact("The 1001st", mobile="2001")
    assert directory.contact_count() == 1000
    assert directory.contact_by_name("The 1001st") is None
    assert directory.contact_by_name("Contact 0000") is not None and directory.contact_by_name("The 1000th")
    directory.delete_contact(directory.contact_by_name("Contact 0000").id)  # type: ignore[union-attr]
    directory.add_contact("The 1001st", mobile="2001")  # room again
    assert directory.contact_count() == 1000


def test_edit_and_move_a_contact(directory: Directory) -> None:
    friends = directory.add_group("Friends")
    c = directory.add_contact("Bob", mobile="2002")
    c = directory.update_contact(c.id, office="3003", ringtone=5, account=1)
    assert (c.office, c.mobile, c.ringtone, c.account) == ("3003", "2002", 5, 1)
    c = directory.move_contact(c.id, friends.id)
    assert c.group == "Friends" and directory.contacts(friends.id) == [c]
    with pytest.raises(DirectoryError, match="at least one number"):
        directory.update_contact(c.id, office="", mobile="")
    with pytest.raises(DirectoryError, match="no field 'email'"):
        directory.update_contact(c.id, email="b@x")
    assert directory.contact(c.id) == c  # refused edits changed nothing


def test_delete_contacts(directory: Directory) -> None:
    fill_contacts(directory, 5)
    ids = [c.id for c in directory.contacts()]
    directory.delete_contact(ids[0])
    with pytest.raises(DirectoryError, match="no contact with id 999"):
        directory.delete_contacts([ids[1], 999])
    assert directory.contact_count() == 4  # all or nothing
    assert directory.delete_contacts(ids[1:3]) == 2
    assert directory.delete_all_contacts() == 2
    assert directory.contacts() == []


def test_find_by_number(directory: Directory) -> None:
    alice = directory.add_contact("Alice", office="2001", mobile="13800138000", other="alice@pbx", ringtone=7)
    directory.add_contact("Alias", mobile="2001")  # shares 2001; Alice is older
    assert directory.find_by_number("13800138000") == alice
    assert directory.find_by_number("138-0013-8000") == alice
    assert directory.find_by_number("2001") == alice
    assert directory.find_by_number("sip:2001@127.0.0.1;transport=udp") == alice
    assert directory.find_by_number('"Someone" <sip:2001@127.0.0.1>') == alice
    assert directory.find_by_number("alice@pbx") == alice
    assert directory.find_by_number("2009") is None and directory.find_by_number("") is None
    assert directory.find_by_number("2001").ringtone == 7  # type: ignore[union-attr]


# -- groups -----------------------------------------------------------------------------
def test_10_groups_fit_and_the_11th_is_refused(directory: Directory) -> None:
    for i in range(1, 10):
        directory.add_group(f"Group {i}")
    assert len(directory.groups()) == 10
    with pytest.raises(DirectoryError, match="at most 10 groups"):
        directory.add_group("Group 10")
    assert [g.name for g in directory.groups()] == ["Default"] + [f"Group {i}" for i in range(1, 10)]


def test_the_default_group_is_protected(directory: Directory, store: PhoneStorage) -> None:
    with pytest.raises(DirectoryError, match="cannot be renamed"):
        directory.rename_group(DEFAULT_GROUP_ID, "Mine")
    with pytest.raises(DirectoryError, match="cannot be deleted"):
        directory.delete_group(DEFAULT_GROUP_ID)
    # The database itself keeps it too: a DELETE skips it, an UPDATE is refused.
    with store._transaction() as db:
        db.execute("DELETE FROM contact_groups")
    with pytest.raises(sqlite3.IntegrityError, match="neither renamed nor deleted"):
        with store._transaction() as db:
            db.execute("UPDATE contact_groups SET name = 'Mine' WHERE id = 1")
    assert [g.name for g in directory.groups()] == ["Default"]


def test_group_names(directory: Directory) -> None:
    sales = directory.add_group("Sales", from_phone=True)
    assert directory.add_group("销售部").name == "销售部"  # the web takes any script
    with pytest.raises(DirectoryError, match="only hold English"):
        directory.add_group("市场", from_phone=True)
    with pytest.raises(DirectoryError, match="only hold English"):
        directory.rename_group(sales.id, "Ventes é", from_phone=True)
    with pytest.raises(DirectoryError, match="'Sales' already exists"):
        directory.add_group("SALES")
    with pytest.raises(DirectoryError, match="'Default' already exists"):
        directory.add_group("default")
    with pytest.raises(DirectoryError, match="reserved for the blacklist"):
        directory.add_group("BlackList")
    with pytest.raises(DirectoryError, match="must not be empty"):
        directory.add_group(" ")
    assert directory.rename_group(sales.id, "Sales EU", from_phone=True).name == "Sales EU"
    assert directory.rename_group(sales.id, "sales eu").name == "sales eu"  # its own name, new case
    assert [g.name for g in directory.groups()] == ["Default", "sales eu", "销售部"]


def test_deleting_a_group_moves_its_contacts_to_the_default_group(directory: Directory) -> None:
    sales, friends = directory.add_group("Sales"), directory.add_group("Friends")
    a = directory.add_contact("A", mobile="1", group_id=sales.id)
    b = directory.add_contact("B", mobile="2", group_id=friends.id)
    assert directory.delete_group(sales.id) == 1
    assert directory.contact(a.id).group_id == DEFAULT_GROUP_ID
    assert directory.contact(b.id).group == "Friends"  # other groups untouched
    assert [g.name for g in directory.groups()] == ["Default", "Friends"]


def test_delete_all_groups_keeps_the_default_group_and_every_contact(directory: Directory) -> None:
    groups = [directory.add_group(f"G{i}") for i in range(3)]
    for i, g in enumerate(groups):
        directory.add_contact(f"C{i}", mobile=str(i), group_id=g.id)
    assert directory.delete_all_groups() == 3
    assert [g.name for g in directory.groups()] == ["Default"]
    assert {c.group for c in directory.contacts()} == {"Default"} and directory.contact_count() == 3


# -- blacklist --------------------------------------------------------------------------
def test_30_blacklist_entries_fit_and_the_31st_is_refused(directory: Directory) -> None:
    for i in range(30):
        directory.add_to_blacklist(f"Spam {i}", f"9000{i:02d}")
    with pytest.raises(DirectoryError, match="blacklist: it is full \\(30 entries"):
        directory.add_to_blacklist("Spam 30", "900030")
    assert len(directory.blacklist()) == 30
    assert not directory.is_blacklisted("900030")


def test_blacklist(directory: Directory) -> None:
    entry = directory.add_to_blacklist("Spammer", "0755-1234 5678")
    assert entry.number == "075512345678"
    assert directory.is_blacklisted("075512345678")
    assert directory.is_blacklisted("sip:075512345678@10.0.0.1")
    assert not directory.is_blacklisted("2001")
    with pytest.raises(DirectoryError, match="already on the blacklist as 'Spammer'"):
        directory.add_to_blacklist("Again", "075512345678")
    with pytest.raises(DirectoryError, match="needs a number"):
        directory.add_to_blacklist("Nobody", " ")
    nameless = directory.add_to_blacklist("", "2009")
    assert directory.remove_from_blacklist(entry.id) == 1
    assert not directory.is_blacklisted("075512345678")  # rings normally again (REQ-BL-08)
    with pytest.raises(DirectoryError, match="no entry with id"):
        directory.remove_from_blacklist([nameless.id, 999])
    assert directory.blacklist() == [nameless]
    assert directory.clear_blacklist() == 1 and directory.blacklist() == []


# -- persistence and reset ----------------------------------------------------------------
def test_everything_survives_close_and_reopen(with_contacts_migration: None, db_path: Path) -> None:
    with PhoneStorage(db_path) as s:
        d = Directory(s)
        g = d.add_group("家人")
        before = d.add_contact("张三", mobile="13800138000", ringtone="Ring 2", account=1, group_id=g.id)
        d.add_to_blacklist("推销", "4001234567")
    with PhoneStorage(db_path) as s:
        d = Directory(s)
        assert d.contacts() == [before]
        assert [g.name for g in d.groups()] == ["Default", "家人"]
        assert d.is_blacklisted("4001234567") and d.find_by_number("13800138000") == before


def test_factory_reset_leaves_only_the_default_group(directory: Directory, store: PhoneStorage) -> None:
    g = directory.add_group("Sales")
    directory.add_contact("A", mobile="1", group_id=g.id)
    directory.add_contact("B", mobile="2")
    directory.add_to_blacklist("X", "3")
    store.factory_reset()
    assert [(g.id, g.name) for g in directory.groups()] == [(DEFAULT_GROUP_ID, "Default")]
    assert directory.contacts() == [] and directory.blacklist() == []
    directory.restore_defaults()  # harmless when the group is there
    assert len(directory.groups()) == 1
    assert directory.add_contact("C", mobile="4").group_id == DEFAULT_GROUP_ID


def test_the_tables_can_be_emptied_in_any_order(directory: Directory, store: PhoneStorage) -> None:
    g = directory.add_group("Sales")
    directory.add_contact("A", mobile="1", group_id=g.id)
    with store._transaction() as db:
        for table in reversed(CONTACT_TABLES):
            db.execute(f"DELETE FROM {table}")
    assert [g.name for g in directory.groups()] == ["Default"] and directory.contacts() == []


# -- export / import ----------------------------------------------------------------------
def test_export_of_an_empty_phone_is_the_template(directory: Directory) -> None:
    data = export_csv(directory.contacts())
    assert data.startswith(codecs.BOM_UTF8)
    assert data.decode("utf-8-sig") == HEADER + "\r\n"
    assert read_rows("contacts.csv", data) == []


def test_csv_round_trip_with_chinese_names(directory: Directory, tmp_path: Path,
                                           with_contacts_migration: None) -> None:
    family = directory.add_group("家人")
    directory.add_contact("张三", office="2001", mobile="13800138000", ringtone=3, account=1, group_id=family.id)
    directory.add_contact("李四, Jr.", mobile="13900139000", other="lisi@pbx", ringtone="my tone.wav")
    before = directory.contacts()
    exported = export_csv(before)

    # Imported on a fresh phone, the file gives the same directory.
    with PhoneStorage(tmp_path / "other" / "phone.db") as fresh:
        other = Directory(fresh)
        report = import_rows(other, read_rows("contacts.csv", exported))
        assert [r.name for r in report.imported] == ["张三", "李四, Jr."] and not report.refused
        strip = lambda cs: [(c.name, c.office, c.mobile, c.other, c.ringtone, c.account, c.group) for c in cs]
        assert strip(other.contacts()) == strip(before)

    # Edited and imported again: the same name updates, a new name adds.
    text = exported.decode("utf-8-sig").replace("13800138000", "13800138001")
    text += "王五,,13700137000,,,,同事\r\n"
    report = import_rows(directory, read_rows("contacts.csv", text.encode("utf-8")))  # no BOM this time
    assert [(r.row, r.name) for r in report.updated] == [(2, "张三"), (3, "李四, Jr.")]
    assert [(r.row, r.name) for r in report.imported] == [(4, "王五")]
    assert directory.contact_by_name("张三").mobile == "13800138001"  # type: ignore[union-attr]
    assert directory.contact_by_name("王五").group == "同事"  # type: ignore[union-attr]
    assert report.summary().startswith("1 imported, 2 updated, 0 refused")


def test_a_gb18030_csv_from_chinese_excel(directory: Directory) -> None:
    data = "姓名,手机号码,分组\r\n张三,13800138000,家人\r\n".encode("gb18030")
    report = import_rows(directory, read_rows("通讯录.csv", data))
    assert [r.name for r in report.imported] == ["张三"]
    assert directory.contact_by_name("张三").group == "家人"  # type: ignore[union-attr]


def test_import_report_for_bad_rows(directory: Directory) -> None:
    directory.add_contact("Old", mobile="1000", ringtone=2)
    data = csv_file(
        HEADER,                                   # row 1
        "Good,2001,,,,,",                         # 2
        ",2002,,,,,",                             # 3 missing name
        "No Number,,,,,,",                        # 4
        "Bad Ring,2004,,,11,,New Group",          # 5 (the group must not be made)
        "Bad Account,2005,,,,7,",                 # 6
        ",,,,,,",                                 # 7 empty: skipped
        "Spam,2008,,,,,BlackList",                # 8
        "Bad Number,20#0?9,,,,,",                 # 9
        "Old,,1001,,,,",                          # 10 update
        bom=True,
    )
    report = import_rows(directory, read_rows("contacts.csv", data))
    assert [(r.row, r.name) for r in report.imported] == [(2, "Good")]
    assert [(r.row, r.name) for r in report.updated] == [(10, "Old")]
    reasons = {r.row: r.reason for r in report.refused}
    assert sorted(reasons) == [3, 4, 5, 6, 8, 9]
    assert reasons[3] == "missing name"
    assert "at least one number" in reasons[4]
    assert "ringtone: 11" in reasons[5]
    assert "account" in reasons[6]
    assert "BlackList" in reasons[8]
    assert "'?'" in reasons[9]
    assert [g.name for g in directory.groups()] == ["Default"]  # nothing half-applied
    old = directory.contact_by_name("Old")
    assert old is not None and (old.mobile, old.ringtone) == ("1001", 0)  # present columns replace
    assert "row 3: missing name" in report.summary()
    assert report.as_dict()["refused"][0] == {"row": 3, "name": "", "reason": "missing name"}


def test_columns_missing_from_the_file_keep_their_values(directory: Directory) -> None:
    team = directory.add_group("Team")
    directory.add_contact("Bob", office="2002", mobile="1", ringtone=4, account=2, group_id=team.id)
    report = import_rows(directory, read_rows("x.csv", csv_file("Name,Mobile Number", "Bob,139")))
    bob = directory.contact_by_name("Bob")
    assert report.updated and bob is not None
    assert (bob.office, bob.mobile, bob.ringtone, bob.account, bob.group) == ("2002", "139", 4, 2, "Team")


def test_import_stops_adding_when_the_directory_is_full(directory: Directory) -> None:
    fill_contacts(directory, 998)
    data = csv_file(HEADER, "New 1,1,,,,,", "New 2,2,,,,,", "New 3,3,,,,,", "Contact 0005,9,,,,,")
    report = import_rows(directory, read_rows("contacts.csv", data))
    assert [r.row for r in report.imported] == [2, 3]
    assert [r.row for r in report.updated] == [5]  # updates still apply
    [full] = report.refused
    assert full.row == 4 and "directory is full (1000 contacts" in full.reason
    assert directory.contact_count() == 1000


def test_import_refuses_a_new_group_past_the_limit(directory: Directory) -> None:
    for i in range(9):
        directory.add_group(f"G{i}")
    report = import_rows(directory, read_rows("c.csv", csv_file(HEADER, "A,1,,,,,G0", "B,2,,,,,G9")))
    assert [r.name for r in report.imported] == ["A"]
    assert report.refused[0].row == 3 and "at most 10 groups" in report.refused[0].reason
    assert directory.contact_by_name("B") is None


def test_xlsx_import(directory: Directory) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "办公号码", "手机号码", "铃声", "账号", "分组"])
    sheet.append(["张三", 2001, 13800138000, 3, 1, "家人"])
    sheet.append([None, None, None, None, None, None])
    sheet.append(["Bob", "2002", None, "Ring 10", None, None])
    buffer = io.BytesIO()
    book.save(buffer)
    rows = read_rows("contacts.XLSX", buffer.getvalue())
    assert [r["row"] for r in rows] == [2, 4]
    report = import_rows(directory, rows)
    assert [r.name for r in report.imported] == ["张三", "Bob"] and not report.refused
    z = directory.contact_by_name("张三")
    assert z is not None and (z.office, z.mobile, z.ringtone, z.account, z.group) == ("2001", "13800138000", 3, 1, "家人")
    assert directory.contact_by_name("Bob").ringtone == 10  # type: ignore[union-attr]


def test_xls_import(directory: Directory) -> None:
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Contacts")
    for col, heading in enumerate(TEMPLATE.values()):
        sheet.write(0, col, heading)
    for col, value in enumerate(["李四", "", 13900139000, "", 0, 2, ""]):
        sheet.write(1, col, value)
    for col, value in enumerate(["", "2003", "", "", "", "", ""]):
        sheet.write(2, col, value)
    buffer = io.BytesIO()
    book.save(buffer)
    report = import_rows(directory, read_rows("contacts.xls", buffer.getvalue()))
    assert [r.name for r in report.imported] == ["李四"]
    assert [(r.row, r.reason) for r in report.refused] == [(3, "missing name")]
    li = directory.contact_by_name("李四")
    assert li is not None and (li.mobile, li.account, li.group) == ("13900139000", 2, "Default")


@pytest.mark.parametrize("filename", ["contacts.txt", "contacts", "contacts.csv.exe", "contacts.vcf"])
def test_other_file_types_are_refused(directory: Directory, filename: str) -> None:
    with pytest.raises(PhonebookFileError, match=r"only \.xls, \.csv and \.xlsx files"):
        read_rows(filename, csv_file(HEADER, "A,1,,,,,"))
    assert directory.contacts() == []


def test_a_windows_path_and_upper_case_extension_are_fine() -> None:
    assert read_rows(r"C:\Users\me\Contacts.CSV", csv_file(HEADER, "A,1,,,,,"))[0]["name"] == "A"


@pytest.mark.parametrize("filename, data, message", [
    ("c.xlsx", b"not a zip at all", "not a readable .xlsx file"),
    ("c.xls", b"not a workbook" * 50, "not a readable .xls file"),
    ("c.csv", b"", "the file is empty"),
    ("c.csv", b"\r\n,,\r\n", "the file is empty"),
    ("c.csv", b"Phone,Mobile Number\r\nA,1\r\n", "no Name column"),
    ("c.csv", b"Name,name\r\nA,B\r\n", "two 'Name' columns"),
    ("c.csv", b"\xff\xfeN\x00a\x00", "neither UTF-8 nor GB18030"),
])
def test_unreadable_files_are_refused_whole(filename: str, data: bytes, message: str) -> None:
    with pytest.raises(PhonebookFileError, match=message):
        read_rows(filename, data)
