"""Action URL (manual §6.6): an HTTP(S) GET to a URL of the user's choosing when an event happens.

Each event of the manual's table has its own URL setting
(``action_url.<event>``); an empty URL sends nothing (REQ-AURL-06).  Before
sending, every ``$variable`` of §6.6.2 is replaced by its value, URL-encoded;
call variables are empty when no call is involved.  Longer names are
replaced first, so ``$display_local`` is not read as ``$display`` + ``_local``
and ``$callerID`` not as ``$call`` + ``erID``.

Requests are fire-and-forget on the phone's event loop with a 3 s timeout: a
server that is down costs the phone nothing but a line in its log and a
failure count.  HTTPS uses the phone's TLS context (trusted certificates,
§6.7).
"""
from __future__ import annotations

import asyncio
import logging
import re
import urllib.parse
from dataclasses import dataclass
from typing import TYPE_CHECKING

import aiohttp

if TYPE_CHECKING:
    from .phone import CallSession, Phone

log = logging.getLogger(__name__)

TIMEOUT_SECS = 3.0

# (setting suffix, English, Chinese) -- the manual's table, in its order (REQ-AURL-07..50).
EVENTS: tuple[tuple[str, str, str], ...] = (
    ("setup_completed", "Setup Completed", "启动完成"),
    ("registered", "Registered", "已注册"),
    ("unregistered", "Unregistered", "未注册"),
    ("register_failed", "Register Failed", "注册失败"),
    ("on_hook", "Handset On Hook", "放下手柄"),
    ("off_hook", "Handset Off Hook", "拿起手柄"),
    ("incoming_call", "Incoming Call", "来电"),
    ("outgoing_call", "Outgoing Call", "去电"),
    ("call_established", "Call Established", "建立会话"),
    ("call_terminated", "Call Terminated", "结束通话"),
    ("dnd_on", "DND On", "免打扰开启"),
    ("dnd_off", "DND Off", "免打扰关闭"),
    ("always_fwd_on", "Always Forward On", "无条件转移开启"),
    ("always_fwd_off", "Always Forward Off", "无条件转移关闭"),
    ("busy_fwd_on", "Busy Forward On", "遇忙转移开启"),
    ("busy_fwd_off", "Busy Forward Off", "遇忙转移关闭"),
    ("no_answer_fwd_on", "No Answer Forward On", "无应答转移开启"),
    ("no_answer_fwd_off", "No Answer Forward Off", "无应答转移关闭"),
    ("call_forwarded", "Call Forwarded", "转移呼叫"),
    ("blind_transfer", "Blind Transfer", "盲转"),
    ("attended_transfer", "Attended Transfer", "咨询转"),
    ("hold", "Hold", "保持"),
    ("unhold", "Unhold", "取消保持"),
    ("mute", "Mute", "静音"),
    ("unmute", "Unmute", "取消静音"),
    ("missed_call", "Missed Call", "未接来电"),
    ("ip_changed", "IP Changed", "IP变更"),
    ("idle_to_busy", "Idle To Busy", "闲置进入通话"),
    ("busy_to_idle", "Busy To Idle", "通话进入闲置"),
    ("reject_incoming_call", "Reject Incoming Call", "拒绝来电"),
    ("answer_new_incoming_call", "Answer New Incoming Call", "接听新来电"),
    ("transfer_failed", "Transfer Failed", "转接失败"),
    ("transfer_finished", "Transfer Finished", "转接完成"),
    ("forward_incoming_call", "Forward Incoming Call", "前转来电"),
    ("autop_finish", "Auto Update Finished", "自动完成更新"),
    ("call_waiting_on", "Call Waiting On", "开启呼叫等待"),
    ("call_waiting_off", "Call Waiting Off", "关闭呼叫等待"),
    ("headset_in_use", "Headset In Use", "使用耳麦"),
    ("handfree_in_use", "Hands-free In Use", "使用免提"),
    ("cancel_callout", "Cancel Outgoing Call", "取消呼出"),
    ("remote_busy", "Remote Busy", "远程忙"),
    ("call_remote_canceled", "Remote Call Cancelled", "取消远程呼叫"),
    ("peripheral_information", "Peripheral Information", "外设信息"),
    ("vpn_ip", "VPN IP", "VPN IP"),
)
EVENT_KEYS = tuple(e[0] for e in EVENTS)
VARIABLES = ("mac", "ip", "model", "firmware", "active_url", "active_user", "active_host", "local", "remote",
             "display_local", "display_remote", "call_id", "callerID", "calledNumber")
_VARIABLE = re.compile(r"\$(" + "|".join(sorted(VARIABLES, key=len, reverse=True)) + ")")


def substitute(template: str, values: dict[str, str]) -> str:
    """Replace each ``$variable`` with its URL-encoded value; unknown ``$words`` stay as written."""
    return _VARIABLE.sub(lambda m: urllib.parse.quote(values.get(m.group(1), ""), safe=""), template)


def url_problem(text: str) -> str | None:
    if not text:
        return None
    parts = urllib.parse.urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"{text!r} is not an http:// or https:// URL with a host"
    return None


@dataclass
class Sent:
    event: str
    url: str
    outcome: str   # "200", "connection refused" …


class ActionUrls:
    def __init__(self, phone: "Phone"):
        self.phone = phone
        self.sent: list[Sent] = []
        self.failures = 0
        self._session: aiohttp.ClientSession | None = None

    def values(self, s: "CallSession | None") -> dict[str, str]:
        p, i = self.phone, self.phone.identity
        n = s.account if s is not None else p.active_account
        c = p.config
        user, server = c[f"account.{n}.user_name"], c[f"account.{n}.server1"]
        local = f"sip:{user}@{server}" if user and server else ""
        out = {"mac": i.mac.replace(":", "").lower(), "ip": p.ip, "model": i.model, "firmware": i.firmware,
               "local": local, "display_local": c[f"account.{n}.display_name"]}
        if s is not None:
            call_id = ""
            try:
                call_id = s.call.getInfo().callIdString
            except Exception:   # the call is gone already
                call_id = getattr(s, "call_id", "")
            remote = f"sip:{s.number}@{server}" if s.number else ""
            out.update(active_url=local, active_user=user, active_host=server, remote=remote,
                       display_remote=s.name, call_id=call_id)
            if s.direction == "out":
                out.update(callerID=c[f"account.{n}.display_name"] or user, calledNumber=s.number)
        return out

    def fire(self, event: str, s: "CallSession | None" = None) -> None:
        if event not in EVENT_KEYS:
            raise KeyError(f"no Action URL event {event!r}")
        template = str(self.phone.config.get(f"action_url.{event}", ""))
        if not template:
            return
        url = substitute(template, self.values(s))
        try:
            asyncio.get_running_loop().create_task(self._get(event, url))
        except RuntimeError:   # no loop (shutting down): nothing is sent
            pass

    async def _get(self, event: str, url: str) -> None:
        if self._session is None or self._session.closed:
            # From the phone's own address, as a phone on a LAN sends it.
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=TIMEOUT_SECS),
                                                  connector=aiohttp.TCPConnector(local_addr=(self.phone.ip, 0)))
        ssl = self.phone.tls_context() if url.startswith("https:") else None
        try:
            async with self._session.get(url, ssl=ssl) as resp:
                outcome = str(resp.status)
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as exc:
            self.failures += 1
            outcome = f"failed: {exc.__class__.__name__}: {exc}"
            log.info("Action URL %s -> %s: %s", event, url, outcome)
        self.sent.append(Sent(event, url, outcome))
        del self.sent[:-100]

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
