"""A wrong bench file stops ``pytest features/`` at once, naming the file, the field and what is allowed."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def run_features(lab: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pytest", "features/01_overview", "--lab", str(lab),
                           "-q", "-p", "no:randomly", *extra],
                          cwd=REPO, capture_output=True, text=True, timeout=120)


def test_wrong_field_value_names_file_field_and_allowed(tmp_path):
    good = (REPO / "lab_config" / "reference.yaml").read_text()
    lab = tmp_path / "bench.yaml"
    lab.write_text(good.replace("ip: 127.0.0.11", "ip: 10.1.2.3").replace("target: reference", "target: reference"))
    out = run_features(lab)
    said = out.stdout + out.stderr
    assert out.returncode == 4, said       # pytest's usage error: nothing ran
    assert "bench.yaml" in said and "phones.A.ip" in said and "127.0.0.0/8" in said
    assert "passed" not in said


def test_wrong_target_names_allowed_values(tmp_path):
    good = (REPO / "lab_config" / "reference.yaml").read_text()
    lab = tmp_path / "bench.yaml"
    lab.write_text(good.replace("target: reference", "target: robot"))
    out = run_features(lab)
    said = out.stdout + out.stderr
    assert out.returncode == 4, said
    assert "target" in said and "virtual-handset" in said and "handset" in said


def test_lab_and_target_must_agree(tmp_path):
    out = run_features(REPO / "lab_config" / "reference.yaml", "--target", "handset")
    said = out.stdout + out.stderr
    assert out.returncode == 4, said
    assert "--target" in said and "reference" in said
