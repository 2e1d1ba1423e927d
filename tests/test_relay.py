"""Both relay protocols over a real pseudo-terminal, against the relay-board emulator.

The harness side (drivers.relay) opens the pty's slave with pyserial exactly as it
opens a USB-serial board; the emulator owns the master and reports key presses.
"""
from __future__ import annotations

import queue

import pytest

from drivers.errors import LabError
from drivers.relay import LcusRelayBoard, RelayKeypad, TextRelayBoard, lcus_frame, open_relay_board
from reference_impl.relay_emulator import RelayEmulator

KEY_MAP = {"1": 1, "2": 2, "OK": 3, "#": 4, "SOFT_LEFT": 5}


@pytest.fixture(params=["lcus", "text"])
def bench(request):
    presses: queue.Queue = queue.Queue()
    emu = RelayEmulator(request.param, KEY_MAP, lambda key, ms: presses.put((key, ms))).start_thread()
    board = open_relay_board(request.param, emu.port, bench="test-bench")
    try:
        yield request.param, emu, board, presses
    finally:
        board.close()
        emu.close()


def test_lcus_frame_checksum():
    assert lcus_frame(1, True) == bytes([0xA0, 0x01, 0x01, 0xA2])
    assert lcus_frame(8, False) == bytes([0xA0, 0x08, 0x00, 0xA8])


def test_keys_arrive_in_order_with_their_durations(bench):
    protocol, emu, board, presses = bench
    keypad = RelayKeypad(board, KEY_MAP, gap_ms=20, bench="test-bench")
    for key in ["1", "2", "OK"]:
        keypad.press(key, 60)
    got = [presses.get(timeout=2) for _ in range(3)]
    assert [k for k, _ in got] == ["1", "2", "OK"]
    assert all(50 <= ms <= 200 for _, ms in got), got
    assert emu.bad_frames == 0


def test_long_press_holds_the_relay(bench):
    _, _, board, presses = bench
    RelayKeypad(board, KEY_MAP, bench="test-bench").press("#", 1600)
    key, ms = presses.get(timeout=3)
    assert key == "#" and 1550 <= ms <= 1900


def test_unwired_key_is_a_lab_error_naming_the_map(bench):
    _, _, board, _ = bench
    with pytest.raises(LabError, match="relay map of test-bench.*'9'"):
        RelayKeypad(board, KEY_MAP, bench="test-bench").press("9")


def test_text_board_answers_ping_and_refuses_bad_channel():
    emu = RelayEmulator("text", KEY_MAP, lambda k, ms: None, firmware="emu 9.9").start_thread()
    board = TextRelayBoard(emu.port, bench="test-bench")
    try:
        assert board.ping() == "emu 9.9"
        with pytest.raises(LabError, match="refused 'PRESS 17 50'.*ERR no channel 17"):
            board.press(17, 50)
    finally:
        board.close()
        emu.close()


def test_silent_text_board_is_a_lab_error_naming_bench_and_port():
    emu = RelayEmulator("text", KEY_MAP, lambda k, ms: None).start_thread()
    emu.muted = True
    try:
        with pytest.raises(LabError, match=rf"relay board of test-bench.*no answer on {emu.port}"):
            open_relay_board("text", emu.port, bench="test-bench", timeout=0.3)
    finally:
        emu.close()


@pytest.mark.parametrize("protocol", ["lcus", "text"])
def test_missing_serial_port_is_a_lab_error(protocol, tmp_path):
    missing = str(tmp_path / "ttyUSB7")
    with pytest.raises(LabError, match=rf"relay board of test-bench.*cannot open serial port {missing}"):
        open_relay_board(protocol, missing, bench="test-bench")


def test_lcus_board_unplugged_mid_run_fails_on_write():
    emu = RelayEmulator("lcus", KEY_MAP, lambda k, ms: None).start_thread()
    board = LcusRelayBoard(emu.port, bench="test-bench")
    try:
        board.press(1, 10)
        emu.close()                   # the USB cable is pulled: the pty's master side goes away
        with pytest.raises(LabError, match="serial port .* failed"):
            board.press(1, 10)
    finally:
        board.close()
