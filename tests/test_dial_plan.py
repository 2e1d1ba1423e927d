"""Dial plan (manual §4.7, REQ-DIAL-01..33): pattern syntax, the four rule types, limits, storage form.

Example tests pin the manual's examples and every limit (at the limit and one
past it).  Property tests (hypothesis) check the syntax against an independent
oracle: patterns are generated together with a Python regular expression of
the same language and with strings taken from that language.
"""
from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from reference_impl.dial_plan import (ALL, DEFAULT_DIAL_NOW_DELAY, MAX_BLOCK_OUT, MAX_DIAL_NOW_RULES,
                                      MAX_REPLACE_RULES, AreaCode, BlockOutRule, DialNowRule, DialOutcome,
                                      DialPlan, DialPlanError, ReplaceRule, check_account, check_area_code,
                                      check_delay, check_line, check_number_length, check_pattern,
                                      check_replacement, compile_pattern)

# No example database: nothing may be written into the repository.  Each property
# stays well under ~1.5 s on this machine.
PROPERTY = settings(max_examples=200, database=None, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

DIGITS = "0123456789"

# Hypothesis's pytest plugin writes a cache (./.hypothesis/constants) while collecting,
# even with no example database, i.e. before any fixture could run.  Unless the user
# chose a place (HYPOTHESIS_STORAGE_DIRECTORY), keep it out of the repository: one
# fixed directory under the system temp dir, reused from run to run.
if not os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
    set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "h680-hil-hypothesis")


# --- syntax: the manual's examples (§4.7.1) ---------------------------------------------------

@pytest.mark.parametrize("pattern, matching, not_matching", [
    # REQ-DIAL-01 / -02: "." is any number of further digits, none included (our reading)
    ("78.", ["786", "7856", "78911", "7857713", "78"], ["7", "79", "786*", "87", "7#"]),
    # REQ-DIAL-03: x is exactly one digit, 0 included
    ("78x", ["780", "781", "785", "789"], ["78", "7812", "78*", "78a"]),
    # REQ-DIAL-04
    ("[7-9]", ["7", "8", "9"], ["6", "0", "77", "", "-"]),
    # REQ-DIAL-05
    ("12[7-9]45", ["12745", "12845", "12945"], ["12645", "12045", "1245", "127945"]),
    # REQ-DIAL-06
    ("([1-2][7-8])", ["17", "27", "18", "28"], ["37", "19", "1", "178"]),
    # lists and mixed sets, literals, groups without effect, "." in the middle
    ("[135]", ["1", "3", "5"], ["2", "4", "13"]),
    ("[1-35]", ["1", "2", "3", "5"], ["4", "6"]),
    ("*72x.", ["*720", "*7212345"], ["*72", "#720", "720"]),
    ("+86.", ["+86", "+8613800138000"], ["86", "0086"]),
    ("0.#", ["0#", "0123#"], ["0123", "0#1"]),
    ("(1(2)3)", ["123"], ["12", "1234"]),
    ("[1-2][7-8]", ["17", "28"], ["11"]),
    (".", ["", "0", "0123456789"], ["*", "1#"]),
])
def test_manual_syntax_examples(pattern: str, matching: list[str], not_matching: list[str]) -> None:
    compiled = compile_pattern(pattern)
    for number in matching:
        assert compiled.matches(number), f"{pattern} should match {number}"
        assert compiled.could_match(number)
    for number in not_matching:
        assert not compiled.matches(number), f"{pattern} should not match {number}"


def test_could_match_tells_whether_more_digits_can_still_match() -> None:
    five = compile_pattern("1xxxx")
    assert five.could_match("") and five.could_match("1") and five.could_match("1008")
    assert five.could_match("10086")                         # a match is also a possible match
    assert not five.could_match("2") and not five.could_match("100867")
    assert compile_pattern("0.").could_match("0123456789012345")


@pytest.mark.parametrize("pattern, position, fragment", [
    ("", None, "is empty"),
    ("12[7-9", 3, "'[' at position 3 that is never closed"),
    ("127-9]", 4, "'-' at position 4"),
    ("12]", 3, "']' at position 3 with no '['"),
    ("1[]2", 2, "empty set '[]' at position 2"),
    ("12[9-7]45", 4, "reversed range 9-7 at position 4"),
    ("[7-]", 2, "range '7-' at position 2 with no digit after"),
    ("[7-", 2, "range '7-' at position 2"),
    ("[-7]", 2, "'-' at position 2 without a digit before it"),
    ("[1[2]]", 3, "inside the set opened at position 1"),
    ("[1a]", 3, "'a' at position 3 inside [ ]"),
    ("[*]", 2, "'*' at position 2 inside [ ]"),
    ("(12", 1, "'(' at position 1 that is never closed"),
    ("((12)", 1, "'(' at position 1 that is never closed"),
    ("12)", 3, "')' at position 3 with no '('"),
    ("1()2", 2, "empty group '()' at position 2"),
    ("1X", 2, "lower-case x"),
    ("1 2", 2, "a space at position 2"),
    ("12a", 3, "'a' at position 3, which is not allowed"),
])
def test_malformed_patterns_are_refused_with_their_position(pattern: str, position: int | None,
                                                            fragment: str) -> None:
    with pytest.raises(DialPlanError) as caught:
        compile_pattern(pattern)
    error = caught.value
    assert error.position == position
    assert fragment in str(error)
    assert str(error).startswith("pattern: ")
    if pattern:
        assert repr(pattern) in str(error)                    # the message quotes the pattern


def test_field_name_is_in_every_pattern_refusal() -> None:
    with pytest.raises(DialPlanError, match=r"^blocked number: '1\[' has '\[' at position 2"):
        BlockOutRule("1[")
    with pytest.raises(DialPlanError, match=r"^dial-now rule: "):
        DialNowRule("xxxxX")
    with pytest.raises(DialPlanError, match=r"^replace-rule prefix: is empty"):
        ReplaceRule("  ", "10086")
    with pytest.raises(DialPlanError, match="is not text"):
        compile_pattern(123)  # type: ignore[arg-type]


def test_rule_fields_drop_surrounding_spaces() -> None:
    assert check_pattern("  1xxxx ").text == "1xxxx"
    assert DialNowRule(" xxxxx ").rule == "xxxxx"


# --- syntax: properties -------------------------------------------------------------------------

@st.composite
def pattern_parts(draw, depth: int = 0):
    """(pattern text, equivalent Python regex, a string of its language) for a random pattern."""
    text, regex, sample = [], [], []
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["lit", "lit", "x", "dot", "set", "group"] if depth < 2 else
                                    ["lit", "x", "dot", "set"]))
        if kind == "lit":
            ch = draw(st.sampled_from(DIGITS + "*#+"))
            text.append(ch), regex.append(re.escape(ch)), sample.append(ch)
        elif kind == "x":
            text.append("x"), regex.append("[0-9]"), sample.append(draw(st.sampled_from(DIGITS)))
        elif kind == "dot":
            text.append("."), regex.append("[0-9]*")
            sample.append(draw(st.text(alphabet=DIGITS, max_size=4)))
        elif kind == "set":
            members: set[str] = set()
            written = []
            for _ in range(draw(st.integers(1, 3))):
                low, high = sorted(draw(st.lists(st.sampled_from(DIGITS), min_size=2, max_size=2)))
                written.append(low if low == high and draw(st.booleans()) else f"{low}-{high}")
                members.update(d for d in DIGITS if low <= d <= high)
            text.append("[" + "".join(written) + "]")
            regex.append("[" + "".join(sorted(members)) + "]")
            sample.append(draw(st.sampled_from(sorted(members))))
        else:
            inner_text, inner_regex, inner_sample = draw(pattern_parts(depth + 1))
            text.append(f"({inner_text})"), regex.append(f"(?:{inner_regex})"), sample.append(inner_sample)
    return "".join(text), "".join(regex), "".join(sample)


@PROPERTY
@given(pattern_parts())
def test_every_string_of_a_patterns_language_matches_it(parts) -> None:
    text, regex, sample = parts
    assert re.fullmatch(regex, sample)                         # the oracle agrees the sample is in
    assert compile_pattern(text).matches(sample)


@PROPERTY
@given(pattern_parts(), st.text(alphabet=DIGITS + "*#+xa-", max_size=10))
def test_matching_agrees_with_a_regex_oracle(parts, number: str) -> None:
    text, regex, _ = parts
    assert compile_pattern(text).matches(number) == bool(re.fullmatch(regex, number))


@PROPERTY
@given(pattern_parts())
def test_every_prefix_of_a_match_could_match(parts) -> None:
    text, _, sample = parts
    compiled = compile_pattern(text)
    for end in range(len(sample) + 1):
        assert compiled.could_match(sample[:end]), f"{text}: prefix {sample[:end]!r} of {sample!r}"


@PROPERTY
@given(pattern_parts(), st.text(alphabet=DIGITS + "*#", max_size=6), st.text(alphabet=DIGITS + "*#", max_size=6))
def test_a_dead_prefix_never_grows_into_a_match(parts, prefix: str, more: str) -> None:
    compiled = compile_pattern(parts[0])
    if not compiled.could_match(prefix):
        assert not compiled.matches(prefix + more)
    if compiled.matches(prefix):
        assert compiled.could_match(prefix)


@settings(PROPERTY, max_examples=120)
@given(st.text(min_size=1, max_size=8))
def test_x_never_matches_a_non_digit(number: str) -> None:
    only_ascii_digits = all(ch in DIGITS for ch in number)     # "٣" or "５" are not keypad digits
    assert compile_pattern("x" * len(number)).matches(number) == only_ascii_digits
    assert compile_pattern(".").matches(number) == only_ascii_digits


@PROPERTY
@given(st.sampled_from(DIGITS), st.sampled_from(DIGITS), st.characters())
def test_a_range_matches_exactly_its_digits(a: str, b: str, ch: str) -> None:
    low, high = min(a, b), max(a, b)
    compiled = compile_pattern(f"[{low}-{high}]")
    assert compiled.matches(ch) == (ch in DIGITS and low <= ch <= high)
    assert [d for d in DIGITS if compiled.matches(d)] == [d for d in DIGITS if low <= d <= high]
    assert not compiled.matches(low + low)
    if low != high:
        with pytest.raises(DialPlanError, match=f"reversed range {high}-{low} at position 2"):
            compile_pattern(f"[{high}-{low}]")


@PROPERTY
@given(st.one_of(st.text(max_size=12), st.text(alphabet="0123456789x.[]()-*#+X a", max_size=12)))
def test_compile_raises_only_dial_plan_errors(text: str) -> None:
    try:
        compiled = compile_pattern(text)
    except DialPlanError as error:
        assert error.position is None or 1 <= error.position <= len(text)
        assert str(error).startswith("pattern: ")
    else:
        assert compiled.text == text
        compiled.matches(text), compiled.could_match(text)    # usable on any text, never raises


# --- replace rules (§4.7.2.1) -------------------------------------------------------------------

def test_manual_replace_example_1_becomes_10086() -> None:        # REQ-DIAL-10
    plan = DialPlan()
    plan.add_replace_rule("1", "10086")
    assert plan.process("1", 1) == DialOutcome("10086", False, "replace rule #1 '1' -> '10086' (account all)")
    assert plan.process("1", 2).number == "10086"


def test_replace_prefix_matches_the_whole_number_not_its_start() -> None:
    plan = DialPlan()
    plan.add_replace_rule("1", "10086")
    assert plan.process("13800138000", 1) == DialOutcome("13800138000", False, None)
    assert plan.process("10086", 1).number == "10086"            # never applied twice


def test_a_trailing_dot_keeps_the_digits_it_took() -> None:
    plan = DialPlan()
    plan.add_replace_rule("0.", "9")
    plan.add_replace_rule("1x.", "55")
    assert plan.process("0123", 1).number == "9123"
    assert plan.process("0", 1).number == "9"
    assert plan.process("1234", 1).number == "5534"
    whole = DialPlan()
    whole.add_replace_rule("8x", "10086")                        # no trailing dot: the whole number goes
    assert whole.process("85", 1).number == "10086"


def test_replace_rule_can_expand_a_short_code_into_an_ip_address() -> None:   # REQ-DIAL-11
    plan = DialPlan()
    plan.add_replace_rule("*1", "192.168.1.20")
    plan.add_replace_rule("*2", "8001@192.168.1.21:5060")
    assert plan.process("*1", 1).number == "192.168.1.20"
    assert plan.process("*2", 1).number == "8001@192.168.1.21:5060"


def test_replace_rule_account_and_first_match_wins() -> None:       # REQ-DIAL-09 / -12
    plan = DialPlan()
    plan.add_replace_rule("5", "2001", account=2)
    plan.add_replace_rule("5", "1001", account="all")
    plan.add_replace_rule("x", "3001", account=1)
    assert plan.process("5", 2).number == "2001"
    assert plan.process("5", 1).number == "1001"                 # rule 1 is for line 2 only
    assert plan.process("5", 1).rule == "replace rule #2 '5' -> '1001' (account all)"
    assert plan.process("6", 1).number == "3001"
    assert plan.process("6", 2).number == "6"


def test_replace_rules_edit_and_delete() -> None:                  # REQ-DIAL-13 / -14
    plan = DialPlan()
    plan.add_replace_rule("1", "10086")
    plan.add_replace_rule("2", "10010")
    plan.add_replace_rule("3", "10000")
    plan.edit_replace_rule(0, "1", "12345", account=1)
    assert plan.process("1", 1).number == "12345"
    assert plan.process("1", 2).number == "1"
    plan.delete_replace_rules([0, 2])
    assert [r.prefix for r in plan.replace_rules] == ["2"]
    with pytest.raises(DialPlanError, match=r"^replace rules: there is no entry at index 5 \(allowed: 0-0\)"):
        plan.edit_replace_rule(5, "1", "2")
    with pytest.raises(DialPlanError, match="no entry at index 1"):
        plan.delete_replace_rules([1])
    assert len(plan.replace_rules) == 1                          # a refused delete removes nothing


def test_100_replace_rules_are_accepted_and_the_101st_refused() -> None:    # REQ-DIAL-08
    plan = DialPlan()
    for k in range(MAX_REPLACE_RULES):
        plan.add_replace_rule(str(k), "10086")
    assert len(plan.replace_rules) == 100
    with pytest.raises(DialPlanError) as caught:
        plan.add_replace_rule("999", "10086")
    assert str(caught.value) == ("replace rules: there are already 100; a 101st is refused "
                                 "(allowed: at most 100)")
    assert len(plan.replace_rules) == 100
    with pytest.raises(DialPlanError, match="101st"):
        DialPlan(replace_rules=[ReplaceRule(str(k), "1") for k in range(101)])


@pytest.mark.parametrize("replacement, fragment", [
    ("", "is empty"), ("   ", "is empty"), ("100 86", "contains ' '"), ("10086;x", "contains ';'"),
    (10086, "is not text"),
])
def test_bad_replacements_are_refused(replacement, fragment: str) -> None:
    with pytest.raises(DialPlanError, match=f"^replace-rule replacement: .*{re.escape(fragment)}.*allowed:"):
        ReplaceRule("1", replacement)


# --- dial now (§4.7.2.2) ------------------------------------------------------------------------

def test_manual_dial_now_example_five_digits() -> None:            # REQ-DIAL-17 / -21
    plan = DialPlan()
    plan.add_dial_now_rule("xxxxx")
    assert plan.dial_now_delay == DEFAULT_DIAL_NOW_DELAY == 2      # the Chinese manual's default
    assert plan.dial_now_decision("10086", 1) == 2.0
    assert plan.dial_now_decision("10086", 2) == 2.0
    assert plan.dial_now_decision("1008", 1) is None
    assert plan.dial_now_decision("100861", 1) is None
    assert plan.dial_now_decision("", 1) is None
    assert plan.dial_now_possible("1008", 1) and plan.dial_now_possible("10086", 1)
    assert not plan.dial_now_possible("100861", 1)
    assert isinstance(plan.dial_now_decision("12345", 1), float)


def test_dial_now_account_edit_and_delete() -> None:              # REQ-DIAL-18 / -19 / -20
    plan = DialPlan()
    rule = plan.add_dial_now_rule("xxxxx")
    assert rule.account == ALL                                   # the default account is all
    plan.edit_dial_now_rule(0, "1xxxx")
    assert plan.dial_now_decision("10086", 1) == 2.0
    assert plan.dial_now_decision("20086", 1) is None
    plan.edit_dial_now_rule(0, "1xxxx", account=1)
    assert plan.dial_now_decision("10086", 1) == 2.0
    assert plan.dial_now_decision("10086", 2) is None
    assert not plan.dial_now_possible("1", 2)
    plan.delete_dial_now_rules([0])
    assert plan.dial_now_decision("10086", 1) is None


@pytest.mark.parametrize("value, expected", [(0, 0), (14, 14), ("7", 7), (" 3 ", 3), (5.0, 5)])
def test_dial_now_delay_limits_accepted(value, expected: int) -> None:      # REQ-DIAL-21 / -23
    plan = DialPlan()
    plan.add_dial_now_rule("x")
    plan.dial_now_delay = value
    assert plan.dial_now_delay == expected
    assert plan.dial_now_decision("5", 1) == float(expected)


@pytest.mark.parametrize("value, message", [
    (15, "dial-now delay: 15 is out of range (allowed: 0-14 s)"),
    (-1, "dial-now delay: -1 is out of range (allowed: 0-14 s)"),
    ("15", "dial-now delay: 15 is out of range (allowed: 0-14 s)"),
    ("two", "dial-now delay: 'two' is not a whole number (allowed: 0-14 s)"),
    (1.5, "dial-now delay: 1.5 is not a whole number (allowed: 0-14 s)"),
    (True, "dial-now delay: True is not a whole number (allowed: 0-14 s)"),
    (None, "dial-now delay: None is not a whole number (allowed: 0-14 s)"),
])
def test_dial_now_delay_out_of_range_is_refused(value, message: str) -> None:   # REQ-DIAL-22
    plan = DialPlan()
    with pytest.raises(DialPlanError) as caught:
        plan.dial_now_delay = value
    assert str(caught.value) == message
    assert plan.dial_now_delay == 2                              # unchanged
    with pytest.raises(DialPlanError, match="out of range|not a whole number"):
        DialPlan(dial_now_delay=value)


def test_100_dial_now_rules_are_accepted_and_the_101st_refused() -> None:   # REQ-DIAL-15
    plan = DialPlan()
    for k in range(MAX_DIAL_NOW_RULES):
        plan.add_dial_now_rule(f"{k}x")
    with pytest.raises(DialPlanError, match=r"^dial-now rules: there are already 100; a 101st is refused "
                                            r"\(allowed: at most 100\)$"):
        plan.add_dial_now_rule("xxxx")
    assert len(plan.dial_now_rules) == 100


def test_dial_now_uses_the_typed_digits_not_the_replaced_number() -> None:
    plan = DialPlan()
    plan.add_replace_rule("1", "10086")
    plan.add_dial_now_rule("xxxxx")
    assert plan.dial_now_decision("1", 1) is None


# --- area code (§4.7.2.3) -----------------------------------------------------------------------

def test_manual_area_code_example() -> None:                        # REQ-DIAL-25
    plan = DialPlan()
    plan.set_area_code("0757")
    outcome = plan.process("12345", 1)
    assert outcome == DialOutcome("075712345", False, "area code 0757 (numbers of 1-15 digits, account all)")


@pytest.mark.parametrize("code", ["1", "0", "123456789012345"])
def test_area_code_of_1_to_15_digits_is_accepted(code: str) -> None:     # REQ-DIAL-24
    assert check_area_code(code) == code
    assert AreaCode(code).code == code


@pytest.mark.parametrize("code, message", [
    ("1234567890123456", "area code: '1234567890123456' has 16 digits (allowed: 1-15 digits 0-9)"),
    ("", "area code: is empty (allowed: 1-15 digits 0-9)"),
    ("07a7", "area code: '07a7' is not all digits (allowed: 1-15 digits 0-9)"),
    ("+86", "area code: '+86' is not all digits (allowed: 1-15 digits 0-9)"),
    (757, "area code: 757 is not text (allowed: 1-15 digits 0-9)"),
])
def test_bad_area_codes_are_refused(code, message: str) -> None:
    with pytest.raises(DialPlanError) as caught:
        DialPlan().set_area_code(code)
    assert str(caught.value) == message


def test_area_code_only_for_numbers_in_its_length_range() -> None:    # REQ-DIAL-26
    plan = DialPlan()
    plan.set_area_code("0757")                                   # default range 1-15
    assert plan.process("1", 1).number == "07571"
    assert plan.process("123456789012345", 1).number == "0757123456789012345"
    assert plan.process("1234567890123456", 1).number == "1234567890123456"   # 16 digits: untouched
    plan.set_area_code("0757", min_length=5, max_length=8)
    assert plan.process("1234", 1).number == "1234"
    assert plan.process("12345", 1).number == "075712345"
    assert plan.process("12345678", 1).number == "075712345678"
    assert plan.process("123456789", 1).number == "123456789"


def test_area_code_leaves_feature_codes_and_addresses_alone() -> None:
    plan = DialPlan()
    plan.set_area_code("0757")
    assert plan.process("*72", 1) == DialOutcome("*72", False, None)
    assert plan.process("192.168.1.20", 1).number == "192.168.1.20"


@pytest.mark.parametrize("low, high", [(1, 1), (15, 15), (1, 15), ("3", "9")])
def test_area_code_length_limits_accepted(low, high) -> None:
    area = AreaCode("0757", low, high)
    assert (area.min_length, area.max_length) == (int(low), int(high))


@pytest.mark.parametrize("low, high, message", [
    (0, 15, "area code minimum number length: 0 is out of range (allowed: 1-15 digits)"),
    (1, 16, "area code maximum number length: 16 is out of range (allowed: 1-15 digits)"),
    (9, 5, "area code number length: minimum 9 is above maximum 5 (allowed: minimum <= maximum, both 1-15)"),
    ("x", 5, "area code minimum number length: 'x' is not a whole number (allowed: 1-15 digits)"),
])
def test_area_code_length_limits_refused(low, high, message: str) -> None:
    with pytest.raises(DialPlanError) as caught:
        AreaCode("0757", low, high)
    assert str(caught.value) == message


def test_area_code_account() -> None:                               # REQ-DIAL-27
    assert AreaCode("0757").account == ALL
    plan = DialPlan()
    plan.set_area_code("0757", account=2)
    assert plan.process("12345", 1).number == "12345"
    assert plan.process("12345", 2).number == "075712345"
    plan.clear_area_code()
    assert plan.process("12345", 2).number == "12345"


def test_area_code_is_not_added_to_a_replaced_number() -> None:
    plan = DialPlan()                                             # both manual examples at once
    plan.add_replace_rule("1", "10086")
    plan.set_area_code("0757")
    assert plan.process("1", 1).number == "10086"
    assert plan.process("12345", 1).number == "075712345"


# --- block out (§4.7.2.4) -----------------------------------------------------------------------

def test_block_out_refuses_the_call() -> None:                      # REQ-DIAL-29 / -30
    plan = DialPlan()
    entry = plan.add_block_out("110")
    assert entry.account == ALL
    assert plan.process("110", 1) == DialOutcome("110", True, "block-out #1 '110' (account all)")
    assert plan.process("110", 2).blocked
    assert not plan.process("1100", 1).blocked


def test_block_out_per_account() -> None:                           # REQ-DIAL-31
    plan = DialPlan()
    plan.add_block_out("120", account=1)
    assert plan.process("120", 1).blocked
    assert not plan.process("120", 2).blocked


def test_block_out_accepts_patterns_and_edit_and_delete() -> None:   # REQ-DIAL-32 / -33
    plan = DialPlan()
    plan.add_block_out("xxxxx")
    assert plan.process("20086", 1).blocked
    plan.edit_block_out(0, "1xxxx")
    assert plan.process("10086", 1).blocked
    assert not plan.process("20086", 1).blocked
    plan.edit_block_out(0, "123456")                              # the English manual's literal edit
    assert plan.process("123456", 1).blocked
    plan.delete_block_out([0])
    assert not plan.process("123456", 1).blocked


def test_block_out_is_checked_before_and_after_rewrites() -> None:
    plan = DialPlan()
    plan.add_block_out("1")
    plan.add_replace_rule("1", "10086")
    assert plan.process("1", 1).blocked                           # the typed number is checked first
    plan = DialPlan()
    plan.add_block_out("110")
    plan.add_replace_rule("9", "110")
    outcome = plan.process("9", 1)
    assert outcome.blocked and outcome.number == "110"            # a rewrite is no way round a block
    assert outcome.rule == ("block-out #1 '110' (account all), on '110' after "
                            "replace rule #1 '9' -> '110' (account all)")
    plan = DialPlan()
    plan.add_block_out("0757110")
    plan.set_area_code("0757")
    assert plan.process("110", 1).blocked


def test_10_block_out_numbers_are_accepted_and_the_11th_refused() -> None:    # REQ-DIAL-28
    plan = DialPlan()
    for k in range(MAX_BLOCK_OUT):
        plan.add_block_out(f"11{k}")
    assert len(plan.block_out) == 10
    with pytest.raises(DialPlanError) as caught:
        plan.add_block_out("999")
    assert str(caught.value) == "block-out numbers: there are already 10; an 11th is refused (allowed: at most 10)"
    assert len(plan.block_out) == 10


# --- accounts, numbers, process ---------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [(1, 1), (2, 2), ("1", 1), (" 2 ", 2), ("all", ALL), ("ALL", ALL)])
def test_accounts_accepted(value, expected) -> None:
    assert check_account(value) == expected


@pytest.mark.parametrize("value", [0, 3, "3", "", "any", True, None, 1.0])
def test_accounts_refused(value) -> None:
    with pytest.raises(DialPlanError, match=r"^account: .* is not an account \(allowed: 1, 2 or all\)$"):
        check_account(value)


@pytest.mark.parametrize("line", [0, 3, "all", "1", True])
def test_a_call_comes_from_line_1_or_2(line) -> None:
    assert check_line(1) == 1
    with pytest.raises(DialPlanError, match=r"^calling account: .* \(allowed: 1 or 2\)$"):
        DialPlan().process("123", line)
    with pytest.raises(DialPlanError, match="calling account"):
        DialPlan().dial_now_decision("123", line)


def test_an_empty_number_is_not_dialled() -> None:
    with pytest.raises(DialPlanError, match="^dialled number: is empty"):
        DialPlan().process("  ", 1)
    assert DialPlan().process(" 123 ", 1) == DialOutcome("123", False, None)


def test_the_four_rule_types_work_together() -> None:               # REQ-DIAL-07
    plan = DialPlan()
    plan.add_replace_rule("1", "10086")
    plan.add_dial_now_rule("xxxxx")
    plan.set_area_code("0757", 5, 8)
    plan.add_block_out("9xxxx")
    assert plan.dial_now_decision("12345", 1) == 2.0
    assert plan.process("12345", 1).number == "075712345"
    assert plan.process("92345", 1).blocked
    assert plan.process("1", 1).number == "10086"


def test_helpers_for_the_web_ui() -> None:
    assert check_delay("0") == 0 and check_delay(14) == 14
    assert check_number_length(" 15 ") == 15
    assert check_replacement(" 10086 ") == "10086"
    with pytest.raises(DialPlanError, match="^number length: 16 is out of range"):
        check_number_length(16)


# --- storage form -----------------------------------------------------------------------------

def _full_plan() -> DialPlan:
    plan = DialPlan(dial_now_delay=5)
    plan.add_replace_rule("1", "10086")
    plan.add_replace_rule("0.", "9", account=2)
    plan.add_dial_now_rule("1xxxx", account=1)
    plan.set_area_code("0757", 5, 8, account=2)
    plan.add_block_out("([1-2][7-8])")
    return plan


def test_to_dict_is_json_and_round_trips() -> None:
    plan = _full_plan()
    data = plan.to_dict()
    assert data == {
        "version": 1,
        "replace_rules": [{"prefix": "1", "replace": "10086", "account": "all"},
                          {"prefix": "0.", "replace": "9", "account": 2}],
        "dial_now_rules": [{"rule": "1xxxx", "account": 1}],
        "dial_now_delay": 5,
        "area_code": {"code": "0757", "min_length": 5, "max_length": 8, "account": 2},
        "block_out": [{"number": "([1-2][7-8])", "account": "all"}],
    }
    again = DialPlan.from_dict(json.loads(json.dumps(data)))
    assert again == plan
    assert again.process("0123", 2).number == "9123"
    assert DialPlan.from_dict({}) == DialPlan()                  # missing keys take the defaults
    assert DialPlan().to_dict()["area_code"] is None


@pytest.mark.parametrize("change, message", [
    ({"colour": 1}, "dial plan: unknown key(s) colour"),
    ({"version": 2}, "dial plan version: 2 is not supported (allowed: 1)"),
    ({"dial_now_delay": 15}, "dial-now delay: 15 is out of range (allowed: 0-14 s)"),
    ({"replace_rules": {"prefix": "1"}}, "replace_rules: dict is not a list"),
    ({"replace_rules": [{"prefix": "1"}]}, "replace_rules[0]: missing key(s) replace"),
    ({"replace_rules": [{"prefix": "1", "replace": "2", "acct": 1}]}, "replace_rules[0]: unknown key(s) acct"),
    ({"replace_rules": [{"prefix": "1[", "replace": "2"}]},
     "replace_rules[0] replace-rule prefix: '1[' has '[' at position 2 that is never closed"),
    ({"dial_now_rules": [{"rule": "x", "account": 3}]},
     "dial_now_rules[0] dial-now account: 3 is not an account (allowed: 1, 2 or all)"),
    ({"block_out": [{"number": str(k)} for k in range(11)]},
     "block_out[10] block-out numbers: there are already 10; an 11th is refused (allowed: at most 10)"),
    ({"area_code": {"code": "0757", "max_length": 16}},
     "area_code area code maximum number length: 16 is out of range (allowed: 1-15 digits)"),
    ({"area_code": "0757"}, "area_code: str is not a mapping"),
])
def test_from_dict_refuses_bad_data_and_says_where(change: dict, message: str) -> None:
    with pytest.raises(DialPlanError) as caught:
        DialPlan.from_dict(change)
    assert str(caught.value).startswith(message)


@settings(PROPERTY, max_examples=60)
@given(st.lists(pattern_parts(), max_size=3), st.integers(0, 14), st.sampled_from([1, 2, "all"]))
def test_any_valid_plan_round_trips_through_json(patterns, delay: int, account) -> None:
    plan = DialPlan(dial_now_delay=delay)
    for text, _, _ in patterns:
        plan.add_replace_rule(text, "10086", account)
        plan.add_dial_now_rule(text, account)
        plan.add_block_out(text, account)
    again = DialPlan.from_dict(json.loads(json.dumps(plan.to_dict())))
    assert again == plan
    for text, _, sample in patterns:
        if sample:                                                # an empty number is never dialled
            assert again.process(sample, 1) == plan.process(sample, 1)
