"""What the bench does to the handset besides pressing keys: plug the headset
(manual §4.5.1), play a tone at its microphone (the checks of who hears whom).

The reference phone takes both through its control API (``ControlApiAccessories``).
A handset on a bench (``RelayAccessories``) has its headset jack switched by one more
relay of the key board, held closed while the headset is in; the tone at its
microphone needs a small speaker the bench PC drives -- not built yet, so on a real
bench those scenarios are deselected (conftest.py) and a step that asks anyway is
told so as a lab error.
"""
from __future__ import annotations

import requests

from .errors import LabError


class ControlApiAccessories:
    def __init__(self, base_url: str, name: str = "phone"):
        self.base_url, self.name = base_url, name

    def plug_headset(self, plugged: bool = True) -> None:
        try:
            resp = requests.post(self.base_url + "/control/headset", json={"plugged": plugged}, timeout=5)
            resp.raise_for_status()
        except requests.RequestException as exc:
            raise LabError(f"headset of {self.name}", f"cannot {'plug' if plugged else 'unplug'} it: {exc}") from exc

    def play_at_microphone(self, hz: int) -> None:
        """A steady ``hz`` tone reaches the phone's microphone (0: quiet again)."""
        try:
            resp = requests.post(self.base_url + "/control/microphone", json={"tone_hz": hz}, timeout=5)
            resp.raise_for_status()
        except requests.RequestException as exc:
            raise LabError(f"microphone of {self.name}", f"cannot play {hz} Hz at it: {exc}") from exc


class RelayAccessories:
    """The accessories of a handset on a relay board: ``headset_channel`` switches the headset jack.

    ``microphone`` plays the tones at the microphone where the bench can (the reference phone's
    control API on the virtual handset); ``None`` on a real bench.
    """

    def __init__(self, board, headset_channel: int | None, name: str, bench: str,
                 microphone: ControlApiAccessories | None = None):
        self.board, self.headset_channel, self.name, self.bench = board, headset_channel, name, bench
        self.microphone = microphone

    def plug_headset(self, plugged: bool = True) -> None:
        if self.headset_channel is None:
            raise LabError(f"headset of {self.name}",
                           f"bench {self.bench} has no relay on the headset jack "
                           f"(set phones.{self.name}.keypad.headset to its relay channel)")
        self.board.set(self.headset_channel, plugged)

    def play_at_microphone(self, hz: int) -> None:
        if self.microphone is not None:
            self.microphone.play_at_microphone(hz)
        elif hz:
            raise LabError(f"microphone of {self.name}",
                           f"bench {self.bench} has no speaker at the handset's microphone (not built; "
                           f"scenarios tagged @bench_speaker run on the reference and virtual-handset targets)")
