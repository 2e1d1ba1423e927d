"""The local three-way conference (manual §5.14): the phone mixes two calls itself.

The host talks to two members; pjsua2's conference bridge carries each
member's audio to the other and the host's microphone to both (sip_engine's
``bridge``).  Nothing is signalled to the members beyond holds and BYEs: for
them it is an ordinary call.

How the phone gets there:

* Options -> Conference on a call: that call goes on hold and a dialing
  screen opens.  Typing a number and Send calls the third party (the consult
  call); once it answers, the "Conf" soft key joins the two.
* If another call is already on hold (e.g. on the other account), the dialing
  screen lists it; choosing it and Send joins the two calls at once.

Choices the manual leaves open: at most two members (three parties in all,
REQ-CONF-15); a member who hangs up or is removed leaves the other as a plain
call with the host; muting the host mutes the microphone towards both.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .phone import CallSession, Phone


class LocalConference:
    MAX_MEMBERS = 2

    def __init__(self, phone: "Phone", first: "CallSession", second: "CallSession"):
        self.phone = phone
        self.members: list["CallSession"] = [first, second]
        self.held = False
        self.muted = False

    # --- forming and dissolving -------------------------------------------------------
    def join(self) -> None:
        p = self.phone
        for m in self.members:
            if m in p.others:
                p.others.remove(m)
            if m.held:
                m.held = False
                p.engine.unhold(m.call)
        p.engine.bridge(self.members[0].call, self.members[1].call, True)
        p.session = self.members[0]

    def _part(self) -> None:
        if len(self.members) == 2:
            self.phone.engine.bridge(self.members[0].call, self.members[1].call, False)

    def split(self) -> None:
        """Split (REQ-CONF-07): two separate calls, the second one on hold; up/down swaps."""
        p = self.phone
        self._part()
        first, second = self.members
        p.conference = None
        p.session = first
        p.engine.hold(second.call)
        second.held = True
        p.others.insert(0, second)

    def member_left(self, s: "CallSession") -> None:
        """A member hung up or was removed: the other stays as a plain call with the host."""
        p = self.phone
        self._part()
        self.members.remove(s)
        p.conference = None
        rest = self.members[0]
        if self.held:
            rest.held = True
            if rest not in p.others:
                p.others.insert(0, rest)
            p.session = None
        else:
            p.session = rest
        p.engine.set_muted(rest.call, False)
        rest.muted = False
        from .conference_screens import drop_conference_screens
        drop_conference_screens(p.ui)

    # --- while it runs ---------------------------------------------------------------
    def hold(self) -> None:
        """Hold (REQ-CONF-08): both members are put on hold."""
        if not self.held:
            self.held = True
            for m in self.members:
                self.phone.engine.hold(m.call)

    def resume(self) -> None:
        if self.held:
            self.held = False
            for m in self.members:
                m.held = False
                self.phone.engine.unhold(m.call)   # the bridge comes back with the media

    def hold_member(self, s: "CallSession") -> None:
        """Manage -> Hold (REQ-CONF-11): only this member is held; the host keeps the other."""
        if not s.held:
            s.held = True
            self.phone.engine.hold(s.call)

    def resume_member(self, s: "CallSession") -> None:
        if s.held:
            s.held = False
            self.phone.engine.unhold(s.call)

    def remove(self, s: "CallSession") -> None:
        """Manage -> Delete (REQ-CONF-10): BYE to that member only."""
        self.phone.engine.hangup(s.call)

    def toggle_mute(self) -> None:
        """Mute (REQ-CONF-13): the members stop hearing the host, not each other."""
        self.muted = not self.muted
        for m in self.members:
            m.muted = self.muted
            self.phone.engine.set_muted(m.call, self.muted)

    def hang_up(self) -> None:
        """Hang up (REQ-CONF-14): BYE to both."""
        for m in list(self.members):
            self.phone.engine.hangup(m.call)
