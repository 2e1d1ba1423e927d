"""Ringtone upload (REQ-RINGUP-01): a WAV file from the web UI becomes a ringtone choice.

The manual names the function but gives no format or limits; the reference
phone takes what its tone player can play without conversion: WAV, 16-bit
PCM, mono, 8 or 16 kHz, at most 30 s (about 1 MB).  Anything else is refused
with the reason and changes nothing.  The file is kept in the phone's data
directory; ``sounds.custom_ringtone`` names it and makes "Custom" choosable.
"""
from __future__ import annotations

import io
import os
import re
import wave
from pathlib import Path

MAX_SECONDS = 30
RATES = (8000, 16000)
MAX_BYTES = 2 * 1024 * 1024


class RingtoneRejected(ValueError):
    pass


def safe_name(filename: str) -> str:
    """A file name the phone can show and store: letters, digits, '-', '_', '.'; ends in .wav."""
    stem = re.sub(r"[^A-Za-z0-9_.-]", "_", Path(filename or "ringtone").stem)[:40] or "ringtone"
    return f"{stem}.wav"


def check_ringtone(data: bytes) -> float:
    """The duration in seconds of a playable ringtone; raises RingtoneRejected with the reason."""
    if len(data) > MAX_BYTES:
        raise RingtoneRejected(f"the file is {len(data)} bytes; a ringtone is at most {MAX_BYTES}")
    try:
        with wave.open(io.BytesIO(data)) as w:
            channels, width, rate, frames = w.getnchannels(), w.getsampwidth(), w.getframerate(), w.getnframes()
    except (wave.Error, EOFError):
        raise RingtoneRejected("not a WAV file (16-bit PCM, mono, 8 or 16 kHz)") from None
    if channels != 1:
        raise RingtoneRejected(f"the WAV has {channels} channels; a ringtone must be mono")
    if width != 2:
        raise RingtoneRejected(f"the WAV has {8 * width}-bit samples; a ringtone must be 16-bit PCM")
    if rate not in RATES:
        raise RingtoneRejected(f"the WAV's sample rate is {rate} Hz; allowed: 8000 or 16000 Hz")
    seconds = frames / rate
    if seconds > MAX_SECONDS:
        raise RingtoneRejected(f"the ringtone lasts {seconds:.1f} s; at most {MAX_SECONDS} s")
    if frames == 0:
        raise RingtoneRejected("the WAV holds no sound")
    return seconds


def store(data_dir: Path, name: str, data: bytes) -> Path:
    folder = Path(data_dir) / "ringtones"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return path
