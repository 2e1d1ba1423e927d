"""Chapter 4 settings that reach beyond one schema entry: language link, DST rule checks, tones.

* ``phone.language`` (web, LCD) and ``language_setting.languages`` (the chapter 6 CFG form, 0 =
  Chinese, 1 = English) are one setting: whichever changes, the other follows (``linked``).
* A manual DST edge by date must be a real day of its month (30 April, not 31).
* Custom signal tones must be tone definitions (reference_impl/sounds.py).
"""
from __future__ import annotations

import calendar

from .sounds import TONE_TYPES, tone_problem

LANGUAGE_CODES = {"Chinese": 0, "English": 1}


def linked(parsed: dict, config: dict) -> dict:
    """Extra changes that keep linked settings in agreement with ``parsed``."""
    extra = {}
    if "phone.language" in parsed and "language_setting.languages" not in parsed:
        extra["language_setting.languages"] = LANGUAGE_CODES[parsed["phone.language"]]
    elif "language_setting.languages" in parsed and "phone.language" not in parsed:
        code = int(parsed["language_setting.languages"])
        extra["phone.language"] = next(k for k, v in LANGUAGE_CODES.items() if v == code)
    return extra


def rule_problems(v: dict) -> list[tuple[tuple[str, ...], str]]:
    out = []
    if v.get("time.dst.mode") == "Manual" and v.get("time.dst.rule") == "By Date":
        for edge in ("start", "end"):
            month, day = int(v[f"time.dst.{edge}.month"]), int(v[f"time.dst.{edge}.day"])
            last = 29 if month == 2 else calendar.monthrange(2001, month)[1]
            if day > last:
                key = f"time.dst.{edge}.day"
                out.append(((key, f"time.dst.{edge}.month"),
                            f"{key}: {day} is not a day of month {month} (allowed: 1..{last})"))
    for key, _ in TONE_TYPES:
        text = v.get(f"tones.{key}")
        if text is None:
            continue
        problem = tone_problem(str(text))
        if problem:
            out.append(((f"tones.{key}",), f"tones.{key}: {str(text)!r} {problem}"))
    return out
