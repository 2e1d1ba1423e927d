"""Steps of §4.3 and §4.4: local contacts, groups, the blacklist, call history.

The web side is driven the way the manual describes it: the Local contacts
page's forms (Add, Edit, Delete, Delete all, the group panel, Browse + CSV
import, CSV export); what the phone holds is read back through its JSON API,
the same data the page shows.  Bulk set-ups (hundreds of contacts) go through
the page's batch import, so they too use a path a user has.  Values in a
step may name a bench party: ``the number of C``.
"""
from __future__ import annotations

import csv
import html
import io
import re

import requests
from pytest_bdd import parsers, step

from drivers.errors import LabError, PhoneFailure
from drivers.wait import expect
from steps.phone_steps import press_soft_key, select_line

PHONE = r"(?:phone )?(?P<name>[A-B])"
OTHER = r"(?P<other>[A-D])"
KIND = r"(?P<kind>dialled|received|missed)"

FIELD_KEYS = {"office": "office", "mobile": "mobile", "other": "other", "ringtone": "ringtone",
              "account": "account", "group": "group", "name": "name", "number": "number"}


def _web(bench, name):
    dut = bench.dut(name)
    if "h680_session" not in dut.web.http.cookies:
        dut.web.login()
    return dut.web


def _value(bench, text: str) -> str:
    """'the number of C' -> C's number; other text as written."""
    m = re.fullmatch(r"the number of ([A-D])", text.strip())
    return bench.number_of(m.group(1)) if m else text.strip()


def _fields(bench, text: str) -> dict[str, str]:
    """'office 2001, ringtone 3, group Sales' -> {'office': '2001', ...}."""
    out = {}
    for part in [p for p in text.split(", ") if p.strip()]:
        key, _, value = part.strip().partition(" ")
        if key not in FIELD_KEYS:
            raise ValueError(f"unknown contact field {key!r} in the feature (allowed: {', '.join(FIELD_KEYS)})")
        out[FIELD_KEYS[key]] = _value(bench, value)
    return out


def _post_form(bench, name, path: str, data) -> requests.Response:
    web = _web(bench, name)
    resp = web.request("POST", path, data=data, allow_redirects=False)
    if resp.status_code == 302 and resp.headers.get("Location") == "/":
        web.login()
        resp = web.request("POST", path, data=data, allow_redirects=False)
    bench.context["directory_response"] = resp
    return resp


def _api(bench, name, method: str, path: str, **kw) -> requests.Response:
    resp = _web(bench, name)._json(method, path, **kw)
    return resp


def _contacts(bench, name) -> list[dict]:
    return _api(bench, name, "GET", "/api/contacts").json()["contacts"]


def _contact(bench, name, contact: str) -> dict:
    found = next((c for c in _contacts(bench, name) if c["name"] == contact), None)
    if found is None:
        raise PhoneFailure(f"{name} has no contact {contact!r}: {[c['name'] for c in _contacts(bench, name)][:20]}")
    return found


def _groups(bench, name) -> list[dict]:
    return _api(bench, name, "GET", "/api/groups").json()


def _group_id(bench, name, group: str) -> int:
    found = next((g["id"] for g in _groups(bench, name) if g["name"] == group), None)
    if found is None:
        raise PhoneFailure(f"{name} has no group {group!r}")
    return found


def _blacklist(bench, name) -> list[dict]:
    return _api(bench, name, "GET", "/api/blacklist").json()


def _accepted(resp: requests.Response, what: str) -> None:
    if resp.status_code not in (200, 302):
        raise PhoneFailure(f"{what}: the web UI refused it ({resp.status_code}): {_said(resp)[:400]}")


def _said(resp: requests.Response) -> str:
    return html.unescape(_said_raw(resp))


def _said_raw(resp: requests.Response) -> str:
    if resp.headers.get("content-type", "").startswith("application/json"):
        return str(resp.json().get("error", resp.json()))
    m = re.search(r"<p class='note'>(.*?)</p>", resp.text, re.S)
    return m.group(1) if m else resp.text[:400]


# --- groups (web) -----------------------------------------------------------------------------
@step(parsers.re(rf'the web UI of {PHONE} adds the group "(?P<group>[^"]+)"'))
def web_adds_group(bench, name, group):
    resp = _post_form(bench, name, "/contacts", {"action": "add_group", "group_name": group})
    _accepted(resp, f"adding the group {group!r}")


@step(parsers.re(rf'the web UI of {PHONE} tries to add the group "(?P<group>[^"]+)"'))
def web_tries_group(bench, name, group):
    _post_form(bench, name, "/contacts", {"action": "add_group", "group_name": group})


@step(parsers.re(rf"the web UI of {PHONE} adds (?P<count>\d+) groups"))
def web_adds_groups(bench, name, count):
    for i in range(1, int(count) + 1):
        resp = _api(bench, name, "POST", "/api/groups", json={"name": f"Group {i}"})
        _accepted(resp, f"adding group {i}")


@step(parsers.re(rf'the web UI of {PHONE} (?P<action>renames|deletes) the group "(?P<group>[^"]+)"(?: to "(?P<new>[^"]+)")?'))
def web_group_action(bench, name, action, group, new):
    """Select the group in the group panel, then Edit (with the new name) or Delete."""
    gid = _group_id(bench, name, group)
    _web(bench, name).page(f"/contacts?group={gid}")
    form = {"group_id": str(gid), "group_name": new or group,
            "action": "edit_group" if action == "renames" else "delete_group"}
    _post_form(bench, name, "/contacts", form)


@step(parsers.re(rf'the web UI of {PHONE} (?P<how>lists|does not list) the group "(?P<group>[^"]+)"'))
def web_lists_group(bench, name, how, group):
    names = [g["name"] for g in _groups(bench, name)]
    if (group in names) != (how == "lists"):
        raise PhoneFailure(f"the groups of {name} are {names}; expected {group!r} {'' if how == 'lists' else 'not '}there")


@step(parsers.re(rf"the web UI of {PHONE} has (?P<count>\d+) groups"))
def web_group_count(bench, name, count):
    names = [g["name"] for g in _groups(bench, name)]
    if len(names) != int(count):
        raise PhoneFailure(f"{name} has {len(names)} groups ({names}), expected {count}")


# --- the page's verdicts ------------------------------------------------------------------------
@step("the web UI accepts it")
def web_accepts(bench):
    _accepted(bench.context["directory_response"], "the last change")


@step(parsers.re(r'the web UI refuses it saying "(?P<text>[^"]+)"'))
def web_refuses(bench, text):
    resp = bench.context["directory_response"]
    said = _said(resp)
    if resp.status_code != 400 or text not in said:
        raise PhoneFailure(f"expected a refusal saying {text!r}; the web UI answered {resp.status_code}: {said[:400]}")


# --- contacts (web) -----------------------------------------------------------------------------
@step(parsers.re(rf'the web UI of {PHONE} (?P<tries>adds|tries to add) the contact "(?P<contact>[^"]+)" with (?P<fields>.+)'))
def web_adds_contact(bench, name, tries, contact, fields):
    """Fill the Local contact form and click Add."""
    form = {"action": "add", "name": contact, "office": "", "mobile": "", "other": "", "ringtone": "0",
            "account": "0", "group": "Default", **_fields(bench, fields)}
    resp = _post_form(bench, name, "/contacts", form)
    if tries == "adds":
        _accepted(resp, f"adding the contact {contact!r}")


@step(parsers.re(rf'the web UI of {PHONE} shows the contact "(?P<contact>[^"]+)" with (?P<fields>.+)'))
def web_shows_contact(bench, name, contact, fields):
    got = _contact(bench, name, contact)
    for key, want in _fields(bench, fields).items():
        if str(got[key]) != want:
            raise PhoneFailure(f"{name}'s contact {contact!r} has {key} {got[key]!r}, expected {want!r}")


@step(parsers.re(rf'the web UI of {PHONE} (?P<how>lists|does not list) the contact "(?P<contact>[^"]+)"'))
def web_lists_contact(bench, name, how, contact):
    names = [c["name"] for c in _contacts(bench, name)]
    if (contact in names) != (how == "lists"):
        raise PhoneFailure(f"the contacts of {name} are {names[:20]}; expected {contact!r} "
                           f"{'' if how == 'lists' else 'not '}there")


@step(parsers.re(rf"the web UI of {PHONE} lists (?P<count>\d+) contacts?"))
def web_contact_count(bench, name, count):
    got = _api(bench, name, "GET", "/api/contacts").json()["count"]
    if got != int(count):
        raise PhoneFailure(f"{name} holds {got} contacts, expected {count}")


@step(parsers.re(rf'the web UI of {PHONE} clicks the contact "(?P<contact>[^"]+)" in the list'))
def web_clicks_contact(bench, name, contact):
    cid = _contact(bench, name, contact)["id"]
    page = _web(bench, name).page("/contacts")
    if f"/contacts?contact={cid}" not in page.text:
        raise PhoneFailure(f"the contact list of {name}'s page has no link for {contact!r}")
    bench.context["contact_page"] = _web(bench, name).page(f"/contacts?contact={cid}").text


@step(parsers.re(r'the contact form is filled with "(?P<first>[^"]+)" and "(?P<second>[^"]+)"'))
def contact_form_filled(bench, first, second):
    form = bench.context["contact_page"].split("<section id='contact'>", 1)[1].split("</section>", 1)[0]
    for value in (first, second):
        if f"value='{value}'" not in form:
            raise PhoneFailure(f"the Local contact form does not hold {value!r}")


@step(parsers.re(rf'the web UI of {PHONE} edits the contact "(?P<contact>[^"]+)" setting (?P<fields>.+)'))
def web_edits_contact(bench, name, contact, fields):
    """Click the contact (the form fills), change fields, click Edit."""
    c = _contact(bench, name, contact)
    form = {"action": "edit", "contact_id": str(c["id"]), "name": c["name"], "office": c["office"],
            "mobile": c["mobile"], "other": c["other"], "ringtone": str(c["ringtone"]),
            "account": str(c["account"]), "group": c["group"], **_fields(bench, fields)}
    _accepted(_post_form(bench, name, "/contacts", form), f"editing {contact!r}")


@step(parsers.re(rf'the web UI of {PHONE} deletes the contacts? (?P<names>"[^"]+"(?: and "[^"]+")*)'))
def web_deletes_contacts(bench, name, names):
    ids = [str(_contact(bench, name, n)["id"]) for n in re.findall(r'"([^"]+)"', names)]
    _accepted(_post_form(bench, name, "/contacts", [("action", "delete")] + [("ids", i) for i in ids]),
              "deleting contacts")


@step(parsers.re(rf"the web UI of {PHONE} deletes all contacts"))
def web_deletes_all_contacts(bench, name):
    _accepted(_post_form(bench, name, "/contacts", {"action": "delete_all"}), "Delete all")


def _contacts_csv(count: int, start: int = 1) -> bytes:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["Name", "Office Number"])
    for i in range(start, start + count):
        w.writerow([f"Contact {i:04d}", f"5{i:04d}"])
    return out.getvalue().encode()


@step(parsers.re(rf"{PHONE} holds (?P<count>\d+) contacts imported from the web"))
def holds_imported(bench, name, count):
    """Bulk set-up through the page's own batch import (Browse -> CSV import)."""
    resp = _web(bench, name)._json("POST", "/api/contacts/import",
                                   files={"file": ("bulk.csv", _contacts_csv(int(count)), "text/csv")}, timeout=60)
    if resp.status_code != 200 or len(resp.json()["imported"]) != int(count):
        raise LabError("bench", f"could not import {count} contacts into {name}: {resp.status_code} {resp.text[:300]}")


# --- import / export ------------------------------------------------------------------------------
def _file_bytes(filename: str, text: str) -> bytes:
    """The docstring table as the file type the name says (.csv, .xlsx, .xls; anything else as text)."""
    rows = list(csv.reader(io.StringIO(text.strip() + "\n")))
    ext = filename.rsplit(".", 1)[-1].lower()
    if ext == "xlsx":
        import openpyxl
        book = openpyxl.Workbook()
        for row in rows:
            book.active.append(row)
        buf = io.BytesIO()
        book.save(buf)
        return buf.getvalue()
    if ext == "xls":
        import xlwt
        book = xlwt.Workbook(encoding="utf-8")
        sheet = book.add_sheet("Contacts")
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                sheet.write(r, c, cell)
        buf = io.BytesIO()
        book.save(buf)
        return buf.getvalue()
    return text.strip().encode("utf-8") + b"\n"


def _import(bench, name, filename: str, data: bytes) -> None:
    web = _web(bench, name)
    resp = web.request("POST", "/contacts/import", files={"file": (filename, data)}, allow_redirects=False)
    bench.context["directory_response"] = resp


@step(parsers.re(rf'the web UI of {PHONE} imports the file "(?P<filename>[^"]+)":'))
def web_imports_file(bench, name, filename, docstring):
    _import(bench, name, filename, _file_bytes(filename, docstring))


def _report(bench) -> str:
    resp = bench.context["directory_response"]
    m = re.search(r"<div class='dialog' id='import-report'>(.*?)</div>", resp.text, re.S)
    if resp.status_code != 200 or not m:
        raise PhoneFailure(f"the import showed no result prompt ({resp.status_code}): {_said(resp)[:300]}")
    return m.group(1)


@step(parsers.re(r'the import result says "(?P<summary>[^"]+)"'))
def import_result(bench, summary):
    report = _report(bench)
    if summary not in report:
        raise PhoneFailure(f"the import prompt says {re.sub('<[^>]+>', ' ', report)!r}, expected {summary!r}")


@step(parsers.re(r'the import result names row (?P<row>\d+) as refused for "(?P<reason>[^"]+)"'))
def import_row_refused(bench, row, reason):
    report = _report(bench)
    lines = [html.unescape(line) for line in re.findall(r"<li>(.*?)</li>", report)]
    if not any(line.startswith(f"row {row}:") and reason in line for line in lines):
        raise PhoneFailure(f"the import prompt does not refuse row {row} for {reason!r}: {lines}")


@step(parsers.re(rf"the web UI of {PHONE} exports the contacts as CSV"))
def web_exports(bench, name):
    resp = _web(bench, name)._json("GET", "/contacts/export.csv")
    if resp.status_code != 200 or "csv" not in resp.headers.get("content-type", ""):
        raise PhoneFailure(f"CSV export answered {resp.status_code} {resp.headers.get('content-type')}")
    bench.context["exported_csv"] = resp.content
    (bench.evidence_dir / "contacts-export.csv").write_bytes(resp.content)


def _exported_rows(bench) -> list[list[str]]:
    return list(csv.reader(io.StringIO(bench.context["exported_csv"].decode("utf-8-sig"))))


@step(parsers.re(r'the exported CSV has the header "(?P<header>[^"]+)" and (?P<count>\d+) contact rows?'))
def exported_header(bench, header, count):
    rows = _exported_rows(bench)
    if ",".join(rows[0]) != header:
        raise PhoneFailure(f"the exported CSV's header is {','.join(rows[0])!r}, expected {header!r}")
    if len(rows) - 1 != int(count):
        raise PhoneFailure(f"the exported CSV has {len(rows) - 1} contact rows, expected {count}")


@step(parsers.re(r'the exported CSV lists "(?P<contact>[^"]+)" with office (?P<office>\S+)'))
def exported_lists(bench, contact, office):
    rows = _exported_rows(bench)
    if not any(r[0] == contact and r[1] == office for r in rows[1:]):
        raise PhoneFailure(f"the exported CSV has no row {contact!r} with office {office}: {rows}")


@step(parsers.re(r'the exported CSV is edited: the mobile of "(?P<contact>[^"]+)" becomes (?P<mobile>\S+) '
                 r'and a row "(?P<new>[^"]+)" with office (?P<office>\S+) is added'))
def edit_exported(bench, contact, mobile, new, office):
    rows = _exported_rows(bench)
    for r in rows[1:]:
        if r[0] == contact:
            r[2] = mobile
    rows.append([new, office, "", "", "0", "0", ""])
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    bench.context["edited_csv"] = b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


@step(parsers.re(rf'the edited CSV is imported into {PHONE} as "(?P<filename>[^"]+)"'))
def import_edited(bench, name, filename):
    _import(bench, name, filename, bench.context["edited_csv"])


# --- blacklist (web) ------------------------------------------------------------------------------
@step(parsers.re(rf'the web UI of {PHONE} (?P<tries>adds|tries to add) "(?P<entry>[^"]*)" with (?P<number>the number of [A-D]|\d+) to the blacklist'))
def web_adds_blacklist(bench, name, tries, entry, number):
    """The Local contact form with the group BlackList, then Add (REQ-BL-05)."""
    form = {"action": "add", "name": entry, "office": _value(bench, number), "mobile": "", "other": "",
            "ringtone": "0", "account": "0", "group": "BlackList"}
    resp = _post_form(bench, name, "/contacts", form)
    if tries == "adds":
        _accepted(resp, f"adding {number} to the blacklist")


@step(parsers.re(rf"the blacklist of {PHONE} holds (?P<count>\d+) numbers"))
def blacklist_filled(bench, name, count):
    """Bulk set-up through the JSON API of the same page (numbers 3000, 3001, ...)."""
    for i in range(int(count)):
        resp = _api(bench, name, "POST", "/api/blacklist", json={"name": f"Spam {i}", "number": f"3{i:03d}"})
        _accepted(resp, f"blacklist entry {i}")


@step(parsers.re(rf"the blacklist of {PHONE} (?P<how>lists|does not list) (?P<number>the number of [A-D]|\d+)"))
def blacklist_lists(bench, name, how, number):
    want = _value(bench, number)
    numbers = [e["number"] for e in _blacklist(bench, name)]
    if (want in numbers) != (how == "lists"):
        raise PhoneFailure(f"the blacklist of {name} is {numbers}; expected {want} {'' if how == 'lists' else 'not '}on it")


@step(parsers.re(rf"the blacklist of {PHONE} has (?P<count>\d+) entries"))
def blacklist_count(bench, name, count):
    got = len(_blacklist(bench, name))
    if got != int(count):
        raise PhoneFailure(f"the blacklist of {name} has {got} entries, expected {count}")


@step(parsers.re(rf'the blacklist of {PHONE} lists "(?P<entry>[^"]+)" with the number (?P<number>the number of [A-D]|\d+)'))
def blacklist_lists_entry(bench, name, entry, number):
    want = _value(bench, number)
    if not any(e["name"] == entry and e["number"] == want for e in _blacklist(bench, name)):
        raise PhoneFailure(f"the blacklist of {name} has no {entry!r} {want}: {_blacklist(bench, name)}")


@step(parsers.re(rf"the web UI of {PHONE} chooses BlackList in the contact list and deletes (?P<what>the number of [A-D]|\d+|all entries)"))
def web_deletes_blacklist(bench, name, what):
    page = _web(bench, name).page("/contacts?list=BlackList").text
    if "delete_blacklist" not in page:
        raise PhoneFailure(f"choosing BlackList on {name}'s contact list did not show the blacklist")
    if what == "all entries":
        form = {"action": "delete_blacklist_all", "list": "BlackList"}
    else:
        number = _value(bench, what)
        ids = [str(e["id"]) for e in _blacklist(bench, name) if e["number"] == number]
        form = [("action", "delete_blacklist"), ("list", "BlackList")] + [("ids", i) for i in ids]
    _accepted(_post_form(bench, name, "/contacts", form), f"deleting {what} from the blacklist")


# --- call history ---------------------------------------------------------------------------------
@step(parsers.re(rf"the {KIND} calls of {PHONE} already hold (?P<count>\d+) older records"))
def history_filled(bench, name, kind, count):
    """Reference target only: the bench's fast path stores old records through the phone's storage
    (numbers 7000, 7001 ...; 7000 the oldest), so a limit of 300 needs no 300 real calls."""
    dut = bench.dut(name)
    resp = requests.post(dut.web.base_url + "/control/history/fill",
                         json={"kind": kind, "count": int(count), "prefix": "7"}, timeout=60)
    if resp.status_code != 200 or resp.json()["stored"] != int(count):
        raise LabError("bench", f"could not fill the {kind} calls of {name}: {resp.status_code} {resp.text[:200]}")


@step(parsers.re(rf"the {KIND} calls of {PHONE} hold (?P<count>\d+) records"))
def history_count(bench, name, kind, count):
    web = _web(bench, name)
    expect(lambda: len(web.history(kind)) == int(count), 5,
           lambda: f"the {kind} calls of {name} hold {len(web.history(kind))} records, expected {count}")


@step(parsers.re(rf"the {KIND} calls of {PHONE} (?P<how>include|do not include) (?P<number>the number of [A-D]|\d+)"))
def history_includes(bench, name, kind, how, number):
    want = _value(bench, number)
    web = _web(bench, name)
    expect(lambda: (want in [r["number"] for r in web.history(kind)]) == (how == "include"), 5,
           lambda: f"the {kind} calls of {name} are {[r['number'] for r in web.history(kind)][:10]}...; "
                   f"expected {want} {'' if how == 'include' else 'not '}among them")


@step(parsers.re(rf"the web UI of {PHONE} deletes (?P<what>the call history|the history record of (?P<other>[A-D]))"))
def web_deletes_history(bench, name, what, other):
    if other is None:
        form = {"all": "1", "kind": ""}
    else:
        number = bench.number_of(other)
        form = [("ids", str(r["id"])) for r in _web(bench, name).history() if r["number"] == number]
    resp = _post_form(bench, name, "/history/delete", form)
    if resp.status_code not in (200, 302):
        raise PhoneFailure(f"deleting {what} on the web answered {resp.status_code}")


@step(parsers.re(rf"the call history page of {PHONE} (?P<how>lists|does not list) the number of {OTHER}"))
def history_page_lists(bench, name, how, other):
    number = bench.number_of(other)
    text = _web(bench, name).page("/history").text
    if (f"<td>{number}</td>" in text) != (how == "lists"):
        raise PhoneFailure(f"the Call history page of {name} {'lacks' if how == 'lists' else 'still shows'} {number}")


# --- the phone ------------------------------------------------------------------------------------
@step(parsers.re(rf'{PHONE} highlights "(?P<text>[^"]+)"'))
def highlights(bench, name, text):
    select_line(bench.dut(name), text)


@step(parsers.re(rf'{PHONE} chooses "(?P<item>[^"]+)" from the options'))
def choose_option(bench, name, item):
    dut = bench.dut(name)
    press_soft_key(bench, name, "Options")
    dut.screen.wait_for(lambda s: s.title == "Options", "the Options list")
    select_line(dut, item)
    dut.press("OK")


@step(parsers.re(rf'{PHONE} shows "(?P<prefix>[^"]*)" with the number of {OTHER}'))
def shows_with_number(bench, name, prefix, other):
    text = prefix + bench.number_of(other)
    bench.dut(name).screen.wait_for(lambda s: any(text in line for line in s.lines), f'"{text}" on the LCD')


@step(parsers.re(rf'the title of {PHONE} reads "(?P<title>[^"]+)"'))
def title_reads(bench, name, title):
    bench.dut(name).screen.wait_for(lambda s: s.title == title, f'the title "{title}"')


@step(parsers.re(rf'the (?P<which>first|selected) line of {PHONE} reads "(?P<text>[^"]*)"(?: followed by the number of {OTHER})?'))
def line_reads(bench, name, which, text, other):
    want = text + (bench.number_of(other) if other else "")

    def ok(s):
        i = 0 if which == "first" else s.selected
        return i is not None and len(s.lines) > i and s.lines[i] == want
    bench.dut(name).screen.wait_for(ok, f'the {which} line "{want}"')


@step(parsers.re(rf'{PHONE} rings with the ringtone "(?P<ringtone>[^"]+)"'))
def rings_with(bench, name, ringtone):
    """The ringtone the phone reports it plays (its status); the listening test of a real bench."""
    web = _web(bench, name)

    def ringer():
        return web.status().get("ringer", {})
    expect(lambda: ringer().get("ringing") and ringer().get("ringtone") == ringtone, 8,
           lambda: f"{name} rings with {ringer()}, expected {ringtone!r}")
