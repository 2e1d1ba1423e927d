"""The phone's time (§4.1.2): the settings turned into a ClockSettings, SNTP running, manual time.

``PhoneTime`` belongs to the Phone.  At every boot and every change of a ``time.*`` (or language,
time format) setting it rebuilds the clock settings and (re)starts SNTP: with Manual setting off
and a primary or secondary server set, an ``SntpSync`` thread asks the primary, then the secondary,
every period; its answers are handed to the phone's asyncio loop (``call_soon_threadsafe``).  With
Manual setting on, SNTP stops and the time typed on the phone or the web page runs on from there.
The phone has no battery-backed clock: a reboot forgets a manual time (SNTP, or the host clock,
gives the time again).
"""
from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from .clock import (ClockSettings, DstDate, DstRule, DstWeek, PhoneClock, SntpSync, WEEKDAY_NAMES,
                    format_date, format_time)

log = logging.getLogger(__name__)


def clock_settings(config: dict, language: str = "en") -> ClockSettings:
    mode = {"Disabled": "off", "Automatic": "auto", "Manual": "manual"}[config["time.dst.mode"]]
    rule = None
    if mode == "manual":
        edges = []
        for edge in ("start", "end"):
            p = f"time.dst.{edge}."
            if config["time.dst.rule"] == "By Date":
                edges.append(DstDate(int(config[p + "month"]), int(config[p + "day"]), int(config[p + "hour"])))
            else:
                edges.append(DstWeek(int(config[p + "month"]), int(config[p + "week"]),
                                     WEEKDAY_NAMES.index(config[p + "weekday"]), int(config[p + "hour"])))
        rule = DstRule(edges[0], edges[1], int(config["time.dst.offset"]))
    return ClockSettings(utc_offset_minutes=int(config["time.zone"]), dst_mode=mode,
                         dst_location=config["time.dst.location"], dst_rule=rule,
                         hour24=config["phone.time_format"] == "24",
                         date_format=int(config["time.date_format"]), language=language)


class PhoneTime:
    def __init__(self, phone):
        self.phone = phone
        self.clock = PhoneClock(clock_settings(phone.config))
        self.sync: SntpSync | None = None
        self._sync_key = None

    # --- life cycle ------------------------------------------------------------------
    def boot(self) -> None:
        self.clock = PhoneClock(self.clock.settings)   # no battery-backed clock: start from the host's
        self._sync_key = None
        self.config_changed()

    def config_changed(self) -> None:
        c = self.phone.config
        lang = "zh" if getattr(self.phone, "lcd_language", "English") == "Chinese" else "en"
        self.clock.settings = clock_settings(c, lang)
        servers = (c["time.sntp.primary"], c["time.sntp.secondary"])
        key = None if c["time.manual"] or not any(servers) else (*servers, int(c["time.sntp.period"]))
        if key == self._sync_key:
            return
        self._stop_sync()
        self._sync_key = key
        if key is not None:
            loop = asyncio.get_running_loop()
            sync = None

            def on_time(value: float, server: str) -> None:   # runs in the SNTP thread
                loop.call_soon_threadsafe(self._synced, sync, value, server)
            sync = self.sync = SntpSync(servers[0] or None, servers[1] or None, float(key[2]), on_time,
                                         source=self.phone.ip)
            self.sync.start()

    def _synced(self, sync, value: float, server: str) -> None:
        if sync is self.sync:   # an answer of a stopped sync is dropped
            self.clock.sync(value, server)

    def _stop_sync(self) -> None:
        sync, self.sync = self.sync, None
        if sync is not None:
            sync._stop_event.set()    # the thread ends after its query under way (daemon, no join here)

    def stop(self) -> None:
        self._stop_sync()

    # --- what the user sees and does ---------------------------------------------------
    def set_manual(self, when: datetime) -> None:
        self.clock.set_manual(when)

    def display(self) -> tuple[str, str]:
        return self.clock.display()

    def status(self) -> dict:
        now = self.clock.now()
        sync = self.sync
        return {"time": format_time(now, True), "date": format_date(now.date(), 2, "en"),
                "iso": now.isoformat(timespec="seconds"), "source": self.clock.source,
                "last_server": sync.last_server if sync else None,
                "last_error": sync.last_error if sync else None}
