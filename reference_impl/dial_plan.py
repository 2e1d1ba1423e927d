"""Dial plan (manual §4.7): pattern syntax, replace rules, dial now, area code, block out.

Pure logic: no pjsua2, no I/O, no timers.  The phone asks this module three
questions -- "may this number be dialled, and as what?" (``DialPlan.process``),
"should the digits typed so far go out by themselves, and after how long?"
(``DialPlan.dial_now_decision``), and "could more digits still make them go out?"
(``DialPlan.dial_now_possible``).  The web UI and CFG import use the ``check_*``
helpers and the ``add_* / edit_* / delete_*`` methods, whose refusals are all
``DialPlanError`` naming the field and what is allowed.  ``to_dict`` /
``from_dict`` give a JSON-friendly form for the phone's SQLite config table.

Pattern syntax (§4.7.1)
-----------------------
* ``x`` -- exactly one digit 0-9 (``78x`` matches 780..789; 0 is included
  although the manual's example lists 1..9, REQ-DIAL-03).
* ``.`` -- any number of further digits.  **Interpretation (REQ-DIAL-02):**
  "any number" includes none, so ``78.`` matches a bare ``78`` as well as
  ``786``, ``7856`` ...  ``.`` stands for digits only (the manual calls it a
  number of placeholders, and a placeholder is what ``x`` is: one digit), so it
  never matches ``*`` or ``#``.  It may stand anywhere, not only at the end.
* ``[...]`` -- one digit out of a set: single digits and ranges ``a-b``, mixed
  freely (``[7-9]``, ``[135]``, ``[1-35]``).  A range must run low to high; an
  empty set, a dangling ``-``, a non-digit or a nested ``[`` is refused.
* ``( )`` -- grouping.  The manual uses it to wrap several sets
  (``([1-2][7-8])``).  Groups do not change what matches (the manual gives them
  no alternation or repetition); they must be balanced and not empty.  Several
  sets without parentheses (``[1-2][7-8]``) are accepted too: the manual's
  "only one [] in the string" describes its example, it does not forbid more.
* Literals: the digits, ``*``, ``#`` (the keypad's keys) and ``+`` (numbers taken
  from contacts).  Anything else -- letters (an upper-case ``X`` included),
  spaces, ``-`` outside a set -- is refused with its position, so a typo never
  becomes a rule that silently matches nothing.
* Matching is always of the whole number (``Pattern.matches``);
  ``Pattern.could_match`` says whether a typed prefix can still grow into a match.

Rules (§4.7.2) and the interpretations made here
------------------------------------------------
* Every rule carries an account: ``1``, ``2`` or ``"all"`` (the default, as the
  manual says for dial now, area code and block out).  A call is always placed
  from one line, 1 or 2.
* **Replace rule** (at most 100).  The manual's example: Prefix ``1``, Replace
  ``10086``; dialling ``1`` calls ``10086``.  The prefix pattern must match the
  *whole* dialled number, not just its start: read as a leading match, the same
  example would turn every number that begins with 1 (every Chinese mobile
  number, and ``10086`` itself) into ``10086...``, which the manual cannot mean.
  The matched number is replaced by the replacement text.  One refinement keeps
  the manual's meaning of ``.`` ("any further digits"): when the pattern *ends*
  with ``.``, the digits that the ``.`` took are the user's and are kept after the
  replacement (``0.`` -> ``9`` turns ``0123`` into ``9123``; ``.`` -> ``9``
  puts a 9 before every number).  The trailing ``.`` takes as many digits as it
  can.  Only the first matching rule (list order) applies, once.  The
  replacement may be an IP address or ``user@host`` (quick IP point-to-point
  calls, REQ-DIAL-11): letters, digits and ``* # + . : @ _ -``.
* **Dial now** (at most 100 rules; delay 0-14 s, default 2 s -- the Chinese
  manual's value; the English one says 1 s).  The rules are matched against the
  digits as typed (before any replace rule).  When they fully match a rule for
  the line, the phone dials them after the delay; the caller restarts its timer
  on every key, so a longer rule still gets its chance.
* **Area code** (one setting): 1-15 digits, added in front of numbers whose
  length lies in [min length, max length] (both 1-15, default the whole 1-15
  range the manual shows) and that consist of digits only (feature codes with
  ``*``/``#`` and IP addresses are left alone).  It is *not* added to a number a
  replace rule produced: a replacement is the exact target the user wrote
  (with the manual's two examples configured together, ``1`` must still call
  ``10086``, not ``075710086``); put the area code in the replacement if wanted.
  No check is made whether the number already starts with the area code: the
  length range is the manual's tool for that.
* **Block out** (at most 10 entries; patterns allowed, REQ-DIAL-32).  A blocked
  call is refused and nothing is sent; the phone shows "Forbidden Number".

Order of application (``DialPlan.process``)
-------------------------------------------
The manual lists the four rule types but gives no order.  Read here as:

1. block out, checked on the number as dialled ("the number you call");
2. replace rule (first match);
3. area code (only if no replace rule fired);
4. block out again on the number that would go out, if 2-3 changed it -- a
   rewrite must not be a way round a restriction (a rule ``9`` -> ``110`` does
   not get past a block of ``110``).

Dial now is not part of this chain: it only decides *when* the typed digits are
dialled; they then go through ``process`` like any other number.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Generic, Iterable, Mapping, TypeVar, Union

__all__ = [
    "ALL", "DEFAULT_DIAL_NOW_DELAY", "MAX_BLOCK_OUT", "MAX_DIAL_NOW_RULES", "MAX_REPLACE_RULES",
    "AreaCode", "BlockOutRule", "DialNowRule", "DialOutcome", "DialPlan", "DialPlanError", "Pattern",
    "ReplaceRule", "check_account", "check_area_code", "check_delay", "check_line", "check_number_length",
    "check_pattern", "check_replacement", "compile_pattern",
]

ALL = "all"
Account = Union[str, int]            # "all", 1 or 2
LINES = (1, 2)

MAX_REPLACE_RULES = 100
MAX_DIAL_NOW_RULES = 100
MAX_BLOCK_OUT = 10
DELAY_MIN, DELAY_MAX = 0, 14
DEFAULT_DIAL_NOW_DELAY = 2
AREA_CODE_MIN_DIGITS, AREA_CODE_MAX_DIGITS = 1, 15
NUMBER_MIN_LENGTH, NUMBER_MAX_LENGTH = 1, 15
FORMAT_VERSION = 1

DIGITS = frozenset("0123456789")
LITERALS = frozenset("0123456789*#+")
_SYNTAX = "digits, *, #, +, x (one digit), . (any further digits), [ ] (a set of digits), ( ) (a group)"
_REPLACEMENT_RE = re.compile(r"[A-Za-z0-9*#+.:@_\-]+")
_WHOLE_NUMBER_RE = re.compile(r"[+-]?[0-9]+")


class DialPlanError(ValueError):
    """A dial-plan value, rule or pattern that is refused.

    ``str(error)`` reads ``"<field>: <detail>"``; ``field`` names the setting
    (``"dial-now delay"``, ``"replace rules"`` ...), ``detail`` says what is wrong
    and what is allowed, and ``position`` is the 1-based character position of a
    pattern's problem (None when the problem is not at one character).
    """

    def __init__(self, field: str, detail: str, position: int | None = None):
        self.field = field
        self.detail = detail
        self.position = position
        super().__init__(f"{field}: {detail}")

    def within(self, where: str) -> "DialPlanError":
        """The same error, located inside a larger structure (``replace_rules[3]``)."""
        return DialPlanError(f"{where} {self.field}", self.detail, self.position)


# --- patterns ------------------------------------------------------------------------------

# One step of a compiled pattern: the characters it accepts, and whether it repeats
# (zero or more times, for ".") or takes exactly one character.
_Step = tuple[frozenset, bool]


class Pattern:
    """A compiled dial-plan pattern; build it with ``compile_pattern``."""

    __slots__ = ("text", "_steps")

    def __init__(self, text: str, steps: tuple[_Step, ...]):
        self.text = text
        self._steps = steps

    def __repr__(self) -> str:
        return f"Pattern({self.text!r})"

    def __str__(self) -> str:
        return self.text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Pattern) and other._steps == self._steps

    def __hash__(self) -> int:
        return hash(self._steps)

    def matches(self, number: str) -> bool:
        """True when the whole of ``number`` is in the pattern's language."""
        return len(self._steps) in self._states_after(number)

    def could_match(self, prefix: str) -> bool:
        """True when ``prefix`` is a match or can still become one with more characters."""
        # Every step accepts at least one character, so any live state can reach the end.
        return bool(self._states_after(prefix))

    @property
    def ends_with_any_digits(self) -> bool:
        """True when the last step is ``.`` (the replace rule keeps what it took)."""
        return bool(self._steps) and self._steps[-1][1]

    def split_trailing_digits(self, number: str) -> tuple[str, str]:
        """For a pattern ending in ``.`` that matches ``number``: (head, digits taken by the ``.``).

        The trailing ``.`` takes as many digits as it can; without a trailing
        ``.`` the whole number is the head.
        """
        if not self.ends_with_any_digits:
            return number, ""
        head = Pattern(self.text, self._steps[:-1])
        for k in range(len(number) + 1):
            if all(ch in DIGITS for ch in number[k:]) and head.matches(number[:k]):
                return number[:k], number[k:]
        raise ValueError(f"{self.text!r} does not match {number!r}")

    # A small NFA simulation: state k means "the first k steps are done".
    def _closure(self, states: set[int]) -> set[int]:
        out = set(states)
        for k in sorted(states):
            while k < len(self._steps) and self._steps[k][1]:
                k += 1
                out.add(k)
        return out

    def _states_after(self, text: str) -> set[int]:
        if not isinstance(text, str):
            raise TypeError(f"a dialled number is text, got {type(text).__name__}")
        steps = self._steps
        states = self._closure({0})
        for ch in text:
            nxt: set[int] = set()
            for k in states:
                if k < len(steps) and ch in steps[k][0]:
                    nxt.add(k if steps[k][1] else k + 1)
            if not nxt:
                return set()
            states = self._closure(nxt)
        return states


def compile_pattern(text: str, field: str = "pattern") -> Pattern:
    """Compile a §4.7.1 pattern; a malformed one raises ``DialPlanError``.

    The message quotes the pattern and gives the 1-based position of the first
    problem, e.g. ``pattern: '12[9-7]45' has a reversed range 9-7 at position 4
    (write the lower digit first, e.g. [7-9])``.  The text is taken as it is (no
    stripping); the rule classes strip surrounding spaces before compiling.
    """
    if not isinstance(text, str):
        raise DialPlanError(field, f"{text!r} is not text (allowed: a pattern such as '1xxxx')")
    if not text:
        raise DialPlanError(field, f"is empty (allowed: {_SYNTAX})")

    def fail(problem: str, index: int) -> None:
        raise DialPlanError(field, f"{text!r} {problem}", position=index + 1)

    steps: list[_Step] = []
    groups: list[tuple[int, int]] = []      # (index of "(", number of steps when it opened)
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in LITERALS:
            steps.append((frozenset(ch), False))
        elif ch == "x":
            steps.append((DIGITS, False))
        elif ch == ".":
            steps.append((DIGITS, True))
        elif ch == "[":
            members, i = _parse_set(text, i, fail)
            steps.append((members, False))
        elif ch == "]":
            fail(f"has ']' at position {i + 1} with no '[' before it", i)
        elif ch == "(":
            groups.append((i, len(steps)))
        elif ch == ")":
            if not groups:
                fail(f"has ')' at position {i + 1} with no '(' before it", i)
            start, count = groups.pop()
            if len(steps) == count:
                fail(f"has an empty group '()' at position {start + 1} (a group holds digits or sets)", start)
        elif ch == "-":
            fail(f"has '-' at position {i + 1}; a range is only allowed inside [ ], e.g. [1-4]", i)
        elif ch == "X":
            fail(f"has 'X' at position {i + 1}; the one-digit placeholder is a lower-case x", i)
        elif ch.isspace():
            fail(f"has a space at position {i + 1} (allowed: {_SYNTAX})", i)
        else:
            fail(f"has {ch!r} at position {i + 1}, which is not allowed (allowed: {_SYNTAX})", i)
        i += 1
    if groups:
        start = groups[-1][0]
        fail(f"has '(' at position {start + 1} that is never closed", start)
    return Pattern(text, tuple(steps))


def _parse_set(text: str, start: int, fail: Callable[[str, int], None]) -> tuple[frozenset, int]:
    """Parse ``[...]`` opening at ``start``; return its digits and the index of ``]``."""
    members: set[str] = set()
    j = start + 1
    while j < len(text):
        ch = text[j]
        if ch == "]":
            if not members:
                fail(f"has an empty set '[]' at position {start + 1} (a set holds digits, e.g. [1-4] or [135])",
                     start)
            return frozenset(members), j
        if ch in DIGITS:
            if j + 1 < len(text) and text[j + 1] == "-":
                end = text[j + 2] if j + 2 < len(text) else ""
                if end not in DIGITS:
                    fail(f"has a range '{ch}-' at position {j + 1} with no digit after the '-' "
                         f"(allowed: a range of two digits, e.g. [1-4])", j)
                if end < ch:
                    fail(f"has a reversed range {ch}-{end} at position {j + 1} "
                         f"(write the lower digit first, e.g. [{end}-{ch}])", j)
                members.update(chr(c) for c in range(ord(ch), ord(end) + 1))
                j += 3
                continue
            members.add(ch)
        elif ch == "-":
            fail(f"has '-' at position {j + 1} without a digit before it (allowed: a range such as [1-4])", j)
        elif ch == "[":
            fail(f"has '[' at position {j + 1} inside the set opened at position {start + 1} "
                 f"(sets cannot be nested)", j)
        else:
            fail(f"has {ch!r} at position {j + 1} inside [ ] (allowed in a set: digits and ranges such as 1-4)", j)
        j += 1
    fail(f"has '[' at position {start + 1} that is never closed", start)
    raise AssertionError("unreachable")


# --- field checks (web UI, CFG import) -----------------------------------------------------

def check_pattern(text: Any, field: str = "pattern") -> Pattern:
    """A pattern from a form field or CFG value: surrounding spaces dropped, then compiled."""
    if isinstance(text, str):
        text = text.strip()
    return compile_pattern(text, field)


def check_account(value: Any, field: str = "account") -> Account:
    """``1``, ``2`` or ``"all"`` (text ``"1"``, ``" ALL "`` etc. accepted); returns 1, 2 or "all"."""
    if isinstance(value, int) and not isinstance(value, bool) and value in LINES:
        return value
    if isinstance(value, str):
        text = value.strip().lower()
        if text == ALL:
            return ALL
        if text in ("1", "2"):
            return int(text)
    raise DialPlanError(field, f"{value!r} is not an account (allowed: 1, 2 or all)")


def check_line(value: Any, field: str = "calling account") -> int:
    """The line a call is placed from: 1 or 2 (never "all")."""
    if isinstance(value, int) and not isinstance(value, bool) and value in LINES:
        return value
    raise DialPlanError(field, f"{value!r} is not a line (allowed: 1 or 2)")


def _whole_number(value: Any, field: str, allowed: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _WHOLE_NUMBER_RE.fullmatch(value.strip()):
        return int(value.strip())
    raise DialPlanError(field, f"{value!r} is not a whole number (allowed: {allowed})")


def check_delay(value: Any, field: str = "dial-now delay") -> int:
    """The dial-now delay in whole seconds, 0-14 (default 2)."""
    allowed = f"{DELAY_MIN}-{DELAY_MAX} s"
    seconds = _whole_number(value, field, allowed)
    if not DELAY_MIN <= seconds <= DELAY_MAX:
        raise DialPlanError(field, f"{seconds} is out of range (allowed: {allowed})")
    return seconds


def check_area_code(value: Any, field: str = "area code") -> str:
    """1-15 digits 0-9 (leading zeros are kept: ``0757``)."""
    allowed = f"{AREA_CODE_MIN_DIGITS}-{AREA_CODE_MAX_DIGITS} digits 0-9"
    if not isinstance(value, str):
        raise DialPlanError(field, f"{value!r} is not text (allowed: {allowed})")
    code = value.strip()
    if not code:
        raise DialPlanError(field, f"is empty (allowed: {allowed})")
    if not all(ch in DIGITS for ch in code):
        raise DialPlanError(field, f"{code!r} is not all digits (allowed: {allowed})")
    if len(code) > AREA_CODE_MAX_DIGITS:
        raise DialPlanError(field, f"{code!r} has {len(code)} digits (allowed: {allowed})")
    return code


def check_number_length(value: Any, field: str = "number length") -> int:
    """A dialled-number length bound for the area code: 1-15."""
    allowed = f"{NUMBER_MIN_LENGTH}-{NUMBER_MAX_LENGTH} digits"
    length = _whole_number(value, field, allowed)
    if not NUMBER_MIN_LENGTH <= length <= NUMBER_MAX_LENGTH:
        raise DialPlanError(field, f"{length} is out of range (allowed: {allowed})")
    return length


def check_replacement(value: Any, field: str = "replace-rule replacement") -> str:
    """The text a replace rule dials instead: a number, an IP address or user@host."""
    allowed = "letters, digits and * # + . : @ _ -, e.g. 10086 or 192.168.1.20"
    if not isinstance(value, str):
        raise DialPlanError(field, f"{value!r} is not text (allowed: {allowed})")
    text = value.strip()
    if not text:
        raise DialPlanError(field, f"is empty (allowed: {allowed})")
    if not _REPLACEMENT_RE.fullmatch(text):
        bad = next(ch for ch in text if not _REPLACEMENT_RE.fullmatch(ch))
        raise DialPlanError(field, f"{text!r} contains {bad!r} (allowed: {allowed})")
    return text


def _applies(rule_account: Account, line: int) -> bool:
    return rule_account == ALL or rule_account == line


# --- rules ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class ReplaceRule:
    """§4.7.2.1: a number matching ``prefix`` (a pattern, whole number) is dialled as ``replacement``."""

    prefix: str
    replacement: str
    account: Account = ALL
    pattern: Pattern = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        pattern = check_pattern(self.prefix, "replace-rule prefix")
        object.__setattr__(self, "prefix", pattern.text)
        object.__setattr__(self, "pattern", pattern)
        object.__setattr__(self, "replacement", check_replacement(self.replacement))
        object.__setattr__(self, "account", check_account(self.account, "replace-rule account"))

    def apply(self, number: str, line: int) -> str | None:
        """The number to dial instead, or None when the rule does not apply."""
        if not _applies(self.account, line) or not self.pattern.matches(number):
            return None
        _, kept = self.pattern.split_trailing_digits(number)
        return self.replacement + kept

    def to_dict(self) -> dict[str, Any]:
        return {"prefix": self.prefix, "replace": self.replacement, "account": self.account}


@dataclass(frozen=True)
class DialNowRule:
    """§4.7.2.2: typed digits that match ``rule`` go out after the dial-now delay."""

    rule: str
    account: Account = ALL
    pattern: Pattern = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        pattern = check_pattern(self.rule, "dial-now rule")
        object.__setattr__(self, "rule", pattern.text)
        object.__setattr__(self, "pattern", pattern)
        object.__setattr__(self, "account", check_account(self.account, "dial-now account"))

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "account": self.account}


@dataclass(frozen=True)
class BlockOutRule:
    """§4.7.2.4: calls to numbers matching ``number`` (a pattern) are refused."""

    number: str
    account: Account = ALL
    pattern: Pattern = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        pattern = check_pattern(self.number, "blocked number")
        object.__setattr__(self, "number", pattern.text)
        object.__setattr__(self, "pattern", pattern)
        object.__setattr__(self, "account", check_account(self.account, "block-out account"))

    def blocks(self, number: str, line: int) -> bool:
        return _applies(self.account, line) and self.pattern.matches(number)

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "account": self.account}


@dataclass(frozen=True)
class AreaCode:
    """§4.7.2.3: ``code`` goes in front of all-digit numbers of min_length..max_length digits."""

    code: str
    min_length: int = NUMBER_MIN_LENGTH
    max_length: int = NUMBER_MAX_LENGTH
    account: Account = ALL

    def __post_init__(self) -> None:
        object.__setattr__(self, "code", check_area_code(self.code))
        low = check_number_length(self.min_length, "area code minimum number length")
        high = check_number_length(self.max_length, "area code maximum number length")
        if low > high:
            raise DialPlanError("area code number length",
                                f"minimum {low} is above maximum {high} "
                                f"(allowed: minimum <= maximum, both {NUMBER_MIN_LENGTH}-{NUMBER_MAX_LENGTH})")
        object.__setattr__(self, "min_length", low)
        object.__setattr__(self, "max_length", high)
        object.__setattr__(self, "account", check_account(self.account, "area code account"))

    def apply(self, number: str, line: int) -> str | None:
        """The number with the area code in front, or None when it does not apply."""
        if (_applies(self.account, line) and self.min_length <= len(number) <= self.max_length
                and all(ch in DIGITS for ch in number)):
            return self.code + number
        return None

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "min_length": self.min_length, "max_length": self.max_length,
                "account": self.account}


R = TypeVar("R")


class _RuleList(Generic[R]):
    """An ordered list of rules with the manual's upper limit; indexes are 0-based."""

    def __init__(self, what: str, limit: int):
        self.what = what
        self.limit = limit
        self.items: list[R] = []

    def add(self, rule: R) -> R:
        if len(self.items) >= self.limit:
            nth = _ordinal(self.limit + 1)
            article = "an" if nth.startswith("8") or nth in ("11th", "18th") else "a"
            raise DialPlanError(self.what, f"there are already {self.limit}; {article} {nth} "
                                           f"is refused (allowed: at most {self.limit})")
        self.items.append(rule)
        return rule

    def edit(self, index: int, rule: R) -> R:
        self._check_index(index)
        self.items[index] = rule
        return rule

    def delete(self, indexes: Iterable[int]) -> None:
        chosen = set(indexes)
        for index in chosen:
            self._check_index(index)
        self.items = [rule for k, rule in enumerate(self.items) if k not in chosen]

    def _check_index(self, index: int) -> None:
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(self.items):
            allowed = f"0-{len(self.items) - 1}" if self.items else "none, the list is empty"
            raise DialPlanError(self.what, f"there is no entry at index {index!r} (allowed: {allowed})")


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# --- the plan ------------------------------------------------------------------------------

@dataclass(frozen=True)
class DialOutcome:
    """What ``DialPlan.process`` decided for one call.

    ``number`` is the user part for the Request-URI -- or, when ``blocked``, the
    number that was refused (nothing is sent then).  ``rule`` names the rule(s)
    that changed or blocked the number, for evidence; None when none did.
    """

    number: str
    blocked: bool = False
    rule: str | None = None


class DialPlan:
    """The phone's dial plan: the four rule types of §4.7.2 and the dial-now delay."""

    def __init__(self, replace_rules: Iterable[ReplaceRule] = (), dial_now_rules: Iterable[DialNowRule] = (),
                 dial_now_delay: int = DEFAULT_DIAL_NOW_DELAY, area_code: AreaCode | None = None,
                 block_out: Iterable[BlockOutRule] = ()):
        self._replace: _RuleList[ReplaceRule] = _RuleList("replace rules", MAX_REPLACE_RULES)
        self._dial_now: _RuleList[DialNowRule] = _RuleList("dial-now rules", MAX_DIAL_NOW_RULES)
        self._block: _RuleList[BlockOutRule] = _RuleList("block-out numbers", MAX_BLOCK_OUT)
        for rule in replace_rules:
            self._replace.add(_expect(rule, ReplaceRule, "replace rules"))
        for rule in dial_now_rules:
            self._dial_now.add(_expect(rule, DialNowRule, "dial-now rules"))
        for rule in block_out:
            self._block.add(_expect(rule, BlockOutRule, "block-out numbers"))
        self._delay = check_delay(dial_now_delay)
        self._area: AreaCode | None = None if area_code is None else _expect(area_code, AreaCode, "area code")

    def __repr__(self) -> str:
        return f"DialPlan({self.to_dict()!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DialPlan) and other.to_dict() == self.to_dict()

    # -- the lists, read-only views --
    @property
    def replace_rules(self) -> tuple[ReplaceRule, ...]:
        return tuple(self._replace.items)

    @property
    def dial_now_rules(self) -> tuple[DialNowRule, ...]:
        return tuple(self._dial_now.items)

    @property
    def block_out(self) -> tuple[BlockOutRule, ...]:
        return tuple(self._block.items)

    # -- replace rules (web: Add / Edit / Delete) --
    def add_replace_rule(self, prefix: str, replacement: str, account: Account = ALL) -> ReplaceRule:
        return self._replace.add(ReplaceRule(prefix, replacement, account))

    def edit_replace_rule(self, index: int, prefix: str, replacement: str, account: Account = ALL) -> ReplaceRule:
        return self._replace.edit(index, ReplaceRule(prefix, replacement, account))

    def delete_replace_rules(self, indexes: Iterable[int]) -> None:
        self._replace.delete(indexes)

    # -- dial now --
    def add_dial_now_rule(self, rule: str, account: Account = ALL) -> DialNowRule:
        return self._dial_now.add(DialNowRule(rule, account))

    def edit_dial_now_rule(self, index: int, rule: str, account: Account = ALL) -> DialNowRule:
        return self._dial_now.edit(index, DialNowRule(rule, account))

    def delete_dial_now_rules(self, indexes: Iterable[int]) -> None:
        self._dial_now.delete(indexes)

    @property
    def dial_now_delay(self) -> int:
        return self._delay

    @dial_now_delay.setter
    def dial_now_delay(self, value: Any) -> None:
        self._delay = check_delay(value)

    # -- block out --
    def add_block_out(self, number: str, account: Account = ALL) -> BlockOutRule:
        return self._block.add(BlockOutRule(number, account))

    def edit_block_out(self, index: int, number: str, account: Account = ALL) -> BlockOutRule:
        return self._block.edit(index, BlockOutRule(number, account))

    def delete_block_out(self, indexes: Iterable[int]) -> None:
        self._block.delete(indexes)

    # -- area code --
    @property
    def area_code(self) -> AreaCode | None:
        return self._area

    def set_area_code(self, code: str, min_length: int = NUMBER_MIN_LENGTH, max_length: int = NUMBER_MAX_LENGTH,
                      account: Account = ALL) -> AreaCode:
        self._area = AreaCode(code, min_length, max_length, account)
        return self._area

    def clear_area_code(self) -> None:
        self._area = None

    # -- decisions --
    def dial_now_decision(self, typed: str, account: int) -> float | None:
        """Seconds to wait before dialling ``typed`` by itself, or None (no dial-now rule matches).

        ``typed`` is what the user has keyed so far; nothing typed gives None.
        """
        line = check_line(account)
        if not typed:
            return None
        for rule in self._dial_now.items:
            if _applies(rule.account, line) and rule.pattern.matches(typed):
                return float(self._delay)
        return None

    def dial_now_possible(self, typed: str, account: int) -> bool:
        """True while more digits could still make ``typed`` match a dial-now rule of the line."""
        line = check_line(account)
        return any(_applies(rule.account, line) and rule.pattern.could_match(typed)
                   for rule in self._dial_now.items)

    def process(self, number: str, account: int) -> DialOutcome:
        """Block out, replace, area code -- in that order (see the module docstring)."""
        line = check_line(account)
        if not isinstance(number, str):
            raise DialPlanError("dialled number", f"{number!r} is not text")
        typed = number.strip()
        if not typed:
            raise DialPlanError("dialled number", "is empty (allowed: the digits of the number to call)")

        hit = self._blocking(typed, line)
        if hit is not None:
            return DialOutcome(typed, blocked=True, rule=hit)

        changes: list[str] = []
        result = typed
        for k, rule in enumerate(self._replace.items):
            new = rule.apply(typed, line)
            if new is not None:
                result = new
                changes.append(f"replace rule #{k + 1} {rule.prefix!r} -> {rule.replacement!r} "
                               f"(account {rule.account})")
                break
        if not changes and self._area is not None:
            new = self._area.apply(typed, line)
            if new is not None:
                result = new
                changes.append(f"area code {self._area.code} (numbers of {self._area.min_length}-"
                               f"{self._area.max_length} digits, account {self._area.account})")
        rewritten = "; ".join(changes) or None

        if result != typed:
            hit = self._blocking(result, line)
            if hit is not None:
                return DialOutcome(result, blocked=True, rule=f"{hit}, on {result!r} after {rewritten}")
        return DialOutcome(result, blocked=False, rule=rewritten)

    def _blocking(self, number: str, line: int) -> str | None:
        for k, rule in enumerate(self._block.items):
            if rule.blocks(number, line):
                return f"block-out #{k + 1} {rule.number!r} (account {rule.account})"
        return None

    # -- storage --
    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly form (str / int / None / lists / dicts only)."""
        return {
            "version": FORMAT_VERSION,
            "replace_rules": [rule.to_dict() for rule in self._replace.items],
            "dial_now_rules": [rule.to_dict() for rule in self._dial_now.items],
            "dial_now_delay": self._delay,
            "area_code": None if self._area is None else self._area.to_dict(),
            "block_out": [rule.to_dict() for rule in self._block.items],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "DialPlan":
        """Rebuild a plan from ``to_dict``'s form; every value is checked as the web UI would.

        Missing keys take their defaults; an unknown key, a wrong type or a bad
        value raises ``DialPlanError`` naming where it is (``replace_rules[2] ...``).
        """
        _check_keys(data, "dial plan", required=(),
                    allowed=("version", "replace_rules", "dial_now_rules", "dial_now_delay", "area_code",
                             "block_out"))
        version = data.get("version", FORMAT_VERSION)
        if version != FORMAT_VERSION:
            raise DialPlanError("dial plan version", f"{version!r} is not supported (allowed: {FORMAT_VERSION})")
        plan = cls(dial_now_delay=data.get("dial_now_delay", DEFAULT_DIAL_NOW_DELAY))
        entries: list[tuple[str, tuple[str, ...], Callable[..., Any]]] = [
            ("replace_rules", ("prefix", "replace"), lambda e: plan.add_replace_rule(e["prefix"], e["replace"],
                                                                                     e.get("account", ALL))),
            ("dial_now_rules", ("rule",), lambda e: plan.add_dial_now_rule(e["rule"], e.get("account", ALL))),
            ("block_out", ("number",), lambda e: plan.add_block_out(e["number"], e.get("account", ALL))),
        ]
        for key, required, add in entries:
            items = data.get(key, [])
            if not isinstance(items, list):
                raise DialPlanError(key, f"{type(items).__name__} is not a list (allowed: a list of rules)")
            for k, entry in enumerate(items):
                where = f"{key}[{k}]"
                _check_keys(entry, where, required=required, allowed=required + ("account",))
                try:
                    add(entry)
                except DialPlanError as error:
                    raise error.within(where) from None
        area = data.get("area_code")
        if area is not None:
            _check_keys(area, "area_code", required=("code",),
                        allowed=("code", "min_length", "max_length", "account"))
            try:
                plan.set_area_code(area["code"], area.get("min_length", NUMBER_MIN_LENGTH),
                                   area.get("max_length", NUMBER_MAX_LENGTH), area.get("account", ALL))
            except DialPlanError as error:
                raise error.within("area_code") from None
        return plan


def _expect(value: Any, kind: type, what: str) -> Any:
    if not isinstance(value, kind):
        raise DialPlanError(what, f"{value!r} is not a {kind.__name__}")
    return value


def _check_keys(entry: Any, where: str, required: tuple[str, ...], allowed: tuple[str, ...]) -> None:
    if not isinstance(entry, Mapping):
        raise DialPlanError(where, f"{type(entry).__name__} is not a mapping (allowed keys: {', '.join(allowed)})")
    unknown = sorted(str(key) for key in entry if key not in allowed)
    if unknown:
        raise DialPlanError(where, f"unknown key(s) {', '.join(unknown)} (allowed: {', '.join(allowed)})")
    missing = [key for key in required if key not in entry]
    if missing:
        raise DialPlanError(where, f"missing key(s) {', '.join(missing)} (required: {', '.join(required)})")
