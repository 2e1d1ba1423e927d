"""A paging source on the bench: multicast RTP from the bench's own address, like a PA console.

It lets a scenario send two pages at once (priority take-over) or page a
phone that is not itself paging.  It runs the same sender as the reference
phone (reference_impl.paging.PagingSender: its own 20 ms clock thread), and
like every sender it pins the outgoing interface to its address, so its
packets stay on loopback.
"""
from __future__ import annotations

from reference_impl.paging import PagingError, PagingSender, parse_group

from .errors import LabError


class BenchPager:
    def __init__(self, ip: str):
        self.ip = ip
        self.senders: dict[str, PagingSender] = {}

    def page(self, address: str, tone_hz: int = 500) -> None:
        self.stop(address)
        try:
            group, port = parse_group(address)
            sender = PagingSender(self.ip, group, port, tone_hz=tone_hz)
        except (PagingError, OSError) as exc:
            raise LabError("bench pager", f"cannot page {address} from {self.ip}: {exc}") from exc
        sender.start()
        self.senders[address] = sender

    def stop(self, address: str) -> None:
        sender = self.senders.pop(address, None)
        if sender is not None:
            sender.stop()

    def close(self) -> None:
        for address in list(self.senders):
            self.stop(address)
