"""What happens between the dialing screen and the INVITE (manual §4.1.3, §4.7).

* **Call-out key** (``phone.call_out_key``: ``#``, ``*`` or Disabled, default
  ``#`` -- the manual gives none).  On the dialing screen, with digits typed,
  the chosen key places the call at once and is not part of the number.  With
  no digits typed it is an ordinary character.  Disabled: both keys are
  ordinary characters and go out in the Request-URI.  OK, the Send soft key,
  off-hook and hands-free always place the call.
* **Dial plan storage**: the whole plan is one configuration value,
  ``dialplan.rules``, holding the JSON text of ``DialPlan.to_dict()`` (empty =
  no rules, delay 2 s).  Being a schema key it is kept in the phone's SQLite
  config table (it survives a restart), goes through CFG export/import and
  BIN backup, and is wiped by a factory reset.  A bad value is refused by
  ``customization_problems`` with the ``DialPlanError`` text (e.g. a 101st
  replace rule).  The web pages (``dialplan_web.py``) edit it rule by rule.
* **Applying the plan**: ``outgoing_number`` is called by ``Phone.dial`` for
  every call the phone places; it returns the user part of the Request-URI, or
  None when the call must not go out (block out: "Forbidden number" on the
  LCD; keypad lock: a number that is not an emergency number).  The call
  history keeps the number as typed, so a redial goes through the plan again
  (and an area code is not added twice).
* **Dial now**: ``after_key`` runs after every key on the plain dialing
  screen.  Each key cancels the pending timer; when the digits typed so far
  match a dial-now rule of the active account, a new timer of the configured
  delay is started, and when it runs out with the screen unchanged the call
  goes out by itself (hands-free when no handset mode was chosen, as the OK
  key does).
"""
from __future__ import annotations

import asyncio
import json
import re
from typing import TYPE_CHECKING

from .dial_plan import DialPlan, DialPlanError

if TYPE_CHECKING:
    from .phone import Phone

FORBIDDEN = "Forbidden number"
_EMERGENCY_RE = re.compile(r"[0-9*#+]{1,32}")
MAX_EMERGENCY = 5
_IP_RE = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?")

_cache: dict[str, DialPlan] = {}


def plan_from_text(text: str) -> DialPlan:
    """The plan held in ``dialplan.rules``; raises DialPlanError for a bad value."""
    text = (text or "").strip()
    if text in _cache:
        return _cache[text]
    if not text:
        plan = DialPlan()
    else:
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise DialPlanError("dial plan", f"is not JSON ({exc.msg} at character {exc.pos + 1})") from None
        plan = DialPlan.from_dict(data)
    if len(_cache) > 16:
        _cache.clear()
    _cache[text] = plan
    return plan


def plan_to_text(plan: DialPlan) -> str:
    return json.dumps(plan.to_dict(), separators=(",", ":"))


def plan_of(config: dict) -> DialPlan:
    return plan_from_text(str(config.get("dialplan.rules", "")))


def emergency_numbers(config: dict) -> list[str]:
    return [n.strip() for n in str(config.get("keypad_lock.emergency", "")).split(",") if n.strip()]


def customization_problems(values: dict) -> list[tuple[tuple[str, ...], str]]:
    """Rule problems of chapter 4's settings, in schema.rule_problems' form."""
    out: list[tuple[tuple[str, ...], str]] = []
    try:
        plan_from_text(str(values.get("dialplan.rules", "")))
    except DialPlanError as exc:
        out.append((("dialplan.rules",), f"dialplan.rules: {exc}"))
    numbers = emergency_numbers(values)
    bad = [n for n in numbers if not _EMERGENCY_RE.fullmatch(n)]
    if bad:
        out.append((("keypad_lock.emergency",),
                    f"keypad_lock.emergency: {bad[0]!r} is not a number (allowed: up to {MAX_EMERGENCY} "
                    f"numbers of digits, *, #, + separated by commas)"))
    elif len(numbers) > MAX_EMERGENCY:
        out.append((("keypad_lock.emergency",),
                    f"keypad_lock.emergency: {len(numbers)} numbers (allowed: at most {MAX_EMERGENCY})"))
    if not str(values.get("keypad_lock.pin", "")).strip():
        out.append((("keypad_lock.pin",), "keypad_lock.pin: may not be empty (allowed: 1-16 characters)"))
    return out


# --- placing a call -----------------------------------------------------------------------------
def outgoing_number(phone: "Phone", number: str, account: int) -> str | None:
    """The Request-URI user part for ``number`` dialled from ``account``; None: nothing is sent."""
    lock = getattr(phone, "keypad_lock", None)
    if lock is not None and not lock.may_dial(number):
        return None
    try:
        outcome = plan_of(phone.config).process(number, account)
    except DialPlanError:
        return number   # an empty or odd number is the SIP stack's business, as before
    if outcome.blocked:
        phone.ui.message("Dial plan", [FORBIDDEN, number])
        return None
    target = outcome.number
    if _IP_RE.fullmatch(target):
        return f"sip:{target}"          # a replace rule to an IP address: a direct IP call (REQ-DIAL-11)
    return target.replace("#", "%23")   # '#' is escaped in a SIP URI user part (RFC 3261 §25.1)


# --- keys on the dialing screen -------------------------------------------------------------------
def _plain_dial_screen(screen) -> bool:
    from .ui import DialScreen
    return type(screen) is DialScreen


def call_out_key(ui, key: str, long: bool) -> bool:
    """The call-out key on the dialing screen: place the call; True when the key was used so."""
    screen = ui.top()
    if key not in ("#", "*") or long or not _plain_dial_screen(screen) or not screen.digits:
        return False
    if ui.phone.config.get("phone.call_out_key") != key:
        return False
    _cancel(screen)
    ui.phone.dial(screen.digits, screen.mode or "speaker")
    return True


def after_key(ui) -> None:
    """Restart the dial-now timer of the dialing screen on top (if any) after a key."""
    screen = ui.top()
    if not _plain_dial_screen(screen):
        return
    _cancel(screen)
    phone = ui.phone
    if not screen.digits:
        return
    try:
        delay = plan_of(phone.config).dial_now_decision(screen.digits, phone.active_account)
    except DialPlanError:
        return
    if delay is None:
        return
    typed = screen.digits
    screen.dial_now_timer = asyncio.get_running_loop().call_later(delay, _dial_now, ui, screen, typed)


def _cancel(screen) -> None:
    timer = getattr(screen, "dial_now_timer", None)
    if timer is not None:
        timer.cancel()
        screen.dial_now_timer = None


def _dial_now(ui, screen, typed: str) -> None:
    screen.dial_now_timer = None
    if ui.top() is screen and screen.digits == typed:
        ui.phone.dial(typed, screen.mode or "speaker")
