"""Web pages and JSON API of the directory (manual §4.3.1, §4.3.2, §4.4).

Web menu Directory (B) -> Local contacts (x): one page with four panels, as
the manual describes them --

* Group: the groups, a group-name field with Add / Edit / Delete (the
  default group can be neither renamed nor deleted);
* Local contact: name, office / mobile / other number, ringtone, account and
  group, with Add / Edit; choosing the group "BlackList" adds a blacklist
  entry instead of a contact (REQ-BL-05);
* Contact list: a drop-down of the groups plus "BlackList"; ticking rows and
  Delete, or Delete all; clicking a name fills the Local contact form;
* Batch: "CSV export" (the template, or the contacts) and Browse + "CSV
  import", which shows the import report (REQ-CONT-21).

``/blacklist`` is the contact list with "BlackList" chosen.  Directory (B) ->
Call history (y) is the existing ``/history`` page, which gains a list choice
and Delete / Delete all here.

JSON API (same handlers and checks, answers ``{"error": ...}`` with 400 when
refused): ``/api/contacts``, ``/api/groups``, ``/api/blacklist``,
``/api/contacts/import``, ``/api/contacts/export``, ``/api/history/delete``.
``/control/history/fill`` is a bench-only fast path (reference target) that
stores old history records through the phone's own storage.
"""
from __future__ import annotations

import html
from typing import TYPE_CHECKING

from aiohttp import web

from . import call_history
from .contacts import BLACKLIST_GROUP_NAME, DEFAULT_GROUP_ID, Contact, DirectoryError
from .phonebook_files import PhonebookFileError, export_csv, import_rows, read_rows

if TYPE_CHECKING:
    from .web import WebServer


def contact_json(c: Contact) -> dict:
    return {"id": c.id, "name": c.name, "office": c.office, "mobile": c.mobile, "other": c.other,
            "ringtone": c.ringtone, "account": c.account, "group_id": c.group_id, "group": c.group}


def _ids(value) -> list[int]:
    if isinstance(value, (list, tuple)):
        return [int(v) for v in value]
    return [int(v) for v in str(value).replace(",", " ").split() if v]


class DirectoryPages:
    def __init__(self, server: "WebServer"):
        self.server = server
        self.phone = server.phone
        r = server.app.router
        r.add_get("/contacts", self.contacts_page)
        r.add_post("/contacts", self.contacts_submit)
        r.add_get("/blacklist", self.blacklist_page)
        r.add_post("/contacts/import", self.import_page)
        r.add_get("/contacts/export.csv", self.export)
        r.add_post("/history/delete", self.history_delete)
        r.add_get("/api/contacts", self.api_contacts)
        r.add_post("/api/contacts", self.api_add_contact)
        r.add_post("/api/contacts/delete", self.api_delete_contacts)
        r.add_post("/api/contacts/import", self.api_import)
        r.add_get("/api/contacts/export", self.export)
        r.add_post("/api/contacts/{id:\\d+}", self.api_edit_contact)
        r.add_get("/api/groups", self.api_groups)
        r.add_post("/api/groups", self.api_add_group)
        r.add_post("/api/groups/delete-all", self.api_delete_all_groups)
        r.add_post("/api/groups/{id:\\d+}", self.api_rename_group)
        r.add_post("/api/groups/{id:\\d+}/delete", self.api_delete_group)
        r.add_get("/api/blacklist", self.api_blacklist)
        r.add_post("/api/blacklist", self.api_add_blacklist)
        r.add_post("/api/blacklist/delete", self.api_delete_blacklist)
        r.add_post("/api/history/delete", self.history_delete)
        r.add_post("/control/history/fill", self.control_fill_history)

    @property
    def directory(self):
        return self.phone.directory

    # --- shared actions (web form and JSON alike) -------------------------------------
    def _group_id(self, value) -> int:
        """A group given by id or by name ('' = the default group)."""
        text = str(value if value is not None else "").strip()
        if not text:
            return DEFAULT_GROUP_ID
        if text.isdigit():
            return self.directory.group(int(text)).id
        group = self.directory.group_by_name(text)
        if group is None:
            raise DirectoryError(f"group: there is no group named {text!r}")
        return group.id

    def _contact_fields(self, data) -> dict:
        fields = {k: str(data.get(k, "") or "") for k in ("name", "office", "mobile", "other")}
        fields["ringtone"] = str(data.get("ringtone", "") or "")
        fields["account"] = str(data.get("account", "") or "")
        return fields

    def add(self, data) -> dict:
        """Add: a contact, or a blacklist entry when the group is "BlackList" (REQ-BL-05)."""
        group = str(data.get("group", "") or "").strip()
        if group.lower() == BLACKLIST_GROUP_NAME.lower():
            number = next((str(data.get(k) or "") for k in ("number", "office", "mobile", "other")
                           if str(data.get(k) or "").strip()), "")
            entry = self.directory.add_to_blacklist(str(data.get("name", "") or ""), number)
            return {"blacklist": {"id": entry.id, "name": entry.name, "number": entry.number}}
        fields = self._contact_fields(data)
        contact = self.directory.add_contact(group_id=self._group_id(group), **fields)
        return {"contact": contact_json(contact)}

    def edit(self, contact_id: int, data) -> dict:
        changes: dict = {k: v for k, v in self._contact_fields(data).items() if k in data}
        if "group" in data:
            changes["group_id"] = self._group_id(data.get("group"))
        return {"contact": contact_json(self.directory.update_contact(contact_id, **changes))}

    # --- JSON API --------------------------------------------------------------------
    @staticmethod
    def _refused(exc: Exception) -> web.Response:
        return web.json_response({"error": str(exc)}, status=400)

    async def api_contacts(self, request):
        group = request.query.get("group")
        try:
            group_id = self._group_id(group) if group else None
        except DirectoryError as exc:
            return self._refused(exc)
        d = self.directory
        return web.json_response({
            "groups": [{"id": g.id, "name": g.name, "default": g.is_default,
                        "count": len(d.contacts(g.id))} for g in d.groups()],
            "contacts": [contact_json(c) for c in d.contacts(group_id)],
            "count": d.contact_count(), "max": d.MAX_CONTACTS})

    async def api_add_contact(self, request):
        try:
            return web.json_response(self.add(await request.json()))
        except (DirectoryError, ValueError) as exc:
            return self._refused(exc)

    async def api_edit_contact(self, request):
        try:
            return web.json_response(self.edit(int(request.match_info["id"]), await request.json()))
        except (DirectoryError, ValueError) as exc:
            return self._refused(exc)

    async def api_delete_contacts(self, request):
        data = await request.json()
        try:
            gone = (self.directory.delete_all_contacts() if data.get("all")
                    else self.directory.delete_contacts(_ids(data.get("ids", []))))
        except (DirectoryError, ValueError) as exc:
            return self._refused(exc)
        return web.json_response({"deleted": gone})

    async def api_groups(self, request):
        return web.json_response([{"id": g.id, "name": g.name, "default": g.is_default}
                                  for g in self.directory.groups()])

    async def api_add_group(self, request):
        try:
            g = self.directory.add_group(str((await request.json()).get("name", "")))
        except (DirectoryError, ValueError) as exc:
            return self._refused(exc)
        return web.json_response({"id": g.id, "name": g.name})

    async def api_rename_group(self, request):
        try:
            g = self.directory.rename_group(int(request.match_info["id"]), str((await request.json()).get("name", "")))
        except (DirectoryError, ValueError) as exc:
            return self._refused(exc)
        return web.json_response({"id": g.id, "name": g.name})

    async def api_delete_group(self, request):
        try:
            moved = self.directory.delete_group(int(request.match_info["id"]))
        except (DirectoryError, ValueError) as exc:
            return self._refused(exc)
        return web.json_response({"deleted": 1, "moved_to_default": moved})

    async def api_delete_all_groups(self, request):
        return web.json_response({"deleted": self.directory.delete_all_groups()})

    async def api_blacklist(self, request):
        return web.json_response([{"id": e.id, "name": e.name, "number": e.number}
                                  for e in self.directory.blacklist()])

    async def api_add_blacklist(self, request):
        data = await request.json()
        try:
            e = self.directory.add_to_blacklist(str(data.get("name", "") or ""), str(data.get("number", "") or ""))
        except (DirectoryError, ValueError) as exc:
            return self._refused(exc)
        return web.json_response({"id": e.id, "name": e.name, "number": e.number})

    async def api_delete_blacklist(self, request):
        data = await request.json()
        try:
            gone = (self.directory.clear_blacklist() if data.get("all")
                    else self.directory.remove_from_blacklist(_ids(data.get("ids", []))))
        except (DirectoryError, ValueError) as exc:
            return self._refused(exc)
        return web.json_response({"deleted": gone})

    async def _upload(self, request) -> tuple[str, bytes]:
        if request.content_type.startswith("multipart/"):
            form = await request.post()
            upload = form.get("file")
            if not hasattr(upload, "file"):
                raise PhonebookFileError("no file was chosen; use Browse to pick a .csv, .xls or .xlsx file")
            return upload.filename, upload.file.read()
        return request.query.get("name", "upload.csv"), await request.read()

    def _import(self, filename: str, data: bytes) -> dict:
        rows = read_rows(filename, data)
        return import_rows(self.directory, rows).as_dict()

    async def api_import(self, request):
        try:
            filename, data = await self._upload(request)
            return web.json_response({"file": filename, **self._import(filename, data)})
        except PhonebookFileError as exc:
            return self._refused(exc)

    async def export(self, request):
        return web.Response(body=export_csv(self.directory.contacts()), content_type="text/csv",
                            charset="utf-8",
                            headers={"Content-Disposition": "attachment; filename=contacts.csv"})

    async def history_delete(self, request):
        json_api = request.path.startswith("/api/")
        data = await (request.json() if json_api else request.post())
        storage = self.phone.storage
        try:
            if str(data.get("all", "")).lower() in ("1", "true", "yes", "on"):
                kind = data.get("kind") or None
                before = len(storage.calls(kind))
                storage.clear_calls(kind)
                gone = before
            else:
                ids = data.get("ids", []) if json_api else data.getall("ids", [])
                gone = call_history.delete_calls(storage, _ids(ids))
        except ValueError as exc:
            return self._refused(exc)
        if json_api:
            return web.json_response({"deleted": gone})
        raise web.HTTPFound("/history")

    async def control_fill_history(self, request):
        """Bench only (reference target): old records through the phone's own storage."""
        data = await request.json()
        kind, count = str(data.get("kind", "")), int(data.get("count", 0))
        try:
            call_history.fill(self.phone.storage, kind, count, str(data.get("prefix", "7")))
        except ValueError as exc:
            return self._refused(exc)
        return web.json_response({"kind": kind, "stored": len(self.phone.storage.calls(kind))})

    # --- HTML page -----------------------------------------------------------------------
    def _ringtone_options(self, selected) -> str:
        choices = [("0", "Default")] + [(str(n), f"Ring {n}") for n in range(1, 11)]
        custom = self.phone.config.get("sounds.custom_ringtone")
        if custom:
            choices.append((custom, custom))
        return "".join(f"<option value='{html.escape(v, quote=True)}'{' selected' if str(selected) == v else ''}>"
                       f"{html.escape(t)}</option>" for v, t in choices)

    def _page(self, note: str = "", status: int = 200, list_choice: str = "", contact: Contact | None = None,
              group_choice: str = "", report: dict | None = None) -> web.Response:
        from .web import page
        d, esc = self.directory, html.escape
        groups = d.groups()
        group_rows = "".join(
            f"<li><a href='/contacts?group={g.id}'>{esc(g.name)}</a> ({len(d.contacts(g.id))})</li>" for g in groups)
        chosen = d.group(int(group_choice)) if group_choice.isdigit() else None
        group_panel = (
            f"<section id='groups'><h2>Group</h2><ul>{group_rows}</ul>"
            "<form method='post' action='/contacts'>"
            f"<input type='hidden' name='group_id' value='{chosen.id if chosen else ''}'>"
            f"<label>Group name <input name='group_name' value='{esc(chosen.name if chosen else '', quote=True)}'"
            f"{' readonly' if chosen and chosen.is_default else ''}></label> "
            "<button name='action' value='add_group'>Add</button> "
            "<button name='action' value='edit_group'>Edit</button> "
            "<button name='action' value='delete_group'>Delete</button></form></section>")
        c = contact
        group_opts = "".join(
            f"<option value='{esc(g.name, quote=True)}'{' selected' if c and c.group_id == g.id else ''}>"
            f"{esc(g.name)}</option>" for g in groups) + f"<option>{BLACKLIST_GROUP_NAME}</option>"
        account_opts = "".join(f"<option value='{n}'{' selected' if c and c.account == n else ''}>{t}</option>"
                               for n, t in ((0, "Default"), (1, "Account 1"), (2, "Account 2")))

        def field(key, label):
            return (f"<label>{label} <input name='{key}' "
                    f"value='{esc(str(getattr(c, key)) if c else '', quote=True)}'></label> ")
        contact_panel = (
            "<section id='contact'><h2>Local contact</h2><form method='post' action='/contacts'>"
            f"<input type='hidden' name='contact_id' value='{c.id if c else ''}'>"
            + field("name", "Name") + field("office", "Office number") + field("mobile", "Mobile number")
            + field("other", "Other number")
            + f"<label>Ringtone <select name='ringtone'>{self._ringtone_options(c.ringtone if c else 0)}</select></label> "
            + f"<label>Account <select name='account'>{account_opts}</select></label> "
            + f"<label>Group <select name='group'>{group_opts}</select></label> "
            "<button name='action' value='add'>Add</button> <button name='action' value='edit'>Edit</button>"
            "</form></section>")
        if list_choice.lower() == BLACKLIST_GROUP_NAME.lower():
            rows = "".join(f"<tr><td><input type='checkbox' name='ids' value='{e.id}'></td>"
                           f"<td>{esc(e.name)}</td><td>{esc(e.number)}</td></tr>" for e in d.blacklist())
            delete_action = "delete_blacklist"
            header = "<tr><th></th><th>Name</th><th>Number</th></tr>"
        else:
            members = d.contacts(int(list_choice) if list_choice.isdigit() else None)
            rows = "".join(f"<tr><td><input type='checkbox' name='ids' value='{m.id}'></td>"
                           f"<td><a href='/contacts?contact={m.id}'>{esc(m.name)}</a></td><td>{esc(m.office)}</td>"
                           f"<td>{esc(m.mobile)}</td><td>{esc(m.other)}</td><td>{esc(m.group)}</td></tr>"
                           for m in members)
            delete_action = "delete"
            header = ("<tr><th></th><th>Name</th><th>Office</th><th>Mobile</th><th>Other</th>"
                      "<th>Group</th></tr>")
        list_opts = "<option value=''>All contacts</option>" + "".join(
            f"<option value='{g.id}'{' selected' if list_choice == str(g.id) else ''}>{esc(g.name)}</option>"
            for g in groups) + (f"<option{' selected' if list_choice.lower() == 'blacklist' else ''}>"
                                f"{BLACKLIST_GROUP_NAME}</option>")
        list_panel = (
            "<section id='list'><h2>Contact list</h2>"
            f"<form method='get' action='/contacts'><select name='list'>{list_opts}</select> "
            "<button>Show</button></form>"
            f"<form method='post' action='/contacts'><input type='hidden' name='list' value='{esc(list_choice, quote=True)}'>"
            f"<table class='contacts'>{header}{rows}</table>"
            f"<button name='action' value='{delete_action}'>Delete</button> "
            f"<button name='action' value='{delete_action}_all'>Delete all</button></form>"
            f"<p>{d.contact_count()} / {d.MAX_CONTACTS} contacts, {len(d.blacklist())} / {d.MAX_BLACKLIST} "
            "blacklist entries</p></section>")
        report_html = ""
        if report is not None:
            refused = "".join(f"<li>row {r['row']}: {esc(r['reason'])}</li>" for r in report["refused"])
            report_html = (f"<div class='dialog' id='import-report'><p>{esc(report['summary'].splitlines()[0])}</p>"
                           f"<ul class='refused'>{refused}</ul></div>")
        batch_panel = (
            "<section id='batch'><h2>Batch operation</h2>"
            "<p><a href='/contacts/export.csv'>CSV export</a></p>"
            "<form method='post' action='/contacts/import' enctype='multipart/form-data'>"
            "<input type='file' name='file' accept='.csv,.xls,.xlsx'> <button>CSV import</button></form>"
            f"{report_html}</section>")
        note_html = f"<p class='note'>{esc(note)}</p>" if note else ""
        resp = page("Directory (B) / Local contacts (x)",
                    note_html + group_panel + contact_panel + list_panel + batch_panel)
        resp.set_status(status)
        return resp

    async def contacts_page(self, request):
        q = request.query
        contact = None
        try:
            if q.get("contact", "").isdigit():
                contact = self.directory.contact(int(q["contact"]))
        except DirectoryError as exc:
            return self._page(str(exc), 404)
        return self._page(list_choice=q.get("list", q.get("group", "")), contact=contact,
                          group_choice=q.get("group", ""))

    async def blacklist_page(self, request):
        return self._page(list_choice=BLACKLIST_GROUP_NAME)

    async def contacts_submit(self, request):
        form = await request.post()
        action = form.get("action", "")
        d = self.directory
        list_choice = form.get("list", "")
        try:
            if action == "add":
                done = self.add(form)
                note = (f"Added {done['contact']['name']}" if "contact" in done
                        else f"Added {done['blacklist']['number']} to the blacklist")
            elif action == "edit":
                if not str(form.get("contact_id", "")).isdigit():
                    raise DirectoryError("choose a contact in the list first, then Edit")
                note = f"Saved {self.edit(int(form['contact_id']), form)['contact']['name']}"
            elif action == "delete":
                note = f"Deleted {d.delete_contacts(_ids(form.getall('ids', [])))} contact(s)"
            elif action == "delete_all":
                note = f"Deleted {d.delete_all_contacts()} contact(s)"
            elif action == "delete_blacklist":
                note = f"Deleted {d.remove_from_blacklist(_ids(form.getall('ids', [])))} blacklist entries"
            elif action == "delete_blacklist_all":
                note = f"Deleted {d.clear_blacklist()} blacklist entries"
            elif action == "add_group":
                note = f"Added group {d.add_group(str(form.get('group_name', ''))).name}"
            elif action in ("edit_group", "delete_group"):
                if not str(form.get("group_id", "")).isdigit():
                    raise DirectoryError("choose a group in the group panel first")
                gid = int(form["group_id"])
                if action == "edit_group":
                    note = f"Renamed to {d.rename_group(gid, str(form.get('group_name', ''))).name}"
                else:
                    d.delete_group(gid)
                    note = "Group deleted"
            else:
                raise DirectoryError(f"unknown action {action!r}")
        except (DirectoryError, ValueError) as exc:
            return self._page(f"Refused: {exc}", 400, list_choice=list_choice)
        return self._page(note, list_choice=list_choice)

    async def import_page(self, request):
        try:
            filename, data = await self._upload(request)
            report = self._import(filename, data)
        except PhonebookFileError as exc:
            return self._page(f"Import refused: {exc}", 400)
        return self._page(f"Imported {filename}", report=report)
