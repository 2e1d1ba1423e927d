"""The phone's web server: the web UI, its JSON API, and the bench's control API.

* Web UI (HTML) and JSON API (``/api/...``) share handlers.  Every page but the
  login needs a session (cookie ``h680_session`` or header ``X-Session``).
* Pages are drawn from the configuration schema, so the web UI edits exactly
  the settings the menus and CFG files edit.  A submit is applied whole or not
  at all, and a refusal names every field with what it allows.
* ``/control/...`` is the bench's hand and eye for the ``reference`` target:
  press keys, read the LCD, plug the headset.  It stands for the physical
  keypad and screen, so it needs no web session.
"""
from __future__ import annotations

import asyncio
import html
import secrets
import time

from aiohttp import web

from .config_backup import BackupRejected, keys_of_sections
from .firmware import MAX_IMAGE_BYTES, FirmwareRejected
from .lcd import KEYS
from .phone import ConfigRejected, Phone
from .ringtones import RingtoneRejected, check_ringtone, safe_name, store
from .trust import CertificateRejected, to_pem, uploaded
from .trust import store as store_certificate
from .schema import SCHEMA

SESSION_COOKIE = "h680_session"
SESSION_SECS = 3600

# Web menus of the manual with their one-letter shortcuts (REQ-WEB-07).
PAGES = {
    "account1": ("Account (A) / Register (r): Account 1", "account.1."),
    "account2": ("Account (A) / Register (r): Account 2", "account.2."),
    "account_advanced": ("Account (A) / Advanced", "anonymous."),
    "network": ("Network (N) / WIFI / SSID1", ("network.ip_mode", "network.priority", "network.ipv4.", "network.ipv6.")),
    "network_advanced": ("Network (N) / Advanced", ("network.qos.", "network.vlan.", "network.lldp.", "network.cdp.", "network.stun.")),
    "sip": ("Settings (E) / SIP configuration", "sip."),
    "settings": ("Settings (E) / Basic", ("phone.", "volume.", "sounds.")),
    "security": ("Settings (E) / Security", ("security.", "web.")),
    "tr069": ("Settings (E) / TR069", "tr069."),
    "autoprovision": ("Settings (E) / Auto provision (3)", "autop."),
    "multicast": ("Directory (B) / Multicast address (2)", "paging."),
    "ldap": ("Directory (B) / LDAP (I)", "ldap."),
    "action_url": ("Features (U) / Action URL (6)", "action_url."),
    "forward_dnd": ("Features (U) / Forward & DND (4)", ("dnd.", "forward.")),
    "keypad_lock": ("Features (U) / Keypad Lock (=)", "keypad_lock."),
    "features_basic": ("Features (U) / Basic information (5)", ("call_waiting.", "auto_answer.", "hotline.", "auto_redial.",
                                                                 "voicemail.", "pickup.")),
    "vpn": ("Network (N) / VPN", "vpn."),
    "intercom": ("Features (U) / Intercom", "intercom."),
    "programmable_keys": ("Features (U) / Programmable keys", "programmable_key."),
}
MENU_HTML = " | ".join(
    ['<a href="/status" accesskey="s">Status</a>']
    + [f'<a href="/page/{name}">{html.escape(title.split(" / ")[0])}</a>' for name, (title, _) in PAGES.items()]
    + ['<a href="/contacts" accesskey="x">Local contacts (x)</a>', '<a href="/blacklist">Blacklist</a>',
       '<a href="/dialplan" accesskey="k">Dial plan (k)</a>',
       '<a href="/history" accesskey="y">Call history (y)</a>', '<a href="/config">Configuration</a>',
       '<a href="/logout">Logout</a>'])


def page(title: str, body: str) -> web.Response:
    return web.Response(content_type="text/html", text=(
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head>"
        f"<body><nav>{MENU_HTML}</nav><h1>{html.escape(title)}</h1>{body}</body></html>"))


def wants_json(request: web.Request) -> bool:
    return request.path.startswith("/api/")


class WebServer:
    def __init__(self, phone: Phone):
        self.phone = phone
        self.sessions: dict[str, float] = {}
        self.app = web.Application(middlewares=[self.auth_middleware], client_max_size=MAX_IMAGE_BYTES + 65536)
        r = self.app.router
        r.add_get("/", self.login_page)
        r.add_post("/login", self.login)
        r.add_post("/api/login", self.login)
        r.add_get("/logout", self.logout)
        r.add_get("/status", self.status)
        r.add_get("/api/status", self.status)
        r.add_get("/page/{name}", self.settings_page)
        r.add_post("/page/{name}", self.settings_submit)
        r.add_post("/autoprovision/now", self.autoprovision_now)
        r.add_post("/api/autoprovision", self.autoprovision_now)
        r.add_get("/api/autoprovision", self.autoprovision_state)
        r.add_get("/api/config", self.get_config)
        r.add_post("/api/config", self.set_config)
        r.add_get("/config", self.config_page)
        r.add_get("/api/config/export", self.export_cfg)
        r.add_get("/api/config/export.bin", self.export_bin)
        r.add_post("/api/config/import.bin", self.import_bin)
        r.add_post("/config/import.bin", self.import_bin)
        r.add_post("/api/config/import", self.import_cfg)
        r.add_post("/config/import", self.import_cfg)
        r.add_get("/certificates", self.certificates_page)
        r.add_post("/certificates", self.certificates_submit)
        r.add_post("/certificates/upload", self.certificate_upload)
        r.add_get("/upgrade", self.upgrade_page)
        r.add_post("/upgrade", self.upgrade)
        r.add_post("/api/upgrade", self.upgrade)
        r.add_post("/ringtone", self.ringtone_upload)
        r.add_get("/sms", self.sms_page)
        r.add_post("/sms", self.sms_send)
        r.add_post("/api/sms", self.sms_send)
        r.add_get("/api/messages", self.messages)
        r.add_get("/history", self.history)
        r.add_get("/api/history", self.history)
        r.add_post("/api/factory-reset", self.factory_reset)
        r.add_post("/factory-reset", self.factory_reset)
        r.add_post("/api/reboot", self.reboot)
        r.add_get("/api/identity", self.identity)
        r.add_get("/control/screen", self.control_screen)
        r.add_post("/control/key", self.control_key)
        r.add_post("/control/headset", self.control_headset)
        r.add_post("/control/microphone", self.control_microphone)
        from .directory_web import DirectoryPages   # Directory (B): contacts, blacklist (§4.3)
        self.directory_pages = DirectoryPages(self)
        from .custom_web import register as register_chapter4   # Date & Time, Tones, language (§4.1, §4.2)
        register_chapter4(self)
        from .dialplan_web import add_routes
        add_routes(self)   # Settings (E) / Dial plan (k), §4.7
        from .vpn_web import add_routes as add_vpn_routes
        add_vpn_routes(self)   # Network (N) / VPN: OpenVPN files

    # --- sessions -----------------------------------------------------------
    PUBLIC = ("/", "/login", "/api/login", "/api/identity")

    @web.middleware
    async def auth_middleware(self, request: web.Request, handler):
        if request.path in self.PUBLIC or request.path.startswith(("/control/", "/camera/")):
            return await handler(request)
        token = request.headers.get("X-Session") or request.cookies.get(SESSION_COOKIE)
        expiry = self.sessions.get(token or "")
        if expiry is None or expiry < time.time():
            if wants_json(request):
                return web.json_response({"error": "login required"}, status=401)
            raise web.HTTPFound("/")
        self.sessions[token] = time.time() + SESSION_SECS
        return await handler(request)

    async def login_page(self, request):
        return web.Response(content_type="text/html", text=(
            "<!doctype html><html><head><meta charset='utf-8'><title>Login</title></head><body>"
            f"<h1>{html.escape(self.phone.identity.model)}</h1>"
            "<form method='post' action='/login'><label>User <input name='user'></label>"
            "<label>Password <input name='password' type='password'></label>"
            "<button type='submit'>Login</button></form></body></html>"))

    async def login(self, request):
        data = await (request.json() if wants_json(request) else request.post())
        c = self.phone.config
        if data.get("user") != c["web.user"] or data.get("password") != c["web.password"]:
            if wants_json(request):
                return web.json_response({"error": "wrong user name or password"}, status=403)
            return web.Response(status=403, content_type="text/html",
                                text="<p>Wrong user name or password.</p><a href='/'>Back</a>")
        token = secrets.token_hex(16)
        self.sessions[token] = time.time() + SESSION_SECS
        resp = (web.json_response({"session": token}) if wants_json(request)
                else web.HTTPFound("/status"))
        resp.set_cookie(SESSION_COOKIE, token, httponly=True)
        if isinstance(resp, web.HTTPFound):
            raise resp
        return resp

    async def logout(self, request):
        self.sessions.pop(request.cookies.get(SESSION_COOKIE, ""), None)
        raise web.HTTPFound("/")

    # --- status -------------------------------------------------------------
    async def status(self, request):
        st = self.phone.status()
        if wants_json(request):
            return web.json_response(st)
        rows = []
        net = st["network"]
        rows += [("IP mode", net["ip_mode"]), ("IPv4 type", net["ipv4"]["type"]),
                 ("IPv4 address", net["ipv4"]["address"]), ("Subnet mask", net["ipv4"]["netmask"]),
                 ("Gateway", net["ipv4"]["gateway"]), ("DNS", ", ".join(net["ipv4"]["dns"])),
                 ("IPv6 address", net["ipv6"]["address"])]
        for a in st["accounts"]:
            rows.append((f"Account {a['account']}", f"{a['user'] or '-'}@{a['server'] or '-'}: {a['state']}"))
        rows += [("VPN", self.phone.vpn.summary()), ("VPN IP", st["vpn"]["ip"] or "-")]
        d = st["device"]
        rows += [("Product name", d["product_name"]), ("Firmware version", d["firmware"]),
                 ("Hardware version", d["hardware"]), ("MAC address", d["mac"]), ("Product ID", d["product_id"])]
        body = "<table>" + "".join(
            f"<tr><th>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>" for k, v in rows) + "</table>"
        return page("Status", body)

    async def identity(self, request):
        i = self.phone.identity
        return web.json_response({"model": i.model, "firmware": i.firmware, "mac": i.mac,
                                  "hardware": i.hardware, "product_id": i.product_id,
                                  "booting": self.phone.booting, "boot_id": self.phone.boot_id})

    # --- settings pages (schema driven) -----------------------------------------
    @staticmethod
    def page_keys(name: str) -> list[str]:
        if name not in PAGES:
            raise web.HTTPNotFound()
        prefixes = PAGES[name][1]
        return [k for k, s in SCHEMA.items() if k.startswith(prefixes) and "web" in s.where]

    async def settings_page(self, request, problems: list[str] | None = None, values=None):
        name = request.match_info["name"]
        keys = self.page_keys(name)
        values = values or {}
        fields = []
        for k in keys:
            s = SCHEMA[k]
            v = values.get(k, s.format(self.phone.config[k]))
            label = f"{html.escape(s.label)}{' *' if s.required else ''}"
            if s.kind in ("enum", "bool"):
                choices = s.choices if s.kind == "enum" else ("0", "1")
                opts = "".join(f"<option{' selected' if c == v else ''}>{html.escape(c)}</option>" for c in choices)
                widget = f"<select name='{k}'>{opts}</select>"
            else:
                kind = "password" if s.kind == "password" else "text"
                widget = f"<input name='{k}' type='{kind}' value='{html.escape(v, quote=True)}'>"
            fields.append(f"<p><label>{label} {widget}</label> <small>{html.escape(s.allowed())}</small></p>")
        err = ""
        if problems:
            err = "<ul class='errors'>" + "".join(f"<li>{html.escape(p)}</li>" for p in problems) + "</ul>"
        body = f"{err}<form method='post'>{''.join(fields)}<button type='submit'>Submit</button></form>"
        if name == "autoprovision":
            body += self._autoprovision_status()
        if name == "vpn":   # the VPN's state and the OpenVPN files' upload (reference_impl/vpn_web.py)
            from .vpn_web import section_html
            body += section_html(self)
        resp = page(PAGES[name][0], body)
        if problems:
            resp.set_status(400)
        return resp

    async def settings_submit(self, request):
        name = request.match_info["name"]
        keys = self.page_keys(name)
        form = await request.post()
        raw = {k: form.get(k, "") for k in keys if k in form}
        changed = {k: v for k, v in raw.items() if v != SCHEMA[k].format(self.phone.config[k])}
        try:
            self.phone.apply_config(changed, where="web")
        except ConfigRejected as exc:
            return await self.settings_page(request, exc.problems, raw)
        raise web.HTTPFound(f"/page/{name}")

    def _autoprovision_status(self) -> str:
        run = self.phone.autop.last
        files = ", ".join(run.files) or "none"
        return (f"<p class='autop-status'>Last run: <b>{html.escape(run.state)}</b> "
                f"{html.escape(run.status)} {html.escape(run.message)} (files: {html.escape(files)})</p>"
                "<form method='post' action='/autoprovision/now'><button type='submit'>Provision now</button></form>")

    async def autoprovision_now(self, request):
        started = self.phone.autop.start("web")
        if wants_json(request):
            return web.json_response(self.phone.autop.last.as_dict(), status=202 if started else 409)
        raise web.HTTPFound("/page/autoprovision")

    async def autoprovision_state(self, request):
        return web.json_response(self.phone.autop.last.as_dict())

    async def get_config(self, request):
        return web.json_response({k: SCHEMA[k].format(v) for k, v in self.phone.config.items()
                                  if "web" in SCHEMA[k].where})

    async def set_config(self, request):
        raw = await request.json()
        try:
            applied = self.phone.apply_config({k: str(v) for k, v in raw.items()}, where="web")
        except ConfigRejected as exc:
            return web.json_response({"errors": exc.problems}, status=400)
        return web.json_response({"applied": sorted(applied)})

    # --- configuration files ------------------------------------------------------
    async def config_page(self, request):
        return page("Configuration", (
            "<p><a href='/api/config/export.bin'>Export BIN</a></p>"
            "<form method='post' action='/config/import.bin' enctype='multipart/form-data'>"
            "<input type='file' name='file'><button type='submit'>Import BIN</button></form>"
            "<form method='get' action='/api/config/export'>"
            "<label><input type='checkbox' name='section' value='network'> Network configuration</label>"
            "<label><input type='checkbox' name='section' value='sip'> SIP configuration</label>"
            "<button type='submit'>Export CFG</button></form>"
            "<form method='post' action='/config/import' enctype='multipart/form-data'>"
            "<input type='file' name='file'><button type='submit'>Import</button></form>"
            "<form method='post' action='/factory-reset'><button type='submit'>Factory reset</button></form>"))

    async def export_cfg(self, request):
        """CFG export (§6.3): everything, or the chosen parts (?section=network&section=sip)."""
        sections = request.query.getall("section", [])
        try:
            keys = keys_of_sections(sections) if sections else None
        except BackupRejected as exc:
            return web.json_response({"errors": [str(exc)]}, status=400)
        return web.Response(text=self.phone.export_cfg(keys), content_type="text/plain",
                            headers={"Content-Disposition": "attachment; filename=config.cfg"})

    async def export_bin(self, request):
        return web.Response(body=self.phone.export_bin(), content_type="application/octet-stream",
                            headers={"Content-Disposition": "attachment; filename=config.bin"})

    async def import_bin(self, request):
        if request.content_type.startswith("multipart/"):
            form = await request.post()
            upload = form["file"]
            data, source = upload.file.read(), upload.filename
        else:
            data, source = await request.read(), request.query.get("name", "upload.bin")
        try:
            self.phone.import_bin(data, source)
        except ConfigRejected as exc:
            if wants_json(request):
                return web.json_response({"errors": exc.problems, "file": source}, status=400)
            return page("Configuration", "<ul class='errors'>" + "".join(
                f"<li>{html.escape(p)}</li>" for p in exc.problems) + "</ul>")
        if wants_json(request):
            return web.json_response({"imported": source})
        raise web.HTTPFound("/config")

    async def import_cfg(self, request):
        if request.content_type.startswith("multipart/"):
            form = await request.post()
            upload = form["file"]
            text, source = upload.file.read().decode("utf-8-sig"), upload.filename
        else:
            text, source = await request.text(), request.query.get("name", "upload.cfg")
        try:
            applied = self.phone.import_cfg(text, source)
        except ConfigRejected as exc:
            if wants_json(request):
                return web.json_response({"errors": exc.problems, "file": source}, status=400)
            return page("Configuration", "<ul class='errors'>" + "".join(
                f"<li>{html.escape(p)}</li>" for p in exc.problems) + "</ul>")
        if wants_json(request):
            return web.json_response({"applied": sorted(applied)})
        raise web.HTTPFound("/config")

    # --- records and maintenance --------------------------------------------------
    async def history(self, request):
        kind = request.query.get("kind") or None
        records = self.phone.storage.calls(kind)
        if wants_json(request):
            return web.json_response([{"id": r.id, "kind": r.kind, "number": r.number, "name": r.name,
                                       "account": r.account, "started_at": r.started_at,
                                       "duration": r.duration} for r in records])
        rows = "".join(f"<tr><td><input type='checkbox' name='ids' value='{r.id}'></td>"
                       f"<td>{r.kind}</td><td>{html.escape(r.number)}</td><td>{html.escape(r.name)}</td>"
                       f"<td>{time.strftime('%Y-%m-%d %H:%M:%S', time.localtime(r.started_at))}</td>"
                       f"<td>{r.duration:.0f} s</td></tr>" for r in records)
        lists = " | ".join(f"<a href='/history{'?kind=' + k if k else ''}'>{t}</a>" for k, t in (
            ("", "All"), ("dialled", "Dialled"), ("received", "Received"), ("missed", "Missed")))
        return page("Call history (y)", f"<p>{lists}</p><form method='post' action='/history/delete'>"
                    f"<input type='hidden' name='kind' value='{kind or ''}'><table>{rows}</table>"
                    "<button>Delete</button> <button name='all' value='1'>Delete all</button></form>")

    # --- trusted certificates (§6.7) ----------------------------------------------
    CERT_KEYS = ("cert.only_trusted", "cert.common_name_validation", "cert.ca_set")

    async def certificates_page(self, request, note: str = "", status: int = 200, reboot_prompt: bool = False):
        c = self.phone.config
        fields = "".join(
            f"<label>{html.escape(SCHEMA[k].label)} <select name='{k}'>" + "".join(
                f"<option{' selected' if SCHEMA[k].format(c[k]) == v else ''} value='{v}'>{html.escape(t)}</option>"
                for v, t in ((("1", "Enabled"), ("0", "Disabled")) if SCHEMA[k].kind == "bool"
                             else ((x, x) for x in SCHEMA[k].choices))) + "</select></label> "
            for k in self.CERT_KEYS)
        files = "".join(f"<li>{html.escape(n)}</li>" for n in uploaded(self.phone.cert_dir)) or "<li>(none)</li>"
        prompt = ("<div class='dialog' id='reboot-prompt'><p>The change takes effect after a reboot. "
                  "Reboot now?</p><form method='post' action='/api/reboot'><button>OK</button></form></div>"
                  if reboot_prompt else "")
        body = (f"<p>{html.escape(note)}</p>" if note else "") + prompt + (
            f"<form method='post' action='/certificates'>{fields}<button>Submit</button></form>"
            "<form method='post' action='/certificates/upload' enctype='multipart/form-data'>"
            "<label>Load trusted certificate file <input type='file' name='certificate' "
            "accept='.pem,.crt,.cer,.der'></label> <button>Import</button></form>"
            f"<h2>Trusted certificates</h2><ul class='certificates'>{files}</ul>")
        resp = page("Security / Trusted certificates", body)
        resp.set_status(status)
        return resp

    async def certificates_submit(self, request):
        form = await request.post()
        try:
            self.phone.apply_config({k: form[k] for k in self.CERT_KEYS if k in form}, where="web")
        except ConfigRejected as exc:
            return await self.certificates_page(request, "; ".join(exc.problems), status=400)
        return await self.certificates_page(request, "Saved", reboot_prompt=True)

    async def certificate_upload(self, request):
        form = await request.post()
        upload = form.get("certificate")
        try:
            if not hasattr(upload, "file"):
                raise CertificateRejected("no certificate file was chosen")
            pem = to_pem(upload.file.read(), upload.filename)
            name = store_certificate(self.phone.cert_dir, upload.filename, pem).name
        except CertificateRejected as exc:
            return await self.certificates_page(request, f"Refused: {exc}", status=400)
        return await self.certificates_page(request, f"Imported {name}")

    # --- firmware upgrade (§5.15) ------------------------------------------------
    async def upgrade_page(self, request, note: str = "", status: int = 200):
        i = self.phone.identity
        body = (f"<p>{html.escape(note)}</p>" if note else "") + (
            f"<p>Firmware version: {html.escape(i.firmware)}</p>"
            '<form method="post" action="/upgrade" enctype="multipart/form-data">'
            '<label>Upgrade firmware <input type="file" name="firmware"></label> <button>Upgrade</button></form>'
            '<form method="post" action="/ringtone" enctype="multipart/form-data">'
            '<label>Upload ringtone <input type="file" name="ringtone"></label> <button>Upload</button></form>')
        resp = page("Settings (E) / Upgrade", body)
        resp.set_status(status)
        return resp

    async def upgrade(self, request):
        """The image comes as the form's file (multipart) or as the raw request body (API)."""
        data = b""
        if request.content_type.startswith("multipart/"):
            form = await request.post()
            upload = form.get("firmware")
            data = upload.file.read() if hasattr(upload, "file") else b""
        else:
            data = await request.read()
        try:
            version = self.phone.upgrade(data) if data else None
            problem = "" if data else "no firmware file was chosen"
        except FirmwareRejected as exc:
            version, problem = None, str(exc)
        if wants_json(request):
            if problem:
                return web.json_response({"upgrading": False, "problem": problem}, status=400)
            return web.json_response({"upgrading": True, "version": version, "restarting": True})
        if problem:
            return await self.upgrade_page(request, f"Refused: {problem}", status=400)
        return await self.upgrade_page(request, f"Upgrading to {version}: do not power off the phone")

    async def ringtone_upload(self, request):
        """Upload ringtone (REQ-RINGUP-01): checked, stored, then offered as the "Custom" ringtone."""
        form = await request.post()
        upload = form.get("ringtone")
        data = upload.file.read() if hasattr(upload, "file") else b""
        try:
            if not data:
                raise RingtoneRejected("no ringtone file was chosen")
            check_ringtone(data)
            name = safe_name(upload.filename)
            store(self.phone.data_dir, name, data)
            self.phone.apply_config({"sounds.custom_ringtone": name}, where="web")
        except (RingtoneRejected, ConfigRejected) as exc:
            return await self.upgrade_page(request, f"Ringtone refused: {exc}", status=400)
        return await self.upgrade_page(request, f"Ringtone {name} uploaded: choose Custom to use it")

    # --- text messages (§6.2.1) ---------------------------------------------------
    async def sms_page(self, request, note: str = ""):
        options = "".join(f'<option value="{n}">Account {n}</option>' for n in (1, 2))
        return page("Features (U) / SMS (9)", (
            f"<p>{html.escape(note)}</p>" if note else "") + (
            '<form method="post" action="/sms"><label>Account <select name="account">'
            f"{options}</select></label> <label>Number <input name=\"number\"></label> "
            '<label>Content <textarea name="text"></textarea></label> <button>Submit</button></form>'))

    async def sms_send(self, request):
        data = await (request.json() if wants_json(request) else request.post())
        try:
            account = int(data.get("account", 1))
        except ValueError:
            account = 0
        problem = ("account: must be 1 or 2" if account not in (1, 2) else
                   self.phone.texts.send(account, str(data.get("number", "")).strip(), str(data.get("text", ""))))
        if wants_json(request):
            return web.json_response({"sent": not problem, "problem": problem}, status=400 if problem else 200)
        return await self.sms_page(request, problem or "Sent")

    async def messages(self, request):
        return web.json_response({folder: [{"id": m.id, "number": m.number, "account": m.account,
                                            "text": m.text, "at": m.at, "unread": m.unread}
                                           for m in self.phone.storage.messages(folder)]
                                  for folder in self.phone.storage.MESSAGE_FOLDERS})

    async def factory_reset(self, request):
        self.phone.factory_reset()
        self.sessions.clear()
        if wants_json(request):
            return web.json_response({"reset": True, "restarting": self.phone.restart_requested})
        raise web.HTTPFound("/")

    async def reboot(self, request):
        self.phone.reboot()
        return web.json_response({"rebooting": True, "restarting": self.phone.restart_requested})

    # --- control API: the bench's hands and eyes for the reference target -----------
    async def control_screen(self, request):
        return web.json_response(self.phone.screen().as_dict())

    async def control_key(self, request):
        data = await request.json()
        key = str(data.get("key", ""))
        if key not in KEYS:
            return web.json_response({"error": f"unknown key {key!r}", "allowed": list(KEYS)}, status=400)
        duration = int(data.get("duration_ms", 100))
        # The key is held for its duration, as a finger (or relay) would hold it.
        await asyncio.sleep(duration / 1000)
        self.phone.press(key, duration)
        return web.json_response(self.phone.screen().as_dict())

    async def control_microphone(self, request):
        """The bench's loudspeaker at the microphone: a steady tone (``tone_hz``), or 0 for quiet."""
        data = await request.json()
        hz = int(data.get("tone_hz") or 0)
        if hz and not 100 <= hz <= 3400:
            return web.json_response({"problem": "tone_hz: 100-3400 (telephone band), or 0"}, status=400)
        self.phone.engine.set_microphone_tone(hz or None)
        return web.json_response({"tone_hz": hz})

    async def control_headset(self, request):
        data = await request.json()
        self.phone.plug_headset(bool(data.get("plugged")))
        return web.json_response({"plugged": self.phone.headset_plugged})
