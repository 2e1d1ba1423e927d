"""SIP as seen on the wire: decode captured messages, group them into transactions,
and check retransmission timing against RFC 3261's timers.

Nothing here touches the network: ``Capture`` (drivers/capture.py) hands bytes and
timestamps to ``parse_sip`` / ``split_stream``; tests can feed hand-written texts.

Why we decode SIP ourselves instead of using a SIP stack: the harness must judge the
phone's messages exactly as sent, including malformed ones, and must never "repair"
them the way a stack's parser would.  The parser is lenient (it returns what it can)
but keeps the raw bytes, so a check can always look at what was really sent.

The timing oracle follows PJSIP's own ``tsx_uac_test.c``: a client transaction over
UDP retransmits at T1, 2·T1, 4·T1 … (INVITE, Timer A, never capped) or at
min(2^n·T1, T2) (non-INVITE, Timer E), and gives up when Timer B / F (64·T1) fires.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from .errors import PhoneFailure

# RFC 3261 §7.3.3 and later RFCs' one-letter header names.
COMPACT_NAMES = {
    "v": "via", "f": "from", "t": "to", "i": "call-id", "m": "contact",
    "l": "content-length", "c": "content-type", "e": "content-encoding",
    "k": "supported", "s": "subject", "o": "event", "r": "refer-to",
    "b": "referred-by", "u": "allow-events", "x": "session-expires",
    "a": "accept-contact", "j": "reject-contact", "d": "request-disposition",
    "y": "identity", "n": "identity-info",
}

# Headers whose comma-separated values are separate list elements (RFC 3261 §7.3.1).
# Others (Date, WWW-Authenticate …) carry commas inside one value and are kept whole.
LIST_HEADERS = frozenset({"via", "contact", "route", "record-route", "path", "service-route"})

_TOKEN = r"[!%*._+`'~0-9A-Za-z-]+"
_REQUEST_LINE = re.compile(rf"^({_TOKEN}) (\S+) SIP/2\.0\s*$")
_STATUS_LINE = re.compile(r"^SIP/2\.0 (\d{3})(?: (.*))?$")
_HEADER_END = re.compile(rb"\r?\n\r?\n")
_CONTENT_LENGTH = re.compile(rb"^(?:content-length|l)[ \t]*:[ \t]*(\d+)", re.I | re.M)


@dataclass
class SipMessage:
    """One SIP request or response as captured.

    ``time`` is the capture's timestamp (epoch seconds) of the packet that carried the
    message's first byte.  ``contact`` is the URI of the first Contact ("*" for a
    wildcard).  ``headers`` maps long lower-case names to their values in order;
    list headers (Via, Contact, Route, Record-Route …) are split into one entry per
    element, other headers keep one entry per header line.
    """
    time: float
    src: tuple[str, int]
    dst: tuple[str, int]
    transport: str
    method: str | None
    status: int | None
    reason: str | None
    request_uri: str | None
    call_id: str | None
    cseq_num: int | None
    cseq_method: str | None
    branch: str | None
    from_uri: str | None
    from_tag: str | None
    from_display: str | None
    to_uri: str | None
    to_tag: str | None
    vias: list[str]
    contact: str | None
    headers: dict[str, list[str]]
    body: str
    raw: bytes = field(default=b"", repr=False)

    @property
    def is_request(self) -> bool:
        return self.method is not None

    def header(self, name: str) -> str | None:
        """First value of a header, by long or compact name, any case."""
        name = name.lower()
        values = self.headers.get(COMPACT_NAMES.get(name, name))
        return values[0] if values else None

    def first_line(self) -> str:
        """``INVITE sip:…`` for a request, ``200 OK`` for a response."""
        if self.is_request:
            return f"{self.method} {self.request_uri}"
        return f"{self.status} {self.reason or ''}".rstrip()

    def summary(self) -> str:
        """One line for logs and failure messages."""
        return (f"{self.time:.6f} {self.src[0]}:{self.src[1]} -> {self.dst[0]}:{self.dst[1]} "
                f"{self.transport} {self.first_line()} (CSeq {self.cseq_num} {self.cseq_method}, "
                f"Call-ID {self.call_id})")


def _split_outside_quotes(text: str, sep: str) -> list[str]:
    """Split on ``sep`` except inside "quoted strings" and <angle brackets>."""
    parts, current, quoted, angle, escaped = [], [], False, False, False
    for ch in text:
        if escaped:
            escaped = False
        elif quoted and ch == "\\":
            escaped = True
        elif ch == '"':
            quoted = not quoted
        elif not quoted and ch == "<":
            angle = True
        elif not quoted and ch == ">":
            angle = False
        elif ch == sep and not quoted and not angle:
            parts.append("".join(current))
            current = []
            continue
        current.append(ch)
    parts.append("".join(current))
    return [p.strip() for p in parts]


def _params(text: str) -> dict[str, str]:
    """``;a=1;lr;tag=x`` -> {"a": "1", "lr": "", "tag": "x"} (names lower-cased)."""
    result = {}
    for item in _split_outside_quotes(text, ";"):
        if not item:
            continue
        name, _, value = item.partition("=")
        result[name.strip().lower()] = value.strip().strip('"')
    return result


def parse_name_addr(value: str) -> tuple[str | None, str, dict[str, str]]:
    """Split a From/To/Contact value into (display name, URI, header parameters).

    ``"Alice" <sip:a@h;transport=udp>;tag=1`` -> ("Alice", "sip:a@h;transport=udp", {"tag": "1"}).
    Without angle brackets, everything after the first ';' is a header parameter
    (RFC 3261 §20.10), so ``sip:a@h;tag=1`` -> (None, "sip:a@h", {"tag": "1"}).
    """
    value = value.strip()
    display: str | None = None
    rest = value
    if value.startswith('"'):
        i, escaped = 1, False
        while i < len(value):
            if escaped:
                escaped = False
            elif value[i] == "\\":
                escaped = True
            elif value[i] == '"':
                break
            i += 1
        display = re.sub(r"\\(.)", r"\1", value[1:i])
        rest = value[i + 1:].strip()
    lt = rest.find("<")
    if lt >= 0:
        gt = rest.find(">", lt)
        gt = len(rest) if gt < 0 else gt
        if display is None and rest[:lt].strip():
            display = rest[:lt].strip()
        return display, rest[lt + 1:gt].strip(), _params(rest[gt + 1:])
    uri, _, params = rest.partition(";")
    return display, uri.strip(), _params(params)


def via_params(via: str) -> dict[str, str]:
    """Parameters of one Via value (``branch``, ``received``, ``rport`` …)."""
    _, _, params = via.partition(";")
    return _params(params)


def _parse_headers(block: str) -> dict[str, list[str]]:
    headers: dict[str, list[str]] = {}
    lines: list[str] = []
    for line in block.splitlines():
        if line[:1] in (" ", "\t") and lines:      # folded continuation line
            lines[-1] += " " + line.strip()
        elif line.strip():
            lines.append(line)
    for line in lines:
        name, sep, value = line.partition(":")
        if not sep:
            continue
        name = name.strip().lower()
        name = COMPACT_NAMES.get(name, name)
        value = value.strip()
        values = _split_outside_quotes(value, ",") if name in LIST_HEADERS else [value]
        headers.setdefault(name, []).extend(v for v in values if v)
    return headers


def parse_sip(payload: bytes, time: float = 0.0, src: tuple[str, int] = ("", 0),
              dst: tuple[str, int] = ("", 0), transport: str = "UDP") -> SipMessage | None:
    """Decode one SIP message; ``None`` when ``payload`` is not SIP (RTP, a CRLF
    keep-alive, HTTP …).  The body is cut at Content-Length when that is present."""
    data = payload.lstrip(b"\r\n")
    end = _HEADER_END.search(data)
    head_bytes = data[:end.start()] if end else data
    body_bytes = data[end.end():] if end else b""
    head = head_bytes.decode("utf-8", errors="replace")
    start_line, _, header_block = head.partition("\n")
    start_line = start_line.rstrip("\r")
    method = request_uri = reason = None
    status: int | None = None
    if m := _REQUEST_LINE.match(start_line):
        method, request_uri = m.group(1).upper(), m.group(2)
    elif m := _STATUS_LINE.match(start_line):
        status, reason = int(m.group(1)), (m.group(2) or "").strip()
    else:
        return None
    headers = _parse_headers(header_block)

    length = headers.get("content-length", [""])[0]
    if length.isdigit():
        body_bytes = body_bytes[:int(length)]
    cseq_num = cseq_method = None
    cseq = headers.get("cseq", [""])[0].split()
    if len(cseq) == 2 and cseq[0].isdigit():
        cseq_num, cseq_method = int(cseq[0]), cseq[1].upper()
    vias = headers.get("via", [])
    from_display, from_uri, from_params = (parse_name_addr(headers["from"][0])
                                           if "from" in headers else (None, None, {}))
    _, to_uri, to_params = (parse_name_addr(headers["to"][0])
                            if "to" in headers else (None, None, {}))
    contact = None
    if "contact" in headers:
        first = headers["contact"][0]
        contact = "*" if first == "*" else parse_name_addr(first)[1]
    return SipMessage(
        time=float(time), src=tuple(src), dst=tuple(dst), transport=transport.upper(),
        method=method, status=status, reason=reason, request_uri=request_uri,
        call_id=headers.get("call-id", [None])[0], cseq_num=cseq_num, cseq_method=cseq_method,
        branch=via_params(vias[0]).get("branch") if vias else None,
        from_uri=from_uri, from_tag=from_params.get("tag"), from_display=from_display,
        to_uri=to_uri, to_tag=to_params.get("tag"), vias=vias, contact=contact,
        headers=headers, body=body_bytes.decode("utf-8", errors="replace"), raw=bytes(payload))


def split_stream_with_rest(data: bytes) -> tuple[list[bytes], bytes]:
    """Cut a stream (TCP) into whole messages by their Content-Length (0 if absent,
    as RFC 3261 §18.3 requires it on streams).  Returns the messages and the bytes of
    an incomplete last message, to be completed by the next segment.  CRLF
    keep-alives between messages (RFC 5626) are skipped."""
    messages, pos = [], 0
    while True:
        while data[pos:pos + 2] == b"\r\n" or data[pos:pos + 1] == b"\n":
            pos += 2 if data[pos:pos + 2] == b"\r\n" else 1
        end = _HEADER_END.search(data, pos)
        if not end:
            return messages, data[pos:]
        m = _CONTENT_LENGTH.search(data, pos, end.start() + 2)
        stop = end.end() + (int(m.group(1)) if m else 0)
        if stop > len(data):
            return messages, data[pos:]
        messages.append(data[pos:stop])
        pos = stop


def split_stream(data: bytes) -> list[bytes]:
    """The complete SIP messages in ``data``; an incomplete trailing one is left out."""
    return split_stream_with_rest(data)[0]


def looks_like_sip_start(data: bytes) -> bool:
    """Does ``data`` begin (after keep-alive CRLFs) with a SIP request or status line?
    Used to find where a SIP stream starts when a capture joins it midway."""
    line = data.lstrip(b"\r\n").split(b"\n", 1)[0].rstrip(b"\r")
    try:
        text = line.decode("ascii")
    except UnicodeDecodeError:
        return False
    return bool(_REQUEST_LINE.match(text) or _STATUS_LINE.match(text))


# ---------------------------------------------------------------- transactions

@dataclass
class Transaction:
    """A client transaction as seen on the wire (RFC 3261 §17.1.3 matching: top Via
    branch + CSeq method).  ``sends`` holds every copy of the request in time order;
    ``local_timeout`` is the epoch time at which the sender reported giving up, when
    the caller knows it from elsewhere (a locally generated 408 never reaches the wire)."""
    key: tuple[str, str]
    request: SipMessage
    sends: list[SipMessage] = field(default_factory=list)
    responses: list[SipMessage] = field(default_factory=list)
    local_timeout: float | None = None

    @property
    def final_status(self) -> int | None:
        """Status of the first final (>= 200) response, or None."""
        finals = [r.status for r in self.responses if r.status and r.status >= 200]
        return finals[0] if finals else None

    @property
    def gave_up_after(self) -> float | None:
        """Seconds from the first send to the last send (or to ``local_timeout``),
        for a transaction that got no final response; None when it was answered."""
        if self.final_status is not None or not self.sends:
            return None
        end = self.local_timeout if self.local_timeout is not None else self.sends[-1].time
        return end - self.sends[0].time


def transaction_key(msg: SipMessage) -> tuple[str, str]:
    """(top Via branch, CSeq method); pre-RFC 3261 peers without a branch fall back
    to Call-ID and CSeq number, which is what RFC 2543 matching used."""
    branch = msg.branch or f"{msg.call_id}:{msg.cseq_num}"
    return branch, (msg.cseq_method or msg.method or "")


def group_transactions(msgs: list[SipMessage]) -> list[Transaction]:
    """Group messages into transactions, ordered by first send.  Responses whose
    request was not captured are dropped (there is nothing to time them against)."""
    by_key: dict[tuple[str, str], Transaction] = {}
    ordered = sorted(msgs, key=lambda m: m.time)
    for msg in ordered:
        if msg.is_request:
            key = transaction_key(msg)
            tx = by_key.setdefault(key, Transaction(key=key, request=msg))
            tx.sends.append(msg)
    for msg in ordered:
        if not msg.is_request and (tx := by_key.get(transaction_key(msg))):
            tx.responses.append(msg)
    return sorted(by_key.values(), key=lambda t: t.request.time)


# ---------------------------------------------------------------- timing

def expected_retransmit_intervals(method: str, t1: float, t2: float,
                                  timeout: float | None = None) -> list[float]:
    """Gaps between successive sends of a request over UDP until the transaction
    times out (``timeout``, default Timer B/F = 64·T1).

    INVITE (Timer A): T1, 2·T1, 4·T1 … never capped.  Other methods (Timer E):
    min(2^n·T1, T2).  A send is expected only while its time is strictly before the
    timeout: with T1 = 0.25 an INVITE goes out at 0, .25, .75 … 15.75 s and gives up
    at 16 s.  ACK is never retransmitted by a transaction, so it has no gaps.
    """
    if method.upper() == "ACK":
        return []
    limit = 64 * t1 if timeout is None else timeout
    invite = method.upper() == "INVITE"
    gaps: list[float] = []
    elapsed, interval = 0.0, t1
    while elapsed + interval < limit - 1e-9:
        gaps.append(interval)
        elapsed += interval
        interval = 2 * interval if invite else min(2 * interval, t2)
    return gaps


@dataclass
class TimingCheck:
    """A measured timing check with its oracle, kept whole for the report (measured
    value, expected value, tolerance), not just a verdict.  ``problems`` says why it
    failed in words (wrong count, sends after the answer, gaps out of tolerance)."""
    name: str
    measured: list[float]
    expected: list[float]
    tolerance: float
    ok: bool
    worst_error: float
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = [f"{self.name}: {'OK' if self.ok else 'FAIL'} "
                 f"(tolerance ±{self.tolerance * 1000:.1f} ms, worst error "
                 f"{self.worst_error * 1000:.1f} ms)",
                 f"{'n':>3}  {'expected s':>10}  {'measured s':>10}  {'error ms':>9}"]
        for i in range(max(len(self.measured), len(self.expected))):
            exp = self.expected[i] if i < len(self.expected) else None
            mea = self.measured[i] if i < len(self.measured) else None
            err = f"{(mea - exp) * 1000:+9.1f}" if exp is not None and mea is not None else (
                "  missing" if mea is None else "    extra")
            flag = "" if exp is None or mea is None or abs(mea - exp) <= self.tolerance else "  <--"
            lines.append(f"{i + 1:>3}  {_fmt(exp):>10}  {_fmt(mea):>10}  {err}{flag}")
        lines.extend(f"problem: {p}" for p in self.problems)
        return "\n".join(lines)

    def assert_ok(self) -> "TimingCheck":
        """Raise PhoneFailure carrying the whole table when the check failed."""
        if not self.ok:
            raise PhoneFailure(self.summary())
        return self


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.4f}"


def check_retransmissions(tx: Transaction, t1: float, t2: float, tolerance: float = 0.02,
                          max_sends: int | None = None) -> TimingCheck:
    """Compare the gaps between a UDP transaction's sends with RFC 3261's schedule.

    Which sends must exist depends on how the transaction ended:

    * answered (any response stops an INVITE's Timer A, a final one a non-INVITE's
      Timer E): only the gaps observed before the answer are compared, and a send
      later than the answer (+ tolerance) is a failure;
    * ``max_sends`` given (the caller watched only that many sends, to keep a test
      short): exactly the first ``max_sends`` sends are checked and must all be there;
    * otherwise the transaction is taken as given up, and it must have sent exactly
      as many copies as fit before Timer B/F: too many or too few is a failure.

    At least two gaps (three sends) are needed to say anything about timing.
    Over TCP there are no retransmissions to time: that raises ValueError.
    """
    request = tx.request
    if request.transport != "UDP":
        raise ValueError(f"retransmission timing applies to UDP, not {request.transport}")
    method = request.method or request.cseq_method or ""
    schedule = expected_retransmit_intervals(method, t1, t2)
    times = [s.time for s in tx.sends]
    problems: list[str] = []

    stop_at = _answer_time(tx, method)
    if max_sends is not None:
        if len(times) < max_sends:
            problems.append(f"too few sends: {len(times)} seen, {max_sends} awaited")
        times = times[:max_sends]
        expected = schedule[:max_sends - 1]
    elif stop_at is not None:
        late = [t for t in times if t > stop_at + tolerance]
        if late:
            problems.append(f"{len(late)} send(s) after the response at "
                            f"+{stop_at - times[0]:.3f} s")
        times = [t for t in times if t <= stop_at + tolerance]
        expected = schedule[:len(times) - 1]
    else:
        expected = schedule
        if len(times) < len(schedule) + 1:
            problems.append(f"too few sends before giving up: {len(times)}, "
                            f"expected {len(schedule) + 1} within {64 * t1:g} s")
    measured = [b - a for a, b in zip(times, times[1:])]
    if len(measured) > len(expected):
        problems.append(f"too many sends: {len(measured) + 1}, at most {len(expected) + 1} "
                        f"fit before Timer {'B' if method == 'INVITE' else 'F'}")
    if len(measured) < 2:
        problems.append(f"only {len(measured)} gap(s) observed; at least 2 are needed")
    errors = [abs(m - e) for m, e in zip(measured, expected)]
    worst = max(errors) if errors else math.inf
    bad = [i + 1 for i, err in enumerate(errors) if err > tolerance]
    if bad:
        problems.append(f"gap(s) {bad} outside ±{tolerance * 1000:.1f} ms")
    name = (f"{method} retransmissions {request.src[0]}:{request.src[1]} -> "
            f"{request.dst[0]}:{request.dst[1]} branch {tx.key[0]} (T1={t1:g} s, T2={t2:g} s)")
    return TimingCheck(name=name, measured=measured, expected=expected, tolerance=tolerance,
                       ok=not problems, worst_error=worst, problems=problems)


def _answer_time(tx: Transaction, method: str) -> float | None:
    """When retransmissions had to stop: any response for INVITE, a final one otherwise."""
    for r in tx.responses:
        if method == "INVITE" or (r.status or 0) >= 200:
            return r.time
    return None
