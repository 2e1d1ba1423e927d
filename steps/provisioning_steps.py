"""Steps of §6.4, auto provisioning: real HTTP/HTTPS/FTP/TFTP servers on the bench.

The server's request log is the far end's view (which files, in which order, from which
address); the phone's web page and configuration are what the administrator sees.
"""
from __future__ import annotations

from pytest_bdd import parsers, step

from drivers.errors import PhoneFailure
from drivers.provisioning_servers import provisioning_server
from drivers.wait import WaitTimeout, wait_until
from reference_impl.firmware import build_image

PHONE = r"(?:phone )?(?P<name>[A-B])"


def _server(bench):
    server = bench.context.get("provisioning_server")
    if server is None:
        raise AssertionError("the scenario needs 'Given the bench serves provisioning files over ...' first")
    return server


def _started(server):
    server.start()
    return server


@step(parsers.re(r"the bench serves provisioning files over (?P<protocol>HTTPS|HTTP|FTP|TFTP)"))
def serve_files(bench, protocol):
    protocol = protocol.lower()
    root = bench.evidence_dir / f"provisioning-{protocol}"
    server = bench.tool(f"provisioning_{protocol}",
                        lambda: _started(provisioning_server(protocol, str(bench.lab.peers.host_ip), 0, root)))
    bench.context["provisioning_server"] = server


@step(parsers.re(r'the provisioning server holds "(?P<filename>[^"]+)":'))
def server_holds(bench, filename, docstring):
    server = _server(bench)
    text = bench.expand(docstring.replace("{server}", server.url.rstrip("/")))
    server.put(bench.expand(filename), text + "\n")


@step(parsers.re(r'the provisioning server holds "(?P<filename>[^"]+)" listing (?P<names>(?:"[^"]+"(?:, | and )?)+)'))
def server_holds_boot(bench, filename, names):
    listed = [n.strip('"') for n in names.replace(" and ", ", ").split(", ")]
    _server(bench).put(filename, "#!version:1.0.0.1\n" + "".join(f'include:config "{n}"\n' for n in listed))


@step(parsers.re(r'the provisioning server holds a firmware image of version (?P<version>\S+) as "(?P<filename>[^"]+)"'))
def server_holds_image(bench, version, filename):
    _server(bench).put(filename, build_image(version, b"\x7fELF provisioned firmware " * 400))


@step(parsers.re(rf"the Auto provision page of {PHONE} points at the server(?P<power> with Power on)?"))
def point_at_server(bench, name, power):
    dut = bench.dut(name)
    dut.web.login()
    values = {"autop.url": _server(bench).url, "autop.power_on": "1" if power else "0"}
    page = dut.web.request("POST", "/page/autoprovision", data=values)
    if page.status_code not in (200, 302) or "errors" in page.text:
        raise PhoneFailure(f"the Auto provision page refused {values}: {page.text[:400]}")
    bench.context["config_before"] = dut.web.config()


@step(parsers.re(rf"the Auto provision page of {PHONE} is submitted with the server URL \"(?P<url>[^\"]*)\""))
def submit_url(bench, name, url):
    dut = bench.dut(name)
    dut.web.login()
    bench.context["web_response"] = dut.web.request("POST", "/page/autoprovision", data={"autop.url": url})


@step(parsers.re(rf"{PHONE} is told to provision itself now from its web page"))
def provision_now(bench, name):
    dut = bench.dut(name)
    dut.web.login()
    bench.context.setdefault("config_before", dut.web.config())
    ident = dut.web.identity()   # a provisioned firmware restarts the phone: "comes back" needs these
    bench.context[f"boot_id_{name}"] = ident.get("boot_id")
    bench.context.setdefault(f"firmware_before_{name}", ident["firmware"])
    resp = dut.web.request("POST", "/api/autoprovision")
    if resp.status_code != 202:
        raise PhoneFailure(f"Provision now was not started: {resp.status_code} {resp.text[:300]}")


def _last_run(bench, name: str, timeout: float = 10.0) -> dict:
    dut = bench.dut(name)

    def finished():
        dut.web.login()
        run = dut.web.request("GET", "/api/autoprovision").json()
        return run if run["state"] in ("done", "failed") and run["started"] else None

    try:
        return wait_until(finished, timeout, interval=0.1, what=f"{name}'s provisioning run to finish")
    except WaitTimeout:
        raise PhoneFailure(f"{name} did not finish provisioning within {timeout} s") from None


@step(parsers.re(rf"the Auto provision page of {PHONE} reports the run (?P<state>done|failed)"
                 r'(?: with "(?P<status>[^"]+)")?(?: naming (?P<texts>"[^"]+"(?: and "[^"]+")*))?'))
def run_reported(bench, name, state, status, texts):
    run = _last_run(bench, name)
    page = bench.dut(name).web.request("GET", "/page/autoprovision").text
    (bench.evidence_dir / f"autoprovision-{name}.txt").write_text(f"{run}\n")
    if run["state"] != state or (status and run["status"] != status):
        raise PhoneFailure(f"the provisioning run of {name} ended {run['state']} / {run['status']}: {run['message']}")
    for text in (texts or "").split('" and "'):
        if text.strip('"') not in run["message"]:
            raise PhoneFailure(f"the provisioning status does not name {text}: {run['message']}")
    if run["state"] not in page:
        raise PhoneFailure(f"the Auto provision page does not show the run's state: {page[:400]}")


@step(parsers.re(rf"the provisioning server was asked by {PHONE} for (?P<names>(?:\"[^\"]+\"(?:, | and | then )?)+)"
                 r"(?P<only> and nothing else)?"))
def asked_for(bench, name, names, only):
    want = [bench.expand(n.strip('"')) for n in names.replace(" then ", ", ").replace(" and ", ", ").split(", ")]
    server, ip = _server(bench), bench.dut(name).ip

    def asked():
        return [r.path for r in server.requests if r.client == ip]

    try:
        wait_until(lambda: asked()[:len(want)] == want and (not only or asked() == want), 10, interval=0.1,
                   what="the provisioning requests")
    except WaitTimeout:
        raise PhoneFailure(f"{name} asked the server for {asked()}, expected {want}"
                           f"{' and nothing else' if only else ''}") from None


@step(parsers.re(rf"the provisioning server is asked nothing by {PHONE} once it is back on standby"))
def asked_nothing(bench, name):
    dut = bench.dut(name)
    dut.wait_standby()
    server = _server(bench)
    try:
        wait_until(lambda: any(r.client == dut.ip for r in server.requests), 2.0, interval=0.1,
                   what="a provisioning request")
    except WaitTimeout:
        return
    raise PhoneFailure(f"{name} fetched {[r.path for r in server.requests]} although Power on is off")


@step("the provisioning server is stopped")
def stop_server(bench):
    _server(bench).stop()


@step(parsers.re(rf"{PHONE} trusts the provisioning server's certificate authority"))
def trust_server_ca(bench, name):
    dut = bench.dut(name)
    dut.web.login()
    resp = dut.web.request("POST", "/certificates/upload",
                           files={"certificate": ("provisioning-ca.pem", _server(bench).ca_pem,
                                                  "application/octet-stream")})
    if resp.status_code != 200:
        raise PhoneFailure(f"the certificate upload was refused: {resp.status_code} {resp.text[:300]}")


@step(parsers.re(r"the registrar shows user (?P<user>\w+) registered from (?P<ip>\S+)"))
def user_registered_from(bench, user, ip):
    ip = bench.expand(ip)
    try:
        wait_until(lambda: any(f"@{ip}:" in c for c in bench.registrar.registered_contacts(user)), 10,
                   interval=0.2, what=f"{user} registered from {ip}")
    except WaitTimeout:
        raise PhoneFailure(f"{user} is registered at {bench.registrar.registered_contacts(user)}, "
                           f"not from {ip}") from None
