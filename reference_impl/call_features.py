"""What the phone does with a call before anyone touches a key (manual §5.5–§5.10).

DND, call forward, call waiting and auto answer are rules over the
configuration and the phone's state at the moment an INVITE arrives.  They are
kept here as plain functions of the configuration, so the decision can be read
(and tested) apart from pjsua2 and the screens; ``Phone`` owns the calls and
carries the decision out.

Choices the manual leaves open, made here:

* Order of the rules: authorised numbers bypass forwarding only; Always forward
  comes first (the call never reaches the phone), then DND, then the busy
  cases (busy forward, call waiting, or a plain refusal).
* DND answers **486 Busy Here** with no 180 before it: the Chinese manual says the
  caller is told "busy" (告知对方忙音), and 486 is what a caller's phone turns
  into a busy tone (603 would be "declined").  The call is logged as missed.
* Forwarding answers the INVITE with **302 Moved Temporarily** whose Contact is
  the target on the account's server: the manual's "转移到设置好的号码" is a
  redirect of the caller, who then calls the target itself (the phone keeps no
  media of a call it does not take).
* A busy phone with call waiting off answers 486.
* Feature codes (§5.6.2, §5.8): turning a setting on or off sends code + forward
  number (call waiting: the code alone) as an INVITE from the default account
  (account 1), so the server can follow.  Nothing is sent when the code is empty.
  Anonymous call and rejection (§5.11) are per account, so their codes go from
  that account.
* Anonymous call rejection (§5.11) answers **433 Anonymity Disallowed** (RFC 5079,
  made for exactly this) before DND or forwarding are looked at, and the call is
  not logged: it never rang.  A call is anonymous when its From user is
  "anonymous", its From host is "anonymous.invalid" (RFC 3323), or it carries
  ``Privacy: id`` / ``Privacy: user``.
* Local anonymous (§5.11) sends From ``"Anonymous" <sip:anonymous@anonymous.invalid>``
  with ``Privacy: id``; the account still authenticates with its own credentials.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

FORWARD_KINDS = ("always", "busy", "no_answer")


@dataclass(frozen=True)
class Decision:
    """What to do with an incoming INVITE."""

    action: str        # ring | forward | reject | waiting
    code: int = 0      # final status for reject
    target: str = ""   # number to forward to
    reason: str = ""   # dnd | always | busy | busy_no_waiting


def dnd_on(config: dict, account: int) -> bool:
    """Is DND active for this account?  Phone mode covers every account, Custom only the chosen ones."""
    if config["dnd.mode"] == "Phone":
        return bool(config["dnd.enable"])
    return bool(config.get(f"dnd.account{account}", False))


def dnd_icon(config: dict) -> bool:
    return any(dnd_on(config, n) for n in (1, 2))


def _forward_covers(config: dict, account: int) -> bool:
    if config["forward.mode"] == "Phone" or config["forward.account"] == "All":
        return True
    return config["forward.account"] == str(account)


def forward_enabled(config: dict, kind: str, account: int) -> bool:
    p = f"forward.{kind}."
    return bool(config[p + "enable"] and config[p + "number"]) and _forward_covers(config, account)


def authorised(config: dict, caller: str) -> bool:
    """Calls from an authorised number are never forwarded (the list is for every account)."""
    if not config["forward.authorised.enable"]:
        return False
    numbers = {n.strip() for n in str(config["forward.authorised.numbers"]).split(",") if n.strip()}
    return caller in numbers


def forward_target(config: dict, kind: str, account: int, caller: str) -> str:
    """The number a call of this kind is forwarded to, or "" when it is not forwarded."""
    if not forward_enabled(config, kind, account) or authorised(config, caller):
        return ""
    return str(config[f"forward.{kind}.number"])


def forward_icon(config: dict) -> bool:
    return any(forward_enabled(config, kind, n) for kind in FORWARD_KINDS for n in (1, 2))


def auto_answer_on(config: dict, account: int) -> bool:
    return bool(config.get(f"auto_answer.account{account}", False))


def auto_answer_icon(config: dict) -> bool:
    return any(auto_answer_on(config, n) for n in (1, 2))


ANONYMOUS_FROM = '"Anonymous" <sip:anonymous@anonymous.invalid>'
ANONYMOUS_HEADERS = {"Privacy": "id"}
_PRIVACY = re.compile(r"^privacy\s*:\s*(?P<value>.*)$", re.IGNORECASE | re.MULTILINE)


def anonymous_call_on(config: dict, account: int) -> bool:
    return bool(config.get(f"anonymous.{account}.call", False))


def anonymous_rejection_on(config: dict, account: int) -> bool:
    return bool(config.get(f"anonymous.{account}.rejection", False))


def is_anonymous(from_uri: str, invite_text: str = "") -> bool:
    """Does this INVITE hide the caller (RFC 3323 / 3325 conventions)?"""
    m = re.search(r"sips?:(?:(?P<user>[^@;>]*)@)?(?P<host>[^;>:]*)", from_uri)
    if m and ((m["user"] or "").lower() == "anonymous" or m["host"].lower() == "anonymous.invalid"):
        return True
    for found in _PRIVACY.finditer(invite_text):
        values = {v.strip().lower() for v in found["value"].split(";")}
        if values & {"id", "user"}:
            return True
    return False


def decide(config: dict, account: int, caller: str, busy: bool, anonymous: bool = False) -> Decision:
    """The rule for an incoming call to ``account`` from ``caller`` (see the module text for the order)."""
    if anonymous and anonymous_rejection_on(config, account):
        return Decision("reject", code=433, reason="anonymous")
    target = forward_target(config, "always", account, caller)
    if target:
        return Decision("forward", target=target, reason="always")
    if dnd_on(config, account):
        return Decision("reject", code=486, reason="dnd")
    if busy:
        target = forward_target(config, "busy", account, caller)
        if target:
            return Decision("forward", target=target, reason="busy")
        if config["call_waiting.enable"]:
            return Decision("waiting")
        return Decision("reject", code=486, reason="busy_no_waiting")
    return Decision("ring")


def _switched_code(old: dict, new: dict, flag: str, on_code: str, off_code: str) -> str:
    """The code to send when ``flag`` changed ("" when it did not, or no code is set)."""
    if bool(old[flag]) == bool(new[flag]):
        return ""
    return str(new[on_code] if new[flag] else new[off_code])


def feature_codes(old: dict, new: dict) -> list[tuple[int, str]]:
    """(account, number) to send to the server for settings that were just turned on or off."""
    out = []
    for kind in FORWARD_KINDS:
        p = f"forward.{kind}."
        code = _switched_code(old, new, p + "enable", p + "on_code", p + "off_code")
        if code:
            out.append((1, f"{code}{new[p + 'number']}"))
    code = _switched_code(old, new, "call_waiting.enable", "call_waiting.on_code", "call_waiting.off_code")
    if code:
        out.append((1, code))
    for n in (1, 2):
        for what in ("call", "rejection"):
            p = f"anonymous.{n}.{what}"
            code = _switched_code(old, new, p, p + "_on_code", p + "_off_code")
            if code:
                out.append((n, code))
    return out


def switched_events(old: dict, new: dict) -> list[str]:
    """Action URL events (§6.6.1) of settings just turned on or off: DND, the forwards, call waiting."""
    out = []
    if dnd_icon(old) != dnd_icon(new):
        out.append("dnd_on" if dnd_icon(new) else "dnd_off")
    for kind, event in (("always", "always_fwd"), ("busy", "busy_fwd"), ("no_answer", "no_answer_fwd")):
        flag = f"forward.{kind}.enable"
        if bool(old[flag]) != bool(new[flag]):
            out.append(f"{event}_{'on' if new[flag] else 'off'}")
    if bool(old["call_waiting.enable"]) != bool(new["call_waiting.enable"]):
        out.append("call_waiting_on" if new["call_waiting.enable"] else "call_waiting_off")
    return out
