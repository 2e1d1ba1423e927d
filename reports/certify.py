"""The certification report of one run: ``certification.html`` and ``certification.pdf``.

Built only from files in the run directory (``results.json`` and the evidence it
names) plus the project's requirements catalogue, so it can be rebuilt later
from the archived bundle.  Order follows what an auditor asks, in this order:
who/what/when (DUT, bench, operator, harness, commit, evidence digest), how the
manual's chapters fared, what failed and the evidence for it, then every
requirement of the catalogue with the scenarios that trace to it — or "not
covered".  After writing both files the bundle is sealed with ``manifest.json``.

The PDF is drawn with fpdf2 (pure Python, no system libraries), not converted
from the HTML: both views are rendered from the same ``ReportData``.
"""
from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from pathlib import Path

from . import OUTCOMES, load_results
from . import catalogue as cat
from . import manifest

FAILURE_ORDER = ("failed", "error", "lab-error", "interrupted")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
TEXT_SUFFIXES = (".txt", ".log", ".csv", ".json", ".cfg")
TEXT_LINES = 40
DERIVED_DIRS = ("allure-report/",)     # rebuilt from allure-results; not evidence in itself
HERE = Path(__file__).resolve().parent


@dataclass
class ChapterSummary:
    chapter: str
    outcomes: dict[str, int]
    coverage: cat.Coverage


@dataclass
class ReportData:
    run_dir: Path
    results: dict
    catalogue: cat.Catalogue
    traced: cat.TraceResult
    chapters: list[ChapterSummary]
    failures: list[dict]
    scenarios: list[dict]
    evidence_digest: str
    generated: str

    @property
    def run(self) -> dict:
        return self.results["run"]


def build_data(run_dir: Path, catalogue: cat.Catalogue, evidence_digest: str) -> ReportData:
    results = load_results(run_dir)
    scenarios = sorted(results["scenarios"], key=lambda s: (s.get("chapter", ""), s.get("feature", ""),
                                                           s.get("nodeid", "")))
    for i, s in enumerate(scenarios, 1):
        s["anchor"] = f"S{i}"
    traced = cat.trace(catalogue, scenarios)
    names = list(dict.fromkeys(catalogue.chapters() + [s.get("chapter", "?") for s in scenarios]))
    chapters = []
    for name in sorted(names):
        counts = {o: 0 for o in OUTCOMES}
        for s in scenarios:
            if s.get("chapter") == name:
                counts[s.get("outcome", "error")] = counts.get(s.get("outcome", "error"), 0) + 1
        chapters.append(ChapterSummary(name, counts, traced.per_chapter.get(name, cat.Coverage())))
    failures = sorted((s for s in scenarios if s.get("outcome") in FAILURE_ORDER),
                      key=lambda s: (FAILURE_ORDER.index(s["outcome"]), s["anchor"]))
    return ReportData(Path(run_dir), results, catalogue, traced, chapters, failures, scenarios, evidence_digest,
                      dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))


def read_text_tail(path: Path, lines: int = TEXT_LINES, width: int = 220) -> str:
    """The end of a text file for inline display; long lines are clipped (the file itself is linked)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        return f"(cannot read: {exc})"
    cut = len(text) - lines
    shown = [line if len(line) <= width else line[:width] + " …" for line in text[-lines:]]
    return ("… (%d earlier lines in the file)\n" % cut if cut > 0 else "") + "\n".join(shown)


def failing_step_text(s: dict) -> str:
    step = s.get("failing_step")
    if step:
        return f'{step.get("keyword", "")} {step.get("text", "")}  (feature line {step.get("line", "?")})'
    return f"{s.get('phase') or 'call'} phase, before or after the steps"


def dut_rows(run: dict) -> list[tuple[str, ...]]:
    rows = []
    for name, d in (run.get("duts") or {}).items():
        rows.append((name, d.get("model") or f"{d.get('lab_model', '?')} (lab file)", d.get("firmware") or "unknown",
                     d.get("mac") or f"{d.get('lab_mac', '?')} (lab file)", d.get("serial") or "unknown",
                     d.get("hardware") or "unknown", d.get("ip", "")))
    return rows


def header_rows(data: ReportData) -> list[tuple[str, str]]:
    run = data.run
    state = run.get("state", "running")
    if run.get("interrupted"):
        state = "INTERRUPTED (Ctrl-C): the report shows what ran"
    elif state == "running":
        state = "DID NOT FINISH (no end recorded): the report shows what ran"
    commit = run.get("git_commit", "unknown") + (" (with uncommitted changes)" if run.get("git_dirty") else "")
    return [("Run", run.get("run_id", "?")), ("State", state), ("Target", str(run.get("target"))),
            ("Bench", f"{run.get('bench')}  ({run.get('lab_file', '')})"),
            ("Started / finished (UTC)", f"{run.get('started', '?')} / {run.get('finished') or '-'}"),
            ("Operator", str(run.get("operator", "unknown"))), ("Harness version", str(run.get("harness_version"))),
            ("Git commit", commit), ("Host", str(run.get("host", "?"))),
            ("Catalogue", f"{len(data.catalogue.requirements)} requirements from {data.catalogue.source} "
                          f"(sha256 {data.catalogue.source_sha256[:16]}…)"),
            ("Evidence digest (SHA-256)", data.evidence_digest), ("Report generated (UTC)", data.generated)]


# --- HTML ------------------------------------------------------------------------------------
def _e(text) -> str:
    return html.escape(str(text if text is not None else ""))


def _badge(outcome: str) -> str:
    return f'<span class="b {_e(outcome.replace(" ", "-"))}">{_e(outcome)}</span>'


def _link(rel: str) -> str:
    return f'<a href="{_e(rel)}">{_e(Path(rel).name)}</a>'


def _evidence_html(data: ReportData, s: dict, inline: bool) -> str:
    parts, links = [], []
    for rel in s.get("evidence", []):
        p = data.run_dir / rel
        if inline and p.suffix.lower() in IMAGE_SUFFIXES and p.is_file():
            parts.append(f'<figure><img src="{_e(rel)}" alt="{_e(p.name)}"><figcaption>{_link(rel)}</figcaption>'
                         f"</figure>")
        elif inline and p.name == "measurements.json" and s.get("measurements"):
            links.append(_link(rel))   # shown as the table below
        elif inline and p.suffix.lower() in TEXT_SUFFIXES and p.is_file():
            parts.append(f"<details open><summary>{_link(rel)}</summary><pre>{_e(read_text_tail(p))}</pre></details>")
        else:
            links.append(_link(rel))
    if links:
        parts.append("<p>Other evidence: " + ", ".join(links) + "</p>")
    if s.get("measurements"):
        rows = "".join(f"<tr><td>{_e(m['name'])}</td><td>{_e(m['value'])} {_e(m.get('unit', ''))}</td>"
                       f"<td>{_e(m.get('expected'))}</td><td>± {_e(m.get('tolerance'))}</td>"
                       f"<td>{_badge('passed' if m.get('passed') else 'failed')}</td></tr>"
                       for m in s["measurements"])
        parts.append("<table><tr><th>Measurement</th><th>Value</th><th>Expected</th><th>Tolerance</th>"
                     f"<th>Verdict</th></tr>{rows}</table>")
    return "".join(parts) or "<p>No evidence files recorded.</p>"


def render_html(data: ReportData) -> str:
    run, ov = data.run, data.traced.overall
    css = (HERE / "templates" / "certification.css").read_text(encoding="utf-8")
    out = [f"<!doctype html><html lang=en><head><meta charset=utf-8><title>Certification report {_e(run.get('run_id'))}"
           f"</title><style>{css}</style></head><body>",
           "<h1>SIP-H680 certification test report</h1>"]
    for problem in data.results.get("problems", []):
        out.append(f'<p class="warn">{_e(problem)}</p>')
    out.append("<table class=kv>" + "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in header_rows(data))
               + "</table>")
    out.append("<h2>Devices under test</h2><table><tr><th>Role</th><th>Model</th><th>Firmware</th><th>MAC</th>"
               "<th>Serial / product ID</th><th>Hardware</th><th>Address</th></tr>"
               + "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in r) + "</tr>" for r in dut_rows(run))
               + "</table>")
    total = len(data.scenarios)
    counts = {o: sum(1 for s in data.scenarios if s.get("outcome") == o) for o in OUTCOMES}
    out.append(f"<h2>Summary</h2><p>{total} scenarios: " + ", ".join(f"{_badge(o)} {n}" for o, n in counts.items() if n)
               + f". Requirements: {ov.covered} of {ov.total} covered ({ov.covered_pct} %), {ov.passed} passed "
                 f"({ov.passed_pct} %), {ov.failed} failed, {ov.inconclusive} without a verdict (lab error, "
                 f"skipped or interrupted).</p>")
    out.append("<table><tr><th>Manual chapter</th><th>Scenarios</th><th>passed</th><th>failed</th><th>lab error</th>"
               "<th>error</th><th>skipped / interrupted</th><th>Requirements</th><th>Covered</th><th>Passed</th></tr>")
    for c in data.chapters:
        o, cv = c.outcomes, c.coverage
        out.append(f"<tr><td>{_e(c.chapter)}</td><td>{sum(o.values())}</td><td>{o['passed']}</td><td>{o['failed']}</td>"
                   f"<td>{o['lab-error']}</td><td>{o['error']}</td><td>{o['skipped'] + o['interrupted']}</td>"
                   f"<td>{cv.total}</td><td>{cv.covered} ({cv.covered_pct} %)</td><td>{cv.passed} ({cv.passed_pct} %)"
                   "</td></tr>")
    out.append("</table>")
    out.append(f"<h2>Failures first ({len(data.failures)})</h2>")
    if not data.failures:
        out.append("<p>No scenario failed.</p>")
    for s in data.failures:
        out.append(f'<section class="fail" id="F{_e(s["anchor"])}"><h3>{_badge(s["outcome"])} {_e(s.get("scenario"))}'
                   f'</h3><p class=meta>{_e(s.get("chapter"))} › {_e(s.get("feature"))} · '
                   f'{_e(", ".join(s.get("requirements", [])) or "no requirement tag")} · {_e(s.get("nodeid"))}</p>'
                   f'<p><b>Failing step:</b> <code>{_e(failing_step_text(s))}</code></p>'
                   f'<pre class=msg>{_e((s.get("failing_step") or {}).get("message") or s.get("message"))}</pre>'
                   f"{_evidence_html(data, s, inline=True)}</section>")
    out.append(f"<h2>Traceability matrix ({ov.total} requirements)</h2><table class=matrix><tr><th>Requirement</th>"
               "<th>Chapter / section</th><th>Title</th><th>Verdict</th><th>Scenarios and evidence</th></tr>")
    for t in data.traced.traces:
        r = t.requirement
        cells = "".join(f'<div>{_badge(s.get("outcome", "?"))} <a href="#{_e(s["anchor"])}">{_e(s.get("scenario"))}'
                        f'</a> {" ".join(_link(e) for e in s.get("evidence", []))}</div>' for s in t.scenarios)
        out.append(f'<tr id="{_e(r.id)}"><td>{_e(r.id)}</td><td>{_e(r.chapter)} / §{_e(r.section)}</td>'
                   f"<td>{_e(r.title)}</td><td>{_badge(t.verdict)}</td><td>{cells or '—'}</td></tr>")
    out.append("</table>")
    if data.traced.unknown_tags:
        out.append("<h2>Tags not in the catalogue</h2><ul>" + "".join(
            f"<li>{_e(k)}: {_e(', '.join(v))}</li>" for k, v in data.traced.unknown_tags.items()) + "</ul>")
    out.append("<h2>All scenarios</h2><table><tr><th>#</th><th>Scenario</th><th>Outcome</th><th>Duration</th>"
               "<th>Requirements</th><th>Evidence</th></tr>")
    for s in data.scenarios:
        out.append(f'<tr id="{_e(s["anchor"])}"><td>{_e(s["anchor"])}</td><td>{_e(s.get("chapter"))} › '
                   f'{_e(s.get("feature"))} › <b>{_e(s.get("scenario"))}</b>'
                   f'{" " + _e(s.get("example")) if s.get("example") else ""}</td><td>{_badge(s.get("outcome", "?"))}</td>'
                   f'<td>{float(s.get("duration") or 0):.2f} s</td><td>{_e(", ".join(s.get("requirements", [])))}</td>'
                   f'<td>{" ".join(_link(e) for e in s.get("evidence", []))}</td></tr>')
    out.append("</table>")
    out.append("<h2>Integrity</h2><p>Every file of this bundle is listed with its SHA-256 in <code>manifest.json</code>."
               f" The evidence digest above (<code>{_e(data.evidence_digest)}</code>) is the SHA-256 of that list "
               "without the report files; <code>python -m reports verify &lt;run dir&gt;</code> recomputes it, names every "
               "changed, added or removed file, and prints the manifest's own SHA-256 to compare with the one recorded "
               "when the bundle was handed over.</p></body></html>")
    return "\n".join(out)


# --- PDF ---------------------------------------------------------------------------------------
FONT_DIR = Path("/usr/share/fonts/truetype")
COLOURS = {"passed": (46, 125, 50), "failed": (198, 40, 40), "error": (106, 27, 154), "lab-error": (239, 108, 0),
           "skipped": (117, 117, 117), "interrupted": (117, 117, 117), "not covered": (150, 150, 150)}


def _pdf():
    """An A4 FPDF with a Unicode font (DejaVu, plus WenQuanYi for Chinese LCD text) when present."""
    from fpdf import FPDF

    class Report(FPDF):
        run_id = ""

        def footer(self):
            self.set_y(-12)
            self.set_font(self.base_font, size=7)
            self.set_text_color(120, 120, 120)
            self.cell(0, 5, f"SIP-H680 certification report · run {self.run_id} · page {self.page_no()}/{{nb}}",
                      align="C")
            self.set_text_color(0, 0, 0)

    pdf = Report(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    pdf.base_font = pdf.mono_font = "helvetica"
    dejavu = FONT_DIR / "dejavu"
    if (dejavu / "DejaVuSans.ttf").is_file():
        pdf.add_font("dejavu", "", str(dejavu / "DejaVuSans.ttf"))
        pdf.add_font("dejavu", "B", str(dejavu / "DejaVuSans-Bold.ttf"))
        pdf.add_font("dejavumono", "", str(dejavu / "DejaVuSansMono.ttf"))
        pdf.base_font, pdf.mono_font = "dejavu", "dejavumono"
        wqy = FONT_DIR / "wqy" / "wqy-microhei.ttc"
        if wqy.is_file():
            try:
                pdf.add_font("wqy", "", str(wqy))
                pdf.set_fallback_fonts(["wqy"], exact_match=False)
            except Exception:      # a font the library cannot read only costs the Chinese glyphs
                pass
    return pdf


def _heading(pdf, text: str, size: int = 13) -> None:
    pdf.ln(3)
    pdf.set_font(pdf.base_font, "B", size)
    pdf.set_text_color(29, 78, 137)
    pdf.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(pdf.base_font, "", 9)
    pdf.ln(1)


def _table(pdf, header: tuple[str, ...], rows, widths: tuple[float, ...], size: float = 8,
           colour_col: int | None = None) -> None:
    from fpdf.fonts import FontFace
    pdf.set_font(pdf.base_font, "", size)
    head = FontFace(emphasis="BOLD", fill_color=(238, 242, 248))
    with pdf.table(col_widths=widths, headings_style=head, line_height=size * 0.5, text_align="LEFT",
                   first_row_as_headings=True) as table:
        table.row(header)
        for r in rows:
            row = table.row()
            for i, c in enumerate(r):
                style = None
                if i == colour_col and str(c) in COLOURS:
                    style = FontFace(color=(255, 255, 255), fill_color=COLOURS[str(c)], emphasis="BOLD")
                row.cell(str(c), style=style)


def render_pdf(data: ReportData, path: Path) -> None:
    pdf = _pdf()
    pdf.run_id = str(data.run.get("run_id", ""))
    pdf.add_page()
    pdf.set_font(pdf.base_font, "B", 17)
    pdf.cell(0, 10, "SIP-H680 certification test report", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf.base_font, "", 9)
    for problem in data.results.get("problems", []):
        pdf.set_fill_color(255, 244, 214)
        pdf.multi_cell(0, 5, "! " + problem, fill=True, new_x="LMARGIN", new_y="NEXT")
    _table(pdf, ("Item", "Value"), header_rows(data), (45, 145))
    _heading(pdf, "Devices under test")
    _table(pdf, ("Role", "Model", "Firmware", "MAC", "Serial", "HW", "Address"), dut_rows(data.run),
           (12, 30, 28, 38, 30, 12, 40))
    ov = data.traced.overall
    _heading(pdf, "Summary per manual chapter")
    counts = {o: sum(1 for s in data.scenarios if s.get("outcome") == o) for o in OUTCOMES}
    pdf.multi_cell(0, 5, f"{len(data.scenarios)} scenarios: " + ", ".join(f"{o} {n}" for o, n in counts.items() if n)
                   + f". Requirements: {ov.covered} of {ov.total} covered ({ov.covered_pct} %), {ov.passed} passed "
                   f"({ov.passed_pct} %), {ov.failed} failed, {ov.inconclusive} without a verdict.",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    rows = [(c.chapter, sum(c.outcomes.values()), c.outcomes["passed"], c.outcomes["failed"], c.outcomes["lab-error"],
             c.outcomes["error"], c.coverage.total, f"{c.coverage.covered} ({c.coverage.covered_pct} %)",
             f"{c.coverage.passed} ({c.coverage.passed_pct} %)") for c in data.chapters]
    _table(pdf, ("Chapter", "Scen.", "pass", "fail", "lab", "error", "Reqs", "Covered", "Passed"), rows,
           (42, 14, 12, 12, 12, 14, 14, 35, 35))
    _heading(pdf, f"Failures first ({len(data.failures)})")
    if not data.failures:
        pdf.cell(0, 5, "No scenario failed.", new_x="LMARGIN", new_y="NEXT")
    for s in data.failures:
        _pdf_failure(pdf, data, s)
    pdf.add_page()
    _heading(pdf, f"Traceability matrix ({ov.total} requirements)")
    rows = []
    for t in data.traced.traces:
        r = t.requirement
        scen = "; ".join(f"{s.get('anchor')} {s.get('scenario')} [{s.get('outcome')}] "
                         f"({len(s.get('evidence', []))} files)" for s in t.scenarios) or "—"
        rows.append((r.id, f"§{r.section}", r.title, t.verdict, scen))
    _table(pdf, ("Requirement", "Section", "Title", "Verdict", "Scenarios (evidence files)"), rows,
           (27, 14, 62, 20, 67), size=6.5, colour_col=3)
    if data.traced.unknown_tags:
        _heading(pdf, "Tags not in the catalogue")
        _table(pdf, ("Tag", "Scenarios"), [(k, ", ".join(v)) for k, v in data.traced.unknown_tags.items()], (35, 155))
    _heading(pdf, "All scenarios")
    rows = [(s["anchor"], f"{s.get('chapter')} › {s.get('scenario')}" + (f" {s.get('example')}" if s.get("example")
                                                                           else ""),
             s.get("outcome"), f"{float(s.get('duration') or 0):.2f} s", ", ".join(s.get("requirements", [])))
            for s in data.scenarios]
    _table(pdf, ("#", "Scenario", "Outcome", "Duration", "Requirements"), rows, (10, 92, 20, 18, 50), size=7,
           colour_col=2)
    _heading(pdf, "Integrity")
    pdf.multi_cell(0, 4.5, "Every file of the bundle is listed with its SHA-256 in manifest.json. Evidence digest "
                   f"(SHA-256 of that list without the report files): {data.evidence_digest}. "
                   "`python -m reports verify <run dir>` names every changed, added or removed file and prints the "
                   "manifest's own SHA-256.", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


def _pdf_failure(pdf, data: ReportData, s: dict) -> None:
    pdf.ln(2)
    pdf.set_font(pdf.base_font, "B", 10)
    pdf.set_text_color(*COLOURS.get(s["outcome"], (0, 0, 0)))
    pdf.multi_cell(0, 5, f"[{s['outcome']}] {s.get('scenario')}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(pdf.base_font, "", 8)
    pdf.multi_cell(0, 4, f"{s.get('chapter')} › {s.get('feature')} · {', '.join(s.get('requirements', []))} · "
                   f"{s.get('nodeid')}", align="L", new_x="LMARGIN", new_y="NEXT")
    if s.get("evidence"):
        pdf.multi_cell(0, 4, "Evidence directory: " + str(Path(s["evidence"][0]).parent), align="L",
                       new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf.base_font, "B", 8)
    pdf.multi_cell(0, 4, "Failing step: " + failing_step_text(s), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf.mono_font, "", 7)
    pdf.set_fill_color(255, 243, 243)
    msg = (s.get("failing_step") or {}).get("message") or s.get("message") or ""
    pdf.multi_cell(0, 3.5, msg[:1500], fill=True, new_x="LMARGIN", new_y="NEXT")
    for rel in s.get("evidence", []):
        p = data.run_dir / rel
        if not p.is_file():
            continue
        if p.name == "measurements.json" and s.get("measurements"):
            continue                   # shown as a table below
        if p.suffix.lower() in IMAGE_SUFFIXES:
            pdf.set_font(pdf.base_font, "", 7)
            pdf.cell(0, 4, p.name, new_x="LMARGIN", new_y="NEXT")
            try:
                from PIL import Image
                with Image.open(p) as im:
                    w, h = im.size
                scale = min(80 / w, 55 / h)                  # at most 80 × 55 mm, aspect kept
                pdf.image(str(p), w=w * scale, h=h * scale)
            except Exception as exc:
                pdf.cell(0, 4, f"(image not readable: {exc})", new_x="LMARGIN", new_y="NEXT")
        elif p.suffix.lower() in TEXT_SUFFIXES:
            pdf.set_font(pdf.base_font, "B", 7)
            pdf.cell(0, 4, p.name, new_x="LMARGIN", new_y="NEXT")
            pdf.set_font(pdf.mono_font, "", 6.5)
            pdf.set_fill_color(246, 246, 248)
            pdf.multi_cell(0, 3.1, read_text_tail(p, 24), fill=True, new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.set_font(pdf.base_font, "", 7)
            pdf.cell(0, 4, f"{p.name}  (in the bundle; {p.stat().st_size} bytes)", new_x="LMARGIN", new_y="NEXT")
    if s.get("measurements"):
        _table(pdf, ("Measurement", "Value", "Expected", "Tolerance", "Verdict"),
               [(m["name"], f"{m['value']} {m.get('unit', '')}", m.get("expected"), m.get("tolerance"),
                 "passed" if m.get("passed") else "failed") for m in s["measurements"]], (60, 35, 30, 30, 25),
               size=7, colour_col=4)


def certify(run_dir: Path, catalogue_path: Path = cat.DEFAULT_CATALOGUE, force: bool = False) -> tuple[str, str]:
    """Write certification.html + .pdf and seal the bundle; returns (evidence digest, manifest sha256).

    A bundle that was already sealed and whose evidence changed since is not
    re-certified unless ``force``: re-sealing would bless whatever changed.  Outputs
    derived from the evidence (the report itself, the Allure HTML) may be rebuilt.
    """
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise FileNotFoundError(f"{run_dir}: no such run directory")
    if (run_dir / manifest.MANIFEST).exists() and not force:
        v = manifest.verify(run_dir)
        derived = lambda p: p in manifest.REPORT_FILES or p.startswith(DERIVED_DIRS)  # noqa: E731
        stale = [p for p in v.changed + v.added + v.removed if not derived(p)]
        if stale:
            raise RuntimeError(f"{run_dir} was certified before and changed since (" + "; ".join(v.lines()[1:-1])
                               + "); use --force to certify the bundle as it is now")
    catalogue = cat.load(catalogue_path)
    evidence_digest = manifest.digest(manifest.evidence_entries(run_dir))
    data = build_data(run_dir, catalogue, evidence_digest)
    (run_dir / "certification.html").write_text(render_html(data), encoding="utf-8")
    render_pdf(data, run_dir / "certification.pdf")
    return evidence_digest, manifest.write(run_dir, evidence_digest)

