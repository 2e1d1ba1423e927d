"""The web page Network -> VPN: the OpenVPN files' upload and the VPN's state.

The settings (``vpn.*``) are the generic schema page ``/page/vpn``; this module adds, below its
form, the VPN's state and address and the upload of the three files (one form, each file
optional: a file not chosen is kept as it was).  ``POST /vpn/upload`` is the form's target;
``POST /api/vpn/upload/<ca|cert|key>`` takes one file as the raw request body (provisioning tools).
A refused file names itself and the reason, and nothing of that upload is stored.
"""
from __future__ import annotations

import html
from functools import partial
from typing import TYPE_CHECKING

from aiohttp import web

from .vpn_client import FILES, VpnFileRejected

if TYPE_CHECKING:
    from .web import WebServer


def section_html(server: "WebServer", note: str = "") -> str:
    vpn = server.phone.vpn
    st = vpn.status()
    files = "".join(f"<li>{html.escape(FILES[k][1])}: {'uploaded' if there else 'none'}</li>"
                    for k, there in st["files"].items())
    inputs = "".join(f"<p><label>{html.escape(FILES[k][1].capitalize())} "
                     f"<input type='file' name='{k}' accept='.crt,.pem,.key'></label></p>" for k in FILES)
    return ((f"<p class='vpn-note'>{html.escape(note)}</p>" if note else "")
            + f"<h2>VPN status</h2><table class='vpn-status'><tr><th>VPN</th><td>{html.escape(vpn.summary())}</td></tr>"
            f"<tr><th>VPN IP</th><td>{html.escape(st['ip'] or '-')}</td></tr></table>"
            f"<h2>OpenVPN files</h2><ul class='vpn-files'>{files}</ul>"
            "<form method='post' action='/vpn/upload' enctype='multipart/form-data'>"
            f"{inputs}<button type='submit'>Upload</button></form>")


async def upload_form(server: "WebServer", request: web.Request) -> web.Response:
    form = await request.post()
    uploads = {k: form[k].file.read() for k in FILES if hasattr(form.get(k), "file") and form[k].filename}
    try:
        stored = server.phone.vpn.store(uploads)
    except VpnFileRejected as exc:
        return _page(server, f"Refused: {exc}", 400)
    return _page(server, f"Uploaded: {', '.join(stored)}", 200)


async def upload_api(server: "WebServer", request: web.Request) -> web.Response:
    kind = request.match_info["kind"]
    try:
        if kind not in FILES:
            raise VpnFileRejected(f"unknown VPN file {kind!r} (allowed: {', '.join(FILES)})")
        stored = server.phone.vpn.store({kind: await request.read()})
    except VpnFileRejected as exc:
        return web.json_response({"problem": str(exc)}, status=400)
    return web.json_response({"uploaded": stored})


def _page(server: "WebServer", note: str, status: int) -> web.Response:
    from .web import PAGES, page
    resp = page(PAGES["vpn"][0], "<p><a href='/page/vpn'>VPN settings</a></p>" + section_html(server, note))
    resp.set_status(status)
    return resp


def add_routes(server: "WebServer") -> None:
    server.app.router.add_post("/vpn/upload", partial(upload_form, server))
    server.app.router.add_post("/api/vpn/upload/{kind}", partial(upload_api, server))
