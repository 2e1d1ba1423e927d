"""The tone detector behind "X hears Y": synthetic audio with known content."""
from __future__ import annotations

import numpy as np

from drivers.audio_analysis import describe, hears, tone_strength

RATE = 16000


def tone(hz: float, seconds: float = 1.0, amplitude: float = 8000.0) -> np.ndarray:
    t = np.arange(int(RATE * seconds)) / RATE
    return amplitude * np.sin(2 * np.pi * hz * t)


def g711_like(signal: np.ndarray) -> np.ndarray:
    """Coarse mu-law-ish quantisation plus line noise: the spurs a codec adds must not count as tones."""
    signal = signal + np.random.default_rng(7).normal(0, 30, signal.size)
    mu = 255.0
    x = np.clip(signal / 32768.0, -1, 1)
    y = np.sign(x) * np.log1p(mu * np.abs(x)) / np.log1p(mu)
    y = np.round(y * 127) / 127
    return (np.sign(y) * np.expm1(np.abs(y) * np.log1p(mu)) / mu * 32768.0).astype(np.int16)


def test_two_mixed_parties_are_both_heard_and_a_third_is_not() -> None:
    mix = g711_like(tone(700) + tone(1700))
    assert hears(mix, RATE, 700) and hears(mix, RATE, 1700)
    assert not hears(mix, RATE, 1100)


def test_silence_and_noise_hold_no_tone() -> None:
    rng = np.random.default_rng(1)
    assert not hears(np.zeros(RATE, np.int16), RATE, 700)
    assert not hears(rng.normal(0, 300, RATE).astype(np.int16), RATE, 700)


def test_too_short_audio_is_not_judged() -> None:
    assert tone_strength(tone(700, seconds=0.05).astype(np.int16), RATE, 700) == 0.0


def test_description_names_each_party() -> None:
    text = describe(tone(700).astype(np.int16), RATE, {"A": 700, "C": 1100})
    assert "A 700 Hz" in text and "C 1100 Hz" in text and "1.00 s" in text


def test_a_faint_leftover_next_to_a_loud_party_is_not_heard() -> None:
    """A muted microphone's remains or a codec spur at 1 % of the talker must not count."""
    mix = g711_like(tone(1100, amplitude=12000) + tone(700, amplitude=120))
    assert hears(mix, RATE, 1100)
    assert not hears(mix, RATE, 700)
