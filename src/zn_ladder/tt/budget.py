"""The client-side request budget of a TT app key's usage plan (TT_API.md, "Rate limits").

TT counts every request, retries included, against a per-second and a per-day limit and answers 429
above them. We count the same way (every HTTP attempt goes through `acquire`, see `transport.py`),
wait out the per-second window instead of earning a 429, refuse to start a request once the day's
allowance is spent, and expose the numbers so the status bar can warn before the limit is hit.

The day is TT's UTC day. The count lives in memory and is saved in the store between processes
(`saved`/`carry_over`); on a desk database it is shared by every process of the desk (`take_spent`
hands over what this process spent since it last did, `share` takes back the desk's total).
"""

from __future__ import annotations

import collections
import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from zn_ladder.domain.errors import ConfigError
from zn_ladder.tt.errors import TTBudgetError

log = logging.getLogger(__name__)

#: Share of a limit at which the status bar should warn.
NEAR_LIMIT = 0.8
#: The per-second window is measured a little wider than a second: our clock and TT's disagree by
#: a few milliseconds, and a request that lands on the edge of TT's window earns a 429.
WINDOW_SECONDS = 1.05


@dataclass(frozen=True, slots=True)
class Plan:
    name: str
    per_second: float
    per_day: int


PLANS: dict[str, Plan] = {
    "free": Plan("free", 3, 10_000),
    "low": Plan("low", 5, 15_000),
    "medium": Plan("medium", 10, 30_000),
    "high": Plan("high", 25, 75_000),
}


def get_plan(name: str | Plan) -> Plan:
    if isinstance(name, Plan):
        return name
    key = (name or "").strip().lower()
    try:
        return PLANS[key]
    except KeyError:
        raise ConfigError(f"unknown TT usage plan {name!r}: expected one of {', '.join(PLANS)}") from None


@dataclass(frozen=True, slots=True)
class BudgetUsage:
    """A snapshot for the status bar and the doctor."""

    plan: str
    per_second: float
    per_day: int
    used_today: int
    in_last_second: int
    day: str

    @property
    def remaining_today(self) -> int:
        return max(0, self.per_day - self.used_today)

    @property
    def fraction_today(self) -> float:
        return self.used_today / self.per_day if self.per_day else 1.0

    @property
    def near_limit(self) -> bool:
        return self.fraction_today >= NEAR_LIMIT

    @property
    def exhausted(self) -> bool:
        return self.used_today >= self.per_day

    def text(self) -> str:
        """E.g. "TT 1,234/15,000 today (8%)", with a warning when near the limit."""
        base = f"TT {self.used_today:,}/{self.per_day:,} today ({self.fraction_today:.0%}, {self.plan} plan)"
        if self.exhausted:
            return base + " - daily limit reached"
        if self.near_limit:
            return base + " - near the daily limit"
        return base


class RequestBudget:
    """Thread-safe counter of HTTP attempts against a plan; several workers share one."""

    def __init__(self, plan: str | Plan = "low", *, wall_clock: Callable[[], float] = time.time,
                 monotonic: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep, restore: BudgetUsage | None = None) -> None:
        """`restore`: a usage saved by an earlier process; counted on if it is from today (UTC), so a
        restart does not hand the app a fresh day's allowance that TT would not."""
        self.plan = get_plan(plan)
        self._wall = wall_clock
        self._mono = monotonic
        self._sleep = sleep
        self._lock = threading.Lock()
        self._recent: collections.deque[float] = collections.deque()
        self._day = self._day_key()
        self._used = restore.used_today if restore is not None and restore.day == self._day else 0
        self._total = 0
        #: Of `_used`, what is already counted in a shared (desk-wide) total.
        self._shared = 0

    def _day_key(self) -> str:
        return dt.datetime.fromtimestamp(self._wall(), dt.timezone.utc).date().isoformat()

    def _roll_day(self) -> None:
        day = self._day_key()
        if day != self._day:
            log.info("TT request budget: new day %s (used %d on %s)", day, self._used, self._day)
            self._day, self._used, self._shared = day, 0, 0

    def _trim(self, now: float) -> None:
        while self._recent and now - self._recent[0] >= WINDOW_SECONDS:
            self._recent.popleft()

    def acquire(self, what: str = "request") -> None:
        """Count one HTTP attempt, first waiting until it fits in the per-second window.

        Raises `TTBudgetError` (and counts nothing) when the day's allowance is spent.
        """
        per_second = max(1, int(self.plan.per_second))
        while True:
            with self._lock:
                self._roll_day()
                if self._used >= self.plan.per_day:
                    raise TTBudgetError(
                        f"the TT request budget for today is spent ({self._used:,} of {self.plan.per_day:,} on the "
                        f"{self.plan.name} plan); {what} not sent. It resets at 00:00 UTC; a larger usage plan "
                        "or slower polling intervals avoid this")
                now = self._mono()
                self._trim(now)
                if len(self._recent) < per_second:
                    self._recent.append(now)
                    self._used += 1
                    self._total += 1
                    return
                wait = self._recent[0] + WINDOW_SECONDS - now
            self._sleep(max(wait, 0.001))

    def fits(self, requests: int = 1) -> bool:
        """Whether `requests` more attempts fit in what is left of today's allowance."""
        with self._lock:
            self._roll_day()
            return self._used + requests <= self.plan.per_day

    def ahead_of_pace(self, slack: float = 0.05) -> bool:
        """True when more of today's allowance is spent than of the UTC day has passed (plus `slack`):
        a poller can stretch its interval until it is back on pace."""
        with self._lock:
            self._roll_day()
            elapsed = (self._wall() % 86_400) / 86_400
            return self._used / self.plan.per_day > elapsed + slack

    @property
    def total(self) -> int:
        """Attempts counted since this budget was created (all days)."""
        return self._total

    def carry_over(self, saved: Any) -> None:
        """Count on what earlier processes spent today (`saved()` as the store kept it): a restart
        loop must not hand the app a fresh day's allowance that TT would not. Another day's is ignored."""
        if not isinstance(saved, dict):
            return
        day, used = saved.get("day"), saved.get("used")
        if not isinstance(used, int) or isinstance(used, bool) or not 0 < used <= 10 * self.plan.per_day:
            return
        with self._lock:
            self._roll_day()
            if day == self._day:
                self._used += used

    def take_spent(self) -> tuple[str, int]:
        """(today, requests counted here since the last `take_spent` or `share`): what this process adds
        to the desk's shared count. Taken once: a second call returns 0 until more is spent."""
        with self._lock:
            self._roll_day()
            spent = self._used - self._shared
            self._shared = self._used
            return self._day, spent

    def share(self, day: str, desk_used: int) -> None:
        """Count on from the desk's total for `day` (every process's requests, this one's included):
        the allowance left is the desk's, not this process's. Another day's total is ignored."""
        with self._lock:
            self._roll_day()
            if day == self._day and desk_used >= 0:
                unshared = self._used - self._shared  # spent since `take_spent`: the next share's
                self._shared = desk_used
                self._used = desk_used + unshared

    def saved(self) -> dict[str, Any]:
        """Today's count as the store keeps it between processes (`carry_over` reads it back)."""
        with self._lock:
            self._roll_day()
            return {"day": self._day, "used": self._used}

    def usage(self) -> BudgetUsage:
        with self._lock:
            self._roll_day()
            self._trim(self._mono())
            return BudgetUsage(self.plan.name, self.plan.per_second, self.plan.per_day, self._used,
                               len(self._recent), self._day)


def budget_source(env: str, base_url: str) -> str:
    """Where the store keeps the day's request count of one TT environment and address."""
    return f"tt_budget:{env}:{base_url}"
