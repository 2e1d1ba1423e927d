"""Evidence of a run that stands up in an audit.

* ``reports.plugin``   -- pytest plugin: ``results.json`` (written after every scenario),
  Allure results with chapter/section/requirement labels and the scenario's evidence attached.
* ``reports.evidence`` -- ``attach()`` / ``measure()`` for drivers and steps.
* ``python -m reports certify|verify|compare|allure|catalogue`` -- the certification report
  (HTML + PDF), the SHA-256 manifest check, the nightly comparison, the Allure HTML report,
  the requirements catalogue.

This module holds what they share: the ``results.json`` format and its tolerant reader.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

RESULTS_FILE = "results.json"
RESULTS_SCHEMA = "h680-hil/results/1"
# Every outcome a scenario record can carry.  "failed" is the phone's fault (PhoneFailure /
# AssertionError), "lab-error" the bench's (LabError), "error" the harness's own (any other
# exception), "interrupted" a scenario cut short by Ctrl-C.
OUTCOMES = ("passed", "failed", "lab-error", "error", "skipped", "interrupted")


def write_json_atomic(path: Path, doc: dict) -> None:
    """Replace ``path`` in one step, so a reader (or a Ctrl-C) never sees half a file."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(doc, indent=1, ensure_ascii=False, default=str), encoding="utf-8")
    os.replace(tmp, path)


def load_results(run_dir: Path) -> dict:
    """The run's ``results.json``; a missing or unreadable file gives an empty run with a problem noted.

    The report must still say *something* readable about a run that never got
    as far as its first scenario.
    """
    path = Path(run_dir) / RESULTS_FILE
    problems: list[str] = []
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        doc, problems = {}, [f"{RESULTS_FILE} is missing: the run recorded no scenario"]
    except (OSError, ValueError) as exc:
        doc, problems = {}, [f"{RESULTS_FILE} cannot be read: {exc}"]
    doc.setdefault("run", {})
    doc.setdefault("scenarios", [])
    doc["run"].setdefault("run_id", Path(run_dir).resolve().name)
    doc["problems"] = doc.get("problems", []) + problems
    if doc["run"].get("state", "running") == "running" and not problems:
        doc["problems"].append("the run did not finish (no end recorded): the report shows what ran")
    for left_out in doc["run"].get("not_run", []):
        doc["problems"].append(f"{len(left_out['scenarios'])} scenarios tagged @{left_out['tag']} were not run on "
                               f"this bench (target {doc['run'].get('target')}): {left_out['reason']}; "
                               "their requirements have no verdict from this run")
    return doc
