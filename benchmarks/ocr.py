"""OCR benchmark of issue 3: how well and how fast the camera path reads the LCD.

    .venv/bin/python benchmarks/ocr.py [--screens 510] [--levels mild,middle,hard] [--engine tesserocr|pytesseract]

Screens are built like the reference phone's (standby, dialling, calls, menus
of the configuration schema, history, messages), half English and half Chinese,
each drawn by ``reference_impl.lcd_render`` and photographed by ``camera_view``
at each degradation level with a different seed.  For every level it reports:

* exact lines: read text == shown text after ``normalise`` (the matcher's own folding);
* digit accuracy: lines with digits whose digits were read exactly;
* wrong digits accepted: confident lines (>= min confidence) whose digits are wrong;
* time per frame: cold (a new screen, empty cache) and "scenario" (each screen seen
  5 times, as waits poll it, with one line changing: a call timer), median and p95.

Every figure is also given for the English and the Chinese screens apart, and every
misread line is put down to one cause (``cause``); ``--misses FILE`` writes them all, one a
line, for reading.

Run on one core (OMP_THREAD_LIMIT=1 is set by drivers.lcd_ocr).
"""
from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from drivers.lcd_ocr import LcdReader, PytesseractEngine, TesserocrEngine, digits_of, normalise  # noqa: E402
from reference_impl.lcd import Frame  # noqa: E402
from reference_impl.lcd_render import LEVELS, camera_view, render, visible_window  # noqa: E402
from reference_impl.schema import SCHEMA  # noqa: E402

NAMES = ["Alice", "Bob", "Carol", "Dave", "Eve", "Mallory", "Trent", "Peggy"]
NAMES_ZH = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄强"]
ZH = {"Menu": "菜单", "History": "通话记录", "Back": "返回", "Enter": "进入", "Answer": "接听", "Reject": "拒接",
      "Hang Up": "挂断", "Send": "发送", "Status": "状态", "Talking": "通话中", "Calling": "呼叫中",
      "Incoming call": "来电", "Basic Settings": "基本设置", "Account": "账号", "Language": "语言",
      "Time Format": "时间格式", "Missed": "未接来电", "Dialed": "已拨电话", "Received": "已接来电",
      "Messages": "短信", "Contacts": "联系人", "Save": "保存", "Switch": "切换", "Delete": "删除"}
ICON_SETS = [["account_registered", "wifi_connected", "battery"],
             ["account_unregistered", "lte_full", "battery"],
             ["account_registered", "missed_call", "dnd", "wifi_connected", "battery"],
             ["account_registering", "forward", "headset", "lte_no_signal", "battery"],
             ["account_registered", "auto_answer", "keypad_locked", "mute", "speaker", "battery"]]


def number(rng: random.Random) -> str:
    return rng.choice(["1001", "1002", "2003", "8005", str(rng.randint(100, 99999)),
                       f"1{rng.randint(3, 9)}{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}"])


def screens(count: int, seed: int = 7) -> list[Frame]:
    """``count`` screens like the reference phone's, alternating English and Chinese."""
    rng = random.Random(seed)
    labels = [s.label for s in SCHEMA.values() if getattr(s, "label", "")]
    out = []
    for i in range(count):
        zh = i % 2 == 1
        t = (lambda s: ZH.get(s, s)) if zh else (lambda s: s)
        name = rng.choice(NAMES_ZH if zh else NAMES)
        icons = rng.choice(ICON_SETS)
        kind = i // 2 % 8
        clock = f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}"
        if kind == 0:
            date = f"{rng.randint(2024, 2027)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            f = Frame("standby", clock, [date, f"{name} {number(rng)}"], (t("History"), t("Menu")), icons)
        elif kind == 1:
            f = Frame("dialing", f"Dial ({rng.choice(['1001', '1002'])})", [number(rng)], (t("Send"), t("Back")), icons)
        elif kind == 2:
            secs = rng.randint(0, 3599)
            f = Frame("talking", t("Talking"), [name, number(rng), f"{secs // 60:02d}:{secs % 60:02d}"],
                      ("", t("Hang Up")), icons)
        elif kind == 3:
            f = Frame("ringing", t("Incoming call"), [name, number(rng)], (t("Answer"), t("Reject")), icons)
        elif kind == 4:
            items = [t(x) for x in ["Status", "History", "Basic Settings", "Account", "Contacts", "Messages"]]
            f = Frame("menu", t("Menu"), items, (t("Enter"), t("Back")), icons, rng.randrange(len(items)))
        elif kind == 5:
            picked = rng.sample(labels, 5)
            lines = [f"{t(lb)}: {rng.choice(['1', '0', 'UDP', 'TCP', str(rng.randint(1, 65535)), 'English'])}"
                     for lb in picked]
            f = Frame("form", t(rng.choice(["Account", "Basic Settings"])), lines, (t("Save"), t("Back")), icons,
                      rng.randrange(5))
        elif kind == 6:
            lines = [f"{rng.choice(NAMES_ZH if zh else NAMES)} {number(rng)}" for _ in range(5)]
            f = Frame("history", t(rng.choice(["Missed", "Dialed", "Received"])), lines, (t("Delete"), t("Back")),
                      icons, rng.randrange(5))
        else:
            ip = f"192.168.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
            f = Frame("status", t("Status"), [f"IP: {ip}", f"MAC: 00:15:65:{rng.randint(10, 99)}:{rng.randint(10, 99)}:"
                      f"{rng.randint(10, 99)}", f"{t('Account')} 1: {number(rng)}", "Firmware: 2.0.4.3"],
                      ("", t("Back")), icons)
        out.append(f)
    return out


def truth_lines(frame: Frame) -> list[tuple[str, str]]:
    _, shown = visible_window(frame)
    rows = [("title", frame.title)] + [(f"line{i}", s) for i, s in enumerate(shown)]
    return rows + [("softkey_left", frame.softkeys[0]), ("softkey_right", frame.softkeys[1])]


def cause(truth: str, seen: str) -> str:
    """Why a line was misread, the first that applies: nothing read, ink read where there was none,
    digits, Chinese characters, Latin letters, or only punctuation and spacing."""
    if not seen.strip():
        return "read nothing"
    if not truth.strip():
        return "ink where none"
    if digits_of(truth) != digits_of(seen):
        return "digits"
    cjk = lambda s: re.findall(r"[\u2e80-\u9fff]", s)     # noqa: E731
    if cjk(normalise(truth)) != cjk(normalise(seen)):
        return "Chinese characters"
    letters = lambda s: re.sub(r"[^a-z]", "", normalise(s))     # noqa: E731
    if letters(truth) != letters(seen):
        return "Latin letters"
    return "punctuation / spacing"


def _tally() -> dict:
    return {"screens": 0, "lines": 0, "exact": 0, "digit_lines": 0, "digit_ok": 0, "wrong_accepted": 0,
            "unsure": 0, "causes": {}}


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def run_level(level: str, frames: list[Frame], engine_name: str) -> dict:
    engine = TesserocrEngine() if engine_name == "tesserocr" else PytesseractEngine()
    split = {"en": _tally(), "zh": _tally()}
    cold, warm, misses = [], [], []
    for n, frame in enumerate(frames):
        zh = any(ord(c) > 0x2e80 for c in frame.text())
        t = split["zh" if zh else "en"]
        t["screens"] += 1
        shot, corners = camera_view(render(frame), LEVELS[level], seed=1000 + n)
        reader = LcdReader(corners, lang="chi_sim+eng" if zh else "eng", engine=engine)
        reading = reader.read(shot)          # cold: every line is new
        cold.append(reading.elapsed_ms)
        got = {ln.region: ln for ln in reading.all_lines()}
        for region, text in truth_lines(frame):
            seen = got[region]
            t["lines"] += 1
            ok = normalise(seen.text) == normalise(text)
            t["exact"] += ok
            confident = seen.confidence >= reader.min_confidence
            wrong_digits = False
            if digits_of(text):
                t["digit_lines"] += 1
                right = digits_of(seen.text) == digits_of(text)
                t["digit_ok"] += right
                wrong_digits = confident and not right and digits_of(seen.text) != []
                t["wrong_accepted"] += wrong_digits
                t["unsure"] += not confident
            if not ok:
                why = cause(text, seen.text)
                t["causes"][why] = t["causes"].get(why, 0) + 1
                misses.append({"level": level, "screen": n, "lang": "zh" if zh else "en", "region": region,
                               "truth": text, "seen": seen.text, "conf": round(seen.confidence, 1),
                               "cause": why, "wrong_digit_accepted": wrong_digits})
        # A scenario's view: the same screen polled 4 more times, one of them with a line changed.
        for k in range(4):
            if k == 2 and frame.lines:
                changed = Frame(frame.screen, frame.title, [*frame.lines[:-1], frame.lines[-1] + "1"],
                                frame.softkeys, frame.icons, frame.selected)
                shot, _ = camera_view(render(changed), LEVELS[level], seed=1000 + n)
            warm.append(reader.read(shot).elapsed_ms)
    total = _tally()
    for t in split.values():
        for k, v in t.items():
            if k == "causes":
                for why, c in v.items():
                    total["causes"][why] = total["causes"].get(why, 0) + c
            else:
                total[k] += v
    return {"level": level, "all": total, **split,
            "cold_median": statistics.median(cold), "cold_p95": pct(cold, 0.95),
            "scenario_median": statistics.median(cold + warm), "scenario_p95": pct(cold + warm, 0.95),
            "misses": misses}


def row(level: str, part: str, t: dict, r: dict) -> str:
    timing = (f"{r['cold_median']:.0f} / {r['cold_p95']:.0f} | {r['scenario_median']:.0f} / {r['scenario_p95']:.0f}"
              if part == "all" else "| ")
    return (f"| {level} | {part} | {t['lines']} | {100 * t['exact'] / max(1, t['lines']):.2f} % | {t['digit_lines']} | "
            f"{100 * t['digit_ok'] / max(1, t['digit_lines']):.2f} % | {t['wrong_accepted']} | {t['unsure']} | "
            f"{timing} |")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--screens", type=int, default=510)
    ap.add_argument("--levels", default="mild,middle,hard")
    ap.add_argument("--engine", default="tesserocr", choices=["tesserocr", "pytesseract"])
    ap.add_argument("--misses", help="write every misread line to this file (JSON lines)")
    args = ap.parse_args(argv)
    frames = screens(args.screens)
    print(f"{len(frames)} screens, engine {args.engine}")
    print("| level | screens | lines | exact lines | digit lines | digits exact | wrong digits accepted | "
          "unsure digit lines | cold median / p95 ms | scenario median / p95 ms |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    results = []
    for level in args.levels.split(","):
        started = time.time()
        r = run_level(level, frames, args.engine)
        results.append(r)
        for part in ("all", "en", "zh"):
            print(row(level, part, r[part], r), flush=True)
        print(f"<!-- {level}: {time.time() - started:.0f} s wall -->", file=sys.stderr)
    for r in results:
        for part in ("en", "zh"):
            causes = sorted(r[part]["causes"].items(), key=lambda kv: -kv[1])
            print(f"  {r['level']} {part} misses by cause: " + (", ".join(f"{k} {v}" for k, v in causes) or "none"))
        for m in [m for m in r["misses"] if m["wrong_digit_accepted"]]:
            print(f"  wrong digit accepted: {m['level']} #{m['screen']} {m['region']}: {m['truth']!r} read "
                  f"{m['seen']!r} ({m['conf']:.0f})")
        for m in r["misses"][:12]:
            print(f"  miss: {m['level']} #{m['screen']} {m['region']} [{m['cause']}]: {m['truth']!r} read "
                  f"{m['seen']!r} ({m['conf']:.0f})")
    if args.misses:
        with open(args.misses, "w", encoding="utf-8") as out:
            for r in results:
                for m in r["misses"]:
                    out.write(json.dumps(m, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
