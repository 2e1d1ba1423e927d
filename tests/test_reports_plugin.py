"""The pytest plugin, on a small synthetic Gherkin project run in a child pytest (no phones).

The child project has its own conftest with a fake ``bench`` (evidence
directory, a DUT whose screen and web UI kept a history) and steps that pass,
fail like the phone would (AssertionError), break like the lab would
(LabError), or break the harness (TypeError).  We check results.json, the
Allure results (labels, categories, attachments) and Ctrl-C.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

CONFTEST = '''
import os, re, time
from pathlib import Path
from types import SimpleNamespace
import pytest

class LabError(RuntimeError):
    pass

def pytest_configure(config):
    config.h680_run_dir = Path(os.environ["H5_RUN_DIR"])
    config.addinivalue_line("markers", "req(id): requirement")
    config.addinivalue_line("markers", "broken_bench: the bench fixture fails")

def pytest_bdd_apply_tag(tag, function):
    if re.fullmatch(r"REQ-[A-Z0-9]+-\\d+", tag):
        pytest.mark.req(tag)(function)
        return True
    return None

class Screen:
    def __init__(self, text):
        self.text_ = text
        self.screen, self.icons, self.at = "standby", ["battery"], time.time()
    def text(self):
        return self.text_

@pytest.fixture(scope="session")
def duts():
    web = SimpleNamespace(transcript=[])
    return {"A": SimpleNamespace(screen=SimpleNamespace(seen=[]), web=web)}

@pytest.fixture(autouse=True)
def bench_power(request):
    if request.node.get_closest_marker("broken_bench"):     # fails in setup, before any step
        raise LabError("[lab: registrar] did not start")

@pytest.fixture
def bench(request, duts):
    d = Path(os.environ["H5_RUN_DIR"]) / "scenarios" / re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)[-120:]
    d.mkdir(parents=True, exist_ok=True)
    (d / "sip.pcap").write_bytes(b"\\xd4\\xc3\\xb2\\xa1fake")
    log = Path(os.environ["H5_RUN_DIR"]) / "kamailio" / "kamailio.log"
    log.parent.mkdir(exist_ok=True)
    with open(log, "a") as f:
        f.write(f"REGISTER during {request.node.name}\\n")
    duts["A"].screen.seen.append(Screen("Alice\\nHistory | Menu"))
    duts["A"].web.transcript.append(SimpleNamespace(method="GET", url="http://x/api/status", request="",
                                                    status=200, response="{}", at=time.time()))
    return SimpleNamespace(evidence_dir=d, duts=duts)
'''

FEATURE = '''
Feature: Keys of the handset (manual §1.1)

  @REQ-KEYS-01
  Scenario: A passing scenario
    Given the bench is up
    Then all is well

  @REQ-KEYS-02 @REQ-KEYS-03
  Scenario: The phone does wrong
    Given the bench is up
    Then the phone shows "Menu"

  @REQ-KEYS-04
  Scenario: The lab breaks in a step
    Given the bench is up
    When the registrar dies

  @REQ-KEYS-05 @broken_bench
  Scenario: The lab breaks before the first step
    Given the bench is up

  Scenario: The harness has a bug
    Given the bench is up
    When the harness divides by a string

  @REQ-KEYS-06
  Scenario: Ctrl-C here
    Given the bench is up
    When the operator presses Ctrl-C if asked
'''

STEPS = '''
import os
from pytest_bdd import given, parsers, scenarios, then, when
from conftest import LabError
from reports import evidence

scenarios(".")

@given("the bench is up")
def _up(bench):
    evidence.attach("note.txt", "bench up")

@then("all is well")
def _well(bench):
    evidence.measure("T1", 0.501, expected=0.5, tolerance=0.01, unit="s")

@then(parsers.parse('the phone shows "{text}"'))
def _shows(bench, text):
    raise AssertionError(f"the LCD never showed {text!r}")

@when("the registrar dies")
def _dies(bench):
    raise LabError("[lab: registrar] stopped answering")

@when("the harness divides by a string")
def _bug(bench):
    return 1 / "x"

@when("the operator presses Ctrl-C if asked")
def _ctrl_c(bench):
    if os.environ.get("H5_CTRL_C"):
        raise KeyboardInterrupt
'''


def run_child(tmp_path: Path, ctrl_c: bool = False, *extra: str) -> tuple[Path, subprocess.CompletedProcess]:
    project = tmp_path / "project"
    chapter = project / "01_overview"
    chapter.mkdir(parents=True)
    (project / "conftest.py").write_text(CONFTEST)
    (chapter / "keys.feature").write_text(textwrap.dedent(FEATURE))
    (chapter / "test_keys.py").write_text(STEPS)
    run_dir = tmp_path / "run"
    env = {**os.environ, "H5_RUN_DIR": str(run_dir), "PYTHONPATH": f"{REPO}{os.pathsep}{project}",
           "H5_CTRL_C": "1" if ctrl_c else ""}
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "reports.plugin", "-p", "no:cacheprovider",
                           "--rootdir", str(project), "-c", os.devnull, "--operator", "Grace", "-q", *extra, str(project)],
                          cwd=project, env=env, capture_output=True, text=True, timeout=60)
    return run_dir, done


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory):
    return run_child(tmp_path_factory.mktemp("plugin"))


def records(run_dir: Path) -> dict[str, dict]:
    doc = json.loads((run_dir / "results.json").read_text())
    return {s["scenario"]: s for s in doc["scenarios"]}


def test_results_json_has_one_record_per_scenario_with_the_right_outcome(finished_run):
    run_dir, done = finished_run
    assert done.returncode == 1, done.stdout + done.stderr
    recs = records(run_dir)
    assert {k: v["outcome"] for k, v in recs.items()} == {
        "A passing scenario": "passed", "The phone does wrong": "failed", "The lab breaks in a step": "lab-error",
        "The lab breaks before the first step": "lab-error", "The harness has a bug": "error",
        "Ctrl-C here": "passed"}
    wrong = recs["The phone does wrong"]
    assert wrong["chapter"] == "01 Overview" and wrong["feature"] == "Keys of the handset (manual §1.1)"
    assert wrong["requirements"] == ["REQ-KEYS-02", "REQ-KEYS-03"]
    assert wrong["failing_step"]["text"] == 'the phone shows "Menu"' and "never showed" in wrong["message"]
    assert recs["The lab breaks before the first step"]["phase"] == "setup"
    log_slice = [p for p in wrong["evidence"] if p.endswith("log-kamailio_kamailio.txt")]
    assert len(log_slice) == 1                                # what the registrar logged during this scenario
    assert (run_dir / log_slice[0]).read_text() == "REGISTER during test_the_phone_does_wrong\n"
    passed = recs["A passing scenario"]
    names = sorted(Path(p).name for p in passed["evidence"])
    assert names == ["lcd-A.txt", "measurements.json", "note.txt", "sip.pcap", "web-A.txt"]
    assert passed["measurements"][0]["passed"] is True and passed["duration"] > 0
    run = json.loads((run_dir / "results.json").read_text())["run"]
    assert run["state"] == "finished" and run["interrupted"] is False and run["operator"] == "Grace"
    assert run["git_commit"] and run["harness_version"]


def test_allure_results_carry_chapter_section_requirements_and_evidence(finished_run):
    run_dir, _ = finished_run
    allure = run_dir / "allure-results"
    results = [json.loads(p.read_text()) for p in allure.glob("*-result.json")]
    by_name = {r["name"]: r for r in results}
    assert len(by_name) == 6                                  # the setup failure is there too
    wrong = by_name["The phone does wrong"]
    labels = {(x["name"], x["value"]) for x in wrong["labels"]}
    assert {("feature", "01 Overview"), ("story", "Keys of the handset (manual §1.1)"), ("tag", "REQ-KEYS-02"),
            ("requirement", "REQ-KEYS-03")} <= labels
    assert {x["name"] for x in wrong["links"]} == {"REQ-KEYS-02", "REQ-KEYS-03"}
    assert wrong["status"] == "failed"
    assert by_name["The lab breaks in a step"]["status"] == "broken"
    assert by_name["The lab breaks before the first step"]["status"] == "broken"
    attached = {a["name"] for a in by_name["A passing scenario"]["attachments"]}
    assert {"sip.pcap", "lcd-A.txt", "web-A.txt", "note.txt", "measurements.json"} <= attached
    categories = json.loads((allure / "categories.json").read_text())
    assert [c["name"] for c in categories] == ["Phone failure", "Lab error", "Harness error"]
    env = (allure / "environment.properties").read_text()
    assert "target=unknown" in env and "operator=Grace" in env


def test_ctrl_c_leaves_a_readable_results_file(tmp_path):
    run_dir, done = run_child(tmp_path, ctrl_c=True)
    assert done.returncode == 2, done.stdout + done.stderr
    doc = json.loads((run_dir / "results.json").read_text())
    assert doc["run"]["interrupted"] is True and doc["run"]["state"] == "interrupted"
    outcomes = {s["scenario"]: s["outcome"] for s in doc["scenarios"]}
    assert outcomes["Ctrl-C here"] == "interrupted"
    assert outcomes["A passing scenario"] == "passed"


def test_a_parallel_run_joins_its_workers_parts_into_one_record(tmp_path, finished_run):
    serial_dir, _ = finished_run
    run_dir, done = run_child(tmp_path, False, "-n", "2")
    assert (run_dir / "results.json").exists(), done.stdout + done.stderr
    parallel, serial = records(run_dir), records(serial_dir)
    assert {k: v["outcome"] for k, v in parallel.items()} == {k: v["outcome"] for k, v in serial.items()}
    doc = json.loads((run_dir / "results.json").read_text())
    assert doc["run"]["state"] == "finished" and sorted(doc["run"]["workers"]) == ["gw0", "gw1"]
    assert list(run_dir.glob("results.*.json")) == []          # the parts are gone once joined
