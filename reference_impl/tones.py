"""A steady tone as a pjsua2 media port (the sound the bench plays into a microphone)."""
from __future__ import annotations

import pjsua2 as pj

RATE = 16000   # the conference bridge's clock rate (pjsua2's default)


class ToneSource:
    def __init__(self, hz: int):
        self.hz = hz
        self.media = pj.ToneGenerator()
        self.media.createToneGenerator(RATE, 1)
        tone = pj.ToneDesc()
        tone.freq1, tone.freq2, tone.on_msec, tone.off_msec, tone.volume, tone.flags = hz, 0, 1000, 0, 0, 0
        tones = pj.ToneDescVector()
        tones.append(tone)
        self.media.play(tones, True)
