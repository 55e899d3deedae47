"""The trading day a moment belongs to: the one rule every fill, P&L figure, book and chart uses.

A futures trading day is not a calendar day. CME's Globex day for Tuesday opens Monday evening and
closes Tuesday at 16:00 Chicago time, so a fill at 17:30 Chicago on Monday belongs to Tuesday. The old
desk scripts cut at 15:00 local time ("3 PM day n-1 to 3 PM day n"); the desk now sets the close and its
time zone (`TradingDayRule`, default 16:00 America/Chicago).

The rule: a moment belongs to the trading day that closes next. Its day is its wall-clock date in the
rule's zone, the next date when it is at or after that date's close, and Saturday and Sunday roll
forward to Monday: Sunday evening's session (and anything after Friday's close) belongs to Monday.
So trading day D (a weekday) runs from the close of the weekday before D (inclusive) to D's close
(exclusive), and every weekday is a trading day (holidays are days with no fills, not a rule).

The close is a wall-clock time, so it follows the zone across daylight-saving changes. A close that a
change skips (02:30 on the spring-forward night) falls at the instant it would have without the
change (03:30 on the new clock), and one that happens twice (01:30 on the fall-back night) is its
first occurrence, as `domain.schedule` treats the capture window's times. Every instant is compared in
UTC (datetimes sharing a zone compare by wall time in Python, which is wrong across a change).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from zn_ladder.domain.errors import InputError

__all__ = ["DEFAULT_RULE", "TradingDayRule", "day_bounds_ns", "day_end_ns", "day_start_ns",
           "parse_day", "parse_trading_day_rule", "previous_trading_day", "trading_day"]

_NS = 1_000_000_000
_FORM = re.compile(r"^\s*(\d{1,2}):(\d{2})\s+(\S+)\s*$")
EXAMPLE = "16:00 America/Chicago"
_SATURDAY = 5


@dataclass(frozen=True, slots=True)
class TradingDayRule:
    """Trading days close at `close` (wall clock) in `zone` (an IANA name)."""

    close: time = time(16, 0)
    zone: str = "America/Chicago"

    def __str__(self) -> str:
        return f"{self.close:%H:%M} {self.zone}"

    def close_ns(self, day: date) -> int:
        """The instant (ns since the epoch, UTC) of the close on calendar `day` in the zone."""
        local = datetime.combine(day, self.close, tzinfo=ZoneInfo(self.zone))
        return _ns(local.astimezone(timezone.utc))


#: CME's close: 16:00 Chicago time. The old tool's rule was `TradingDayRule(time(15, 0), <desk zone>)`.
DEFAULT_RULE = TradingDayRule()


def trading_day(time_ns: int, rule: TradingDayRule = DEFAULT_RULE) -> date:
    """The trading day of the moment `time_ns` (ns since the epoch, UTC): the day that closes next,
    weekends rolled to Monday."""
    utc = datetime.fromtimestamp(time_ns // _NS, tz=timezone.utc) + timedelta(microseconds=time_ns % _NS // 1000)
    day = utc.astimezone(ZoneInfo(rule.zone)).date()
    if time_ns >= rule.close_ns(day):
        day += timedelta(days=1)
    return _weekday_on_or_after(day)


def previous_trading_day(day: date) -> date:
    """The weekday before `day` (Friday for a Monday, and for a Saturday or Sunday)."""
    day -= timedelta(days=1)
    while day.weekday() >= _SATURDAY:
        day -= timedelta(days=1)
    return day


def day_start_ns(day: date, rule: TradingDayRule = DEFAULT_RULE) -> int:
    """The first instant of trading day `day` (inclusive): the previous weekday's close. For a Saturday
    or Sunday it is Friday's close, the start of the Monday those days roll into."""
    return rule.close_ns(previous_trading_day(day))


def day_end_ns(day: date, rule: TradingDayRule = DEFAULT_RULE) -> int:
    """The end of trading day `day` (exclusive): its own close (Monday's for a Saturday or Sunday)."""
    return rule.close_ns(_weekday_on_or_after(day))


def day_bounds_ns(day: date, rule: TradingDayRule = DEFAULT_RULE) -> tuple[int, int]:
    """[start, end) of trading day `day` in ns since the epoch: `trading_day(t) == day` exactly when
    start <= t < end (for a weekday `day`)."""
    return day_start_ns(day, rule), day_end_ns(day, rule)


def parse_trading_day_rule(text: str) -> TradingDayRule:
    """A rule from its text form ``HH:MM ZONE`` (e.g. ``16:00 America/Chicago``); `InputError` naming
    what is wrong."""
    m = _FORM.match(text or "")
    if not m:
        raise _bad(text, "not in the form HH:MM ZONE")
    hours, minutes, zone = m.groups()
    if int(hours) > 23 or int(minutes) > 59:
        raise _bad(text, f"{hours}:{minutes} is not a time of day")
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # a folder such as "America" is an OSError
        raise _bad(text, f"unknown time zone {zone!r}") from None
    return TradingDayRule(time(int(hours), int(minutes)), zone)


def parse_day(text: str) -> date:
    """A trading day from ``YYYY-MM-DD`` (a `--day` option); `InputError` when it is not one."""
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        raise InputError(f"day {text!r}: expected a date as YYYY-MM-DD, e.g. 2025-07-15") from None


def _weekday_on_or_after(day: date) -> date:
    while day.weekday() >= _SATURDAY:
        day += timedelta(days=1)
    return day


def _ns(at: datetime) -> int:
    """ns since the epoch of an aware datetime, exactly (no float on the way)."""
    delta = at - datetime(1970, 1, 1, tzinfo=timezone.utc)
    return (delta.days * 86_400 + delta.seconds) * _NS + delta.microseconds * 1000


def _bad(text: str, reason: str) -> InputError:
    return InputError(f"trading day {text!r}: {reason}; expected the session close and its time zone, "
                      f"e.g. {EXAMPLE!r}")
