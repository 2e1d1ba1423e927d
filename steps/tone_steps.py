"""Steps for the signal tones of §4.2.4 beyond dial, ring-back, busy, congestion and call waiting.

What the phone plays is heard through drivers/speaker.py (the reference phone's control API):
``signal_tones`` sounding now, and ``played_tones`` -- the one-shot tones (message prompt, auto
answer) with the time each started, so a tone of half a second is not missed between two looks.
The voice-mail server (drivers/voicemail_server.py) sends the NOTIFY message-summary a real
voice-mail system sends; the registrar routes it to the phone.
"""
from __future__ import annotations

from pytest_bdd import parsers, step

from drivers.errors import PhoneFailure
from drivers.speaker import ControlApiSpeaker
from drivers.voicemail_server import VoicemailServer
from drivers.wait import WaitTimeout, expect, wait_until

PHONE = r"(?:phone )?(?P<name>[A-B])"
TONE_KINDS = {"second dial": "second_dial", "dial recall": "dial_recall", "special information": "special_info",
              "voicemail prompt": "voicemail_prompt", "message prompt": "message_prompt",
              "auto answer": "auto_answer", "voicemail call back": "voicemail_callback"}
KIND = r"(?P<tone>second dial|dial recall|special information|voicemail prompt|message prompt|auto answer|voicemail call back)"


def _speaker(bench, name) -> ControlApiSpeaker:
    return ControlApiSpeaker(bench.dut(name).web.base_url, name)


def _heard(bench, name, kind: str, since: float) -> list[str]:
    """Definitions of ``kind`` sounding now or (one-shots) started since ``since``."""
    sounds = _speaker(bench, name).sounds()
    now = [t["definition"] for t in sounds["signal_tones"] if t["type"] == kind]
    once = [t["definition"] for t in sounds.get("played_tones", []) if t["type"] == kind and t["at"] >= since]
    return now + once


@step(parsers.re(rf'{PHONE} plays the {KIND} tone "(?P<definition>[^"]+)"'))
def plays_tone(bench, name, tone, definition):
    kind = TONE_KINDS[tone]
    since = bench.context.get(f"listen_{name}", 0.0)
    expect(lambda: definition in _heard(bench, name, kind, since), 8,
           lambda: f"{name} plays the {tone} tone as {_heard(bench, name, kind, since) or 'nothing'}, "
                   f"expected {definition!r}")


@step(parsers.re(rf"{PHONE} plays no {KIND} tone for (?P<secs>[\d.]+) s"))
def plays_no_tone(bench, name, tone, secs):
    kind = TONE_KINDS[tone]
    since = bench.context.get(f"listen_{name}", 0.0)   # played_tones is emptied at every boot
    try:
        wait_until(lambda: _heard(bench, name, kind, since) or None, float(secs), 0.05, what=f"a {tone} tone")
    except WaitTimeout:
        return
    raise PhoneFailure(f"{name} plays the {tone} tone {_heard(bench, name, kind, since)} although none should sound")


# --- the voice-mail server -------------------------------------------------------------------------
def _voicemail(bench) -> VoicemailServer:
    r = bench.lab.registrar
    return bench.tool("voicemail_server",
                      lambda: VoicemailServer(str(bench.lab.peers.host_ip), str(r.ip), int(r.port)))


@step(parsers.re(rf"the voice mail server notifies {PHONE} that (?P<what>a voice message|no voice message) is waiting"))
def voicemail_notify(bench, name, what):
    dut = bench.dut(name)
    code, reason = _voicemail(bench).notify(dut.account.user, waiting=what == "a voice message")
    if code != 200:
        raise PhoneFailure(f"{name} answered the NOTIFY message-summary with {code} {reason}, expected 200")


# --- the wire ----------------------------------------------------------------------------------------
@step(parsers.re(rf"the INVITE of {PHONE} was answered with (?P<code>\d{{3}})"))
def invite_answered_with(bench, name, code):
    from steps.wire_steps import capture_of
    ip = bench.dut(name).ip
    capture_of(bench).wait_for_sip(lambda m: m.status == int(code) and m.cseq_method == "INVITE" and m.dst[0] == ip,
                                   timeout=5, what=f"a {code} answer to the INVITE of {name}")
