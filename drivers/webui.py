"""The phone's web UI, driven over HTTP as a browser (or a provisioning tool) would.

Every request and response is kept in ``transcript`` so a report can show what
the harness asked and what the phone answered.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import requests

from .errors import LabError, PhoneFailure


class ConfigRefused(Exception):
    """The phone refused a configuration change; ``problems`` is what it said."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass
class Exchange:
    method: str
    url: str
    request: str
    status: int
    response: str
    at: float


class WebUI:
    def __init__(self, base_url: str, user: str = "admin", password: str = "admin", name: str = "phone"):
        self.base_url, self.user, self.password, self.name = base_url, user, password, name
        self.http = requests.Session()
        self.transcript: list[Exchange] = []

    # --- plumbing --------------------------------------------------------------
    def request(self, method: str, path: str, **kw) -> requests.Response:
        url = self.base_url + path
        try:
            resp = self.http.request(method, url, timeout=kw.pop("timeout", 10), **kw)
        except requests.RequestException as exc:
            raise LabError(f"web UI of {self.name}", f"{method} {url}: {exc}") from exc
        body = kw.get("json") or kw.get("data") or ""
        self.transcript.append(Exchange(method, url, str(body)[:2000], resp.status_code,
                                        resp.text[:4000], time.time()))
        return resp

    def _json(self, method: str, path: str, **kw):
        resp = self.request(method, path, **kw)
        if resp.status_code == 401:
            self.login()
            resp = self.request(method, path, **kw)
        return resp

    # --- session ---------------------------------------------------------------
    def try_login(self, user: str, password: str) -> bool:
        """Submit the login form; True if the phone let us in."""
        self.http.cookies.clear()
        resp = self.request("POST", "/login", data={"user": user, "password": password}, allow_redirects=False)
        return resp.status_code in (302, 303) and "h680_session" in self.http.cookies

    def login(self) -> None:
        if not self.try_login(self.user, self.password):
            raise PhoneFailure(f"{self.name}: web login as {self.user!r} refused")

    def page(self, path: str) -> requests.Response:
        return self.request("GET", path, allow_redirects=False)

    # --- API -------------------------------------------------------------------
    def identity(self) -> dict:
        return self.request("GET", "/api/identity").json()

    def status(self) -> dict:
        return self._json("GET", "/api/status").json()

    def config(self) -> dict:
        return self._json("GET", "/api/config").json()

    def set_config(self, values: dict) -> None:
        resp = self._json("POST", "/api/config", json={k: str(v) for k, v in values.items()})
        if resp.status_code == 400:
            raise ConfigRefused(resp.json()["errors"])
        resp.raise_for_status()

    def submit_page(self, name: str, values: dict) -> requests.Response:
        """Fill the HTML form of a settings page and press Submit (what a person does)."""
        resp = self.request("POST", f"/page/{name}", data={k: str(v) for k, v in values.items()},
                            allow_redirects=False)
        if resp.status_code == 302 and resp.headers.get("Location") == "/":
            self.login()
            resp = self.request("POST", f"/page/{name}", data=values, allow_redirects=False)
        return resp

    def import_cfg(self, text: str, name: str = "upload.cfg") -> None:
        resp = self._json("POST", "/api/config/import", params={"name": name}, data=text.encode("utf-8"))
        if resp.status_code == 400:
            raise ConfigRefused(resp.json()["errors"])
        resp.raise_for_status()

    def export_cfg(self, sections: list[str] | None = None) -> str:
        resp = self._json("GET", "/api/config/export", params={"section": sections} if sections else None)
        resp.raise_for_status()
        return resp.text

    def export_bin(self) -> bytes:
        resp = self._json("GET", "/api/config/export.bin")
        resp.raise_for_status()
        return resp.content

    def import_bin(self, data: bytes, name: str = "config.bin") -> None:
        resp = self._json("POST", "/api/config/import.bin", params={"name": name}, data=data)
        if resp.status_code == 400:
            raise ConfigRefused(resp.json()["errors"])
        resp.raise_for_status()

    def history(self, kind: str | None = None) -> list[dict]:
        return self._json("GET", "/api/history", params={"kind": kind} if kind else None).json()

    def factory_reset(self) -> dict:
        """Reset the phone; the reply says whether it restarts (a new address or SIP port)."""
        resp = self._json("POST", "/api/factory-reset")
        resp.raise_for_status()
        self.http.cookies.clear()
        return resp.json() if resp.headers.get("content-type", "").startswith("application/json") else {}
