"""Audio in and out of a pjsua2 call, for checks of who hears whom.

``ToneSource`` is a microphone that plays one steady tone; ``AudioSink``
collects what a call receives, in memory (pjsua2's AudioMediaPort), so a step
can analyse it with drivers.audio_analysis.  Both are pjsua2 objects: create,
connect and drop them on the thread that owns the endpoint.
"""
from __future__ import annotations

import threading

import numpy as np
import pjsua2 as pj

from reference_impl.tones import RATE, ToneSource  # noqa: F401  (one tone maker for phones and peers)

FRAME_USEC = 20000


class AudioSink(pj.AudioMediaPort):
    """Keeps the 16-bit PCM frames it receives (called from the audio clock thread)."""

    def __init__(self, name: str = "sink"):
        super().__init__()
        self._frames: list[bytes] = []
        self._lock = threading.Lock()
        fmt = pj.MediaFormatAudio()
        fmt.init(pj.PJMEDIA_FORMAT_PCM, RATE, 1, FRAME_USEC, 16)
        self.createPort(name, fmt)

    def onFrameReceived(self, frame):
        if frame.type == pj.PJMEDIA_FRAME_TYPE_AUDIO:
            with self._lock:
                self._frames.append(bytes(frame.buf))

    def seconds(self) -> float:
        with self._lock:
            return sum(len(f) for f in self._frames) / 2 / RATE

    def samples(self) -> np.ndarray:
        with self._lock:
            return np.frombuffer(b"".join(self._frames), dtype=np.int16)
