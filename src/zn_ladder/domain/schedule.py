"""The capture window: when `zn-ladder monitor` polls TT, e.g. ``Sun-Fri 16:45-16:15 America/Chicago``.

The desk used to start and stop fill capture with `.bat` files at set times, skipping weekends
(issue 15 §6). A window opens at its start time on each listed day, in its own time zone, and closes at
its end time: the same day when the end is later, else the next day (16:45-16:15 runs overnight;
equal times mean a whole day). Times are wall-clock times in the zone, so the window keeps to the
exchange's clock across daylight-saving changes. A time a change skips (02:30 on the spring-forward
night) falls at the same instant as it would have without the change (03:30 on the new clock); a time
that happens twice (01:30 on the fall-back night) is its first occurrence.

Instants are compared in UTC: Python compares two datetimes with the same zone by their wall time,
which is wrong across a change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from zn_ladder.domain.errors import InputError

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")  # datetime.weekday() order
EXAMPLE = "Sun-Fri 16:45-16:15 America/Chicago"
_FULL_WEEK = frozenset(range(7))
_FORM = re.compile(r"^\s*(.+?)\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s+(\S+)\s*$")


@dataclass(frozen=True, slots=True)
class CaptureWindow:
    """Windows opening at `start` on each of `days` (0 = Monday) and closing at `end`, in `zone`."""

    days: frozenset[int]
    start: time
    end: time
    zone: str

    def __str__(self) -> str:
        return f"{_days_text(self.days)} {self.start:%H:%M}-{self.end:%H:%M} {self.zone}"

    def _occurrence(self, day: date) -> tuple[datetime, datetime]:
        """The window opening on local `day`, as UTC instants."""
        tz = ZoneInfo(self.zone)
        end_day = day if self.end > self.start else day + timedelta(days=1)
        opens = datetime.combine(day, self.start, tzinfo=tz).astimezone(timezone.utc)
        closes = datetime.combine(end_day, self.end, tzinfo=tz).astimezone(timezone.utc)
        return opens, closes

    def _occurrences(self, at: datetime, before: int, after: int) -> list[tuple[datetime, datetime]]:
        today = _utc(at).astimezone(ZoneInfo(self.zone)).date()
        days = (today + timedelta(days=n) for n in range(-before, after + 1))
        return [self._occurrence(d) for d in days if d.weekday() in self.days]

    def window_at(self, at: datetime) -> tuple[datetime, datetime] | None:
        """The (open, close) UTC instants of the window `at` falls in (open <= at < close), or None."""
        at = _utc(at)
        return next(((o, c) for o, c in self._occurrences(at, 2, 0) if o <= at < c), None)

    def is_open(self, at: datetime) -> bool:
        return self.window_at(at) is not None

    def next_open(self, at: datetime) -> datetime:
        """The first opening strictly after `at` (UTC)."""
        at = _utc(at)
        return min(o for o, _ in self._occurrences(at, 1, 8) if o > at)

    def close_after(self, at: datetime) -> datetime | None:
        """When capture stops, if the window is open at `at`: its close, or a later one when the next
        window opens as this one closes (or before). None when closed at `at`."""
        window = self.window_at(at)
        if window is None:
            return None
        close = window[1]
        for _ in range(8):  # a week of back-to-back windows at most
            following = self.window_at(close)
            if following is None:
                break
            close = following[1]
        return close


def _utc(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise ValueError("the capture window needs an aware datetime")
    return at.astimezone(timezone.utc)


def _bad(text: str, reason: str) -> InputError:
    return InputError(f"capture window {text!r}: {reason}; expected e.g. {EXAMPLE!r} "
                      f"(days, start-end as HH:MM, an IANA time zone)")


def _day(name: str, text: str) -> int:
    key = name.strip()[:3].title()
    full = {d.lower() for d in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")}
    if key in DAY_NAMES and (len(name.strip()) == 3 or name.strip().lower() in full):
        return DAY_NAMES.index(key)
    raise _bad(text, f"{name!r} is not a day (Mon, Tue, Wed, Thu, Fri, Sat, Sun)")


def _parse_days(spec: str, text: str) -> frozenset[int]:
    if spec.lower() in ("daily", "everyday"):
        return _FULL_WEEK
    days: set[int] = set()
    for item in spec.split(","):
        first, dash, last = item.partition("-")
        a = _day(first, text)
        b = _day(last, text) if dash else a
        days.update((a + n) % 7 for n in range((b - a) % 7 + 1))  # Fri-Mon wraps over the weekend
    return frozenset(days)


def _clock(hours: str, minutes: str, text: str) -> time:
    h, m = int(hours), int(minutes)
    if h > 23 or m > 59:
        raise _bad(text, f"{hours}:{minutes} is not a time of day")
    return time(h, m)


def parse_capture_window(text: str) -> CaptureWindow:
    """A window from its text form (days, HH:MM-HH:MM, zone); `InputError` naming what is wrong."""
    m = _FORM.match(text or "")
    if not m:
        raise _bad(text, "not in the form DAYS HH:MM-HH:MM ZONE")
    days_spec, h1, m1, h2, m2, zone = m.groups()
    days = _parse_days(days_spec, text)
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # a folder such as "America" is an OSError
        raise _bad(text, f"unknown time zone {zone!r}") from None
    return CaptureWindow(days, _clock(h1, m1, text), _clock(h2, m2, text), zone)


def _days_text(days: frozenset[int]) -> str:
    """Days as runs in week order, a run may wrap over the weekend: {Sun..Fri} -> Sun-Fri."""
    if days == _FULL_WEEK:
        return "Mon-Sun"
    first = next(d for d in range(7) if d in days and (d - 1) % 7 not in days)
    runs: list[str] = []
    d = first
    for _ in range(7):
        if d in days and (d - 1) % 7 not in days:
            end = d
            while (end + 1) % 7 in days:
                end = (end + 1) % 7
            runs.append(DAY_NAMES[d] if end == d else f"{DAY_NAMES[d]}-{DAY_NAMES[end]}")
        d = (d + 1) % 7
    return ",".join(runs)
