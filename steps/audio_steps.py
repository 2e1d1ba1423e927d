"""Who hears whom: each party "speaks" a tone of its own, and what a peer receives is analysed.

A phone speaks through the bench's speaker at its microphone (the accessories
driver), a peer through its own tone source.  "C hears A and D" is a spectrum
check of ~1 s of C's received audio (drivers.audio_analysis).
"""
from __future__ import annotations

import re

from pytest_bdd import parsers, step

from drivers.audio_analysis import describe, hears
from drivers.errors import PhoneFailure
from drivers.peer_audio import RATE

PHONE = r"(?:phone )?(?P<name>[A-B])"
PEER = r"(?P<peer>[C-D])"
PARTIES = r"(?P<parties>[A-D](?:(?:, | and )[A-D])*)"


def _voices(bench) -> dict[str, int]:
    return bench.context.setdefault("voices", {})


@step(parsers.re(rf"{PHONE} speaks with a (?P<hz>\d+) Hz tone"))
def phone_speaks(bench, name, hz):
    bench.dut(name).accessories.play_at_microphone(int(hz))
    _voices(bench)[name] = int(hz)


@step(parsers.re(rf"{PEER} speaks with a (?P<hz>\d+) Hz tone"))
def peer_speaks(bench, peer, hz):
    bench.peer(peer).play_tone(int(hz))
    _voices(bench)[peer] = int(hz)


def _parties(text: str) -> list[str]:
    return re.split(r", | and ", text)


def _listen(bench, peer: str, parties: list[str]):
    voices = _voices(bench)
    missing = [p for p in parties if p not in voices]
    if missing:
        raise ValueError(f"the scenario never gave {missing} a tone (add: '<X> speaks with a ... Hz tone')")
    samples = bench.peer(peer).hear(1.0)
    (bench.evidence_dir / f"audio-{peer}.txt").open("a").write(
        describe(samples, RATE, {p: voices[p] for p in voices}) + "\n")
    return samples, voices


@step(parsers.re(rf"{PEER} hears {PARTIES}"))
def peer_hears(bench, peer, parties):
    wanted = _parties(parties)
    samples, voices = _listen(bench, peer, wanted)
    deaf = [p for p in wanted if not hears(samples, RATE, voices[p])]
    if deaf:
        raise PhoneFailure(f"{peer} does not hear {', '.join(deaf)}: "
                           f"{describe(samples, RATE, {p: voices[p] for p in voices})}")


@step(parsers.re(rf"{PEER} does not hear {PARTIES}"))
def peer_does_not_hear(bench, peer, parties):
    unwanted = _parties(parties)
    samples, voices = _listen(bench, peer, unwanted)
    heard = [p for p in unwanted if hears(samples, RATE, voices[p])]
    if heard:
        raise PhoneFailure(f"{peer} still hears {', '.join(heard)}: "
                           f"{describe(samples, RATE, {p: voices[p] for p in voices})}")
