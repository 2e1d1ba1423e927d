"""Finding the LCD in a camera picture, and writing its corners to the bench YAML.

    python -m drivers.calibrate --camera SOURCE --lab BENCH.yaml --section phones.A.camera [--preview out.png]

The LCD is the largest bright four-sided shape in the picture: Otsu threshold,
a morphological close to join the text holes, the largest contour,
``approxPolyDP`` down to four points.  The corners are written as
``lcd_corners: [[x, y], ...]`` (top-left, top-right, bottom-right, bottom-left)
into the named YAML section, editing only that line so the file's comments
stay; ``--corners`` sets them by hand when the picture defeats the finder, and
``--preview`` saves the picture with the corners drawn, for a person to check.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

import cv2
import numpy as np
import yaml

from .errors import LabError
from .lcd_ocr import order_corners


def find_lcd_corners(picture: np.ndarray, min_area: float = 0.05) -> np.ndarray:
    """The LCD's corners (TL, TR, BR, BL) in ``picture``; LabError if nothing LCD-like is there."""
    grey = picture if picture.ndim == 2 else cv2.cvtColor(picture, cv2.COLOR_BGR2GRAY)
    grey = cv2.GaussianBlur(grey, (5, 5), 0)
    if float(np.percentile(grey, 99) - np.percentile(grey, 1)) < 40:
        raise LabError("camera calibration", "the picture has no contrast (camera dark or covered?)")
    _, mask = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (25, 25)))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if contours:
        biggest = max(contours, key=cv2.contourArea)
        if min_area * grey.size <= cv2.contourArea(biggest) <= 0.95 * grey.size:
            hull = cv2.convexHull(biggest)
            perimeter = cv2.arcLength(hull, True)
            for eps in (0.01, 0.02, 0.03, 0.05):
                quad = cv2.approxPolyDP(hull, eps * perimeter, True)
                if len(quad) == 4:
                    return order_corners(quad.reshape(4, 2))
    raise LabError("camera calibration", "no bright four-sided LCD found in the picture; "
                   "set the corners by hand (--corners) or light the LCD")


def _format(corners: Sequence[Sequence[float]]) -> str:
    return "[" + ", ".join(f"[{round(float(x))}, {round(float(y))}]" for x, y in corners) + "]"


def write_corners(path: Path | str, section: str, corners: Sequence[Sequence[float]], key: str = "lcd_corners") -> None:
    """Set ``<section>.<key>`` in a YAML file to the corners, keeping every other line as it was.

    ``section`` is a dotted path of mapping keys (``phones.A.camera``); missing
    levels are added at the end of their parent.
    """
    path = Path(path)
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    parts = section.split(".") + [key]
    start, indent, end = 0, -1, len(lines)        # the block we search in: lines[start:end]
    for depth, part in enumerate(parts):
        found = None
        child_indent = None
        for i in range(start, end):
            stripped = lines[i].lstrip()
            if not stripped or stripped.startswith("#"):
                continue
            ind = len(lines[i]) - len(stripped)
            if ind <= indent:
                end = i
                break
            child_indent = ind if child_indent is None else child_indent
            if ind == child_indent and stripped.split(":", 1)[0].strip().strip("'\"") == part:
                found = i
                break
        here = " " * (indent + 2 if indent >= 0 else 0) if child_indent is None else " " * child_indent
        last = depth == len(parts) - 1
        if found is None:
            insert_at = end
            while insert_at > start and not lines[insert_at - 1].strip():
                insert_at -= 1
            if last:
                lines.insert(insert_at, f"{here}{part}: {_format(corners)}")
                break
            lines.insert(insert_at, f"{here}{part}:")
            found, end = insert_at, insert_at + 1
        elif last:
            lines[found] = f"{here}{part}: {_format(corners)}"
            break
        else:
            nxt = found + 1
            while nxt < len(lines) and (not lines[nxt].strip() or
                                        len(lines[nxt]) - len(lines[nxt].lstrip()) > len(here)
                                        or lines[nxt].lstrip().startswith("#")):
                nxt += 1
            end = nxt
        start, indent = found + 1, len(here)
    text = "\n".join(lines) + "\n"
    node = yaml.safe_load(text)
    for part in parts:
        node = node[part]
    if [list(map(float, c)) for c in node] != [[float(round(float(x))), float(round(float(y)))] for x, y in corners]:
        raise LabError("camera calibration", f"could not write {section}.{key} into {path}")
    path.write_text(text, encoding="utf-8")


def preview(picture: np.ndarray, corners: Sequence[Sequence[float]]) -> np.ndarray:
    shown = picture.copy() if picture.ndim == 3 else cv2.cvtColor(picture, cv2.COLOR_GRAY2BGR)
    pts = np.int32(np.round(np.asarray(corners)))
    cv2.polylines(shown, [pts], True, (0, 0, 255), 2)
    for (x, y), name in zip(pts, ("TL", "TR", "BR", "BL")):
        cv2.putText(shown, name, (int(x) + 4, int(y) - 4), cv2.FONT_HERSHEY_SIMPLEX, 0.6, (0, 0, 255), 2)
    return shown


def main(argv=None) -> int:
    from .camera import open_camera

    ap = argparse.ArgumentParser(prog="python -m drivers.calibrate", description=__doc__.splitlines()[0])
    ap.add_argument("--camera", required=True, help="device index, http(s) URL or picture file")
    ap.add_argument("--lab", required=True, type=Path, help="the bench YAML to write")
    ap.add_argument("--section", required=True, help="dotted path of the camera section, e.g. phones.A.camera")
    ap.add_argument("--corners", type=float, nargs=8, metavar="XY", help="set by hand: x1 y1 ... x4 y4")
    ap.add_argument("--preview", type=Path, help="save the picture with the corners drawn")
    args = ap.parse_args(argv)
    camera = open_camera(args.camera, bench=str(args.lab))
    try:
        picture = camera.grab()
    finally:
        camera.close()
    corners = order_corners(np.reshape(args.corners, (4, 2))) if args.corners else find_lcd_corners(picture)
    write_corners(args.lab, args.section, corners)
    if args.preview:
        cv2.imwrite(str(args.preview), preview(picture, corners))
    print(f"{args.section}.lcd_corners: {_format(corners)} written to {args.lab}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
