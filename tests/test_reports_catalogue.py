"""The requirements catalogue: generated from the spec, and the coverage arithmetic on a small one."""
from __future__ import annotations

import re

import pytest

from reports import catalogue as cat

SPEC = """# catalogue
## 0. Product variants (manual: preface)
- **REQ-GEN-01** (manual preface) Two variants must exist. — verify via: LCD

## 1. Overview
### 1.1 Hardware keys (manual §1.1)
- **REQ-KEYS-01** (manual §1.1 item 1) The volume-up key must raise the volume: the ring volume when idle. — verify via: LCD
- **REQ-KEYS-02** (manual §1.1 item 2) The `#` key must not be used to dial `*` codes. — verify via: LCD

## A. Chapter 5 – Basic functions
### 5.6 Call forward (FWD)
#### 5.6.1 Active (manual) forward
- **REQ-FWD-01** (manual §5.6.1) A forwarded call keeps its caller ID. — verify via: SIP wire
#### General
- **REQ-FWD-02** (manual §5.6.1) Forwarding is refused for an empty number. — verify via: web UI
"""


def small_catalogue() -> cat.Catalogue:
    def req(rid, chapter):
        return cat.Requirement(rid, rid.split("-")[1], chapter, "1.1", "s", "manual", f"title {rid}")
    return cat.Catalogue([req("REQ-A-01", "01 Overview"), req("REQ-A-02", "01 Overview"),
                          req("REQ-A-03", "01 Overview"), req("REQ-A-04", "01 Overview"),
                          req("REQ-B-01", "05 Basic functions"), req("REQ-B-02", "05 Basic functions")])


def test_parse_spec_reads_ids_chapters_and_sections():
    reqs = {r.id: r for r in cat.parse_spec(SPEC)}
    assert list(reqs) == ["REQ-GEN-01", "REQ-KEYS-01", "REQ-KEYS-02", "REQ-FWD-01", "REQ-FWD-02"]
    assert reqs["REQ-GEN-01"].chapter == "00 Preface"
    assert (reqs["REQ-KEYS-01"].chapter, reqs["REQ-KEYS-01"].section) == ("01 Overview", "1.1")
    assert reqs["REQ-KEYS-01"].section_title == "Hardware keys"
    assert (reqs["REQ-FWD-01"].chapter, reqs["REQ-FWD-01"].section) == ("05 Basic functions", "5.6.1")
    assert reqs["REQ-FWD-02"].section == "5.6.1"            # "#### General" stays in its section
    assert reqs["REQ-KEYS-01"].title == "Volume-up key: raise volume"
    assert reqs["REQ-KEYS-02"].title.startswith("# key: not used")


def test_feature_folders_and_catalogue_spell_chapters_alike():
    assert cat.chapter_of_folder("03_getting_started") == "03 Getting started"
    assert cat.chapter_of_folder("misc") is None


def test_coverage_numbers_on_a_small_catalogue():
    scenarios = [
        {"nodeid": "t1", "outcome": "passed", "requirements": ["REQ-A-01", "REQ-A-02"]},
        {"nodeid": "t2", "outcome": "failed", "requirements": ["REQ-A-02"]},       # one failure fails A-02
        {"nodeid": "t3", "outcome": "lab-error", "requirements": ["REQ-A-03"]},    # no verdict on the phone
        {"nodeid": "t4", "outcome": "passed", "requirements": ["REQ-B-01", "REQ-X-99"]},
        {"nodeid": "t5", "outcome": "skipped", "requirements": []},
    ]
    result = cat.trace(small_catalogue(), scenarios)
    verdicts = {t.requirement.id: t.verdict for t in result.traces}
    assert verdicts == {"REQ-A-01": "passed", "REQ-A-02": "failed", "REQ-A-03": "lab-error",
                        "REQ-A-04": "not covered", "REQ-B-01": "passed", "REQ-B-02": "not covered"}
    ov = result.overall
    assert (ov.total, ov.covered, ov.passed, ov.failed, ov.inconclusive) == (6, 4, 2, 1, 1)
    assert (ov.covered_pct, ov.passed_pct) == (66.7, 33.3)
    ch1, ch5 = result.per_chapter["01 Overview"], result.per_chapter["05 Basic functions"]
    assert (ch1.total, ch1.covered, ch1.passed, ch1.covered_pct, ch1.passed_pct) == (4, 3, 1, 75.0, 25.0)
    assert (ch5.total, ch5.covered, ch5.passed, ch5.covered_pct) == (2, 1, 1, 50.0)
    assert result.unknown_tags == {"REQ-X-99": ["t4"]}


def test_the_project_catalogue_has_every_id_of_the_spec_once():
    if not cat.DEFAULT_SPEC.is_file():
        pytest.skip(f"spec not on this machine: {cat.DEFAULT_SPEC}")
    spec_ids = re.findall(r"^- \*\*(REQ-[A-Z0-9]+-\d+)\*\*", cat.DEFAULT_SPEC.read_text(encoding="utf-8"), re.M)
    catalogue = cat.load()
    assert catalogue.ids() == spec_ids
    assert len(set(catalogue.ids())) == len(spec_ids) == 617
    assert all(r.title and len(r.title) <= 100 for r in catalogue.requirements)
    assert set(catalogue.chapters()) == {"00 Preface", "01 Overview", "03 Getting started",
                                         "04 Phone customization", "05 Basic functions", "06 Advanced features"}
