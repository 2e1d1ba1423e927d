"""``--target handset`` end to end, against a stand-in lab (drivers/stand_in_bench.py).

The stand-in starts what a lab has before the harness arrives -- a PBX and two phones
already on, each with its relay board on a serial port (a pty) and a camera (an MJPEG
URL) -- and writes the bench file.  The harness then runs features against it the way
it would against real handsets: no phone process of its own, the PBX read off the wire.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from drivers.stand_in_bench import StandInBench

REPO = Path(__file__).resolve().parent.parent
BLOCK = 10          # 127.0.10.x: no feature bench uses it (they take 0, 16, 32, 48 …)

SCENARIOS = " or ".join([
    "account_set_up_from_the_phone_menus_registers",        # keys, screen, registration seen on the wire
    "Disabling_the_account_from_the_phone_unregisters_it",  # the PBX's answer lists no binding any more
    "Plugging_a_headset_in_shows_the_headset_icon",          # the headset jack switched by its relay
    "Mute_key_stops_the_microphone",                         # @bench_speaker: not on a real bench
])


@pytest.fixture(scope="module")
def stand_in(tmp_path_factory):
    run_dir = tmp_path_factory.mktemp("stand-in")
    with StandInBench(BLOCK, run_dir) as lab:
        yield lab, lab.write(run_dir / "bench.yaml")


def run_features(lab_yaml: Path, run_dir: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pytest", "features/", "--target", "handset",
                           "--lab", str(lab_yaml), "--run-dir", str(run_dir), "-q", "-p", "no:cacheprovider",
                           *extra], cwd=REPO, capture_output=True, text=True, timeout=900)


def test_features_run_on_handsets_reached_only_by_relay_camera_web_and_wire(stand_in, tmp_path):
    lab, lab_yaml = stand_in
    done = run_features(lab_yaml, tmp_path / "run", "-k", SCENARIOS)
    said = done.stdout + done.stderr
    assert done.returncode == 0, said[-4000:]
    passed = re.search(r"(\d+) passed", said)
    assert passed and int(passed.group(1)) >= 3, said[-2000:]
    assert "failed" not in said and "error" not in said.lower().split("passed")[-1]
    assert re.search(r"1 scenarios tagged @bench_speaker not run on --target handset", said), said[-2000:]
    # The harness started no phone: the stand-in's phones are the same processes as before the run.
    assert all(phone.proc.alive() for phone in lab.phones.values())
    assert (tmp_path / "run" / "pbx.pcap").stat().st_size > 0     # the PBX's traffic, kept as evidence


def test_a_wrong_serial_port_is_a_lab_error_naming_bench_and_port(stand_in, tmp_path):
    _, lab_yaml = stand_in
    bad = tmp_path / "bench.yaml"
    port = re.search(r"port: (/dev/pts/\d+)", lab_yaml.read_text()).group(1)
    bad.write_text(lab_yaml.read_text().replace(port, "/dev/ttyUSB-unplugged", 1))
    done = run_features(bad, tmp_path / "run", "-k", "account_set_up_from_the_phone_menus_registers")
    said = done.stdout + done.stderr
    assert done.returncode != 0
    assert "/dev/ttyUSB-unplugged" in said and "stand-in-127.0.10.1" in said, said[-3000:]
