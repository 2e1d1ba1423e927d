"""A relay board in software, on a pseudo-terminal, wired to the reference phone's keypad.

The ``virtual-handset`` target presses keys the way a real bench does: the
harness writes relay commands to a serial port.  This emulator owns the
master side of a pty; the harness opens ``emulator.port`` (the slave side)
with pyserial like any USB-serial device.  It speaks both protocols of
``drivers.relay`` and turns each closure of a relay into a key press, with the
time the relay was held as the press duration (so a long # is a long press).

It runs inside the phone's asyncio loop (``attach(loop)``: one owner, no
locks); ``start_thread()`` runs it on a private loop for tests and tools.
"""
from __future__ import annotations

import asyncio
import os
import threading
import time
import tty
from typing import Callable, Mapping

from drivers.relay import LCUS_HEADER

OnPress = Callable[[str, int], None]       # (key name, held for ms)
OnSwitch = Callable[[str, bool], None]     # (switch name, closed)
# Channels wired to a switch, not a key: held closed for as long as the switch is on.
SWITCHES = ("HEADSET",)                    # the headset jack (drivers/accessories.py RelayAccessories)


class RelayEmulator:
    """``protocol``: "lcus" or "text"; ``key_map``: key name -> channel, as in the bench YAML."""

    def __init__(self, protocol: str, key_map: Mapping[str, int], on_press: OnPress,
                 firmware: str = "h680-relay-emu 1.0", fds: tuple[int, int] | None = None,
                 on_switch: OnSwitch | None = None):
        if protocol not in ("lcus", "text"):
            raise ValueError(f"protocol {protocol!r}: allowed lcus, text")
        self.protocol, self.on_press, self.firmware = protocol, on_press, firmware
        self.on_switch = on_switch
        self.key_for = {ch: key for key, ch in key_map.items()}
        # The slave fd stays open so the master never sees EOF.  ``fds`` hands over a pty that outlives
        # a reboot of the phone (the board is outside the phone: its port must not change).
        self.master, self._slave = fds if fds is not None else os.openpty()
        tty.setraw(self._slave)
        self.port = os.ttyname(self._slave)
        self.closed_at: dict[int, float] = {}
        self.bad_frames = 0
        self.muted = False                        # a board that stopped answering (fault tests)
        self._buf = b""
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    # -- running --
    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        os.set_blocking(self.master, False)
        self._loop = loop
        loop.add_reader(self.master, self._readable)

    def start_thread(self) -> "RelayEmulator":
        loop = asyncio.new_event_loop()
        ready = threading.Event()

        def run():
            asyncio.set_event_loop(loop)
            self.attach(loop)
            loop.call_soon(ready.set)
            loop.run_forever()
        self._thread = threading.Thread(target=run, name="relay-emulator", daemon=True)
        self._thread.start()
        ready.wait(5)
        return self

    def detach(self) -> tuple[int, int]:
        """Stop reading but keep the pty open (for a reboot); returns (master, slave)."""
        if self._loop is not None and self._thread is None:
            self._loop.remove_reader(self.master)
        return self.master, self._slave

    def close(self) -> None:
        loop = self._loop
        if loop is not None:
            if self._thread is not None:
                loop.call_soon_threadsafe(loop.stop)
                self._thread.join(5)
                loop.close()
            else:
                loop.remove_reader(self.master)
        for fd in (self.master, self._slave):
            try:
                os.close(fd)
            except OSError:
                pass

    # -- the wire --
    def _readable(self) -> None:
        try:
            data = os.read(self.master, 4096)
        except (BlockingIOError, OSError):
            return
        self._buf += data
        if self.protocol == "lcus":
            self._lcus()
        else:
            self._text()

    def _write(self, line: str) -> None:
        if not self.muted:
            os.write(self.master, (line + "\n").encode("ascii"))

    def _relay(self, channel: int, closed: bool) -> None:
        now = time.monotonic()
        if self.key_for.get(channel) in SWITCHES:
            if self.on_switch is not None:
                self.on_switch(self.key_for[channel], closed)
            return
        if closed:
            self.closed_at.setdefault(channel, now)
            return
        started = self.closed_at.pop(channel, None)
        key = self.key_for.get(channel)
        if started is not None and key is not None:
            self.on_press(key, round((now - started) * 1000))

    def _lcus(self) -> None:
        while len(self._buf) >= 4:
            if self._buf[0] != LCUS_HEADER:          # resynchronise on the header byte
                self._buf = self._buf[1:]
                self.bad_frames += 1
                continue
            head, channel, state, checksum = self._buf[:4]
            self._buf = self._buf[4:]
            if checksum != (head + channel + state) & 0xFF or state not in (0, 1):
                self.bad_frames += 1                   # a real board ignores a bad frame silently
                continue
            self._relay(channel, state == 1)

    def _text(self) -> None:
        while b"\n" in self._buf:
            raw, self._buf = self._buf.split(b"\n", 1)
            self._command(raw.decode("ascii", "replace").strip().split())

    def _command(self, words: list[str]) -> None:
        if not words:
            return
        verb, args = words[0].upper(), words[1:]
        if verb == "PING" and not args:
            return self._write(f"PONG {self.firmware}")
        try:
            channel = int(args[0])
            ms = int(args[1]) if verb == "PRESS" else 0
        except (IndexError, ValueError):
            return self._write(f"ERR syntax: {' '.join(words)}")
        if channel not in self.key_for:
            return self._write(f"ERR no channel {channel}")
        if verb == "PRESS" and len(args) == 2 and 0 < ms <= 60000:
            self._relay(channel, True)
            assert self._loop is not None

            def release():
                self._relay(channel, False)
                self._write(f"OK {channel}")
            self._loop.call_later(ms / 1000, release)
        elif verb in ("HOLD", "RELEASE") and len(args) == 1:
            self._relay(channel, verb == "HOLD")
            self._write(f"OK {channel}")
        else:
            self._write(f"ERR syntax: {' '.join(words)}")
