"""Which tones a stretch of audio holds: the check behind "X hears Y" on a real call.

Each party of a call plays a tone of its own frequency into its microphone;
what a party receives is then analysed here.  A tone is *present* when the
spectrum around its frequency stands well above the spectrum's median AND
within 26 dB (5 %) of the strongest peak -- ratios, so the verdict depends
neither on volume settings nor on codec gain.  Measured on the bench (G.711,
1 s): parties really mixed in are within a factor 2 of each other; codec
spurs, a muted microphone's remains and cut-off tails stay below 1 %.
G.711 at 8 kHz carries up to ~3.4 kHz, so tones are kept between 300 and
3000 Hz and at least 200 Hz apart.
"""
from __future__ import annotations

import numpy as np

PRESENT_RATIO = 1000.0     # peak / median magnitude: well out of the noise
RELATIVE_TO_LOUDEST = 0.05  # and at least 5 % of the loudest peak
BAND_HZ = 25.0         # how far from the nominal frequency a peak may sit (codec, resampling)


def _spectrum(samples: np.ndarray, rate: int) -> tuple[np.ndarray, np.ndarray, float]:
    windowed = samples.astype(np.float64) * np.hanning(samples.size)
    spectrum = np.abs(np.fft.rfft(windowed))
    return spectrum, np.fft.rfftfreq(samples.size, 1.0 / rate), float(np.median(spectrum)) or 1e-9


def tone_strength(samples: np.ndarray, rate: int, hz: float) -> float:
    """Peak magnitude near ``hz`` divided by the median magnitude of the whole spectrum."""
    if samples.size < rate // 10:
        return 0.0
    spectrum, freqs, floor = _spectrum(samples, rate)
    band = (freqs > hz - BAND_HZ) & (freqs < hz + BAND_HZ)
    return float(spectrum[band].max()) / floor if band.any() else 0.0


def loudest_strength(samples: np.ndarray, rate: int) -> float:
    if samples.size < rate // 10:
        return 0.0
    spectrum, freqs, floor = _spectrum(samples, rate)
    return float(spectrum[freqs > 100].max()) / floor


def hears(samples: np.ndarray, rate: int, hz: float) -> bool:
    strength = tone_strength(samples, rate, hz)
    return strength >= PRESENT_RATIO and strength >= RELATIVE_TO_LOUDEST * loudest_strength(samples, rate)


def describe(samples: np.ndarray, rate: int, tones: dict[str, float]) -> str:
    """One line for an error message: each named tone and how strongly it is present."""
    level = float(np.sqrt(np.mean(samples.astype(np.float64) ** 2))) if samples.size else 0.0
    parts = [f"{name} {hz:.0f} Hz x{tone_strength(samples, rate, hz):.0f}" for name, hz in tones.items()]
    loudest = loudest_strength(samples, rate)
    return f"{samples.size / rate:.2f} s of audio, RMS {level:.0f}; " + ", ".join(parts) + \
        f" (present from x{max(PRESENT_RATIO, RELATIVE_TO_LOUDEST * loudest):.0f}: x{PRESENT_RATIO:.0f} and " \
        f"5 % of the loudest peak x{loudest:.0f})"
