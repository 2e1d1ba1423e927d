"""How fast a reference phone starts and stops (target: up in under 2 s, SIGTERM in well under 2 s).

    .venv/bin/python benchmarks/phone_start.py [--runs 10]

"Up" is the moment its web UI answers /api/identity after the process is
started; "standby" adds the boot screen (1 s by design, manual §3.3); "stop" is
SIGTERM to exit, including the un-REGISTER of a registered account when a
registrar is given.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from drivers.reference_phone import ReferencePhoneProcess  # noqa: E402
from drivers.wait import wait_until  # noqa: E402


def one_run(tmp: Path, i: int) -> tuple[float, float, float]:
    proc = ReferencePhoneProcess("bench", "127.0.0.61", 5060, 8080, "00:15:65:00:00:61", "SIP-H680W",
                                 data_dir=tmp / f"flash{i}", log_dir=tmp)
    t0 = time.monotonic()
    proc.start(timeout=10)
    up = time.monotonic() - t0
    wait_until(lambda: requests.get(proc.base_url + "/control/screen", timeout=2).json()["screen"] == "standby",
               5, 0.01)
    standby = time.monotonic() - t0
    t1 = time.monotonic()
    proc.stop()
    return up, standby, time.monotonic() - t1


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        runs = [one_run(Path(tmp), i) for i in range(args.runs)]
    for name, values in zip(("up (web answers)", "standby shown", "SIGTERM to exit"), zip(*runs)):
        print(f"{name:18s} median {statistics.median(values) * 1000:7.1f} ms   max {max(values) * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
