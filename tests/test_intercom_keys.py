"""Intercom call detection and the programmable-key settings of the reference phone, on their own."""
import pytest

from reference_impl import intercom, programmable_keys as keys
from reference_impl.call_features import Decision
from reference_impl.cfg_file import CfgError, parse_cfg
from reference_impl.schema import SCHEMA, ConfigRulesError, ConfigValueError, check_values, defaults


def invite(*headers: str) -> str:
    lines = ["INVITE sip:1001@127.0.4.1 SIP/2.0", "Via: SIP/2.0/UDP 127.0.4.50:5070;branch=z9hG4bK1",
             "From: <sip:2001@127.0.4.1>;tag=1", "To: <sip:1001@127.0.4.1>", "Call-ID: abc", "CSeq: 1 INVITE",
             *headers, "Content-Length: 0"]
    return "\r\n".join(lines) + "\r\n\r\n"


def config(**values):
    c = defaults()
    c.update({k.replace("__", "."): v for k, v in values.items()})
    return c


# --- which INVITE is an intercom call ------------------------------------------------------------
@pytest.mark.parametrize("header", [
    "Alert-Info: <http://127.0.0.1/x>;info=alert-autoanswer",
    "alert-info: <http://127.0.0.1/x> ; info = Alert-AutoAnswer",
    "Alert-Info: <http://127.0.0.1/ring>, <http://127.0.0.1/x>;info=intercom",
    'Alert-Info: <http://127.0.0.1/x>;info="auto-answer"',
    "Call-Info: <sip:127.0.0.1>;answer-after=0",
    "Call-Info: <sip:127.0.0.1>;Answer-After=3",
    "Answer-Mode: Auto",
    "Priv-Answer-Mode: auto;require",
])
def test_the_usual_markers_make_an_intercom_call(header):
    assert intercom.is_intercom(invite(header))


@pytest.mark.parametrize("header", [
    None,
    "Alert-Info: <http://127.0.0.1/bellcore-dr2>",
    "Alert-Info: <http://127.0.0.1/x>;info=ring2",
    "Call-Info: <http://127.0.0.1/photo.jpg>;purpose=icon",
    "Call-Info: <sip:127.0.0.1>;answer-after=soon",
    "Answer-Mode: Manual",
    "Subject: info=alert-autoanswer answer-after=0",
])
def test_other_invites_are_not_intercom_calls(header):
    assert not intercom.is_intercom(invite(*([header] if header else [])))


def test_a_marker_in_the_body_or_a_folded_header_is_read_right():
    body = invite("Content-Type: text/plain").replace("Content-Length: 0\r\n\r\n",
                                                       "Content-Length: 40\r\n\r\nAlert-Info: <x>;info=alert-autoanswer")
    assert not intercom.is_intercom(body)
    folded = invite("Call-Info: <sip:127.0.0.1>\r\n ;answer-after=0")
    assert intercom.intercom_marker(folded) == "Call-Info"


# --- what intercom does with the call-feature decision --------------------------------------------
def test_enabled_intercom_answers_a_call_that_would_ring():
    c = config()
    assert c["intercom.enable"] and not c["intercom.mute"] and not c["intercom.barge"]
    marked = invite("Answer-Mode: Auto")
    assert intercom.decide(c, marked, Decision("ring")) == (Decision("ring"), "answer")
    assert intercom.decide(c, invite(), Decision("ring")) == (Decision("ring"), "")
    assert intercom.decide(config(intercom__enable=False), marked, Decision("ring")) == (Decision("ring"), "")


def test_barge_answers_over_a_call_only_when_on():
    marked = invite("Answer-Mode: Auto")
    waiting, busy = Decision("waiting"), Decision("reject", code=486, reason="busy_no_waiting")
    assert intercom.decide(config(), marked, waiting) == (waiting, "")
    assert intercom.decide(config(), marked, busy) == (busy, "")
    barge = config(intercom__barge=True)
    assert intercom.decide(barge, marked, waiting) == (Decision("waiting"), "barge")
    assert intercom.decide(barge, marked, busy) == (Decision("waiting"), "barge")


def test_dnd_and_forward_still_win_over_intercom():
    marked = invite("Answer-Mode: Auto")
    dnd = Decision("reject", code=486, reason="dnd")
    forward = Decision("forward", target="2002", reason="always")
    for decision in (dnd, forward):
        assert intercom.decide(config(intercom__barge=True), marked, decision) == (decision, "")


def test_intercom_is_set_on_the_phone_the_web_and_by_cfg():
    for key in ("intercom.enable", "intercom.mute", "intercom.barge"):
        assert SCHEMA[key].where == frozenset({"phone", "web", "cfg"})
    assert parse_cfg("intercom.mute = yes\n", "t.cfg")["intercom.mute"] is True


# --- programmable keys ------------------------------------------------------------------------------
def test_factory_keys_are_history_and_menu_and_web_or_cfg_only():
    c = defaults()
    assert keys.softkeys(c) == ("History", "Menu")
    for n in (1, 2):
        for field in ("type", "value", "label"):
            assert SCHEMA[f"programmable_key.{n}.{field}"].where == frozenset({"web", "cfg"})


def test_label_is_the_type_name_unless_set():
    c = config(programmable_key__1__type="Voice Mail", programmable_key__2__type="None")
    assert keys.softkeys(c) == ("Voicemail", "")
    c["programmable_key.2.label"] = "Quiet"
    assert keys.softkeys(c) == ("Voicemail", "Quiet")


def test_label_limit_is_ten_characters():
    assert check_values({"programmable_key.1.label": "Call log 1"}) == {"programmable_key.1.label": "Call log 1"}
    with pytest.raises(ConfigValueError) as err:
        check_values({"programmable_key.1.label": "Call log 12"})
    assert "is too long (11 characters)" in str(err.value) and "up to 10 characters" in str(err.value)


def test_type_must_be_one_of_the_list():
    assert check_values({"programmable_key.2.type": "speed dial", "programmable_key.2.value": "2001"})[
        "programmable_key.2.type"] == "Speed Dial"
    with pytest.raises(ConfigValueError) as err:
        check_values({"programmable_key.2.type": "Hold"})
    assert "one of None, Speed Dial, DND" in str(err.value)


@pytest.mark.parametrize("value", ["", "20 01", "sip:2001@host", "x" * 33])
def test_speed_dial_needs_a_number_it_can_dial(value):
    with pytest.raises((ConfigRulesError, ConfigValueError)) as err:
        check_values({"programmable_key.1.type": "Speed Dial", "programmable_key.1.value": value})
    assert "programmable_key.1.value" in str(err.value)


@pytest.mark.parametrize("value", ["2001", "*97", "+4930123", "alice.b"])
def test_speed_dial_numbers_accepted(value):
    check_values({"programmable_key.1.type": "Speed Dial", "programmable_key.1.value": value})


def test_other_types_ignore_the_value_and_a_cfg_file_names_the_bad_line():
    check_values({"programmable_key.1.type": "DND", "programmable_key.1.value": ""})
    with pytest.raises(CfgError) as err:
        parse_cfg("programmable_key.1.type = DND\nprogrammable_key.1.label = far too long!\n", "k.cfg")
    assert "line 2" in str(err.value)


def test_the_camera_tells_a_programmed_idle_screen_by_its_clock():
    from types import SimpleNamespace as NS

    from drivers.handset import classify_screen

    def reading(title, left, right, *lines):
        return NS(title=NS(text=title), softkeys=(NS(text=left), NS(text=right)),
                  lines=[NS(text=line) for line in lines])
    assert classify_screen(reading("16:54", "Call C", "DND", "Tue,Dec 1", "Alice 1001")) == "standby"
    assert classify_screen(reading("4:54 PM", "", "Menu", "Tue,Dec 1")) == "standby"
    assert classify_screen(reading("Talking", "Options", "Hang Up", "1002")) == "talking"
    assert classify_screen(reading("Emergency", "Dial", "Back", "112")) == "emergency"
    assert classify_screen(reading("Telephone Directory", "", "Back", "Search: _[2aB]",
                                   "Enter name or number")) == "ldap"
