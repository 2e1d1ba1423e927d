"""Firmware images and the upgrade (manual §5.15, REQ-UPG-*).

The reference phone's image format stands in for the vendor's: a magic line,
one JSON header line, then the payload::

    H680FW1
    {"models": ["SIP-H680W", "SIP-H680L"], "version": "2.0.5.1", "size": 1234, "sha256": "..."}
    <size bytes of payload>

An image is checked completely before anything is written: wrong magic, an
unreadable header, another model, a short file or a bad checksum are each
refused with the reason, and the phone keeps running its current version.  An
accepted image is "installed" by recording its version in the data directory;
the phone then restarts (a new process) and reports the new version in its
status, its SIP User-Agent and on the LCD.  A factory reset keeps the
installed firmware, as on a real phone.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .identity import FIRMWARE_VERSION

MAGIC = b"H680FW1\n"
MAX_IMAGE_BYTES = 64 * 1024 * 1024
VERSION_FILE = "firmware.version"
_VERSION = re.compile(r"^\d+(\.\d+){1,3}(-[A-Za-z0-9]+)?$")


class FirmwareRejected(ValueError):
    """The image cannot be installed; the message says why, for the web page."""


@dataclass(frozen=True)
class FirmwareImage:
    version: str
    models: tuple[str, ...]
    size: int


def build_image(version: str, payload: bytes, models: tuple[str, ...] = ("SIP-H680W", "SIP-H680L")) -> bytes:
    """An image as the vendor ships it (the harness builds its test images with this)."""
    header = {"models": list(models), "version": version, "size": len(payload),
              "sha256": hashlib.sha256(payload).hexdigest()}
    return MAGIC + json.dumps(header).encode() + b"\n" + payload


def check_image(data: bytes, model: str) -> FirmwareImage:
    """Everything about the image is checked here; raises FirmwareRejected with the reason."""
    if len(data) > MAX_IMAGE_BYTES:
        raise FirmwareRejected(f"the file is {len(data)} bytes; an image is at most {MAX_IMAGE_BYTES}")
    if not data.startswith(MAGIC):
        raise FirmwareRejected("not an H680 firmware image (it does not start with the image marker)")
    header_line, sep, payload = data[len(MAGIC):].partition(b"\n")
    try:
        header = json.loads(header_line) if sep else None
        version, models = str(header["version"]), tuple(header["models"])
        size, digest = int(header["size"]), str(header["sha256"])
    except (ValueError, TypeError, KeyError):
        raise FirmwareRejected("the image header cannot be read") from None
    if not _VERSION.match(version):
        raise FirmwareRejected(f"the image version {version!r} is not a version number")
    if model not in models:
        raise FirmwareRejected(f"the image is for {', '.join(models)}; this phone is a {model}")
    if len(payload) != size:
        raise FirmwareRejected(f"the image is incomplete: {len(payload)} of {size} bytes")
    if hashlib.sha256(payload).hexdigest() != digest:
        raise FirmwareRejected("the image is damaged: its checksum does not match")
    return FirmwareImage(version, models, size)


def installed_version(data_dir: Path) -> str:
    path = Path(data_dir) / VERSION_FILE
    try:
        version = path.read_text().strip()
    except OSError:
        return FIRMWARE_VERSION
    return version if _VERSION.match(version) else FIRMWARE_VERSION


def install(data_dir: Path, image: FirmwareImage) -> None:
    """Record the new version atomically: a power cut leaves the old or the new one, never half."""
    path = Path(data_dir) / VERSION_FILE
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w") as f:
        f.write(image.version + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
