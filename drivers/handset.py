"""A handset reached the way a real one is: keys through a relay board, the LCD through a camera.

Used by the ``virtual-handset`` target (the reference phone's relay emulator and
MJPEG stream) and the ``handset`` target (a real board and camera).  The lab
YAML's ``keypad`` and ``camera`` sections say what is wired where.
"""
from __future__ import annotations

import re
from pathlib import Path

from .camera import open_camera
from .calibrate import find_lcd_corners
from .errors import LabError
from .lcd_ocr import CameraScreen, LcdReader
from .relay import RelayKeypad, open_relay_board
from .wait import WaitTimeout, wait_until

RECONNECT_S = 10.0   # how long a broken camera stream may take to come back
_CLOCK = re.compile(r"\d{1,2}:\d{2}(?: ?[AP]M)?")


# The labels the classifier goes by, as the phone's Chinese UI draws them.
CHINESE_LABELS = {"菜单": "Menu", "历史": "History", "返回": "Back", "保存": "Save", "切换": "Switch",
                  "进入": "Enter", "确定": "OK", "状态": "Status", "日期": "Date", "时间": "Time"}


def _in_english(text: str) -> str:
    """A label of the Chinese UI as the English one ("日期: 2020-04-07" -> "Date: 2020-04-07")."""
    head, sep, rest = text.partition(":")
    return CHINESE_LABELS.get(head, head) + sep + rest if sep else CHINESE_LABELS.get(text, text)


def classify_screen(reading) -> str:
    """Which screen of the phone's UI a camera reading shows, from its title and soft keys.

    The model's screen names (standby, ringing …) are not on the LCD; a person
    tells them apart by the soft keys and the title, and so does this.
    """
    title = _in_english(reading.title.text.strip())
    keys = (_in_english(reading.softkeys[0].text.strip()), _in_english(reading.softkeys[1].text.strip()))
    lines = [_in_english(line.text.strip()) for line in reading.lines] + ["", ""]
    if lines[:2] == ["Welcome", "Starting..."]:
        return "boot"
    if title == "Keypad Lock" and lines[0].startswith("Unlock PIN"):
        # The same prompt unlocks a locked keypad (lock icon shown) or opens the lock's settings.
        return "unlock" if "keypad_locked" in reading.icons else "pin"
    if title == "Paging" and keys[1] in ("End", "Back"):
        # Sending (Hold / Resume, End; "Paging ended" with Back) or receiving a page (End alone).
        return "paging_out" if keys[0] in ("Hold", "Resume") or keys[1] == "Back" else "paging_in"
    if title == "Paging" and keys == ("", "") and lines[0] == "Page ended":
        return "paging_in"
    if title == "Emergency" and keys == ("Dial", "Back"):
        return "emergency"
    if lines[0].startswith("Search:"):
        return "ldap"          # its title is the directory's name, set by the user (ldap.label)
    if [line.split(":")[0] for line in lines[:2]] == ["Date", "Time"] and keys == ("Save", "Back"):
        return "manual_time"
    by_keys = {("History", "Menu"): "standby", ("Answer", "Reject"): "ringing"}
    if keys in by_keys:
        return by_keys[keys]
    if _CLOCK.fullmatch(title):   # the idle screen's clock: its soft keys may be programmed
        return "standby"
    by_title = {"Talking": "talking", "Calling...": "calling", "Ringing...": "calling", "Status": "status",
                "More": "status_more", "Menu": "menu", "Advanced": "password", "History": "history",
                "Account": "accounts", "Auto Redial": "auto_redial",
                "QR Code": "qr", "Upgrading": "upgrading", "Change PIN": "change_pin"}
    if title in by_title:
        return by_title[title]
    if title.startswith("Dial"):
        return "dialing"
    if title.startswith("Conference"):
        return "conference_dial" if keys[0] == "Send" else "conference"
    if keys[1] == "Back" and keys[0] in ("Save", "Switch"):
        return "form"
    if keys == ("", ""):
        return "message"
    return "menu" if keys == ("Enter", "Back") else ""


class CameraSource:
    """Where a phone's camera looks; ``auto`` follows a virtual handset's MJPEG stream."""

    def __init__(self, camera_cfg, ip: str, web_port: int, bench: str):
        self.cfg, self.web_port, self.bench = camera_cfg, web_port, bench
        self.camera = None
        self.ip = ip
        self.open(ip)

    def follow(self, ip: str) -> None:
        """The virtual handset moved: the next grab opens the stream at the new address."""
        self.ip = ip
        if self.camera is not None and hasattr(self.camera, "close"):
            self.camera.close()
        self.camera = _Closed(ip)

    def open(self, ip: str) -> None:
        self.ip = ip
        if self.camera is not None and hasattr(self.camera, "close"):
            self.camera.close()
        source = self.cfg.source
        if source == "auto":
            source = f"http://{ip}:{self.web_port}/camera/mjpeg"
        self.camera = open_camera(source, self.bench)

    @property
    def is_stream(self) -> bool:
        return self.cfg.source == "auto" or self.cfg.source.startswith(("http://", "https://"))

    def grab(self):
        """A picture.  A network stream that broke (an IP camera's Wi-Fi, a virtual handset
        rebooting) is connected again for up to ``RECONNECT_S`` before that is a lab error."""
        try:
            return self.camera.grab()
        except LabError as first:
            if not self.is_stream:
                raise
            last = [first]

            def reconnected():
                try:
                    self.open(self.ip)
                    return (self.camera.grab(),)      # a tuple: a picture has no truth value
                except LabError as exc:
                    last[0] = exc
                    return None
            try:
                return wait_until(reconnected, RECONNECT_S, 0.2, what="the camera stream again")[0]
            except WaitTimeout:
                raise LabError(last[0].part, f"{last[0].message} (and no picture after reconnecting "
                                             f"for {RECONNECT_S:.0f} s)") from None

    def close(self) -> None:
        if hasattr(self.camera, "close"):
            self.camera.close()


class _Closed:
    def __init__(self, ip):
        self.ip = ip

    def grab(self):
        raise LabError("camera", f"reconnecting to {self.ip}")


def relay_port(phone_cfg, data_dir: Path | None, bench: str) -> str:
    port = phone_cfg.keypad.port
    if port != "auto":
        return port
    if data_dir is None:
        raise LabError(f"relay board of {bench}", "port 'auto' only works on the virtual-handset target")
    path = Path(data_dir) / "relay.port"
    try:
        wait_until(path.exists, 5, 0.05, what=f"{path}")
    except WaitTimeout:
        raise LabError(f"relay board of {bench}", f"the phone's relay emulator wrote no {path}") from None
    return path.read_text().strip()


def build_handset_drivers(role: str, phone_cfg, bench: str, data_dir: Path | None):
    """(keypad, camera source, camera screen) for one phone of the bench."""
    board = open_relay_board(phone_cfg.keypad.protocol, relay_port(phone_cfg, data_dir, bench), bench)
    keypad = RelayKeypad(board, phone_cfg.keypad.map, phone_cfg.keypad.gap_ms, bench=bench, name=role)
    camera = CameraSource(phone_cfg.camera, str(phone_cfg.ip), phone_cfg.web_port, bench)
    corners = phone_cfg.camera.lcd_corners or find_lcd_corners(camera.grab())
    reader = LcdReader(corners, lang=phone_cfg.camera.lang, bench=bench)
    screen = CameraScreen(camera.grab, reader, role, classify=classify_screen)
    return keypad, camera, screen
