"""The default polling schedule per usage plan, and what it costs against the plan's daily budget.

TT counts every request against the app key's plan; a trading day has ~82,800 s (CME Globex trades 23
hours), so on the Low plan everything together may average one request every 5.5 s. New fills must
be on screen within ~6 s of TT having them, which alone takes one fills poll every <= 5.9 s: on Low
that is most of the day's allowance, so orders and positions are polled slowly there and the
headroom is kept for token refreshes, reference-data lookups, paging and retries. Larger plans poll
everything faster. The numbers are checked by `bench/bench_tt_schedule.py` and by the unit tests.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from zn_ladder.tt.budget import PLANS, Plan, get_plan

#: CME Globex trades 23 of 24 hours.
TRADING_SECONDS = 82_800
#: Requests a day set aside beyond the polls: tokens (1/hour), reference data, extra pages, retries.
RESERVE_PER_DAY = 200


@dataclass(frozen=True, slots=True)
class Schedule:
    """Seconds between polls of each TT source."""

    fills_s: float
    orders_s: float
    positions_s: float

    def requests_per_day(self, trading_seconds: int = TRADING_SECONDS, reserve: int = RESERVE_PER_DAY) -> int:
        polls = sum(math.ceil(trading_seconds / s) for s in (self.fills_s, self.orders_s, self.positions_s))
        return polls + reserve

    def requests_per_hour(self) -> float:
        return sum(3600 / s for s in (self.fills_s, self.orders_s, self.positions_s))

    @property
    def worst_fill_delay_s(self) -> float:
        """Longest wait between TT having a fill and the next poll asking for it (network time aside)."""
        return self.fills_s

    def check(self, plan: str | Plan) -> ScheduleCheck:
        p = get_plan(plan)
        per_day = self.requests_per_day()
        fastest = 1 / self.fills_s + 1 / self.orders_s + 1 / self.positions_s
        return ScheduleCheck(p.name, per_day, p.per_day, per_day <= p.per_day and fastest <= p.per_second)


@dataclass(frozen=True, slots=True)
class ScheduleCheck:
    plan: str
    requests_per_day: int
    budget_per_day: int
    fits: bool

    @property
    def fraction(self) -> float:
        return self.requests_per_day / self.budget_per_day

    def text(self) -> str:
        verdict = "fits" if self.fits else "EXCEEDS"
        return (f"{self.requests_per_day:,} requests/day of {self.budget_per_day:,} on the {self.plan} plan "
                f"({self.fraction:.0%}): {verdict}")


DEFAULT_SCHEDULES: dict[str, Schedule] = {
    # UAT only, for testing: fills every 10 s.
    "free": Schedule(fills_s=10.0, orders_s=120.0, positions_s=600.0),
    "low": Schedule(fills_s=5.9, orders_s=180.0, positions_s=900.0),
    "medium": Schedule(fills_s=4.0, orders_s=15.0, positions_s=60.0),
    "high": Schedule(fills_s=2.0, orders_s=5.0, positions_s=30.0),
}


def default_schedule(plan: str | Plan) -> Schedule:
    name = get_plan(plan).name
    return DEFAULT_SCHEDULES.get(name, DEFAULT_SCHEDULES["low"])


def fits_plan(schedule: Schedule, plan: str | Plan) -> bool:
    return schedule.check(plan).fits


__all__ = ["DEFAULT_SCHEDULES", "PLANS", "Schedule", "ScheduleCheck", "default_schedule", "fits_plan"]
