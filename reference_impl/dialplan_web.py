"""Web UI: Settings (E) -> Dial plan (k) -> Replace rule | Dial now | Area code | Block out (§4.7.2).

Each page lists its rules with a checkbox per row (``sel`` = the 1-based row
number) and has the manual's buttons: Add (the fields), Edit (the fields
replace the one ticked row), Delete (every ticked row).  Dial now also has the
delay with Submit; Area code has Submit and Clear.  A refusal comes back on the
same page (HTTP 400) with the dial plan's own message, e.g. "replace rules:
there are already 100; a 101st is refused (allowed: at most 100)".

The same handlers answer JSON at ``/api/dialplan`` (GET: the whole plan) and
``/api/dialplan/<page>`` (POST: the same fields as JSON; a list for ``sel``).
Every change is stored as the ``dialplan.rules`` setting (see dialing.py).
"""
from __future__ import annotations

import html

from aiohttp import web

from .dial_plan import DialPlan, DialPlanError
from .dialing import plan_of, plan_to_text

PAGES = {
    "replace": "Replace rule",
    "dialnow": "Dial now",
    "areacode": "Area code",
    "blockout": "Block out",
}
FIELDS = {
    "replace": (("prefix", "Prefix"), ("replace", "Replace"), ("account", "Account")),
    "dialnow": (("rule", "Rule"), ("account", "Account")),
    "blockout": (("number", "Blocked number"), ("account", "Account")),
}


def add_routes(server) -> None:
    r = server.app.router
    phone = server.phone

    async def index(request):
        raise web.HTTPFound("/dialplan/replace")

    async def show(request):
        return _page(phone, _kind(request))

    async def submit(request):
        kind = _kind(request)
        is_json = request.path.startswith("/api/")
        if is_json:
            data = await request.json()
            sel = data.get("sel", [])
            sel = sel if isinstance(sel, list) else [sel]
        else:
            form = await request.post()
            data = dict(form)
            sel = form.getall("sel", [])
        try:
            note = apply(phone, kind, {k: str(v) for k, v in data.items() if k != "sel"}, [str(s) for s in sel])
        except DialPlanError as exc:
            if is_json:
                return web.json_response({"errors": [str(exc)]}, status=400)
            return _page(phone, kind, error=str(exc), values=data)
        if is_json:
            return web.json_response({"note": note, "plan": plan_of(phone.config).to_dict()})
        return _page(phone, kind, note=note)

    async def as_json(request):
        return web.json_response(plan_of(phone.config).to_dict())

    r.add_get("/dialplan", index)
    r.add_get("/dialplan/{kind}", show)
    r.add_post("/dialplan/{kind}", submit)
    r.add_get("/api/dialplan", as_json)
    r.add_post("/api/dialplan/{kind}", submit)


def _kind(request) -> str:
    kind = request.match_info["kind"]
    if kind not in PAGES:
        raise web.HTTPNotFound()
    return kind


def _rows(sel: list[str], count: int) -> list[int]:
    """Ticked 1-based row numbers as 0-based indexes; a row that is not there is refused."""
    rows = []
    for s in sel:
        if not s.strip().isdigit() or not 1 <= int(s) <= count:
            raise DialPlanError("selection", f"row {s!r} is not in the list (allowed: 1-{count})"
                                if count else "the list is empty")
        rows.append(int(s) - 1)
    return rows


def apply(phone, kind: str, data: dict[str, str], sel: list[str]) -> str:
    """Carry out one button of a dial-plan page; returns the note shown; raises DialPlanError."""
    from .phone import ConfigRejected
    plan = DialPlan.from_dict(plan_of(phone.config).to_dict())   # a copy: the stored plan is shared
    action = data.get("action", "add").strip().lower()
    account = data.get("account", "all") or "all"
    if kind == "areacode":
        if action == "clear":
            plan.clear_area_code()
            note = "Area code cleared"
        else:
            plan.set_area_code(data.get("code", ""), data.get("min_length") or 1, data.get("max_length") or 15,
                               account)
            note = "Area code saved"
    elif kind == "dialnow" and action == "delay":
        plan.dial_now_delay = data.get("delay", "")
        note = f"Dial-now delay {plan.dial_now_delay} s saved"
    else:
        items = {"replace": plan.replace_rules, "dialnow": plan.dial_now_rules, "blockout": plan.block_out}[kind]
        add, edit, delete = {
            "replace": (lambda: plan.add_replace_rule(data.get("prefix", ""), data.get("replace", ""), account),
                        lambda i: plan.edit_replace_rule(i, data.get("prefix", ""), data.get("replace", ""), account),
                        plan.delete_replace_rules),
            "dialnow": (lambda: plan.add_dial_now_rule(data.get("rule", ""), account),
                        lambda i: plan.edit_dial_now_rule(i, data.get("rule", ""), account),
                        plan.delete_dial_now_rules),
            "blockout": (lambda: plan.add_block_out(data.get("number", ""), account),
                         lambda i: plan.edit_block_out(i, data.get("number", ""), account),
                         plan.delete_block_out),
        }[kind]
        if action == "add":
            add()
            note = "Added"
        elif action == "edit":
            rows = _rows(sel, len(items))
            if len(rows) != 1:
                raise DialPlanError("Edit", f"tick exactly one row to edit ({len(rows)} ticked)")
            edit(rows[0])
            note = f"Row {rows[0] + 1} edited"
        elif action == "delete":
            rows = _rows(sel, len(items))
            if not rows:
                raise DialPlanError("Delete", "tick at least one row to delete (none ticked)")
            delete(rows)
            note = f"{len(rows)} deleted"
        else:
            raise DialPlanError("action", f"{action!r} is not a button of this page (allowed: add, edit, delete)")
    try:
        phone.apply_config({"dialplan.rules": plan_to_text(plan)}, where="web")
    except ConfigRejected as exc:
        raise DialPlanError("dial plan", "; ".join(exc.problems)) from None
    return note


def _page(phone, kind: str, note: str = "", error: str = "", values=None) -> web.Response:
    from .web import page
    plan = plan_of(phone.config)
    values = values or {}
    tabs = " | ".join(f'<a href="/dialplan/{k}">{html.escape(t)}</a>' for k, t in PAGES.items())
    msg = (f"<p class='error'>{html.escape(error)}</p>" if error else "") + (
        f"<p class='note'>{html.escape(note)}</p>" if note else "")

    def field(name, label, default=""):
        v = html.escape(str(values.get(name, default)), quote=True)
        return f"<label>{html.escape(label)} <input name='{name}' value='{v}'></label> "

    def account_field(default="all"):
        v = str(values.get("account", default))
        opts = "".join(f"<option{' selected' if c == v else ''}>{c}</option>" for c in ("all", "1", "2"))
        return f"<label>Account <select name='account'>{opts}</select></label> "

    if kind == "areacode":
        area = plan.area_code
        current = (f"<p class='current'>Area code {html.escape(area.code)} for numbers of {area.min_length}-"
                   f"{area.max_length} digits, account {area.account}</p>" if area else
                   "<p class='current'>No area code</p>")
        form = (field("code", "Area code (1-15 digits)", area.code if area else "")
                + field("min_length", "Min length (1-15)", area.min_length if area else 1)
                + field("max_length", "Max length (1-15)", area.max_length if area else 15)
                + account_field(str(area.account) if area else "all")
                + "<button name='action' value='save'>Submit</button>"
                  "<button name='action' value='clear'>Clear</button>")
        body = f"{tabs}{msg}{current}<form method='post'>{form}</form>"
    else:
        rules = {"replace": [(r.prefix, r.replacement, r.account) for r in plan.replace_rules],
                 "dialnow": [(r.rule, r.account) for r in plan.dial_now_rules],
                 "blockout": [(r.number, r.account) for r in plan.block_out]}[kind]
        head = "".join(f"<th>{html.escape(label)}</th>" for _, label in FIELDS[kind])
        rows = "".join(
            f"<tr><td>{i}</td>" + "".join(f"<td>{html.escape(str(x))}</td>" for x in rule)
            + f"<td><input type='checkbox' name='sel' value='{i}'></td></tr>"
            for i, rule in enumerate(rules, 1))
        limit = {"replace": 100, "dialnow": 100, "blockout": 10}[kind]
        inputs = "".join(field(name, label) for name, label in FIELDS[kind] if name != "account")
        delay = ""
        if kind == "dialnow":
            delay = (f"<form method='post'>{field('delay', 'Dial-now delay (0-14 s)', plan.dial_now_delay)}"
                     "<button name='action' value='delay'>Submit</button></form>")
        body = (f"{tabs}{msg}<p class='count'>{len(rules)} of {limit}</p><form method='post'>"
                f"<table class='rules'><tr><th>#</th>{head}<th></th></tr>{rows}</table>"
                f"{inputs}{account_field()}"
                "<button name='action' value='add'>Add</button>"
                "<button name='action' value='edit'>Edit</button>"
                "<button name='action' value='delete'>Delete</button></form>{delay}")
        body = body.replace("{delay}", delay)
    resp = page(f"Settings (E) / Dial plan (k) / {PAGES[kind]}", body)
    if error:
        resp.set_status(400)
    return resp
