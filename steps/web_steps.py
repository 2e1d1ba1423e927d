"""Steps about the web UI (manual §1.3.2, §3.5, §4.6.1) and configuration files."""
from __future__ import annotations

import re

from pytest_bdd import parsers, step

from drivers.errors import PhoneFailure
from drivers.wait import expect
from drivers.webui import ConfigRefused

PHONE = r"(?:phone )?(?P<name>[A-B])"


@step(parsers.re(rf'the web UI of {PHONE} is logged into as "(?P<user>[^"]*)" with password "(?P<password>[^"]*)"'))
def web_login(bench, name, user, password):
    bench.context["login_ok"] = bench.dut(name).web.try_login(user, password)


@step("the web login is accepted")
def login_accepted(bench):
    if not bench.context["login_ok"]:
        raise PhoneFailure("the phone refused a login it should accept")


@step("the web login is refused")
def login_refused(bench):
    if bench.context["login_ok"]:
        raise PhoneFailure("the phone accepted a login it should refuse")


@step(parsers.re(rf'without a session, the web page "(?P<path>[^"]+)" of {PHONE} sends the browser to the login page'))
def page_needs_session(bench, name, path):
    web = bench.dut(name).web
    web.http.cookies.clear()
    resp = web.page(path)
    if not (resp.status_code in (302, 303) and resp.headers.get("Location") == "/") and resp.status_code != 401:
        raise PhoneFailure(f"{path} answered {resp.status_code} without a session (expected the login page)")


@step(parsers.re(rf"the web status page of {PHONE} shows the same IP address, MAC address and firmware as its LCD"))
def web_status_matches_lcd(bench, name):
    dut = bench.dut(name)
    dut.web.login()
    html = dut.web.page("/status").text
    lines = dut.screen.read().lines
    for prefix, label in (("IPv4: ", "IPv4 address"), ("MAC: ", "MAC address"), ("Firmware: ", "Firmware version")):
        value = next((l[len(prefix):] for l in lines if l.startswith(prefix)), None)
        if value is None:
            raise PhoneFailure(f"the LCD status screen has no {prefix.strip()} line: {lines}")
        if not re.search(rf"<th>{label}</th><td>{re.escape(value)}</td>", html):
            raise PhoneFailure(f"the web status page does not show {label} {value} as the LCD does")


@step(parsers.re(rf'the web status page of {PHONE} shows "(?P<label>[^"]+)" as "(?P<value>[^"]*)"'))
def web_status_shows(bench, name, label, value):
    value = bench.expand(value)
    dut = bench.dut(name)
    dut.web.login()
    html = dut.web.page("/status").text
    if f"<th>{label}</th><td>{value}</td>" not in html:
        raise PhoneFailure(f"the web status page of {name} does not show {label} = {value}")


@step(parsers.re(rf'the web status page of {PHONE} shows account (?P<n>\d) as "(?P<state>[^"]+)"'))
def web_account_state(bench, name, n, state):
    dut = bench.dut(name)
    expect(lambda: dut.web.status()["accounts"][int(n) - 1]["state"] == state, 8,
           lambda: f"the web status of {name} shows account {n} as "
                   f"{dut.web.status()['accounts'][int(n) - 1]['state']}, expected {state}")


@step(parsers.re(rf"account (?P<n>\d) of {PHONE} is set in the web UI to its bench account(?: over (?P<transport>UDP|TCP))?"))
def web_account(bench, name, n, transport):
    dut = bench.dut(name)
    dut.web.login()
    form = bench.account_form(dut, int(n), transport or "UDP")
    resp = dut.web.submit_page(f"account{n}", form)
    if resp.status_code != 302:
        raise PhoneFailure(f"the account page refused the bench account: {resp.status_code} {resp.text[:500]}")


@step(parsers.re(rf'account (?P<n>\d) of {PHONE} is set in the web UI to its bench account with the password "(?P<password>[^"]*)"'))
def web_account_wrong_password(bench, name, n, password):
    dut = bench.dut(name)
    dut.web.login()
    form = bench.account_form(dut, int(n))
    form[f"account.{n}.password"] = password
    dut.web.set_config(form)


@step(parsers.re(rf'account (?P<n>\d) of {PHONE} is submitted in the web UI with "(?P<field>[^"]+)" left empty'))
def web_account_missing(bench, name, n, field):
    dut = bench.dut(name)
    dut.web.login()
    form = bench.account_form(dut, int(n))
    form[f"account.{n}.{field}"] = ""
    resp = dut.web.submit_page(f"account{n}", form)
    bench.context["web_response"] = resp


@step(parsers.re(r'the web UI refuses the page naming "(?P<key>[^"]+)"'))
def web_refused(bench, key):
    resp = bench.context["web_response"]
    if resp.status_code != 400 or key not in resp.text:
        raise PhoneFailure(f"expected the page to be refused naming {key}; got {resp.status_code}")


@step(parsers.re(rf'the web UI of {PHONE} sets (?P<values>(?:[\w.]+ = [^,]+(?:, )?)+)'))
def web_sets(bench, name, values):
    pairs = dict(part.split(" = ", 1) for part in bench.expand(values).split(", "))
    dut = bench.dut(name)
    dut.web.login()
    dut.web.set_config(pairs)


# --- CFG files ------------------------------------------------------------------------------------
@step(parsers.re(rf'the CFG file "(?P<filename>[^"]+)" is imported into {PHONE}:'))
def import_cfg(bench, name, filename, docstring):
    dut = bench.dut(name)
    dut.web.login()
    bench.context["config_before"] = dut.web.config()
    try:
        dut.web.import_cfg(docstring, filename)
        bench.context["cfg_problems"] = []
    except ConfigRefused as exc:
        bench.context["cfg_problems"] = exc.problems


@step(parsers.re(r'the import is refused naming line (?P<line>\d+) and key "(?P<key>[^"]+)"'))
def import_refused(bench, line, key):
    problems = bench.context["cfg_problems"]
    if not any(p.startswith(f"line {line}:") and key in p for p in problems):
        raise PhoneFailure(f"expected a refusal naming line {line} and {key}; the phone said: {problems}")


@step(parsers.re(r'the refusal says what is allowed: "(?P<allowed>[^"]+)"'))
def refusal_allowed(bench, allowed):
    problems = bench.context["cfg_problems"]
    if not any(allowed in p for p in problems):
        raise PhoneFailure(f"no refusal says {allowed!r}: {problems}")


@step(parsers.re(rf"the configuration of {PHONE} is unchanged"))
def config_unchanged(bench, name):
    after = bench.dut(name).web.config()
    before = bench.context["config_before"]
    changed = {k for k in after if after[k] != before.get(k)}
    if changed:
        raise PhoneFailure(f"a refused file still changed {sorted(changed)}")


@step(parsers.re(rf"the configuration of {PHONE} has (?P<key>[\w.]+) empty"))
def config_empty(bench, name, key):
    got = bench.dut(name).web.config().get(key)
    if got != "":
        raise PhoneFailure(f"{key} is {got!r}, expected empty")


@step(parsers.re(rf'the configuration of {PHONE} has (?P<key>[\w.]+) = (?P<value>.+)'))
def config_has(bench, name, key, value):
    got = bench.dut(name).web.config().get(key)
    if got != value:
        raise PhoneFailure(f"{key} is {got!r}, expected {value!r}")


@step(parsers.re(rf"the web UI of {PHONE} restarts the phone"))
def web_reboot(bench, name):
    dut = bench.dut(name)
    dut.web.login()
    before = dut.web.identity().get("boot_id")
    resp = dut.web.request("POST", "/api/reboot")
    resp.raise_for_status()
    # A new address or SIP port restarts the process; otherwise the phone reboots in place.
    bench.context[f"boot_id_{name}"] = before if resp.json().get("restarting") else None


@step(parsers.re(rf"{PHONE} comes back at (?P<ip>\S+)"))
def comes_back_at(bench, name, ip):
    ip = bench.expand(ip)
    from drivers.wait import WaitTimeout
    dut = bench.dut(name)
    dut.move_to(ip)
    before = bench.context.get(f"boot_id_{name}")
    try:
        if before is not None:
            dut.wait_restarted(before, timeout=15)
        dut.wait_reachable(timeout=10)
    except WaitTimeout:
        raise PhoneFailure(f"{name} did not come back at {ip} after the restart") from None
    dut.wait_standby()


@step(parsers.re(rf"the registrar shows {PHONE} registered from (?P<ip>\S+)"))
def registrar_contact_from(bench, name, ip):
    ip = bench.expand(ip)
    user = bench.dut(name).account.user
    expect(lambda: any(f"@{ip}:" in c for c in bench.registrar.registered_contacts(user)), 10,
           lambda: f"{user} is registered at {bench.registrar.registered_contacts(user)}, not from {ip}")


@step(parsers.re(rf'the web page "(?P<page>\w+)" of {PHONE} is submitted with (?P<values>(?:[\w.]+ = [^,]*(?:, )?)+)'))
def submit_page_values(bench, name, page, values):
    pairs = dict(part.split(" = ", 1) for part in bench.expand(values).split(", "))
    dut = bench.dut(name)
    dut.web.login()
    bench.context["config_before"] = dut.web.config()
    bench.context["web_response"] = dut.web.submit_page(page, pairs)


# --- QR code (§1.3.3, §5.13) -------------------------------------------------------------------
@step(parsers.re(rf"{PHONE} shows a QR code that opens its web UI"))
def qr_opens_web_ui(bench, name):
    """Decode the QR code from the LCD picture, as a smartphone would, and open what it holds."""
    import cv2
    import requests

    dut = bench.dut(name)
    dut.screen.wait_for_screen("qr", timeout=5)
    picture = dut.screen.picture()
    cv2.imwrite(str(bench.evidence_dir / f"qr-{name}.png"), picture)
    text, _, _ = cv2.QRCodeDetector().detectAndDecode(picture)
    if not text:
        raise PhoneFailure(f"{name}: no QR code could be decoded from the LCD (picture kept as qr-{name}.png)")
    (bench.evidence_dir / f"qr-{name}.txt").write_text(text + "\n")
    web_root = dut.web.base_url.rstrip("/") + "/"
    if text != web_root:
        raise PhoneFailure(f"{name}'s QR code holds {text!r}, expected the web UI address {web_root!r}")
    scanned = requests.get(text, timeout=5)
    from_pc = requests.get(web_root, timeout=5)
    if scanned.status_code != 200 or "password" not in scanned.text.lower() or scanned.text != from_pc.text:
        raise PhoneFailure(f"{text} (from the QR code) did not open the same login page as the PC browser: "
                           f"{scanned.status_code} {scanned.text[:200]!r}")
