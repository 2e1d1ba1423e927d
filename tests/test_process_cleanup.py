"""SIGTERM sent twice (a CI timeout wrapper forwarding it) still stops every child the harness started."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from drivers.wait import wait_until

REPO = Path(__file__).resolve().parent.parent


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"


def test_two_sigterms_do_not_orphan_children(tmp_path) -> None:
    script = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(REPO)!r})
        from drivers.process import ManagedProcess, install_signal_handlers
        install_signal_handlers()
        # A child slow to stop (it ignores SIGTERM, as a stuck phone would): the clean-up takes
        # the whole grace period, and the second SIGTERM arrives in the middle of it.
        child = ManagedProcess("stubborn", ["sh", "-c", "trap '' TERM; while :; do sleep 0.1; done"],
                               {str(tmp_path / "stubborn.log")!r})
        child.start()
        print(child.pid, flush=True)
        time.sleep(300)
    """)
    harness = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    child_pid = int(harness.stdout.readline())
    assert _alive(child_pid)
    harness.send_signal(signal.SIGTERM)
    time.sleep(0.3)    # the second signal lands while the first one's clean-up runs
    harness.send_signal(signal.SIGTERM)
    harness.wait(timeout=15)
    wait_until(lambda: not _alive(child_pid), 5, 0.05, what="the child stopped")
