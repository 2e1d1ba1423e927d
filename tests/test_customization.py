"""Chapter 4 logic beside the clock: tone definitions, linked language, DST day rule, manual time input."""
from datetime import datetime

import pytest

from reference_impl.clock_screens import parse_manual
from reference_impl.custom_web import manual_time
from reference_impl.customization import linked, rule_problems
from reference_impl.schema import defaults, validate_all
from reference_impl.sounds import STANDARD_TONES, TONE_TYPES, main_frequency, tone_problem, tone_set
from reference_impl.timekeeping import clock_settings


def test_every_standard_set_has_the_12_tones_and_each_is_valid():
    assert len(TONE_TYPES) == 12
    for country, tones in STANDARD_TONES.items():
        assert set(tones) == {k for k, _ in TONE_TYPES}, country
        assert all(tone_problem(v) is None for v in tones.values()), country


@pytest.mark.parametrize("text, problem", [
    ("450", None), ("0/350,450/350", None), ("350+440/100,0/100", None), ("200/10", None), ("4000/60000", None),
    ("199", "frequency 199 Hz"), ("4001/100", "frequency 4001 Hz"), ("450+4001", "frequency 4001 Hz"),
    ("450/9", "duration 9 ms"), ("450/60001", "duration 60001 ms"), ("", "empty"), ("450,,0/10", "empty"),
    ("450/x", "is not freq/ms"), (",".join(["450/10"] * 9), "at most 8"),
])
def test_tone_definitions(text, problem):
    got = tone_problem(text)
    assert (got is None) if problem is None else (problem in got)


def test_custom_country_plays_the_custom_values_others_their_standard():
    config = {**defaults(), "tones.country": "Custom", "tones.dial": "300"}
    assert tone_set(config)["dial"] == "300"
    assert tone_set({**config, "tones.country": "Germany"})["dial"] == "425"
    assert main_frequency("0/100,350+440/100") == 350


def test_language_keys_follow_each_other():
    assert linked({"phone.language": "Chinese"}, {}) == {"language_setting.languages": 0}
    assert linked({"language_setting.languages": 1}, {}) == {"phone.language": "English"}
    assert linked({"phone.language": "Chinese", "language_setting.languages": 0}, {}) == {}


def test_dst_day_must_exist_in_its_month_only_for_manual_by_date():
    v = {**defaults(), "time.dst.mode": "Manual", "time.dst.rule": "By Date",
         "time.dst.start.month": 4, "time.dst.start.day": 31}
    assert any("is not a day of month 4" in m for _, m in rule_problems(v))
    assert not rule_problems({**v, "time.dst.start.day": 30})
    assert not rule_problems({**v, "time.dst.rule": "By Week"})
    assert not rule_problems({**v, "time.dst.start.month": 2, "time.dst.start.day": 29})
    assert validate_all({**v, "tones.busy": "5000"})   # reaches the schema's rule check


def test_clock_settings_from_the_configuration():
    c = {**defaults(), "time.dst.mode": "Manual", "time.dst.rule": "By Week", "time.zone": 480,
         "phone.time_format": "12", "time.date_format": 5}
    s = clock_settings(c, "zh")
    assert (s.utc_offset_minutes, s.dst_mode, s.dst_rule.mode, s.hour24, s.date_format, s.language) == \
        (480, "manual", "week", False, 5, "zh")
    assert clock_settings(defaults()).dst_mode == "off"


@pytest.mark.parametrize("date, clock, error", [
    ("20200407", "1000", None), ("20240229", "2359", None), ("20201301", "1000", "month 1..12"),
    ("20210229", "1000", "day 1..28"), ("20200407", "2400", "hour 0..23"), ("20200407", "1060", "minute 0..59"),
    ("2020040", "1000", "8 digits"), ("19991231", "1000", "year 2000..2099"),
])
def test_manual_time_typed_on_the_phone(date, clock, error):
    if error is None:
        assert isinstance(parse_manual(date, clock), datetime)
    else:
        with pytest.raises(ValueError, match=error):
            parse_manual(date, clock)


def test_manual_time_on_the_web_page():
    assert manual_time("2020-04-07", "10:00") == datetime(2020, 4, 7, 10, 0)
    for date, clock, error in (("2020-13-01", "10:00", "not a real date"), ("07.04.2020", "10:00", "YYYY-MM-DD"),
                               ("2020-04-07", "10h", "HH:MM"), ("1999-12-31", "23:59", "2000..2099")):
        with pytest.raises(ValueError, match=error):
            manual_time(date, clock)


def test_rendered_tones_hold_their_frequencies_and_silences():
    from drivers.audio_analysis import hears
    from reference_impl.sounds import SPEAKER_RATE, render
    us = render("350+440", 1.0)
    assert hears(us, SPEAKER_RATE, 350) and hears(us, SPEAKER_RATE, 440) and not hears(us, SPEAKER_RATE, 900)
    busy = render("450/350,0/350", 1.4)
    on, off = busy[: int(0.35 * SPEAKER_RATE)], busy[int(0.36 * SPEAKER_RATE): int(0.69 * SPEAKER_RATE)]
    assert abs(on.astype(float)).max() > 5000 and abs(off.astype(float)).max() == 0
    assert len(render("300", 0.5)) == SPEAKER_RATE // 2
