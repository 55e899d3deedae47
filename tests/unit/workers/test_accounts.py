"""Position and P&L per account: the store's per-account books carried to `PnlSnapshot.by_account`.

Every number is checked against a recompute written here, unit by unit: each lot is a list of one-lot
units, a closing unit is matched to the newest (LIFO) or oldest (FIFO) open unit of the other side, and
the open units are marked at spot. It shares nothing with `domain.lots` but the product's tick value.
"""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.prices import Price, parse_ticks
from zn_ladder.domain.records import Fill, Side, SodLot
from zn_ladder.store.snapshot import take_snapshot
from zn_ladder.store.store import Store
from zn_ladder.workers.scenario import ScenarioInputs, compute_scenario

ZN = get_product("ZN")
C = "ZN Dec26"
T0 = 1_780_000_000_000_000_000


def t(text: str) -> int:
    return parse_ticks(text, ZN)


def recompute(sod: list[SodLot], fills: list[Fill], method: str, spot: Price) -> dict[str, object]:
    """One account's book, unit by unit: (position, realized $, unrealized $, average open price)."""
    units: list[tuple[int, int]] = []  # (+1 long / -1 short, price ticks), oldest first
    realized_ticks = 0
    trades = [(lot.qty, lot.price) for lot in sod] + [(f.signed_qty, f.price) for f in fills]
    for qty, price in trades:
        sign = 1 if qty > 0 else -1
        for _ in range(abs(qty)):
            if units and units[0][0] != sign:  # closes a unit of the other side
                closed = units.pop() if method == "lifo" else units.pop(0)
                # a long unit closed by a sale earns (sale - purchase); a short one (sale - purchase) too
                realized_ticks += (price - closed[1]) if closed[0] > 0 else (closed[1] - price)
            else:
                units.append((sign, price))
    spot_ticks = spot.ticks(ZN)
    unrealized = sum(((spot_ticks - p) * s for s, p in units), Fraction(0)) * ZN.tick_value
    average = (Price.from_ticks(Fraction(sum(p for _, p in units), len(units)), ZN) if units else None)
    return {"position": sum(s for s, _ in units), "realized": realized_ticks * ZN.tick_value,
            "unrealized": unrealized, "average": average}


def _store(tmp_path, sod: list[SodLot], fills: list[Fill], market: str | None = "CME"):
    with Store.open(tmp_path / "s.sqlite3") as store:
        if sod:
            store.put_sod(sod)
        store.ingest(fills, source="test")
        return take_snapshot(store.conn, C, market=market)


def _random_day(seed: int) -> tuple[list[SodLot], list[Fill]]:
    rng = random.Random(seed)
    accounts = ["1334000", "1334001", "DESK02", "ZZ9"]
    sod = [SodLot(a, C, rng.choice([-7, -2, 3, 5]), t("110'000") + rng.randrange(-20, 20))
           for a in accounts if rng.random() < 0.6]
    fills = []
    for i in range(rng.randrange(5, 60)):
        fills.append(Fill(f"e{i}", rng.choice(accounts[:3]), C, rng.choice([Side.BUY, Side.SELL]),
                          rng.randrange(1, 9), t("110'000") + rng.randrange(-30, 30), T0 + i * 1000))
    return sod, fills


@pytest.mark.parametrize("seed", range(12))
def test_each_account_equals_a_unit_by_unit_recompute_and_they_add_up_to_the_cards(tmp_path, seed: int) -> None:
    sod, fills = _random_day(seed)
    snap = _store(tmp_path, sod, fills)
    spot = Price.from_ticks(t("110'000") + 3, ZN) if seed % 2 else Price(Fraction(110) + Fraction(3, 128))  # off tick
    pnl = compute_scenario(ScenarioInputs(ZN, C, store=snap, spot=spot, spot_source="manual")).pnl
    accounts = sorted({f.account for f in fills} | {s.account for s in sod})
    assert [a.account for a in pnl.by_account] == accounts
    for row in pnl.by_account:
        own_sod = [s for s in sod if s.account == row.account]
        own_fills = [f for f in fills if f.account == row.account]
        lifo = recompute(own_sod, own_fills, "lifo", spot)
        fifo = recompute(own_sod, own_fills, "fifo", spot)
        assert (row.contract, row.market) == (C, "CME")
        assert row.position == lifo["position"] == fifo["position"]
        assert row.sod_position == sum(s.qty for s in own_sod)
        assert (row.realized_lifo, row.unrealized) == (lifo["realized"], lifo["unrealized"])
        assert (row.realized_fifo, row.unrealized_fifo) == (fifo["realized"], fifo["unrealized"])
        assert row.total == lifo["realized"] + lifo["unrealized"] == fifo["realized"] + fifo["unrealized"]
        assert row.average_open_price == lifo["average"]
    # The rows add up to the cards.
    for field in ("position", "sod_position", "realized_lifo", "realized_fifo", "unrealized", "total"):
        assert sum(getattr(r, field) for r in pnl.by_account) == getattr(pnl, field), field
    assert pnl.total - pnl.realized_fifo == sum(r.unrealized_fifo for r in pnl.by_account)


def test_a_long_and_a_short_account_each_keep_their_own_average(tmp_path) -> None:
    fills = [Fill("a", "DESK01", C, Side.BUY, 5, t("110'055"), T0),
             Fill("b", "DESK02", C, Side.SELL, 3, t("110'120"), T0 + 1)]
    snap = _store(tmp_path, [], fills)
    pnl = compute_scenario(ScenarioInputs(ZN, C, store=snap, spot=Price.from_ticks(t("110'100"), ZN))).pnl
    rows = {r.account: r for r in pnl.by_account}
    assert (rows["DESK01"].position, rows["DESK02"].position, pnl.position) == (5, -3, 2)
    assert rows["DESK01"].average_open_price == Price.from_ticks(t("110'055"), ZN)
    assert rows["DESK02"].average_open_price == Price.from_ticks(t("110'120"), ZN)


def test_books_of_another_market_and_contract_stay_out(tmp_path) -> None:
    fills = [Fill("a", "DESK01", C, Side.BUY, 5, t("110'055"), T0),
             Fill("b", "DESK01", C, Side.SELL, 2, t("110'100"), T0 + 1, market="CME_Delayed"),
             Fill("c", "DESK03", C, Side.SELL, 4, t("110'100"), T0 + 2, market="CME_Delayed"),
             Fill("d", "DESK04", "ZN Mar27", Side.BUY, 1, t("110'100"), T0 + 3)]
    spot = Price.from_ticks(t("110'100"), ZN)
    snap = _store(tmp_path, [], fills)
    rows = compute_scenario(ScenarioInputs(ZN, C, store=snap, spot=spot)).pnl.by_account
    assert [(r.account, r.market, r.position) for r in rows] == [("DESK01", "CME", 5)]
    # Every market read at once: one row per book, never one account's two instruments netted.
    every = _store(tmp_path, [], [], market=None)
    rows = compute_scenario(ScenarioInputs(ZN, C, store=every, spot=spot)).pnl.by_account
    assert [(r.account, r.market, r.position) for r in rows] == [
        ("DESK01", "CME", 5), ("DESK01", "CME_Delayed", -2), ("DESK03", "CME_Delayed", -4)]


def test_the_summed_views_are_unchanged_by_the_per_account_ones(tmp_path) -> None:
    """`take_snapshot` reads the books once for both: the totals equal `pnl_view` of each method."""
    from zn_ladder.store.snapshot import pnl_view

    sod, fills = _random_day(3)
    with Store.open(tmp_path / "s.sqlite3") as store:
        store.put_sod(sod)
        store.ingest(fills, source="test")
        snap = take_snapshot(store.conn, C, market="CME")
        for method in ("lifo", "fifo"):
            assert snap.pnl[method] == pnl_view(store.conn, C, method, market="CME")
