"""Multi-tap input of the reference phone against the manual's §3.8 key map and examples."""
from __future__ import annotations

import pytest

from reference_impl.input_method import MODES, SYMBOLS, MultiTapInput, cycle_for


class FakeClock:
    """A clock the test moves by hand, so "wait 1 second" takes no time."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def tap(field: MultiTapInput, clock: FakeClock, key: str, times: int, gap: float = 0.2) -> None:
    for _ in range(times):
        field.press(key)
        clock.advance(gap)


@pytest.mark.req("REQ-INPUT-12")
def test_switch_in_2aB_mode(clock: FakeClock) -> None:
    field = MultiTapInput(mode="2aB", clock=clock)
    for key, times in [("7", 9), ("9", 2), ("4", 4), ("8", 2), ("2", 4), ("4", 3)]:
        tap(field, clock, key, times)
        clock.advance(1.0)  # the manual's pause between letters
    assert field.text == "Switch"
    assert field.pending is None


@pytest.mark.req("REQ-INPUT-13")
def test_ip_address_in_123_mode(clock: FakeClock) -> None:
    field = MultiTapInput(mode="123", clock=clock)
    for part in ["192", "168", "0", "1"]:
        if field.text:
            tap(field, clock, "*", 2)  # '*' then '.'
            assert field.pending == "."
            clock.advance(1.0)
        for digit in part:
            field.press(digit)
            assert field.pending is None  # digits commit at once in 123
    assert field.text == "192.168.0.1"


@pytest.mark.req("REQ-INPUT-11")
def test_pending_character_commits_after_one_second(clock: FakeClock) -> None:
    field = MultiTapInput(mode="abc", clock=clock)
    field.press("2")
    clock.advance(0.99)
    assert field.pending == "a"
    field.press("2")  # within 1 s: next in the cycle
    assert field.text == "b" and field.pending == "b"
    clock.advance(1.0)
    assert field.pending is None and field.text == "b"
    field.press("2")  # after the pause: a new character
    assert field.text == "ba" and field.pending == "a"


def test_another_key_commits_at_once(clock: FakeClock) -> None:
    field = MultiTapInput(mode="abc", clock=clock)
    field.press("2")
    field.press("3")
    assert field.text == "ad" and field.pending == "d"


@pytest.mark.req("REQ-INPUT-10")
@pytest.mark.parametrize("mode,key,cycle", [
    ("2aB", "7", "7pqrsPQRS"),
    ("abc", "9", "wxyz9"),
    ("ABC", "2", "ABC2"),
    ("123", "*", SYMBOLS),
])
def test_cycle_wraps_around(clock: FakeClock, mode: str, key: str, cycle: str) -> None:
    field = MultiTapInput(mode=mode, clock=clock)
    seen = []
    for _ in range(len(cycle) + 2):
        field.press(key)
        seen.append(field.pending)
        clock.advance(0.5)
    assert "".join(seen) == cycle + cycle[:2]


@pytest.mark.req("REQ-INPUT-03", "REQ-INPUT-04", "REQ-INPUT-05", "REQ-INPUT-06",
                 "REQ-INPUT-07", "REQ-INPUT-08", "REQ-INPUT-09")
def test_key_map_matches_the_manual_table() -> None:
    table = {  # the §3.8 table, row by row: 123, 2aB, abc, ABC
        "1": ("1", "1", "", ""),
        "2": ("2", "2abcABC", "abc2", "ABC2"),
        "3": ("3", "3defDEF", "def3", "DEF3"),
        "4": ("4", "4ghiGHI", "ghi4", "GHI4"),
        "5": ("5", "5jklJKL", "jkl5", "JKL5"),
        "6": ("6", "6mnoMNO", "mno6", "MNO6"),
        "7": ("7", "7pqrsPQRS", "pqrs7", "PQRS7"),
        "8": ("8", "8tuvTUV", "tuv8", "TUV8"),
        "9": ("9", "9wxyzWXYZ", "wxyz9", "WXYZ9"),
        "0": ("0", "0", " ", " "),
    }
    for key, row in table.items():
        assert tuple(cycle_for(mode, key) for mode in MODES) == row, key
    assert all(cycle_for(mode, "*") == "*.'#?!\\-()$@/:" for mode in MODES)


def test_single_character_keys_and_key_1_in_abc(clock: FakeClock) -> None:
    field = MultiTapInput(mode="abc", clock=clock)
    field.press("4")
    field.press("0")  # space commits at once and ends the pending 'g'
    field.press("1")  # nothing in abc
    assert field.text == "g " and field.pending is None


@pytest.mark.req("REQ-INPUT-02")
def test_hash_cycles_modes_and_commits(clock: FakeClock) -> None:
    field = MultiTapInput(mode="123", clock=clock)
    seen = [field.mode]
    for _ in range(4):
        field.press("#")
        seen.append(field.mode)
    assert seen == ["123", "2aB", "abc", "ABC", "123"]
    field.press("#")  # 2aB
    field.press("2")
    field.press("2")
    field.press("#")  # commits the 'a' and moves on to abc
    assert field.mode == "abc" and field.text == "a" and field.pending is None


def test_delete_drops_pending_then_committed(clock: FakeClock) -> None:
    field = MultiTapInput(text="ab", mode="abc", clock=clock)
    field.press("6")
    field.delete()
    assert field.text == "ab"
    field.delete()
    assert field.text == "a"
    field.delete()
    field.delete()  # on an empty field: nothing happens
    assert field.text == ""


def test_cursor_editing_and_max_length(clock: FakeClock) -> None:
    field = MultiTapInput(text="1234", mode="123", clock=clock, max_length=5)
    field.move_cursor(-2)
    field.delete()
    assert field.text == "134" and field.cursor == 1
    field.press("9")
    field.press("8")  # fills to 5 characters
    field.press("7")  # refused: the field is full
    assert field.text == "19834"


def test_bad_key_and_mode_are_refused() -> None:
    with pytest.raises(ValueError):
        MultiTapInput(mode="Abc")
    with pytest.raises(ValueError):
        MultiTapInput().press("A")
