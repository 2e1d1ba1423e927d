"""pytest entry point of h680-hil: options, the lab, the bench fixtures.

``--target`` chooses how the phone under test is reached: ``reference`` (the
reference phone through its control API), ``virtual-handset`` (the reference phone
through a relay board, a camera and its web UI only) or ``handset`` (real handsets on
a lab bench, the lab's PBX); ``--lab`` names the bench YAML.
Phones, Kamailio and the far-end peers live for the whole session; each
scenario starts from a factory reset done through the phone's web UI.
"""
from __future__ import annotations

import datetime as dt
import re
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

from drivers.process import install_signal_handlers, stop_all

REPO = Path(__file__).resolve().parent
TARGETS = ("reference", "virtual-handset", "handset")
WORKER_BLOCK_STEP = 16   # pytest-xdist worker gwN runs on 127.0.<block + 16 (N + 1)>.x
# A scenario tagged @host_multicast uses what every bench on the machine shares (multicast
# groups on loopback): it holds this host-wide lock while it runs, so parallel workers --
# or two runs on one lab PC -- take turns.  (pytest-xdist's loadgroup would do it within one
# run, but with pytest 9 its group suffix no longer reaches the scheduler.)
HOST_MULTICAST_LOCK = Path(tempfile.gettempdir()) / "h680-hil-host-multicast.lock"

pytest_plugins = ["steps.phone_steps", "steps.call_steps", "steps.web_steps", "steps.wire_steps",
                  "steps.feature_steps", "steps.privacy_and_redial_steps", "steps.message_steps",
                  "steps.audio_steps", "steps.conference_steps", "steps.upgrade_steps",
                  "steps.backup_steps", "steps.paging_steps",
                  "steps.action_url_steps", "steps.provisioning_steps",
                  "steps.directory_steps",
                  "steps.ldap_steps",
                  "steps.customization_steps",
                  "steps.dialing_steps",
                  "steps.tone_steps",
                  "steps.network_options_steps",
                  "steps.sip_options_steps",
                  "steps.vpn_steps",
                  "steps.intercom_keys_steps",
                  "reports.plugin"]


def pytest_addoption(parser):
    group = parser.getgroup("h680", "h680-hil bench")
    group.addoption("--target", default="reference", choices=TARGETS,
                    help="how the phone under test is reached (default: reference)")
    group.addoption("--lab", default=str(REPO / "lab_config" / "reference.yaml"),
                    help="bench description YAML (default: lab_config/reference.yaml)")
    group.addoption("--run-dir", default=None, help="evidence directory (default: reports/runs/<run id>)")


def _run_id() -> str:
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    try:
        sha = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                             text=True, timeout=5).stdout.strip() or "nogit"
    except OSError:
        sha = "nogit"
    return f"{stamp}-{sha}"


def pytest_configure(config):
    install_signal_handlers()
    config.h680 = None
    target = config.getoption("--target")
    lab_path = Path(config.getoption("--lab"))
    run_dir = config.getoption("--run-dir")
    workerinput = getattr(config, "workerinput", None)
    if workerinput is not None:       # a pytest-xdist worker writes into the controller's run
        run_dir = workerinput["h680_run_dir"]
    config.h680_run_dir = Path(run_dir) if run_dir else REPO / "reports" / "runs" / _run_id()
    config.h680_target, config.h680_lab_path = target, lab_path


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    """pytest-xdist: every worker shares the controller's run directory."""
    node.workerinput["h680_run_dir"] = str(node.config.h680_run_dir)


def worker_number(config) -> int | None:
    """0, 1 … on a pytest-xdist worker; None in a serial run."""
    workerinput = getattr(config, "workerinput", None)
    return int(workerinput["workerid"].removeprefix("gw")) if workerinput else None


def load_bench_lab(config):
    """Load and check the lab YAML once; a wrong file stops the run naming file, field, allowed values."""
    if config.h680 is None:
        from lab_config import LabConfigError, load_lab
        try:
            lab = load_lab(config.h680_lab_path)
        except LabConfigError as exc:
            raise pytest.UsageError(str(exc)) from None
        target = config.h680_target
        if lab.target != target:
            raise pytest.UsageError(f"{config.h680_lab_path}: target: the lab describes a {lab.target!r} bench "
                                    f"but --target is {target!r} (allowed: a lab whose target matches)")
        n = worker_number(config)
        if n is not None:
            # Each worker runs a whole bench of its own: same ports, its own loopback block.
            if target == "handset":
                raise pytest.UsageError("-n: a real bench has one set of handsets; run it without pytest-xdist")
            base = int(str(lab.registrar.ip).split(".")[2])
            lab = lab.on_loopback_block((base + WORKER_BLOCK_STEP * (n + 1)) % 256)
        config.h680 = lab
    return config.h680


# What a real bench cannot do yet, by the tag that marks the scenarios needing it.
NOT_ON_A_REAL_BENCH = {
    "reference_only": "listens through the reference phone's control API (a real bench needs a microphone "
                      "at the speaker: not built)",
    "bench_speaker": "plays a tone into the phone's microphone (a real bench needs a speaker the bench PC "
                     "drives: not built)",
}


@pytest.hookimpl(trylast=True)   # after -k / -m, so the summary counts only what was selected
def pytest_collection_modifyitems(session, config, items):
    if not any("features" in str(item.path) for item in items):
        return
    lab = load_bench_lab(config)   # fail at once, before any phone starts
    config.h680_not_run = {}
    if lab.target != "handset":
        return
    kept, dropped = [], []
    for item in items:
        tag = next((t for t in NOT_ON_A_REAL_BENCH if item.get_closest_marker(t)), None)
        if tag:
            config.h680_not_run.setdefault(tag, (NOT_ON_A_REAL_BENCH[tag], []))[1].append(item.nodeid)
            dropped.append(item)
        else:
            kept.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def pytest_terminal_summary(terminalreporter, config):
    """Say plainly which scenarios a real bench did not run, and why (they are not passes)."""
    for tag, (reason, nodeids) in getattr(config, "h680_not_run", {}).items():
        terminalreporter.write_line(f"h680-hil: {len(nodeids)} scenarios tagged @{tag} not run on "
                                    f"--target {config.h680_target}: {reason}", yellow=True)


def pytest_report_header(config):
    return [f"h680-hil: target={config.h680_target} lab={config.h680_lab_path} evidence={config.h680_run_dir}"]


def pytest_bdd_apply_tag(tag, function):
    """``@REQ-XXX-NN`` becomes ``pytest.mark.req("REQ-XXX-NN")`` (traceability); other tags stay marks."""
    if re.fullmatch(r"REQ-[A-Z0-9]+-\d+", tag):
        pytest.mark.req(tag)(function)
        return True
    return None


def pytest_unconfigure(config):
    stop_all()


# --- session fixtures: the bench ---------------------------------------------------------
@pytest.fixture(scope="session")
def lab(pytestconfig):
    return load_bench_lab(pytestconfig)


@pytest.fixture(scope="session")
def run_dir(pytestconfig) -> Path:
    path = pytestconfig.h680_run_dir
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def bench_dir(pytestconfig, run_dir) -> Path:
    """Where this session's bench keeps its own files (Kamailio, phone data, peer logs):
    the run directory, or a folder per pytest-xdist worker (each runs a bench of its own)."""
    n = worker_number(pytestconfig)
    path = run_dir if n is None else run_dir / "workers" / f"gw{n}"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def registrar(lab, bench_dir):
    """The bench's own Kamailio, or (``kind: external``) the lab's PBX, its registrations read off the wire."""
    r = lab.registrar
    if r.kind == "external":
        from drivers.pbx_watch import WatchedPbx
        server = WatchedPbx(str(r.ip), r.port, lab.capture.interface, str(lab.peers.host_ip),
                            bench_dir / "pbx.pcap", bench=lab.bench)
    else:
        from drivers.registrar import KamailioRegistrar
        users = {u.user: u.password for u in r.users}
        server = KamailioRegistrar(str(r.ip), r.port, users, bench_dir / "kamailio", transports=tuple(r.transports))
    server.start()
    yield server
    server.stop()


def hardware_args(lab, phone) -> list[str]:
    """On the virtual-handset target the reference phone also serves a camera stream and a relay board."""
    if lab.target != "virtual-handset":
        return []
    from drivers.reference_phone import hardware_args as as_hardware
    return as_hardware(phone.keypad, phone.camera.degradation, phone.camera.live_noise)


@pytest.fixture(scope="session")
def phone_processes(lab, bench_dir, registrar):
    """The reference phones the embedded benches start; a real bench's handsets are already on."""
    if lab.target == "handset":
        yield {}
        return
    from drivers.reference_phone import ReferencePhoneProcess
    procs = {}
    try:
        for name, p in lab.phones.items():
            proc = ReferencePhoneProcess(name, str(p.ip), p.sip_port, p.web_port, p.mac, p.model,
                                         data_dir=bench_dir / "phones" / name, log_dir=bench_dir / "phones",
                                         extra_args=hardware_args(lab, p))
            proc.start()
            procs[name] = proc
        yield procs
    finally:
        for proc in procs.values():
            proc.stop()


@pytest.fixture(scope="session")
def peer_host(lab, bench_dir, registrar):
    from drivers.sip_peer import SipPeerHost
    host = SipPeerHost(str(lab.peers.host_ip), log_path=bench_dir / "peers-pjsua2.log")
    host.start()
    peers = {}
    try:
        r = lab.registrar
        for name, acc in lab.peers.accounts.items():
            peer = host.add_peer(name, acc.user, acc.password, str(r.ip), r.port,
                                 display_name=acc.display_name)
            peer.register()
            peers[name] = peer
        yield peers
    finally:
        host.stop()


@pytest.fixture(scope="session")
def duts(lab, phone_processes):
    from drivers.accessories import ControlApiAccessories
    from drivers.bench import Dut
    from drivers.keypad import ControlApiKeypad
    from drivers.screen import ControlApiScreen, ScreenWatcher
    from drivers.webui import WebUI
    out, cameras, boards = {}, [], []
    try:
        for name, p in lab.phones.items():
            proc = phone_processes.get(name)          # None: a real handset, no process of ours
            base_url = f"http://{p.ip}:{p.web_port}"
            camera = None
            if lab.target in ("virtual-handset", "handset"):
                from drivers.accessories import RelayAccessories
                from drivers.handset import build_handset_drivers
                keypad, camera, camera_screen = build_handset_drivers(name, p, lab.bench,
                                                                      proc.data_dir if proc else None)
                cameras.append(camera)
                boards.append(keypad.board)
                screen = ScreenWatcher(camera_screen, name)
                # The tone at the microphone: the virtual handset's control API; nothing on a real bench.
                accessories = RelayAccessories(keypad.board, p.keypad.headset, name, lab.bench,
                                               microphone=ControlApiAccessories(base_url, name) if proc else None)
            else:
                keypad = ControlApiKeypad(base_url, name)
                screen = ScreenWatcher(ControlApiScreen(base_url, name), name)
                accessories = ControlApiAccessories(base_url, name)
            out[name] = Dut(name, str(p.ip), p.sip_port, p.account, keypad, screen,
                            WebUI(base_url, name=name), accessories, proc, camera=camera)
        yield out
    finally:
        for camera in cameras:
            camera.close()
        for board in boards:
            board.close()


@contextmanager
def host_wide_lock(path: Path):
    """An exclusive lock other processes on this host see (flock); released when the scenario ends."""
    import fcntl
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture
def host_resources(request):
    if request.node.get_closest_marker("host_multicast"):
        with host_wide_lock(HOST_MULTICAST_LOCK):
            yield
    else:
        yield


@pytest.fixture
def bench(host_resources, lab, registrar, duts, peer_host, run_dir, request):
    from drivers.bench import Bench
    scenario_dir = run_dir / "scenarios" / re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)[-120:]
    scenario_dir.mkdir(parents=True, exist_ok=True)
    b = Bench(lab, registrar, duts, peer_host, scenario_dir)
    for dut in duts.values():
        if hasattr(dut.screen.screen, "evidence_dir"):
            dut.screen.screen.evidence_dir = scenario_dir   # camera frames used for verdicts land here
    b.reset()
    try:
        yield b
    finally:
        for close in b.context.get("closers", []):   # bench tools a scenario started (a pager …)
            close()
        for capture in b.context.get("captures", []):
            capture.stop()
