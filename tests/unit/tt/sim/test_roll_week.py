"""The simulator in roll week (`SimConfig.next_accounts`): the next month as its own instrument, book,
SOD, orders and fills, and calendar spreads reported as two leg fills. Checked against a recount of the
published records written here, never against the ledger's own totals."""

from __future__ import annotations

import pytest

from zn_ladder.tt.sim import Market, SimConfig
from zn_ladder.tt.sim import reference as ref

START = 1_790_000_000_000_000_000
ROLLER, OTHER = 1334000, 1334001


def roll_market(**overrides) -> Market:
    values = {"seed": 3, "step_interval": None, "start_time_ns": START, "next_accounts": (ROLLER,),
              "spread_rate": 0.1}
    values.update(overrides)
    market = Market(SimConfig(**values))
    market.step(600)
    return market


def recount(market: Market, account: int, instrument: str) -> int:
    """SOD plus the trades in force (a bust removes a trade, a correction replaces its qty)."""
    trades = {r["execID"]: r for r in market.published_fills()}
    for c in market.published_corrections():
        if c["execType"] == "H":
            trades.pop(c["execRefID"], None)
        elif c["execRefID"] in trades:
            trades[c["execRefID"]] = {**trades[c["execRefID"]], "lastQty": c["lastQty"]}
    sod = sum(round(r["sodNetPos"]) for r in market.sods(account) if r["instrumentId"] == instrument)
    return sod + sum((1 if t["side"] == "1" else -1) * round(t["lastQty"]) for t in trades.values()
                     if t["accountId"] == account and t["instrumentId"] == instrument)


def test_the_next_month_is_its_own_book() -> None:
    m = roll_market()
    assert m.next_positions() == {ROLLER: recount(m, ROLLER, ref.NEXT_INSTRUMENT_ID)}
    assert m.net_positions() == {a: recount(m, a, ref.INSTRUMENT_ID) for a in (ROLLER, OTHER)}
    traded = {(t["accountId"], t["instrumentId"]) for t in m.published_fills()}
    assert (ROLLER, ref.NEXT_INSTRUMENT_ID) in traded and (OTHER, ref.NEXT_INSTRUMENT_ID) not in traded
    # TT's positions and SODs: one record per account and instrument, the next month's for the roller only.
    records = {(p["accountId"], p["instrumentId"]): p["netPosition"] for p in m.positions()}
    assert records == {(ROLLER, ref.INSTRUMENT_ID): m.net_positions()[ROLLER], (OTHER, ref.INSTRUMENT_ID):
                       m.net_positions()[OTHER], (ROLLER, ref.NEXT_INSTRUMENT_ID): m.next_positions()[ROLLER]}
    assert [r["instrumentId"] for r in m.sods(ROLLER)] == [ref.INSTRUMENT_ID, ref.NEXT_INSTRUMENT_ID]
    assert [r["instrumentId"] for r in m.sods(OTHER)] == [ref.INSTRUMENT_ID]


def test_the_next_month_trades_the_roll_spread_under_the_front() -> None:
    m = roll_market()
    assert m.price_ticks - m.price_of(ref.NEXT_INSTRUMENT_ID) == ref.ROLL_SPREAD_TICKS
    nxt = m.price_of(ref.NEXT_INSTRUMENT_ID)
    orders = [o for o in m.working_orders() if o["instrumentId"] == ref.NEXT_INSTRUMENT_ID]
    assert orders and all(o["accountId"] == ROLLER for o in orders)
    for o in orders:  # resting around the next month's own price, buys below it and sells above
        price = round(o.get("stopPrice", o["price"]) * 64)
        if o["orderType"] == "2":
            assert (price < nxt) if o["side"] == "1" else (price > nxt), o
    record = ref.instrument_record(ref.NEXT_INSTRUMENT_ID)
    assert (record["alias"], record["marketId"], record["maturityMonthYear"]) == ("ZN Mar27", ref.MARKET_ID, "202703")


def test_a_calendar_spread_is_two_leg_fills() -> None:
    m = roll_market()
    by_moment: dict[tuple[int, int], list[dict]] = {}
    for t in m.published_fills():
        by_moment.setdefault((t["accountId"], t["timeStamp"]), []).append(t)
    spreads = [legs for legs in by_moment.values() if {t["instrumentId"] for t in legs} == {ref.INSTRUMENT_ID,
                                                                                         ref.NEXT_INSTRUMENT_ID}]
    assert spreads, "the roller traded a calendar spread"
    for legs in spreads:
        front = [t for t in legs if t["instrumentId"] == ref.INSTRUMENT_ID]
        back = [t for t in legs if t["instrumentId"] == ref.NEXT_INSTRUMENT_ID]
        assert len(front) == len(back) == 1 and front[0]["side"] != back[0]["side"]
        assert front[0]["lastQty"] == back[0]["lastQty"]
        # One spread order: both legs carry its id and cumulative quantity (two executions all the same).
        assert (front[0]["orderId"], front[0]["cumQty"]) == (back[0]["orderId"], back[0]["cumQty"])
        # Each leg at its own month's price: the spread between them is the roll spread.
        assert round((front[0]["lastPx"] - back[0]["lastPx"]) * 64) == ref.ROLL_SPREAD_TICKS


def test_next_accounts_must_be_accounts_on_cme() -> None:
    with pytest.raises(ValueError, match="next_accounts"):
        SimConfig(accounts=(1,), next_accounts=(2,))
    with pytest.raises(ValueError, match="next_accounts"):
        SimConfig(accounts=(1, 2), delayed_accounts=(2,), next_accounts=(2,))
