"""Steps of §6.1, multicast paging, checked on the wire (scapy) and on the listeners' screens.

Multicast traffic is captured on the bench interface with its own filter and
pcap (``multicast.pcap``); the streams are analysed by drivers.rtp_stream and
their summary kept as evidence.  Other interfaces of the machine are watched
too: a page must never leave loopback (DESIGN.md).
"""
from __future__ import annotations

import socket
import time

from pytest_bdd import parsers, step

from drivers.bench_pager import BenchPager
from drivers.capture import Capture
from drivers.errors import PhoneFailure
from drivers.rtp_stream import RtpExpectation, rtp_packets, rtp_streams
from drivers.wait import WaitTimeout, wait_until
from steps.phone_steps import open_menu_path, press_soft_key, select_item, select_line
from steps.wire_steps import capture_of

PHONE = r"(?:phone )?(?P<name>[A-B])"
ADDRESS = r'"(?P<address>[\d.]+:\d+)"'


def _mcast(bench) -> Capture:
    return bench.capture("mcast_capture", "the multicast traffic of the bench is captured")


@step("the multicast traffic of the bench is captured")
def capture_multicast(bench):
    bench.start_capture("mcast_capture", "udp and dst net 224.0.0.0/4", "multicast.pcap")


def _is_up(name: str) -> bool:
    """An interface that is administratively up (IFF_UP); a down one cannot carry anything."""
    try:
        return bool(int(open(f"/sys/class/net/{name}/flags").read(), 16) & 0x1)
    except (OSError, ValueError):
        return False


@step("the other network interfaces of the machine are watched for multicast")
def watch_other_interfaces(bench):
    others = [name for _, name in socket.if_nameindex()
              if name not in (bench.lab.capture.interface, "lo") and _is_up(name)]
    bench.context["leak_captures"] = [
        bench.start_capture(f"leak_capture_{name}", "udp and dst net 224.0.0.0/4", f"multicast-{name}.pcap", iface=name)
        for name in others]


@step("no paging packet appeared on any other interface")
def no_leak(bench):
    caps = bench.context["leak_captures"]
    leaked = {c.iface: len(c.packets()) for c in caps if c.packets()}
    names = ", ".join(c.iface for c in caps) or "none besides loopback"
    (bench.evidence_dir / "leak-check.txt").write_text(f"interfaces watched: {names}\nleaked: {leaked}\n")
    if leaked:
        raise PhoneFailure(f"paging packets left loopback: {leaked}")


@step(parsers.re(rf"the web UI of {PHONE} sets paging group (?P<n>\d+) to {ADDRESS} labelled \"(?P<label>[^\"]*)\""))
def set_paging_group(bench, name, n, address, label):
    dut = bench.dut(name)
    dut.web.login()
    dut.web.set_config({f"paging.list.{n}.address": address, f"paging.list.{n}.label": label})


@step(parsers.re(rf"{PHONE} listens to {ADDRESS} as address (?P<n>\d+)(?: labelled \"(?P<label>[^\"]*)\")?"))
def set_listening(bench, name, address, n, label):
    dut = bench.dut(name)
    dut.web.login()
    dut.web.set_config({f"paging.listen.{n}.address": address, f"paging.listen.{n}.label": label or ""})


@step(parsers.re(rf"{PHONE} pages group (?P<n>\d+) from the paging list"))
def page_from_list(bench, name, n):
    dut = bench.dut(name)
    if dut.screen.read().screen == "talking":   # during a call: Options > Paging
        press_soft_key(bench, name, "Options")
        select_item(bench, name, "Paging")
    else:
        open_menu_path(bench, name, "Features > Paging List")
    select_line(dut, f"{n}. ")
    bench.context["page_action_at"] = time.time()
    dut.press("OK")
    dut.screen.wait_for_screen("paging_out", timeout=5)


@step(parsers.re(rf"{PHONE} (?P<action>holds|resumes|ends) the page"))
def page_action(bench, name, action):
    dut = bench.dut(name)
    label = {"holds": "Hold", "resumes": "Resume", "ends": "End"}[action]
    state = dut.screen.wait_for(lambda s: label in s.softkeys, f'a "{label}" soft key')
    bench.context["page_action_at"] = time.time()
    dut.press("SOFT_LEFT" if state.softkeys[0] == label else "SOFT_RIGHT")


def _pager(bench) -> BenchPager:
    return bench.tool("bench_pager", lambda: BenchPager(str(bench.lab.peers.host_ip)))


@step(parsers.re(rf"the bench pages {ADDRESS}"))
def bench_pages(bench, address):
    _pager(bench).page(address)


@step(parsers.re(rf"the bench stops paging {ADDRESS}"))
def bench_stops(bench, address):
    _pager(bench).stop(address)


@step(parsers.re(rf'{PHONE} plays the page (?:labelled "(?P<label>[^"]*)"|of priority (?P<priority>\d+))'))
def plays_page(bench, name, label, priority):
    want = label if label is not None else f"Priority {priority}"
    bench.dut(name).screen.wait_for(lambda s: s.screen == "paging_in" and want in s.lines,
                                    f'the page "{want}" playing', timeout=5)


@step(parsers.re(rf"{PHONE} plays no page for (?P<secs>[\d.]+) s"))
def plays_no_page(bench, name, secs):
    dut = bench.dut(name)
    try:
        state = dut.screen.wait_for(lambda s: s.screen == "paging_in", "a page", timeout=float(secs))
    except PhoneFailure:
        return   # nothing played: what the scenario wants
    raise PhoneFailure(f"{name} played a page it should have ignored: {state.text()}")


@step(parsers.re(rf"{PHONE} stops playing the page"))
def stops_playing(bench, name):
    bench.dut(name).screen.wait_for(lambda s: s.screen != "paging_in", "the page gone", timeout=3)


def group_name(address: str) -> str:
    return address.replace(":", "-")


def _stream_to(bench, address: str, timeout: float = 5.0, min_packets: int = 25):
    group, port = address.split(":")

    def enough():
        streams = [s for s in rtp_streams(_mcast(bench).packets(), dst=group) if s.dst[1] == int(port)]
        return streams if streams and len(streams[-1].packets) >= min_packets else None
    try:
        return wait_until(enough, timeout, 0.05, what=f"RTP to {address}")
    except WaitTimeout:
        raise PhoneFailure(f"no RTP stream of {min_packets}+ packets to {address} on the wire") from None


@step(parsers.re(rf"an RTP stream goes to {ADDRESS}: G.711 µ-law, 20 ms packets, TTL 1"))
def stream_as_manual(bench, address):
    stream = _stream_to(bench, address, min_packets=50)[-1]
    problems = stream.problems(RtpExpectation(ttl=1))
    with (bench.evidence_dir / "rtp-streams.txt").open("a") as f:
        f.write(stream.summary() + "\n" + "".join(f"  problem: {p}\n" for p in problems))
    from drivers.timing_plot import plot_rtp_spacing
    plot_rtp_spacing(bench.evidence_dir / f"rtp-spacing-{group_name(address)}.png",
                     f"RTP to {address}: gap between packets", stream.intervals())
    if problems:
        raise PhoneFailure(f"the paging stream to {address} is not as the manual says:\n  " + "\n  ".join(problems))


@step(parsers.re(rf"the RTP stream to {ADDRESS} comes from {PHONE}"))
def stream_from(bench, address, name):
    stream = _stream_to(bench, address)[-1]
    if stream.src[0] != bench.dut(name).ip:
        raise PhoneFailure(f"the stream to {address} comes from {stream.src[0]}, not {name} ({bench.dut(name).ip})")


@step(parsers.re(rf"the RTP stream to {ADDRESS} stops within (?P<ms>\d+) ms"))
def stream_stops(bench, address, ms):
    group, port = address.split(":")
    action = bench.context["page_action_at"]
    cap = _mcast(bench)

    def quiet():
        pkts = [p for p in rtp_packets(cap.packets()) if p.dst == (group, int(port))]
        return pkts if pkts and time.time() - pkts[-1].time > 0.3 else None
    pkts = wait_until(quiet, 5, 0.05, what=f"the stream to {address} quiet")
    late = pkts[-1].time - action
    if late > int(ms) / 1000:
        raise PhoneFailure(f"the stream to {address} went on {late * 1000:.0f} ms after the key, "
                           f"expected at most {ms} ms")


@step(parsers.re(rf"the RTP stream to {ADDRESS} starts again with the marker bit"))
def stream_restarts(bench, address):
    group, port = address.split(":")
    action = bench.context["page_action_at"]
    cap = _mcast(bench)

    def resumed():
        pkts = [p for p in rtp_packets(cap.packets()) if p.dst == (group, int(port)) and p.time > action]
        return pkts if len(pkts) >= 5 else None
    pkts = wait_until(resumed, 5, 0.05, what=f"the stream to {address} again")
    if not pkts[0].marker:
        raise PhoneFailure(f"the resumed stream to {address} has no marker bit on its first packet")


@step(parsers.re(rf"{PHONE} sends no RTP"))
def sends_no_rtp(bench, name):
    ip = bench.dut(name).ip
    sent = [p for p in rtp_packets(_mcast(bench).packets() + capture_of(bench).packets()) if p.src[0] == ip]
    if sent:
        raise PhoneFailure(f"{name} sent RTP: {len(sent)} packets to {sent[0].dst}")


@step(parsers.re(rf"{PHONE} sent no SIP while paging"))
def no_sip_while_paging(bench, name):
    ip = bench.dut(name).ip
    since = bench.context["page_action_at"]
    sent = [m for m in capture_of(bench).sip_messages() if m.src[0] == ip and m.time >= since
            and m.method != "REGISTER"]
    if sent:
        raise PhoneFailure(f"{name} sent SIP while paging: {sent[0].summary()}")


@step(parsers.re(rf"{PHONE} plays no page of priority (?P<priority>\d+) for (?P<secs>[\d.]+) s"))
def plays_no_page_of(bench, name, priority, secs):
    dut = bench.dut(name)
    want = f"Priority {priority}"
    try:
        state = dut.screen.wait_for(lambda s: s.screen == "paging_in" and want in s.lines, want,
                                    timeout=float(secs))
    except PhoneFailure:
        return
    raise PhoneFailure(f"{name} took the priority-{priority} page it should have ignored: {state.text()}")


@step(parsers.re(rf"the call history of {PHONE} is empty"))
def history_empty(bench, name):
    dut = bench.dut(name)
    dut.web.login()
    records = dut.web.history()
    if records:
        raise PhoneFailure(f"{name}'s call history holds {records}")
