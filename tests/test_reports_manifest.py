"""The SHA-256 manifest: verify names every changed, added and removed file."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from reports import manifest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def sealed(tmp_path) -> Path:
    (tmp_path / "scenarios" / "s1").mkdir(parents=True)
    (tmp_path / "scenarios" / "s1" / "sip.pcap").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "scenarios" / "s1" / "lcd-A.txt").write_text("Alice\n1001\nHistory | Menu\n")
    (tmp_path / "results.json").write_text('{"run": {}, "scenarios": []}')
    d = manifest.digest(manifest.evidence_entries(tmp_path))
    (tmp_path / "certification.html").write_text(f"<p>digest {d}</p>")
    manifest.write(tmp_path, d)
    return tmp_path


def test_an_untouched_bundle_verifies(sealed):
    v = manifest.verify(sealed)
    assert v.ok, v.lines()
    assert v.manifest_sha256 == manifest.sha256_file(sealed / "manifest.json")


def test_one_changed_byte_is_named(sealed):
    pcap = sealed / "scenarios" / "s1" / "sip.pcap"
    data = bytearray(pcap.read_bytes())
    data[100] ^= 0x01
    pcap.write_bytes(bytes(data))
    v = manifest.verify(sealed)
    assert (v.changed, v.added, v.removed, v.problems) == (["scenarios/s1/sip.pcap"], [], [], [])
    assert not v.ok


def test_one_removed_file_is_named(sealed):
    (sealed / "scenarios" / "s1" / "lcd-A.txt").unlink()
    v = manifest.verify(sealed)
    assert (v.changed, v.added, v.removed) == ([], [], ["scenarios/s1/lcd-A.txt"])


def test_one_added_file_is_named(sealed):
    (sealed / "scenarios" / "s1" / "extra.png").write_bytes(b"\x89PNG")
    v = manifest.verify(sealed)
    assert (v.changed, v.added, v.removed) == ([], ["scenarios/s1/extra.png"], [])


def test_a_manifest_edited_to_hide_a_change_is_caught(sealed):
    lcd = sealed / "scenarios" / "s1" / "lcd-A.txt"
    lcd.write_text("edited\n")
    doc = json.loads((sealed / "manifest.json").read_text())
    doc["files"]["scenarios/s1/lcd-A.txt"] = manifest.sha256_file(lcd)
    (sealed / "manifest.json").write_text(json.dumps(doc))
    v = manifest.verify(sealed)
    assert v.changed == [] and not v.ok
    assert any("evidence digest" in p for p in v.problems)


def test_a_missing_manifest_is_a_problem(tmp_path):
    v = manifest.verify(tmp_path)
    assert not v.ok and "missing" in v.problems[0]


def test_the_command_exits_non_zero_and_names_the_file(sealed):
    (sealed / "results.json").write_text('{"run": {}, "scenarios": [1]}')
    done = subprocess.run([sys.executable, "-m", "reports", "verify", str(sealed)], cwd=REPO,
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 1
    assert "CHANGED  results.json" in done.stdout
