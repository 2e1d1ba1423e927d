"""The words the phone's own UI shows, for settling OCR's known letter confusions.

Only the phone's vocabulary is used here: the labels and choices of the
configuration schema (``reference_impl.schema``, the single source of truth
for what the web, the LCD and the CFG show).  Names and numbers are user data
and are never corrected.

The one confusion settled so far: tesseract's English model reads a capital
D of the LCD's font as O when the picture is blurred ("DNS" as "ONS", "UDP" as
"UOP", "LDAP" as "LOAP"; 7 of the 1657 English lines of the OCR benchmark at
the middle level, read with line confidences 78..96, so no threshold on
confidence finds them).  An all-capital word that is not a UI word, but becomes
one when some of its O are put back to D, is taken to be that word.  No UI
word turns into another one that way (checked by ``tests/test_lcd_ocr.py``), so a
correct reading is never changed; digits are never touched.
"""
from __future__ import annotations

import itertools
import re
from functools import lru_cache

_CAPS_WORD = re.compile(r"\b[A-Z0-9]*O[A-Z0-9]*\b")


@lru_cache(maxsize=1)
def ui_words() -> frozenset[str]:
    """Every Latin word of the schema's labels and choices, as written."""
    try:
        from reference_impl.schema import SCHEMA
    except ImportError:          # a harness without the reference phone: nothing to settle with
        return frozenset()
    words: set[str] = set()
    for setting in SCHEMA.values():
        for text in (setting.label, *setting.choices):
            words.update(re.findall(r"[A-Za-z][A-Za-z0-9]*", str(text)))
    return frozenset(words)


def _as_ui_word(word: str, vocabulary: frozenset[str]) -> str:
    if word in vocabulary or not re.search(r"[A-Z]", word) or re.search(r"[a-z]", word):
        return word
    spots = [i for i, ch in enumerate(word) if ch == "O"]
    if len(spots) > 3:
        return word
    for count in range(1, len(spots) + 1):
        found = set()
        for chosen in itertools.combinations(spots, count):
            candidate = "".join("D" if i in chosen else ch for i, ch in enumerate(word))
            if candidate in vocabulary:
                found.add(candidate)
        if len(found) == 1:
            return found.pop()
        if found:                # two UI words fit: not ours to choose
            return word
    return word


def restore_capital_d(text: str, vocabulary: frozenset[str] | None = None) -> str:
    """``text`` with each all-capital non-UI word that is a UI word read with D as O put right."""
    vocabulary = ui_words() if vocabulary is None else vocabulary
    if not vocabulary or "O" not in text:
        return text
    return _CAPS_WORD.sub(lambda m: _as_ui_word(m.group(0), vocabulary), text)
