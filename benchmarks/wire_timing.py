"""How exactly the reference phone keeps the SIP retransmission schedule and the 20 ms RTP clock.

    .venv/bin/python benchmarks/wire_timing.py [--transactions 14] [--rtp-seconds 200]

Retransmissions: a reference phone (127.0.0.62) registers to silent UDP ports
(127.0.0.63:5098/5099) with T1 = 100 ms and T2 = 400 ms; the account's port is
switched every 64 x T1 so each switch starts a new REGISTER transaction; every
gap between sends is compared with RFC 3261's schedule (Timer E doubling from
T1, capped at T2).  RTP: the same phone pages a group (paging list, started
through its keypad control API) for ``--rtp-seconds``; every gap between
packets is compared with 20 ms.  Both are read from a scapy capture on lo,
whose timestamp resolution is reported too.  Targets (issue 4): schedule error
p99 <= 10 ms; RTP spacing 20 ms +- 2 ms p99.
"""
from __future__ import annotations

import argparse
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from drivers.capture import Capture  # noqa: E402
from drivers.reference_phone import ReferencePhoneProcess  # noqa: E402
from drivers.rtp_stream import rtp_streams  # noqa: E402
from drivers.sip_wire import check_retransmissions, group_transactions  # noqa: E402
from drivers.wait import wait_until  # noqa: E402
from drivers.webui import WebUI  # noqa: E402

PHONE_IP, SILENT_IP, GROUP = "127.0.0.62", "127.0.0.63", "239.62.0.1:25620"


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def configure(base: str, values: dict) -> None:
    web = WebUI(base, name="bench phone")
    web.login()
    web.set_config(values)


def retransmissions(base: str, transactions: int) -> tuple[list[float], int]:
    silent = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(2)]
    for sock, port in zip(silent, (5098, 5099)):
        sock.bind((SILENT_IP, port))
    cap = Capture("lo", f"udp and dst host {SILENT_IP}")
    cap.start()
    try:
        configure(base, {"sip.t1": 100, "sip.t2": 400})
        account = {"account.1.enable": 1, "account.1.user_name": "9001", "account.1.register_name": "9001",
                   "account.1.password": "x", "account.1.server1": SILENT_IP}
        for i in range(transactions):
            configure(base, {**account, "account.1.port": 5098 + i % 2})
            print(f"  REGISTER transaction {i + 1}/{transactions}", end="\r", flush=True)
            time.sleep(64 * 0.1 + 0.3)   # the transaction runs to Timer F
        time.sleep(0.5)
    finally:
        cap.stop()
        for sock in silent:
            sock.close()
    errors = []
    for tx in group_transactions(cap.sip_messages()):
        if tx.request.method == "REGISTER" and len(tx.sends) > 2:
            check = check_retransmissions(tx, 0.1, 0.4, tolerance=1.0)
            errors += [abs(m - e) for m, e in zip(check.measured, check.expected)]
    return errors, len(cap.packets())


def rtp(base: str, seconds: float) -> tuple[list[float], float]:
    cap = Capture("lo", "udp and dst net 224.0.0.0/4")
    cap.start()
    try:
        configure(base, {"paging.list.1.address": GROUP, "paging.list.1.label": "bench"})
        for key in ("SOFT_RIGHT", "4", "8"):   # Menu > Features > Paging List (by number)
            requests.post(base + "/control/key", json={"key": key}, timeout=5).raise_for_status()
        screen = requests.get(base + "/control/screen", timeout=5).json()
        if screen["screen"] != "paging_list":
            raise SystemExit(f"could not open the paging list: {screen}")
        requests.post(base + "/control/key", json={"key": "OK"}, timeout=5).raise_for_status()
        time.sleep(seconds)
        requests.post(base + "/control/key", json={"key": "SOFT_RIGHT"}, timeout=5).raise_for_status()
    finally:
        cap.stop()
    streams = rtp_streams(cap.packets(), dst=GROUP.split(":")[0])
    gaps = [g for s in streams for g in s.intervals()]
    return gaps, cap.precision


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--transactions", type=int, default=14)
    ap.add_argument("--rtp-seconds", type=float, default=200.0)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        phone = ReferencePhoneProcess("bench", PHONE_IP, 5060, 8080, "00:15:65:00:00:62", "SIP-H680W",
                                      data_dir=Path(tmp) / "flash", log_dir=Path(tmp))
        phone.start(timeout=10)
        try:
            wait_until(lambda: requests.get(phone.base_url + "/control/screen", timeout=2).json()["screen"]
                       == "standby", 5, 0.05)
            errors, _ = retransmissions(phone.base_url, args.transactions)
            gaps, precision = rtp(phone.base_url, args.rtp_seconds)
        finally:
            phone.stop()
    dev = [abs(g - 0.020) for g in gaps]
    print(f"\nSIP retransmission gaps: {len(errors)}; error vs RFC 3261 schedule: "
          f"median {statistics.median(errors) * 1000:.2f} ms, p99 {pct(errors, 0.99) * 1000:.2f} ms, "
          f"max {max(errors) * 1000:.2f} ms")
    print(f"RTP packets: {len(gaps) + 1}; spacing {statistics.median(gaps) * 1000:.3f} ms median, deviation "
          f"from 20 ms: median {statistics.median(dev) * 1000:.3f} ms, p99 {pct(dev, 0.99) * 1000:.3f} ms, "
          f"max {max(dev) * 1000:.3f} ms")
    print(f"capture timestamp resolution: {precision * 1e6:.3f} us")


if __name__ == "__main__":
    main()
