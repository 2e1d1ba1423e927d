"""Chapter 4 web pages of the reference H680: Date & Time, Tones, the language drop-down.

* ``/datetime`` (Settings (E) -> Date & Time (t), §4.1.2): SNTP servers and period, Manual setting
  with a Date (YYYY-MM-DD) and Time (HH:MM) to set, time zone, DST (off / automatic by location /
  manual by date or by week), 12/24 h, the 7 date formats (each with its example, REQ-TIME-19).
  A submit is checked whole: a bad field refuses the page with the reasons, nothing changes.
* ``/tones`` (Settings (E) -> Tones (q), §4.2.4): Country; the 12 tone values are editable only
  with Country = Custom (other countries show their standard set, read-only).
* ``/language`` (the drop-down at the top right of every page, §4.1.1): the web page follows at
  once; the LCD at the next restart (REQ-LANG-05).  Pages carry ``<html lang=...>``.
* ``/api/time``: the phone's time and its source (what Status shows); ``/control/sounds``: what the
  phone plays (reference_impl/sounds.py), the bench's ear on the reference target.
"""
from __future__ import annotations

import html
import re
from datetime import datetime

from aiohttp import web

from .clock import date_format_choices
from .phone import ConfigRejected
from .schema import SCHEMA
from .sounds import STANDARD_TONES, TONE_TYPES

DATETIME_KEYS = ["time.manual", "time.sntp.primary", "time.sntp.secondary", "time.sntp.period", "time.zone",
                 "time.dst.mode", "time.dst.location", "time.dst.rule",
                 *[f"time.dst.{e}.{f}" for e in ("start", "end") for f in ("month", "day", "week", "weekday", "hour")],
                 "time.dst.offset", "phone.time_format", "time.date_format"]
TONE_KEYS = ["tones.country", *[f"tones.{k}" for k, _ in TONE_TYPES]]

WEB_ZH = {"Status": "状态", "Account": "账号", "Network": "网络", "Settings": "设置", "Directory": "电话本",
          "Features": "功能", "Call history": "通话记录", "Configuration": "配置", "Logout": "退出",
          "Date &amp; Time": "日期和时间", "Tones": "信号音", "Language": "语言", "Submit": "提交"}


def _options(choices, current) -> str:
    return "".join(f"<option value='{html.escape(str(v), quote=True)}'{' selected' if str(v) == str(current) else ''}>"
                   f"{html.escape(str(t))}</option>" for v, t in choices)


def _widget(phone, key: str, value: str, disabled: bool = False) -> str:
    s = SCHEMA[key]
    dis = " disabled" if disabled else ""
    if key == "time.date_format":
        lang = "zh" if phone.config["phone.language"] == "Chinese" else "en"
        return f"<select name='{key}'{dis}>{_options(date_format_choices(lang), value)}</select>"
    if s.kind in ("enum", "bool"):
        choices = [(c, c) for c in s.choices] if s.kind == "enum" else [("0", "Disabled"), ("1", "Enabled")]
        return f"<select name='{key}'{dis}>{_options(choices, value)}</select>"
    return f"<input name='{key}' type='text' value='{html.escape(value, quote=True)}'{dis}>"


def _form(phone, keys, values, disabled=lambda k: False, extra: str = "") -> str:
    rows = []
    for k in keys:
        s = SCHEMA[k]
        v = values.get(k, s.format(phone.config[k]))
        rows.append(f"<p><label>{html.escape(s.label)} {_widget(phone, k, v, disabled(k))}</label> "
                    f"<small>{html.escape(s.allowed())}</small></p>")
    return f"<form method='post'>{''.join(rows)}{extra}<button type='submit'>Submit</button></form>"


def _errors(problems) -> str:
    if not problems:
        return ""
    return "<ul class='errors'>" + "".join(f"<li>{html.escape(p)}</li>" for p in problems) + "</ul>"


def manual_time(date_text: str, time_text: str) -> datetime:
    """The Date and Time fields of the page; ValueError names the field and what it takes."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date_text):
        raise ValueError(f"Date: {date_text!r} is not YYYY-MM-DD")
    if not re.fullmatch(r"\d{1,2}:\d{2}(:\d{2})?", time_text):
        raise ValueError(f"Time: {time_text!r} is not HH:MM")
    try:
        when = datetime.strptime(f"{date_text} {time_text}",
                                 "%Y-%m-%d %H:%M:%S" if time_text.count(":") == 2 else "%Y-%m-%d %H:%M")
    except ValueError as exc:
        raise ValueError(f"Date/Time: {date_text} {time_text} is not a real date and time ({exc})") from None
    if not 2000 <= when.year <= 2099:
        raise ValueError(f"Date: year {when.year} is outside 2000..2099")
    return when


def register(server) -> None:
    """Hook this module's routes and the language middleware into the WebServer."""
    phone = server.phone
    from .web import page

    async def datetime_page(request, problems=None, values=None, status=200):
        values = values or {}
        now = phone.time.clock.now()
        manual = (f"<p><label>Date <input name='date' value='{html.escape(values.get('date', now.strftime('%Y-%m-%d')))}'>"
                  f"</label> <label>Time <input name='time' value='{html.escape(values.get('time', now.strftime('%H:%M')))}'>"
                  f"</label> <small>used when Manual setting is Enabled: YYYY-MM-DD, HH:MM</small></p>")
        body = (_errors(problems) + f"<p>Current time: <span id='now'>{now.strftime('%Y-%m-%d %H:%M')}</span> "
                f"({html.escape(phone.time.clock.source)})</p>" + _form(phone, DATETIME_KEYS, values, extra=manual))
        resp = page("Settings (E) / Date &amp; Time (t)".replace("&amp;", "&"), body)
        resp.set_status(status)
        return resp

    async def datetime_submit(request):
        form = await request.post()
        raw = {k: str(form[k]) for k in DATETIME_KEYS if k in form}
        values = {**raw, "date": str(form.get("date", "")), "time": str(form.get("time", ""))}
        changed = {k: v for k, v in raw.items() if v != SCHEMA[k].format(phone.config[k])}
        manual_on = raw.get("time.manual", SCHEMA["time.manual"].format(phone.config["time.manual"])) == "1"
        when = None
        if manual_on and (values["date"] or values["time"]):
            try:
                when = manual_time(values["date"].strip(), values["time"].strip())
            except ValueError as exc:
                return await datetime_page(request, [str(exc)], values, 400)
        try:
            phone.apply_config(changed, where="web")
        except ConfigRejected as exc:
            return await datetime_page(request, exc.problems, values, 400)
        if when is not None:
            phone.time.set_manual(when)
        raise web.HTTPFound("/datetime")

    async def time_status(request):
        return web.json_response(phone.time.status())

    async def time_set(request):
        data = await request.json()
        try:
            when = manual_time(str(data.get("date", "")), str(data.get("time", "")))
            phone.apply_config({"time.manual": "1"}, where="web")
        except (ValueError, ConfigRejected) as exc:
            return web.json_response({"errors": [str(exc)]}, status=400)
        phone.time.set_manual(when)
        return web.json_response(phone.time.status())

    async def tones_page(request, problems=None, values=None, status=200):
        values = dict(values or {})
        country = values.get("tones.country", phone.config["tones.country"])
        if country != "Custom":   # the standard set of the country, read-only
            values.update({f"tones.{k}": v for k, v in STANDARD_TONES[country].items()})
        body = _errors(problems) + _form(phone, TONE_KEYS, values,
                                         disabled=lambda k: k != "tones.country" and country != "Custom")
        resp = page("Settings (E) / Tones (q)", body)
        resp.set_status(status)
        return resp

    async def tones_submit(request):
        form = await request.post()
        raw = {k: str(form[k]) for k in TONE_KEYS if k in form}
        if raw.get("tones.country", phone.config["tones.country"]) != "Custom":
            raw = {k: v for k, v in raw.items() if k == "tones.country"}   # standard values are not edited
        changed = {k: v for k, v in raw.items() if v != SCHEMA[k].format(phone.config[k])}
        try:
            phone.apply_config(changed, where="web")
        except ConfigRejected as exc:
            return await tones_page(request, exc.problems, raw, 400)
        raise web.HTTPFound("/tones")

    async def language_submit(request):
        data = await (request.json() if request.path.startswith("/api/") else request.post())
        try:
            phone.apply_config({"phone.language": str(data.get("language", ""))}, where="web")
        except ConfigRejected as exc:
            if request.path.startswith("/api/"):
                return web.json_response({"errors": exc.problems}, status=400)
            return page("Language", _errors(exc.problems))
        if request.path.startswith("/api/"):
            return web.json_response({"language": phone.config["phone.language"]})
        raise web.HTTPFound(request.headers.get("Referer", "/status"))

    async def control_sounds(request):
        return web.json_response(phone.sounds.report())

    async def control_speaker(request):
        """``?seconds=1``: what the speaker plays, 16-bit mono PCM at 8 kHz (the bench's microphone)."""
        from .sounds import SPEAKER_RATE, speaker_output
        try:
            seconds = float(request.query.get("seconds", "1"))
        except ValueError:
            seconds = 0
        if not 0.1 <= seconds <= 5:
            return web.json_response({"problem": "seconds: 0.1..5"}, status=400)
        return web.Response(body=speaker_output(phone, seconds), content_type="audio/L16",
                            headers={"X-Sample-Rate": str(SPEAKER_RATE)})

    @web.middleware
    async def language_middleware(request, handler):
        resp = await handler(request)
        if isinstance(resp, web.Response) and resp.content_type == "text/html" and resp.text \
                and resp.text.startswith("<!doctype html><html>"):
            chinese = phone.config["phone.language"] == "Chinese"
            text = resp.text.replace("<html>", f"<html lang='{'zh-CN' if chinese else 'en'}'>", 1)
            if "<nav>" in text:
                picker = (f"<form class='language' method='post' action='/language'><select name='language'>"
                          f"{_options([('English', 'English'), ('Chinese', '中文')], phone.config['phone.language'])}"
                          f"</select><button type='submit'>Language</button></form>")
                extra = ' | <a href="/datetime" accesskey="t">Date &amp; Time</a> | <a href="/tones" accesskey="q">Tones</a>'
                text = text.replace("</nav>", f"{extra}</nav>{picker}", 1)
                if chinese:
                    head, sep, rest = text.partition("</nav>")
                    for en, zh in WEB_ZH.items():
                        head = head.replace(f">{en}<", f">{zh}<").replace(f">{en} (", f">{zh} (")
                    rest = rest.replace(">Submit<", ">提交<")
                    text = head + sep + rest
            resp.text = text
        return resp

    r = server.app.router
    r.add_get("/datetime", datetime_page)
    r.add_post("/datetime", datetime_submit)
    r.add_get("/api/time", time_status)
    r.add_post("/api/time", time_set)
    r.add_get("/tones", tones_page)
    r.add_post("/tones", tones_submit)
    r.add_post("/language", language_submit)
    r.add_post("/api/language", language_submit)
    r.add_get("/control/sounds", control_sounds)
    r.add_get("/control/speaker", control_speaker)
    server.app.middlewares.append(language_middleware)
