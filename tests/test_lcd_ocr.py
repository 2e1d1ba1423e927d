"""The OCR path on rendered LCDs: lines, digits, icons, selection, cache, faults, evidence."""
from __future__ import annotations

import numpy as np
import pytest

from drivers.errors import LabError, PhoneFailure
from drivers.lcd_ocr import (H680_LAYOUT, CameraScreen, LcdReader, digits_match, load_templates, normalise,
                             text_matches)
from reference_impl import lcd_render
from reference_impl.lcd import ICONS, Frame
from reference_impl.lcd_render import LEVELS, camera_view, render

MENU = Frame("menu", "Basic Settings", ["Language: English", "Time Format: 24", "SIP T1: 500", "Call 1002"],
             ("Enter", "Back"), ["account_registered", "missed_call", "dnd", "forward", "headset", "battery"], 1)
CHINESE = Frame("menu", "基本设置", ["语言: 中文", "时间格式: 24"], ("进入", "返回"), ["account_registered"], 0)


def shoot(frame, level="middle", seed=3):
    return camera_view(render(frame), LEVELS[level], seed=seed)


def test_layout_agrees_with_the_renderer():
    assert H680_LAYOUT.title == lcd_render.TITLE_BOX and H680_LAYOUT.softkeys == lcd_render.SOFTKEY_BOXES
    assert list(H680_LAYOUT.lines) == [lcd_render.line_box(i) for i in range(lcd_render.VISIBLE_LINES)]
    assert list(H680_LAYOUT.icon_slots) == [lcd_render.icon_box(i) for i in range(lcd_render.ICON_SLOTS)]


def test_icon_templates_on_disk_are_the_rendered_ones():
    templates = load_templates()
    assert set(templates) == set(ICONS)
    for name in ICONS:
        assert np.array_equal(templates[name], np.asarray(lcd_render.icon_template(name))), name


@pytest.mark.parametrize("level", ["none", "middle"])
def test_english_screen_reads_exactly(level):
    picture, corners = shoot(MENU, level)
    state = LcdReader(corners).read(picture).to_state("menu")
    assert state.title == "Basic Settings"
    assert state.lines == MENU.lines
    assert state.softkeys == ("Enter", "Back")
    assert state.selected == 1
    assert state.icons == MENU.icons


@pytest.mark.parametrize("value", ["0", "10", "3"])
def test_a_lone_digit_before_the_editing_cursor_reads_as_that_digit(value):
    # Glued to the cursor, a lone 0 ("0_") was read as the letter O; the picture draws the cursor a
    # space apart, the screen's text keeps "0_".
    form = Frame("form", "Auto Redial", ["Auto Redial: Disabled", f"Redial Interval: {value}_ [123]",
                                         "Redial Times: 10"], ("Save", "Back"), [], 1)
    picture, corners = shoot(form, "middle")
    line = LcdReader(corners).read(picture).lines[1].text
    assert line.startswith(f"Redial Interval: {value} "), line     # the digits exactly, no letter O
    assert digits_match(f"Redial Interval: {value}", line.split(" _")[0].split(" [")[0]), line
    assert form.lines[1] == f"Redial Interval: {value}_ [123]"


def test_chinese_screen_reads_with_chi_sim():
    picture, corners = shoot(CHINESE, "mild")
    reading = LcdReader(corners, lang="chi_sim+eng").read(picture)
    assert [normalise(x) for x in reading.to_state().lines] == [normalise(x) for x in CHINESE.lines]
    assert normalise(reading.title.text) == normalise("基本设置")


def test_repeated_frame_is_served_from_the_cache_and_fast():
    picture, corners = shoot(MENU)
    reader = LcdReader(corners)
    first = reader.read(picture)
    calls = reader.stats["ocr_calls"]
    again = reader.read(picture)
    assert reader.stats["ocr_calls"] == calls
    assert all(line.cached for line in again.all_lines() if line.text)
    assert again.elapsed_ms < 60 and [x.text for x in again.all_lines()] == [x.text for x in first.all_lines()]


def test_numeric_region_whitelist():
    frame = Frame("dialing", "Dial (1001)", ["13812345678"], ("Send", "Back"), [])
    picture, corners = shoot(frame)
    line = LcdReader(corners, numeric_regions=["line0"]).read_number(picture, "line0")
    assert line.text == "13812345678"


def test_matching_is_loose_on_letters_and_exact_on_digits():
    assert text_matches("Call 1002", "CaII  1002")
    assert text_matches("语言: 中文", "语 言 ： 中 文")
    assert not text_matches("Call 1002", "Call 1003")
    assert not text_matches("1002", "1OO2")         # a letter never stands in for a digit
    assert digits_match("from 1002 at 12:30", "frorn 1002 at 12:30")
    assert not digits_match("1002", "10020")


def test_dark_camera_is_a_lab_error():
    picture, corners = shoot(MENU)
    with pytest.raises(LabError, match="camera of bench7.*dark or blank"):
        LcdReader(corners, bench="bench7").read((picture * 0.05).astype(np.uint8))


def test_wrong_text_is_a_phone_failure_with_evidence(tmp_path):
    picture, corners = shoot(MENU)
    screen = CameraScreen(lambda: picture, LcdReader(corners), "A", evidence_dir=tmp_path, stable_secs=0.05)
    assert screen.wait_for_text("Call 1002", timeout=1).region == "line3"
    with pytest.raises(PhoneFailure, match="never showed 'Call 1003'"):
        screen.wait_for_text("Call 1003", timeout=0.3)
    texts = sorted(tmp_path.glob("*.txt"))
    assert len(texts) == 2 and "Call 1002" in texts[-1].read_text()
    assert len(list(tmp_path.glob("*.lcd.png"))) == 2


def test_unreadable_screen_is_a_lab_error(tmp_path):
    # A camera out of focus: the text is there but cannot be read with confidence.
    import cv2
    picture, corners = shoot(MENU, "none")
    blurred = cv2.GaussianBlur(picture, (0, 0), 4.5)
    screen = CameraScreen(lambda: blurred, LcdReader(corners, bench="b1"), "A", evidence_dir=tmp_path,
                          stable_secs=0.05)
    with pytest.raises(LabError, match="camera of b1.*could not be read with confidence"):
        screen.wait_for_text("Call 1002", timeout=0.3)
