"""A small side channel for drivers and steps to leave evidence in the report.

Drivers should not know where a run keeps its files, nor whether Allure is on.
They call ``attach("ocr-A.txt", text)`` or ``measure("INVITE retransmit 2",
0.501, expected=0.5, tolerance=0.01, unit="s")`` and the report plugin does the
rest: the file lands in the running scenario's evidence directory (so it is
hashed in the manifest and listed in ``results.json``), and at teardown every
file of that directory becomes an Allure attachment.  Measurements keep the
measured value, the expected one and the tolerance, not just pass/fail.

Outside a scenario (a driver's unit test, a REPL) both calls do nothing and
return None: evidence is never a reason for a driver to fail.
"""
from __future__ import annotations

import math
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class ScenarioEvidence:
    """Where the running scenario keeps its evidence (set by reports.plugin)."""

    nodeid: str
    directory: Path
    measurements: list[dict] = field(default_factory=list)


_current: ScenarioEvidence | None = None


def begin(nodeid: str, directory: Path) -> ScenarioEvidence:
    global _current
    _current = ScenarioEvidence(nodeid, Path(directory))
    return _current


def end() -> ScenarioEvidence | None:
    global _current
    done, _current = _current, None
    return done


def current() -> ScenarioEvidence | None:
    return _current


def _safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("._") or "evidence"


def attach(name: str, content: str | bytes | None = None, *, path: str | Path | None = None) -> Path | None:
    """Keep ``content`` (or a copy of the file at ``path``) as ``name`` in the scenario's evidence.

    ``name`` carries the extension the report uses to show it (``.png`` inline,
    ``.txt`` as text, ``.pcap`` as a download).  An existing name gets a numeric
    suffix rather than being overwritten: evidence is append-only.
    """
    ev = _current
    if ev is None:
        return None
    ev.directory.mkdir(parents=True, exist_ok=True)
    target = ev.directory / _safe_name(name)
    stem, suffix, n = target.stem, target.suffix, 1
    while target.exists():
        n += 1
        target = ev.directory / f"{stem}-{n}{suffix}"
    if path is not None:
        if Path(path).resolve() != target.resolve():
            shutil.copyfile(path, target)
    elif isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content or "", encoding="utf-8")
    return target


def measure(name: str, value: float, expected: float | None = None, tolerance: float | None = None,
            unit: str = "", passed: bool | None = None) -> dict | None:
    """Record a measured value with what was expected and how much deviation was allowed.

    ``passed`` defaults to ``|value - expected| <= tolerance`` when both are given.
    """
    if passed is None and expected is not None and tolerance is not None:
        passed = math.isfinite(value) and abs(value - expected) <= tolerance
    record = {"name": name, "value": value, "expected": expected, "tolerance": tolerance,
              "unit": unit, "passed": passed, "at": time.time()}
    if _current is not None:
        _current.measurements.append(record)
        return record
    return None
