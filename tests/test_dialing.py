"""Chapter 4 glue of the reference phone: dial plan as a setting, keypad-lock keys (no phone process)."""
from __future__ import annotations

import json

import pytest

from reference_impl.cfg_file import CfgError, export_cfg, parse_cfg
from reference_impl.dial_plan import DialPlan
from reference_impl.dialing import customization_problems, emergency_numbers, plan_from_text, plan_to_text
from reference_impl.keypad_lock import ALL_KEYS_ACTIVE, FUNCTION_KEYS
from reference_impl.schema import SCHEMA, defaults, validate_all


def _plan() -> DialPlan:
    plan = DialPlan()
    plan.add_replace_rule("1", "10086")
    plan.add_dial_now_rule("xxxxx", 2)
    plan.add_block_out("110")
    plan.set_area_code("0757")
    plan.dial_now_delay = 0
    return plan


def test_the_plan_goes_through_a_cfg_file_unchanged() -> None:
    config = {**defaults(), "dialplan.rules": plan_to_text(_plan())}
    text = export_cfg(config)
    parsed = parse_cfg(text, source="x.cfg", where="cfg")
    assert plan_from_text(parsed["dialplan.rules"]) == _plan()
    assert plan_from_text(parsed["dialplan.rules"]).process("12345", 1).number == "075712345"


def test_a_cfg_file_with_a_101st_replace_rule_is_refused_naming_the_line() -> None:
    rules = [{"prefix": f"9{i:03d}", "replace": "1"} for i in range(101)]
    text = f"phone.language = English\ndialplan.rules = {json.dumps({'replace_rules': rules})}\n"
    with pytest.raises(CfgError) as info:
        parse_cfg(text, source="x.cfg", where="cfg")
    assert "line 2" in str(info.value) and "a 101st is refused (allowed: at most 100)" in str(info.value)


def test_the_stored_plan_is_a_copy_safe_cache() -> None:
    text = plan_to_text(_plan())
    assert plan_from_text(text) is plan_from_text(text)
    assert plan_from_text("") == DialPlan()


@pytest.mark.parametrize("key, value, words", [
    ("dialplan.rules", "{bad", "is not JSON"),
    ("keypad_lock.emergency", "112,abc", "'abc' is not a number"),
    ("keypad_lock.emergency", "1,2,3,4,5,6", "6 numbers (allowed: at most 5)"),
    ("keypad_lock.pin", "", "may not be empty"),
])
def test_bad_chapter4_values_are_refused_clearly(key: str, value: str, words: str) -> None:
    problems = validate_all({**defaults(), key: value})
    assert any(words in p and key in p for p in problems), problems


def test_factory_values() -> None:
    d = defaults()
    assert d["phone.call_out_key"] == "#" and SCHEMA["phone.call_out_key"].choices == ("#", "*", "Disabled")
    assert d["keypad_lock.pin"] == "admin" and not d["keypad_lock.enable"]
    assert (SCHEMA["keypad_lock.auto_lock_time"].minimum, SCHEMA["keypad_lock.auto_lock_time"].maximum) == (0, 3600)
    assert plan_from_text(d["dialplan.rules"]).dial_now_delay == 2
    assert customization_problems(d) == []
    assert emergency_numbers({"keypad_lock.emergency": " 112, 2001 ,"}) == ["112", "2001"]


def test_lock_types_keep_the_keys_the_manual_names() -> None:
    assert {"UP", "DOWN", "LEFT", "RIGHT", "OK", "MESSAGE", "TRANSFER", "SOFT_LEFT", "SOFT_RIGHT"} == FUNCTION_KEYS
    assert set("0123456789*#") | {"SPEAKER", "VOL_UP", "VOL_DOWN"} == ALL_KEYS_ACTIVE
