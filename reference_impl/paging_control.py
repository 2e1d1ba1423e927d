"""The phone's side of multicast paging (§6.1): its listener, its outgoing page, and the calls.

* Listening follows the configuration: the listener is rebuilt whenever a
  ``paging.listen.*`` setting changes (and at boot).
* A page let in during a SIP call holds the call (REQ-PAGE-18); when the page
  ends the call is taken off hold again -- the manual does not say, and a
  desk phone that leaves a customer on hold after an announcement would be a
  bug report.
* Sending a page during a call holds the call first (REQ-PAGE-32).
* Pages leave no call history, in or out (REQ-PAGE-33): nothing here logs.
"""
from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from . import call_features as features
from .paging import ListenEntry, PagingListener, PagingPolicy, PagingSender, Stream, parse_group
from .schema import PAGING_LIST_SIZE, PAGING_LISTEN_SIZE

if TYPE_CHECKING:
    from .phone import CallSession, Phone

log = logging.getLogger(__name__)


def _level(text: str) -> int | None:
    return None if text == "Disabled" else int(text)


class PhonePaging:
    def __init__(self, phone: "Phone"):
        self.phone = phone
        self.listener: PagingListener | None = None
        self.incoming: Stream | None = None       # the page being played
        self.outgoing: PagingSender | None = None  # the page this phone sends
        self.outgoing_group = (0, "", "")          # (list index, label, address)
        self.held_call: "CallSession | None" = None
        self.ignored: list[tuple[int, str]] = []   # (priority, reason) of pages not played, newest last

    # --- configuration ----------------------------------------------------------------------
    def policy(self) -> PagingPolicy:
        c = self.phone.config
        return PagingPolicy(_level(c["paging.barge"]), _level(c["paging.dnd_penetration"]),
                            bool(c["paging.priority"]))

    def listen_entries(self) -> list[ListenEntry]:
        c, out = self.phone.config, []
        for n in range(1, PAGING_LISTEN_SIZE + 1):
            p = f"paging.listen.{n}."
            if c[p + "address"]:
                group, port = parse_group(c[p + "address"])
                out.append(ListenEntry(n, group, port, c[p + "label"], int(c[p + "channel"])))
        return out

    def group(self, n: int) -> tuple[str, str]:
        """(label, address) of paging-list row ``n``."""
        c = self.phone.config
        return c[f"paging.list.{n}.label"], c[f"paging.list.{n}.address"]

    def restart_listener(self) -> None:
        if self.listener is not None:
            self.listener.close()
            self.listener = None
            self.incoming = None
        entries = self.listen_entries()
        if not entries:
            return
        self.listener = PagingListener(self.phone.ip, entries, self._started, self._ended, self._ignored,
                                       self._state)
        asyncio.get_running_loop().create_task(self.listener.start())

    def close(self) -> None:
        if self.listener is not None:
            self.listener.close()
        if self.outgoing is not None:
            self.outgoing.stop()

    # --- listening --------------------------------------------------------------------------
    def _state(self) -> tuple[PagingPolicy, bool, bool]:
        p = self.phone
        in_call = any(s.connected and not s.held for s in p._all_sessions()) or self.outgoing is not None
        return self.policy(), in_call, features.dnd_icon(p.config)

    def _started(self, stream: Stream) -> None:
        p = self.phone
        s = p.session
        if s is not None and s.connected and not s.held:
            p._hold(s)
            self.held_call = s
        self.incoming = stream
        p.ui.show_page()

    def _ended(self, stream: Stream) -> None:
        p = self.phone
        if self.incoming is stream:
            self.incoming = None
        p.ui.show_page()
        held, self.held_call = self.held_call, None
        if held is not None and held in p.others and p.session is None and self.incoming is None:
            p.resume()

    def _ignored(self, stream: Stream) -> None:
        self.ignored.append((stream.priority, stream.ignored_because))
        del self.ignored[:-20]
        log.info("page on %s:%d (priority %d) ignored: %s", stream.group, stream.port, stream.priority,
                 stream.ignored_because)

    def end_incoming(self) -> None:
        if self.listener is not None:
            self.listener.stop_playing()

    # --- sending ------------------------------------------------------------------------------
    def send(self, n: int) -> str:
        """Page to paging-list row ``n``; returns "" or why not."""
        if not 1 <= n <= PAGING_LIST_SIZE:
            return "No such group"
        label, address = self.group(n)
        if not address:
            return "Empty group"
        if self.outgoing is not None:
            return "Already paging"
        group, port = parse_group(address)
        p = self.phone
        s = p.session
        if s is not None and s.connected and not s.held:
            p._hold(s)   # REQ-PAGE-32
        tone = p.engine.mic_tone.hz if p.engine.mic_tone is not None else 0
        self.outgoing = PagingSender(p.ip, group, port, tone_hz=tone)
        self.outgoing_group = (n, label, address)
        self.outgoing.start()
        return ""

    def hold_outgoing(self) -> None:
        if self.outgoing is not None:
            self.outgoing.hold() if not self.outgoing.held else self.outgoing.resume()

    def end_outgoing(self) -> None:
        if self.outgoing is not None:
            self.outgoing.stop()
            self.outgoing = None
