import threading

import pytest

from zn_ladder.domain.errors import ConfigError
from zn_ladder.tt.budget import PLANS, WINDOW_SECONDS, Plan, RequestBudget, get_plan
from zn_ladder.tt.errors import TTBudgetError


class FakeClock:
    def __init__(self, wall: float = 1_790_000_000.0) -> None:
        self.wall = wall
        self.mono = 100.0
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.mono += seconds
        self.wall += seconds


def make(plan, clock):
    return RequestBudget(plan, wall_clock=lambda: clock.wall, monotonic=lambda: clock.mono, sleep=clock.sleep)


def test_plans_match_tt_usage_plans():
    assert {n: (p.per_second, p.per_day) for n, p in PLANS.items()} == {
        "free": (3, 10_000), "low": (5, 15_000), "medium": (10, 30_000), "high": (25, 75_000)}
    assert get_plan("LOW") is PLANS["low"]
    with pytest.raises(ConfigError, match="usage plan"):
        get_plan("gold")


def test_per_second_limit_waits_instead_of_exceeding():
    clock = FakeClock()
    budget = make("free", clock)
    stamps = []
    for _ in range(10):
        budget.acquire()
        stamps.append(clock.mono)
    # never more than 3 attempts in any window of WINDOW_SECONDS
    for i in range(len(stamps) - 3):
        assert stamps[i + 3] - stamps[i] >= WINDOW_SECONDS - 1e-9
    assert clock.slept, "the budget must have waited"
    assert budget.usage().used_today == 10


def test_daily_limit_refuses_and_counts_nothing_more():
    clock = FakeClock()
    budget = make(Plan("tiny", 100, 5), clock)
    for _ in range(5):
        budget.acquire()
    assert not budget.fits(1)
    with pytest.raises(TTBudgetError, match="5 of 5"):
        budget.acquire("GET /ttledger/fills")
    usage = budget.usage()
    assert usage.used_today == 5 and usage.exhausted and usage.remaining_today == 0
    assert "daily limit reached" in usage.text()


def test_day_rolls_over_at_utc_midnight():
    clock = FakeClock(wall=1_790_000_000.0)
    budget = make(Plan("tiny", 100, 3), clock)
    for _ in range(3):
        budget.acquire()
    day = budget.usage().day
    clock.wall += 86_400
    assert budget.fits(3)
    budget.acquire()
    usage = budget.usage()
    assert usage.day != day and usage.used_today == 1
    assert budget.total == 4


def test_usage_reports_near_limit_for_the_status_bar():
    clock = FakeClock()
    budget = make(Plan("p", 1000, 10), clock)
    for _ in range(7):
        budget.acquire()
    assert not budget.usage().near_limit
    budget.acquire()
    usage = budget.usage()
    assert usage.near_limit and usage.fraction_today == pytest.approx(0.8)
    assert "near the daily limit" in usage.text()
    assert budget.fits(2) and not budget.fits(3)


def test_concurrent_acquires_are_counted_exactly():
    budget = RequestBudget(Plan("big", 100_000, 1_000_000))
    threads = [threading.Thread(target=lambda: [budget.acquire() for _ in range(200)]) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert budget.usage().used_today == 1600


def test_usage_saved_today_is_restored_and_yesterdays_is_not():
    clock = FakeClock(wall=1_790_000_000.0)
    first = make(Plan("p", 100, 1000), clock)
    for _ in range(7):
        first.acquire()
    saved = first.usage()
    again = RequestBudget(Plan("p", 100, 1000), wall_clock=lambda: clock.wall, restore=saved)
    assert again.usage().used_today == 7
    clock.wall += 86_400
    tomorrow = RequestBudget(Plan("p", 100, 1000), wall_clock=lambda: clock.wall, restore=saved)
    assert tomorrow.usage().used_today == 0


def test_ahead_of_pace_compares_spend_with_the_share_of_the_day_gone():
    clock = FakeClock(wall=1_789_992_000.0)  # 12:00 UTC
    assert clock.wall % 86_400 == 43_200
    budget = make(Plan("p", 1000, 100), clock)
    for _ in range(50):
        budget.acquire()
    assert not budget.ahead_of_pace()
    for _ in range(10):
        budget.acquire()
    assert budget.ahead_of_pace()


def test_carry_over_counts_on_what_earlier_processes_saved_today_only():
    clock = FakeClock(wall=1_790_000_000.0)
    first = make(Plan("p", 100, 1000), clock)
    for _ in range(5):
        first.acquire()
    saved = first.saved()
    again = make(Plan("p", 100, 1000), clock)
    again.acquire()  # a request before the store was read
    again.carry_over(saved)
    assert again.usage().used_today == 6 and again.saved() == {"day": saved["day"], "used": 6}
    for junk in (None, {"day": saved["day"], "used": "7"}, {"day": saved["day"], "used": True},
                 {"day": saved["day"], "used": -3}, {"day": "1999-01-01", "used": 9}, []):
        again.carry_over(junk)
    assert again.usage().used_today == 6


def test_a_shared_count_takes_each_request_once_and_counts_on_from_the_desks_total():
    """Two processes of one desk: each hands over only what it spent since it last did, and after
    sharing each counts on from the desk's total (a dict stands in for the database row)."""
    clock = FakeClock(wall=1_790_000_000.0)
    desk: dict[str, int] = {}

    def sync(budget):
        day, spent = budget.take_spent()
        desk[day] = desk.get(day, 0) + spent  # what the database's upsert does
        budget.share(day, desk[day])

    a, b = make(Plan("p", 100, 1000), clock), make(Plan("p", 100, 1000), clock)
    for _ in range(3):
        a.acquire()
    sync(a)
    for _ in range(4):
        b.acquire()
    sync(b)
    day = a.usage().day
    assert desk == {day: 7}  # 3 + 4, none counted twice
    assert b.usage().used_today == 7
    assert a.take_spent() == (day, 0)  # nothing new since the last hand-over
    a.acquire()
    day_a, spent = a.take_spent()
    b.acquire()  # b spends while a's hand-over is on its way: b still counts it, and hands it over next
    desk[day_a] += spent
    a.share(day_a, desk[day_a])
    assert a.usage().used_today == 8
    sync(b)
    assert desk[day] == 9 and b.usage().used_today == 9
    a.share("1999-01-01", 5000)  # another day's total is not today's
    assert a.usage().used_today == 8


def test_a_request_spent_between_hand_over_and_share_is_handed_over_next_time():
    clock = FakeClock(wall=1_790_000_000.0)
    budget = make(Plan("p", 100, 1000), clock)
    budget.acquire()
    day, spent = budget.take_spent()
    budget.acquire()
    budget.acquire()
    budget.share(day, 10)  # the desk's total, with this process's first request in it
    assert budget.usage().used_today == 12
    assert budget.take_spent() == (day, 2)
