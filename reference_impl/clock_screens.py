"""Chapter 4 phone screens: Time & Date (Auto time, Manual time), Language, Sounds; Chinese LCD text.

Menu -> Basic Settings gets (manual §4.1.1, §4.1.2, §4.2.2, §4.2.3):

* Language: UP/DOWN choose, Save applies to the LCD at once (REQ-LANG-03/04).
* Time & Date -> Auto time: shows the SNTP servers and the last one that answered; OK saves
  (Manual setting off, SNTP on).  Time & Date -> Manual time: Date (YYYY-MM-DD) and Time (HH:MM)
  typed as digits, UP/DOWN between them, Save sets the clock (Manual setting on).
* Sounds -> Ringtone: Ring 1..10 (and Custom once uploaded), UP/DOWN, Save.
  Sounds -> Key Tone: Switch toggles, Save stores.

The LCD language is the phone's own (``phone.lcd_language``): set at boot from the configuration and
by the phone's Language screen; a change from the web or a CFG file reaches the LCD at the next
restart (REQ-LANG-05).  ``localize`` turns a frame's fixed texts into Chinese.
"""
from __future__ import annotations

import re
from datetime import datetime

from .lcd import Frame
from .ui import DIGITS, Leaf, ListScreen, MessageScreen, Screen

ZH = {
    "Menu": "菜单", "History": "历史", "Status": "状态", "Basic Settings": "基本设置", "Features": "功能",
    "Messages": "信息", "Account": "账号", "Language": "语言", "Time Format": "时间格式",
    "Ring Tones": "铃声", "Time & Date": "时间和日期", "Auto time": "自动授时", "Manual time": "手动授时",
    "Sounds": "声音", "Ringtone": "铃声", "Key Tone": "按键音", "Enter": "进入", "Back": "返回",
    "Save": "保存", "Switch": "切换", "OK": "确定", "Saved": "已保存", "Enabled": "启用",
    "Disabled": "禁用", "No account": "无账号", "Date": "日期", "Time": "时间", "English": "English",
    "Chinese": "中文", "Primary": "主服务器", "Secondary": "备用服务器", "Synced": "已同步",
}
LANGUAGE_NAMES = {"English": "English", "Chinese": "中文"}


def _zh(text: str) -> str:
    if text in ZH:
        return ZH[text]
    m = re.fullmatch(r"([^:]+): (.*)", text)
    if m and m.group(1) in ZH:
        return f"{ZH[m.group(1)]}: {ZH.get(m.group(2), m.group(2))}"
    return text


def localize(phone, frame: Frame) -> Frame:
    """The frame in the LCD's language (English frames are drawn as they are)."""
    if getattr(phone, "lcd_language", "English") != "Chinese":
        return frame
    frame.title = _zh(frame.title)
    frame.lines = [_zh(line) for line in frame.lines]
    frame.softkeys = tuple(_zh(k) for k in frame.softkeys)
    return frame


class ChoiceScreen(ListScreen):
    """Pick one of a list with UP/DOWN; the Save soft key stores it."""

    name = "choice"
    softkeys = ("Save", "Back")

    def __init__(self, ui, title: str):
        super().__init__(ui)
        self.title = title
        current = self.current()
        self.index = self.choices().index(current) if current in self.choices() else 0

    def choices(self) -> list[str]:
        raise NotImplementedError

    def current(self) -> str:
        raise NotImplementedError

    def items(self):
        return self.choices()

    def key(self, key, long):
        if key in ("SOFT_LEFT", "OK"):
            self.save(self.choices()[self.index])
        elif key.isdigit():
            return   # digits do not pick here: UP/DOWN then Save (the manual's way)
        else:
            super().key(key, long)

    def save(self, choice: str) -> None:
        raise NotImplementedError

    def saved(self) -> None:
        self.ui.pop()
        self.ui.push(MessageScreen(self.ui, self.title, ["Saved"]))


class LanguageScreen(ChoiceScreen):
    name = "language"

    def choices(self):
        return list(LANGUAGE_NAMES.values())

    def current(self):
        return LANGUAGE_NAMES[self.phone.lcd_language]

    def save(self, choice):
        language = next(k for k, v in LANGUAGE_NAMES.items() if v == choice)
        self.phone.apply_config({"phone.language": language}, where="phone")
        self.phone.lcd_language = language   # the phone's own change shows at once
        self.phone.time.config_changed()
        self.saved()


class RingtoneScreen(ChoiceScreen):
    name = "ringtone"

    def choices(self):
        from .schema import RINGTONES
        return [r for r in RINGTONES if r != "Custom" or self.phone.config["sounds.custom_ringtone"]]

    def current(self):
        return self.phone.config["sounds.ringtone"]

    def save(self, choice):
        self.phone.apply_config({"sounds.ringtone": choice}, where="phone")
        self.saved()


class KeyToneScreen(Screen):
    name = "key_tone"

    def __init__(self, ui, title: str):
        super().__init__(ui)
        self.title = title
        self.on = bool(self.phone.config["sounds.key_tone"])

    def render(self):
        return Frame(self.name, self.title, [f"Key Tone: {'Enabled' if self.on else 'Disabled'}"],
                     ("Switch", "Save"), self.status_icons(), 0)

    def key(self, key, long):
        if key in ("SOFT_LEFT", "LEFT", "RIGHT"):
            self.on = not self.on
        elif key in ("SOFT_RIGHT", "OK"):
            self.phone.apply_config({"sounds.key_tone": "1" if self.on else "0"}, where="phone")
            self.ui.pop()
            self.ui.push(MessageScreen(self.ui, self.title, ["Saved"]))
        else:
            super().key(key, long)


class AutoTimeScreen(Screen):
    name = "auto_time"

    def __init__(self, ui, title: str):
        super().__init__(ui)
        self.title = title

    def render(self):
        c, sync = self.phone.config, self.phone.time.sync
        lines = [f"Primary: {c['time.sntp.primary'] or '-'}", f"Secondary: {c['time.sntp.secondary'] or '-'}",
                 f"Synced: {(sync.last_server if sync else None) or '-'}"]
        return Frame(self.name, self.title, lines, ("OK", "Back"), self.status_icons())

    def key(self, key, long):
        if key in ("SOFT_LEFT", "OK"):
            self.phone.apply_config({"time.manual": "0"}, where="phone")
            self.ui.pop()
            self.ui.push(MessageScreen(self.ui, self.title, ["Saved"]))
        elif key == "SOFT_RIGHT":
            self.ui.pop()
        else:
            super().key(key, long)


def parse_manual(date_digits: str, time_digits: str) -> datetime:
    """``20200407`` and ``1000`` -> 2020-04-07 10:00; ValueError says what is wrong."""
    if len(date_digits) != 8:
        raise ValueError("Date: type 8 digits, YYYYMMDD")
    if len(time_digits) != 4:
        raise ValueError("Time: type 4 digits, HHMM")
    year, month, day = int(date_digits[:4]), int(date_digits[4:6]), int(date_digits[6:])
    hour, minute = int(time_digits[:2]), int(time_digits[2:])
    if not 2000 <= year <= 2099:
        raise ValueError("Date: year 2000..2099")
    if not 1 <= month <= 12:
        raise ValueError("Date: month 1..12")
    try:
        datetime(year, month, day)
    except ValueError:
        raise ValueError(f"Date: day 1..{_last_day(year, month)}") from None
    if hour > 23:
        raise ValueError("Time: hour 0..23")
    if minute > 59:
        raise ValueError("Time: minute 0..59")
    return datetime(year, month, day, hour, minute)


def _last_day(year: int, month: int) -> int:
    import calendar
    return calendar.monthrange(year, month)[1]


class ManualTimeScreen(Screen):
    name = "manual_time"

    def __init__(self, ui, title: str):
        super().__init__(ui)
        self.title = title
        now = self.phone.time.clock.now()
        self.fields = {"Date": now.strftime("%Y%m%d"), "Time": now.strftime("%H%M")}
        self.typed = {"Date": False, "Time": False}
        self.index = 0
        self.error = ""

    @staticmethod
    def shown(name: str, digits: str) -> str:
        if name == "Date":
            return "-".join(x for x in (digits[:4], digits[4:6], digits[6:8]) if x)
        return ":".join(x for x in (digits[:2], digits[2:4]) if x)

    def render(self):
        lines = [f"{n}: {self.shown(n, v)}" for n, v in self.fields.items()]
        return Frame(self.name, self.title, lines + ([self.error] if self.error else []),
                     ("Save", "Back"), self.status_icons(), self.index)

    def key(self, key, long):
        name = list(self.fields)[self.index]
        if key in ("UP", "DOWN"):
            self.index = 1 - self.index
        elif key in DIGITS and key.isdigit():
            if not self.typed[name]:
                self.fields[name], self.typed[name] = "", True   # the first digit starts the field afresh
            limit = 8 if name == "Date" else 4
            if len(self.fields[name]) < limit:
                self.fields[name] += key
        elif key == "DELETE":
            self.typed[name] = True
            self.fields[name] = self.fields[name][:-1]
        elif key in ("SOFT_LEFT", "OK"):
            try:
                when = parse_manual(self.fields["Date"], self.fields["Time"])
            except ValueError as exc:
                self.error = str(exc)
                return
            self.phone.apply_config({"time.manual": "1"}, where="phone")
            self.phone.time.set_manual(when)
            self.ui.pop()
            self.ui.push(MessageScreen(self.ui, self.title, ["Saved"]))
        elif key == "SOFT_RIGHT":
            self.ui.pop()
        else:
            super().key(key, long)


def _leaf(cls):
    return Leaf(lambda ui, title: cls(ui, title))


def install_menus(menu: dict) -> None:
    """Add chapter 4's entries under Basic Settings (the Language entry becomes the Save list)."""
    basic = menu["Basic Settings"]
    basic["Language"] = _leaf(LanguageScreen)
    basic["Time & Date"] = {"Auto time": _leaf(AutoTimeScreen), "Manual time": _leaf(ManualTimeScreen)}
    basic["Sounds"] = {"Ringtone": _leaf(RingtoneScreen), "Key Tone": _leaf(KeyToneScreen)}
