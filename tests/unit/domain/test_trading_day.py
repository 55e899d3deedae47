"""The trading-day rule (issue 15 §2) against an independent computation.

The independent one (`_expected_day`) never shifts dates: it lists the weekdays around the moment, puts
each one's close on the UTC line with dateutil's own time-zone code (not zoneinfo: its tz files and
its rules for a skipped or doubled wall time, `resolve_imaginary` and fold=0), and picks the weekday
whose interval (previous weekday's close, own close] holds the moment.

2026 changes: America/Chicago springs forward on Sun 8 Mar (02:00 -> 03:00) and falls back on Sun 1 Nov
(02:00 -> 01:00); Europe/London on Sun 29 Mar and Sun 25 Oct at 01:00 UTC.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from dateutil import tz as dtz
from hypothesis import given, settings
from hypothesis import strategies as st

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.trading_day import (DEFAULT_RULE, TradingDayRule, day_bounds_ns, parse_day,
                                          parse_trading_day_rule, trading_day)

UTC = timezone.utc
NS = 10**9
ZONES = ("America/Chicago", "America/New_York", "Europe/London", "Asia/Tokyo", "Australia/Sydney", "UTC")
# 02:30 is skipped and 01:30 doubled on US change nights; 00:00 and 23:59 sit on the date line.
CLOSES = (time(16, 0), time(15, 0), time(2, 30), time(1, 30), time(0, 0), time(23, 59), time(17, 15))


def _close_utc(day: date, rule: TradingDayRule) -> datetime:
    wall = datetime.combine(day, rule.close).replace(tzinfo=dtz.gettz(rule.zone), fold=0)
    return dtz.resolve_imaginary(wall).astimezone(UTC)


def _expected_day(at: datetime, rule: TradingDayRule) -> date:
    """The weekday D with close(previous weekday) <= at < close(D), found by search."""
    first = at.date() - timedelta(days=6)
    weekdays = [first + timedelta(days=n) for n in range(14) if (first + timedelta(days=n)).weekday() < 5]
    closes = [_close_utc(d, rule) for d in weekdays]
    for previous_close, close, day in zip(closes, closes[1:], weekdays[1:]):
        if previous_close <= at < close:
            return day
    raise AssertionError(f"no weekday holds {at}")


def _ns(at: datetime) -> int:
    return int(at.timestamp()) * NS + at.microsecond * 1000


def _chi(*args: int, fold: int = 0) -> int:
    return _ns(datetime(*args, tzinfo=ZoneInfo("America/Chicago"), fold=fold))


rules = st.builds(TradingDayRule, st.sampled_from(CLOSES), st.sampled_from(ZONES))
moments = st.datetimes(min_value=datetime(2019, 1, 1), max_value=datetime(2031, 1, 1),
                       timezones=st.just(UTC))


@settings(max_examples=400, deadline=None)
@given(rule=rules, at=moments)
def test_any_moment_matches_the_independent_search(rule, at):
    assert trading_day(_ns(at), rule) == _expected_day(at, rule)


# Moments right around a close on and near every 2026 change night (and ordinary days): the boundary
# and the hour a change moves are where a wall-clock rule goes wrong.
_CHANGE_DAYS = [date(2026, 3, 6), date(2026, 3, 8), date(2026, 3, 9), date(2026, 3, 27), date(2026, 3, 29),
                date(2026, 3, 30), date(2026, 10, 23), date(2026, 10, 25), date(2026, 10, 26), date(2026, 10, 30),
                date(2026, 11, 1), date(2026, 11, 2), date(2026, 7, 15), date(2026, 12, 4)]


@settings(max_examples=400, deadline=None)
@given(rule=rules, day=st.sampled_from(_CHANGE_DAYS), seconds=st.integers(-3 * 3600, 3 * 3600))
def test_moments_around_the_close_on_change_days(rule, day, seconds):
    at = _close_utc(day, rule) + timedelta(seconds=seconds)
    assert trading_day(_ns(at), rule) == _expected_day(at, rule)


@settings(max_examples=200, deadline=None)
@given(rule=rules, day=st.dates(date(2019, 1, 1), date(2030, 12, 31)).filter(lambda d: d.weekday() < 5))
def test_bounds_hold_exactly_the_days_moments(rule, day):
    start, end = day_bounds_ns(day, rule)
    assert start == _ns(_close_utc(_previous_weekday(day), rule)) and end == _ns(_close_utc(day, rule))
    assert trading_day(start, rule) == day and trading_day(end - 1, rule) == day
    assert trading_day(start - 1, rule) == _previous_weekday(day) and trading_day(end, rule) != day


def _previous_weekday(day: date) -> date:
    day -= timedelta(days=1)
    return day if day.weekday() < 5 else _previous_weekday(day)


def test_the_16_00_chicago_boundary_in_summer_and_winter():
    # Tue 14 Jul 2026 (CDT, UTC-5) and Tue 15 Dec 2026 (CST, UTC-6).
    assert trading_day(_chi(2026, 7, 14, 15, 59, 59)) == date(2026, 7, 14)
    assert trading_day(_chi(2026, 7, 14, 16, 0)) == date(2026, 7, 15)
    assert trading_day(_chi(2026, 7, 14, 16, 0) - 1) == date(2026, 7, 14)  # one nanosecond before
    assert trading_day(_ns(datetime(2026, 7, 14, 21, 0, tzinfo=UTC))) == date(2026, 7, 15)
    assert trading_day(_ns(datetime(2026, 12, 15, 21, 30, tzinfo=UTC))) == date(2026, 12, 15)  # 15:30 CST
    assert trading_day(_ns(datetime(2026, 12, 15, 22, 0, tzinfo=UTC))) == date(2026, 12, 16)


def test_sunday_evening_and_friday_after_the_close_belong_to_monday():
    monday = date(2026, 12, 7)
    assert trading_day(_chi(2026, 12, 6, 17, 0)) == monday  # Globex opens Sunday 17:00
    assert trading_day(_chi(2026, 12, 4, 16, 0)) == monday  # Friday's close
    assert trading_day(_chi(2026, 12, 5, 12, 0)) == monday  # Saturday
    assert trading_day(_chi(2026, 12, 4, 15, 59)) == date(2026, 12, 4)
    assert day_bounds_ns(monday) == (_chi(2026, 12, 4, 16, 0), _chi(2026, 12, 7, 16, 0))


def test_change_nights_keep_the_close_on_the_wall_clock():
    # Sunday 8 Mar 2026 springs forward: Monday's day is 71 hours long, not 72; Tuesday's 24.
    start, end = day_bounds_ns(date(2026, 3, 9))
    assert (end - start) // (3600 * NS) == 71
    assert day_bounds_ns(date(2026, 3, 9))[1] == _ns(datetime(2026, 3, 9, 21, 0, tzinfo=UTC))  # 16:00 CDT
    assert day_bounds_ns(date(2026, 3, 6))[1] == _ns(datetime(2026, 3, 6, 22, 0, tzinfo=UTC))  # 16:00 CST
    # A close the change skips (02:30) falls an hour after it would have been on the old clock (03:30 CDT);
    # a close that happens twice (01:30 on 1 Nov) is the first one.
    skipped = TradingDayRule(time(2, 30), "America/Chicago")
    assert day_bounds_ns(date(2026, 3, 9), skipped)[0] == _ns(datetime(2026, 3, 6, 8, 30, tzinfo=UTC))
    assert skipped.close_ns(date(2026, 3, 8)) == _ns(datetime(2026, 3, 8, 8, 30, tzinfo=UTC))
    doubled = TradingDayRule(time(1, 30), "America/Chicago")
    assert doubled.close_ns(date(2026, 11, 2)) - doubled.close_ns(date(2026, 11, 1)) == 25 * 3600 * NS


def test_the_old_tools_15_00_local_rule():
    london = parse_trading_day_rule("15:00 Europe/London")
    at = _ns(datetime(2026, 7, 14, 14, 0, tzinfo=UTC))  # 15:00 BST
    assert trading_day(at - 1, london) == date(2026, 7, 14) and trading_day(at, london) == date(2026, 7, 15)
    assert DEFAULT_RULE == parse_trading_day_rule("16:00 America/Chicago") and str(DEFAULT_RULE) == "16:00 America/Chicago"


@pytest.mark.parametrize("text, words", [
    ("", "not in the form"), ("16:00", "not in the form"), ("4pm America/Chicago", "not in the form"),
    ("24:00 America/Chicago", "24:00 is not a time of day"), ("16:60 UTC", "16:60 is not a time of day"),
    ("16:00 America/Chikago", "unknown time zone 'America/Chikago'"), ("16:00 America", "unknown time zone"),
    ("16:00 ../etc/passwd", "unknown time zone"),
])
def test_bad_rule_text_names_what_is_wrong(text, words):
    with pytest.raises(InputError, match="trading day") as info:
        parse_trading_day_rule(text)
    assert words in str(info.value) and "16:00 America/Chicago" in str(info.value)


def test_parse_day():
    assert parse_day(" 2026-07-14 ") == date(2026, 7, 14)
    for bad in ("", "14/07/2026", "2026-02-30", "today"):
        with pytest.raises(InputError, match="YYYY-MM-DD"):
            parse_day(bad)
