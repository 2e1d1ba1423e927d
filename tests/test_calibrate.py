"""Calibration: the LCD is found in camera pictures, and its corners land in the bench YAML."""
from __future__ import annotations

import numpy as np
import pytest
import yaml

from drivers.calibrate import find_lcd_corners, main, write_corners
from drivers.errors import LabError
from reference_impl.lcd import Frame
from reference_impl.lcd_render import LEVELS, camera_view, render

FRAME = Frame("standby", "12:34", ["Mon 01 Jan 2026", "Alice 1001"], ("History", "Menu"),
              ["account_registered", "battery"])


@pytest.mark.parametrize("level", ["none", "middle", "hard"])
@pytest.mark.parametrize("seed", [1, 2])
def test_corners_found_within_a_few_pixels(level, seed):
    picture, truth = camera_view(render(FRAME), LEVELS[level], seed=seed)
    found = find_lcd_corners(picture)
    assert np.abs(found - truth).max() < 6, (found, truth)


def test_dark_picture_is_a_lab_error():
    with pytest.raises(LabError, match="camera calibration.*(no contrast|no bright)"):
        find_lcd_corners(np.full((480, 640, 3), 8, np.uint8))


def test_write_corners_keeps_comments_and_replaces_on_second_write(tmp_path):
    lab = tmp_path / "bench.yaml"
    lab.write_text("# my bench\nbench: lab1\nphones:\n  A:\n    ip: 10.0.0.5  # the desk phone\n"
                   "    camera:\n      source: 0\n  B:\n    ip: 10.0.0.6\n", encoding="utf-8")
    write_corners(lab, "phones.A.camera", [[10, 20], [300, 22], [298, 400], [12, 398]])
    write_corners(lab, "phones.A.camera", [[11, 21], [301, 23], [299, 401], [13, 399]])
    write_corners(lab, "phones.B.camera", [[1, 2], [3, 4], [5, 6], [7, 8]])
    text = lab.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert "# my bench" in text and "# the desk phone" in text
    assert data["phones"]["A"]["camera"] == {"source": 0, "lcd_corners": [[11, 21], [301, 23], [299, 401], [13, 399]]}
    assert data["phones"]["B"] == {"ip": "10.0.0.6", "camera": {"lcd_corners": [[1, 2], [3, 4], [5, 6], [7, 8]]}}
    assert text.count("lcd_corners") == 2


def test_command_line_from_a_picture_file(tmp_path):
    import cv2
    picture, truth = camera_view(render(FRAME), LEVELS["mild"], seed=5)
    shot, lab, prev = tmp_path / "shot.png", tmp_path / "bench.yaml", tmp_path / "preview.png"
    cv2.imwrite(str(shot), picture)
    lab.write_text("bench: x\n", encoding="utf-8")
    assert main(["--camera", str(shot), "--lab", str(lab), "--section", "phones.A.camera",
                 "--preview", str(prev)]) == 0
    corners = np.array(yaml.safe_load(lab.read_text())["phones"]["A"]["camera"]["lcd_corners"])
    assert np.abs(corners - truth).max() < 6 and prev.exists()
