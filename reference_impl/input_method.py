"""Multi-tap text entry on the phone's keypad (manual §3.8).

Four input methods, switched with ``#`` in the order the manual lists them:
``123 -> 2aB -> abc -> ABC -> 123`` (REQ-INPUT-02).  Pressing the same key
again within ``commit_after`` seconds (1 s) steps to the next character of its
cycle, wrapping after the last (REQ-INPUT-10/11); a pause of 1 s, or another
key, commits the shown character.

Key map (REQ-INPUT-03..09):

====  ==========  =========  =========  =========
key   123         2aB        abc        ABC
====  ==========  =========  =========  =========
2     2           2abcABC    abc2       ABC2
...   (3-9 alike: 7 and 9 have four letters)
1     1           1          (nothing)  (nothing)
0     0           0          space      space
\\*    ``*.'#?!\\-()$@/:`` in every mode
====  ==========  =========  =========  =========

A key whose cycle has a single character (any digit in 123, 0 and 1 in 2aB,
0 in abc/ABC) commits at once -- there is nothing to choose.  The ``*`` key
multi-taps in 123 too, which is how the manual's 192.168.0.1 example gets its
dots.  The manual prints the third symbol as a typographic apostrophe (’);
we enter the ASCII apostrophe ``'`` (U+0027), which is what SIP and the web
carry.  Key 1 in abc/ABC enters nothing but still ends a pending character.

The cursor starts at the end of the text; ``move_cursor`` moves it, new
characters go in at the cursor and ``delete`` removes the one before it.
Time comes from an injectable ``clock`` so tests (and the phone's event loop)
decide what "1 second later" means.
"""
from __future__ import annotations

import time
from typing import Callable

MODES = ("123", "2aB", "abc", "ABC")
KEYS = frozenset("0123456789*#")
SYMBOLS = "*.'#?!\\-()$@/:"
_LETTERS = {
    "2": "abc", "3": "def", "4": "ghi", "5": "jkl",
    "6": "mno", "7": "pqrs", "8": "tuv", "9": "wxyz",
}


def cycle_for(mode: str, key: str) -> str:
    """The characters ``key`` steps through in ``mode`` ("" if it enters none)."""
    if mode not in MODES:
        raise ValueError(f"input mode must be one of {MODES}, not {mode!r}")
    if key == "*":
        return SYMBOLS
    if key in "01":
        return key if mode in ("123", "2aB") else (" " if key == "0" else "")
    letters = _LETTERS[key]
    return {
        "123": key,
        "2aB": key + letters + letters.upper(),
        "abc": letters + key,
        "ABC": letters.upper() + key,
    }[mode]


class MultiTapInput:
    """The state of one text field being typed on the keypad."""

    def __init__(
        self,
        text: str = "",
        mode: str = "123",
        commit_after: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        max_length: int | None = None,
    ):
        if mode not in MODES:
            raise ValueError(f"input mode must be one of {MODES}, not {mode!r}")
        self._committed = text
        self._cursor = len(text)
        self._mode = mode
        self._commit_after = commit_after
        self._clock = clock
        self._max_length = max_length
        self._pending_key: str | None = None
        self._pending_index = 0
        self._last_press = 0.0

    # -- what the LCD shows -----------------------------------------------------
    @property
    def text(self) -> str:
        """The field's text as shown: committed characters plus the pending one."""
        self.tick()
        pending = self._pending_char() or ""
        return self._committed[: self._cursor] + pending + self._committed[self._cursor :]

    @property
    def pending(self) -> str | None:
        """The character still being chosen (shown, not yet committed), if any."""
        self.tick()
        return self._pending_char()

    @property
    def mode(self) -> str:
        return self._mode

    @property
    def cursor(self) -> int:
        """Position in the committed text where the next character goes."""
        return self._cursor

    # -- keys ---------------------------------------------------------------
    def press(self, key: str) -> None:
        """One key press: ``0``-``9``, ``*`` or ``#``."""
        if key not in KEYS or len(key) != 1:
            raise ValueError(f"not a keypad key for text entry: {key!r}")
        now = self._clock()
        self.tick()
        if key == "#":
            self.commit()
            self._mode = MODES[(MODES.index(self._mode) + 1) % len(MODES)]
            return
        chars = cycle_for(self._mode, key)
        if self._pending_key == key:
            # Same key within the commit window: next character, wrapping.
            self._pending_index = (self._pending_index + 1) % len(chars)
            self._last_press = now
            return
        self.commit()
        if not chars or self._full():
            return
        if len(chars) == 1:
            self._insert(chars)
            return
        self._pending_key, self._pending_index, self._last_press = key, 0, now

    def tick(self) -> None:
        """Commit the pending character if no key came for ``commit_after`` seconds."""
        if self._pending_key is not None and self._clock() - self._last_press >= self._commit_after:
            self.commit()

    def commit(self) -> None:
        """Commit the pending character now (e.g. the Save soft key was pressed)."""
        char = self._pending_char()
        self._pending_key = None
        if char is not None:
            self._insert(char)

    def delete(self) -> None:
        """The delete key: drop the pending character, else the one before the cursor."""
        self.tick()
        if self._pending_key is not None:
            self._pending_key = None
            return
        if self._cursor > 0:
            self._committed = self._committed[: self._cursor - 1] + self._committed[self._cursor :]
            self._cursor -= 1

    def move_cursor(self, delta: int) -> None:
        """Left/right navigation keys: commit, then move the cursor within the text."""
        self.commit()
        self._cursor = max(0, min(len(self._committed), self._cursor + delta))

    def set_mode(self, mode: str) -> None:
        """Jump straight to a mode (a field may open in 123 for numbers, abc for names)."""
        if mode not in MODES:
            raise ValueError(f"input mode must be one of {MODES}, not {mode!r}")
        self.commit()
        self._mode = mode

    # -- internals ----------------------------------------------------------
    def _pending_char(self) -> str | None:
        if self._pending_key is None:
            return None
        return cycle_for(self._mode, self._pending_key)[self._pending_index]

    def _full(self) -> bool:
        return self._max_length is not None and len(self._committed) >= self._max_length

    def _insert(self, char: str) -> None:
        if self._full():
            return
        self._committed = self._committed[: self._cursor] + char + self._committed[self._cursor :]
        self._cursor += len(char)
