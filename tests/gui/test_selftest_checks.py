"""The self-test's screen check must fail on an inconsistent screen, with a reason that names it.

A real window is fed snapshots built from a simulated market's ground truth: consistent ones pass; then
each inconsistency of issue 12's point 8 (fills in the table with POSITION 0 and realized $0, a chart
from 0'000 to spot) and a few more (a ladder from a wrong base, an order counted twice, the seed's rule
at spot) is injected on its own and must be reported.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
from fractions import Fraction

import pytest

from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.ladder import project_ladder
from zn_ladder.domain.prices import Price
from zn_ladder.domain.records import Fill, OrderType, Side, WorkingOrder
from zn_ladder.selftest import check_screen
from zn_ladder.selftest_truth import GroundTruth, TruthOrder, ground_truth
from zn_ladder.tt.sim import Market, SimConfig
from zn_ladder.workers.snapshots import AccountPnl, FillsSnapshot, LadderSnapshot, OrdersSnapshot, PnlSnapshot

ZN = get_product("ZN")
CONTRACT = "ZN Dec26"
ACCOUNTS = (1334000, 1334001)


@pytest.fixture(scope="module")
def truth() -> GroundTruth:
    market = Market(SimConfig(seed=11, step_interval=None, history_fills=20, start_time_ns=1_750_000_000_000_000_000))
    market.step_until_fills(10)
    t = ground_truth(market, ACCOUNTS, ZN)
    assert t.position and t.realized_lifo and t.fills > 12 and t.orders
    return t


def working(truth: GroundTruth) -> list[WorkingOrder]:
    return [WorkingOrder(o.order_id, "1334000", CONTRACT, Side.BUY if o.qty > 0 else Side.SELL,
                         OrderType.STOP if o.stop else OrderType.LIMIT, o.price, abs(o.qty)) for o in truth.orders]


def pnl_snapshot(truth: GroundTruth, **changes) -> PnlSnapshot:
    snap = PnlSnapshot(position=truth.position, sod_position=truth.sod, realized_lifo=truth.realized_lifo,
                       realized_fifo=truth.realized_fifo, unrealized=truth.unrealized, total=truth.total,
                       average_open_price=None, risk=truth.risk, product=ZN,
                       spot=Price.from_ticks(truth.spot, ZN), history=(),
                       by_account=tuple(AccountPnl(a.account, CONTRACT, a.position, a.sod, a.realized_lifo,
                                                   a.realized_fifo, a.unrealized, a.unrealized_fifo, a.total, None)
                                        for a in truth.accounts))
    return replace(snap, **changes)


def feed(window, truth: GroundTruth, *, orders=None, base_position=None, side_checked=True, fills=None,
         **pnl_changes) -> None:
    now = datetime.now(timezone.utc)
    orders = working(truth) if orders is None else orders
    spot = Price.from_ticks(truth.spot, ZN)
    ladder = project_ladder(ZN, spot, truth.position if base_position is None else base_position, truth.total,
                            orders, padding=20, side_checked=side_checked)
    window.apply_ladder(LadderSnapshot(ladder, ZN, CONTRACT, None, tuple(orders), now))
    window.apply_orders(OrdersSnapshot(tuple(orders), now))
    ids = sorted(truth.exec_ids) if fills is None else fills
    window.apply_fills(FillsSnapshot(tuple(Fill(e, "1334000", CONTRACT, Side.BUY, 1, int(truth.spot), i + 1, exec_id=e)
                                           for i, e in enumerate(ids)), now))
    window.apply_pnl(pnl_snapshot(truth, **pnl_changes))
    window.charts.flush()


def settled(qtbot, window, truth: GroundTruth) -> list[str]:
    """The check once pyqtgraph has applied its auto-range (done when it paints)."""
    qtbot.wait(50)
    window.charts.projected.getPlotItem().getViewBox().updateAutoRange()
    return check_screen(window, truth)


def test_a_consistent_screen_passes(qtbot, window, truth):
    feed(window, truth)
    qtbot.waitUntil(lambda: check_screen(window, truth) == [], timeout=5000)


def test_the_screen_of_issue_12_point_8_fails_naming_each_inconsistency(qtbot, window, truth):
    # 12 fills in the table, POSITION 0, realized $0, and a projected-P&L chart from 0'000 to spot.
    feed(window, truth, fills=sorted(truth.exec_ids)[:12], position=0, realized_lifo=Fraction(0),
         realized_fifo=Fraction(0))
    window.charts.projected.setXRange(0, int(truth.spot), padding=0)
    problems = settled(qtbot, window, truth)
    text = "\n".join(problems)
    assert "POSITION card shows '0'" in text
    assert "REALIZED LIFO card shows '$0.00'" in text and "REALIZED FIFO card shows '$0.00'" in text
    assert f"the fills table shows 12 fills, the simulator has {truth.fills}" in text
    assert "projected-P&L chart x range 0'000.." in text and "runs far beyond" in text
    assert "spot row" in text  # the ladder's spot row (the base) no longer equals the POSITION card


@pytest.mark.parametrize(("changes", "needle"), [
    ({"position": 0}, "POSITION card"),
    ({"sod_position": 0}, "SOD card"),
    ({"realized_lifo": Fraction(0)}, "REALIZED LIFO card"),
    ({"realized_fifo": Fraction(1)}, "REALIZED FIFO card"),
    ({"unrealized": Fraction(0)}, "UNREALIZED @ SPOT card"),
    ({"total": Fraction(0)}, "TOTAL P&L card"),
])
def test_each_wrong_card_is_named(qtbot, window, truth, changes, needle):
    key, value = next(iter(changes.items()))
    true = getattr(pnl_snapshot(truth), key)
    if true == value:  # the chosen wrong value happens to be the truth here: take another wrong one
        changes = {key: true + 1}
    feed(window, truth, **changes)
    problems = settled(qtbot, window, truth)
    assert any(p.startswith(needle) for p in problems), problems


def test_a_chart_that_does_not_cover_the_ladder_fails(qtbot, window, truth):
    feed(window, truth)
    assert settled(qtbot, window, truth) == []
    spot = int(truth.spot)
    window.charts.projected.setXRange(spot + 2, spot + 12, padding=0)  # a slice of the ladder only
    problems = settled(qtbot, window, truth)
    assert len(problems) == 1 and problems[0].startswith("projected-P&L chart x range")
    assert "does not cover the ladder's levels" in problems[0]


def test_a_ladder_from_a_wrong_base_fails_on_its_rows_and_its_spot_row(qtbot, window, truth):
    feed(window, truth, base_position=truth.position + 5)
    problems = settled(qtbot, window, truth)
    assert any(p.startswith("ladder row") and "position" in p and "independent walk" in p for p in problems)
    assert any(p.startswith("spot row") for p in problems)
    assert not any(" card shows" in p for p in problems)  # the cards are right; the ladder is not


def test_an_order_the_simulator_does_not_have_fails(qtbot, window, truth):
    # A fill counted twice: its order still on the ladder although TT's book no longer has it.
    extra = WorkingOrder("gone", "1334000", CONTRACT, Side.BUY, OrderType.LIMIT, int(truth.spot) - 3, 7)
    feed(window, truth, orders=[*working(truth), extra])
    problems = settled(qtbot, window, truth)
    assert any(p.startswith("ladder row") and "buy" in p for p in problems), problems


def test_a_busted_fill_still_shown_or_a_fill_missing_fails(qtbot, window, truth):
    ids = sorted(truth.exec_ids)
    feed(window, truth, fills=[*ids[1:], "BUSTED-EXEC"])  # same count: one missing, one not in force
    problems = settled(qtbot, window, truth)
    assert f"the fills table lacks 1 of the simulator's trades (e.g. exec id {ids[0]})" in problems
    assert "the fills table shows 1 fills the simulator does not have in force (e.g. exec id BUSTED-EXEC)" in problems


def test_orders_at_spot_by_the_seeds_rule_fail_by_design_rule_pass(qtbot, window, truth):
    s = int(truth.spot)
    at_spot = replace(truth, orders=(*truth.orders, TruthOrder("at-b", 4, s, False), TruthOrder("at-s", -6, s, False)))
    feed(window, at_spot)
    assert settled(qtbot, window, at_spot) == []
    feed(window, at_spot, side_checked=False)  # the seed applied both on the spot row
    problems = settled(qtbot, window, at_spot)
    assert any(p.startswith("spot row") for p in problems), problems


def test_a_ladder_walked_from_another_spot_fails_naming_both(qtbot, window, truth):
    moved = replace(truth, spot=truth.spot + 3)
    feed(window, moved)  # the window drew its ladder (and cards) from a spot 3 ticks off the market
    problems = settled(qtbot, window, truth)
    assert any(p.startswith("the ladder walks from spot") and "the simulator's price is" in p for p in problems)


def test_a_wrong_or_missing_account_row_is_named(qtbot, window, truth):
    assert len(truth.accounts) == 2
    good = pnl_snapshot(truth).by_account
    feed(window, truth, by_account=(replace(good[0], realized_fifo=good[0].realized_fifo + 1), good[1]))
    problems = settled(qtbot, window, truth)
    assert len(problems) == 1 and problems[0].startswith(f"accounts table, account {good[0].account}: Realized FIFO")
    feed(window, truth, by_account=good[1:])
    problems = settled(qtbot, window, truth)
    assert problems == [f"the accounts table has no row for account {good[0].account}"]
