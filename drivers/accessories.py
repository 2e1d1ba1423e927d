"""Things a person plugs into the handset (manual §4.5.1: the headset).

On a real bench a relay or a technician plugs the headset; the reference phone
takes it through its control API.
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
