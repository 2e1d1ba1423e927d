"""The reference phone's LCD as a camera sees it, served like an IP camera.

``LcdCamera`` renders the phone's current Frame (``reference_impl.lcd_render``),
optionally degraded as the lab YAML asks, and encodes it as JPEG; a picture is
made again only when the Frame changed, so an idle stream costs nothing.
Two aiohttp handlers serve it:

* ``stream``   -- ``multipart/x-mixed-replace`` MJPEG, what IP cameras give;
* ``snapshot`` -- one JPEG, what their "snapshot" URL gives.

The noise is the same for every frame by default (a fixed seed), so an
unchanged screen gives byte-identical JPEGs; ``live_noise`` adds fresh sensor
noise to every frame, as a real camera would.
"""
from __future__ import annotations

import asyncio
from typing import Callable

import cv2
import numpy as np
from aiohttp import web

from .lcd import Frame
from .lcd_render import LEVELS, Degradation, add_noise, camera_view, frame_key, render

BOUNDARY = "h680frame"


class LcdCamera:
    def __init__(self, screen: Callable[[], Frame], degradation: Degradation | str = "none", fps: float = 10.0,
                 quality: int = 90, seed: int = 1, live_noise: float = 0.0):
        self.screen = screen
        self.degradation = LEVELS[degradation] if isinstance(degradation, str) else degradation
        self.fps, self.quality, self.seed, self.live_noise = fps, quality, seed, live_noise
        self._key: str | None = None
        self._picture: np.ndarray | None = None
        self._jpeg = b""
        self._rng = np.random.default_rng(seed)
        self.corners: np.ndarray | None = None    # where the LCD is in the picture (the truth for tests)

    def picture(self) -> np.ndarray:
        frame = self.screen()
        key = frame_key(frame)
        if key != self._key or self._picture is None:
            self._picture, self.corners = camera_view(render(frame), self.degradation, self.seed)
            self._key, self._jpeg = key, b""
        return self._picture

    def jpeg(self) -> bytes:
        picture = self.picture()
        if self.live_noise > 0:
            picture = add_noise(picture, self.live_noise, self._rng)
        elif self._jpeg:
            return self._jpeg
        ok, buf = cv2.imencode(".jpg", picture, [cv2.IMWRITE_JPEG_QUALITY, self.quality])
        if not ok:
            raise RuntimeError("JPEG encoding failed")
        if self.live_noise <= 0:
            self._jpeg = buf.tobytes()
        return buf.tobytes()

    async def snapshot(self, request: web.Request) -> web.Response:
        return web.Response(body=self.jpeg(), content_type="image/jpeg", headers={"Cache-Control": "no-store"})

    async def stream(self, request: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse(headers={
            "Content-Type": f"multipart/x-mixed-replace; boundary={BOUNDARY}", "Cache-Control": "no-store"})
        await resp.prepare(request)
        try:
            while True:
                body = self.jpeg()
                await resp.write(f"--{BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Length: {len(body)}"
                                 f"\r\n\r\n".encode() + body + b"\r\n")
                await asyncio.sleep(1 / self.fps)    # the camera's frame rate
        except (ConnectionResetError, asyncio.CancelledError):
            pass
        return resp


def add_camera_routes(app: web.Application, camera: LcdCamera) -> None:
    """Mount the camera: GET /camera/mjpeg (stream) and GET /camera/snapshot.jpg."""
    app.router.add_get("/camera/mjpeg", camera.stream)
    app.router.add_get("/camera/snapshot.jpg", camera.snapshot)
