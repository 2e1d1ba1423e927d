"""Steps about the LDAP directory (manual §4.3.3): the bench's slapd, the web page, the LCD.

The bench's LDAP server is a real slapd (drivers/ldap_server.py) with the test phone book
(40 people in ou=Sales / ou=Engineering, 1010 bulk entries in ou=Bulk) plus one person
whose number is far-end C's, so an incoming call from C can be matched.  It is a tool of
the scenario (Bench.tool): started on the bench's own loopback block, stopped by its PID
when the scenario ends.  Its log is the far end's view: the base, filter and attributes
the phone asked for, how many entries it answered, and how the phone connected.
"""
from __future__ import annotations

import html
import re

from pytest_bdd import parsers, step

from drivers.errors import PhoneFailure
from drivers.ldap_server import LdapServer, Person, build_directory
from drivers.wait import WaitTimeout, wait_until

PHONE = r"(?:phone )?(?P<name>[A-B])"
BULK = 1010                     # more than the highest max hits (1000)
# Ports are picked free at each start: a fixed port could not be listened on again while the
# previous scenario's connections sit in TIME_WAIT.
LDAP_PORT, LDAPS_PORT = 0, 0
C_IN_LDAP = Person(uid="carla.lopez", given_name="Carla", surname="Lopez", phonebook="Sales",
                   extension="2001", mobile="13800139999")


class BenchLdapServer(LdapServer):
    def close(self) -> None:
        self.stop()


def ldap_address(lab) -> str:
    """.30 of the bench registrar's /24: inside this bench's own loopback block."""
    a, b, c, _ = str(lab.registrar.ip).split(".")
    return f"{a}.{b}.{c}.30"


def server(bench) -> BenchLdapServer:
    def make():
        people = build_directory(bulk=BULK) + [C_IN_LDAP]
        return BenchLdapServer(ldap_address(bench.lab), LDAP_PORT, LDAPS_PORT, people=people).start()
    return bench.tool("ldap_server", make)


def _since_mark(bench) -> list[str]:
    s = server(bench)
    return s.lines_since(bench.context.get("ldap_mark", 0))


def _searches(bench):
    s = server(bench)
    return s.searches()[bench.context.get("ldap_search_mark", 0):]


def mark(bench) -> None:
    """From here on, the checks look only at what the server logs next."""
    s = server(bench)
    bench.context["ldap_mark"] = s.log_mark()
    bench.context["ldap_search_mark"] = len(s.searches())


# --- set-up ---------------------------------------------------------------------------------
@step("the bench's LDAP server is running")
def ldap_running(bench):
    server(bench)
    mark(bench)


def ldap_expand(bench, text: str) -> str:
    """``{ldap}``, ``{ldap.port}``, ``{ldap.tls_port}``, ``{base}``: the bench's LDAP server facts."""
    s = server(bench)
    for fact, value in (("{ldap.port}", s.port), ("{ldap.tls_port}", s.tls_port), ("{ldap}", s.address),
                        ("{base}", s.base)):
        text = text.replace(fact, str(value))
    return bench.expand(text)


def ldap_form(bench, transport: str = "LDAP") -> dict:
    s = server(bench)
    return {"ldap.enable": "1", "ldap.label": "Telephone Directory", "ldap.transport": transport,
            "ldap.server": s.address, "ldap.port": str(s.tls_port if transport == "LDAPS" else s.port),
            "ldap.base": s.base, "ldap.user": s.phone_dn, "ldap.password": s.phone_password,
            "ldap.display_name": "%CallerIDName"}


@step(parsers.re(rf"the web page LDAP of {PHONE} points at the bench's LDAP server"
                 r"(?: over (?P<transport>LDAP|StartTLS|LDAPS))?"))
def ldap_configured(bench, name, transport):
    dut = bench.dut(name)
    dut.web.login()
    resp = dut.web.submit_page("ldap", ldap_form(bench, transport or "LDAP"))
    if resp.status_code != 302:
        raise PhoneFailure(f"the LDAP page refused the bench's server: {resp.status_code} {_errors(resp)}")
    mark(bench)


@step(parsers.re(rf"the web UI of {PHONE} imports the LDAP server's CA certificate"))
def import_ldap_ca(bench, name):
    dut = bench.dut(name)
    dut.web.login()
    resp = dut.web.request("POST", "/certificates/upload",
                           files={"certificate": ("ldap-ca.pem", server(bench).ca_pem, "application/x-pem-file")})
    if resp.status_code != 200 or "Imported" not in resp.text:
        raise PhoneFailure(f"the phone did not import the LDAP server's CA: {resp.status_code} {resp.text[:300]}")


@step(parsers.re(rf'the LDAP page of {PHONE} is saved with (?P<key>ldap\.\w+) set to "(?P<value>[^"]*)"'))
def ldap_page_saved(bench, name, key, value):
    dut = bench.dut(name)
    dut.web.login()
    resp = dut.web.submit_page("ldap", {key: value})
    if resp.status_code != 302:
        raise PhoneFailure(f"the LDAP page refused {key} = {value!r}: {resp.status_code} {_errors(resp)}")


# --- the web page ---------------------------------------------------------------------------
def _errors(resp) -> list[str]:
    """The refusals a settings page lists (its <ul class='errors'>)."""
    block = re.search(r"<ul class='errors'>(.*?)</ul>", resp.text, re.S)
    return [html.unescape(e) for e in re.findall(r"<li>(.*?)</li>", block.group(1))] if block else []


@step(parsers.re(r'the web page says "(?P<text>[^"]+)"'))
def web_page_says(bench, text):
    resp = bench.context["web_response"]
    errors = _errors(resp)
    if resp.status_code != 400 or not any(text in e for e in errors):
        raise PhoneFailure(f"expected the page refused saying {text!r}; got {resp.status_code} {errors}")


@step("the web page is accepted")
def web_page_accepted(bench):
    resp = bench.context["web_response"]
    if resp.status_code != 302:
        raise PhoneFailure(f"the page was refused: {resp.status_code} {_errors(resp)}")


# --- the LCD ----------------------------------------------------------------------------------
def ldap_state(dut, what: str, ready, timeout: float = 8.0):
    """The LDAP screen once its answer is in (not "Searching...") and ``ready`` holds."""
    return dut.screen.wait_for(
        lambda s: s.screen == "ldap" and "Searching..." not in s.lines and ready(s), what, timeout=timeout)


@step(parsers.re(rf'{PHONE} shows the LDAP search screen titled "(?P<title>[^"]+)"'))
def ldap_screen_title(bench, name, title):
    bench.dut(name).screen.wait_for(lambda s: s.screen == "ldap" and s.title == title,
                                    f'the LDAP search screen titled "{title}"')


def _quoted(text: str) -> list[str]:
    return re.findall(r'"([^"]*)"', text)


@step(parsers.re(rf"the LDAP results of {PHONE} are, in this order: (?P<items>.+)"))
def ldap_results_in_order(bench, name, items):
    want = _quoted(items)
    ldap_state(bench.dut(name), f"the LDAP results {want}", lambda s: s.lines[1:] == want)


@step(parsers.re(rf"the LDAP results of {PHONE} are (?P<count>\d+) entries"))
def ldap_results_count(bench, name, count):
    from steps.phone_steps import LCD_BODY_LINES, whole_list
    n, dut = int(count), bench.dut(name)
    # Each typed character searches again: wait until the answer on screen has settled and either
    # holds n results or fills the screen (then it is counted by scrolling).
    state = dut.screen.wait_for(
        lambda s: s.screen == "ldap" and "Searching..." not in s.lines and s.selected is not None
        and len(s.lines) in (1 + n, LCD_BODY_LINES), f"{n} LDAP results", timeout=8.0, stable_secs=0.5)
    # Under the search line: all the results, or (a full screen) a window onto them, scrolled through.
    results = state.lines[1:] if len(state.lines) != LCD_BODY_LINES else whole_list(dut, state)
    if len(results) != n:
        raise PhoneFailure(f"{name}: the LDAP screen lists {len(results)} results, expected {n}: {results[:8]}")


@step(parsers.re(rf'the LDAP screen of {PHONE} says "(?P<first>[^"]+)" and "(?P<second>[^"]+)"'))
def ldap_screen_says(bench, name, first, second):
    second = ldap_expand(bench, second)
    ldap_state(bench.dut(name), f'"{first}" / "{second}" on the LDAP screen',
               lambda s: first in s.lines and second in s.lines)


@step(parsers.re(rf'{PHONE} highlights "(?P<text>[^"]+)"'))
def highlight(bench, name, text):
    from steps.phone_steps import select_line
    dut = bench.dut(name)
    dut.screen.wait_for(lambda s: any(l.startswith(text) for l in s.lines), f'a line "{text}"')
    select_line(dut, text)


@step(parsers.re(rf'the dialing screen of {PHONE} lists "(?P<line>[^"]+)"'))
def dialing_lists(bench, name, line):
    from steps.phone_steps import LCD_BODY_LINES, select_line
    dut = bench.dut(name)
    state = dut.screen.wait_for(lambda s: s.screen == "dialing" and (line in s.lines[1:]
                                                                     or len(s.lines) == LCD_BODY_LINES),
                                f'"{line}" listed under the digits')
    if line not in state.lines[1:]:     # a full screen: the match may be further down the list
        select_line(dut, line)


@step(parsers.re(rf"the dialing screen of {PHONE} lists no LDAP match"))
def dialing_lists_nothing(bench, name):
    bench.dut(name).screen.wait_for(lambda s: s.screen == "dialing" and len(s.lines) == 1,
                                    "the digits alone", stable_secs=0.5)


@step(parsers.re(rf"the Directory menu of {PHONE} (?P<how>offers|does not offer) LDAP"))
def directory_menu(bench, name, how):
    from steps.phone_steps import open_menu_path
    dut = bench.dut(name)
    dut.press("ONHOOK")   # from the idle screen, whatever was open
    open_menu_path(bench, name, "Directory")
    state = dut.screen.wait_for(lambda s: s.screen == "menu" and s.title == "Directory", "the Directory menu")
    if ("LDAP" in state.lines) != (how == "offers"):
        raise PhoneFailure(f"{name}'s Directory menu lists {state.lines}; LDAP should "
                           f"{'' if how == 'offers' else 'not '}be there")
    dut.press("ONHOOK")


# --- the far end's view: slapd's log ---------------------------------------------------------
def _wait_search(bench, what: str, match, timeout: float = 5.0):
    try:
        return wait_until(lambda: next((r for r in _searches(bench) if match(r)), None), timeout, 0.05,
                          what=what)
    except WaitTimeout:
        seen = [(r.base, r.filter) for r in _searches(bench)]
        raise PhoneFailure(f"the LDAP server saw no {what}; it saw {seen}") from None


@step(parsers.re(r'the LDAP server was asked under "(?P<base>[^"]+)" with the filter "(?P<flt>[^"]+)"'))
def asked_with_filter(bench, base, flt):
    base = ldap_expand(bench, base)
    bench.context["ldap_search"] = _wait_search(
        bench, f"search under {base} with {flt}",
        lambda r: r.base.lower() == base.lower() and r.text.lower() == flt.lower())


@step(parsers.re(r"the LDAP server asked for the attributes (?P<attrs>.+)"))
def asked_attributes(bench, attrs):
    record = bench.context["ldap_search"]
    want = attrs.split()
    if [a.lower() for a in record.attributes] != [a.lower() for a in want]:
        raise PhoneFailure(f"the phone asked for {record.attributes}, expected {want}")


@step(parsers.re(r"the LDAP server answered (?P<count>\d+) entries(?P<cut> and stopped at the size limit)?"))
def answered_entries(bench, count, cut):
    record = bench.context["ldap_search"]
    pattern = re.compile(rf"conn={record.conn} op={record.op} SEARCH RESULT tag=101 err=(\d+) .*nentries=(\d+)")

    def result():
        return next((m for line in _since_mark(bench) if (m := pattern.search(line))), None)
    try:
        m = wait_until(result, 5, 0.05, what="the search result in slapd's log")
    except WaitTimeout:
        raise PhoneFailure("slapd logged no result for the phone's search") from None
    err, n = int(m.group(1)), int(m.group(2))
    if n != int(count) or (cut and err != 4):
        raise PhoneFailure(f"slapd answered {n} entries (err={err}); expected {count}"
                           + (" with sizeLimitExceeded (err=4)" if cut else ""))


@step(parsers.re(r"the LDAP server received no search(?: for (?P<text>\S+))?"))
def no_search(bench, text):
    """Nothing may arrive during a short window; the window itself is the check."""
    try:
        wait_until(lambda: next((r for r in _searches(bench) if not text or text.lower() in r.text.lower()), None),
                   1.5, 0.05)
    except WaitTimeout:
        return
    raise PhoneFailure(f"the phone searched the LDAP server: {[(r.base, r.filter) for r in _searches(bench)]}")


def _connections(bench, name: str) -> dict[int, str]:
    """conn id -> local port of slapd, for connections that came from phone ``name``."""
    ip = bench.dut(name).ip
    out = {}
    for line in _since_mark(bench):
        m = re.search(rf"conn=(\d+) fd=\d+ ACCEPT from IP={re.escape(ip)}:\d+ \(IP=[\d.]+:(\d+)\)", line)
        if m:
            out[int(m.group(1))] = m.group(2)
    return out


@step(parsers.re(rf"the LDAP server saw {PHONE} search over (?P<how>LDAP|StartTLS|LDAPS)"))
def saw_transport(bench, name, how):
    s = server(bench)
    record = bench.context.get("ldap_search") or _wait_search(bench, "search", lambda r: True)
    conns = _connections(bench, name)
    port = conns.get(record.conn)
    lines = [l for l in _since_mark(bench) if f"conn={record.conn} " in l]
    tls = any("TLS established" in l for l in lines)
    starttls = any("STARTTLS" in l for l in lines)
    ok = {"LDAP": port == str(s.port) and not tls,
          "StartTLS": port == str(s.port) and starttls and tls,
          "LDAPS": port == str(s.tls_port) and tls and not starttls}[how]
    if not ok:
        raise PhoneFailure(f"the search (conn={record.conn}) came from {name} on port {port}, "
                           f"TLS={tls}, StartTLS={starttls}; expected {how}")
