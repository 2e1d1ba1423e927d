"""Nightly regression: what changed between two runs — the page a lab lead reads in the morning.

Scenarios are matched by pytest node id.  The buckets, each a verdict on the
*phone* unless it says otherwise:

* newly failing  -- fails in B (phone failure or harness error), did not fail in A
  (passed, lab error, skipped, or was not there);
* newly passing  -- passes in B, failed in A;
* slower         -- passed in both, B took more than ``factor`` × A and at least
  ``min_delta`` seconds longer (so 0.01 s -> 0.02 s is not news);
* lab errors     -- B's lab errors, kept apart: they say nothing about the phone;
* added / removed scenarios.
"""
from __future__ import annotations

import html
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import load_results

FAILING = ("failed", "error")


@dataclass
class Change:
    nodeid: str
    scenario: str
    before: str          # outcome in A ("absent" when A did not have it)
    after: str           # outcome in B
    detail: str = ""     # message of B's failure, or the durations


@dataclass
class Comparison:
    run_a: str
    run_b: str
    factor: float
    newly_failing: list[Change] = field(default_factory=list)
    newly_passing: list[Change] = field(default_factory=list)
    slower: list[Change] = field(default_factory=list)
    lab_errors: list[Change] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    still_failing: list[Change] = field(default_factory=list)

    @property
    def regressed(self) -> bool:
        return bool(self.newly_failing)

    def to_dict(self) -> dict:
        return asdict(self)


def _message(s: dict) -> str:
    step = s.get("failing_step") or {}
    where = f'{step.get("keyword", "")} {step.get("text", "")}: ' if step else ""
    return (where + (step.get("message") or s.get("message") or "")).strip().splitlines()[0][:300] if (
        step or s.get("message")) else ""


def compare(run_a: Path, run_b: Path, factor: float = 1.5, min_delta: float = 0.5) -> Comparison:
    a = {s["nodeid"]: s for s in load_results(run_a)["scenarios"]}
    b = {s["nodeid"]: s for s in load_results(run_b)["scenarios"]}
    out = Comparison(Path(run_a).name, Path(run_b).name, factor)
    for nodeid, sb in b.items():
        sa = a.get(nodeid)
        before, after = (sa or {}).get("outcome", "absent"), sb.get("outcome", "error")
        name = sb.get("scenario", nodeid) + (f" {sb['example']}" if sb.get("example") else "")
        if after in FAILING and before not in FAILING:
            out.newly_failing.append(Change(nodeid, name, before, after, _message(sb)))
        elif after in FAILING:
            out.still_failing.append(Change(nodeid, name, before, after, _message(sb)))
        elif after == "passed" and before in FAILING:
            out.newly_passing.append(Change(nodeid, name, before, after))
        if after == "lab-error":
            out.lab_errors.append(Change(nodeid, name, before, after, _message(sb)))
        if after == "passed" and before == "passed":
            da, db = float(sa.get("duration") or 0), float(sb.get("duration") or 0)
            if db > factor * da and db - da >= min_delta:
                ratio = f"{db / da:.1f}×" if da > 0 else "new time"
                out.slower.append(Change(nodeid, name, before, after, f"{da:.2f} s -> {db:.2f} s ({ratio})"))
        if sa is None:
            out.added.append(nodeid)
    out.removed = sorted(set(a) - set(b))
    return out


def render_text(c: Comparison) -> str:
    lines = [f"h680-hil nightly comparison: {c.run_a} -> {c.run_b}", ""]

    def block(title: str, changes: list[Change], show_before: bool = True) -> None:
        lines.append(f"{title} ({len(changes)})")
        for ch in changes:
            was = f"  [was {ch.before}]" if show_before else ""
            lines.append(f"  - {ch.scenario}{was}  {ch.nodeid}")
            if ch.detail:
                lines.append(f"      {ch.detail}")
        lines.append("")

    block("NEWLY FAILING", c.newly_failing)
    block("NEWLY PASSING", c.newly_passing)
    block(f"SLOWER by more than {c.factor}x", c.slower, show_before=False)
    block("LAB ERRORS in the new run (no verdict on the phone)", c.lab_errors)
    block("Still failing", c.still_failing, show_before=False)
    lines.append(f"Scenarios added: {len(c.added)}, removed: {len(c.removed)}")
    lines += [f"  + {n}" for n in c.added] + [f"  - {n}" for n in c.removed]
    return "\n".join(lines) + "\n"


def render_html(c: Comparison) -> str:
    e = html.escape
    body = "".join(f"<h2>{e(line)}</h2>" if line and not line.startswith(" ") else f"<pre>{e(line)}</pre>"
                   for line in render_text(c).splitlines() if line)
    return (f"<!doctype html><html><head><meta charset=utf-8><title>{e(c.run_a)} → {e(c.run_b)}</title>"
            "<style>body{font:13px sans-serif;max-width:1100px;margin:20px auto}h2{font-size:15px;margin:14px 0 2px}"
            f"pre{{margin:0}}</style></head><body>{body}</body></html>")


def write_json(c: Comparison, path: Path) -> None:
    Path(path).write_text(json.dumps(c.to_dict(), indent=1), encoding="utf-8")
