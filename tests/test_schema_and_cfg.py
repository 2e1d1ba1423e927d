"""The configuration schema and the CFG reader/writer of the reference phone (§6.3, §6.4)."""
from __future__ import annotations

import pytest

from reference_impl.cfg_file import DEFAULT_HEADER, CfgError, CfgProblem, export_cfg, parse_cfg
from reference_impl.schema import (
    SCHEMA,
    ConfigRulesError,
    ConfigValueError,
    check_values,
    defaults,
    keys_under,
    missing_required,
    section_of,
    validate_all,
)


def refused(text: str, **kwargs: object) -> CfgError:
    """Parse ``text`` expecting a refusal; return the error."""
    with pytest.raises(CfgError) as info:
        parse_cfg(text, source="bad.cfg", **kwargs)
    return info.value


# -- schema ---------------------------------------------------------------------
def test_schema_has_both_accounts_and_sane_defaults() -> None:
    values = defaults()
    assert list(values) == list(SCHEMA)
    for n in (1, 2):
        assert values[f"account.{n}.enable"] is False  # factory state: no account
        assert values[f"account.{n}.port"] == 5060
        assert values[f"account.{n}.transport"] == "UDP"
    assert (values["sip.t1"], values["sip.t2"], values["sip.t4"]) == (500, 4000, 5000)
    assert (values["web.user"], values["web.password"]) == ("admin", "admin")
    assert validate_all(values) == []
    assert section_of("account.1.user_name") == "account.1"
    assert section_of("network.ipv4.address") == "network.ipv4"
    assert keys_under("network")[0] == "network.ip_mode" and "network.ipv6.dns2" in keys_under("network")


@pytest.mark.parametrize("key,raw,expected", [
    ("account.1.enable", "1", True),
    ("account.1.enable", " yes ", True),
    ("account.1.enable", "0", False),
    ("account.1.transport", "tcp", "TCP"),
    ("account.1.port", "5070", 5070),
    ("account.1.server1", "[::1]:5060", "[::1]:5060"),
    ("account.1.outbound_proxy", "proxy.example.com:5080", "proxy.example.com:5080"),
    ("network.ipv4.address", "127.0.0.11", "127.0.0.11"),
    ("network.ipv6.address", "2003:4998:C:E33:0::1004", "2003:4998:c:e33::1004"),
    ("network.ipv4.dns2", "", ""),
    ("network.ip_mode", "ipv4&ipv6", "IPv4&IPv6"),
])
def test_values_are_read_and_normalised(key: str, raw: str, expected: object) -> None:
    assert SCHEMA[key].parse(raw) == expected


@pytest.mark.parametrize("key,raw,words", [
    ("account.1.port", "70000", "'70000' is out of range (allowed: integer 1..65535)"),
    ("account.1.port", "50x", "is not a whole number"),
    ("account.1.transport", "TLS", "(allowed: one of UDP, TCP)"),
    ("account.1.enable", "maybe", "is not a yes/no value"),
    ("network.ipv4.gateway", "192.168.1.300", "is not an IPv4 address"),
    ("network.ipv6.dns1", "fe80::zz", "is not an IPv6 address"),
    ("account.1.server1", "999.1.1.1", "is not a valid IPv4 address"),
    ("account.1.server1", "pbx.example.com:0", "port outside 1..65535"),
    ("account.1.label", "x" * 33, "is too long (33 characters)"),
    ("account.1.display_name", "a\tb", "contains a control character"),
    ("sip.t1", "10", "(allowed: integer 50..10000 ms)"),
])
def test_bad_values_name_key_value_and_allowed(key: str, raw: str, words: str) -> None:
    with pytest.raises(ConfigValueError) as info:
        SCHEMA[key].parse(raw)
    message = str(info.value)
    assert message.startswith(f"{key}: ")
    assert words in message
    assert info.value.key == key and info.value.raw == raw


@pytest.mark.req("REQ-SIP-03")
def test_cross_field_rules() -> None:
    assert validate_all({"sip.t1": 2000, "sip.t2": 1000}) == [
        "sip.t2 (1000 ms) must not be less than sip.t1 (2000 ms)"]
    assert validate_all({"sip.t1": 1000, "sip.t2": 1000}) == []
    assert "must differ" in validate_all({"sip.tls_port": 5060})[0]
    assert "255.0.255.0" in validate_all({"network.ipv4.netmask": "255.0.255.0"})[0]


@pytest.mark.req("REQ-NET-06", "REQ-NET-07")
def test_static_ip_needs_all_its_fields() -> None:
    static_v4 = {"network.ipv4.type": "Static", "network.ipv4.address": "127.0.0.11",
                 "network.ipv4.netmask": "255.0.0.0", "network.ipv4.gateway": "127.0.0.1",
                 "network.ipv4.dns1": "127.0.0.1"}
    problems = validate_all(static_v4)
    assert len(problems) == 1 and "network.ipv4.dns2" in problems[0]
    assert validate_all({**static_v4, "network.ipv4.dns2": "127.0.0.2"}) == []
    # IPv6 static is only checked when the mode uses IPv6.
    assert validate_all({"network.ipv6.type": "Static"}) == []
    assert "network.ipv6.address" in validate_all(
        {"network.ip_mode": "IPv4&IPv6", "network.ipv6.type": "Static"})[0]


@pytest.mark.req("REQ-ACCT-11")
def test_required_fields_of_the_register_page() -> None:
    assert missing_required(defaults(), "account.1") == [
        "account.1.user_name", "account.1.register_name", "account.1.password", "account.1.server1"]
    filled = {"account.1.user_name": "2001", "account.1.register_name": "2001",
              "account.1.password": "pw", "account.1.server1": "127.0.0.1"}
    assert missing_required(filled, "account.1") == []


def test_check_values_refuses_unknown_keys_and_rules() -> None:
    with pytest.raises(KeyError, match="did you mean account.1.user_name"):
        check_values({"account.1.username": "x"})
    with pytest.raises(ConfigRulesError):
        check_values({"sip.t1": 5000})
    assert check_values({"sip.t1": 5000}, base={**defaults(), "sip.t2": 8000}) == {"sip.t1": 5000}


# -- CFG files ------------------------------------------------------------------
GOOD = (
    "\ufeff#!version:1.0.0.1\r\n"
    "# account one\r\n"
    "; a semicolon comment\r\n"
    "\r\n"
    "account.1.enable = 1\r\n"
    "account.1.user_name=2001   \r\n"
    "   account.1.password =  p#ss=word\r\n"
    "account.1.server1 = 127.0.0.1\r\n"
    "account.1.transport = TCP\r\n"
    "sip.t1 = 250\r\n"
)


@pytest.mark.req("REQ-CFG-05", "REQ-PROV-15")
def test_a_good_file_with_bom_crlf_comments_and_spaces() -> None:
    assert parse_cfg(GOOD) == {
        "account.1.enable": True,
        "account.1.user_name": "2001",
        "account.1.password": "p#ss=word",
        "account.1.server1": "127.0.0.1",
        "account.1.transport": "TCP",
        "sip.t1": 250,
    }
    assert parse_cfg(GOOD.encode("utf-8")) == parse_cfg(GOOD)  # bytes as uploaded


def test_every_problem_is_reported_with_line_and_key() -> None:
    text = "\n".join([
        "#!version:1.0.0.1",                 # 1
        "account.1.port = 70000",           # 2 out of range
        "this line is garbage",             # 3 no '='
        "account.1.transport = SCTP",       # 4 bad enum
        "account.3.user_name = 3001",       # 5 unknown key
        "sip.t1 = 2000",                    # 6
        "sip.t2 = 1000",                    # 7 T2 < T1
        "account.1.port = 5070",            # 8 duplicate
        "account.1.user_name = 2001",       # 9 fine
    ])
    error = refused(text)
    assert [(p.line, p.key) for p in error.problems] == [
        (2, "account.1.port"), (3, None), (4, "account.1.transport"),
        (5, "account.3.user_name"), (7, "sip.t2"), (8, "account.1.port")]
    report = str(error)
    assert report.startswith("bad.cfg: 6 problems, nothing was applied")
    for line in [
        "line 2: account.1.port: '70000' is out of range (allowed: integer 1..65535)",
        "line 3: not a 'key = value' line: 'this line is garbage'",
        "line 4: account.1.transport: 'SCTP' is not one of the choices (allowed: one of UDP, TCP)",
        "line 5: account.3.user_name: unknown key (did you mean account.2.user_name?)",
        "line 7: sip.t2: sip.t2 (1000 ms) must not be less than sip.t1 (2000 ms)",
        "line 8: account.1.port: duplicate key (already set on line 2)",
    ]:
        assert line in report


def test_problem_formats_like_the_manual_asks() -> None:
    problem = CfgProblem(7, "account.1.port", "'70000' is out of range (allowed: integer 1..65535)")
    assert str(problem) == "line 7: account.1.port: '70000' is out of range (allowed: integer 1..65535)"


@pytest.mark.req("REQ-SIP-01")
def test_keys_not_editable_through_the_interface_are_refused() -> None:
    error = refused("sip.t1 = 250\nphone.language = Chinese\n", where="phone")
    assert [str(p) for p in error.problems] == [
        "line 1: sip.t1: cannot be set through phone (only through: cfg, web)"]


def test_rules_are_checked_against_the_base_configuration() -> None:
    # T1 = 5000 alone breaks T2 >= T1 on factory values ...
    assert refused("sip.t1 = 5000").problems[0].line == 1
    # ... but not on a phone whose T2 is already 8000.
    assert parse_cfg("sip.t1 = 5000", base={**defaults(), "sip.t2": 8000}) == {"sip.t1": 5000}
    # A rule broken by the base alone is not the file's fault.
    assert parse_cfg("phone.language = Chinese", base={**defaults(), "sip.t1": 9000}) \
        == {"phone.language": "Chinese"}


def test_a_bad_file_applies_nothing(tmp_path) -> None:
    """The import path (parse against the current config, then store) is all or nothing."""
    from reference_impl.storage import PhoneStorage

    with PhoneStorage(tmp_path / "phone.db") as storage:
        storage.set_config({"account.1.user_name": "1000", "phone.language": "Chinese"})
        before = storage.config()
        text = "account.1.user_name = 2001\nphone.language = English\naccount.1.port = 0\n"
        with pytest.raises(CfgError) as info:
            storage.set_config(parse_cfg(text, base=storage.config()))
        assert [p.line for p in info.value.problems] == [3]
        assert storage.config() == before
    assert "not UTF-8" in str(refused(b"account.1.label = \xff\xfe"))


@pytest.mark.req("REQ-CFG-06")
def test_export_then_import_gives_back_the_same_values() -> None:
    values = defaults()
    values.update({
        "account.1.enable": True, "account.1.label": "Front desk", "account.1.display_name": "Zoë 前台",
        "account.1.user_name": "2001", "account.1.register_name": "2001",
        "account.1.password": "s3cr=t#;x", "account.1.server1": "127.0.0.1",
        "account.1.port": 5070, "account.1.transport": "TCP", "account.2.server1": "[::1]:5062",
        "network.ip_mode": "IPv4&IPv6", "network.priority": "IPv6",
        "sip.t1": 250, "sip.t2": 2000, "phone.language": "Chinese",
    })
    assert validate_all(values) == []
    text = export_cfg(values, header=DEFAULT_HEADER)
    assert text.startswith("#!version:1.0.0.1\n")
    assert "# --- Account 1" in text and "sip.t1 = 250\n" in text
    assert "account.1.enable = 1\n" in text
    assert parse_cfg(text) == values
    assert parse_cfg(export_cfg(defaults())) == defaults()
    device_header = export_cfg(defaults(), header="SIP-H680W 2.0.0.1 0c383e000011")
    assert device_header.startswith("# SIP-H680W") and parse_cfg(device_header) == defaults()


@pytest.mark.req("REQ-CFG-04")
def test_export_of_chosen_sections_only() -> None:
    text = export_cfg(defaults(), keys=keys_under("network"))
    keys = list(parse_cfg(text))
    assert keys == keys_under("network")
    assert "account." not in text and "sip." not in text
    with pytest.raises(KeyError):
        export_cfg(defaults(), keys=["no.such.key"])
