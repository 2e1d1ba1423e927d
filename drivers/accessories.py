"""What the bench does to the handset besides pressing keys: plug the headset
(manual §4.5.1), play a tone at its microphone (the checks of who hears whom).

On a real bench a relay or a technician plugs the headset and a small speaker
sits at the microphone; the reference phone takes both through its control API.
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
