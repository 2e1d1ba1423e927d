"""The bench's voice-mail server: it tells a phone that voice messages wait (RFC 3842).

A real voice-mail system sends an unsolicited ``NOTIFY`` with ``Event: message-summary`` to the
user's address of record; the registrar routes it to the phone's registered contact like any
out-of-dialog request.  This server does just that, over UDP from its own port on the bench's
peer address, and waits for the phone's final answer (relayed back by the registrar).

No SIP stack: the request is small and the harness wants it exactly as written here.  It is
retransmitted at T1 = 0.5 s, doubling, as RFC 3261 §17.1.2 asks of a non-INVITE over UDP.
"""
from __future__ import annotations

import socket
import time
import uuid

from .errors import LabError

PART = "voice-mail server"


class VoicemailServer:
    def __init__(self, ip: str, registrar_ip: str, registrar_port: int = 5060):
        self.ip, self.registrar = ip, (registrar_ip, registrar_port)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            self.sock.bind((ip, 0))
        except OSError as exc:
            self.sock.close()
            raise LabError(PART, f"cannot bind {ip}: {exc}") from exc
        self.port = self.sock.getsockname()[1]
        self.cseq = 0
        self.call_id = f"vm-{uuid.uuid4().hex[:12]}@{ip}"
        self.sent: list[str] = []

    def notify(self, user: str, waiting: bool, new: int = 1, old: int = 0,
               timeout: float = 5.0) -> tuple[int, str]:
        """Send ``Messages-Waiting: yes|no`` for ``user``; returns the final (code, reason)."""
        self.cseq += 1
        domain = self.registrar[0]
        branch = f"z9hG4bK{uuid.uuid4().hex[:16]}"
        body = (f"Messages-Waiting: {'yes' if waiting else 'no'}\r\n"
                f"Message-Account: sip:voicemail@{domain}\r\n"
                f"Voice-Message: {new}/{old} (0/0)\r\n")
        request = (f"NOTIFY sip:{user}@{domain} SIP/2.0\r\n"
                   f"Via: SIP/2.0/UDP {self.ip}:{self.port};branch={branch};rport\r\n"
                   f"Max-Forwards: 70\r\n"
                   f"From: <sip:voicemail@{domain}>;tag=vm{self.cseq}{uuid.uuid4().hex[:6]}\r\n"
                   f"To: <sip:{user}@{domain}>\r\n"
                   f"Call-ID: {self.call_id}\r\n"
                   f"CSeq: {self.cseq} NOTIFY\r\n"
                   f"Contact: <sip:voicemail@{self.ip}:{self.port}>\r\n"
                   f"Event: message-summary\r\n"
                   f"Subscription-State: active\r\n"
                   f"Content-Type: application/simple-message-summary\r\n"
                   f"Content-Length: {len(body.encode())}\r\n\r\n{body}")
        self.sent.append(request)
        deadline = time.monotonic() + timeout
        interval, next_send = 0.5, 0.0
        while True:
            now = time.monotonic()
            if now >= deadline:
                raise LabError(PART, f"no final answer to NOTIFY for {user} in {timeout} s "
                                     f"(registrar {domain}:{self.registrar[1]} down?)")
            if now >= next_send:
                self.sock.sendto(request.encode(), self.registrar)
                next_send = now + interval
                interval = min(interval * 2, 4.0)
            self.sock.settimeout(max(0.01, min(next_send, deadline) - time.monotonic()))
            try:
                data, _ = self.sock.recvfrom(65535)
            except socket.timeout:
                continue
            except OSError as exc:
                raise LabError(PART, f"cannot receive the answer to NOTIFY: {exc}") from exc
            text = data.decode(errors="replace")
            first = text.split("\r\n", 1)[0]
            if not first.startswith("SIP/2.0 ") or branch not in text:
                continue   # a stray datagram, or the answer to an earlier NOTIFY
            code = int(first.split()[1])
            if code >= 200:
                return code, first.split(" ", 2)[2] if first.count(" ") >= 2 else ""

    def close(self) -> None:
        self.sock.close()
