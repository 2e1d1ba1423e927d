"""What the phone plays (manual §4.2): ringtone, key tones, signal tones.

On the reference target the phone reports it through ``GET /control/sounds`` (the bench's ear; see
reference_impl/sounds.py): ``ringtone`` while a call rings, ``key_tones`` (one per key press while
key tone is on, with its time), ``signal_tones`` sounding now with their definitions.  A real bench
would put a microphone at the speaker; this class is the one place that would change.
"""
from __future__ import annotations

import requests

from .errors import LabError


class ControlApiSpeaker:
    def __init__(self, base_url: str, name: str = "phone"):
        self.base_url, self.name = base_url, name

    def sounds(self) -> dict:
        try:
            resp = requests.get(self.base_url + "/control/sounds", timeout=5)
            resp.raise_for_status()
            return resp.json()
        except (requests.RequestException, ValueError) as exc:
            raise LabError(f"speaker of {self.name}", f"cannot hear what the phone plays: {exc}") from exc

    def record(self, seconds: float = 1.0):
        """``seconds`` of what the speaker plays now: (int16 samples, sample rate)."""
        import numpy as np
        try:
            resp = requests.get(self.base_url + "/control/speaker", params={"seconds": seconds}, timeout=10)
            resp.raise_for_status()
        except requests.RequestException as exc:
            raise LabError(f"speaker of {self.name}", f"cannot record the speaker: {exc}") from exc
        return np.frombuffer(resp.content, dtype="<i2"), int(resp.headers.get("X-Sample-Rate", "8000"))
