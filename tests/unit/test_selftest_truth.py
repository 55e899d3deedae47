"""The self-test's expectations: ground truth from the simulator and a ladder walk apart from the domain's.

They are only worth something if they are right on their own, so they are checked against hand-worked
numbers, the simulator's own ledger (net positions, cash-flow P&L) and, over random books, the domain's
fast projection (two independent implementations of DESIGN §3.4 that must agree).
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.ladder import project_ladder
from zn_ladder.domain.prices import Price
from zn_ladder.domain.records import OrderType, Side, WorkingOrder
from zn_ladder.selftest_truth import GroundTruth, TruthOrder, effective_trades, ground_truth, reference_walk
from zn_ladder.tt.sim import Market, SimConfig

ZN = get_product("ZN")
TV = ZN.tick_value
S = 7073


def rec(exec_id: str, side: str, qty: float, px_ticks: int, kind: str = "F", ref: str = "", account: int = 1):
    r = {"execID": exec_id, "accountId": account, "side": side, "lastQty": qty, "lastPx": px_ticks / 64,
         "execType": kind}
    if ref:
        r["execRefID"] = ref
    return r


def test_busts_remove_and_corrections_replace_in_place():
    records = [rec("a", "1", 2, S), rec("b", "2", 1, S + 2), rec("c", "1", 3, S - 1),
               rec("x", "1", 5, S, kind="H", ref="a"), rec("y", "2", 4, S + 3, kind="G", ref="b"),
               rec("z", "1", 1, S, kind="H", ref="nope")]
    trades = effective_trades(records, ZN)
    assert list(trades.items()) == [("b", ("1", -4, S + 3)), ("c", ("1", 3, S - 1))]


def truth(position=0, total=Fraction(0), orders=(), spot=Fraction(S)) -> GroundTruth:
    return GroundTruth(ZN, spot, position, 0, total, total, Fraction(0), 0, tuple(orders))


def test_walk_by_hand_with_orders_resting_at_spot():
    # Long 1, B0 $100; at spot a buy limit 2 (fills going down) and a sell limit 3 (going up); a sell
    # stop 1 two ticks down.
    t = truth(1, Fraction(100), [TruthOrder("b", 2, S, False), TruthOrder("s", -3, S, False),
                                 TruthOrder("st", -1, S - 2, True)])
    rows = reference_walk(t, S - 3, S + 2)
    assert rows[S] == (1, 100)
    assert rows[S - 1] == (3, 100 - 3 * TV)
    assert rows[S - 2] == (2, 100 - 6 * TV)  # earns at 3 long, then the stop sells 1
    assert rows[S - 3] == (2, 100 - 8 * TV)
    assert rows[S + 1] == (-2, 100 - 2 * TV)
    assert rows[S + 2] == (-2, 100 - 4 * TV)
    # A buy limit above spot never fills (through the spot).
    assert reference_walk(truth(0, orders=[TruthOrder("b", 5, S + 1, False)]), S, S + 2)[S + 2] == (0, 0)


@st.composite
def books(draw):
    d = draw(st.sampled_from([1, 2, 4]))
    spot = Fraction(S * d + draw(st.integers(0, d - 1)), d)
    n = draw(st.integers(0, 10))
    orders = []
    for i in range(n):
        qty = draw(st.integers(1, 30)) * draw(st.sampled_from([1, -1]))
        price = draw(st.one_of(st.integers(S - 12, S + 12), st.just(S)))
        orders.append(TruthOrder(f"o{i}", qty, price, draw(st.booleans())))
    return truth(draw(st.integers(-40, 40)), Fraction(draw(st.integers(-10**6, 10**6)), 8), orders, spot)


@settings(max_examples=200, deadline=None)
@given(books(), st.integers(-20, 5), st.integers(0, 25))
def test_walk_agrees_with_the_domain_projection(t, edge, width):
    low, high = S + edge, S + edge + width
    working = [WorkingOrder(o.order_id, "A", "ZN Dec26", Side.BUY if o.qty > 0 else Side.SELL,
                            OrderType.STOP if o.stop else OrderType.LIMIT, o.price, abs(o.qty)) for o in t.orders]
    ladder = project_ladder(ZN, Price.from_ticks(t.spot, ZN), t.position, t.total, working, high=high, low=low)
    assert reference_walk(t, low, high) == {r.price: (r.position, r.projected_pnl) for r in ladder.rows}


def test_ground_truth_agrees_with_the_simulators_own_ledger():
    market = Market(SimConfig(seed=11, step_interval=None, history_fills=40, start_time_ns=1_750_000_000_000_000_000,
                              correction_rate=0.05))
    market.step_until_fills(30)
    assert market.published_corrections()  # busts / corrections are part of what is checked
    accounts = (1334000, 1334001)
    t = ground_truth(market, accounts, ZN)
    assert t.position == sum(market.net_positions().values())
    assert t.sod == sum(round(market.sods(a)[0]["sodNetPos"]) for a in accounts)
    # realized (LIFO) + unrealized is the cash-flow P&L TT's position record reports (to the cent each).
    cash = sum(Fraction(str(p["pnl"])) for p in market.positions())
    assert abs(t.total - cash) <= Fraction(1, 100) * len(accounts)
    assert t.realized_lifo != t.realized_fifo  # this day's split differs by method: both are checked
    assert t.fills == len(market.published_fills()) - sum(1 for c in market.published_corrections()
                                                          if c["execType"] == "H")
    busted = {c["execRefID"] for c in market.published_corrections() if c["execType"] == "H"}
    assert t.exec_ids == {f["execID"] for f in market.published_fills()} - busted
    assert {o.order_id for o in t.orders} == {o["orderId"] for o in market.working_orders()}
    assert t.spot == market.price_ticks
