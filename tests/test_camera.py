"""Cameras: the reference phone's MJPEG stream and snapshot over HTTP, files, and the faults.

The server is the real aiohttp app with reference_impl.mjpeg's handlers, on 127.0.3.1,
in a thread with its own event loop; the frame it shows is changed by the test.
"""
from __future__ import annotations

import asyncio
import socket
import threading

import cv2
import numpy as np
import pytest
from aiohttp import web

from drivers.camera import FileCamera, MjpegCamera, open_camera
from drivers.errors import LabError
from drivers.lcd_ocr import CameraScreen, LcdReader
from reference_impl.lcd import Frame
from reference_impl.mjpeg import LcdCamera, add_camera_routes

HOST = "127.0.3.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


@pytest.fixture
def phone_camera():
    shown = {"frame": Frame("standby", "12:34", ["Mon 01 Jan 2026", "Alice 1001"], ("History", "Menu"),
                            ["account_registered", "battery"])}
    cam = LcdCamera(lambda: shown["frame"], "mild", fps=20)
    port = free_port()
    loop = asyncio.new_event_loop()
    app = web.Application()
    add_camera_routes(app, cam)
    runner = web.AppRunner(app)
    loop.run_until_complete(runner.setup())
    loop.run_until_complete(web.TCPSite(runner, HOST, port).start())
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{port}", cam, shown
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.run_until_complete(runner.cleanup())
        loop.close()


def test_mjpeg_stream_gives_fresh_frames_that_ocr_reads(phone_camera):
    url, cam, shown = phone_camera
    camera = open_camera(url + "/camera/mjpeg", bench="b3")
    try:
        assert isinstance(camera, MjpegCamera) and not camera.snapshot
        picture = camera.grab()
        screen = CameraScreen(camera.grab, LcdReader(cam.corners), "A", stable_secs=0.1)
        assert screen.read().lines == ["Mon 01 Jan 2026", "Alice 1001"]
        shown["frame"] = Frame("ringing", "Incoming call", ["Bob", "1002"], ("Answer", "Reject"), ["battery"])
        assert screen.wait_for_text("Incoming call", region="title", timeout=3).confidence > 60
        assert screen.read().softkeys == ("Answer", "Reject")
        assert picture.shape == camera.grab().shape
    finally:
        camera.close()


def test_snapshot_url_is_one_jpeg_per_grab(phone_camera):
    url, _, _ = phone_camera
    camera = open_camera(url + "/camera/snapshot.jpg", bench="b3")
    assert camera.snapshot and camera.grab().ndim == 3
    camera.close()


def test_unchanged_screen_gives_identical_jpegs(phone_camera):
    _, cam, _ = phone_camera
    assert cam.jpeg() == cam.jpeg()


def test_file_camera_and_missing_file(tmp_path):
    path = tmp_path / "shot.png"
    cv2.imwrite(str(path), np.full((40, 60, 3), 200, np.uint8))
    assert FileCamera(path).grab().shape == (40, 60, 3)
    with pytest.raises(LabError, match="camera file .*missing.png of b3.*no such file"):
        open_camera(str(tmp_path / "missing.png"), bench="b3")


def test_no_camera_listening_is_a_lab_error():
    url = f"http://{HOST}:{free_port()}/camera/mjpeg"
    with pytest.raises(LabError, match=r"camera http://127\.0\.3\.1.* of b3.*cannot connect"):
        open_camera(url, bench="b3", timeout=1)


def test_stream_that_stops_giving_frames_is_a_lab_error():
    """A camera that accepts the connection, then sends nothing: grab times out naming it."""
    port = free_port()
    server = socket.socket()
    server.bind((HOST, port))
    server.listen(1)
    accepted = []

    def serve():
        conn, _ = server.accept()
        conn.recv(4096)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: multipart/x-mixed-replace; boundary=x\r\n\r\n")
        accepted.append(conn)
    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        camera = MjpegCamera(f"http://{HOST}:{port}/", bench="b3", timeout=0.5)
        with pytest.raises(LabError, match="of b3.*no picture within 0.5 s"):
            camera.grab()
        camera.close()
    finally:
        thread.join(2)
        for conn in accepted:
            conn.close()
        server.close()


def serve_camera(port: int, shown: dict):
    """The phone's camera routes on HOST:port in a thread; returns a function that stops them."""
    cam = LcdCamera(lambda: shown["frame"], "none", fps=20)
    loop = asyncio.new_event_loop()
    app = web.Application()
    add_camera_routes(app, cam)
    runner = web.AppRunner(app, shutdown_timeout=0.2)
    loop.run_until_complete(runner.setup())
    loop.run_until_complete(web.TCPSite(runner, HOST, port).start())
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()

    def stop():
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(5)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()
    return stop


def camera_on_the_network(monkeypatch, reconnect_s: float):
    """(port, shown frame, the server's stop, a CameraSource on its stream) with ``RECONNECT_S`` set."""
    from drivers import handset
    from lab_config.model import CameraConfig
    monkeypatch.setattr(handset, "RECONNECT_S", reconnect_s)
    shown = {"frame": Frame("standby", "12:34", ["Alice 1001"], ("History", "Menu"), [])}
    port = free_port()
    stop = serve_camera(port, shown)
    source = handset.CameraSource(CameraConfig(source=f"http://{HOST}:{port}/camera/mjpeg"), HOST, port, "bench-7")
    return port, shown, stop, source


def test_a_broken_camera_stream_is_connected_again(monkeypatch):
    port, shown, stop, source = camera_on_the_network(monkeypatch, 5.0)
    try:
        assert source.grab().size
        stop()                                        # the camera drops off the network ...
        restart = threading.Timer(1.0, lambda: stops.append(serve_camera(port, shown)))
        stops: list = []
        restart.start()                               # ... and is back a second later
        assert source.grab().size
        restart.join()
    finally:
        source.close()
        for again in stops:
            again()


def test_a_camera_that_stays_away_is_a_lab_error_naming_it(monkeypatch):
    port, _, stop, source = camera_on_the_network(monkeypatch, 1.0)
    stop()
    with pytest.raises(LabError) as err:
        source.grab()
    source.close()
    assert f"camera http://{HOST}:{port}/camera/mjpeg of bench-7" in str(err.value)
    assert "after reconnecting for 1 s" in str(err.value)
