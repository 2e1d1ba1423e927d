"""Polling waits with a deadline: the only way steps wait for anything."""
from __future__ import annotations

import time
from typing import Callable, TypeVar

T = TypeVar("T")


class WaitTimeout(Exception):
    """A condition did not become true before its deadline."""


def wait_until(
    condition: Callable[[], T],
    timeout: float = 5.0,
    interval: float = 0.05,
    stable_secs: float = 0.0,
    what: str = "condition",
) -> T:
    """Poll ``condition`` until it returns a truthy value; return that value.

    ``stable_secs`` asks that the value stay truthy (and equal) that long, as
    stb-tester's ``wait_until`` does for screens that are still settling.
    Raises ``WaitTimeout`` naming ``what`` and the last value seen.
    """
    deadline = time.monotonic() + timeout
    last: T | None = None
    stable_since: float | None = None
    stable_value: object = None
    while True:
        last = condition()
        now = time.monotonic()
        if last:
            if stable_secs <= 0:
                return last
            if stable_since is None or last != stable_value:
                stable_since, stable_value = now, last
            elif now - stable_since >= stable_secs:
                return last
        else:
            stable_since = None
        if now >= deadline:
            raise WaitTimeout(f"{what} not met within {timeout:.1f} s (last seen: {last!r})")
        time.sleep(interval)


def expect(condition: Callable[[], T], timeout: float, failure: str | Callable[[], str],
           interval: float = 0.1) -> T:
    """Wait for something the phone under test must do; not seeing it is the phone's failure.

    ``failure`` is the message (or a function giving it, to describe what is seen at the deadline).
    """
    from .errors import PhoneFailure
    try:
        return wait_until(condition, timeout, interval)
    except WaitTimeout:
        raise PhoneFailure(failure() if callable(failure) else failure) from None
