"""Reading screens the way a camera bench does: which screen it is, long lists, long sentences."""
from __future__ import annotations

import numpy as np
import pytest

from drivers.handset import classify_screen
from drivers.lcd_ocr import LcdReader, LcdReading, OcrLine
from drivers.screen import ScreenState
from reference_impl.lcd import Frame
from reference_impl.lcd_render import LEVELS, camera_view, render, visible_window
from reference_impl.ui import LCD_LINE_CHARS, lcd_wrap
from steps.phone_steps import whole_list


def reading(title, lines, keys, icons=()):
    body = [OcrLine(f"line{i}", text, 95.0) for i, text in enumerate(list(lines) + [""] * (6 - len(lines)))]
    return LcdReading(OcrLine("title", title, 95.0), body,
                      (OcrLine("softkey_left", keys[0], 95.0), OcrLine("softkey_right", keys[1], 95.0)), list(icons))


@pytest.mark.parametrize("title, lines, keys, icons, screen", [
    ("Keypad Lock", ["Unlock PIN:", "_ [abc]"], ("OK", "Back"), ["keypad_locked"], "unlock"),
    ("Keypad Lock", ["Unlock PIN:", "_ [abc]"], ("OK", "Back"), [], "pin"),
    ("Emergency", ["112", "110"], ("Dial", "Back"), ["keypad_locked"], "emergency"),
    ("Company Book", ["Search: Ja _ [abc]", "Jane Doe 1002"], ("Send", "Option"), [], "ldap"),
    ("Manual time", ["Date: 2020-04-07", "Time: 10:00"], ("Save", "Back"), [], "manual_time"),
    ("手动授时", ["日期: 2020-04-07", "时间: 10:00"], ("保存", "返回"), [], "manual_time"),
    ("10:00", ["4月7日 周二", "无账号"], ("历史", "菜单"), [], "standby"),
    ("Change PIN", ["Change the factory PIN", "Unlock PIN: *****"], ("Save", "Back"), [], "change_pin"),
    ("Keypad Lock", ["Keypad Lock: Disabled", "Lock Type: All keys"], ("Switch", "Back"), [], "form"),
])
def test_a_screen_is_told_by_what_a_person_sees(title, lines, keys, icons, screen):
    assert classify_screen(reading(title, lines, keys, icons)) == screen


class ListOnAnLcd:
    """A list that wraps round, drawn through the LCD's six-line window: the camera's view of it."""

    def __init__(self, items, selected=0):
        self.items, self.index, self.name, self.presses = items, selected, "A", 0

    def press(self, *keys):
        for key in keys:
            assert key == "DOWN"
            self.presses += 1
            self.index = (self.index + 1) % len(self.items)

    @property
    def screen(self):
        return self

    def read(self):
        first, shown = visible_window(Frame("menu", "Ringtone", self.items, ("Save", "Back"), [], self.index))
        return ScreenState("menu", "Ringtone", shown, ("Save", "Back"), [], self.index - first)


@pytest.mark.parametrize("count, start", [(10, 0), (10, 7), (7, 6), (6, 2)])
def test_a_list_longer_than_the_screen_is_read_whole_by_scrolling(count, start):
    items = [f"Ring {n}" for n in range(1, count + 1)]
    lcd = ListOnAnLcd(items, start)
    assert whole_list(lcd) == items
    assert lcd.presses == count and lcd.index == start     # once round, back where it was


def test_a_short_list_is_read_as_it_is():
    lcd = ListOnAnLcd(["English", "中文"])
    assert whole_list(lcd) == ["English", "中文"] and lcd.presses == 0


def test_a_long_sentence_is_broken_at_spaces_to_fit_the_lcd():
    text = "keypad_lock.auto_lock_time: '3601' is out of range (allowed: integer 0..3600 s)"
    lines = lcd_wrap([text, "Saved"])
    assert " ".join(lines[:-1]) == text and lines[-1] == "Saved"
    assert all(len(line) <= LCD_LINE_CHARS for line in lines if " " in line)


def test_a_sentence_is_found_across_the_lines_it_was_broken_over_and_in_curly_quotes():
    state = ScreenState("message", "Carla Lopez", ["name: a contact named", "\u2018Carla Lopez\u2019 already",
                                                   "exists"], ("", ""), [])
    assert state.shows("a contact named 'Carla Lopez' already exists")
    assert not state.shows("a contact named 'Carla Lopez' was added")


def test_an_english_reader_reads_a_chinese_screen_in_chinese():
    frame = Frame("standby", "10:00", ["4月7日 周二", "无账号"], ("历史", "菜单"), ["battery"])
    picture, corners = camera_view(render(frame), LEVELS["none"], seed=1)
    picture = np.asarray(picture.convert("L")) if hasattr(picture, "convert") else picture
    seen = LcdReader(corners, lang="eng").read(picture).to_state()
    assert seen.softkeys == ("历史", "菜单")
    assert seen.lines[1] == "无账号"
