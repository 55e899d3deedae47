"""The capture window (issue 15 §6): parsing, overnight windows, weekends, and daylight-saving changes.

2026 changes: America/Chicago springs forward on Sun 8 Mar (02:00 -> 03:00) and falls back on Sun 1 Nov
(02:00 -> 01:00); Europe/London on Sun 29 Mar and Sun 25 Oct at 01:00 UTC.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.schedule import CaptureWindow, parse_capture_window

CHI = ZoneInfo("America/Chicago")
UTC = timezone.utc
DESK = parse_capture_window("Sun-Fri 16:45-16:15 America/Chicago")


def chi(y, mo, d, h, mi, fold=0):
    return datetime(y, mo, d, h, mi, tzinfo=CHI, fold=fold)


def test_parse_and_print_back():
    assert DESK.days == frozenset({6, 0, 1, 2, 3, 4}) and (DESK.start, DESK.end) == (time(16, 45), time(16, 15))
    assert str(DESK) == "Sun-Fri 16:45-16:15 America/Chicago"
    assert str(parse_capture_window(" mon , wed,Friday 8:00 - 17:30 Europe/London")) == \
        "Mon,Wed,Fri 08:00-17:30 Europe/London"
    assert str(parse_capture_window("Fri-Mon 00:00-00:00 UTC")) == "Fri-Mon 00:00-00:00 UTC"
    assert str(parse_capture_window("daily 09:00-10:00 Asia/Tokyo")) == "Mon-Sun 09:00-10:00 Asia/Tokyo"
    assert parse_capture_window(str(DESK)) == DESK


@pytest.mark.parametrize("text, words", [
    ("", "not in the form"),
    ("Sun-Fri 16:45 America/Chicago", "not in the form"),
    ("Sun-Fry 16:45-16:15 America/Chicago", "'Fry' is not a day"),
    ("Sun-Fri 24:00-16:15 America/Chicago", "24:00 is not a time of day"),
    ("Sun-Fri 16:45-16:75 America/Chicago", "16:75 is not a time of day"),
    ("Sun-Fri 16:45-16:15 America/Chikago", "unknown time zone 'America/Chikago'"),
    ("Sun-Fri 16:45-16:15 ../etc/passwd", "unknown time zone"),
    ("Sun-Fri 16:45-16:15 America", "unknown time zone 'America'"),
])
def test_bad_text_names_what_is_wrong(text, words):
    with pytest.raises(InputError, match="capture window") as info:
        parse_capture_window(text)
    assert words in str(info.value) and "Sun-Fri 16:45-16:15 America/Chicago" in str(info.value)


def test_the_desk_window_overnight_and_weekend():
    # Wed 2026-12-02: open until 16:15, closed until 16:45, then open overnight.
    assert DESK.is_open(chi(2026, 12, 2, 9, 0))
    assert DESK.is_open(chi(2026, 12, 2, 16, 14))
    assert not DESK.is_open(chi(2026, 12, 2, 16, 15))
    assert not DESK.is_open(chi(2026, 12, 2, 16, 44))
    assert DESK.is_open(chi(2026, 12, 2, 16, 45))
    assert DESK.next_open(chi(2026, 12, 2, 16, 20)) == chi(2026, 12, 2, 16, 45)
    assert DESK.close_after(chi(2026, 12, 2, 23, 0)) == chi(2026, 12, 3, 16, 15)
    # Friday 16:45 opens a window that runs to Saturday 16:15.
    assert DESK.is_open(chi(2026, 12, 5, 10, 0))
    # Saturday 16:45 is not a listed day: closed all Saturday evening until Sunday 16:45.
    assert not DESK.is_open(chi(2026, 12, 5, 20, 0))
    assert not DESK.is_open(chi(2026, 12, 6, 12, 0))
    assert DESK.next_open(chi(2026, 12, 5, 16, 15)) == chi(2026, 12, 6, 16, 45)
    assert DESK.close_after(chi(2026, 12, 5, 20, 0)) is None


def test_across_the_spring_forward_night():
    # Sat 7 Mar 16:45 CST -> Sun 8 Mar 16:15 CDT: 23.5 h on the wall clock, 23.5 - 1 = 22.5 h real.
    sat = parse_capture_window("Sat 16:45-16:15 America/Chicago")
    opens, closes = sat.window_at(chi(2026, 3, 8, 1, 0))
    assert (opens, closes) == (chi(2026, 3, 7, 16, 45).astimezone(UTC), chi(2026, 3, 8, 16, 15).astimezone(UTC))
    assert closes - opens == timedelta(hours=22, minutes=30)
    assert sat.is_open(chi(2026, 3, 8, 16, 14)) and not sat.is_open(chi(2026, 3, 8, 16, 15))


def test_across_the_fall_back_night():
    sat = parse_capture_window("Sat 16:45-16:15 America/Chicago")
    opens, closes = sat.window_at(chi(2026, 10, 31, 23, 0))  # 23.5 h on the clock, 24.5 h real
    assert closes - opens == timedelta(hours=24, minutes=30)
    assert sat.is_open(chi(2026, 11, 1, 1, 30, fold=1)) and not sat.is_open(chi(2026, 11, 1, 16, 15))


def test_a_skipped_time_opens_at_the_same_instant_an_hour_later_on_the_clock():
    w = parse_capture_window("Sun 02:30-05:00 America/Chicago")
    assert w.next_open(chi(2026, 3, 7, 12, 0)) == chi(2026, 3, 8, 3, 30)  # 08:30 UTC
    assert not w.is_open(chi(2026, 3, 8, 3, 29)) and w.is_open(chi(2026, 3, 8, 3, 30))


def test_a_repeated_time_is_its_first_occurrence():
    w = parse_capture_window("Sun 01:30-04:00 America/Chicago")
    first, second = chi(2026, 11, 1, 1, 30, fold=0), chi(2026, 11, 1, 1, 30, fold=1)
    assert w.next_open(chi(2026, 10, 31, 12, 0)) == first.astimezone(UTC)
    assert w.is_open(first) and w.is_open(second)  # open from the first 01:30 on


def test_back_to_back_windows_close_at_the_last():
    always = parse_capture_window("Mon-Sun 00:00-00:00 UTC")
    at = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
    assert always.is_open(at) and always.close_after(at) > at + timedelta(days=6)
    weekdays = parse_capture_window("Mon-Fri 00:00-00:00 UTC")  # Mon 00:00 to Sat 00:00
    assert weekdays.close_after(at) == datetime(2026, 12, 5, 0, 0, tzinfo=UTC)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="aware"):
        DESK.is_open(datetime(2026, 12, 2, 12, 0))


# --- hypothesis: the window in wall-clock terms, on instants crowding the 2026 changes ---------------

ZONES = ("America/Chicago", "America/New_York", "Europe/London", "Asia/Tokyo", "UTC")
CHANGES = [datetime(2026, 3, 8, 8, 0, tzinfo=UTC), datetime(2026, 11, 1, 7, 0, tzinfo=UTC),
           datetime(2026, 3, 29, 1, 0, tzinfo=UTC), datetime(2026, 10, 25, 1, 0, tzinfo=UTC)]
near_changes = st.builds(lambda c, s: c + timedelta(seconds=s), st.sampled_from(CHANGES),
                         st.integers(min_value=-3 * 86_400, max_value=3 * 86_400))
any_time = st.integers(min_value=0, max_value=366 * 86_400).map(
    lambda s: datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=s))
instants = st.one_of(near_changes, any_time)
clock = st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45]))
windows = st.builds(CaptureWindow, st.frozensets(st.integers(0, 6), min_size=1), clock, clock, st.sampled_from(ZONES))


def wall_open(w: CaptureWindow, at: datetime) -> bool:
    """The definition on the zone's wall clock: from start on a listed day to end (the next day if the
    end is not later)."""
    local = at.astimezone(ZoneInfo(w.zone))
    day, now = local.date(), local.time().replace(tzinfo=None, fold=0)
    overnight = w.end <= w.start
    if day.weekday() in w.days and now >= w.start and (overnight or now < w.end):
        return True
    return overnight and (day - timedelta(days=1)).weekday() in w.days and now < w.end


def skipped_or_repeated(t: time) -> bool:
    return time(0, 59) < t < time(3, 0)  # the hours these zones' changes touch


@settings(max_examples=600, deadline=None)
@given(w=windows, at=instants)
def test_open_exactly_when_the_wall_clock_says(w, at):
    assume(not skipped_or_repeated(w.start) and not skipped_or_repeated(w.end))
    assert w.is_open(at) == wall_open(w, at)


@settings(max_examples=300, deadline=None)
@given(w=windows, at=instants)
def test_next_open_and_close(w, at):
    assume(not skipped_or_repeated(w.start) and not skipped_or_repeated(w.end))
    nxt = w.next_open(at)
    assert at < nxt <= at + timedelta(days=8)
    assert w.window_at(nxt)[0] == nxt  # a window opens there
    close = w.close_after(at)
    if w.is_open(at):
        assert close > at and (not w.is_open(close) or close - at > timedelta(days=6))
        assert w.is_open(close - timedelta(seconds=1))
    else:
        assert close is None
        # closed from `at` until the next opening: no window starts in between
        for frac in (0.25, 0.5, 0.75):
            assert not w.is_open(at + (nxt - at) * frac)
