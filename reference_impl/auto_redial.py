"""Auto redial (manual §5.9): a failed outgoing call is tried again by itself.

One ``AutoRedial`` is one run for one number.  It starts when a call placed by
the user fails (a 4xx/5xx/6xx final answer or a timeout -- not when the user
hangs up), waits ``auto_redial.interval`` seconds, dials again, and stops when
a call gets through, after ``auto_redial.count`` new attempts, or when the user
cancels it.  The phone owns the run; the screen only shows it.

Choices the manual leaves open:

* the count is the number of *new* attempts (10 = the first call + 10 redials);
* an attempt that finds the phone busy (another call under way) ends the run:
  redialling must never barge into a call the user is making;
* each attempt is a normal dialled call and is logged as one.
"""
from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .phone import Phone


class AutoRedial:
    def __init__(self, phone: "Phone", number: str, account: int, mode: str):
        self.phone, self.number, self.account, self.mode = phone, number, account, mode
        self.limit = int(phone.config["auto_redial.count"])
        self.interval = int(phone.config["auto_redial.interval"])
        self.attempts = 0                 # redials placed so far
        self.due_at: float | None = None  # loop time of the next attempt
        self._handle: asyncio.TimerHandle | None = None

    @property
    def pending(self) -> bool:
        return self._handle is not None

    def seconds_left(self) -> int:
        if self.due_at is None:
            return 0
        return max(0, round(self.due_at - asyncio.get_running_loop().time()))

    def schedule(self) -> bool:
        """Arm the next attempt after a failure; False when the count is used up."""
        if self.attempts >= self.limit:
            return False
        loop = asyncio.get_running_loop()
        self.due_at = loop.time() + self.interval
        self._handle = loop.call_later(self.interval, self.attempt)
        return True

    def attempt(self) -> None:
        """Dial again now (the timer, or the Redial soft key)."""
        self.cancel()
        p = self.phone
        if p.session is not None or p.others or p.auto_redial is not self:
            p.auto_redial = None
            return
        self.attempts += 1
        p.active_account = self.account
        if not p.dial(self.number, self.mode):
            p.auto_redial = None

    def cancel(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
        self._handle, self.due_at = None, None
