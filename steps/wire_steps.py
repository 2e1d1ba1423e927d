"""Steps that check on the wire what the manual promises (scapy captures on the bench interface)."""
from __future__ import annotations

import re
import socket

from pytest_bdd import parsers, step

from drivers.capture import Capture
from drivers.errors import LabError, PhoneFailure
from drivers.sip_wire import check_retransmissions, group_transactions
from drivers.wait import expect

PHONE = r"(?:phone )?(?P<name>[A-B])"


def capture_of(bench) -> Capture:
    return bench.capture("capture", "the SIP traffic of the bench is captured")


@step("the SIP traffic of the bench is captured")
def start_capture(bench):
    bench.start_capture("capture", "udp or tcp", "sip.pcap")


@step(parsers.re(r"a silent SIP server listens on (?P<ip>[^:\s]+):(?P<port>\d+)"))
def silent_server(bench, ip, port, request):
    ip = bench.expand(ip)
    """A UDP socket that takes every request and never answers: a registrar or peer that is down."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        sock.bind((ip, int(port)))
    except OSError as exc:
        raise LabError("silent SIP server", f"cannot bind {ip}:{port}: {exc}") from exc
    request.addfinalizer(sock.close)
    bench.context["silent"] = (ip, int(port))


@step(parsers.re(rf"account 1 of {PHONE} points at the silent server"))
def account_to_silent(bench, name):
    ip, port = bench.context["silent"]
    dut = bench.dut(name)
    dut.web.login()
    settings = dut.account_settings(ip, port)
    dut.web.set_config(settings)


@step(parsers.re(rf"{PHONE} sent (?P<method>[A-Z]+) to (?P<other>[A-D])"))
def sent_request(bench, name, method, other):
    ip = bench.dut(name).ip
    cap = capture_of(bench)
    number = bench.number_of(other)
    cap.wait_for_sip(lambda m: m.method == method and m.src[0] == ip and f"sip:{number}@" in (m.to_uri or ""),
                     timeout=5)


@step(parsers.re(rf"{PHONE} sent no (?P<method>[A-Z]+)"))
def sent_no_request(bench, name, method):
    ip = bench.dut(name).ip
    sent = [m for m in capture_of(bench).sip_messages() if m.method == method and m.src[0] == ip]
    if sent:
        raise PhoneFailure(f"{name} sent {len(sent)} {method}: {sent[0].first_line()}")


@step(parsers.re(r"the (?P<method>[A-Z]+) retransmissions of (?:phone )?(?P<name>[A-B]) come after "
                 r"(?P<gaps>[\d.]+(?:, [\d.]+)*) s within (?P<tol>\d+) ms"))
def retransmissions(bench, name, method, gaps, tol, request):
    ip = bench.dut(name).ip
    cap = capture_of(bench)
    expected = [float(g) for g in gaps.split(", ")]
    sends = len(expected) + 1
    cfg = bench.dut(name).web.config()
    t1, t2 = int(cfg["sip.t1"]) / 1000, int(cfg["sip.t2"]) / 1000
    def longest():
        txs = [t for t in group_transactions(cap.sip_messages())
               if t.request.method == method and t.request.src[0] == ip]
        return max(txs, key=lambda t: len(t.sends)) if txs else None

    from drivers.wait import WaitTimeout, wait_until
    try:
        wait_until(lambda: (longest() is not None and len(longest().sends) >= sends), sum(expected) + 5, 0.05,
                   what=f"{sends} sends of one {method} transaction")
    except WaitTimeout:
        pass   # the check below reports what was seen
    txs = [t for t in (longest(),) if t is not None]
    if not txs:
        raise PhoneFailure(f"{name} sent no {method}")
    tx = max(txs, key=lambda t: len(t.sends))
    check = check_retransmissions(tx, t1, t2, tolerance=int(tol) / 1000, max_sends=sends)
    (bench.evidence_dir / f"{method.lower()}-retransmissions.txt").write_text(check.summary())
    from drivers.timing_plot import plot_intervals
    plot_intervals(bench.evidence_dir / f"{method.lower()}-retransmissions.png",
                   f"{method} retransmissions of {name} (T1 {t1} s, T2 {t2} s)",
                   check.expected, check.measured, int(tol) / 1000)
    measured = check.measured[:len(expected)]
    worst = max(abs(m - e) for m, e in zip(measured, expected)) if len(measured) == len(expected) else None
    if worst is None or worst > int(tol) / 1000 or not check.ok:
        raise PhoneFailure(f"{method} retransmission gaps of {name}: expected {expected} s ±{tol} ms\n"
                           f"{check.summary()}")


def _registers_from(bench, name):
    ip = bench.dut(name).ip
    return lambda m: m.method == "REGISTER" and m.src[0] == ip


@step(parsers.re(rf"{PHONE} sent a REGISTER with Expires 0"))
def sent_unregister(bench, name):
    is_register = _registers_from(bench, name)

    def unregister(m):
        expires = m.header("Expires")
        contact = m.contact or ""
        return is_register(m) and (expires == "0" or "expires=0" in contact.replace(" ", "").lower())
    capture_of(bench).wait_for_sip(unregister, timeout=8, what=f"REGISTER with Expires 0 from {name}")


@step(parsers.re(rf"{PHONE} registers over (?P<transport>UDP|TCP)"))
def registers_over(bench, name, transport):
    is_register = _registers_from(bench, name)
    capture_of(bench).wait_for_sip(lambda m: is_register(m) and m.transport == transport, timeout=8,
                                   what=f"REGISTER over {transport} from {name}")


@step(parsers.re(rf'the REGISTER of {PHONE} authenticates as "(?P<user>[^"]+)" for the address "(?P<aor>[^"]+)"'))
def register_credentials(bench, name, user, aor):
    aor = bench.expand(aor)
    is_register = _registers_from(bench, name)
    found = capture_of(bench).wait_for_sip(lambda m: is_register(m) and m.header("Authorization"), timeout=8,
                                           what=f"an authenticated REGISTER from {name}")
    auth = found[-1].header("Authorization")
    if f'username="{user}"' not in auth:
        raise PhoneFailure(f"the REGISTER authenticates with {auth!r}, expected username {user}")
    if not found[-1].to_uri.startswith(aor):
        raise PhoneFailure(f"the REGISTER is for {found[-1].to_uri}, expected {aor}")


@step(parsers.re(r"the registrar shows (?P<users>\d+(?: and \d+)*) registered"))
def registrar_shows(bench, users):
    for user in users.split(" and "):
        expect(lambda: bench.registrar.is_registered(user), 8, f"{user} is not registered at the registrar")


@step(parsers.re(r"the registrar shows (?P<user>\d+) unregistered"))
def registrar_shows_unregistered(bench, user):
    expect(lambda: not bench.registrar.is_registered(user), 8, f"{user} is still registered at the registrar")


def _sent_by_port(via: str) -> int:
    """The port of a Via's sent-by (5060 when it is left out, RFC 3261 §18.2.1)."""
    sent_by = via.split(";", 1)[0].split()[-1]
    port = sent_by.rsplit(":", 1)[-1] if not sent_by.endswith("]") else ""
    return int(port) if port.isdigit() else 5060


@step(parsers.re(rf"the REGISTER of {PHONE} leaves from port (?P<port>\d+) and shows it in Via and Contact"))
def register_port(bench, name, port):
    """REQ-SIP-10: the local SIP port is where requests leave from and what Via/Contact name."""
    port = int(port)
    is_register = _registers_from(bench, name)

    def registration(m):   # not the un-REGISTER sent on the way down
        return is_register(m) and m.header("Expires") != "0" and "expires=0" not in (m.contact or "").lower()
    found = capture_of(bench).wait_for_sip(registration, timeout=10, what=f"a REGISTER from {name}")[-1]
    problems = []
    if found.src[1] != port:
        problems.append(f"it left from port {found.src[1]}")
    via_port = _sent_by_port(found.vias[0]) if found.vias else None
    if via_port != port:
        problems.append(f"Via sent-by port is {via_port} ({found.vias[:1]})")
    contact_port = re.search(r"sips?:[^@>;]*@?[^:;>]+:(\d+)", found.contact or "")
    if contact_port is None or int(contact_port.group(1)) != port:
        problems.append(f"Contact is {found.contact!r}")
    if problems:
        raise PhoneFailure(f"{name}'s REGISTER does not use local SIP port {port}: " + "; ".join(problems))
