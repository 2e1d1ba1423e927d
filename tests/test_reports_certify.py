"""The certification report on synthetic run directories: failures first, empty and interrupted runs."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from reports import catalogue as cat
from reports import manifest
from reports.certify import certify

CHAPTER = "01 Overview"


def small_catalogue(path: Path) -> Path:
    import yaml
    reqs = [cat.Requirement(f"REQ-T-0{i}", "T", CHAPTER, "1.1", "Keys", "manual §1.1", f"Title {i}").__dict__
            for i in range(1, 5)]
    path.write_text(yaml.safe_dump({"source": "test", "source_sha256": "0" * 64, "requirements": reqs}))
    return path


def scenario(n: int, outcome: str, reqs: list[str], evidence: list[str] = (), step: dict | None = None) -> dict:
    return {"nodeid": f"features/01_overview/test_x.py::test_{n}", "feature": "Keys (manual §1.1)",
            "chapter": CHAPTER, "scenario": f"Scenario {n} {outcome}", "requirements": reqs, "outcome": outcome,
            "duration": 1.0 + n, "failing_step": step, "message": f"{outcome}!" if outcome != "passed" else "",
            "evidence": list(evidence), "measurements": [], "phase": None if outcome == "passed" else "call"}


def write_run(run: Path, scenarios: list[dict], state: str = "finished", interrupted: bool = False) -> Path:
    run.mkdir(parents=True, exist_ok=True)
    doc = {"schema": "h680-hil/results/1",
           "run": {"run_id": run.name, "state": state, "interrupted": interrupted, "target": "reference",
                   "bench": "reference", "operator": "tester", "harness_version": "0.1.0", "git_commit": "abc",
                   "started": "2026-01-01T00:00:00+00:00", "finished": None if state == "running" else "x",
                   "duts": {"A": {"ip": "127.0.5.11", "model": "SIP-H680W", "firmware": "2.0.4.12-ref",
                                  "mac": "00:15:65:00:00:11", "serial": "H680-000011", "hardware": "1.0"}}},
           "scenarios": scenarios}
    (run / "results.json").write_text(json.dumps(doc))
    return run


def pdf_text(pdf: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (apt poppler-utils) not installed")
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          timeout=20, check=True).stdout


def test_failures_come_first_with_their_evidence_inline(tmp_path):
    run = tmp_path / "run"
    ev = run / "scenarios" / "s2"
    ev.mkdir(parents=True)
    Image.new("RGB", (60, 40), (200, 30, 30)).save(ev / "lcd.png")
    (ev / "lcd-A.txt").write_text("Alice\nWrong password\n")
    write_run(run, [
        scenario(1, "passed", ["REQ-T-01"]),
        scenario(3, "lab-error", ["REQ-T-03"], step={"keyword": "When", "text": "the registrar dies", "line": 9,
                                                     "message": "[lab: registrar] gone"}),
        scenario(2, "failed", ["REQ-T-02", "REQ-NOT-99"], ["scenarios/s2/lcd.png", "scenarios/s2/lcd-A.txt"],
                 step={"keyword": "Then", "text": 'A shows "Menu"', "line": 7, "message": "never showed Menu"}),
    ])
    digest, manifest_sha = certify(run, small_catalogue(tmp_path / "cat.yaml"))
    html = (run / "certification.html").read_text()
    failed_at, lab_at, matrix_at = html.index("Scenario 2 failed"), html.index("Scenario 3 lab-error"), \
        html.index("Traceability matrix")
    assert failed_at < lab_at < matrix_at                   # phone failures first, then lab errors
    assert '<img src="scenarios/s2/lcd.png"' in html and "Wrong password" in html
    assert "Then A shows &quot;Menu&quot;" in html
    assert digest in html and "REQ-NOT-99" in html           # the digest, and a tag the catalogue lacks
    assert "2 of 4 covered" not in html and "3 of 4 covered (75.0 %)" in html
    text = pdf_text(run / "certification.pdf")
    assert "Failures first (2)" in text and "REQ-T-04" in text and "not covered" in text
    assert manifest.verify(run).ok and manifest.verify(run).manifest_sha256 == manifest_sha


def test_an_empty_run_still_gives_a_readable_report(tmp_path):
    run = tmp_path / "empty"
    run.mkdir()
    certify(run, small_catalogue(tmp_path / "cat.yaml"))
    html = (run / "certification.html").read_text()
    assert "results.json is missing" in html and "0 of 4 covered" in html and "No scenario failed." in html
    assert "not covered" in pdf_text(run / "certification.pdf")


def test_an_interrupted_run_says_so_and_shows_what_ran(tmp_path):
    run = write_run(tmp_path / "cut", [scenario(1, "passed", ["REQ-T-01"]),
                                        scenario(2, "interrupted", ["REQ-T-02"])],
                    state="interrupted", interrupted=True)
    certify(run, small_catalogue(tmp_path / "cat.yaml"))
    html = (run / "certification.html").read_text()
    assert "INTERRUPTED" in html and "Scenario 1 passed" in html and "Scenario 2 interrupted" in html
    assert "INTERRUPTED" in pdf_text(run / "certification.pdf")


def test_a_run_that_never_recorded_its_end_is_flagged(tmp_path):
    run = write_run(tmp_path / "crashed", [scenario(1, "passed", ["REQ-T-01"])], state="running")
    certify(run, small_catalogue(tmp_path / "cat.yaml"))
    assert "did not finish" in (run / "certification.html").read_text()


def test_a_changed_bundle_is_not_silently_re_certified(tmp_path):
    run = write_run(tmp_path / "run", [scenario(1, "passed", ["REQ-T-01"])])
    catalogue = small_catalogue(tmp_path / "cat.yaml")
    certify(run, catalogue)
    certify(run, catalogue)                                  # unchanged: certifying again is fine
    (run / "results.json").write_text((run / "results.json").read_text().replace("passed", "failed"))
    with pytest.raises(RuntimeError, match="changed since"):
        certify(run, catalogue)
    certify(run, catalogue, force=True)
    assert manifest.verify(run).ok


def test_scenarios_a_bench_could_not_run_are_named_in_the_report(tmp_path):
    from reports import load_results
    run = {"run_id": "r1", "state": "finished", "target": "handset",
           "not_run": [{"tag": "bench_speaker", "reason": "needs a speaker at the microphone",
                        "scenarios": ["features/x.py::test_a", "features/x.py::test_b"]}]}
    (tmp_path / "results.json").write_text(json.dumps({"run": run, "scenarios": []}))
    problems = load_results(tmp_path)["problems"]
    assert problems == ["2 scenarios tagged @bench_speaker were not run on this bench (target handset): "
                        "needs a speaker at the microphone; their requirements have no verdict from this run"]
