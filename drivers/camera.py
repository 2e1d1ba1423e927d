"""Cameras that look at the phone's LCD: a USB device, a file, or an IP camera URL.

Every camera has one method, ``grab() -> BGR picture``, that returns a picture
taken *after* the call began (never a stale one from a buffer), or raises a
``LabError`` naming the bench and the camera when none comes in time.

* ``DeviceCamera`` -- a V4L2 device by index, through OpenCV.
* ``FileCamera``   -- a still image (the same picture every time) or a video file.
* ``MjpegCamera``  -- an ``http://`` MJPEG stream (multipart/x-mixed-replace), read on a
  thread that keeps only the newest picture; a URL that serves a single JPEG
  (a snapshot URL) is fetched anew for every grab.
"""
from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Protocol

import cv2
import numpy as np
import requests

from .errors import LabError


class Camera(Protocol):
    def grab(self) -> np.ndarray: ...
    def close(self) -> None: ...


def _decode(data: bytes) -> np.ndarray | None:
    return cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR) if data else None


class DeviceCamera:
    def __init__(self, index: int, bench: str = "bench", timeout: float = 3.0):
        self.part, self.timeout = f"camera {index} of {bench}", timeout
        self.cap = cv2.VideoCapture(index)
        if not self.cap.isOpened():
            raise LabError(self.part, f"cannot open video device {index}")

    def grab(self) -> np.ndarray:
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            self.cap.grab()                      # drop the frame the driver buffered before we asked
            ok, picture = self.cap.read()
            if ok and picture is not None:
                return picture
        raise LabError(self.part, f"no picture within {self.timeout:.1f} s")

    def close(self) -> None:
        self.cap.release()


class FileCamera:
    def __init__(self, path: str | Path, bench: str = "bench"):
        self.path, self.part = Path(path), f"camera file {path} of {bench}"
        if not self.path.exists():
            raise LabError(self.part, "no such file")
        self.still = _decode(self.path.read_bytes()) if self.path.suffix.lower() in (
            ".png", ".jpg", ".jpeg", ".bmp") else None
        self.cap = None if self.still is not None else cv2.VideoCapture(str(self.path))
        if self.still is None and not self.cap.isOpened():
            raise LabError(self.part, "neither an image nor a video OpenCV can read")

    def grab(self) -> np.ndarray:
        if self.still is not None:
            return self.still.copy()
        ok, picture = self.cap.read()
        if not ok:                               # a video loops, like a camera that never stops
            self.cap.set(cv2.CAP_PROP_POS_FRAMES, 0)
            ok, picture = self.cap.read()
        if not ok:
            raise LabError(self.part, "the video gives no frames")
        return picture

    def close(self) -> None:
        if self.cap is not None:
            self.cap.release()


class MjpegCamera:
    """An HTTP camera.  ``grab`` waits for a picture that arrived after it was called."""

    def __init__(self, url: str, bench: str = "bench", timeout: float = 3.0):
        self.url, self.part, self.timeout = url, f"camera {url} of {bench}", timeout
        self._cond = threading.Condition()
        self._latest: tuple[int, float, bytes] = (0, 0.0, b"")
        self._error = ""
        self._stop = threading.Event()
        self._session = requests.Session()
        try:
            resp = self._session.get(url, stream=True, timeout=timeout)
        except requests.RequestException as exc:
            raise LabError(self.part, f"cannot connect: {exc}") from exc
        ctype = resp.headers.get("Content-Type", "")
        if resp.status_code != 200:
            raise LabError(self.part, f"HTTP {resp.status_code}")
        self.snapshot = ctype.startswith("image/")
        if self.snapshot:
            resp.close()
            self._thread = None
        elif "multipart" in ctype:
            self._thread = threading.Thread(target=self._reader, args=(resp,), name="mjpeg", daemon=True)
            self._thread.start()
        else:
            resp.close()
            raise LabError(self.part, f"neither MJPEG nor JPEG (Content-Type {ctype!r})")

    def _reader(self, resp: requests.Response) -> None:
        """Pull JPEGs out of the multipart stream by their SOI/EOI markers; keep the newest."""
        buf, count = b"", 0
        try:
            for chunk in resp.iter_content(chunk_size=16384):
                if self._stop.is_set():
                    break
                buf += chunk
                while True:
                    start = buf.find(b"\xff\xd8")
                    end = buf.find(b"\xff\xd9", start + 2) if start >= 0 else -1
                    if start < 0 or end < 0:
                        break
                    count += 1
                    with self._cond:
                        self._latest = (count, time.monotonic(), buf[start:end + 2])
                        self._cond.notify_all()
                    buf = buf[end + 2:]
            self._error = "the stream ended"
        except (requests.RequestException, OSError, AttributeError) as exc:
            self._error = f"the stream broke: {exc}"
        finally:
            resp.close()
            with self._cond:
                self._cond.notify_all()

    def grab(self) -> np.ndarray:
        if self.snapshot:
            try:
                resp = self._session.get(self.url, timeout=self.timeout)
            except requests.RequestException as exc:
                raise LabError(self.part, f"no picture: {exc}") from exc
            picture = _decode(resp.content)
            if picture is None:
                raise LabError(self.part, "the snapshot is not a picture")
            return picture
        asked = time.monotonic()
        with self._cond:
            ok = self._cond.wait_for(lambda: self._latest[1] > asked or self._error, self.timeout)
            data = self._latest[2] if self._latest[1] > asked else b""
        picture = _decode(data)
        if not ok or picture is None:
            raise LabError(self.part, f"no picture within {self.timeout:.1f} s"
                                      + (f" ({self._error})" if self._error else ""))
        return picture

    def close(self) -> None:
        self._stop.set()
        self._session.close()


def open_camera(source: int | str, bench: str = "bench", timeout: float = 3.0) -> Camera:
    """A camera from the bench YAML's ``camera.source``: a device index, an http(s) URL, or a file path."""
    if isinstance(source, int) or (isinstance(source, str) and source.isdigit()):
        return DeviceCamera(int(source), bench, timeout)
    if source.startswith(("http://", "https://")):
        return MjpegCamera(source, bench, timeout)
    return FileCamera(source, bench)
