"""Reading the phone's LCD from a camera picture: rectify, clean, OCR, match.

The path, region by region (stb-tester's lessons: crop, upsample, binarise,
say what characters to expect, compare numbers exactly, memoise by image):

1. ``rectify`` warps the LCD out of the camera picture from its four
   calibrated corners (``lcd_corners`` in the bench YAML) to a fixed size.
2. Each region of the layout (title, six body lines, two soft-key labels) is
   cropped, flattened against glare, inverted if it is the highlighted line
   and upsampled.  A binarised copy finds the ink (blank lines, bezel shadows,
   the tight box).  Chinese lines give tesseract the grey picture, which it
   reads far better than our binarisation; English lines the binarised one
   (``prepare_for``).
3. A region whose prepared picture was read before is not read again: the
   result is cached by the picture's hash.  Scenarios mostly see the same
   screen again and again, so most frames cost no OCR at all.
4. The rest go to tesseract (eng, or chi_sim+eng for a Chinese UI), one line
   per call (page mode 7, then 13 if 7 read nothing; Chinese in mode 13:
   ``page_modes``), digits-only where a field is numeric.  In-process through
   tesserocr when it is installed (~6 ms a line); otherwise through
   pytesseract, which starts a tesseract process per call (~100 ms).  On a
   Chinese UI, a line that chi_sim+eng read as unsure Latin letters is read
   again with chi_sim alone (``pick_chinese``).  A Chinese-UI line still unsure (< 85), or with a
   short all-capital word no UI label has ("EF" for 王芳), is read with chi_sim from three more
   pictures (binarised, wider border, 3x) and the four readings vote (``vote``); a sure line with
   no Chinese on it is read with eng too (``_ocr``).  An all-capital word read with O for D that is a
   UI word becomes that word ("ONS" -> "DNS", ``lcd_vocab.restore_capital_d``).
4b. Digit safety: a line with digits is read a second time from the other
   picture (grey or binarised); if the two disagree on the digits and a
   third reading does not confirm the first, or any digit symbol of the
   first is unsure, the line is refused (its confidence drops below the
   acceptance threshold), so a wait polls again rather than accept a wrong
   number (``check_digits``).
   An English reader reads an unsure line again in Chinese, and a whole screen again once
   one of its lines is Chinese (the phone can be switched to Chinese in the middle of a run).
5. Icons in the status bar are found by template matching.

Faults are kept apart: a dark or blank picture is the lab (``LabError``); a
screen read with confidence that says the wrong thing is the phone
(``PhoneFailure``, raised by the waits).
"""
from __future__ import annotations

import hashlib
import os
import re
import time
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Protocol, Sequence

import cv2
import numpy as np

from .errors import LabError, PhoneFailure
from .lcd_vocab import restore_capital_d, ui_words
from .screen import ScreenState

os.environ.setdefault("OMP_THREAD_LIMIT", "1")   # tesseract's threads cost more than they give here

Box = tuple[int, int, int, int]                   # left, top, right, bottom in LCD pixels
ICONS_DIR = Path(__file__).with_name("icons")
TESSDATA = "/usr/share/tesseract-ocr/5/tessdata/"
CHINESE = "chi_sim+eng"                         # what an English reader falls back to on an unsure line


@dataclass(frozen=True)
class LcdLayout:
    """Where things are on the LCD, in its own pixels.  The default is the H680's."""

    size: tuple[int, int] = (240, 320)
    status_bar: Box = (0, 0, 240, 24)
    icon_slots: tuple[Box, ...] = tuple((4 + i * 22, 3, 22 + i * 22, 21) for i in range(10))
    title: Box = (0, 26, 240, 54)
    lines: tuple[Box, ...] = tuple((0, 60 + i * 36, 240, 94 + i * 36) for i in range(6))
    softkeys: tuple[Box, Box] = ((0, 292, 120, 320), (120, 292, 240, 320))

    def regions(self) -> dict[str, Box]:
        """Every text region by name: title, line0..line5, softkey_left, softkey_right."""
        named = {"title": self.title}
        named.update({f"line{i}": box for i, box in enumerate(self.lines)})
        named["softkey_left"], named["softkey_right"] = self.softkeys
        return named


H680_LAYOUT = LcdLayout()


# --- geometry ------------------------------------------------------------------------------
def order_corners(points: Sequence[Sequence[float]]) -> np.ndarray:
    """Four points in the order top-left, top-right, bottom-right, bottom-left."""
    pts = np.asarray(points, dtype=np.float32).reshape(4, 2)
    s, d = pts.sum(axis=1), np.diff(pts, axis=1).ravel()
    return np.float32([pts[np.argmin(s)], pts[np.argmin(d)], pts[np.argmax(s)], pts[np.argmax(d)]])


def rectify(picture: np.ndarray, corners: Sequence[Sequence[float]], layout: LcdLayout = H680_LAYOUT,
            scale: int = 2) -> np.ndarray:
    """The LCD cut out of a camera picture, square-on, ``scale`` times its own size, in grey."""
    grey = picture if picture.ndim == 2 else cv2.cvtColor(picture, cv2.COLOR_BGR2GRAY)
    w, h = layout.size[0] * scale, layout.size[1] * scale
    dst = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    warp = cv2.getPerspectiveTransform(order_corners(corners), dst)
    return cv2.warpPerspective(grey, warp, (w, h), flags=cv2.INTER_LINEAR)


# --- preprocessing -------------------------------------------------------------------------
@dataclass
class Prepared:
    """A region made ready for tesseract: dark text on white, or nothing to read."""

    binary: np.ndarray | None     # what tesseract reads (grey, flattened); None: the region is blank
    inverted: bool                # the region was light-on-dark (the highlighted line)
    key: str                      # hash of ``binary``: the OCR cache key
    otsu: np.ndarray | None = None    # the same box binarised (Otsu): the digit cross-check reads it
    alt: np.ndarray | None = None     # the same box upsampled 2.5x: the tie-breaker when the two disagree
    source: np.ndarray | None = None  # the crop it was made from: an unsure Chinese line is prepared again


PAD = 8     # white border around the ink, in upsampled pixels (12 and 20 read Chinese worse in the benchmark)


def prepare_region(crop: np.ndarray, upsample: float = 2.0, denoise: float = 0.0, feed: str = "grey",
                   pad: int = PAD) -> Prepared:
    """Clean one region: flatten glare, un-invert, upsample; binarise (Otsu) to find the ink.

    A region whose contrast is too low to hold text is reported blank, so noise
    on an empty line is never fed to tesseract (it would read it as dots).
    ``feed`` says which picture tesseract reads first ("grey" or "otsu"); the
    other one is kept for the digit cross-check.  Non-local-means denoising
    (``denoise``) merged the strokes of Chinese characters and cost 1 to 3
    exact Chinese lines in 100; see ``prepare_for`` for what each language uses.
    """
    # Small windows: 4x cheaper than OpenCV's defaults and as good on an LCD's plain background.
    grey = cv2.fastNlMeansDenoising(crop, None, h=denoise, templateWindowSize=5, searchWindowSize=9) \
        if denoise > 0 else crop
    inverted = float(np.median(grey)) < 110
    if inverted:
        grey = 255 - grey
    # Divide by a local estimate of the background: a glare spot becomes flat paper again.
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (31, 31))
    background = cv2.morphologyEx(grey, cv2.MORPH_CLOSE, kernel).astype(np.float32) + 1
    flat = np.clip(grey.astype(np.float32) / background * 235, 0, 255).astype(np.uint8)
    lo, hi = np.percentile(flat, (0.2, 99.5))   # ink may be 1 % of a short line
    if hi - lo < 60:
        return Prepared(None, inverted, "blank")
    big = cv2.resize(flat, None, fx=upsample, fy=upsample, interpolation=cv2.INTER_CUBIC)
    _, binary = cv2.threshold(big, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    # Ink touching the crop's edge is a bezel shadow or a neighbour's rule, never a character.
    count, labels, stats, _ = cv2.connectedComponentsWithStats(255 - binary, connectivity=8)
    bh, bw = binary.shape
    for i in range(1, count):
        x, y, w, h = stats[i, :4]
        if x == 0 or y == 0 or x + w >= bw or y + h >= bh:
            binary[labels == i] = 255
            big[labels == i] = 255
    if np.count_nonzero(binary == 0) < 0.004 * binary.size:
        return Prepared(None, inverted, "blank")
    # Tight around the ink, then a clean border: tesseract reads a short word badly in a wide empty box.
    ys, xs = np.nonzero(binary == 0)
    box = (slice(ys.min(), ys.max() + 1), slice(xs.min(), xs.max() + 1))
    grey_text = cv2.copyMakeBorder(big[box], pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255)
    otsu = cv2.copyMakeBorder(binary[box], pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255)
    alt = cv2.resize(big[box], None, fx=1.25, fy=1.25, interpolation=cv2.INTER_CUBIC)
    alt = cv2.copyMakeBorder(alt, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255)
    first, second = (otsu, grey_text) if feed == "otsu" else (grey_text, otsu)
    return Prepared(first, inverted, hashlib.sha1(first.tobytes() + str(first.shape).encode()).hexdigest(),
                    second, alt, crop)


def prepare_for(crop: np.ndarray, lang: str) -> Prepared:
    """A region prepared the way its language reads best.

    Chinese: the grey picture, upsampled 2x, not denoised (middle level: 86 % -> 97.7 % exact lines).
    English: the binarised picture as before (denoised, 1.5x, 12 px border), which the virtual-handset features were
    proven on; the grey one read "0_" as "O_" and "[abc]" as "[abe]" on the sharp camera there.
    """
    if "chi" in lang:
        return prepare_region(crop)
    return prepare_region(crop, upsample=1.5, denoise=15.0, feed="otsu", pad=12)


# --- tesseract engines ---------------------------------------------------------------------
class OcrEngine(Protocol):
    """Reads one line of black-on-white text; returns (text, confidence 0..100)."""

    def read_line(self, binary: np.ndarray, lang: str, digits_only: bool = False) -> tuple[str, float]: ...


def page_modes(lang: str) -> tuple[int, ...]:
    """tesseract page modes to try on one line, in turn, until one reads something.

    Mode 7 (a single line) reads English best, but its layout analysis throws
    short words away (a bold "Menu" title came out empty); mode 13 (a raw line)
    then reads them.  Chinese lines go to mode 13 at once: mode 7 dropped 1 in
    20 two-character names.  (Benchmark of issue 3, middle level.)
    """
    return (13,) if "chi" in lang else (7, 13)


class TesserocrEngine:
    """tesseract in this process (tesserocr): no process start, models loaded once per language.

    ``symbols()`` gives the characters of the last line read with their own
    confidences (tesseract's ResultIterator at symbol level), for the digit check.
    """

    def __init__(self):
        import tesserocr
        self._tesserocr = tesserocr
        self._apis: dict[tuple[str, bool], object] = {}
        self._last = None

    def _api(self, lang: str, digits_only: bool, psm: int):
        key = (lang, digits_only, psm)
        if key not in self._apis:
            api = self._tesserocr.PyTessBaseAPI(path=TESSDATA, lang=lang, psm=psm)
            if digits_only:
                api.SetVariable("tessedit_char_whitelist", "0123456789")
            self._apis[key] = api
        return self._apis[key]

    def read_line(self, binary, lang, digits_only=False):
        from PIL import Image
        image = Image.fromarray(binary)
        text, confs = "", []
        for psm in page_modes(lang):
            api = self._api(lang, digits_only, psm)
            api.SetImage(image)
            text = api.GetUTF8Text().strip()
            confs = [c for c in api.AllWordConfidences() if c >= 0]
            self._last = api
            if text:
                break
        return text, float(np.mean(confs)) if confs else 0.0

    def symbols(self) -> list[tuple[str, float]]:
        """(character, confidence 0..100) of the line read last."""
        if self._last is None:
            return []
        level, out = self._tesserocr.RIL.SYMBOL, []
        iterator = self._last.GetIterator()
        if iterator is None:
            return out
        for sym in self._tesserocr.iterate_level(iterator, level):
            try:
                text = sym.GetUTF8Text(level)
            except RuntimeError:     # a symbol with no text (tesserocr raises rather than return "")
                continue
            if text:
                out.append((text, float(sym.Confidence(level))))
        return out


class PytesseractEngine:
    """tesseract as a process per call (pytesseract): always available, ~100 ms a call.

    It gives no per-symbol confidences (``symbols()`` is empty): its digit check is the cross-check alone.
    """

    def symbols(self) -> list[tuple[str, float]]:
        return []

    def read_line(self, binary, lang, digits_only=False):
        import pytesseract
        words = []
        for psm in page_modes(lang):
            config = f"--psm {psm}" + (" -c tessedit_char_whitelist=0123456789" if digits_only else "")
            data = pytesseract.image_to_data(binary, lang=lang, config=config, output_type=pytesseract.Output.DICT)
            words = [(w, float(c)) for w, c in zip(data["text"], data["conf"]) if str(w).strip() and float(c) >= 0]
            if words:
                break
        return " ".join(w for w, _ in words), float(np.mean([c for _, c in words])) if words else 0.0


def default_engine() -> OcrEngine:
    try:
        return TesserocrEngine()
    except ImportError:
        return PytesseractEngine()


# --- text comparison -----------------------------------------------------------------------
_CJK = re.compile(r"[\u3400-\u9fff]")
_CJK_GAP = re.compile(r"(?<=[\u2e80-\u9fff\uff00-\uffef])\s+(?=[\u2e80-\u9fff\uff00-\uffef])")
# Letters tesseract confuses with one another.  Digits are never mapped, and no letter becomes a
# digit: a number is compared exactly or not at all.
# tesseract sometimes puts a space before an underscore inside a word ("auto _redial.interval"); the LCD
# never shows one there (its editing cursor is drawn a space apart only where it ends a word or precedes
# more text, and the screen's own text has no space there either).
_SPACED_UNDERSCORE = re.compile(r"(?<=\w) _(?=\w)")
_LOOKALIKE = str.maketrans({"|": "l", "I": "l", "i": "l", "!": "l", "O": "o", "Q": "o", "‘": "'", "’": "'",
                            "“": '"', "”": '"', "—": "-", "–": "-"})


def normalise(text: str) -> str:
    """Fold what OCR cannot tell apart: width forms, case, look-alike letters, spacing, CJK gaps."""
    text = unicodedata.normalize("NFKC", text).translate(_LOOKALIKE).casefold()
    text = _CJK_GAP.sub("", " ".join(text.split()))
    return re.sub(r"\s*([:：,.])\s*", r"\1 ", text).strip()


def digits_of(text: str) -> list[str]:
    return re.findall(r"\d+", unicodedata.normalize("NFKC", text))


def text_matches(pattern: str, seen: str) -> bool:
    """Does ``seen`` (OCR output) show ``pattern`` (a regular expression, as the steps write it)?

    Letters are compared loosely (see ``normalise``); digits exactly, since
    neither side's digits are ever changed and no letter is turned into one.
    """
    return re.search(normalise(pattern), normalise(seen)) is not None


def digits_match(expected: str, seen: str) -> bool:
    """The numbers in ``seen`` are exactly those of ``expected``, in order."""
    return digits_of(expected) == digits_of(seen)


# --- reading more than once: Chinese lines and digit safety ----------------------------------------
_CJK_CHAR = re.compile(r"[\u2e80-\u9fff]")
DIGIT_SYMBOL_MIN = 80.0    # a digit tesseract is less sure of than this makes its line unsure


def pick_chinese(mixed: tuple[str, float], alone: tuple[str, float]) -> tuple[str, float]:
    """Of a line read with chi_sim+eng (``mixed``) and with chi_sim alone, the better reading.

    chi_sim+eng sometimes takes a blurred two-character name for Latin letters
    ("王芳" as "EF").  chi_sim alone is taken when it finds more Chinese
    characters, the mixed reading was not sure (< 85) and both agree on the
    digits; otherwise the mixed reading stands (it reads English words better).
    """
    (m_text, m_conf), (a_text, a_conf) = mixed, alone
    if len(_CJK_CHAR.findall(a_text)) > len(_CJK_CHAR.findall(m_text)) and m_conf < 85 \
            and digits_of(m_text) == digits_of(a_text):
        return a_text, a_conf
    return m_text, m_conf


CHINESE_UNSURE = 85.0    # a Chinese-UI line read with less confidence is read again (as ``pick_chinese``)
Reading = tuple[str, float, list]     # text, line confidence, [(symbol, confidence)]


def odd_capitals(text: str) -> bool:
    """A short all-capital Latin word that no UI label has, e.g. a blurred Chinese name read as "EF".

    On a Chinese screen chi_sim+eng reads some two-character names as confident capitals
    ("王芳" as "EF" at 91, "陈静" as "BRAS" at 90); the phone's own capitals (UDP, DNS, SIP...)
    are in its vocabulary.  Mixed-case words (a Latin name, an English label) are not odd.
    """
    vocabulary = ui_words()
    return any(word not in vocabulary for word in re.findall(r"(?<![A-Za-z])[A-Z]{2,4}(?![A-Za-z])", text))


def vote(readings: Sequence[Reading]) -> Reading:
    """The reading most of ``readings`` agree on (after ``normalise``); among equals, the one whose
    symbols tesseract was surest of on average (so with no agreement at all, the surest reading)."""
    count: dict[str, int] = {}
    for text, _, _ in readings:
        if text:
            count[normalise(text)] = count.get(normalise(text), 0) + 1
    if not count:
        return readings[0]
    best = max(count.values())
    mean = lambda symbols: float(np.mean([c for _, c in symbols])) if symbols else 0.0   # noqa: E731
    return max((r for r in readings if r[0] and count[normalise(r[0])] == best), key=lambda r: mean(r[2]),
               default=readings[0])


def check_digits(text: str, symbols: Sequence[tuple[str, float]], cross: str | None,
                 symbol_min: float = DIGIT_SYMBOL_MIN) -> str:
    """Why the digits of a line read as ``text`` cannot be trusted, or "" when they can.

    ``symbols`` are the reading's characters with their confidences (may be
    empty: the engine gives none); ``cross`` is a second reading of the same
    line from another picture of it (None: not read).  A line is refused when
    a digit is unsure or the two readings disagree on the digits: a wrong
    number must come out unsure, never confident.
    """
    if not digits_of(text):
        return ""
    unsure = [f"{ch}({conf:.0f})" for ch, conf in symbols if ch.isdigit() and conf < symbol_min]
    if unsure:
        return f"unsure digits {' '.join(unsure)}"
    if cross is not None and digits_of(cross) != digits_of(text):
        return f"a second reading has other digits ({cross!r})"
    return ""


# --- a reading of the whole screen -----------------------------------------------------------
@dataclass
class OcrLine:
    region: str
    text: str
    confidence: float     # 0..100; 100 for a blank region (nothing there, certainly)
    inverted: bool = False
    cached: bool = False
    refused: str = ""     # why the digits were not trusted (the confidence was dropped), "" if they were


@dataclass
class LcdReading:
    title: OcrLine
    lines: list[OcrLine]
    softkeys: tuple[OcrLine, OcrLine]
    icons: list[str]
    elapsed_ms: float = 0.0
    lcd: np.ndarray | None = field(default=None, repr=False)     # the rectified LCD that was read

    @property
    def selected(self) -> int | None:
        return next((i for i, line in enumerate(self.lines) if line.inverted), None)

    def all_lines(self) -> list[OcrLine]:
        return [self.title, *self.lines, *self.softkeys]

    def unsure(self, min_confidence: float) -> list[OcrLine]:
        return [line for line in self.all_lines() if line.confidence < min_confidence]

    def text(self) -> str:
        return "\n".join(f"{line.region:13} {line.confidence:5.1f}{' inv' if line.inverted else '    '} "
                         f"{line.text}" + (f"   [refused: {line.refused}]" if line.refused else "")
                         for line in self.all_lines()) + f"\nicons: {', '.join(self.icons)}"

    def to_state(self, screen: str = "") -> ScreenState:
        """As the target-independent ScreenState (trailing blank lines dropped, as the model has none)."""
        lines = [line.text for line in self.lines]
        while lines and not lines[-1]:
            lines.pop()
        return ScreenState(screen, self.title.text, lines, (self.softkeys[0].text, self.softkeys[1].text),
                           list(self.icons), self.selected)


def load_templates(directory: Path = ICONS_DIR) -> dict[str, np.ndarray]:
    """Icon templates: one ``<icon name>.png`` each, cropped from the phone's LCD (or rendered)."""
    templates = {p.stem: cv2.imread(str(p), cv2.IMREAD_GRAYSCALE) for p in sorted(Path(directory).glob("*.png"))}
    if not templates:
        raise LabError("icon templates", f"no <icon>.png in {directory}")
    return templates


class LcdReader:
    """Reads a camera picture of the LCD into lines with confidences, icons and the selection.

    ``numeric_regions`` names regions read with a digits-only whitelist (e.g.
    the dialled number).  ``bench`` names the bench in lab errors.
    """

    def __init__(self, corners: Sequence[Sequence[float]], layout: LcdLayout = H680_LAYOUT, lang: str = "eng",
                 engine: OcrEngine | None = None, scale: int = 2, min_confidence: float = 60.0,
                 templates: dict[str, np.ndarray] | None = None, icon_threshold: float = 0.7,
                 numeric_regions: Sequence[str] = (), cache_size: int = 2048, bench: str = "bench"):
        self.corners, self.layout, self.lang, self.scale = order_corners(corners), layout, lang, scale
        self.engine = engine or default_engine()
        self.min_confidence, self.icon_threshold = min_confidence, icon_threshold
        self.templates = templates if templates is not None else load_templates()
        self.numeric_regions, self.bench = set(numeric_regions), bench
        self._cache: OrderedDict[tuple[str, str, bool], tuple[str, float, str]] = OrderedDict()
        self._cache_size = cache_size
        self._raw: OrderedDict[str, OcrLine] = OrderedDict()    # raw crop hash -> reading: skips cleaning too
        self._scaled: dict[str, np.ndarray] = {}
        self.stats = {"ocr_calls": 0, "cache_hits": 0, "refused": 0}

    # -- pieces --
    def check_lit(self, lcd: np.ndarray) -> None:
        """A dark or featureless LCD region is the camera's fault (covered, off, pointed away)."""
        mean, spread = float(lcd.mean()), float(np.percentile(lcd, 99) - np.percentile(lcd, 1))
        if mean < 35 or spread < 25:
            raise LabError(f"camera of {self.bench}",
                           f"the LCD region is dark or blank (mean grey {mean:.0f}, contrast {spread:.0f}); "
                           "is the camera covered, unplugged from light, or pointed away from the LCD?")

    def _ocr(self, name: str, prepared: Prepared, lang: str | None = None) -> OcrLine:
        if prepared.binary is None:
            return OcrLine(name, "", 100.0, prepared.inverted)
        lang = lang or self.lang
        digits = name in self.numeric_regions
        key = (prepared.key, lang, digits)
        if key in self._cache:
            self._cache.move_to_end(key)
            self.stats["cache_hits"] += 1
            text, conf, refused = self._cache[key]
            return OcrLine(name, text, conf, prepared.inverted, cached=True, refused=refused)
        self.stats["ocr_calls"] += 1
        text, conf = self.engine.read_line(prepared.binary, lang, digits)
        if conf < self.min_confidence and lang == "eng" and not digits:
            # Unsure in English: the phone may have been switched to Chinese (or this is the
            # "中文" entry of the language list).  Keep whichever reading is surer.
            self.stats["ocr_calls"] += 1
            text, conf = max((text, conf), self.engine.read_line(prepared.binary, CHINESE, False),
                             key=lambda reading: reading[1])
        text = restore_capital_d(_SPACED_UNDERSCORE.sub("_", _CJK_GAP.sub("", text)))    # "ONS" -> "DNS"
        symbols = self._symbols()
        if "chi_sim" in lang and "+" in lang and not digits \
                and re.search(r"[A-Za-z]", text) and conf < 85:
            self.stats["ocr_calls"] += 1
            alone = self.engine.read_line(prepared.binary, "chi_sim")
            picked = pick_chinese((text, conf), (_CJK_GAP.sub("", alone[0]), alone[1]))
            if picked[0] != text:
                text, conf = picked
                symbols = self._symbols()
        voted_digits = ""
        if "chi_sim" in lang and not digits and (conf < CHINESE_UNSURE or odd_capitals(text)):
            before = text
            text, conf, symbols = self._vote_chinese(prepared, (text, conf, symbols))
            if digits_of(text) != digits_of(before):
                # chi_sim alone drops a 0 ("张伟 8005" as "张伟805") and its readings then agree with one
                # another: a vote that changed the digits is never trusted (hard level: 56 wrong digits).
                voted_digits = f"the vote changed the digits of the first reading ({before!r})"
        elif "chi_sim" in lang and not digits and text and not _CJK.search(text):
            # A sure line with no Chinese on a Chinese screen is an English label: eng reads Latin better than
            # chi_sim+eng ("Tansport", a lost colon).  Same picture; taken only with the same digits and no less sure.
            self.stats["ocr_calls"] += 1
            latin, latin_conf = self.engine.read_line(prepared.binary, "eng")
            latin = restore_capital_d(_SPACED_UNDERSCORE.sub("_", latin))
            if latin and latin_conf >= conf and digits_of(latin) == digits_of(text):
                text, conf = latin, latin_conf
                symbols = self._symbols()
        refused = ""
        if digits_of(text):
            cross = None
            if prepared.otsu is not None:
                self.stats["ocr_calls"] += 1
                cross = _CJK_GAP.sub("", self.engine.read_line(prepared.otsu, lang, digits)[0])
            refused = voted_digits or check_digits(text, symbols, cross)
            if refused.startswith("a second") and prepared.alt is not None:
                # Two readings disagree on the digits: a third, from a picture scaled otherwise, decides.
                self.stats["ocr_calls"] += 1
                third = _CJK_GAP.sub("", self.engine.read_line(prepared.alt, lang, digits)[0])
                if digits_of(third) == digits_of(text):
                    refused = check_digits(text, symbols, third)
                # else refused: the text stays the first reading's.  (Taking the other two when they agree
                # took "O_" over "0 _": two readings that lose a digit to a letter agree too easily.)
            if refused:
                self.stats["refused"] += 1
                conf = min(conf, self.min_confidence / 2)
        self._cache[key] = (text, conf, refused)
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return OcrLine(name, text, conf, prepared.inverted, refused=refused)

    def _symbols(self) -> list[tuple[str, float]]:
        """The characters of the engine's last reading with their confidences ([] if it gives none)."""
        return self.engine.symbols() if hasattr(self.engine, "symbols") else []

    def _vote_chinese(self, prepared: Prepared, first: Reading) -> Reading:
        """An unsure Chinese line read again with chi_sim alone from three other pictures of it; the vote.

        The pictures: the binarised one, the grey one with a wider (16 px) border, the grey one
        upsampled 3x.  See ``vote``.  (Benchmark of issue 3, middle level, Chinese lines: 30 misses
        -> 12; each half of the screens and the mild level alike.)
        """
        readings = [first]
        pictures = [prepared.otsu, cv2.copyMakeBorder(prepared.binary, PAD, PAD, PAD, PAD, cv2.BORDER_CONSTANT,
                                                      value=255)]
        if prepared.source is not None:
            pictures.append(prepare_region(prepared.source, upsample=3.0).binary)
        for picture in pictures:
            if picture is None:
                continue
            self.stats["ocr_calls"] += 1
            text, conf = self.engine.read_line(picture, "chi_sim")
            symbols = self._symbols()
            readings.append((restore_capital_d(_CJK_GAP.sub("", text)), conf, symbols))
        return vote(readings)

    def _in_chinese_too(self, out: dict[str, OcrLine], crops: dict[str, np.ndarray]) -> None:
        """A screen with Chinese on it is read again in Chinese, line by line, keeping the surer reading.

        An English reader reads a Chinese word as confident Latin garbage ("历史" as "AS"); once
        one line of the screen is surely Chinese, every other line may be too.
        """
        if self.lang != "eng" or not any(_CJK.search(line.text) for line in out.values()):
            return
        for name, crop in crops.items():      # the lines read afresh (the others were upgraded before)
            line = out[name]
            if line.text and not _CJK.search(line.text) and name not in self.numeric_regions:
                again = self._ocr(name, prepare_for(crop, CHINESE), CHINESE)
                if again.confidence > line.confidence:
                    out[name] = again

    def find_icons(self, lcd: np.ndarray) -> list[str]:
        """The status icons, slot by slot, left to right; stops at the first empty slot."""
        found, s = [], self.scale
        for left, top, right, bottom in self.layout.icon_slots:
            pad = 3 * s
            crop = lcd[max(0, top * s - pad):bottom * s + pad, max(0, left * s - pad):right * s + pad]
            if float(crop.std()) < 12:
                break
            best, best_score = None, self.icon_threshold
            for name, tpl in self.templates.items():
                if name not in self._scaled:
                    self._scaled[name] = cv2.resize(tpl, None, fx=s, fy=s, interpolation=cv2.INTER_LINEAR)
                t = self._scaled[name]
                if t.shape[0] > crop.shape[0] or t.shape[1] > crop.shape[1]:
                    continue
                score = float(cv2.matchTemplate(crop, t, cv2.TM_CCOEFF_NORMED).max())
                if score > best_score:
                    best, best_score = name, score
            if best is None:
                break
            found.append(best)
        return found

    # -- the whole screen --
    def read(self, picture: np.ndarray) -> LcdReading:
        started = time.perf_counter()
        lcd = rectify(picture, self.corners, self.layout, self.scale)
        self.check_lit(lcd)
        s, out, crops, fresh = self.scale, {}, {}, {}
        for name, (left, top, right, bottom) in self.layout.regions().items():
            crop = np.ascontiguousarray(lcd[top * s + 2:bottom * s - 2, left * s + 2:right * s - 2])
            raw = hashlib.sha1(crop.tobytes() + f"{name}{self.lang}".encode()).hexdigest()
            if raw in self._raw:     # the very same pixels as before: a repeated frame
                self.stats["cache_hits"] += 1
                out[name] = OcrLine(**{**self._raw[raw].__dict__, "cached": True})
                continue
            crops[name] = crop
            out[name] = self._ocr(name, prepare_for(crop, self.lang))
            fresh[name] = raw
        if crops:
            self._in_chinese_too(out, crops)
        for name, raw in fresh.items():
            self._raw[raw] = out[name]
            if len(self._raw) > self._cache_size:
                self._raw.popitem(last=False)
        lines = [out[f"line{i}"] for i in range(len(self.layout.lines))]
        reading = LcdReading(out["title"], lines, (out["softkey_left"], out["softkey_right"]),
                             self.find_icons(lcd), lcd=lcd)
        reading.elapsed_ms = (time.perf_counter() - started) * 1000
        return reading

    def read_number(self, picture: np.ndarray, region: str) -> OcrLine:
        """One region read with the digits-only whitelist, whatever the reader's default for it."""
        lcd = rectify(picture, self.corners, self.layout, self.scale)
        self.check_lit(lcd)
        left, top, right, bottom = self.layout.regions()[region]
        s = self.scale
        prepared = prepare_for(lcd[top * s + 2:bottom * s - 2, left * s + 2:right * s - 2], self.lang)
        saved, self.numeric_regions = self.numeric_regions, self.numeric_regions | {region}
        try:
            return self._ocr(region, prepared)
        finally:
            self.numeric_regions = saved


# --- waiting and evidence ------------------------------------------------------------------
def wait_stable(grab: Callable[[], np.ndarray], stable_secs: float = 0.3, timeout: float = 5.0,
                max_diff: float = 3.0, interval: float = 0.05, part: str = "camera") -> np.ndarray:
    """The newest picture once the scene has not changed for ``stable_secs``.

    Two pictures are "the same" when their mean absolute difference (on a
    quarter-size grey copy, which also averages sensor noise away) is below
    ``max_diff`` grey levels.  A screen still animating past ``timeout`` is the
    lab's problem to explain (a flickering light, a camera that auto-exposes).
    """
    deadline = time.monotonic() + timeout
    last_small, since, picture = None, None, None
    while True:
        picture = grab()
        grey = picture if picture.ndim == 2 else cv2.cvtColor(picture, cv2.COLOR_BGR2GRAY)
        small = cv2.resize(grey, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA).astype(np.int16)
        now = time.monotonic()
        if last_small is not None and small.shape == last_small.shape \
                and float(np.abs(small - last_small).mean()) < max_diff:
            since = since if since is not None else now
            if now - since >= stable_secs:
                return picture
        else:
            since = None
        last_small = small
        if now >= deadline:
            raise LabError(part, f"the picture never stayed still for {stable_secs:.1f} s within {timeout:.1f} s")
        time.sleep(interval)


def save_evidence(directory: Path | str, stem: str, picture: np.ndarray, reading: LcdReading | None = None,
                  note: str = "") -> list[Path]:
    """Keep what a verdict was based on: the camera picture, the rectified LCD, the OCR text."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / f"{stem}.png"]
    cv2.imwrite(str(paths[0]), picture)
    if reading is not None and reading.lcd is not None:
        paths.append(out / f"{stem}.lcd.png")
        cv2.imwrite(str(paths[-1]), reading.lcd)
    paths.append(out / f"{stem}.txt")
    body = (reading.text() if reading else "(no OCR)") + (f"\n{note}" if note else "")
    paths[-1].write_text(body + "\n", encoding="utf-8")
    return paths


class CameraScreen:
    """The ``Screen`` of a phone seen through a camera (drivers.screen.Screen protocol).

    ``read`` waits for a still picture and OCRs it.  ``wait_for_text`` keeps
    reading until a region shows ``pattern``; at the deadline it blames the lab
    if the last reading was not confident, and the phone otherwise, and keeps
    the last picture and its OCR text as evidence either way.
    """

    def __init__(self, grab: Callable[[], np.ndarray], reader: LcdReader, name: str = "phone",
                 evidence_dir: Path | str | None = None, stable_secs: float = 0.15,
                 classify: Callable[[LcdReading], str] | None = None):
        self.grab, self.reader, self.name = grab, reader, name
        self.evidence_dir, self.stable_secs, self.classify = evidence_dir, stable_secs, classify
        self.last: tuple[np.ndarray, LcdReading] | None = None
        self._shots = 0

    def read_lcd(self) -> LcdReading:
        picture = wait_stable(self.grab, self.stable_secs, part=f"camera of {self.reader.bench}")
        reading = self.reader.read(picture)
        self.last = (picture, reading)
        return reading

    def read(self) -> ScreenState:
        reading = self.read_lcd()
        return reading.to_state(self.classify(reading) if self.classify else "")

    def picture(self) -> np.ndarray:
        """The LCD cut out of a still camera picture, square-on, in grey."""
        still = wait_stable(self.grab, self.stable_secs, part=f"camera of {self.reader.bench}")
        return rectify(still, self.reader.corners)

    def keep_evidence(self, note: str = "") -> list[Path]:
        if self.last is None or self.evidence_dir is None:
            return []
        self._shots += 1
        return save_evidence(self.evidence_dir, f"{self.name}-lcd-{self._shots:03d}", *self.last, note=note)

    def wait_for_text(self, pattern: str, region: str | None = None, timeout: float = 5.0) -> OcrLine:
        """The line that shows ``pattern`` (any text region, or the one named), within ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            reading = self.read_lcd()
            lines = [ln for ln in reading.all_lines() if region is None or ln.region == region]
            hit = next((ln for ln in lines if ln.confidence >= self.reader.min_confidence
                        and text_matches(pattern, ln.text)), None)
            if hit is not None:
                self.keep_evidence(f"matched {pattern!r} in {hit.region}")
                return hit
            if time.monotonic() >= deadline:
                break
        where = f"region {region}" if region else "any region"
        unsure = [ln for ln in lines if ln.confidence < self.reader.min_confidence]   # ink, but no sure text
        paths = self.keep_evidence(f"never matched {pattern!r} in {where}")
        if unsure:
            raise LabError(f"camera of {self.reader.bench}",
                           f"{self.name}: the LCD could not be read with confidence "
                           f"({', '.join(f'{ln.region} {ln.confidence:.0f}' for ln in unsure)} < "
                           f"{self.reader.min_confidence:.0f}); evidence: {[str(p) for p in paths]}")
        raise PhoneFailure(f"{self.name}: the LCD never showed {pattern!r} in {where} within {timeout:.1f} s; "
                           f"it shows:\n{reading.text()}\nevidence: {[str(p) for p in paths]}")
