"""The scenario computation: the base from the store's books, what-if orders, the spot fallback."""

from __future__ import annotations

from fractions import Fraction

from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.ladder import project_ladder
from zn_ladder.domain.pnl import ladder_base_from_fills
from zn_ladder.domain.prices import Price, parse_price, parse_ticks
from zn_ladder.domain.records import Fill, OrderType, Side, SodLot, WorkingOrder
from zn_ladder.store.store import Store
from zn_ladder.store.snapshot import take_snapshot
from zn_ladder.workers.scenario import ScenarioInputs, compute_scenario

ZN = get_product("ZN")
C = "ZN Dec26"


def t(text: str) -> int:
    return parse_ticks(text, ZN)


def stored(tmp_path) -> object:
    fills = [Fill("a", "1", C, Side.BUY, 5, t("110'100"), 1), Fill("b", "1", C, Side.SELL, 2, t("110'150"), 2),
             Fill("c", "2", C, Side.BUY, 1, t("110'120"), 3)]
    with Store.open(tmp_path / "s.sqlite3") as store:
        store.put_sod([SodLot("1", C, -3, t("110'000"))])
        store.ingest(fills, source="test")
        return take_snapshot(store.conn, C)


def test_ladder_base_and_pnl_equal_a_replay_of_the_fills(tmp_path) -> None:
    snap = stored(tmp_path)
    spot = parse_price("110-13.25", ZN, spot=True)
    orders = (WorkingOrder("o1", "1", C, Side.BUY, OrderType.LIMIT, t("110'080"), 4),
              WorkingOrder("o2", "1", "ZN Mar27", Side.SELL, OrderType.LIMIT, t("110'200"), 9))  # other contract
    result = compute_scenario(ScenarioInputs(ZN, C, orders=orders, store=snap, spot=spot, spot_source="manual"))
    assert result is not None
    base = ladder_base_from_fills(snap.fills, ZN, spot, sod=snap.sod, contract=C)
    ladder = result.ladder.ladder
    assert (ladder.base_position, ladder.base_pnl) == (base.position, base.pnl) == (1, base.pnl)
    assert result.ladder.orders == orders[:1]
    expected = project_ladder(ZN, spot, base.position, base.pnl, orders[:1], high=ladder.high, low=ladder.low)
    assert list(ladder.rows) == list(expected.rows)
    pnl = result.pnl
    assert (pnl.position, pnl.sod_position, pnl.total) == (1, -3, base.pnl)
    assert pnl.realized_lifo + pnl.unrealized == pnl.total
    assert pnl.risk == ZN.tick_value
    assert pnl.history[-1][1] == pnl.total


def test_what_if_orders_are_projected_and_marked(tmp_path) -> None:
    spot = Price.from_ticks(t("110'160"), ZN)
    wi = WorkingOrder("w", "", "", Side.SELL, OrderType.LIMIT, t("110'200"), 3, what_if=True)
    result = compute_scenario(ScenarioInputs(ZN, C, what_if=(wi,), spot=spot))
    row = result.ladder.ladder.row_at(t("110'200"))
    assert (row.sell_qty, row.what_if_sell, row.position) == (3, 3, -3)
    assert result.ladder.orders[0].contract == C


def test_without_a_spot_the_last_fill_is_used_and_without_fills_nothing(tmp_path) -> None:
    assert compute_scenario(ScenarioInputs(ZN, C)) is None
    snap = stored(tmp_path)
    result = compute_scenario(ScenarioInputs(ZN, C, store=snap))
    assert result.spot == Price.from_ticks(t("110'120"), ZN) and result.spot_source == "last fill"


def test_the_projection_covers_the_visible_window() -> None:
    spot = Price.from_ticks(t("110'160"), ZN)
    high, low = t("112'000"), t("108'000")
    ladder = compute_scenario(ScenarioInputs(ZN, C, spot=spot, window=(high, low))).ladder.ladder
    assert ladder.high >= high and ladder.low <= low
    assert ladder.base_pnl == Fraction(0)


def test_curve_points_are_emitted_on_each_fill_and_at_most_every_30_s_while_the_mark_moves(tmp_path, monkeypatch):
    """What the window stores of its P&L curve: a point per account's book at once when the fills
    change, else only when the P&L moved and 30 s passed (a clock of the test's own)."""
    from zn_ladder.workers import scenario

    clock = [1000.0]
    monkeypatch.setattr(scenario.time, "monotonic", lambda: clock[0])
    worker = scenario.ScenarioWorker(ZN, C)
    emitted: list = []
    worker.curvePoints.connect(emitted.append)
    snap = stored(tmp_path)

    def compute(at: float, spot: str, store=snap) -> None:
        clock[0] = at
        worker.set_store(store)
        worker.set_spot(parse_price(spot, ZN, spot=True), "manual")
        worker.compute_now()

    compute(1000, "110'160")
    assert len(emitted) == 1
    points = emitted[0]
    assert sorted(p.account for p in points) == ["1", "2"] and {p.contract for p in points} == {C}
    assert {p.mark for p in points} == {parse_price("110'160", ZN).value} and {p.mark_source for p in points} == {"manual"}
    # Account 2: long 1 @110'120 marked at 110'160: 8 ticks; account 1: SOD -3 @110'000, +5 @110'100, -2 @110'150.
    two = next(p for p in points if p.account == "2")
    assert (two.position, two.realized_lifo, two.total) == (1, 0, 8 * ZN.tick_value)
    assert sum(p.total for p in points) == ladder_base_from_fills(snap.fills, ZN, parse_price("110'160", ZN),
                                                                  sod=snap.sod, contract=C).pnl
    compute(1010, "110'165")  # the mark moved, 10 s later: not yet
    compute(1029, "110'170")
    assert len(emitted) == 1
    compute(1031, "110'170")  # 31 s after the last stored points and the P&L moved
    assert len(emitted) == 2 and emitted[1][0].mark == parse_price("110'170", ZN).value
    compute(1070, "110'170")  # 39 s more but nothing moved
    assert len(emitted) == 2
    with Store.open(tmp_path / "s.sqlite3") as store:  # one more fill: stored at once
        store.ingest([Fill("d", "2", C, Side.SELL, 1, t("110'170"), 4)], source="test")
        more = take_snapshot(store.conn, C)
    compute(1071, "110'170", more)
    assert len(emitted) == 3 and next(p for p in emitted[2] if p.account == "2").realized_lifo == 10 * ZN.tick_value
