"""The harness's end of Action URL (§6.6): an HTTP server on the bench that records every GET.

A scenario points an event's URL at ``listener.url_for(event)`` (with the
phone's ``$variables`` in the query), makes the event happen, and waits for
the request with ``wait_for``; at the deadline the failure lists what *was*
received, so a wrong variable or a wrong event is plain in the report.
"""
from __future__ import annotations

import http.server
import threading
import time
import urllib.parse
from dataclasses import dataclass

from .errors import LabError, PhoneFailure
from .wait import WaitTimeout, wait_until


@dataclass(frozen=True)
class Request:
    time: float
    client: str
    path: str
    query: dict[str, str]

    @property
    def event(self) -> str:
        return self.path.strip("/").split("/")[-1]


class ActionUrlListener:
    def __init__(self, ip: str, port: int = 0):
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        listener = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                parts = urllib.parse.urlsplit(self.path)
                query = {k: v[-1] for k, v in urllib.parse.parse_qs(parts.query, keep_blank_values=True).items()}
                with listener._lock:
                    listener.requests.append(Request(time.time(), self.client_address[0], parts.path, query))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):   # quiet: the requests are the record
                pass
        try:
            self.server = http.server.ThreadingHTTPServer((ip, port), Handler)
        except OSError as exc:
            raise LabError("Action URL listener", f"cannot listen on {ip}:{port}: {exc}") from exc
        self.thread = threading.Thread(target=self.server.serve_forever, name="action-url", daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def url_for(self, event: str, query: str = "") -> str:
        return f"{self.base}/{event}" + (f"?{query}" if query else "")

    def received(self, event: str | None = None) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if event is None or r.event == event]

    def wait_for(self, event: str, timeout: float = 5.0) -> Request:
        try:
            return wait_until(lambda: (self.received(event) or [None])[-1], timeout, 0.02,
                              what=f"Action URL {event}")
        except WaitTimeout:
            got = [f"{r.event}?{urllib.parse.urlencode(r.query)}" for r in self.received()] or ["nothing"]
            raise PhoneFailure(f"the phone sent no Action URL for {event!r} within {timeout:.0f} s; "
                               f"received: {', '.join(got)}") from None

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
