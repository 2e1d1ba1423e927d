"""The phone's LDAP directory service (manual §4.3.3): settings from the schema, searches off the loop.

* The ``ldap.*`` schema keys (web Directory -> LDAP; web and CFG only, the §1.3 matrix
  marks LDAP × for the phone) map one to one onto :class:`LdapSettings`.  A value
  LdapSettings refuses is reported with LdapSettingsError's own words (what is allowed),
  under the schema key, so the web page and a CFG import show the same clear message.
* ldap3 blocks, the phone's loop must not: every query runs on one worker thread and its
  answer comes back to the loop (``call_soon_threadsafe``).  A newer query of the same
  screen makes an older answer stale; the screen ignores it.
* TLS (StartTLS, LDAPS) uses the phone's trusted certificates (``phone.tls_context()``,
  §6.7), exactly as HTTPS provisioning does.
* Incoming calls (REQ-LDAP-23): with "LDAP lookup for incoming call" on, the caller's
  number is looked up and a match replaces the name shown on the ringing screen.
"""
from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Callable

from .ldap_directory import LdapDirectory, LdapError, LdapSettings, LdapSettingsError

if TYPE_CHECKING:
    from .phone import CallSession, Phone

log = logging.getLogger(__name__)

# schema key -> LdapSettings field (the rows of the manual's table, in its order)
FIELDS: dict[str, str] = {
    "ldap.enable": "enabled", "ldap.label": "label", "ldap.name_filter": "name_filter",
    "ldap.number_filter": "number_filter", "ldap.transport": "transport", "ldap.server": "server",
    "ldap.port": "port", "ldap.base": "base", "ldap.user": "user", "ldap.password": "password",
    "ldap.max_hits": "max_hits", "ldap.name_attributes": "name_attributes",
    "ldap.number_attributes": "number_attributes", "ldap.display_name": "display_name",
    "ldap.version": "version", "ldap.match_incoming": "match_incoming",
    "ldap.search_while_dialing": "search_while_dialing", "ldap.sort_results": "sort_results",
}
KEY_OF = {f: k for k, f in FIELDS.items()}

# What the LCD says when a query fails, by LdapError.kind (the detail line names the server).
LCD_ERRORS = {
    "untrusted": "Certificate not trusted", "tls": "TLS failed", "unreachable": "Server unreachable",
    "bind": "Login refused", "search": "Search refused", "disabled": "LDAP disabled",
    "not-configured": "No LDAP server",
}


def settings_from(config: dict) -> LdapSettings:
    """The LdapSettings of a configuration (raises LdapSettingsError for a value it refuses)."""
    values = {f: config[k] for k, f in FIELDS.items()}
    values["version"] = int(values["version"])
    return LdapSettings(**values)


def config_problems(config: dict) -> list[tuple[tuple[str, ...], str]]:
    """Schema rule hook: the LDAP rows as LdapSettings checks them, as (keys, message) pairs."""
    try:
        settings_from(config)
    except LdapSettingsError as exc:
        key = KEY_OF.get(exc.field, "ldap." + exc.field)
        keys = (key, "ldap.version") if exc.field == "transport" else \
            (key, "ldap.user") if exc.field == "password" else (key,)
        shown = "***" if exc.field == "password" else exc.value
        return [(keys, f"{key}: {shown!r} is not allowed (allowed: {exc.allowed})")]
    return []


def lcd_error(exc: LdapError) -> list[str]:
    return [LCD_ERRORS.get(exc.kind, "LDAP error"), exc.server]


class PhoneLdap:
    """The LDAP client of one phone; every answer is delivered on the phone's loop."""

    def __init__(self, phone: "Phone"):
        self.phone = phone
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ldap")

    @property
    def settings(self) -> LdapSettings:
        return settings_from(self.phone.config)

    @property
    def enabled(self) -> bool:
        return bool(self.phone.config["ldap.enable"])

    def directory(self) -> LdapDirectory:
        return LdapDirectory(self.settings, tls_context=self.phone.tls_context(), source_address=self.phone.ip)

    def _run(self, work: Callable[[LdapDirectory], object], done: Callable[[object], None]) -> None:
        """Run ``work`` on the worker; ``done`` gets its result or the LdapError, on the loop."""
        loop = asyncio.get_running_loop()
        directory = self.directory()

        def job():
            try:
                result = work(directory)
            except LdapError as exc:
                result = exc
            except Exception as exc:   # a client bug must not kill the worker: shown as an error
                log.exception("LDAP query failed")
                result = LdapError("search", directory.address, f"LDAP query failed: {exc}")
            loop.call_soon_threadsafe(done, result)

        self._pool.submit(job)

    def search(self, typed: str, done: Callable[[object], None]) -> None:
        """Menu -> Directory -> LDAP: name or number (REQ-LDAP-06)."""
        self._run(lambda d: d.search(typed), done)

    def dial_search(self, typed: str, done: Callable[[object], None]) -> bool:
        """Pre-dial / dial screen (REQ-LDAP-05, -24); False (nothing sent) when the lookup is off."""
        c = self.phone.config
        if not (c["ldap.enable"] and c["ldap.search_while_dialing"] and c["ldap.server"]):
            return False
        self._run(lambda d: d.dial_search(typed), done)
        return True

    def lookup_incoming(self, session: "CallSession") -> None:
        """REQ-LDAP-23: a caller found in LDAP is shown by its LDAP name while the call lasts."""
        c = self.phone.config
        if not (c["ldap.enable"] and c["ldap.match_incoming"] and c["ldap.server"]) or not session.number:
            return

        def done(result):
            if isinstance(result, str) and result:
                session.name = result
            elif isinstance(result, LdapError):
                log.info("incoming call %s: LDAP lookup failed: %s", session.number, result)

        self._run(lambda d: d.lookup_number(session.number), done)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
