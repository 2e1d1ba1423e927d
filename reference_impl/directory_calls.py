"""What the local directory changes about calls (manual §4.2.2, §4.3.1, §4.3.2, §4.4).

* A call from a number on the blacklist is refused at once, before DND,
  forward or call waiting are even considered, and never rings (REQ-BL-02).
* A call from a contact shows the contact's name and rings with the contact's
  ringtone; a contact without its own ringtone rings with the phone's
  (REQ-RING-04).
* A call to a contact (the Call soft key) leaves from the contact's account
  when it has one (REQ-CONT-28), and its history record carries the name.

Decisions the manual leaves open (interpretations, also in the features):

* The SIP answer to a blacklisted caller is ``603 Decline``, sent without a
  ``180 Ringing`` first.  603 says "this callee does not want the call" -- it
  stays apart from 486 Busy Here, which the phone sends for a user's Reject
  key and for DND, so the two can be told apart on the wire.
* A blocked call is *not* kept in the call history and does not light the
  missed-call icon.  The manual's history has three lists only (dialled,
  received, missed) and presents the blacklist as "rejected by the phone
  automatically": the user never had the call, so there is nothing to miss
  or call back.  (A DND refusal, by contrast, is kept as missed: REQ-DND-08.)
* A contact's name wins over the display name in the caller's From header.

Pure functions (``ringtone_name``, ``lcd_problem``) are tested in
tests/test_directory_calls.py.
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from .contacts import Contact, DirectoryError

if TYPE_CHECKING:
    from .phone import CallSession, Phone
    from .sip_engine import PhoneCall

log = logging.getLogger(__name__)

BLACKLIST_REJECT_CODE = 603   # Decline (see the module's docstring)


def ringtone_name(contact_ringtone: int | str | None, config: dict) -> str:
    """The ringtone a call rings with: the contact's own, else the phone's (§4.2.2).

    ``contact_ringtone`` is a contact's stored value (0 = the phone's ringtone,
    1-10 = "Ring N", or the name of an uploaded ringtone) or None (no contact).
    The phone's "Custom" choice names the uploaded file when there is one.
    """
    if isinstance(contact_ringtone, int) and not isinstance(contact_ringtone, bool) and contact_ringtone > 0:
        return f"Ring {contact_ringtone}"
    if isinstance(contact_ringtone, str) and contact_ringtone not in ("", "0"):
        return contact_ringtone
    phone_ring = str(config.get("sounds.ringtone", "Ring 1"))
    if phone_ring == "Custom" and config.get("sounds.custom_ringtone"):
        return str(config["sounds.custom_ringtone"])
    return phone_ring


# LCD lines are short: a refusal of the directory becomes the few words a user sees.
_LCD_PROBLEMS = (
    ("directory is full", "Contacts full"),
    ("groups (the default group included)", "Groups full"),
    ("blacklist: it is full", "Blacklist full"),
    ("already on the blacklist", "Already blacklisted"),
    ("a contact named", "Name already used"),
    ("a group named", "Name already used"),
    ("reserved for the blacklist", "Name reserved"),
    ("at least one number", "Number required"),
    ("needs a number", "Number required"),
    ("must not be empty", "Name required"),
    ("can only hold English", "English only"),
    ("default group cannot be renamed", "Default group locked"),
    ("default group cannot be deleted", "Default group locked"),
    ("characters; at most", "Too long"),
    ("contains", "Invalid character"),
)


def lcd_problem(error: DirectoryError | str) -> str:
    """The short LCD message for a refused change (e.g. "Contacts full")."""
    text = str(error)
    for needle, short in _LCD_PROBLEMS:
        if needle in text:
            return short
    return text[:20]


def contact_for(phone: "Phone", number: str) -> Contact | None:
    try:
        return phone.directory.find_by_number(number)
    except DirectoryError:
        return None


def refuse_blacklisted(phone: "Phone", call: "PhoneCall", number: str, remote_uri: str) -> bool:
    """Refuse a call from the blacklist with 603 and no 180; True if it was refused."""
    if not (phone.directory.is_blacklisted(remote_uri) or phone.directory.is_blacklisted(number)):
        return False
    phone.engine.reject(call, BLACKLIST_REJECT_CODE)
    log.info("call from %s refused: the number is on the blacklist", number)
    return True


def identify(phone: "Phone", session: "CallSession") -> None:
    """An incoming call from a contact: the contact's name and ringtone."""
    contact = contact_for(phone, session.number)
    if contact is not None:
        session.name = contact.name
    session.ringtone = ringtone_name(contact.ringtone if contact else None, phone.config)


def name_for(phone: "Phone", number: str) -> str:
    """The contact name of a number being dialled ("" if no contact has it)."""
    contact = contact_for(phone, number)
    return contact.name if contact else ""


def ringer_status(phone: "Phone") -> dict:
    """What the ringer does now (the phone's status): ringing or not, and with which ringtone."""
    ringing = next((s for s in [phone.session, *phone.others]
                    if s is not None and s.direction == "in" and s.answered_at is None
                    and s.state != "DISCONNECTED" and not s.waiting), None)
    if ringing is None:
        return {"ringing": False, "ringtone": "", "caller": ""}
    return {"ringing": True, "ringtone": ringing.ringtone or ringtone_name(None, phone.config),
            "caller": ringing.number, "name": ringing.name}
