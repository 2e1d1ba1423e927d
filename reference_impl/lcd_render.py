"""The LCD model drawn as a picture, and a camera's view of that picture.

The ``virtual-handset`` target must read the reference phone the way a bench
reads a real H680: through a camera.  So a :class:`~reference_impl.lcd.Frame`
is drawn here at the LCD's own resolution (240x320, like the H680's colour
LCD), with an English and a Chinese font, status icons as small distinct
glyphs and the highlighted line inverted.  :func:`camera_view` then puts that
LCD in a phone body in a larger camera picture and, optionally, spoils it the
way a real camera does (perspective skew, blur, noise, glare, brightness), so
the OCR path is exercised honestly rather than on perfect pixels.

The geometry (``LAYOUT``) is the LCD's truth.  The harness keeps its own copy
of it (``drivers.lcd_ocr.LcdLayout``), as it would for a real phone whose
layout it only knows from calibration; a test checks the two agree.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from .lcd import ICONS, Frame

WIDTH, HEIGHT = 240, 320
VISIBLE_LINES = 6

# Regions as (left, top, right, bottom) in LCD pixels.
STATUS_BAR = (0, 0, 240, 24)
ICON_SIZE = 18
ICON_PITCH = 22
ICON_SLOTS = 10
TITLE_BOX = (0, 26, 240, 54)
LINE_TOP, LINE_PITCH, LINE_HEIGHT = 60, 36, 34
SOFTKEY_BOXES = ((0, 292, 120, 320), (120, 292, 240, 320))

BACKGROUND, INK = 235, 20          # grey levels: a light LCD with dark text
BODY, TABLE = 45, 110              # the phone's bezel and the bench table around it

FONT_LATIN = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FONT_LATIN_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
FONT_CJK = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
TEXT_SIZE, MIN_TEXT_SIZE = 18, 12


def line_box(index: int) -> tuple[int, int, int, int]:
    """The region of visible body line ``index`` (0 = first visible line)."""
    top = LINE_TOP + index * LINE_PITCH
    return (0, top, WIDTH, top + LINE_HEIGHT)


def icon_box(slot: int) -> tuple[int, int, int, int]:
    left = 4 + slot * ICON_PITCH
    return (left, 3, left + ICON_SIZE, 3 + ICON_SIZE)


@lru_cache(maxsize=64)
def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size)


def _is_cjk(text: str) -> bool:
    return any(ord(ch) > 0x2e80 for ch in text)


def _fitting_font(draw: ImageDraw.ImageDraw, text: str, width: int, bold: bool = False):
    """The largest font (18 px down to 12 px) in which ``text`` fits ``width``."""
    path = FONT_CJK if _is_cjk(text) else (FONT_LATIN_BOLD if bold else FONT_LATIN)
    for size in range(TEXT_SIZE, MIN_TEXT_SIZE - 1, -1):
        font = _font(path, size)
        if draw.textlength(text, font=font) <= width:
            return font
    return font


def visible_window(frame: Frame) -> tuple[int, list[str]]:
    """Which body lines the LCD shows: a window of six that keeps the selection in view."""
    lines = frame.lines
    if len(lines) <= VISIBLE_LINES or frame.selected is None:
        return 0, lines[:VISIBLE_LINES]
    first = min(max(0, frame.selected - VISIBLE_LINES + 1), len(lines) - VISIBLE_LINES)
    return first, lines[first:first + VISIBLE_LINES]


# An input field being edited ends with its input method ("… [123]"); its cursor is "_".
_EDITING_CURSOR = re.compile(r"(?<=\S)_(?=[^_]* \[(?:123|2aB|abc|ABC)\]$)")


def _spaced_cursor(text: str) -> str:
    """The cursor drawn a space apart from the character before it.

    Glued to a lone digit ("0_") it reads as a word to OCR, which then takes the 0 for the
    letter O; apart ("0 _") every engine reads the digit.  Only the picture changes: the
    text model of the screen keeps "0_".
    """
    return _EDITING_CURSOR.sub(" _", text)


def _text(draw, box, text, align="left", inverted=False, bold=False) -> None:
    text = _spaced_cursor(text)
    left, top, right, bottom = box
    if inverted:
        draw.rectangle(box, fill=INK)
    if not text:
        return
    font = _fitting_font(draw, text, right - left - 12, bold)
    width = draw.textlength(text, font=font)
    x = {"left": left + 6, "center": left + (right - left - width) / 2, "right": right - 6 - width}[align]
    y = (top + bottom) / 2
    draw.text((x, y), text, font=font, fill=BACKGROUND if inverted else INK, anchor="lm")


# --- icons: one small glyph each, distinct enough for template matching -------------------
def _draw_icon(draw: ImageDraw.ImageDraw, name: str, x: int, y: int) -> None:
    """Draw icon ``name`` in the 18x18 square at (x, y), in primitives only."""
    s, ink = ICON_SIZE - 1, INK
    box = (x, y, x + s, y + s)
    cx, cy = x + s // 2, y + s // 2
    n = ICONS.index(name)
    if name.startswith("account_"):
        draw.ellipse((cx - 4, y, cx + 4, y + 8), outline=ink, width=2)        # a head
        draw.arc((x + 2, y + 9, x + s - 2, y + s + 8), 180, 360, fill=ink, width=2)
        if name == "account_registered":
            draw.line((x + 11, y + 14, x + 13, y + 17, x + 17, y + 10), fill=ink, width=2)
        elif name == "account_unregistered":
            draw.line((x + 11, y + 10, x + 17, y + 17), fill=ink, width=2)
            draw.line((x + 17, y + 10, x + 11, y + 17), fill=ink, width=2)
        else:
            draw.ellipse((x + 12, y + 11, x + 17, y + 16), fill=ink)
        return
    if name == "battery":
        draw.rectangle((x, y + 4, x + s - 3, y + s - 4), outline=ink, width=2)
        draw.rectangle((x + s - 2, y + 7, x + s, y + s - 7), fill=ink)
        draw.rectangle((x + 3, y + 7, x + 10, y + s - 7), fill=ink)
        return
    if name.startswith("wifi"):
        for r in (15, 10, 5):
            draw.arc((cx - r, y + s - r, cx + r, y + s + r), 225, 315, fill=ink, width=2)
        if name == "wifi_no_signal":
            draw.line((x, y, x + s, y + s), fill=ink, width=2)
        return
    if name.startswith("lte"):
        for i in range(4):
            draw.rectangle((x + 1 + i * 4, y + s - 4 - i * 4, x + 3 + i * 4, y + s), fill=ink)
        if name == "lte_no_signal":
            draw.line((x, y, x + s, y + s // 2), fill=BACKGROUND, width=3)
            draw.line((x + 10, y, x + s, y + 8), fill=ink, width=2)
            draw.line((x + s, y, x + 10, y + 8), fill=ink, width=2)
        return
    # The rest: a frame whose inner pattern depends on the icon (letters would be read as text).
    draw.rectangle(box, outline=ink, width=1)
    if name == "dnd":
        draw.ellipse((x + 2, y + 2, x + s - 2, y + s - 2), fill=ink)
        draw.rectangle((x + 5, cy - 1, x + s - 5, cy + 1), fill=BACKGROUND)
    elif name == "keypad_locked":
        draw.arc((cx - 5, y + 1, cx + 5, y + 11), 180, 360, fill=ink, width=2)
        draw.rectangle((x + 3, y + 8, x + s - 3, y + s - 2), fill=ink)
    elif name == "forward":
        draw.line((x + 2, cy, x + s - 3, cy), fill=ink, width=2)
        draw.polygon([(x + s - 2, cy), (x + s - 8, cy - 6), (x + s - 8, cy + 6)], fill=ink)
    elif name == "missed_call":
        draw.line((x + 2, y + 4, cx, y + 12, x + s - 2, y + 4), fill=ink, width=2)
        draw.polygon([(x + s - 2, y + 2), (x + s - 2, y + 8), (x + s - 8, y + 2)], fill=ink)
    elif name == "auto_answer":
        draw.rectangle((x + 3, y + 3, cx, y + s - 3), fill=ink)
        draw.polygon([(cx + 2, y + 3), (x + s - 2, cy), (cx + 2, y + s - 3)], fill=ink)
    elif name == "mute":
        draw.polygon([(x + 2, cy - 3), (x + 6, cy - 3), (x + 11, y + 2), (x + 11, y + s - 2),
                      (x + 6, cy + 3), (x + 2, cy + 3)], fill=ink)
        draw.line((x + 12, y + 5, x + s - 1, y + s - 5), fill=ink, width=2)
    elif name == "speaker":
        draw.polygon([(x + 2, cy - 3), (x + 6, cy - 3), (x + 11, y + 2), (x + 11, y + s - 2),
                      (x + 6, cy + 3), (x + 2, cy + 3)], fill=ink)
        draw.arc((x + 8, y + 4, x + s - 1, y + s - 4), 300, 60, fill=ink, width=2)
    elif name == "handset":
        draw.arc((x + 2, y + 2, x + s + 8, y + s + 8), 180, 270, fill=ink, width=4)
        draw.rectangle((x + 2, y + 10, x + 6, y + 15), fill=ink)
    elif name == "headset":
        draw.arc((x + 3, y + 2, x + s - 3, y + s + 2), 180, 360, fill=ink, width=2)
        draw.rectangle((x + 2, cy, x + 5, y + s - 2), fill=ink)
        draw.rectangle((x + s - 5, cy, x + s - 2, y + s - 2), fill=ink)
    elif name == "voicemail":
        draw.ellipse((x + 2, cy - 4, x + 8, cy + 2), outline=ink, width=2)
        draw.ellipse((x + s - 8, cy - 4, x + s - 2, cy + 2), outline=ink, width=2)
        draw.line((x + 5, cy + 2, x + s - 5, cy + 2), fill=ink, width=2)
    elif name == "text_message":
        draw.line((x + 1, y + 4, cx, cy + 2, x + s - 1, y + 4), fill=ink, width=2)
    else:  # an icon the model gained later: a distinct hatch from its index
        for i in range(0, s, 3 + n % 3):
            draw.line((x + i, y, x + i, y + s), fill=ink)


def icon_template(name: str) -> Image.Image:
    """The glyph of one icon on the LCD background, 18x18, for the harness's templates."""
    img = Image.new("L", (ICON_SIZE, ICON_SIZE), BACKGROUND)
    _draw_icon(ImageDraw.Draw(img), name, 0, 0)
    return img


def _draw_qr(img: Image.Image, text: str) -> None:
    """A QR code of ``text`` centred in the body, on a white quiet zone, as big as fits."""
    import segno  # only the QR screen needs it

    qr = segno.make(text, error="m")
    rows = [list(r) for r in qr.matrix_iter(border=4)]
    top, bottom = TITLE_BOX[3] + 6, SOFTKEY_BOXES[0][1] - 6
    module = max(1, min(WIDTH - 8, bottom - top) // len(rows))
    size = module * len(rows)
    x0, y0 = (WIDTH - size) // 2, top + (bottom - top - size) // 2
    draw = ImageDraw.Draw(img)
    draw.rectangle((x0, y0, x0 + size - 1, y0 + size - 1), fill=255)
    for r, row in enumerate(rows):
        for c, dark in enumerate(row):
            if dark:
                draw.rectangle((x0 + c * module, y0 + r * module,
                                x0 + (c + 1) * module - 1, y0 + (r + 1) * module - 1), fill=0)


def render(frame: Frame) -> Image.Image:
    """Draw ``frame`` as the LCD shows it: a greyscale 240x320 picture."""
    img = Image.new("L", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(img)
    for slot, name in enumerate([i for i in frame.icons if i in ICONS][:ICON_SLOTS]):
        x, y, _, _ = icon_box(slot)
        _draw_icon(draw, name, x, y)
    draw.line((0, STATUS_BAR[3], WIDTH, STATUS_BAR[3]), fill=INK)
    _text(draw, TITLE_BOX, frame.title, align="center", bold=True)
    draw.line((0, TITLE_BOX[3] + 2, WIDTH, TITLE_BOX[3] + 2), fill=INK)
    first, shown = visible_window(frame)
    for i, line in enumerate(shown):
        _text(draw, line_box(i), line, inverted=(frame.selected == first + i))
    if frame.qr:
        _draw_qr(img, frame.qr)
    draw.line((0, SOFTKEY_BOXES[0][1] - 2, WIDTH, SOFTKEY_BOXES[0][1] - 2), fill=INK)
    _text(draw, SOFTKEY_BOXES[0], frame.softkeys[0], align="left")
    _text(draw, SOFTKEY_BOXES[1], frame.softkeys[1], align="right")
    return img


# --- the camera's view -----------------------------------------------------------------------
@dataclass(frozen=True)
class Degradation:
    """How a camera spoils the LCD.  All zero: a perfect, square-on camera.

    ``skew`` moves each LCD corner by up to that fraction of the LCD's size;
    ``blur`` is a Gaussian sigma in camera pixels; ``noise`` a Gaussian sigma in
    grey levels; ``glare`` the peak strength (0..1) of a bright spot;
    ``brightness`` scales the whole picture (1 = unchanged).
    """

    skew: float = 0.0
    blur: float = 0.0
    noise: float = 0.0
    glare: float = 0.0
    brightness: float = 1.0
    scale: float = 2.0      # camera pixels per LCD pixel (a bench needs >= 2)
    margin: int = 60        # camera pixels of phone body and table around the LCD


LEVELS: dict[str, Degradation] = {
    "none": Degradation(),
    "mild": Degradation(skew=0.03, blur=0.7, noise=4, glare=0.10, brightness=0.95),
    "middle": Degradation(skew=0.06, blur=1.1, noise=8, glare=0.25, brightness=0.85),
    "hard": Degradation(skew=0.10, blur=1.6, noise=14, glare=0.40, brightness=0.70),
}


def camera_view(lcd: Image.Image, deg: Degradation = LEVELS["none"], seed: int = 0,
                ) -> tuple[np.ndarray, np.ndarray]:
    """Photograph ``lcd``: returns (BGR camera picture, the LCD's 4 corners TL, TR, BR, BL).

    The same ``seed`` gives the same picture, so an unchanged screen gives the
    same JPEG (a bench camera would add fresh noise; :func:`add_noise` does that).
    """
    import cv2  # imported here: the reference phone's text-only target does not need OpenCV

    rng = np.random.default_rng(seed)
    w, h = WIDTH * deg.scale, HEIGHT * deg.scale
    m = int(deg.margin + deg.skew * max(w, h))     # room for the skewed corners inside the phone body
    canvas_w, canvas_h = int(w + 2 * m), int(h + 2 * m)
    square = np.float32([[m, m], [m + w, m], [m + w, m + h], [m, m + h]])
    jitter = rng.uniform(-1, 1, (4, 2)) * deg.skew * np.float32([w, h])
    corners = np.float32(square + jitter)
    src = np.float32([[0, 0], [WIDTH, 0], [WIDTH, HEIGHT], [0, HEIGHT]])
    warp = cv2.getPerspectiveTransform(src, corners)
    lcd_px = np.asarray(lcd, dtype=np.uint8)
    shot = cv2.warpPerspective(lcd_px, warp, (canvas_w, canvas_h), flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_CONSTANT, borderValue=BODY)
    # The bezel's outer edge, then the table beyond it.
    body = np.full((canvas_h, canvas_w), TABLE, np.uint8)
    inset = m // 2
    body[inset:canvas_h - inset, inset:canvas_w - inset] = 255
    shot = np.where(body == 255, shot, TABLE).astype(np.float32)
    if deg.glare > 0:
        gx, gy = rng.uniform(0.2, 0.8) * canvas_w, rng.uniform(0.2, 0.8) * canvas_h
        yy, xx = np.mgrid[0:canvas_h, 0:canvas_w]
        spot = np.exp(-((xx - gx) ** 2 + (yy - gy) ** 2) / (2 * (0.25 * canvas_w) ** 2))
        shot = shot + deg.glare * spot * (255 - shot)
    shot *= deg.brightness
    if deg.blur > 0:
        shot = cv2.GaussianBlur(shot, (0, 0), deg.blur)
    if deg.noise > 0:
        shot = shot + rng.normal(0, deg.noise, shot.shape)
    grey = np.clip(shot, 0, 255).astype(np.uint8)
    return cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR), corners


def add_noise(picture: np.ndarray, sigma: float, rng: np.random.Generator) -> np.ndarray:
    """Fresh sensor noise for one more frame of an unchanged scene."""
    noisy = picture.astype(np.int16) + rng.normal(0, sigma, picture.shape).astype(np.int16)
    return np.clip(noisy, 0, 255).astype(np.uint8)


def frame_key(frame: Frame) -> str:
    """A stable digest of what a frame shows, to cache its picture."""
    return hashlib.sha1(json.dumps(frame.as_dict(), sort_keys=True).encode()).hexdigest()


def write_icon_templates(directory) -> list[str]:
    """Save every icon's template as ``<name>.png`` in ``directory`` (drivers/icons/)."""
    from pathlib import Path

    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    for name in ICONS:
        icon_template(name).save(out / f"{name}.png")
    return list(ICONS)
