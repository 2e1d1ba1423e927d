"""pytest plugin: every run leaves ``results.json`` and Allure results an auditor can follow.

What it does, once the collected items include Gherkin scenarios (a run of the
harness's own ``tests/`` is left alone):

* ``<run dir>/results.json`` -- one record per scenario (chapter, section,
  requirement IDs, outcome, duration, failing step, evidence files) and the
  run's metadata (target, bench, DUTs, harness version, git commit, operator).
  It is rewritten atomically after every scenario, so Ctrl-C or a crash leaves
  a readable file that says the run did not finish.
* Allure results in ``<run dir>/allure-results`` (unless ``--alluredir`` says
  otherwise) through allure-pytest-bdd: feature = manual chapter, story =
  section (the feature's title), each ``@REQ-…`` a tag, a ``requirement`` label
  and a link; ``environment.properties`` with the DUTs' identity;
  ``categories.json`` keeping "Phone failure" apart from "Lab error".
* At each scenario's teardown: the LCD states the ScreenWatchers saw and the web
  UI transcript are written into the scenario's evidence directory, and every
  file of that directory (pcaps, images, tables, measurements) is attached.

Outcomes: ``passed``; ``failed`` (an AssertionError, e.g. PhoneFailure: the
phone did wrong); ``lab-error`` (LabError: the bench broke); ``error`` (any
other exception: the harness itself broke); ``skipped``; ``interrupted``.
"""
from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import platform
import re
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from . import RESULTS_FILE, RESULTS_SCHEMA, evidence, write_json_atomic
from .catalogue import chapter_of_folder

REPO = Path(__file__).resolve().parent.parent
REQ_TAG = re.compile(r"REQ-[A-Z0-9]+-\d+")
MAX_ATTACH_BYTES = 64 * 1024 * 1024

CATEGORIES = [
    {"name": "Phone failure",
     "description": "The phone under test did not behave as the manual says (PhoneFailure / AssertionError).",
     "matchedStatuses": ["failed"]},
    {"name": "Lab error",
     "description": "The bench broke (LabError): no verdict on the phone.",
     "matchedStatuses": ["broken"], "messageRegex": r"(?s).*(LabError|\[lab: ).*"},
    {"name": "Harness error",
     "description": "The harness itself raised an unexpected exception.",
     "matchedStatuses": ["broken"], "messageRegex": r"(?s)^(?!.*(LabError|\[lab: )).*$"},
]


def pytest_addoption(parser):
    group = parser.getgroup("h680-reports", "h680-hil evidence and reports")
    group.addoption("--operator", default=None,
                    help="who ran the bench, printed in the certification report (default: $USER)")
    group.addoption("--req-link-pattern", default="../certification.html#{}",
                    help="URL of a requirement in Allure links; {} is the REQ ID "
                         "(default: its row in the run's certification report)")
    group.addoption("--no-allure-results", action="store_true", default=False,
                    help="write results.json only, no Allure results")


@pytest.hookimpl(trylast=True)
def pytest_configure(config):
    workerinput = getattr(config, "workerinput", None)
    if workerinput is not None:             # a pytest-xdist worker: its own part of the run
        config.pluginmanager.register(ReportRecorder(config, part=workerinput["workerid"]),
                                      "h680-report-recorder")
    elif getattr(config.option, "numprocesses", None):   # the xdist controller: joins the parts
        config.pluginmanager.register(PartsMerger(config), "h680-report-merger")
    else:
        config.pluginmanager.register(ReportRecorder(config), "h680-report-recorder")


def part_file(part: str) -> str:
    """The results file of one pytest-xdist worker, joined into RESULTS_FILE at the end."""
    return RESULTS_FILE.replace(".json", f".{part}.json")


class PartsMerger:
    """On the pytest-xdist controller: one results.json from the workers' parts.

    Each worker runs its own bench (its own loopback block, see conftest) and records
    its scenarios like a serial run does; when they have all finished, their parts
    become the run's one record: scenarios in the order they ran, the run's first
    start and last finish, the DUTs of every worker (under ``workers``).
    """

    def __init__(self, config):
        self.config = config

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session, exitstatus):
        run_dir = Path(getattr(self.config, "h680_run_dir", "") or "")
        parts = sorted(run_dir.glob(part_file("*"))) if run_dir.is_dir() else []
        if not parts:
            return
        docs = [json.loads(p.read_text(encoding="utf-8")) for p in parts]
        run = dict(docs[0]["run"])
        run["workers"] = {d["run"].get("part"): d["run"]["duts"] for d in docs}
        run.pop("part", None)
        run["started"] = min(d["run"]["started"] for d in docs)
        run["finished"] = _now()
        run["exit_status"] = int(exitstatus)
        run["interrupted"] = any(d["run"]["interrupted"] for d in docs) or \
            int(exitstatus) == int(pytest.ExitCode.INTERRUPTED)
        run["state"] = "interrupted" if run["interrupted"] else "finished"
        run["pytest_args"] = list(self.config.invocation_params.args)
        scenarios = sorted((s for d in docs for s in d["scenarios"]), key=lambda s: s.get("started") or "")
        write_json_atomic(run_dir / RESULTS_FILE, {"schema": docs[0]["schema"], "run": run,
                                                   "scenarios": scenarios})
        for p in parts:
            p.unlink()

    def pytest_terminal_summary(self, terminalreporter):
        run_dir = getattr(self.config, "h680_run_dir", None)
        if run_dir and (Path(run_dir) / RESULTS_FILE).exists():
            terminalreporter.write_line(f"h680-hil reports: results in {Path(run_dir) / RESULTS_FILE}; "
                                        f"certify with: python -m reports certify {run_dir}")


# --- helpers ------------------------------------------------------------------------------
def _git(*args: str) -> str:
    try:
        return subprocess.run(["git", "--no-optional-locks", *args], cwd=REPO, capture_output=True,
                              text=True, timeout=5).stdout.strip()
    except OSError:
        return ""


def harness_version() -> str:
    try:
        from importlib.metadata import version
        return version("h680-hil")
    except Exception:   # not installed as a distribution: read the pyproject
        m = re.search(r'^version\s*=\s*"([^"]+)"', (REPO / "pyproject.toml").read_text(), re.M)
        return m.group(1) if m else "unknown"


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def scenario_dir_name(nodeid: str) -> str:
    """The evidence directory name conftest's ``bench`` fixture gives a scenario."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid)[-120:]


def classify(excinfo) -> str:
    """Which of the three parties is at fault for an exception: phone, lab or harness."""
    if excinfo is None:
        return "passed"
    exc = excinfo.value
    if isinstance(exc, pytest.skip.Exception):
        return "skipped"
    if isinstance(exc, (KeyboardInterrupt, SystemExit)):
        return "interrupted"
    chain, seen = exc, set()
    while chain is not None and id(chain) not in seen:      # a LabError re-raised as something else
        seen.add(id(chain))
        if any(cls.__name__ == "LabError" for cls in type(chain).__mro__):
            return "lab-error"
        chain = chain.__cause__ or chain.__context__
    if isinstance(exc, (AssertionError, pytest.fail.Exception)):
        return "failed"
    return "error"


def _screen_text(states) -> str:
    out = []
    for s in states:
        stamp = dt.datetime.fromtimestamp(getattr(s, "at", time.time())).strftime("%H:%M:%S.%f")[:-3]
        icons = ", ".join(getattr(s, "icons", []) or []) or "-"
        out.append(f"--- {stamp}  screen={getattr(s, 'screen', '?')}  icons: {icons}")
        out.append(s.text() if hasattr(s, "text") else str(s))
    return "\n".join(out) + "\n"


def _web_text(exchanges) -> str:
    out = []
    for e in exchanges:
        stamp = dt.datetime.fromtimestamp(e.at).strftime("%H:%M:%S.%f")[:-3]
        out.append(f"--- {stamp}  {e.method} {e.url} -> {e.status}")
        if e.request:
            out.append(f">>> {e.request}")
        out.append(f"<<< {e.response}")
    return "\n".join(out) + "\n"


@dataclass
class ScenarioState:
    """What the plugin learns about one scenario while it runs."""

    nodeid: str
    info: dict
    started: str = ""
    t0: float = 0.0
    duration: float = 0.0
    phases: dict = field(default_factory=dict)     # when -> (outcome, message, trace)
    failing_step: dict | None = None
    evidence: list[str] = field(default_factory=list)
    measurements: list[dict] = field(default_factory=list)
    log_offsets: dict = field(default_factory=dict)   # session log -> its size when the scenario began
    done: bool = False


STATE = pytest.StashKey[ScenarioState]()
BENCH = pytest.StashKey[object]()


class ReportRecorder:
    """Holds the run's record and writes it; registered by ``pytest_configure``."""

    def __init__(self, config, part: str | None = None):
        self.config = config
        self.part = part          # the pytest-xdist worker this recorder writes for, if any
        self.active = False
        self.run_dir: Path | None = None
        self.doc: dict = {}
        self.records: dict[str, dict] = {}
        self.current: ScenarioState | None = None
        self.allure_listener = None
        self.allure_dir: Path | None = None
        self.cursors: dict[tuple[str, str], int] = {}    # (dut, "screen"/"web") -> items already reported
        self.identity_done = False
        self.duts: dict = {}

    # --- collection: labels, and whether this run is a features run at all ---------------
    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, session, config, items):
        try:
            from pytest_bdd.scenario import scenario_wrapper_template_registry as registry
        except ImportError:
            return
        pattern = config.getoption("--req-link-pattern")
        for item in items:
            template = registry.get(getattr(item, "obj", None))
            if template is None:
                continue
            info = self._scenario_info(item, template)
            item.stash[STATE] = ScenarioState(item.nodeid, info)
            mark = pytest.mark.allure_label
            item.add_marker(mark(info["chapter"], label_type="feature"))
            item.add_marker(mark(info["feature"], label_type="story"))
            item.add_marker(mark(info["chapter"], label_type="parentSuite"))
            item.add_marker(mark(info["feature"], label_type="suite"))
            for req in info["requirements"]:
                item.add_marker(mark(req, label_type="tag"))
                item.add_marker(mark(req, label_type="requirement"))
                item.add_marker(pytest.mark.allure_link(pattern.format(req), name=req, link_type="tms"))
        if any(STATE in item.stash for item in items):
            self._activate(session, items)

    def _scenario_info(self, item, template) -> dict:
        feature = template.feature
        folder = Path(feature.filename).parent.name
        reqs = sorted({m.args[0] for m in item.iter_markers("req") if m.args}
                      | {t for t in template.tags | feature.tags if REQ_TAG.fullmatch(t)})
        example = getattr(item, "callspec", None) and item.callspec.params.get("_pytest_bdd_example")
        return {"feature": feature.name, "feature_file": os.path.relpath(feature.filename, REPO),
                "chapter": chapter_of_folder(folder) or folder, "scenario": template.name,
                "line": template.line_number, "example": dict(example or {}), "requirements": reqs,
                "tags": sorted(t for t in template.tags | feature.tags if not REQ_TAG.fullmatch(t))}

    def _activate(self, session, items) -> None:
        config = self.config
        run_dir = getattr(config, "h680_run_dir", None) or getattr(config.option, "run_dir", None)
        if run_dir is None:
            stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
            run_dir = REPO / "reports" / "runs" / f"{stamp}-{_git('rev-parse', '--short', 'HEAD') or 'nogit'}"
        self.run_dir = Path(run_dir)
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.active = True
        lab = getattr(config, "h680", None)
        self.doc = {
            "schema": RESULTS_SCHEMA,
            "run": {
                "run_id": self.run_dir.name, "state": "running", "interrupted": False,
                "started": _now(), "finished": None, "exit_status": None,
                "target": getattr(config, "h680_target", None),
                "bench": getattr(lab, "bench", None),
                "lab_file": str(getattr(config, "h680_lab_path", "")),
                "duts": self._lab_duts(lab),
                "harness_version": harness_version(),
                "git_commit": _git("rev-parse", "HEAD") or "unknown",
                "git_dirty": bool(_git("status", "--porcelain", "--untracked-files=no")),
                "operator": config.getoption("--operator") or os.environ.get("USER") or getpass.getuser(),
                "host": platform.node(), "python": platform.python_version(),
                "pytest_args": list(config.invocation_params.args),
                "collected": sum(1 for i in items if STATE in i.stash),
                # scenarios this bench cannot run, left out by conftest.py with the reason
                "not_run": [{"tag": tag, "reason": reason, "scenarios": nodeids}
                            for tag, (reason, nodeids) in getattr(config, "h680_not_run", {}).items()],
            },
            "scenarios": [],
        }
        if self.part:
            self.doc["run"]["part"] = self.part
        self._setup_allure()
        self._write()

    @staticmethod
    def _lab_duts(lab) -> dict:
        duts = {}
        for name, p in (getattr(lab, "phones", None) or {}).items():
            duts[name] = {"ip": str(p.ip), "web_port": p.web_port, "lab_model": p.model, "lab_mac": p.mac,
                          "model": None, "firmware": None, "mac": None, "hardware": None, "serial": None}
        return duts

    # --- Allure ------------------------------------------------------------------------
    def _setup_allure(self) -> None:
        config = self.config
        try:
            from allure_pytest_bdd.pytest_bdd_listener import PytestBDDListener
        except ImportError:
            return
        if not hasattr(config.option, "allure_report_dir") or config.getoption("--no-allure-results"):
            return
        if config.option.allure_report_dir:         # --alluredir given: allure's own plugin is running
            self.allure_dir = Path(config.option.allure_report_dir).resolve()
            self.allure_listener = next((p for p in config.pluginmanager.get_plugins()
                                         if isinstance(p, PytestBDDListener)), None)
        else:                                        # our default: <run dir>/allure-results
            import allure_commons
            from allure_commons.lifecycle import AllureLifecycle
            from allure_commons.logger import AllureFileLogger
            from allure_pytest_bdd.allure_api_listener import AllurePytestBddApiHooks
            from allure_pytest_bdd.plugin import cleanup_factory
            self.allure_dir = self.run_dir / "allure-results"
            config.option.allure_report_dir = str(self.allure_dir)
            lifecycle = AllureLifecycle()
            listener = PytestBDDListener(lifecycle)
            config.pluginmanager.register(listener, "h680-allure-bdd-listener")
            allure_commons.plugin_manager.register(listener)
            config.add_cleanup(cleanup_factory(listener))
            for impl in (AllurePytestBddApiHooks(config, lifecycle), AllureFileLogger(str(self.allure_dir))):
                allure_commons.plugin_manager.register(impl)
                config.add_cleanup(cleanup_factory(impl))
            self.allure_listener = listener
        self.allure_dir.mkdir(parents=True, exist_ok=True)
        (self.allure_dir / "categories.json").write_text(json.dumps(CATEGORIES, indent=1), encoding="utf-8")
        self._write_environment()

    def _write_environment(self) -> None:
        if self.allure_dir is None:
            return
        run = self.doc["run"]
        env = {"target": run["target"], "bench": run["bench"], "run.id": run["run_id"],
               "harness.version": run["harness_version"], "git.commit": run["git_commit"],
               "git.dirty": run["git_dirty"], "operator": run["operator"], "lab.file": run["lab_file"]}
        for name, d in run["duts"].items():
            for key in ("model", "firmware", "mac", "hardware", "serial"):
                env[f"DUT.{name}.{key}"] = d.get(key) or d.get(f"lab_{key}") or "unknown"
        lines = [f"{k}={'unknown' if v is None else str(v).replace(chr(10), ' ')}" for k, v in env.items()]
        (self.allure_dir / "environment.properties").write_text("\n".join(lines) + "\n", encoding="utf-8")

    def _allure_test_uuid(self, nodeid: str):
        listener = self.allure_listener
        if listener is None or nodeid not in listener.nodeid_to_uuid:
            return None
        uuid = listener.nodeid_to_uuid[nodeid]
        return uuid if listener.lifecycle._items.get(uuid) is not None else None

    def _allure_schedule_broken_setup(self, item, st: ScenarioState) -> None:
        """A scenario whose setup failed (e.g. LabError in the bench fixture) never reaches
        allure-pytest-bdd's before-scenario hook and would vanish from the Allure report;
        schedule it here so it shows, in its category, like any other."""
        listener = self.allure_listener
        if listener is None or item.nodeid in listener.nodeid_to_uuid:
            return
        from allure_commons.model2 import Label
        from allure_commons.utils import md5, now
        from allure_pytest_bdd.storage import save_test_data
        from allure_pytest_bdd.utils import get_allure_labels, get_allure_links
        from pytest_bdd.scenario import scenario_wrapper_template_registry as registry
        template = registry.get(item.obj)
        scenario = template.render(st.info["example"])
        save_test_data(item=item, feature=template.feature, scenario=scenario, params=st.info["example"])
        uuid = listener.nodeid_to_uuid[item.nodeid]
        full_name = f"{os.path.normpath(template.feature.rel_filename)}:{scenario.name}"
        with listener.lifecycle.schedule_test_case(uuid=uuid) as tr:
            tr.name, tr.fullName, tr.testCaseId = scenario.name, full_name, md5(full_name)
            tr.start = tr.stop = now()
            tr.labels.append(Label(name="framework", value="pytest-bdd"))
            tr.labels.extend(get_allure_labels(item))
            tr.links.extend(get_allure_links(item))

    def _allure_attach(self, nodeid: str, path: Path) -> None:
        uuid = self._allure_test_uuid(nodeid)
        if uuid is None or path.stat().st_size > MAX_ATTACH_BYTES:
            return
        from allure_commons.types import AttachmentType
        from allure_commons.utils import uuid4
        kinds = {".png": AttachmentType.PNG, ".jpg": AttachmentType.JPG, ".jpeg": AttachmentType.JPG,
                 ".txt": AttachmentType.TEXT, ".log": AttachmentType.TEXT, ".json": AttachmentType.JSON,
                 ".csv": AttachmentType.CSV, ".svg": AttachmentType.SVG, ".pcap": AttachmentType.PCAP,
                 ".html": AttachmentType.HTML, ".cfg": AttachmentType.TEXT, ".xml": AttachmentType.XML}
        kind = kinds.get(path.suffix.lower())
        self.allure_listener.lifecycle.attach_file(
            uuid4(), str(path), name=path.name, attachment_type=kind,
            extension=None if kind else (path.suffix.lstrip(".") or "bin"), parent_uuid=uuid)

    # --- the DUTs' identity (best effort, once the phones are up) ---------------------------
    def _fetch_identity(self) -> None:
        if self.identity_done:
            return
        import requests
        duts = self.doc["run"]["duts"]
        for name, d in duts.items():
            if d.get("firmware"):
                continue
            try:
                ident = requests.get(f"http://{d['ip']}:{d['web_port']}/api/identity", timeout=2).json()
            except (requests.RequestException, ValueError) as exc:
                d["identity_error"] = str(exc)[:200]
                continue
            d.pop("identity_error", None)
            d.update(model=ident.get("model"), firmware=ident.get("firmware"), mac=ident.get("mac"),
                     hardware=ident.get("hardware"), serial=ident.get("serial") or ident.get("product_id"))
        self.identity_done = all(d.get("firmware") for d in duts.values())
        self._write_environment()

    # --- per scenario ------------------------------------------------------------------
    def pytest_runtest_logstart(self, nodeid, location):
        self.current = None

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_setup(self, item):
        st = item.stash.get(STATE, None)
        if st is not None and self.active:
            st.started, st.t0 = _now(), time.monotonic()
            self.current = st
            evidence.begin(item.nodeid, self.run_dir / "scenarios" / scenario_dir_name(item.nodeid))
            st.log_offsets = {p: p.stat().st_size for p in self._session_logs()}
        outcome = yield
        if st is not None and self.active and outcome.excinfo is not None:
            self._allure_schedule_broken_setup(item, st)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_fixture_setup(self, fixturedef, request):
        """Remember the scenario's ``bench`` and the session's ``duts`` as conftest builds them
        (steps fetch them lazily, so they never show up in ``item.funcargs``)."""
        outcome = yield
        if not self.active or outcome.excinfo is not None or fixturedef.argname not in ("bench", "duts"):
            return
        value = outcome.get_result()
        if fixturedef.argname == "duts":
            self.duts = value
            return
        request.node.stash[BENCH] = value
        ev = evidence.current()
        if ev is not None and getattr(value, "evidence_dir", None):
            ev.directory = Path(value.evidence_dir)

    @pytest.hookimpl
    def pytest_bdd_before_scenario(self, request, feature, scenario):
        if request.node.stash.get(STATE, None) is not None and self.active:
            self._fetch_identity()

    @pytest.hookimpl
    def pytest_bdd_step_error(self, request, feature, scenario, step, step_func, step_func_args, exception):
        st = request.node.stash.get(STATE, None)
        if st is not None and st.failing_step is None:
            st.failing_step = {"keyword": step.keyword, "text": step.name, "line": step.line_number,
                               "message": str(exception)[:2000], "exception": type(exception).__name__}

    @pytest.hookimpl
    def pytest_bdd_step_func_lookup_error(self, request, feature, scenario, step, exception):
        st = request.node.stash.get(STATE, None)
        if st is not None and st.failing_step is None:
            st.failing_step = {"keyword": step.keyword, "text": step.name, "line": step.line_number,
                               "message": f"no step definition: {exception}"[:2000],
                               "exception": type(exception).__name__}

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_teardown(self, item, nextitem):
        st = item.stash.get(STATE, None)
        bench = item.stash.get(BENCH, None)
        duts = getattr(bench, "duts", None) or self.duts or {}
        yield
        if st is None or not self.active:
            return
        try:
            self._collect_evidence(item, st, bench, duts)
        except Exception as exc:   # evidence collection must never hide the verdict
            st.phases.setdefault("evidence", ("error", f"evidence collection failed: {exc!r}", ""))

    def _collect_evidence(self, item, st: ScenarioState, bench, duts) -> None:
        ev = evidence.end() or evidence.ScenarioEvidence(item.nodeid, self.run_dir / "scenarios"
                                                         / scenario_dir_name(item.nodeid))
        directory = Path(getattr(bench, "evidence_dir", None) or ev.directory)
        extra: dict[str, str] = {}
        for name, dut in duts.items():
            screen = getattr(getattr(dut, "screen", None), "seen", None)
            transcript = getattr(getattr(dut, "web", None), "transcript", None)
            for kind, items, render in (("lcd", screen, _screen_text), ("web", transcript, _web_text)):
                if items is None:
                    continue
                start = self.cursors.get((name, kind), 0)
                new = items[start:]
                self.cursors[(name, kind)] = len(items)
                if new:
                    extra[f"{kind}-{name}.txt"] = render(new)
        if any(kind != "passed" for kind, _, _ in st.phases.values()):
            extra.update(self._log_slices(st))
        st.measurements = list(ev.measurements)
        if st.measurements:
            extra["measurements.json"] = json.dumps(st.measurements, indent=1)
        if extra:
            directory.mkdir(parents=True, exist_ok=True)
            for fname, text in extra.items():
                (directory / fname).write_text(text, encoding="utf-8")
        if directory.is_dir():
            files = sorted(p for p in directory.rglob("*") if p.is_file())
            st.evidence = [os.path.relpath(p, self.run_dir) for p in files]
            for p in files:
                self._allure_attach(item.nodeid, p)

    def _session_logs(self) -> list[Path]:
        """The registrar's, the phones' and the peers' logs: session-wide files outside the scenarios
        (on a pytest-xdist worker, only its own bench's, under workers/<worker>)."""
        def ours(parts: tuple[str, ...]) -> bool:
            if "scenarios" in parts or "allure-results" in parts:
                return False
            if parts[0] == "workers":
                return self.part is not None and len(parts) > 1 and parts[1] == self.part
            return True
        return [p for p in self.run_dir.rglob("*") if p.suffix in (".log", ".out") and p.is_file()
                and ours(p.relative_to(self.run_dir).parts)]

    def _log_slices(self, st: ScenarioState, limit: int = 200_000) -> dict[str, str]:
        """For a scenario that did not pass: what each session log gained while it ran, so the
        failure can be understood from its own evidence (the whole logs stay in the bundle)."""
        out = {}
        for p in self._session_logs():
            start, end = st.log_offsets.get(p, 0), p.stat().st_size
            if end <= start:
                continue
            with open(p, "rb") as f:
                f.seek(max(start, end - limit))
                text = f.read(end - start).decode("utf-8", errors="replace")
            name = "log-" + "_".join(p.relative_to(self.run_dir).parts).replace(".log", "").replace(".out", "-out")
            out[f"{name}.txt"] = text
        return out

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        outcome = yield
        report = outcome.get_result()
        st = item.stash.get(STATE, None)
        if st is None or not self.active:
            return
        kind = classify(call.excinfo) if report.outcome != "passed" else "passed"
        if report.outcome == "skipped" and hasattr(report, "wasxfail"):
            kind = "skipped"
        message = call.excinfo.exconly()[:2000] if call.excinfo is not None else ""
        trace = report.longreprtext[-4000:] if report.failed else ""
        st.phases[report.when] = (kind, message, trace)
        if report.when == "teardown":
            self._finish(st)

    def _finish(self, st: ScenarioState, interrupted: bool = False) -> None:
        if st.done:
            return
        st.done = True
        st.duration = round(time.monotonic() - st.t0, 3) if st.t0 else 0.0
        outcome, phase, message, trace = "passed", None, "", ""
        for when in ("setup", "call", "teardown", "evidence"):
            kind, msg, tr = st.phases.get(when, ("passed", "", ""))
            if kind != "passed":
                outcome, phase, message, trace = kind, when, msg, tr
                break
        if interrupted and outcome in ("passed",):
            outcome, phase, message = "interrupted", phase or "call", message or "interrupted (Ctrl-C)"
        rec = {"nodeid": st.nodeid, **st.info, "outcome": outcome, "phase": phase,
               "started": st.started, "duration": st.duration, "message": message,
               "failing_step": st.failing_step if outcome != "passed" else None,
               "trace": trace, "evidence": st.evidence, "measurements": st.measurements}
        self.records[st.nodeid] = rec
        self.doc["scenarios"] = list(self.records.values())
        self._write()

    def _write(self) -> None:
        if self.active and self.run_dir is not None:
            name = part_file(self.part) if self.part else RESULTS_FILE
            write_json_atomic(self.run_dir / name, self.doc)

    # --- end of the run ----------------------------------------------------------------
    def pytest_keyboard_interrupt(self, excinfo):
        if not self.active:
            return
        self.doc["run"]["interrupted"] = True
        if self.current is not None and not self.current.done:
            self.current.phases.setdefault("call", ("interrupted", "interrupted (Ctrl-C)", ""))
            self._finish(self.current, interrupted=True)
        self._write()

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session, exitstatus):
        if not self.active:
            return
        run = self.doc["run"]
        run["interrupted"] = run["interrupted"] or int(exitstatus) == int(pytest.ExitCode.INTERRUPTED)
        run["state"] = "interrupted" if run["interrupted"] else "finished"
        run["finished"], run["exit_status"] = _now(), int(exitstatus)
        self._write_environment()
        self._write()

    def pytest_report_collectionfinish(self, config, start_path, items):
        if not self.active:
            return None
        n = sum(1 for i in items if STATE in i.stash)
        reqs = {r for i in items if STATE in i.stash for r in i.stash[STATE].info["requirements"]}
        where = f", allure results in {self.allure_dir}" if self.allure_dir else ""
        return [f"h680-hil reports: {n} scenarios tracing {len(reqs)} requirements -> "
                f"{self.run_dir / RESULTS_FILE}{where}"]

    def pytest_terminal_summary(self, terminalreporter):
        if self.active:
            terminalreporter.write_line(f"h680-hil reports: results in {self.run_dir / RESULTS_FILE}; "
                                        f"certify with: python -m reports certify {self.run_dir}")
