"""Multicast paging engine (§6.1): the play/ignore rules, G.711, and real multicast on loopback."""
from __future__ import annotations

import asyncio

import pytest

from reference_impl.paging import (ListenEntry, PagingError, PagingListener, PagingPolicy, PagingSender,
                                   decide, parse_group, ulaw_decode, ulaw_encode)

BARGE_1 = PagingPolicy(barge=1, dnd_penetration=None, priority_enabled=True)


@pytest.mark.parametrize("policy, in_call, dnd, current, new, play", [
    (BARGE_1, True, False, None, 1, True),            # REQ-PAGE-16: barge 1 lets priority 1 in
    (BARGE_1, True, False, None, 2, False),           # ... and nothing below
    (PagingPolicy(None, None, True), True, False, None, 1, False),   # REQ-PAGE-17: barge off
    (PagingPolicy(None, 3, True), False, True, None, 3, True),       # REQ-PAGE-19: DND penetration 3
    (PagingPolicy(None, 3, True), False, True, None, 4, False),      # REQ-PAGE-20
    (PagingPolicy(None, None, True), False, True, None, 1, False),   # penetration off
    (PagingPolicy(None, None, True), False, False, 5, 3, True),      # REQ-PAGE-21: 3 takes over 5
    (PagingPolicy(None, None, True), False, False, 5, 5, True),      # REQ-PAGE-22: equal takes over
    (PagingPolicy(None, None, True), False, False, 5, 7, False),     # lower is ignored
    (PagingPolicy(None, None, False), False, False, 5, 1, False),    # REQ-PAGE-23: priority off
    (PagingPolicy(None, None, False), False, False, None, 31, True), # idle: any page plays
])
def test_play_or_ignore(policy, in_call, dnd, current, new, play) -> None:
    verdict = decide(policy, in_call, dnd, current, new)
    assert verdict.play is play
    assert bool(verdict.reason) is not play


def test_group_addresses_are_checked() -> None:
    assert parse_group(" 224.5.6.20:10008 ") == ("224.5.6.20", 10008)
    for bad, why in (("192.168.1.1:10008", "not a multicast"), ("224.5.6.20", "IP:port"),
                     ("224.5.6.20:80", "1024-65535"), ("nonsense", "IP:port")):
        with pytest.raises(PagingError, match=why):
            parse_group(bad)


def test_ulaw_round_trip_is_close() -> None:
    for sample in (-32000, -1000, -1, 0, 1, 500, 8000, 32000):
        back = ulaw_decode(ulaw_encode(sample))
        assert abs(back - sample) <= max(8, abs(sample) // 16)
    assert ulaw_encode(0) == 0xFF   # G.711's silence byte


def test_a_page_is_heard_by_listeners_of_its_group_only() -> None:
    async def scenario():
        events: list[tuple[str, str, int]] = []
        idle = lambda: (PagingPolicy(None, None, True), False, False)  # noqa: E731

        def listener(ip, group):
            return PagingListener(ip, [ListenEntry(1, group, 25770, label=f"L{ip[-1]}")],
                                  on_start=lambda s: events.append(("start", ip, s.priority)),
                                  on_end=lambda s: events.append(("end", ip, s.priority)),
                                  on_ignore=lambda s: events.append(("ignore", ip, s.priority)),
                                  policy_of=idle)
        b, c = listener("127.0.61.2", "239.61.0.1"), listener("127.0.61.3", "239.61.0.1")
        other = listener("127.0.61.4", "239.61.0.2")
        for item in (b, c, other):
            await item.start()
        sender = PagingSender("127.0.61.1", "239.61.0.1", 25770, tone_hz=1000)
        try:
            sender.start()
            for _ in range(50):
                await asyncio.sleep(0.02)
                if b.current and c.current and b.current.packets > 10 and c.current.packets > 10:
                    break
            assert b.current is not None and c.current is not None and other.current is None
            assert b.current.level > 1000   # the tone, not silence
            sender.hold()
            for _ in range(60):
                await asyncio.sleep(0.02)
                if b.current is None and c.current is None:
                    break
            assert ("end", "127.0.61.2", 1) in events and ("end", "127.0.61.3", 1) in events
            assert not any(ip == "127.0.61.4" for _, ip, _ in events)
        finally:
            sender.stop()
            for item in (b, c, other):
                item.close()
    asyncio.run(scenario())


def test_more_than_31_listening_addresses_are_refused() -> None:
    entries = [ListenEntry(i, "239.61.1.1", 26000 + i) for i in range(1, 33)]
    with pytest.raises(PagingError, match="at most 31"):
        PagingListener("127.0.61.5", entries, print, print, print, lambda: None)
