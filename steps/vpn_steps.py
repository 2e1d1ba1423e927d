"""Steps about the phone's VPN (web Network -> VPN) and its Action URL event "VPN IP" (REQ-AURL-50).

The bench's VPN server is a real OpenVPN server (drivers/vpn_server.py), a tool of the scenario
(Bench.tool): started on the bench's own loopback block, stopped by its PID when the scenario ends,
failures included.  Its management interface is the far end's view: which clients are connected,
from which outer address (the phone's own), with which VPN address.  The Action URL listener and
its steps are those of §6.6 (steps/action_url_steps.py).
"""
from __future__ import annotations

import html
import re

from pytest_bdd import parsers, step

from drivers.certificates import generate_ca
from drivers.errors import LabError, PhoneFailure
from drivers.vpn_server import VpnServer
from drivers.wait import WaitTimeout, expect, wait_until
from steps.action_url_steps import _listener

PHONE = r"(?:phone )?(?P<name>[A-B])"
OTHER_POOL = (50, 99)


def vpn_server(bench) -> VpnServer:
    try:
        return bench.context["vpn_server"]
    except KeyError:
        raise LabError("feature", "the scenario uses the bench's VPN server but starts none "
                                  "(add: Given the bench runs a VPN server at {bench.block}.50:1194)") from None


@step(parsers.re(r"the bench runs a VPN server at (?P<where>\S+)"))
def run_vpn_server(bench, where):
    address, _, port = bench.expand(where).partition(":")
    bench.tool("vpn_server", lambda: VpnServer(address, int(port or 1194), log_dir=bench.evidence_dir).start())


def _client_files(bench, name: str):
    key = f"vpn_client_files_{name}"
    if key not in bench.context:
        bench.context[key] = vpn_server(bench).issue_client(f"h680-{name}-{bench.lab.phones[name].mac}")
    return bench.context[key]


def _upload(bench, name: str, files: dict[str, tuple[str, bytes]]):
    dut = bench.dut(name)
    dut.web.login()
    resp = dut.web.request("POST", "/vpn/upload",
                           files={k: (fname, data, "application/x-pem-file") for k, (fname, data) in files.items()})
    bench.context["vpn_upload_response"] = resp
    return resp


def _note(resp) -> str:
    m = re.search(r"<p class='vpn-note'>(.*?)</p>", resp.text, re.S)
    return html.unescape(m.group(1)) if m else ""


@step(parsers.re(rf"the web page VPN of {PHONE} uploads (?P<whose>the bench VPN server's|another CA's) CA certificate, "
                 r"a client certificate for (?P=name) and its key"))
def upload_vpn_files(bench, name, whose):
    files = _client_files(bench, name)
    ca = files.ca_pem
    if whose == "another CA's":
        ca_pem, _ = generate_ca(bench.evidence_dir / "other-ca", "h680-hil another CA")
        ca = ca_pem.read_bytes()
    resp = _upload(bench, name, {"ca": ("ca.crt", ca), "cert": ("client.crt", files.cert_pem),
                                 "key": ("client.key", files.key_pem)})
    if resp.status_code != 200 or not _note(resp).startswith("Uploaded"):
        raise PhoneFailure(f"the VPN page of {name} refused the bench's files: {resp.status_code} {_note(resp)!r}")


@step(parsers.re(rf"the web page VPN of {PHONE} uploads (?P<what>the client key|a client key of another certificate|"
                 r"an empty file|the CA certificate) as the (?P<slot>CA certificate|client certificate|client key)"))
def upload_vpn_file_as(bench, name, what, slot):
    files = _client_files(bench, name)
    if what == "the client key":
        data = files.key_pem
    elif what == "the CA certificate":
        data = files.ca_pem
    elif what == "an empty file":
        data = b""
    else:
        data = vpn_server(bench).issue_client(f"h680-other-{name}").key_pem
    kind = {"CA certificate": "ca", "client certificate": "cert", "client key": "key"}[slot]
    _upload(bench, name, {kind: (f"{kind}.pem", data)})


@step(parsers.re(r'the VPN upload is refused saying "(?P<text>[^"]+)"'))
def upload_refused(bench, text):
    resp = bench.context["vpn_upload_response"]
    if resp.status_code != 400 or text not in _note(resp):
        raise PhoneFailure(f"expected the VPN upload refused saying {text!r}; got {resp.status_code} {_note(resp)!r}")


@step(parsers.re(rf'the web page VPN of {PHONE} lists the (?P<what>CA certificate|client certificate|client key) as '
                 r'"(?P<state>uploaded|none)"'))
def page_lists_file(bench, name, what, state):
    dut = bench.dut(name)
    dut.web.login()
    text = html.unescape(dut.web.page("/page/vpn").text)
    if f"<li>{what}: {state}</li>" not in text:
        listed = re.findall(r"<ul class='vpn-files'>(.*?)</ul>", text, re.S)
        raise PhoneFailure(f"the VPN page of {name} does not list the {what} as {state}: {listed}")


# --- the far end's view: the bench's VPN server ------------------------------------------------------
def _connection_of(bench, name: str):
    """A's connection: from A's own address, past the TLS handshake (it has a VPN address)."""
    ip = bench.dut(name).ip
    return next((c for c in vpn_server(bench).clients() if c.real_ip == ip and c.virtual_address), None)


@step(parsers.re(rf"{PHONE} joins the bench's VPN(?P<new> with a new address)?"))
def joins_vpn(bench, name, new):
    server = vpn_server(bench)
    before = bench.context.get(f"vpn_ip_{name}")

    def joined():
        c = _connection_of(bench, name)
        return c if c and (not new or c.virtual_address != before) else None
    client = expect(joined, 8, lambda: f"the bench's VPN server lists no{' new' if new else ''} connection from "
                                       f"{name} ({bench.dut(name).ip}); it lists {server.clients()}\n"
                                       f"--- its log:\n{server.log_tail(15)}")
    if client.virtual_address not in {str(h) for h in server.subnet.hosts()}:
        raise PhoneFailure(f"{name} got {client.virtual_address}, outside the VPN subnet {server.subnet}")
    bench.context[f"vpn_ip_{name}"] = client.virtual_address
    with (bench.evidence_dir / "vpn-clients.txt").open("a") as f:
        f.write(f"{name}: {client}\n")


@step(parsers.re(rf"the bench's VPN server has no connection from {PHONE} for (?P<secs>[\d.]+) s"))
def no_connection(bench, name, secs):
    try:
        wait_until(lambda: "none" if _connection_of(bench, name) is None else None,
                   timeout=float(secs) + 1, interval=0.2, stable_secs=float(secs),
                   what=f"no VPN connection from {name}")
    except WaitTimeout:
        raise PhoneFailure(f"{name} connected to the bench's VPN: {_connection_of(bench, name)}") from None


@step("the bench's VPN server restarts with another address pool")
def restart_with_other_pool(bench):
    vpn_server(bench).restart(pool=OTHER_POOL)


# --- what the phone shows -----------------------------------------------------------------------------
def _status_row(dut, label: str) -> str | None:
    text = dut.web.page("/status").text
    m = re.search(rf"<th>{re.escape(label)}</th><td>(.*?)</td>", text)
    return html.unescape(m.group(1)) if m else None


@step(parsers.re(rf'the web status page of {PHONE} shows the VPN as "(?P<text>[^"]+)"'))
def status_shows_vpn(bench, name, text):
    dut = bench.dut(name)
    dut.web.login()
    expect(lambda: _status_row(dut, "VPN") == text, 8,
           lambda: f"the web status page of {name} shows the VPN as {_status_row(dut, 'VPN')!r}, expected {text!r}")


@step(parsers.re(rf"the web status page of {PHONE} shows the VPN IP the bench's VPN server gave it"))
def status_shows_vpn_ip(bench, name):
    dut = bench.dut(name)
    dut.web.login()
    want = bench.context[f"vpn_ip_{name}"]
    expect(lambda: _status_row(dut, "VPN IP") == want, 8,
           lambda: f"the web status page of {name} shows VPN IP {_status_row(dut, 'VPN IP')!r}; "
                   f"the bench's VPN server gave it {want}")


@step(parsers.re(rf"{PHONE} shows its VPN IP"))
def lcd_shows_vpn_ip(bench, name):
    bench.dut(name).screen.wait_for_text(re.escape(f"VPN IP: {bench.context[f'vpn_ip_{name}']}"))


@step(parsers.re(rf'{PHONE} sends the Action URL "(?P<event>\w+)" a second time'))
def sends_again(bench, name, event):
    listener = _listener(bench)
    expect(lambda: len(listener.received(event)) >= 2, 10,
           lambda: f"{name} sent the Action URL {event} {len(listener.received(event))} time(s), expected a second")
    request = listener.received(event)[1]
    if request.client != bench.dut(name).ip:
        raise PhoneFailure(f"the second {event} request came from {request.client}, not {name}")
    bench.context[f"action_url_{event}"] = request
