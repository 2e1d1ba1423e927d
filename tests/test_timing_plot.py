"""The timing plots are real PNGs and count the points outside the tolerance."""
from __future__ import annotations

from pathlib import Path

from drivers.timing_plot import plot_intervals, plot_rtp_spacing

PNG = b"\x89PNG\r\n\x1a\n"


def test_interval_plot_marks_the_point_outside_the_band(tmp_path: Path) -> None:
    path = tmp_path / "register.png"
    bad = plot_intervals(path, "REGISTER", [0.5, 1, 2, 4, 4, 4], [0.5, 1.0, 2.0, 4.0, 4.0, 4.06], 0.02)
    assert bad == 1
    assert path.read_bytes()[:8] == PNG and path.stat().st_size > 10_000


def test_rtp_spacing_plot(tmp_path: Path) -> None:
    path = tmp_path / "rtp.png"
    assert plot_rtp_spacing(path, "page", [0.020] * 99 + [0.031]) == 1
    assert path.read_bytes()[:8] == PNG
