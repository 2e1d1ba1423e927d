"""Steps about intercom calls and the programmable keys (manual §1.3 matrix, §6.4.1).

An intercom call is an INVITE the far end marks for automatic answer; the far-end
peer (C, D) adds the usual marker header itself.  The programmable keys are the
idle screen's soft keys, programmed on the web page "Features -> Programmable keys".
"""
from __future__ import annotations

import html
import re

from pytest_bdd import parsers, step

from drivers.errors import PhoneFailure
from steps.phone_steps import open_menu_path

PHONE = r"(?:phone )?(?P<name>[A-B])"
PEER = r"(?P<peer>[C-D])"

# The markers SIP phones and PBXes use to ask for an automatic answer (reference_impl/intercom.py).
INTERCOM_MARKERS = {
    "Alert-Info": ("Alert-Info", "<http://127.0.0.1/intercom>;info=alert-autoanswer"),
    "Call-Info": ("Call-Info", "<sip:127.0.0.1>;answer-after=0"),
    "Answer-Mode": ("Answer-Mode", "Auto"),
}


# --- intercom ----------------------------------------------------------------------------------
@step(parsers.re(rf"{PEER} calls {PHONE} as an intercom call(?: marked by (?P<marker>[\w-]+))?"))
def peer_calls_intercom(bench, peer, name, marker):
    try:
        header, value = INTERCOM_MARKERS[marker or "Alert-Info"]
    except KeyError:
        raise ValueError(f"unknown intercom marker {marker!r} (allowed: {', '.join(INTERCOM_MARKERS)})") from None
    bench.peer(peer).call(bench.number_of(name), headers={header: value})


# --- programmable keys -------------------------------------------------------------------------
@step(parsers.re(rf'the web UI of {PHONE} programs soft key (?P<n>[12]) as "(?P<kind>[^"]+)"'
                 rf'(?: to (?P<value>the number of [A-D]|[0-9*#]+))?(?: labelled "(?P<label>[^"]*)")?'))
def program_soft_key(bench, name, n, kind, value, label):
    """Features -> Programmable keys, submitted like a person fills it in."""
    if value and value.startswith("the number of "):
        value = bench.number_of(value[-1])
    dut = bench.dut(name)
    dut.web.login()
    p = f"programmable_key.{n}."
    resp = dut.web.submit_page("programmable_keys", {p + "type": kind, p + "value": value or "",
                                                     p + "label": label or ""})
    bench.context["web_response"] = resp
    if resp.status_code >= 400:
        raise PhoneFailure(f"the Programmable keys page of {name} refused soft key {n} as {kind}: "
                           f"{resp.status_code} {re.findall(r'<li>(.*?)</li>', resp.text)}")


# --- web pages and menus -----------------------------------------------------------------------
@step(parsers.re(rf'the web page "(?P<page>\w+)" of {PHONE} has the fields '
                 rf'(?P<labels>"[^"]+"(?:(?:, | and )"[^"]+")*)'))
def web_page_fields(bench, name, page, labels):
    dut = bench.dut(name)
    dut.web.login()
    text = html.unescape(dut.web.page(f"/page/{page}").text)
    missing = [label for label in re.findall(r'"([^"]+)"', labels) if f"<label>{label} <" not in text]
    if missing:
        raise PhoneFailure(f'the web page "{page}" of {name} has no field {", ".join(missing)}')


@step(parsers.re(rf'the web page "(?P<page>\w+)" of {PHONE} offers the types (?P<types>"[^"]+"(?:(?:, | and )"[^"]+")*) '
                 rf'for (?P<key>[\w.]+)'))
def web_page_choices(bench, name, page, types, key):
    dut = bench.dut(name)
    dut.web.login()
    text = dut.web.page(f"/page/{page}").text
    select = re.search(rf"<select name='{re.escape(key)}'>(.*?)</select>", text, re.S)
    offered = [html.unescape(o) for o in re.findall(r"<option[^>]*>(.*?)</option>", select.group(1))] if select else []
    missing = [t for t in re.findall(r'"([^"]+)"', types) if t not in offered]
    if missing:
        raise PhoneFailure(f'the web page "{page}" of {name} offers {offered} for {key}; missing {missing}')


def _menu_items(dut) -> list[str]:
    """Every line of the menu on screen, scrolled through with the down key as a person would."""
    seen: list[str] = []
    state = dut.screen.read()
    for _ in range(40):
        line = state.lines[state.selected] if state.selected is not None and state.lines else None
        if line is None or line in seen:
            break
        seen.append(line)
        dut.press("DOWN")
        state = dut.screen.read()
    return seen


@step(parsers.re(rf'the "(?P<path>[^"]+)" menu of {PHONE} (?P<how>offers|does not offer) "(?P<item>[^"]+)"'))
def menu_offers(bench, name, path, how, item):
    dut = bench.dut(name)
    open_menu_path(bench, name, path)
    items = _menu_items(dut)
    if (item in items) != (how == "offers"):
        raise PhoneFailure(f'the "{path}" menu of {name} {"lacks" if how == "offers" else "offers"} '
                           f'"{item}": {items}')
    dut.press("ONHOOK")


# --- the idle screen's soft keys -----------------------------------------------------------------
@step(parsers.re(rf"{PHONE} presses the (?P<side>left|right) soft key"))
def press_soft_key_by_side(bench, name, side):
    """A soft key by its place, whatever (if anything) its label says."""
    bench.dut(name).press("SOFT_LEFT" if side == "left" else "SOFT_RIGHT")


@step(parsers.re(rf'{PHONE} shows the "(?P<title>[^"]+)" screen'))
def shows_titled_screen(bench, name, title):
    bench.dut(name).screen.wait_for(lambda s: s.title == title, f'a screen titled "{title}"', timeout=8)


@step(parsers.re(rf"{PHONE} stays on the standby screen for (?P<secs>[\d.]+) s"))
def stays_on_standby(bench, name, secs):
    bench.dut(name).screen.wait_for(lambda s: s.screen == "standby", "the standby screen, unchanged",
                                    timeout=float(secs) + 5, stable_secs=float(secs))
