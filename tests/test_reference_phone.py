"""The reference phone as a process: start, clean stop, restart keeps data, bad CFG files refused.

These start real phones (``python -m reference_impl``) on addresses of their
own (127.0.0.4x), so they can run beside the features' bench.
"""
from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from drivers.reference_phone import ReferencePhoneProcess
from drivers.webui import ConfigRefused, WebUI
from drivers.wait import wait_until

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def phone(tmp_path):
    proc = ReferencePhoneProcess("T", "127.0.0.41", 5060, 8080, "00:15:65:00:00:41", "SIP-H680W",
                                 data_dir=tmp_path / "flash", log_dir=tmp_path)
    proc.start()
    yield proc
    proc.stop()


def web_of(proc) -> WebUI:
    web = WebUI(proc.base_url, name=proc.name)
    web.login()
    return web


def screen_of(proc) -> dict:
    return requests.get(proc.base_url + "/control/screen", timeout=5).json()


def press(proc, *keys):
    for key in keys:
        requests.post(proc.base_url + "/control/key", json={"key": key, "duration_ms": 20}, timeout=5)


def test_identity_and_clean_sigterm(phone):
    ident = requests.get(phone.base_url + "/api/identity", timeout=5).json()
    assert ident["model"] == "SIP-H680W" and ident["mac"] == "00:15:65:00:00:41"
    phone.proc.popen.send_signal(signal.SIGTERM)
    assert phone.proc.popen.wait(10) == 0
    assert "phone stopped" in (phone.data_dir / "phone.log").read_text()


def test_restart_keeps_configuration_and_call_history(phone):
    web = web_of(phone)
    web.set_config({"account.1.enable": 1, "account.1.user_name": "1001", "account.1.register_name": "1001",
                    "account.1.password": "pw", "account.1.server1": "127.0.0.99", "account.1.port": 5099,
                    "account.1.label": "Kept", "sip.t1": 400})
    wait_until(lambda: screen_of(phone)["screen"] == "standby", 5, what="standby")
    press(phone, "4", "2", "OFFHOOK")               # a dialled call to a silent server
    wait_until(lambda: web.history("dialled"), 5, what="a dialled record")
    press(phone, "ONHOOK")
    before_cfg, before_hist = web.config(), web.history()

    phone.restart()
    web = web_of(phone)
    assert web.config() == before_cfg
    assert [(r["kind"], r["number"]) for r in web.history()] == [(r["kind"], r["number"]) for r in before_hist]
    assert web.config()["account.1.label"] == "Kept"
    wait_until(lambda: "Kept 1001" in screen_of(phone)["lines"], 5, what="the label on standby")


def test_factory_reset_wipes_configuration_and_history(phone):
    web = web_of(phone)
    web.set_config({"account.1.label": "Gone", "sip.t1": 300})
    web.factory_reset()
    web = web_of(phone)
    assert web.config()["account.1.label"] == ""
    assert web.config()["sip.t1"] == "500"
    assert web.history() == []


BAD_CFGS = {
    "unknown key": ("account.1.user_name = 1001\naccount.1.colour = blue\n", 2, "account.1.colour"),
    "out of range": ("# ports\naccount.1.port = 70000\n", 2, "account.1.port"),
    "garbage line": ("account.1.label = ok\nthis is not a setting\n", 2, None),
    "bad enum": ("account.1.transport = SCTP\n", 1, "account.1.transport"),
}


@pytest.mark.parametrize("case", sorted(BAD_CFGS))
def test_bad_cfg_import_is_refused_whole_with_line_and_key(phone, case):
    text, line, key = BAD_CFGS[case]
    web = web_of(phone)
    before = web.config()
    with pytest.raises(ConfigRefused) as refused:
        web.import_cfg(text, "bad.cfg")
    said = "\n".join(refused.value.problems)
    assert f"line {line}:" in said
    if key:
        assert key in said
    assert web.config() == before      # nothing half-applied (the good first lines neither)


def test_out_of_range_names_what_is_allowed(phone):
    web = web_of(phone)
    with pytest.raises(ConfigRefused) as refused:
        web.import_cfg("account.1.port = 70000\n", "bad.cfg")
    assert "1..65535" in refused.value.problems[0]


def test_bad_cfg_at_boot_stops_the_phone_with_line_and_key(tmp_path):
    cfg = tmp_path / "boot.cfg"
    cfg.write_text("account.1.label = fine\nsip.t1 = -5\n")
    out = subprocess.run([sys.executable, "-m", "reference_impl", "--ip", "127.0.0.42", "--web-port", "8080",
                          "--data-dir", str(tmp_path / "flash"), "--cfg", str(cfg)],
                         cwd=REPO, capture_output=True, text=True, timeout=30)
    assert out.returncode == 2
    assert "boot.cfg" in out.stderr and "line 2" in out.stderr and "sip.t1" in out.stderr
    assert "nothing applied" in out.stderr


def test_good_cfg_at_boot_is_applied(tmp_path):
    cfg = tmp_path / "boot.cfg"
    cfg.write_text("account.1.label = Booted\nsip.t1 = 300\n")
    proc = ReferencePhoneProcess("U", "127.0.0.43", 5060, 8080, "00:15:65:00:00:43", "SIP-H680L",
                                 data_dir=tmp_path / "flash", log_dir=tmp_path, cfg=cfg)
    proc.start()
    try:
        web = web_of(proc)
        assert web.config()["account.1.label"] == "Booted"
        assert web.config()["sip.t1"] == "300"
        assert web.identity()["model"] == "SIP-H680L"
    finally:
        proc.stop()


def test_boot_screen_then_standby(phone):
    web = web_of(phone)
    web.request("POST", "/api/reboot").raise_for_status()
    assert screen_of(phone)["lines"] == ["Welcome", "Starting..."]
    started = time.monotonic()
    wait_until(lambda: screen_of(phone)["screen"] == "standby", 5, what="standby")
    assert time.monotonic() - started < 3
