"""The alert rules (issue 14 §17): hand cases for each threshold, and hypothesis for the re-arming rule
(a P&L hovering at a limit fires once; it fires again only after coming back by a tenth)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zn_ladder.domain.alerts import REARM_SHARE, AlertLimits, AlertRules, money
from zn_ladder.domain.records import Fill, Side

T0 = datetime(2026, 12, 3, 14, 0, tzinfo=timezone.utc)


def at(i: int) -> datetime:
    return T0 + timedelta(seconds=i)


def fill(key: str, qty: int, side: Side = Side.BUY) -> Fill:
    return Fill(key, "1334000", "ZN Dec26", side, qty, 7072, 1_800_000_000_000_000_000)


def test_money_reads_like_the_cards():
    assert money(Fraction(-5120)) == "-$5,120.00"
    assert money(Fraction(51734375, 1000)) == "$51,734.38"
    assert money(Fraction(-1, 1000)) == "$0.00"


def test_loss_limit_fires_on_the_crossing_once_and_rearms_a_tenth_back():
    rules = AlertRules(AlertLimits(loss_limit=Fraction(5000)))
    assert rules.on_pnl(Fraction(-4999), 0, at(0)) == []
    fired = rules.on_pnl(Fraction(-5000), 0, at(1))  # at the limit counts
    assert [a.kind for a in fired] == ["loss_limit"]
    assert fired[0].message == "total P&L -$5,000.00 is at or below the loss limit -$5,000.00"
    assert (fired[0].value, fired[0].threshold, fired[0].at) == ("-5000", "-5000", at(1))
    # Hovering around the limit, even back above it by less than $500: quiet.
    for i, total in enumerate((-5100, -4990, -5001, -4600, -4500, -5300), start=2):
        assert rules.on_pnl(Fraction(total), 0, at(i)) == [], total
    assert rules.on_pnl(Fraction(-4499), 0, at(10)) == []  # re-armed (more than a tenth back), not firing
    assert [a.key for a in rules.on_pnl(Fraction(-5000), 0, at(11))] == ["loss_limit"]


def test_profit_target_and_loss_limit_are_separate_rules():
    rules = AlertRules(AlertLimits(loss_limit=Fraction(1000), profit_target=Fraction(2000)))
    assert [a.kind for a in rules.on_pnl(Fraction(2000), 0, at(0))] == ["profit_target"]
    assert rules.on_pnl(Fraction(1801), 0, at(1)) == []  # still within the tenth: not re-armed
    assert rules.on_pnl(Fraction(2500), 0, at(2)) == []
    assert rules.on_pnl(Fraction(1799), 0, at(3)) == []  # re-armed
    assert [a.kind for a in rules.on_pnl(Fraction(-1000), 0, at(4))] == ["loss_limit"]
    assert [a.kind for a in rules.on_pnl(Fraction(2001), 0, at(5))] == ["profit_target"]


def test_position_fires_beyond_the_limit_either_side_and_rearms_within_it():
    rules = AlertRules(AlertLimits(max_position=10))
    assert rules.on_pnl(Fraction(0), 10, at(0)) == []  # at the limit is allowed
    fired = rules.on_pnl(Fraction(0), -11, at(1))
    assert [a.message for a in fired] == ["position -11 lots is beyond the limit of 10 lots"]
    assert rules.on_pnl(Fraction(0), -15, at(2)) == []
    assert rules.on_pnl(Fraction(0), 10, at(3)) == []
    assert [a.value for a in rules.on_pnl(Fraction(0), 12, at(4))] == ["12"]


def test_zero_is_off_and_turning_a_rule_off_forgets_that_it_fired():
    rules = AlertRules()
    assert rules.on_pnl(Fraction(-10**9), 10**6, at(0)) == []
    assert rules.on_fills([fill("a", 10**6)], at(0)) == []
    assert rules.on_feeds({"orders": 10**6}, at(0)) == []
    assert not AlertLimits().any_on and AlertLimits(stale_feed_s=1).any_on
    with pytest.raises(ValueError, match="loss_limit"):
        AlertLimits(loss_limit=Fraction(-1))


def test_a_changed_threshold_rearms_its_rule_only():
    rules = AlertRules(AlertLimits(loss_limit=Fraction(5000), max_position=5))
    assert len(rules.on_pnl(Fraction(-6000), 6, at(0))) == 2
    rules.set_limits(AlertLimits(loss_limit=Fraction(5500), max_position=5))
    assert [a.kind for a in rules.on_pnl(Fraction(-6000), 6, at(1))] == ["loss_limit"]
    rules.set_limits(AlertLimits(loss_limit=Fraction(5500), max_position=5))  # unchanged: stays quiet
    assert rules.on_pnl(Fraction(-6000), 6, at(2)) == []


def test_a_fill_larger_than_n_lots_fires_once_per_fill():
    rules = AlertRules(AlertLimits(large_fill_lots=50))
    fired = rules.on_fills([fill("a", 50), fill("b", 51, Side.SELL), fill("c", 80)], at(0))
    assert [a.key for a in fired] == ["large_fill:b", "large_fill:c"]
    assert fired[0].message == "SOLD 51 ZN Dec26 (1334000): more than 50 lots"
    assert rules.on_fills([fill("b", 51), fill("d", 60)], at(1))[0].key == "large_fill:d"


def test_a_feed_fires_after_n_seconds_stale_and_rearms_when_fresh():
    rules = AlertRules(AlertLimits(stale_feed_s=30))
    assert rules.on_feeds({"orders": 30.0, "fills": 0.0}, at(0)) == []  # "more than" 30 s
    fired = rules.on_feeds({"orders": 31.0}, at(1))
    assert [(a.key, a.message) for a in fired] == [("stale_feed:orders", "orders has been stale for 31s (limit 30s)")]
    assert rules.on_feeds({"orders": 95.0, "fills": 12.0}, at(2)) == []
    assert rules.on_feeds({"orders": 5.0}, at(3)) == []  # failing after stale: the same episode
    assert rules.on_feeds({}, at(4)) == []  # fresh again (absent = fresh): re-armed
    assert [a.key for a in rules.on_feeds({"orders": 40.0, "spot": 31.0}, at(5))] == ["stale_feed:orders",
                                                                                      "stale_feed:spot"]


# -- hypothesis: the re-arming rule against an independent reading of the series -------------------------
def episodes_entered(totals: list[Fraction], limit: Fraction) -> list[int]:
    """Where an alert must fire, read off the whole series: the first total at or below -limit, then the
    first one after the series has since been above -limit + limit/10."""
    out, armed = [], True
    for i, total in enumerate(totals):
        if armed and total <= -limit:
            out.append(i)
            armed = False
        elif not armed and total > -limit * (1 - REARM_SHARE):
            armed = True
    return out


money_steps = st.integers(-400, 400).map(lambda cents: Fraction(cents, 4))


@given(st.integers(1, 2000).map(Fraction), st.lists(st.integers(-3000, 1000), max_size=80))
def test_loss_alerts_fire_exactly_when_the_series_enters_a_new_episode(limit, totals):
    rules = AlertRules(AlertLimits(loss_limit=limit))
    series = [Fraction(t) for t in totals]
    fired = [i for i, total in enumerate(series) if rules.on_pnl(total, 0, at(i))]
    assert fired == episodes_entered(series, limit)
    for i in fired:
        assert series[i] <= -limit  # never fires on the right side of the limit


@given(st.integers(100, 100_000).map(Fraction), st.lists(st.integers(0, 1000), min_size=1, max_size=200))
def test_a_total_hovering_inside_the_band_fires_once(limit, wiggles):
    """Anything between -limit - a lot and the re-arm line, second after second: one alert, the first."""
    rules = AlertRules(AlertLimits(loss_limit=limit))
    band = limit * REARM_SHARE
    series = [-limit - Fraction(w, 1000) * band * 3 if i == 0 else -limit + band - Fraction(w, 1000) * band * 4
              for i, w in enumerate(wiggles)]
    counts = [len(rules.on_pnl(total, 0, at(i))) for i, total in enumerate(series)]
    assert counts[0] == 1 and sum(counts) == 1


@given(st.lists(st.tuples(st.sampled_from(["orders", "fills", "spot"]), st.floats(0, 120)), max_size=60),
       st.floats(1, 60))
def test_each_feed_fires_once_per_stale_episode(readings, limit):
    """One feed's age changes at a time (the others keep theirs); a feed absent from the mapping is fresh."""
    rules = AlertRules(AlertLimits(stale_feed_s=limit))
    now: dict[str, float] = {}
    fired_then: dict[str, list[float]] = {}
    episodes: dict[str, int] = {}
    armed = {"orders": True, "fills": True, "spot": True}
    for i, (name, seconds) in enumerate(readings):
        now[name] = seconds
        for alert in rules.on_feeds({k: v for k, v in now.items() if v > 0}, at(i)):
            fired_then.setdefault(alert.key.split(":")[1], []).append(now[alert.key.split(":")[1]])
        if armed[name] and seconds > limit:
            episodes[name] = episodes.get(name, 0) + 1
            armed[name] = False
        elif seconds <= 0:
            armed[name] = True
    assert {k: len(v) for k, v in fired_then.items()} == episodes
    assert all(s > limit for v in fired_then.values() for s in v)
