"""Who the phone is: model, firmware, hardware version, MAC, product ID."""
from __future__ import annotations

from dataclasses import dataclass

FIRMWARE_VERSION = "2.0.4.12-ref"
HARDWARE_VERSION = "1.0"


@dataclass(frozen=True)
class Identity:
    model: str          # "SIP-H680W" (WiFi) or "SIP-H680L" (LTE)
    mac: str            # "00:15:65:00:00:11"
    firmware: str = FIRMWARE_VERSION
    hardware: str = HARDWARE_VERSION

    @property
    def product_id(self) -> str:
        return "H680-" + self.mac.replace(":", "").upper()[-6:]

    @property
    def radio(self) -> str:
        return "LTE" if self.model.endswith("L") else "WiFi"

    def user_agent(self) -> str:
        return f"{self.model} {self.firmware} {self.mac.replace(':', '').lower()}"
