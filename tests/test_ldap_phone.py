"""The phone's LDAP settings: schema keys map onto LdapSettings and its refusals reach the user."""
from __future__ import annotations

import pytest

from reference_impl.cfg_file import CfgError, parse_cfg
from reference_impl.ldap_directory import LdapSettings
from reference_impl.ldap_phone import FIELDS, config_problems, settings_from
from reference_impl.schema import SCHEMA, defaults, validate_all


def test_every_row_of_the_manuals_table_has_a_web_and_cfg_key_and_none_on_the_phone():
    assert set(FIELDS.values()) == {f for f in LdapSettings.__dataclass_fields__}
    for key in FIELDS:
        assert SCHEMA[key].where == frozenset({"web", "cfg"}), key   # REQ-MTX-10: web-only


def test_factory_values_are_ldapsettings_defaults():
    assert settings_from(defaults()) == LdapSettings()


@pytest.mark.parametrize("hits, ok", [(1, True), (1000, True), (0, False), (1001, False)])
def test_max_hits_limits(hits, ok):
    problems = validate_all({**defaults(), "ldap.max_hits": hits})
    assert (problems == []) is ok
    if not ok:
        assert problems == [f"ldap.max_hits: {hits} is not allowed (allowed: a whole number from 1 to 1000)"]


def test_starttls_with_version_2_names_both_keys():
    [(keys, message)] = config_problems({**defaults(), "ldap.transport": "StartTLS", "ldap.version": "2"})
    assert keys == ("ldap.transport", "ldap.version") and "version 3" in message


def test_a_password_is_never_echoed():
    [(_, message)] = config_problems({**defaults(), "ldap.password": "secret"})
    assert "secret" not in message and "ldap.password" in message


def test_a_cfg_file_is_refused_at_the_line_of_the_bad_ldap_value():
    with pytest.raises(CfgError) as info:
        parse_cfg("ldap.enable = 1\nldap.display_name = FirstName\n", source="x.cfg", where="cfg",
                  base=defaults())
    text = "; ".join(str(p) for p in info.value.problems)
    assert "line 2" in text and "ldap.display_name" in text and "starting with %" in text
