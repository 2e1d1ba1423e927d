"""Steps of chapter 4's phone customisation: dial plan (§4.7), call-out key (§4.1.3), keypad lock (§4.1.4).

The dial-plan pages are driven as a person fills them in (HTML form posts,
the answer page read back); what the phone then dials is read on the wire:
the user part of the Request-URI of the INVITE in the bench capture, or the
far-end peer's own record of the INVITE it received.
"""
from __future__ import annotations

import html
import json
import re
import time
from urllib.parse import unquote

from pytest_bdd import parsers, step

from drivers.errors import PhoneFailure
from drivers.keypad import long_press
from drivers.wait import WaitTimeout, wait_until
from steps.feature_steps import _record
from steps.phone_steps import enter_text
from steps.wire_steps import capture_of

PHONE = r"(?:phone )?(?P<name>[A-B])"
PAGE = r'"(?P<page>Replace rule|Dial now|Area code|Block out)"'
KINDS = {"Replace rule": "replace", "Dial now": "dialnow", "Area code": "areacode", "Block out": "blockout"}
LIST_KEYS = {"replace": "replace_rules", "dialnow": "dial_now_rules", "blockout": "block_out"}


def _pairs(values: str | None) -> dict[str, str]:
    if not values:
        return {}
    return dict(part.split(" = ", 1) for part in values.split(", "))


def _post_page(bench, name: str, page: str, data: dict, sel: list[str] | None = None):
    data = {k: bench.expand(v) for k, v in data.items()}
    dut = bench.dut(name)
    dut.web.login()
    form = list(data.items()) + [("sel", s) for s in (sel or [])]
    resp = dut.web.request("POST", f"/dialplan/{KINDS[page]}", data=form, allow_redirects=False)
    bench.context["dialplan_response"] = resp
    return resp


def _shown(resp) -> str:
    return html.unescape(resp.text)


def _error_of(resp) -> str:
    m = re.search(r"<p class='error'>(.*?)</p>", resp.text, re.S)
    return html.unescape(m.group(1)) if m else ""


# --- the web dial-plan pages (§4.7.2) -------------------------------------------------------------
@step(parsers.re(rf"the web UI of {PHONE} adds to the {PAGE} page: (?P<values>.+)"))
def dialplan_add(bench, name, page, values):
    _post_page(bench, name, page, {**_pairs(values), "action": "add"})


@step(parsers.re(rf"the web UI of {PHONE} edits row (?P<row>\d+) of the {PAGE} page: (?P<values>.+)"))
def dialplan_edit(bench, name, row, page, values):
    _post_page(bench, name, page, {**_pairs(values), "action": "edit"}, [row])


@step(parsers.re(rf"the web UI of {PHONE} deletes rows? (?P<rows>\d+(?:(?:, | and )\d+)*) of the {PAGE} page"))
def dialplan_delete(bench, name, rows, page):
    _post_page(bench, name, page, {"action": "delete"}, re.split(r", | and ", rows))


@step(parsers.re(rf"the web UI of {PHONE} submits the {PAGE} page with (?P<values>.+)"))
def dialplan_submit(bench, name, page, values):
    action = "delay" if page == "Dial now" else "save"
    _post_page(bench, name, page, {"action": action, **_pairs(values)})


@step(parsers.re(rf"the web UI of {PHONE} fills the {PAGE} page with (?P<count>\d+) rules"))
def dialplan_fill(bench, name, page, count):
    """Many rules at once through the configuration API (the same stored plan the pages edit)."""
    dut = bench.dut(name)
    dut.web.login()
    plan = dut.web.request("GET", "/api/dialplan").json()
    kind, n = KINDS[page], int(count)
    plan[LIST_KEYS[kind]] = {
        "replace": [{"prefix": f"9{i:03d}", "replace": f"8{i:03d}", "account": "all"} for i in range(n)],
        "dialnow": [{"rule": f"9{i:03d}x", "account": "all"} for i in range(n)],
        "blockout": [{"number": f"9{i:03d}", "account": "all"} for i in range(n)],
    }[kind]
    dut.web.set_config({"dialplan.rules": json.dumps(plan)})


@step(parsers.re(rf"the {PAGE} page of {PHONE} accepts it"))
def dialplan_accepted(bench, page, name):
    resp = bench.context["dialplan_response"]
    if resp.status_code != 200 or _error_of(resp):
        raise PhoneFailure(f"the {page} page refused the change: {resp.status_code} {_error_of(resp)!r}")


@step(parsers.re(rf'the {PAGE} page of {PHONE} refuses it saying "(?P<text>[^"]+)"'))
def dialplan_refused(bench, page, name, text):
    resp = bench.context["dialplan_response"]
    error = _error_of(resp)
    if resp.status_code != 400 or text not in error:
        raise PhoneFailure(f"expected the {page} page to refuse saying {text!r}; got {resp.status_code} "
                           f"{error!r}")


def _rows(bench, name: str, page: str) -> list[list[str]]:
    dut = bench.dut(name)
    dut.web.login()
    resp = dut.web.request("GET", f"/dialplan/{KINDS[page]}")
    rows = re.findall(r"<tr><td>\d+</td>(.*?)<td><input", resp.text, re.S)
    return [[html.unescape(c) for c in re.findall(r"<td>(.*?)</td>", row)] for row in rows]


@step(parsers.re(rf"the {PAGE} page of {PHONE} lists (?P<count>\d+) rules?"))
def dialplan_count(bench, page, name, count):
    rows = _rows(bench, name, page)
    if len(rows) != int(count):
        raise PhoneFailure(f"the {page} page lists {len(rows)} rules, expected {count}: {rows[:5]}")


@step(parsers.re(rf'the {PAGE} page of {PHONE} shows row (?P<row>\d+) as "(?P<cells>[^"]*)"'))
def dialplan_row(bench, page, name, row, cells):
    rows = _rows(bench, name, page)
    want = [c.strip() for c in cells.split("|")]
    got = rows[int(row) - 1] if len(rows) >= int(row) else None
    if got != want:
        raise PhoneFailure(f"row {row} of the {page} page is {got}, expected {want}")


@step(parsers.re(rf'the Area code page of {PHONE} shows "(?P<text>[^"]+)"'))
def area_code_shows(bench, name, text):
    dut = bench.dut(name)
    dut.web.login()
    shown = html.unescape(dut.web.request("GET", "/dialplan/areacode").text)
    if text not in shown:
        raise PhoneFailure(f'the Area code page does not show "{text}"')


# --- typing and the wire -------------------------------------------------------------------------------
@step(parsers.re(rf"{PHONE} types (?P<digits>[0-9*#]+) and presses nothing more"))
def type_and_stop(bench, name, digits):
    bench.dut(name).press(*digits)
    bench.context["last_key_at"] = time.time()


def _user_part(uri: str | None) -> str:
    m = re.match(r"sips?:([^@;>]+)@", uri or "")
    return unquote(m.group(1)) if m else ""


def _invites(bench, name: str) -> list:
    ip = bench.dut(name).ip
    return [m for m in capture_of(bench).sip_messages() if m.method == "INVITE" and m.src[0] == ip]


@step(parsers.re(rf'{PHONE} sent an INVITE whose Request-URI user part is "(?P<number>[^"]+)"'))
def invite_user_part(bench, name, number):
    ip = bench.dut(name).ip
    try:
        capture_of(bench).wait_for_sip(
            lambda m: m.method == "INVITE" and m.src[0] == ip and _user_part(m.request_uri) == number,
            timeout=5, what=f"an INVITE for {number} from {name}")
    except PhoneFailure:
        seen = [m.request_uri for m in _invites(bench, name)]
        raise PhoneFailure(f"{name} sent no INVITE for {number!r}; INVITEs seen: {seen}") from None


@step(parsers.re(rf"{PHONE} sent an INVITE for (?P<number>[0-9*#]+) about (?P<secs>[\d.]+) s after the last key"))
def invite_after_delay(bench, name, number, secs):
    invite_user_part(bench, name, number)
    first = next(m for m in _invites(bench, name) if _user_part(m.request_uri) == number)
    waited = first.time - bench.context["last_key_at"]
    _record(bench, "dial now: last key to INVITE", waited, f"{secs} s", "-0.3 / +0.6 s")
    if not float(secs) - 0.3 <= waited <= float(secs) + 0.6:
        raise PhoneFailure(f"{name}'s INVITE for {number} left {waited:.2f} s after the last key, "
                           f"expected about {secs} s")


@step(parsers.re(rf"{PHONE} sent no INVITE for (?P<secs>[\d.]+) s"))
def no_invite_for(bench, name, secs):
    try:
        found = wait_until(lambda: _invites(bench, name), float(secs), 0.05, what="an INVITE")
    except WaitTimeout:
        return
    raise PhoneFailure(f"{name} sent an INVITE: {found[0].request_uri}")


@step(parsers.re(rf'{PHONE} sent no INVITE for the number "(?P<number>[^"]+)"'))
def no_invite_for_number(bench, name, number):
    sent = [m.request_uri for m in _invites(bench, name) if _user_part(m.request_uri) == number]
    if sent:
        raise PhoneFailure(f"{name} sent an INVITE for {number}: {sent[0]}")


# --- keypad lock (§4.1.4) ------------------------------------------------------------------------------
@step(parsers.re(rf'{PHONE} enters the unlock PIN "(?P<pin>[^"]*)"'))
def enter_unlock_pin(bench, name, pin):
    dut = bench.dut(name)
    dut.screen.wait_for(lambda s: s.screen in ("unlock", "pin"), "the unlock PIN prompt")
    enter_text(dut, pin)
    dut.press("SOFT_LEFT")   # the OK soft key


@step(parsers.re(rf"{PHONE} presses the on-hook key and leaves the phone alone"))
def leave_alone(bench, name):
    bench.dut(name).press("ONHOOK")
    bench.context["last_key_at"] = time.time()


@step(parsers.re(rf"the keypad of {PHONE} locks by itself about (?P<secs>[\d.]+) s after the last key"))
def locks_by_itself(bench, name, secs):
    dut = bench.dut(name)
    dut.screen.wait_for(lambda s: "keypad_locked" in s.icons, "the keypad-locked icon", timeout=float(secs) + 3)
    waited = time.time() - bench.context["last_key_at"]
    _record(bench, "keypad auto lock: last key to lock icon", waited, f"{secs} s", "-0.3 / +0.8 s")
    if not float(secs) - 0.3 <= waited <= float(secs) + 0.8:
        raise PhoneFailure(f"{name}'s keypad locked {waited:.2f} s after the last key, expected about {secs} s")


@step(parsers.re(rf"the keypad of {PHONE} stays unlocked for (?P<secs>[\d.]+) s"))
def stays_unlocked(bench, name, secs):
    bench.dut(name).screen.wait_for(lambda s: "keypad_locked" not in s.icons, "no keypad-locked icon",
                                    timeout=float(secs) + 2, stable_secs=float(secs))


@step(parsers.re(rf"{PHONE} locks its keypad with a long press of #"))
def lock_with_long_press(bench, name):
    dut = bench.dut(name)
    long_press(dut.keypad, "#")
    dut.screen.wait_for(lambda s: "keypad_locked" in s.icons, "the keypad-locked icon")


@step(parsers.re(r'the web page "(?P<page>\w+)" says "(?P<text>[^"]+)"'))
def web_page_says(bench, page, text):
    resp = bench.context["web_response"]
    if text not in html.unescape(resp.text):
        raise PhoneFailure(f'the web page "{page}" does not say {text!r} ({resp.status_code})')


@step(parsers.re(rf'the call of {PHONE} to "(?P<number>[^"]+)" is (?P<outcome>blocked|sent as "(?P<sent>[^"]+)")'))
def call_outcome(bench, name, number, outcome, sent):
    """Blocked: "Forbidden number" on the LCD and no INVITE; sent: the INVITE's Request-URI user part."""
    if sent is not None:
        invite_user_part(bench, name, sent)
        return
    bench.dut(name).screen.wait_for_text(re.escape("Forbidden number"))
    no_invite_for(bench, name, "0.5")


@step(parsers.re(rf'the web page "(?P<page>\w+)" of {PHONE} is submitted with (?P<key>[\w.]+) set to "(?P<value>[^"]*)"'))
def submit_page_one_value(bench, page, name, key, value):
    """One field whose value holds commas (a list of numbers)."""
    dut = bench.dut(name)
    dut.web.login()
    bench.context["config_before"] = dut.web.config()
    bench.context["web_response"] = dut.web.submit_page(page, {key: value})


@step(parsers.re(rf"{PHONE} sent an INVITE straight to (?P<other>[A-B])"))
def invite_straight_to(bench, name, other):
    """A direct IP call: the INVITE goes to the other phone's address, not through the registrar."""
    ip, target = bench.dut(name).ip, bench.dut(other).ip
    try:
        capture_of(bench).wait_for_sip(
            lambda m: m.method == "INVITE" and m.src[0] == ip and m.dst[0] == target
            and (m.request_uri or "").startswith(f"sip:{target}"),
            timeout=5, what=f"an INVITE from {name} straight to {other}")
    except PhoneFailure:
        seen = [(m.request_uri, m.dst) for m in _invites(bench, name)]
        raise PhoneFailure(f"{name} sent no INVITE straight to {other} ({target}); INVITEs seen: {seen}") from None
