"""Batch import and export of local contacts (manual §4.3.1.4, the web's batch panel).

The manual's procedure: "CSV export" downloads the contact template (or the
contacts, once there are some); the user fills it in a spreadsheet and
imports it with Browse -> "CSV import", which takes only .xls, .csv and .xlsx
files (REQ-CONT-19/20); the page then shows a result prompt (REQ-CONT-21).

Interpretations made here (the manual shows neither the template nor the prompt):

* The template is one header row: Name, Office Number, Mobile Number, Other
  Number, Ringtone, Account, Group.  The import also knows the Chinese
  headings (姓名, 办公号码, 手机号码, 其他号码, 铃声, 账号, 分组) and ignores
  case, spaces and underscores in headings.  A Name column is required;
  columns it does not know are ignored.  The first non-empty row is the header.
* Each data row is one contact.  A row whose name already exists updates that
  contact (REQ-CONT-22: an exported file, edited and imported again); other
  rows add contacts.  A column missing from the file leaves that field as it
  was (or at its default for a new contact); an empty cell in a present column
  empties the field (Group empty = the default group).  A group the phone does
  not have yet is made, within the 10-group limit.  Group "BlackList" rows are
  refused: the blacklist is not part of the contact template.
* Every row is applied whole or not at all (one transaction per row).  A bad
  row is refused with its row number and the reason; the rows after it are
  still tried.  Once the directory is full, each further new contact is
  refused ("the directory is full"), while updates still apply.  Empty rows
  are skipped silently.
* Row numbers are the spreadsheet's: the header is usually row 1, so the first
  contact is row 2.
* CSV is written as UTF-8 with a byte-order mark (so that Excel shows Chinese
  names), CRLF line ends.  It is read as UTF-8 with or without the mark; a
  file that is not UTF-8 is read as GB18030, which is what a Chinese Excel
  writes when it saves CSV.
* A file over 2 MB or with more than 5000 data rows is refused whole (the
  phone holds 1000 contacts).
"""
from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import PurePosixPath, PureWindowsPath
from typing import Iterable

from .contacts import BLACKLIST_GROUP_NAME, Contact, Directory, DirectoryError

EXTENSIONS = (".csv", ".xls", ".xlsx")
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000

# field -> template heading; the template's column order.
TEMPLATE = {
    "name": "Name",
    "office": "Office Number",
    "mobile": "Mobile Number",
    "other": "Other Number",
    "ringtone": "Ringtone",
    "account": "Account",
    "group": "Group",
}
_ALIASES = {
    "name": ("name", "姓名", "名字", "联系人"),
    "office": ("officenumber", "office", "officephone", "办公号码", "办公电话"),
    "mobile": ("mobilenumber", "mobile", "mobilephone", "手机号码", "手机", "手机号"),
    "other": ("othernumber", "other", "其他号码", "其它号码"),
    "ringtone": ("ringtone", "ring", "铃声", "铃音"),
    "account": ("account", "账号", "帐号"),
    "group": ("group", "分组", "群组"),
}
_HEADING_TO_FIELD = {alias: f for f, aliases in _ALIASES.items() for alias in aliases}


class PhonebookFileError(ValueError):
    """The whole file is refused (wrong type, unreadable, no header); the message names the file."""


@dataclass(frozen=True)
class RowResult:
    row: int        # the spreadsheet's row number
    name: str
    reason: str = ""


@dataclass
class ImportReport:
    """What an import did, row by row: the web page's result prompt (REQ-CONT-21)."""

    imported: list[RowResult] = field(default_factory=list)
    updated: list[RowResult] = field(default_factory=list)
    refused: list[RowResult] = field(default_factory=list)

    def summary(self) -> str:
        """One line per refused row after a count line, e.g. for the web page."""
        lines = [f"{len(self.imported)} imported, {len(self.updated)} updated, {len(self.refused)} refused"]
        lines += [f"row {r.row}: {r.reason}" for r in self.refused]
        return "\n".join(lines)

    def as_dict(self) -> dict[str, object]:
        def rows(results: list[RowResult]) -> list[dict[str, object]]:
            return [{"row": r.row, "name": r.name, **({"reason": r.reason} if r.reason else {})}
                    for r in results]
        return {"imported": rows(self.imported), "updated": rows(self.updated),
                "refused": rows(self.refused), "summary": self.summary()}


# -- export ---------------------------------------------------------------------
def export_csv(contacts: Iterable[Contact]) -> bytes:
    """The contacts as CSV in the template's layout; no contacts gives the bare template."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(TEMPLATE.values())
    for c in contacts:
        writer.writerow([c.name, c.office, c.mobile, c.other, str(c.ringtone), str(c.account), c.group])
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")


# -- reading files --------------------------------------------------------------
def _extension(filename: str) -> str:
    name = PureWindowsPath(PurePosixPath(filename or "").name).name   # a browser may send C:\...\x.csv
    return PurePosixPath(name).suffix.lower()


def _cell_text(value: object) -> str:
    """A cell as the text the directory checks: 13800138000.0 -> '13800138000'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return str(value).strip()


def _csv_table(filename: str, data: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise PhonebookFileError(f"{filename!r}: the CSV is neither UTF-8 nor GB18030 text")
    try:
        return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as exc:
        raise PhonebookFileError(f"{filename!r}: not a readable CSV file: {exc}") from None


def _xlsx_table(filename: str, data: bytes) -> list[list[str]]:
    import openpyxl   # openpyxl==3.1.5
    from openpyxl.utils.exceptions import InvalidFileException
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise PhonebookFileError(f"{filename!r}: not a readable .xlsx file ({exc})") from None
    try:
        sheet = book.worksheets[0]
        table: list[list[str]] = []
        for values in sheet.iter_rows(min_row=1, values_only=True):
            table.append([_cell_text(v) for v in values])
            if len(table) > MAX_ROWS + 1:
                break
        return table
    finally:
        book.close()


def _xls_table(filename: str, data: bytes) -> list[list[str]]:
    import xlrd   # xlrd==2.0.2 reads only the old .xls format
    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True)
    except (xlrd.XLRDError, xlrd.compdoc.CompDocError, AssertionError, IndexError, ValueError) as exc:
        raise PhonebookFileError(f"{filename!r}: not a readable .xls file ({exc})") from None
    try:
        sheet = book.sheet_by_index(0)
        return [[_cell_text(v) for v in sheet.row_values(r)] for r in range(min(sheet.nrows, MAX_ROWS + 2))]
    finally:
        book.release_resources()


_READERS = {".csv": _csv_table, ".xlsx": _xlsx_table, ".xls": _xls_table}


def _heading_field(heading: str) -> str | None:
    return _HEADING_TO_FIELD.get(re.sub(r"[\s_]+", "", heading).lower())


def read_rows(filename: str, data: bytes) -> list[dict[str, object]]:
    """The data rows of an uploaded .csv / .xls / .xlsx file.

    Each row is a dict with ``row`` (its spreadsheet row number) and the
    template fields present in the file (``name``, ``office``, ``mobile``,
    ``other``, ``ringtone``, ``account``, ``group``) as text.  Raises
    ``PhonebookFileError`` for any other file type or an unreadable file.
    """
    ext = _extension(filename)
    if ext not in EXTENSIONS:
        kind = f"a {ext} file" if ext else "a file without an extension"
        raise PhonebookFileError(f"{filename!r}: only .xls, .csv and .xlsx files can be imported, not {kind}")
    if not data:
        raise PhonebookFileError(f"{filename!r}: the file is empty; start from the exported template")
    if len(data) > MAX_FILE_BYTES:
        raise PhonebookFileError(f"{filename!r}: the file is {len(data)} bytes; at most {MAX_FILE_BYTES}")
    table = _READERS[ext](filename, data)

    header_index = next((i for i, cells in enumerate(table) if any(cells)), None)
    if header_index is None:
        raise PhonebookFileError(f"{filename!r}: the file is empty; start from the exported template")
    columns: dict[int, str] = {}
    for col, heading in enumerate(table[header_index]):
        name = _heading_field(heading)
        if name is None:
            continue
        if name in columns.values():
            raise PhonebookFileError(f"{filename!r}: row {header_index + 1} has two {TEMPLATE[name]!r} columns")
        columns[col] = name
    if "name" not in columns.values():
        raise PhonebookFileError(f"{filename!r}: row {header_index + 1} must be the template's header "
                                 f"({', '.join(TEMPLATE.values())}); it has no Name column")

    rows: list[dict[str, object]] = []
    for index in range(header_index + 1, len(table)):
        cells = table[index]
        if not any(cells):
            continue
        if len(rows) == MAX_ROWS:
            raise PhonebookFileError(f"{filename!r}: more than {MAX_ROWS} rows; the phone holds "
                                     f"{Directory.MAX_CONTACTS} contacts")
        row: dict[str, object] = {"row": index + 1}
        for col, name in columns.items():
            row[name] = cells[col] if col < len(cells) else ""
        rows.append(row)
    return rows


# -- importing ------------------------------------------------------------------
def import_rows(directory: Directory, rows: Iterable[dict[str, object]]) -> ImportReport:
    """Add or update a contact per row; see the module's docstring for the rules."""
    report = ImportReport()
    for position, row in enumerate(rows):
        number = int(row.get("row", position + 2))   # type: ignore[arg-type]
        name = _cell_text(row.get("name"))
        if not name:
            report.refused.append(RowResult(number, "", "missing name"))
            continue
        fields = {k: row[k] for k in ("office", "mobile", "other", "ringtone", "account") if k in row}
        fields["name"] = name
        group = row.get("group")
        group_name = None if group is None else _cell_text(group)
        if group_name and group_name.lower() == BLACKLIST_GROUP_NAME.lower():
            report.refused.append(RowResult(number, name, "group BlackList: blacklist entries are not "
                                            "imported with contacts; add them on the blacklist"))
            continue
        try:
            outcome = directory.save_contact_by_name(fields, group_name)
        except DirectoryError as exc:
            report.refused.append(RowResult(number, name, str(exc)))
            continue
        (report.imported if outcome == "imported" else report.updated).append(RowResult(number, name))
    return report
