import pytest

from zn_ladder.tt.budget import PLANS
from zn_ladder.tt.schedule import DEFAULT_SCHEDULES, TRADING_SECONDS, Schedule, default_schedule


@pytest.mark.parametrize("plan", list(PLANS))
def test_each_plans_default_schedule_fits_its_daily_and_per_second_budget(plan):
    check = default_schedule(plan).check(plan)
    assert check.fits, check.text()
    assert check.requests_per_day <= PLANS[plan].per_day


def test_live_plans_show_new_fills_within_six_seconds():
    for plan in ("low", "medium", "high"):
        assert DEFAULT_SCHEDULES[plan].worst_fill_delay_s <= 6.0


def test_request_arithmetic():
    s = Schedule(fills_s=6.0, orders_s=60.0, positions_s=600.0)
    assert s.requests_per_day(reserve=0) == TRADING_SECONDS // 6 + TRADING_SECONDS // 60 + TRADING_SECONDS // 600
    assert s.requests_per_hour() == pytest.approx(600 + 60 + 6)
    assert not s.check("low").fits  # 15,180 + reserve > 15,000
    assert "EXCEEDS" in s.check("low").text()
    assert s.check("medium").fits
