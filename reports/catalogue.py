"""The project's own requirements catalogue, and how a run's scenarios trace onto it.

The catalogue (``requirements_catalogue.yaml``) lists every ``REQ-…`` ID of
``../shared/spec/requirements.md`` with its area, manual chapter and section,
and a short title.  It is *generated* from the spec by ``python -m reports
catalogue`` so the IDs can never drift from the spec; the titles are a
mechanical shortening ("subject: what it must do"), not the spec's sentences,
because the report needs a label that fits in a table cell, while the spec
stays the authority for the full wording.

``trace`` is the heart of the certification report: for every catalogue
requirement it collects the scenarios that carry its tag and derives one
verdict, and it counts coverage per chapter.  It is pure (no files), so the
coverage arithmetic is tested on a small hand-made catalogue.
"""
from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
DEFAULT_CATALOGUE = HERE / "requirements_catalogue.yaml"
DEFAULT_SPEC = HERE.parent.parent / "shared" / "spec" / "requirements.md"

# Outcomes a scenario record can carry (see plugin.py), worst first for a requirement's verdict.
FAILING = ("failed", "error")
VERDICT_ORDER = ("failed", "error", "lab-error", "interrupted", "passed", "skipped")


@dataclass(frozen=True)
class Requirement:
    id: str
    area: str
    chapter: str          # "05 Basic functions": the same spelling as the feature folders give
    section: str          # "5.6.1"
    section_title: str
    manual_ref: str       # the spec's own pointer into the manual, e.g. "manual §1.1 item 3"
    title: str


@dataclass
class Catalogue:
    requirements: list[Requirement]
    source: str = ""
    source_sha256: str = ""

    def ids(self) -> list[str]:
        return [r.id for r in self.requirements]

    def by_id(self) -> dict[str, Requirement]:
        return {r.id: r for r in self.requirements}

    def chapters(self) -> list[str]:
        return list(OrderedDict.fromkeys(r.chapter for r in self.requirements))


def chapter_label(number: int, name: str) -> str:
    """``(3, "getting started")`` -> ``"03 Getting started"`` (the feature folders' spelling)."""
    name = name.strip().replace("_", " ")
    return f"{number:02d} {name[:1].upper()}{name[1:]}"


def chapter_of_folder(folder: str) -> str | None:
    """``"03_getting_started"`` -> ``"03 Getting started"``; None for a folder without a chapter number."""
    m = re.fullmatch(r"(\d+)[_ -](.+)", folder)
    return chapter_label(int(m.group(1)), m.group(2)) if m else None


# --- generation from the spec ---------------------------------------------------------------
_REQ_LINE = re.compile(r"^- \*\*(REQ-([A-Z0-9]+)-\d+)\*\*\s*\(([^)]*)\)\s*(.*)$")
_CHAPTER = re.compile(r"^## (?:[A-Z]\. Chapter (\d+) [–-] (.+)|(\d+)\. ([^(]+))")
_SECTION = re.compile(r"^#{3,4} (?:§)?(\d+(?:\.\d+)*(?:[–-]\d+(?:\.\d+)*)?)\.?\s+(.*)$")
_LEAD_IN = re.compile(r"^(the|a|an)\s+", re.IGNORECASE)
_MODALS = (" must not ", " must ", " can ", " shall ", " should ")


_FILLER = {"the", "a", "an", "is", "are", "be", "will", "that", "which", "then", "its", "their", "it", "also"}


def _headline(words: list[str], max_words: int) -> str:
    """Telegraphic style: articles and fillers dropped, clipped, first letter upper case."""
    kept = [w for w in words if w.lower() not in _FILLER]
    label = " ".join(kept[:max_words]) + (" …" if len(kept) > max_words else "")
    label = label.replace(" :", ":")
    return label[:1].upper() + label[1:]


def short_title(text: str, max_words: int = 7) -> str:
    """A table-cell label for a requirement: "<subject>: <what it must do>", headline style.

    Mechanical on purpose (617 entries): cut the sentence at its modal verb,
    keep the subject's last clause and the first phrase of the predicate, drop
    articles and fillers.  Sentences without a modal keep their first clause.
    """
    text = re.split(r"\s+—\s+verify via", text)[0]
    text = re.sub(r"\[[^\]]*\]|\([^)]*\)|\*\*|`", "", text)
    text = re.sub(r"\s+([.,;:])", r"\1", text)
    chunks = [c.strip() for c in re.split(r"(?<=[a-z0-9)#])\.\s|:\s", text) if c.strip()]
    first = chunks[0] if chunks else text
    if len(first.split()) < 3 and len(chunks) > 1:      # "Web steps: Directory -> …"
        first = f"{first}: {chunks[1]}"
    first = first.rstrip(".")
    for modal in _MODALS:
        if modal in f" {first} ":
            subject, predicate = f" {first} ".split(modal, 1)
            subject = _LEAD_IN.sub("", subject.strip().split(", ")[-1])
            predicate = re.split(r"[,;]\s|\s—\s", predicate.strip())[0]
            predicate = re.sub(r"^(be able to|be)\s+", "", predicate)
            if modal == " must not ":
                predicate = "not " + predicate
            return _headline(subject.split()[:5] + [":"] + predicate.split(), max_words + 1)
    return _headline(first.split(), max_words)


def parse_spec(text: str) -> list[Requirement]:
    """Every ``REQ-…`` bullet of the spec with the chapter and section it sits under."""
    chapter, section, section_title = chapter_label(0, "Preface"), "0", "Product variants"
    out: list[Requirement] = []
    for line in text.splitlines():
        if m := _CHAPTER.match(line):
            num, name = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
            if int(num) == 0:
                chapter, section, section_title = chapter_label(0, "Preface"), "0", name.strip()
            else:
                chapter = chapter_label(int(num), name.split("(")[0])
            continue
        if m := _SECTION.match(line):
            section = m.group(1)
            section_title = re.sub(r"\s*\((?:manual[^)]*|[A-Z0-9]+)\)\s*$", "", m.group(2)).strip()
            continue
        if line.startswith("#### ") and not _SECTION.match(line):
            continue      # "#### General": stays in the section above
        if m := _REQ_LINE.match(line):
            req_id, area, ref, body = m.groups()
            out.append(Requirement(req_id, area, chapter, section, section_title, ref.strip(),
                                   short_title(body)))
    return out


def generate(spec_path: Path = DEFAULT_SPEC, out_path: Path = DEFAULT_CATALOGUE) -> Catalogue:
    """Write the catalogue YAML from the spec; returns what was written."""
    raw = spec_path.read_bytes()
    reqs = parse_spec(raw.decode("utf-8"))
    seen: set[str] = set()
    dupes = [r.id for r in reqs if r.id in seen or seen.add(r.id)]
    if dupes:
        raise ValueError(f"{spec_path}: duplicate requirement IDs {dupes}")
    doc = {
        "about": "h680-hil requirements catalogue, generated by `python -m reports catalogue` from the "
                 "spec below; titles are short labels, the spec holds the full wording.",
        "source": spec_path.name,
        "source_sha256": hashlib.sha256(raw).hexdigest(),
        "count": len(reqs),
        "requirements": [r.__dict__ for r in reqs],
    }
    out_path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=200), encoding="utf-8")
    return Catalogue(reqs, doc["source"], doc["source_sha256"])


def load(path: Path = DEFAULT_CATALOGUE) -> Catalogue:
    doc = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    reqs = [Requirement(**r) for r in doc.get("requirements", [])]
    return Catalogue(reqs, doc.get("source", ""), doc.get("source_sha256", ""))


# --- tracing a run onto the catalogue ---------------------------------------------------------
@dataclass
class Trace:
    """One requirement with the scenarios of this run that carry its tag."""

    requirement: Requirement
    scenarios: list[dict] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        """"not covered", or the worst outcome of its scenarios (a single failure fails it)."""
        if not self.scenarios:
            return "not covered"
        outcomes = {s.get("outcome", "error") for s in self.scenarios}
        for outcome in VERDICT_ORDER:
            if outcome in outcomes:
                return outcome
        return "error"


@dataclass
class Coverage:
    """Counts for one chapter (or the whole catalogue)."""

    total: int = 0
    covered: int = 0          # at least one scenario of this run carries the tag
    passed: int = 0           # covered, and every scenario that carries it passed
    failed: int = 0           # at least one of its scenarios failed (phone failure or harness error)
    inconclusive: int = 0     # covered but only lab errors / skips / interruptions: no verdict on the phone

    def pct(self, n: int) -> float:
        return round(100.0 * n / self.total, 1) if self.total else 0.0

    @property
    def covered_pct(self) -> float:
        return self.pct(self.covered)

    @property
    def passed_pct(self) -> float:
        return self.pct(self.passed)

    def add(self, verdict: str) -> None:
        self.total += 1
        if verdict == "not covered":
            return
        self.covered += 1
        if verdict == "passed":
            self.passed += 1
        elif verdict in FAILING:
            self.failed += 1
        else:
            self.inconclusive += 1


@dataclass
class TraceResult:
    traces: list[Trace]
    per_chapter: dict[str, Coverage]
    overall: Coverage
    unknown_tags: dict[str, list[str]]     # REQ tag not in the catalogue -> nodeids carrying it


def trace(catalogue: Catalogue, scenarios: list[dict]) -> TraceResult:
    by_req: dict[str, list[dict]] = {}
    for s in scenarios:
        for req in s.get("requirements", []):
            by_req.setdefault(req, []).append(s)
    traces = [Trace(r, by_req.get(r.id, [])) for r in catalogue.requirements]
    per_chapter: dict[str, Coverage] = {c: Coverage() for c in catalogue.chapters()}
    overall = Coverage()
    for t in traces:
        per_chapter[t.requirement.chapter].add(t.verdict)
        overall.add(t.verdict)
    known = set(catalogue.ids())
    unknown = {req: [s.get("nodeid", "?") for s in ss] for req, ss in sorted(by_req.items()) if req not in known}
    return TraceResult(traces, per_chapter, overall, unknown)
