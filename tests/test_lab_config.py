"""The bench file: the reference bench loads, and every kind of mistake stops the run clearly.

Each bad bench is the reference YAML with one or more text edits, written to
``tmp_path``; each edit must match the reference text, so a test cannot pass
on a file that was never broken.  The checks are on the message a QA engineer
reads: file and line, dotted field, bad value, and what is allowed.
"""
from __future__ import annotations

from ipaddress import IPv4Address
from pathlib import Path

import pytest
from pydantic import ValidationError

from drivers.errors import LabError
from lab_config import REFERENCE_YAML, Lab, LabConfigError, load_lab

REFERENCE_TEXT = REFERENCE_YAML.read_text(encoding="utf-8")


def bench_file(tmp_path: Path, *edits: tuple[str, str], name: str = "bench.yaml") -> Path:
    """Write the reference bench with ``edits`` (old, new) applied, each exactly once."""
    text = REFERENCE_TEXT
    for old, new in edits:
        assert text.count(old) == 1, f"edit {old!r} must match the reference bench once"
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def line_of(path: Path, fragment: str) -> int:
    """1-based line of the only line of ``path`` that contains ``fragment``."""
    hits = [n for n, line in enumerate(path.read_text().splitlines(), 1) if fragment in line]
    assert len(hits) == 1, hits
    return hits[0]


def load_error(path: Path) -> LabConfigError:
    with pytest.raises(LabConfigError) as caught:
        load_lab(path)
    return caught.value


# --- the reference bench ---------------------------------------------------------------


def test_reference_bench_loads_as_described():
    lab = load_lab(REFERENCE_YAML)

    assert (lab.bench, lab.target) == ("reference", "reference")
    assert lab.registrar.kind == "kamailio"
    assert (lab.registrar.ip, lab.registrar.port) == (IPv4Address("127.0.0.1"), 5060)
    assert lab.registrar.transports == ["udp", "tcp"]
    assert [u.user for u in lab.registrar.users] == [
        "1001", "1002", "1003", "1004", "2001", "2002", "2003", "2004"]
    a, b = lab.phone("A"), lab.phone("B")
    assert (a.ip, a.mac, a.sip_port, a.web_port) == (
        IPv4Address("127.0.0.11"), "00:15:65:00:00:11", 5060, 8080)
    assert (b.ip, b.mac, b.sip_port, b.web_port) == (
        IPv4Address("127.0.0.12"), "00:15:65:00:00:12", 5060, 8080)
    assert (a.account.user, a.account.display_name, a.account.register_name) == (
        "1001", "Alice", "1001")
    assert (b.account.user, b.account.display_name) == ("1002", "Bob")
    assert a.model == b.model == "SIP-H680W"
    assert lab.peers.host_ip == IPv4Address("127.0.0.1")
    assert (lab.peer("C").user, lab.peer("C").display_name) == ("2001", "Carol")
    assert (lab.peer("D").user, lab.peer("D").display_name) == ("2002", "Dave")
    assert lab.capture.interface == "lo"
    assert lab.evidence_dir == Path("reports/runs")
    assert lab.source == REFERENCE_YAML


def test_a_role_the_bench_lacks_is_a_lab_error():
    lab = load_lab(REFERENCE_YAML)
    with pytest.raises(LabError, match=r"needs phone E.*has phones A, B"):
        lab.phone("E")
    with pytest.raises(LabError, match=r"needs peer A.*has peers C, D"):
        lab.peer("A")


def test_a_real_bench_may_leave_loopback():
    lab = load_lab(Path(__file__).resolve().parent.parent / "lab_config" / "example-h680-bench.yaml")
    assert lab.phone("A").ip == IPv4Address("192.168.50.11")
    assert lab.capture.interface == "eth1"
    assert lab.phone("A").keypad.map["OK"] == 13


def test_the_virtual_handset_bench_loads():
    lab = load_lab(Path(__file__).resolve().parent.parent / "lab_config" / "virtual-handset.yaml")
    assert lab.phone("B").camera.source == "auto"


def test_a_handset_bench_needs_keypad_and_camera(tmp_path):
    path = bench_file(
        tmp_path,
        ("target: reference", "target: handset"),
        ("ip: 127.0.0.11", "ip: 192.168.10.11"),
        ("interface: lo ", "interface: eth0 "),
    )
    with pytest.raises(LabConfigError) as err:
        load_lab(path)
    said = str(err.value)
    assert "phones.A.keypad" in said and "phones.A.camera" in said and "example-h680-bench.yaml" in said


def test_values_yaml_1_1_would_mangle_stay_as_written(tmp_path):
    # YAML 1.1 reads 12:34:56:00:00:11 as a base-60 number, 0123 as octal, on as true.
    path = bench_file(
        tmp_path,
        ("mac: 00:15:65:00:00:11", "mac: 12:34:56:00:00:11"),
        ("{user: 1001, password: pw1001}", "{user: 1001, password: 0123}"),
        ("      password: pw1001", "      password: 0123"),
        ("{user: 2001, password: pw2001}", "{user: 2001, password: on}"),
        ("C: {user: 2001, password: pw2001,", "C: {user: 2001, password: on,"),
    )
    lab = load_lab(path)
    assert lab.phone("A").mac == "12:34:56:00:00:11"
    assert lab.phone("A").account.password == "0123"
    assert lab.peer("C").password == "on"


# --- one mistake at a time ---------------------------------------------------------------

MISTAKES = {
    "unknown field": (
        [("    model: SIP-H680W         #", "    colour: red\n    model: SIP-H680W #")],
        "colour: red", "phones.A.colour = 'red': unknown key",
        "allowed: the keys of this section: ip, sip_port, web_port, mac, model, account"),
    "unknown top-level field": (
        [("bench: reference", "bench: reference\nbenches: 2")],
        "benches: 2", "benches = 2: unknown key",
        "allowed: the keys of this section: bench, target, registrar, phones, peers"),
    "bad target": (
        [("target: reference", "target: simulator")],
        "target: simulator", "target = 'simulator'",
        "allowed: one of reference, virtual-handset, handset"),
    "bad IP": (
        [("ip: 127.0.0.11", "ip: 127.0.0.300")],
        "ip: 127.0.0.300", "phones.A.ip = '127.0.0.300'",
        "allowed: an IPv4 address, e.g. 127.0.0.11"),
    "IP written as a number": (
        [("ip: 127.0.0.12", "ip: 5")],
        "ip: 5", "phones.B.ip = 5", "allowed: an IPv4 address"),
    "non-loopback phone on the reference target": (
        [("ip: 127.0.0.11", "ip: 10.1.2.3")],
        "ip: 10.1.2.3", "phones.A.ip = '10.1.2.3': not a loopback address",
        "allowed: an IPv4 address in 127.0.0.0/8 on the embedded benches (reference, virtual-handset)"),
    "non-loopback registrar on the reference target": (
        [("  ip: 127.0.0.1\n", "  ip: 192.168.1.1\n")],
        "ip: 192.168.1.1", "registrar.ip = '192.168.1.1'",
        "allowed: an IPv4 address in 127.0.0.0/8 on the embedded benches (reference, virtual-handset)"),
    "non-loopback peers on the reference target": (
        [("host_ip: 127.0.0.1", "host_ip: 8.8.8.8")],
        "host_ip: 8.8.8.8", "peers.host_ip = '8.8.8.8'",
        "allowed: an IPv4 address in 127.0.0.0/8 on the embedded benches (reference, virtual-handset)"),
    "capture off loopback on the reference target": (
        [("interface: lo ", "interface: eth0 ")],
        "interface: eth0", "capture.interface = 'eth0'", "allowed: lo on the embedded benches (reference, virtual-handset)"),
    "port 0": (
        [("sip_port: 5060           #", "sip_port: 0 #")],
        "sip_port: 0", "phones.A.sip_port = 0", "allowed: integer 1..65535"),
    "port 70000": (
        [("port: 5060                #", "port: 70000 #")],
        "port: 70000", "registrar.port = 70000", "allowed: integer 1..65535"),
    "port as text": (
        [("web_port: 8080           #", "web_port: http #")],
        "web_port: http", "phones.A.web_port = 'http'", "allowed: integer 1..65535"),
    "bad MAC": (
        [("mac: 00:15:65:00:00:12", "mac: 00:15:65:00:00:1G")],
        "00:1G", "phones.B.mac = '00:15:65:00:00:1G'",
        "allowed: a MAC address: six hex pairs joined by colons"),
    "missing MAC": (
        [("    mac: 00:15:65:00:00:12\n", "")],
        "  B:", "phones.B.mac: missing", "allowed: a MAC address"),
    "bad model": (
        [("    model: SIP-H680W\n    account:\n      label: Bob",
          "    model: H680\n    account:\n      label: Bob")],
        "model: H680", "phones.B.model = 'H680'", "allowed: one of SIP-H680W, SIP-H680L"),
    "bad transport": (
        [("transports: [udp, tcp]    #", "transports: [udp, tls] #")],
        "[udp, tls]", "registrar.transports[1] = 'tls'", "allowed: one of udp, tcp"),
    "user with a dot": (
        [("      user: 1002", "      user: bob.smith")],
        "bob.smith", "phones.B.account.user = 'bob.smith'", "allowed: digits and letters only"),
    "user missing from registrar": (
        [("      user: 1002", "      user: 1009")],
        "user: 1009", "phones.B.account.user = '1009': user 1009 is not in registrar.users",
        "allowed: one of the registrar's users: 1001, 1002"),
    "peer user missing from registrar": (
        [("D: {user: 2002", "D: {user: 3002")],
        "3002", "peers.accounts.D.user = '3002'", "allowed: one of the registrar's users"),
    "password differs from registrar": (
        [("      password: pw1002", "      password: secret99")],
        "secret99", "phones.B.account.password: password differs from registrar.users[1]",
        "allowed: the password of registrar.users[1]"),
    "duplicate MAC": (
        [("mac: 00:15:65:00:00:12", "mac: 00:15:65:00:00:11")],
        "mac: 00:15:65:00:00:11\n    model: SIP-H680W\n    account:\n      label: Bob",
        "phones.B.mac = '00:15:65:00:00:11': same MAC as phones.A",
        "allowed: a MAC no other phone uses"),
    "web port clashes with SIP port": (
        [("web_port: 8080           #", "web_port: 5060 #")],
        "web_port: 5060", "phones.A.web_port = 5060: 127.0.0.11:5060 is already taken by "
        "phones.A.sip_port", "allowed: a port that nothing else on 127.0.0.11 uses"),
    "same user on two devices": (
        [("C: {user: 2001, password: pw2001", "C: {user: 1001, password: pw1001")],
        "C: {user: 1001", "peers.accounts.C.user = '1001': user 1001 is already used by "
        "phones.A.account", "allowed: a registrar user no other phone or peer uses"),
    "role name in lower case": (
        [("  B:", "  b:")],
        "  b:", "phones.b = 'b': role name", "allowed: a role name as the features write it"),
    "peer role that is a phone": (
        [("    D: {user: 2002", "    A: {user: 2002")],
        "A: {user: 2002", "peers.accounts.A = 'A': role A is already phones.A",
        "allowed: a role name that no phone uses"),
    "key given twice": (
        [("    sip_port: 5060\n    web_port: 8080\n    mac: 00:15:65:00:00:12",
          "    sip_port: 5060\n    web_port: 8080\n    web_port: 8081\n    mac: 00:15:65:00:00:12")],
        "web_port: 8081", "phones.B.web_port: key given twice", "allowed: each key once"),
}


@pytest.mark.parametrize("edits, at, says, allowed", MISTAKES.values(), ids=MISTAKES.keys())
def test_each_mistake_names_file_line_field_value_and_what_is_allowed(
        tmp_path, edits, at, says, allowed):
    path = bench_file(tmp_path, *edits, name="my-bench.yaml")
    error = load_error(path)

    assert isinstance(error, LabError) and not isinstance(error, AssertionError)
    assert error.part == "lab config" and error.path == path
    line = _first_line(path, at)
    assert len(error.problems) == 1, error.problems
    problem = error.problems[0]
    assert problem.startswith(f"{path}:{line}: "), problem
    assert says in problem and allowed in problem, problem
    assert problem in str(error) and "my-bench.yaml" in str(error)


def _first_line(path: Path, block: str) -> int:
    text = path.read_text()
    assert text.count(block) == 1
    return text[: text.index(block)].count("\n") + 1


def test_a_wrong_password_is_not_echoed(tmp_path):
    error = load_error(bench_file(tmp_path, ("      password: pw1002", "      password: hunter2")))
    assert "hunter2" not in str(error)


# --- many mistakes, broken files -------------------------------------------------------------


def test_every_mistake_is_listed_in_file_order(tmp_path):
    path = bench_file(
        tmp_path,
        ("target: reference", "target: reference\nextra_key: 1"),
        ("sip_port: 5060           #", "sip_port: 70000 #"),
        ("mac: 00:15:65:00:00:12", "mac: nope"),
        ("transports: [udp, tcp]    #", "transports: [udp, udp] #"),
        ("D: {user: 2002", "D: {user: 2009"),
        ("interface: lo ", "interface: eth0 "),
    )
    error = load_error(path)

    fields = [problem.split(": ")[1].split(" = ")[0] for problem in error.problems]
    assert fields == [
        "extra_key", "registrar.transports", "phones.A.sip_port", "phones.B.mac",
        "peers.accounts.D.user", "capture.interface"]
    assert "6 problems" in str(error)


def test_cross_checks_are_listed_together(tmp_path):
    error = load_error(bench_file(
        tmp_path,
        ("ip: 127.0.0.12", "ip: 127.0.0.11"),
        ("      user: 1002", "      user: 1009"),
        ("host_ip: 127.0.0.1", "host_ip: 10.0.0.1"),
    ))
    text = str(error)
    assert "phones.B.ip = '127.0.0.11': same IP as phones.A" in text
    assert "phones.B.account.user = '1009'" in text
    assert "peers.host_ip = '10.0.0.1'" in text


def test_a_duplicate_phone_ip_also_shows_the_ports_it_takes(tmp_path):
    path = bench_file(tmp_path, ("ip: 127.0.0.12", "ip: 127.0.0.11"))
    block = "ip: 127.0.0.11\n    sip_port: 5060\n    web_port: 8080\n    mac: 00:15:65:00:00:12"
    line = _first_line(path, block)
    assert load_error(path).problems == [
        f"{path}:{line}: phones.B.ip = '127.0.0.11': same IP as phones.A; "
        "allowed: an IP address no other phone uses",
        f"{path}:{line + 1}: phones.B.sip_port = 5060: 127.0.0.11:5060 is already taken by "
        "phones.A.sip_port; allowed: a port that nothing else on 127.0.0.11 uses",
        f"{path}:{line + 2}: phones.B.web_port = 8080: 127.0.0.11:8080 is already taken by "
        "phones.A.web_port; allowed: a port that nothing else on 127.0.0.11 uses",
    ]


def test_yaml_syntax_error_names_file_and_line(tmp_path):
    path = bench_file(tmp_path, ("    ip: 127.0.0.12", "    ip: 127.0.0.12: 5060"))
    error = load_error(path)
    assert error.problems == [
        f"{path}:{line_of(path, 'ip: 127.0.0.12')}:19: YAML syntax error: "
        "mapping values are not allowed here"]
    assert "my-bench" not in str(error) and path.name in str(error)


def test_an_unclosed_bracket_names_where_it_was_opened(tmp_path):
    path = bench_file(tmp_path, ("display_name: Carol}", "display_name: Carol"))
    error = load_error(path)
    assert f"on line {line_of(path, 'display_name: Carol')})" in str(error)
    assert f"{path}:{line_of(path, 'D: {user')}:" in str(error)


def test_tab_indentation_names_file_and_line(tmp_path):
    path = bench_file(tmp_path, ("  kind: kamailio", "\tkind: kamailio"))
    error = load_error(path)
    assert f"{path}:{line_of(path, 'kind: kamailio')}:" in str(error)


def test_missing_file_names_the_path(tmp_path):
    path = tmp_path / "no-such-bench.yaml"
    error = load_error(path)
    assert str(path) in str(error) and "no such file" in str(error)
    assert error.path == path


def test_a_directory_is_not_a_bench(tmp_path):
    assert "directory" in str(load_error(tmp_path))


@pytest.mark.parametrize("text", ["", "# only a comment\n", "- a\n- list\n"])
def test_an_empty_or_non_mapping_file_says_what_a_bench_holds(tmp_path, text):
    path = tmp_path / "empty.yaml"
    path.write_text(text)
    error = load_error(path)
    assert "(top level)" in str(error) and "bench, target, registrar, phones" in str(error)


def test_the_model_checks_the_whole_bench_when_built_in_python():
    # The cross-checks are model validators, not only a loader feature.
    data = load_lab(REFERENCE_YAML).model_dump()
    data["phones"]["B"]["ip"] = "127.0.0.11"
    with pytest.raises(ValidationError, match=r"phones\.B\.ip: same IP as phones\.A"):
        Lab.model_validate(data)


def test_a_parallel_worker_gets_the_same_bench_on_its_own_loopback_block():
    lab = load_lab(REFERENCE_YAML)
    moved = lab.on_loopback_block(32)
    assert moved.registrar.ip == IPv4Address("127.0.32.1")
    assert {n: p.ip for n, p in moved.phones.items()} == {"A": IPv4Address("127.0.32.11"),
                                                          "B": IPv4Address("127.0.32.12")}
    assert moved.peers.host_ip == IPv4Address("127.0.32.1")
    assert [p.sip_port for p in moved.phones.values()] == [p.sip_port for p in lab.phones.values()]
    assert lab.registrar.ip == IPv4Address("127.0.0.1")        # the original is untouched
    with pytest.raises(ValueError, match="0..255"):
        lab.on_loopback_block(256)


def test_a_real_handset_has_no_emulator_no_stream_and_no_drawn_degradation(tmp_path):
    vh = (Path(__file__).resolve().parent.parent / "lab_config" / "virtual-handset.yaml").read_text()
    path = tmp_path / "bench.yaml"
    path.write_text(vh.replace("target: virtual-handset", "target: handset")
                      .replace("degradation: none", "degradation: mild"))
    said = str(load_error(path))
    assert "phones.A.keypad.port" in said and "serial device" in said
    assert "phones.A.camera.source" in said and "MJPEG" in said
    assert "phones.A.camera.degradation" in said and "virtual handset only" in said


def test_an_embedded_bench_starts_its_own_kamailio(tmp_path):
    path = bench_file(tmp_path, ("kind: kamailio", "kind: external"))
    said = str(load_error(path))
    assert "registrar.kind" in said and "kamailio" in said and "--target handset" in said


def test_the_headset_relay_is_not_a_key_relay(tmp_path):
    vh = (Path(__file__).resolve().parent.parent / "lab_config" / "virtual-handset.yaml").read_text()
    path = tmp_path / "bench.yaml"
    path.write_text(vh.replace("headset: 30", "headset: 13"))
    said = str(load_error(path))
    assert "phones.A.keypad.headset" in said and "already presses key OK" in said
