"""The phone's LDAP directory (manual §4.3.3) against a real OpenLDAP slapd on loopback.

One slapd serves the whole module (the people of ``build_directory`` plus 1005 generated
entries in ``ou=Bulk`` so max hits of 1000 can bite).  What the server was asked is read
back from slapd's own log (``server.searches()``), the "LDAP server log" the requirements
name as evidence; the bind version is read off the wire through a small TCP relay.
"""
from __future__ import annotations

import dataclasses
import os
import re
import select
import socket
import threading
from pathlib import Path

import pytest

from drivers.errors import LabError
from drivers.ldap_server import LdapServer, generate_ca
from reference_impl.ldap_directory import (LdapDirectory, LdapEntry, LdapError, LdapSettings,
                                           LdapSettingsError, expand_filter, sort_key)

BULK = 1005


@pytest.fixture(scope="module")
def server():
    with LdapServer(address="127.0.0.1", bulk=BULK) as srv:
        yield srv


def make_settings(srv: LdapServer, /, **changes) -> LdapSettings:
    """The manual's example settings, pointed at the test server, with ``changes`` on top."""
    values = dict(enabled=True, label="Telephone Directory", server=srv.address, port=srv.port,
                  base=srv.base, user=srv.phone_dn, password=srv.phone_password)
    values.update(changes)
    return LdapSettings(**values)


def directory(srv: LdapServer, ca_pem: bytes | None = None, /, **changes) -> LdapDirectory:
    return LdapDirectory(make_settings(srv, **changes), ca_pem)


def people(server: LdapServer, phonebooks=("Sales", "Engineering")):
    return [p for p in server.people if p.phonebook in phonebooks]


def new_searches(server: LdapServer, before: int):
    return server.searches()[before:]


def closed_port() -> int:
    """A loopback port nothing listens on (bound and released, so no one else holds it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# -- filters (REQ-LDAP-07, -10, -11, -12) -----------------------------------------------------
def test_name_filter_puts_the_typed_text_first_as_a_prefix(server):
    before = len(server.searches())
    d = directory(server)
    found = d.search("Ja")
    expected = sorted(p.given_name for p in people(server) if p.cn.startswith("Ja"))
    assert sorted(e.name for e in found) == expected == ["Jack", "James", "Jane", "Janet", "Jason"]
    assert d.last_filter == "(|(CallerIDName=Ja*)(AccountNumber=Ja*))"
    sent = new_searches(server, before)    # slapd logs the filter normalised (case-folded)
    assert [s.filter.lower() for s in sent] == [d.last_filter.lower()]
    assert sent[0].base == server.base and sent[0].scope == 2


def test_number_filter_finds_by_extension_prefix(server):
    found = directory(server).search("101")
    assert sorted(e.number for e in found) == [str(n) for n in range(1010, 1020)]


def test_mobile_number_search_with_an_or_filter(server):
    d = directory(server, number_filter="(|(AccountNumber=%)(MobileNumber=%))")
    found = d.search("1380013000")
    expected = {p.given_name for p in people(server) if p.mobile.startswith("1380013000")}
    assert {e.name for e in found} == expected and len(expected) == 8   # serials 1-9, one has no mobile


def test_star_in_the_filter_matches_any_characters(server):
    before = len(server.searches())
    found = directory(server, name_filter="(CallerIDName=J*%)", display_name="%CallerIDName").search("son")
    expected = sorted(p.cn for p in people(server) if re.fullmatch(r"J.*son.*", p.cn, re.IGNORECASE))
    assert sorted(e.name for e in found) == expected == ["Jack Wilson", "Jason Brown"]
    assert new_searches(server, before)[0].filter.lower() == "(|(calleridname=j*son*)(accountnumber=son*))"


def test_contains_search_with_stars_around_the_percent(server):
    found = directory(server, name_filter="(cn=*%*)", display_name="%cn").search("mar")
    expected = sorted(p.cn for p in people(server) if "mar" in p.cn.lower())
    assert sorted(e.name for e in found) == expected and len(expected) >= 3


def test_a_star_the_user_types_is_matched_literally(server):
    before = len(server.searches())
    assert directory(server).search("J*") == []
    # "?": slapd drops the number half, a '*' being no valid character of a telephone number
    assert new_searches(server, before)[0].filter.lower() == r"(|(calleridname=j\2a*)(?accountnumber=j\2a*))"


def test_filter_expansion_rules():
    assert expand_filter("(CallerIDName=%)", "J") == "(CallerIDName=J*)"
    assert expand_filter("(cn=*%*)", "an") == "(cn=*an*)"
    assert expand_filter("(cn=%)", "") == "(cn=*)"
    assert expand_filter("(cn=%)", "a(b)") == r"(cn=a\28b\29*)"


def test_only_what_the_server_returns_is_listed(server):
    assert directory(server).search("Zz") == []


# -- max hits (REQ-LDAP-18) --------------------------------------------------------------------
def test_max_hits_of_one_returns_one_entry(server):
    assert len(directory(server, max_hits=1).search("Bulk")) == 1


def test_max_hits_of_1000_stops_at_1000_of_1005(server):
    found = directory(server, max_hits=1000, display_name="%CallerIDName").search("Bulk")
    assert len(found) == 1000
    assert len({e.dn for e in found}) == 1000


def test_max_hits_example_50(server):
    assert len(directory(server).search("")) == 50


@pytest.mark.parametrize("value", [0, 1001, -1, True, "50", 50.0])
def test_max_hits_outside_1_to_1000_is_refused(server, value):
    with pytest.raises(LdapSettingsError) as err:
        make_settings(server, max_hits=value)
    assert err.value.field == "max_hits"
    assert "max_hits" in str(err.value) and "1 to 1000" in str(err.value)


# -- attributes and display name (REQ-LDAP-19, -20, -21) ----------------------------------------
def test_number_attributes_become_dialable_numbers_in_setting_order(server):
    before = len(server.searches())
    d = directory(server, number_attributes="ipPhone mobile telephoneNumber Fax")
    found = {e.dn: e for e in d.search("Ja")}
    james = next(p for p in server.people if p.uid == "james.smith")
    jack = next(p for p in server.people if p.uid == "jack.wilson")
    assert found[james.dn(server.base)].numbers == (
        ("ipPhone", james.extension), ("mobile", james.mobile),
        ("telephoneNumber", james.office[0]), ("telephoneNumber", james.office[1]), ("Fax", james.fax))
    assert jack.mobile == "" and found[jack.dn(server.base)].dialable == [jack.extension, jack.office[0]]
    asked = new_searches(server, before)[0].attributes
    for name in ("CallerIDName", "Email", "Department", "FirstName", "LastName",
                 "ipPhone", "mobile", "telephoneNumber", "Fax"):
        assert name in asked


def test_name_attributes_are_requested_and_kept_as_details(server):
    before = len(server.searches())
    found = directory(server, name_attributes="cn mail ou").search("Jane")
    jane = next(e for e in found if e.name == "Jane")
    assert jane.details == (("cn", "Jane Doe"), ("mail", "jane.doe@h680.test"), ("ou", "Sales"))
    assert new_searches(server, before)[0].attributes[:3] == ["cn", "mail", "ou"]


@pytest.mark.parametrize("display, expected", [
    ("%FirstName", "Jane"),
    ("%cn", "Jane Doe"),
    ("%givenName %sn", "Jane Doe"),
    ("%sn, %givenName (%ou)", "Doe, Jane (Sales)"),
    ("%title", "Jane Doe"),          # absent attribute: first name attribute (CallerIDName)
])
def test_display_name(server, display, expected):
    found = directory(server, display_name=display).search("Jane")
    assert [e.name for e in found if e.dn.startswith("uid=jane.doe,")] == [expected]


@pytest.mark.parametrize("value", ["FirstName", "cn", "", " %cn", "%", "%1abc"])
def test_display_name_must_start_with_percent_and_an_attribute(server, value):
    with pytest.raises(LdapSettingsError, match="display_name"):
        make_settings(server, display_name=value)


# -- sorting (REQ-LDAP-25) ---------------------------------------------------------------------
def test_sorting_on_lists_alphabetically(server):
    names = [e.name for e in directory(server, sort_results=True).search("J")]
    assert names == sorted(names, key=str.casefold) and len(names) == 8


def test_sorting_off_keeps_the_server_order(server):
    names = [e.name for e in directory(server, sort_results=False).search("J")]
    load_order = [p.given_name for p in people(server) if p.cn.startswith("J")]
    assert names == load_order != sorted(load_order)


def test_sort_compares_digit_runs_as_numbers():
    entries = [LdapEntry(dn=f"n{i}", name=name) for i, name in enumerate(["Ext 10", "ext 9", "Ext 100", "Alpha"])]
    assert [e.name for e in sorted(entries, key=sort_key)] == ["Alpha", "ext 9", "Ext 10", "Ext 100"]


# -- base (REQ-LDAP-16) and bind (REQ-LDAP-17) ---------------------------------------------------
def test_a_phonebook_base_searches_only_that_phonebook(server):
    everywhere = directory(server).search("J")
    sales = directory(server, base=server.phonebook_dn("Sales")).search("J")
    assert {e.dn.split(",")[1] for e in everywhere} == {"ou=Sales", "ou=Engineering"}
    assert {e.dn.split(",")[1] for e in sales} == {"ou=Sales"}
    assert {e.name for e in sales} == {p.given_name for p in people(server, ["Sales"]) if p.cn.startswith("J")}


def test_the_configured_user_is_used_to_bind(server):
    directory(server).search("Jo")
    assert (server.binds()[-1][1]) == server.phone_dn


def test_a_wrong_password_is_a_bind_error(server):
    with pytest.raises(LdapError) as err:
        directory(server, password="wrong").search("Jo")
    assert err.value.kind == "bind" and "invalidCredentials" in str(err.value)


def test_anonymous_bind_cannot_read_this_directory(server):
    with pytest.raises(LdapError) as err:
        directory(server, user="", password="").search("Jo")
    assert err.value.kind == "search" and "insufficientAccessRights" in str(err.value)


# -- transports and trust (REQ-LDAP-13) ----------------------------------------------------------
@pytest.mark.parametrize("transport", ["LDAP", "StartTLS", "LDAPS"])
def test_each_transport_finds_the_same_people_with_the_ca_trusted(server, transport):
    port = server.tls_port if transport == "LDAPS" else server.port
    mark = server.log_mark()
    found = directory(server, server.ca_pem, transport=transport, port=port).search("Jo")
    assert sorted(e.name for e in found) == ["Joan", "John", "Johnny"]
    log = "\n".join(server.lines_since(mark))
    assert ("EXT oid=1.3.6.1.4.1.1466.20037" in log) == (transport == "StartTLS")
    assert ("TLS established" in log) == (transport != "LDAP")
    ssf = int(re.search(r"mech=SIMPLE bind_ssf=\d+ ssf=(\d+)", log).group(1))   # slapd's security strength
    assert (ssf > 0) == (transport != "LDAP")


@pytest.mark.parametrize("transport", ["StartTLS", "LDAPS"])
def test_a_server_whose_ca_is_not_trusted_is_refused(server, transport, tmp_path):
    port = server.tls_port if transport == "LDAPS" else server.port
    other_ca, _ = generate_ca(tmp_path, "some other CA")
    for ca in (None, other_ca.read_bytes()):
        mark = server.log_mark()
        with pytest.raises(LdapError) as err:
            directory(server, ca, transport=transport, port=port).search("Jo")
        assert err.value.kind == "untrusted"
        assert "not trusted" in str(err.value) and f"127.0.0.1:{port}" in str(err.value)
        assert "SRCH" not in "\n".join(server.lines_since(mark))   # nothing was asked


def test_a_certificate_that_does_not_name_the_server_is_refused():
    with LdapServer(address="127.0.0.1", cert_names=("ldap.elsewhere.test", "localhost")) as other:
        for transport, port in (("StartTLS", other.port), ("LDAPS", other.tls_port)):
            with pytest.raises(LdapError) as err:
                directory(other, other.ca_pem, transport=transport, port=port).search("Jo")
            assert err.value.kind == "untrusted"
            assert "not trusted" in str(err.value) and "does not name 127.0.0.1" in str(err.value)
        # the same server reached by a name its certificate carries is accepted
        found = directory(other, other.ca_pem, transport="LDAPS", port=other.tls_port,
                          server="localhost").search("Jo")
        assert sorted(e.name for e in found) == ["Joan", "John", "Johnny"]


@pytest.mark.parametrize("transport", ["LDAP", "StartTLS", "LDAPS"])
def test_a_server_that_is_down_is_named(server, transport):
    port = closed_port()
    with pytest.raises(LdapError) as err:
        directory(server, server.ca_pem, transport=transport, port=port).search("Jo")
    assert err.value.kind == "unreachable"
    assert f"127.0.0.1:{port}" in str(err.value) and err.value.server == f"127.0.0.1:{port}"


# -- protocol version on the wire (REQ-LDAP-01, -22) -------------------------------------------------
class BindVersionRelay:
    """A loopback TCP relay to the server that reads the LDAP version out of the first BindRequest."""

    def __init__(self, upstream: tuple[str, int]):
        self.upstream = upstream
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.client_bytes = b""
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        self.listener.settimeout(5)
        try:
            client, _ = self.listener.accept()
        except OSError:
            return
        with client, socket.create_connection(self.upstream, timeout=5) as up:
            pair = {client: up, up: client}
            while True:
                ready, _, _ = select.select(list(pair), [], [], 5)
                if not ready:
                    return
                for sock in ready:
                    data = sock.recv(65536)
                    if not data:
                        return
                    if sock is client:
                        self.client_bytes += data
                    pair[sock].sendall(data)

    def close(self) -> None:
        self.listener.close()
        self.thread.join(5)
        assert not self.thread.is_alive(), "relay thread did not stop"

    def bind_version(self) -> int:
        data, i = self.client_bytes, 0

        def length(i: int) -> tuple[int, int]:
            first = data[i]
            if first < 0x80:
                return first, i + 1
            n = first & 0x7F
            return int.from_bytes(data[i + 1:i + 1 + n], "big"), i + 1 + n

        assert data[0] == 0x30, "not an LDAPMessage"
        _, i = length(1)
        assert data[i] == 0x02, "no messageID"
        size, i = length(i + 1)
        i += size
        assert data[i] == 0x60, f"first request is not a BindRequest (tag {data[i]:#x})"
        _, i = length(i + 1)
        assert data[i:i + 2] == b"\x02\x01"
        return data[i + 2]


@pytest.mark.parametrize("version", [2, 3])
def test_the_configured_protocol_version_is_sent_and_accepted(server, version):
    relay = BindVersionRelay((server.address, server.port))
    try:
        found = directory(server, version=version, port=relay.port).search("Jo")
    finally:
        relay.close()
    assert relay.bind_version() == version
    assert sorted(e.name for e in found) == ["Joan", "John", "Johnny"]


def test_version_2_over_ldaps(server):
    found = directory(server, server.ca_pem, version=2, transport="LDAPS", port=server.tls_port).search("Jo")
    assert len(found) == 3


# -- Chinese names ---------------------------------------------------------------------------
def test_chinese_family_name_prefix(server):
    before = len(server.searches())
    found = directory(server, display_name="%CallerIDName").search("张")
    assert sorted(e.name for e in found) == sorted(["张伟", "张敏", "张静"])
    # slapd marks the number half undefined ("?"): 张 is no valid character of a telephone number
    assert new_searches(server, before)[0].text == "(|(CallerIDName=张*)(?AccountNumber=张*))"


def test_chinese_display_from_two_attributes(server):
    found = directory(server, display_name="%LastName%FirstName").search("王")
    assert sorted(e.name for e in found) == sorted(["王芳", "王磊"])
    assert [e.name for e in directory(server, display_name="%FirstName").search("王磊")] == ["磊"]


def test_incoming_chinese_caller_gets_the_chinese_name(server):
    zhao = next(p for p in server.people if p.cn == "赵丽")
    assert directory(server, display_name="%cn").lookup_number(zhao.extension) == "赵丽"


# -- incoming and outgoing lookups, enable (REQ-LDAP-05, -08, -23, -24) -------------------------
def test_incoming_lookup_names_the_caller_only_on_an_exact_number(server):
    d = directory(server, display_name="%cn", number_filter="(|(AccountNumber=%)(MobileNumber=%))")
    jane = next(p for p in server.people if p.uid == "jane.doe")
    assert d.lookup_number(jane.extension) == "Jane Doe"
    assert d.lookup_number(jane.mobile) == "Jane Doe"
    assert d.lookup_number("100") is None          # a prefix of 1001… is nobody's number
    assert d.lookup_number("99999") is None


def test_incoming_lookup_off_sends_nothing(server):
    before = len(server.searches())
    assert directory(server, match_incoming=False).lookup_number("1001") is None
    assert new_searches(server, before) == []


def test_dial_search_follows_the_call_out_setting(server):
    before = len(server.searches())
    assert directory(server, search_while_dialing=False).dial_search("Ja") == []
    assert new_searches(server, before) == []
    assert len(directory(server, search_while_dialing=True).dial_search("Ja")) == 5


def test_ldap_disabled_sends_no_query(server):
    before = len(server.searches())
    d = directory(server, enabled=False)
    with pytest.raises(LdapError) as err:
        d.search("Ja")
    assert err.value.kind == "disabled"
    assert d.dial_search("Ja") == [] and d.lookup_number("1001") is None
    assert new_searches(server, before) == []


# -- read-only (REQ-LDAP-03) -------------------------------------------------------------------
def test_results_are_read_only(server):
    entry = directory(server).search("Jane")[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        entry.name = "changed"
    assert not any(hasattr(LdapDirectory, name) for name in ("add", "modify", "delete", "update"))


# -- settings validation -------------------------------------------------------------------------
@pytest.mark.parametrize("field, value", [
    ("name_filter", "(cn=x)"),              # no %
    ("name_filter", "(cn=%"),               # unbalanced
    ("number_filter", "AccountNumber=%"),   # no parentheses
    ("transport", "TLS"),
    ("version", 1), ("version", 4),
    ("port", 0), ("port", 65536),
    ("server", "bad host!"),
    ("base", ""), ("base", "not a dn"),
    ("label", ""),
    ("name_attributes", ""), ("number_attributes", "Mobile,Home"),
    ("enabled", "yes"), ("sort_results", 1),
])
def test_a_bad_setting_names_its_field(server, field, value):
    with pytest.raises(LdapSettingsError) as err:
        make_settings(server, **{field: value})
    assert err.value.field == field and f"LDAP setting {field}:" in str(err.value)
    assert "allowed:" in str(err.value)


def test_starttls_needs_version_3(server):
    with pytest.raises(LdapSettingsError, match="transport.*version 3"):
        make_settings(server, transport="StartTLS", version=2)


def test_a_password_without_a_user_is_refused(server):
    with pytest.raises(LdapSettingsError, match="password"):
        make_settings(server, user="", password="secret")


def test_the_manual_examples_are_valid_settings():
    s = LdapSettings(enabled=True, label="Telephone Directory", server="192.168.17.30")
    assert (s.name_filter, s.number_filter, s.port, s.base, s.max_hits, s.display_name, s.version) == \
        ("(CallerIDName=%)", "(AccountNumber=%)", 389, "dc=pbx,dc=com", 50, "%FirstName", 3)
    assert s.number_attribute_list == ["AccountNumber", "MobileNumber", "HomeNumber", "Fax"]


# -- the server driver itself ---------------------------------------------------------------------
def test_the_server_is_stopped_by_its_pid_and_cleans_up():
    with LdapServer(address="127.0.0.1") as srv:
        pid, run_dir = srv.pid, srv.run_dir
        assert pid and b"BEGIN CERTIFICATE" in srv.ca_pem
    assert srv.pid is None and not Path(run_dir).exists()
    try:
        os.kill(pid, 0)
        gone = Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"
    except (ProcessLookupError, FileNotFoundError):
        gone = True
    assert gone


def test_a_taken_port_is_a_lab_error(server):
    with pytest.raises(LabError) as err:
        LdapServer(address="127.0.0.1", port=server.port).start()
    assert err.value.part == "ldap-server" and str(server.port) in str(err.value)


def test_a_slapd_that_does_not_come_up_is_a_lab_error_with_its_log():
    class KeyLost(LdapServer):
        """A bench whose server key went missing: slapd refuses to start its TLS."""

        def _prepare(self):
            super()._prepare()
            (self.run_dir / "tls" / "server.key").unlink()

    srv = KeyLost(address="127.0.0.1")
    with pytest.raises(LabError) as err:
        srv.start()
    assert err.value.part == "ldap-server"
    assert "did not start" in str(err.value) and "server.key" in str(err.value)   # the log's tail
    assert srv.pid is None and srv.run_dir is None


# -- the phone's trust store (an ssl.SSLContext, as HTTPS uses: reference_impl/trust.py) ----------
@pytest.mark.parametrize("transport", ["StartTLS", "LDAPS"])
def test_the_phones_tls_context_decides_trust(server, transport, tmp_path):
    from reference_impl.trust import TrustSettings, client_context, store
    port = server.tls_port if transport == "LDAPS" else server.port
    settings = make_settings(server, transport=transport, port=port)
    strict = TrustSettings(only_trusted=True, check_name=True, ca_set="Custom")
    with pytest.raises(LdapError) as refused:   # nothing uploaded yet
        LdapDirectory(settings, tls_context=client_context(strict, tmp_path)).search("Jo")
    assert refused.value.kind == "untrusted"
    store(tmp_path, "ldap-ca.pem", server.ca_pem.decode())
    found = LdapDirectory(settings, tls_context=client_context(strict, tmp_path),
                          source_address="127.0.0.1").search("Jo")
    assert found
    lax = TrustSettings(only_trusted=False, check_name=False, ca_set="Custom")   # accepts any certificate
    assert LdapDirectory(settings, tls_context=client_context(lax, tmp_path / "none")).search("Jo")
