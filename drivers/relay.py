"""Pressing the phone's keys through a relay board on a serial port.

Each key of the handset has a relay wired across its contacts; closing the
relay is a finger on the key, and holding it closed is a long press.  Two
board protocols are spoken:

``lcus`` -- the common LCUS-1/2/4/8 type USB relay modules (CH340 serial chip,
    9600 baud).  Binary frames ``A0 <channel> <state> <checksum>``, state 1 =
    close, 0 = open, checksum = (0xA0 + channel + state) & 0xFF, channels from 1.
    These boards never answer: a dead board is only seen as a serial port that
    is missing or fails on write.

``text`` -- microcontroller key boards (an Arduino/RP2040 driving a relay or
    opto-coupler per key), this project's line protocol at 115200 baud, ASCII,
    one command per line ending in ``\\n``::

        PING              -> PONG <firmware>
        PRESS <ch> <ms>   -> OK <ch>        sent once the key is released again
        HOLD <ch>         -> OK <ch>        close and keep closed
        RELEASE <ch>      -> OK <ch>
        anything wrong    -> ERR <reason>   (bad channel, bad syntax, ...)

    A board that does not answer within the timeout is a lab error naming the
    bench and the port.

``RelayKeypad`` implements the harness's ``Keypad`` protocol on either board,
with the key -> channel map of the bench YAML.
"""
from __future__ import annotations

import time
from typing import Mapping, Protocol

import serial

from .errors import LabError
from .keypad import DEFAULT_PRESS_MS

LCUS_HEADER = 0xA0


def lcus_frame(channel: int, closed: bool) -> bytes:
    """The 4-byte LCUS command that sets one relay."""
    state = 1 if closed else 0
    return bytes([LCUS_HEADER, channel, state, (LCUS_HEADER + channel + state) & 0xFF])


class RelayBoard(Protocol):
    def press(self, channel: int, duration_ms: int) -> None: ...
    def set(self, channel: int, closed: bool) -> None: ...
    def close(self) -> None: ...


def _open(port: str, baudrate: int, timeout: float, bench: str) -> serial.Serial:
    try:
        return serial.Serial(port, baudrate=baudrate, timeout=timeout, write_timeout=timeout)
    except (serial.SerialException, OSError) as exc:
        raise LabError(f"relay board of {bench}", f"cannot open serial port {port}: {exc}") from exc


class LcusRelayBoard:
    """An LCUS-type module: write frames, expect nothing back."""

    def __init__(self, port: str, channels: int = 8, bench: str = "bench", baudrate: int = 9600,
                 timeout: float = 1.0):
        self.port, self.channels, self.bench = port, channels, bench
        self.ser = _open(port, baudrate, timeout, bench)

    def set(self, channel: int, closed: bool) -> None:
        if not 1 <= channel <= self.channels:
            raise LabError(f"relay board of {self.bench}", f"channel {channel} is not on this {self.channels}-channel board")
        try:
            self.ser.write(lcus_frame(channel, closed))
            self.ser.flush()
        except (serial.SerialException, OSError) as exc:
            raise LabError(f"relay board of {self.bench}",
                           f"serial port {self.port} failed (unplugged?): {exc}") from exc

    def press(self, channel: int, duration_ms: int) -> None:
        self.set(channel, True)
        try:
            time.sleep(duration_ms / 1000)   # the press itself: the relay is held this long
        finally:
            self.set(channel, False)

    def close(self) -> None:
        self.ser.close()


class TextRelayBoard:
    """A microcontroller board speaking the line protocol above; every command is answered."""

    def __init__(self, port: str, bench: str = "bench", baudrate: int = 115200, timeout: float = 2.0):
        # 2 s: a board answers in milliseconds, but an emulated one shares a loaded machine.
        self.port, self.bench, self.timeout = port, bench, timeout
        self.ser = _open(port, baudrate, timeout, bench)
        self.firmware = ""

    def _ask(self, command: str, wait: float = 0.0) -> str:
        part = f"relay board of {self.bench}"
        try:
            self.ser.reset_input_buffer()
            self.ser.write((command + "\n").encode("ascii"))
            self.ser.flush()
            self.ser.timeout = self.timeout + wait
            answer = self.ser.readline().decode("ascii", "replace").strip()
        except (serial.SerialException, OSError) as exc:
            raise LabError(part, f"serial port {self.port} failed during {command!r}: {exc}") from exc
        if not answer:
            raise LabError(part, f"no answer on {self.port} to {command!r} within {self.timeout + wait:.1f} s "
                                 "(board unpowered, wrong port or wrong baud rate?)")
        if answer.startswith("ERR"):
            raise LabError(part, f"the board on {self.port} refused {command!r}: {answer}")
        return answer

    def _expect_ok(self, command: str, channel: int, wait: float = 0.0) -> None:
        answer = self._ask(command, wait)
        if answer != f"OK {channel}":
            raise LabError(f"relay board of {self.bench}", f"{command!r} on {self.port} answered {answer!r}")

    def ping(self) -> str:
        answer = self._ask("PING")
        if not answer.startswith("PONG"):
            raise LabError(f"relay board of {self.bench}", f"PING on {self.port} answered {answer!r}")
        self.firmware = answer[4:].strip()
        return self.firmware

    def press(self, channel: int, duration_ms: int) -> None:
        self._expect_ok(f"PRESS {channel} {duration_ms}", channel, wait=duration_ms / 1000)

    def set(self, channel: int, closed: bool) -> None:
        self._expect_ok(f"{'HOLD' if closed else 'RELEASE'} {channel}", channel)

    def close(self) -> None:
        self.ser.close()


def open_relay_board(protocol: str, port: str, bench: str = "bench", channels: int = 32,
                     timeout: float = 2.0) -> RelayBoard:
    """The board a bench YAML describes; a text board is pinged at once so a dead one fails early."""
    if protocol == "lcus":
        return LcusRelayBoard(port, channels, bench, timeout=timeout)
    if protocol == "text":
        board = TextRelayBoard(port, bench, timeout=timeout)
        try:
            board.ping()
        except LabError:
            board.close()
            raise
        return board
    raise LabError(f"relay board of {bench}", f"unknown protocol {protocol!r}; allowed: lcus, text")


class RelayKeypad:
    """The ``Keypad`` of a handset on a relay board: key names -> channels, a gap between keys.

    ``gap_ms`` is the pause a person leaves between keys (stb-tester uses 0.3 s);
    the phone's multi-tap input needs it shorter than its 1 s commit time.
    """

    def __init__(self, board: RelayBoard, key_map: Mapping[str, int], gap_ms: int = 150,
                 bench: str = "bench", name: str = "phone"):
        self.board, self.key_map, self.gap_ms, self.bench, self.name = board, dict(key_map), gap_ms, bench, name
        self.pressed: list[tuple[float, str, int]] = []
        self._released_at = 0.0

    def press(self, key: str, duration_ms: int = DEFAULT_PRESS_MS) -> None:
        if key not in self.key_map:
            raise LabError(f"relay map of {self.bench}",
                           f"{self.name}: key {key!r} is not wired to any relay (wired: {sorted(self.key_map)})")
        pause = self._released_at + self.gap_ms / 1000 - time.monotonic()
        if pause > 0:
            time.sleep(pause)   # pacing between key presses, as a finger would
        self.board.press(self.key_map[key], duration_ms)
        self._released_at = time.monotonic()
        self.pressed.append((time.time(), key, duration_ms))
