"""The nightly comparison on two synthetic runs with a known difference."""
from __future__ import annotations

import json
from pathlib import Path

from reports.compare import compare, render_text


def write_run(path: Path, scenarios: dict[str, tuple[str, float]]) -> Path:
    path.mkdir(parents=True)
    recs = [{"nodeid": n, "scenario": n.split("::")[-1], "outcome": o, "duration": d, "requirements": [],
             "message": f"{o} message" if o != "passed" else ""} for n, (o, d) in scenarios.items()]
    (path / "results.json").write_text(json.dumps({"run": {"run_id": path.name, "state": "finished"},
                                                   "scenarios": recs}))
    return path


def test_compare_reports_exactly_the_known_difference(tmp_path):
    a = write_run(tmp_path / "night-1", {
        "f::stable": ("passed", 1.0), "f::breaks": ("passed", 1.0), "f::heals": ("failed", 1.0),
        "f::slows": ("passed", 2.0), "f::jitter": ("passed", 0.1), "f::bench": ("passed", 1.0),
        "f::same_fail": ("failed", 1.0), "f::dropped": ("passed", 1.0)})
    b = write_run(tmp_path / "night-2", {
        "f::stable": ("passed", 1.2), "f::breaks": ("failed", 1.0), "f::heals": ("passed", 1.0),
        "f::slows": ("passed", 3.5), "f::jitter": ("passed", 0.3), "f::bench": ("lab-error", 0.5),
        "f::same_fail": ("failed", 1.0), "f::new_bug": ("error", 0.2)})
    c = compare(a, b, factor=1.5)
    assert [(x.nodeid, x.before) for x in c.newly_failing] == [("f::breaks", "passed"), ("f::new_bug", "absent")]
    assert [x.nodeid for x in c.newly_passing] == ["f::heals"]
    assert [x.nodeid for x in c.slower] == ["f::slows"]          # 0.1 -> 0.3 s is under the 0.5 s floor
    assert [(x.nodeid, x.before) for x in c.lab_errors] == [("f::bench", "passed")]
    assert [x.nodeid for x in c.still_failing] == ["f::same_fail"]
    assert (c.added, c.removed) == (["f::new_bug"], ["f::dropped"])
    text = render_text(c)
    assert "NEWLY FAILING (2)" in text and "NEWLY PASSING (1)" in text and "LAB ERRORS" in text
    assert "2.00 s -> 3.50 s (1.8×)" in text


def test_identical_runs_show_nothing_new(tmp_path):
    runs = {"f::a": ("passed", 1.0), "f::b": ("failed", 1.0)}
    c = compare(write_run(tmp_path / "a", runs), write_run(tmp_path / "b", runs))
    assert not (c.newly_failing or c.newly_passing or c.slower or c.lab_errors or c.added or c.removed)
    assert not c.regressed


def test_a_factor_option_changes_what_counts_as_slower(tmp_path):
    a = write_run(tmp_path / "a", {"f::x": ("passed", 2.0)})
    b = write_run(tmp_path / "b", {"f::x": ("passed", 3.5)})
    assert [x.nodeid for x in compare(a, b, factor=1.5).slower] == ["f::x"]
    assert compare(a, b, factor=2.0).slower == []
