"""The triggers and one-shot lengths of the §4.2.4 signal tones (reference_impl/signal_tones.py)."""
from __future__ import annotations

import pytest

from reference_impl.signal_tones import END_TITLES, once_seconds, parse_message_summary
from reference_impl.sounds import STANDARD_TONES


@pytest.mark.parametrize("definition, seconds", [
    ("450/200,0/200,450/200,0/2000", 0.6),    # trailing silence does not count
    ("450/500,0/60000", 0.5),
    ("450/10,0/10", 0.2),                      # at least 200 ms
    ("450", 1.0),                              # no end: 1 s
    ("0/100,450/300", 0.4),
])
def test_one_pass_of_a_cadence(definition, seconds):
    assert once_seconds(definition) == pytest.approx(seconds)


@pytest.mark.parametrize("status, title", [(500, "Network busy"), (502, "Network busy"), (503, "Network busy"),
                                           (504, "Network busy"), (410, "Not found"), (484, "Incomplete number")])
def test_end_screen_titles_of_the_new_final_answers(status, title):
    assert END_TITLES[status] == title


@pytest.mark.parametrize("body, waiting", [
    ("Messages-Waiting: yes\r\nVoice-Message: 2/8 (0/2)\r\n", True),
    ("messages-waiting:no\r\n", False),
    ("Message-Account: sip:vm@x\r\nMessages-Waiting:   YES  \r\n", True),
    ("Voice-Message: 2/8\r\n", None),
    ("", None),
])
def test_message_summary_bodies(body, waiting):
    assert parse_message_summary(body) is waiting


def test_every_country_has_the_one_shot_tones():
    for country, tones in STANDARD_TONES.items():
        assert once_seconds(tones["message_prompt"]) < 3, country
        assert once_seconds(tones["auto_answer"]) < 3, country
