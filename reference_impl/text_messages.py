"""Text messages (manual §6.2.1): SIP MESSAGE in and out, kept in four folders.

Received messages go to the Inbox, unread.  A message being sent waits in the
Outbox until the far end answers; a 2xx moves it to Sent, anything else leaves
it in the Outbox (the user can see it did not go).  Text abandoned while being
written goes to Drafts.  Each folder keeps its newest 100 (PhoneStorage).

The far end's answer to a MESSAGE names only the target URI, so the messages
waiting for an answer are matched first-sent-first per (account, target).
"""
from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .phone import Phone

log = logging.getLogger(__name__)

MAX_TEXT = 512   # characters in one message (the manual gives no limit)


def _bare(uri: str) -> str:
    return uri.strip().strip("<>").split(">")[0].lstrip("<")


class TextMessages:
    def __init__(self, phone: "Phone"):
        self.phone = phone
        self.waiting: list[tuple[int, str, int]] = []   # (account, target URI, message id)

    @property
    def unread(self) -> int:
        return self.phone.storage.unread_messages()

    def received(self, account: int, from_uri: str, text: str) -> None:
        from .phone import number_of
        number, _ = number_of(from_uri)
        self.phone.storage.add_message("inbox", number, account, text, time.time(), unread=True)
        log.info("text message from %s on account %d", number, account)

    def send(self, account: int, number: str, text: str) -> str:
        """Queue and send; returns "" or what stops the message from going (shown to the user)."""
        problem = self.problem(account, number, text)
        if problem:
            return problem
        message_id = self.phone.storage.add_message("outbox", number, account, text, time.time())
        try:
            uri = self.phone.engine.send_message(account, number, text)
        except Exception as exc:   # pjsua2 refused (bad URI …): the message stays in the Outbox
            log.warning("MESSAGE to %s not sent: %s", number, exc)
            return "Not sent"
        self.waiting.append((account, _bare(uri), message_id))
        return ""

    def problem(self, account: int, number: str, text: str) -> str:
        if not text:
            return "Empty message"
        if len(text) > MAX_TEXT:
            return f"Message too long (max {MAX_TEXT})"
        if not number:
            return "No recipient"
        if not self.phone.engine.usable_account(account):
            return f"Account {account} not ready"
        return ""

    def answered(self, account: int, to_uri: str, code: int, reason: str) -> None:
        target = _bare(to_uri)
        for i, (n, uri, message_id) in enumerate(self.waiting):
            if n == account and uri == target:
                del self.waiting[i]
                if 200 <= code < 300:
                    self.phone.storage.move_message(message_id, "sent")
                else:
                    log.info("MESSAGE to %s refused: %d %s (kept in the outbox)", target, code, reason)
                return

    def save_draft(self, account: int, number: str, text: str) -> None:
        if text:
            self.phone.storage.add_message("drafts", number, account, text, time.time())
