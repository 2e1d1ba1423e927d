"""Which tones a stretch of audio holds: the check behind "X hears Y" on a real call.

Each party of a call plays a tone of its own frequency into its microphone;
what a party receives is then analysed here.  A tone is *present* when the
spectrum around its frequency stands well above the spectrum's median -- a
ratio, so the verdict does not depend on volume settings or codec gain.
G.711 at 8 kHz carries up to ~3.4 kHz, so tones are kept between 300 and
3000 Hz and at least 200 Hz apart.
"""
from __future__ import annotations

import numpy as np

# Peak magnitude / median magnitude that counts as "heard".  Measured on the bench (G.711, 1 s):
# a party really mixed in gives x17 000 .. x210 000; codec spurs and cut-off tails stay below x500.
PRESENT_RATIO = 1000.0
BAND_HZ = 25.0         # how far from the nominal frequency a peak may sit (codec, resampling)


def tone_strength(samples: np.ndarray, rate: int, hz: float) -> float:
    """Peak magnitude near ``hz`` divided by the median magnitude of the whole spectrum."""
    if samples.size < rate // 10:
        return 0.0
    windowed = samples.astype(np.float64) * np.hanning(samples.size)
    spectrum = np.abs(np.fft.rfft(windowed))
    freqs = np.fft.rfftfreq(samples.size, 1.0 / rate)
    band = (freqs > hz - BAND_HZ) & (freqs < hz + BAND_HZ)
    floor = float(np.median(spectrum)) or 1e-9
    return float(spectrum[band].max()) / floor if band.any() else 0.0


def hears(samples: np.ndarray, rate: int, hz: float) -> bool:
    return tone_strength(samples, rate, hz) >= PRESENT_RATIO


def describe(samples: np.ndarray, rate: int, tones: dict[str, float]) -> str:
    """One line for an error message: each named tone and how strongly it is present."""
    level = float(np.sqrt(np.mean(samples.astype(np.float64) ** 2))) if samples.size else 0.0
    parts = [f"{name} {hz:.0f} Hz x{tone_strength(samples, rate, hz):.0f}" for name, hz in tones.items()]
    return f"{samples.size / rate:.2f} s of audio, RMS {level:.0f}; " + ", ".join(parts) + \
        f" (present from x{PRESENT_RATIO:.0f})"
