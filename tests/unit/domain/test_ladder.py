"""The scenario ladder (DESIGN §3.4): hand-worked walks, the TT orders fixture and properties.

ZN: one tick = 1/64 point = $15.625; 110'165 is tick 110*64 + 33 = 7073.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.instruments import PRODUCTS, get_product
from zn_ladder.domain.ladder import Ladder, LadderRow, project_ladder, spot_mark
from zn_ladder.domain.prices import Price, parse_price, ticks_from_number
from zn_ladder.domain.records import OrderType, Side, WorkingOrder

ZN = get_product("ZN")
TV = ZN.tick_value  # 15.625
S = 7073  # 110'165


def order(oid: str, side: Side, price: int, qty: int, kind: OrderType = OrderType.LIMIT, *,
          what_if: bool = False) -> WorkingOrder:
    return WorkingOrder(oid, "A1", "ZN Sep25", side, kind, price, qty, what_if=what_if)


def buy(oid, price, qty, kind=OrderType.LIMIT, **kw):
    return order(oid, Side.BUY, price, qty, kind, **kw)


def sell(oid, price, qty, kind=OrderType.LIMIT, **kw):
    return order(oid, Side.SELL, price, qty, kind, **kw)


def table(ladder: Ladder) -> dict[int, tuple[int, Fraction]]:
    return {r.price: (r.position, r.projected_pnl) for r in ladder.rows}


# --- hand-worked examples ---------------------------------------------------------------------------

def test_normal_book_walk_by_hand():
    # Spot 110'165 on tick, long 1, B0 = $100; buy 3 two ticks below, sell 2 two ticks above.
    orders = [buy("b", S - 2, 3), sell("s", S + 2, 2)]
    ladder = project_ladder(ZN, Price.from_ticks(S, ZN), 1, Fraction(100), orders, padding=2)
    assert [r.price for r in ladder.rows] == list(range(S + 4, S - 5, -1))
    rows = table(ladder)
    # Spot row: no move, P&L = B0, position 1.
    assert rows[S] == (1, Fraction(100))
    # Up: +1 tick with 1 long = +15.625; +2 ticks = 131.25, then the sell fills: position -1.
    assert rows[S + 1] == (1, Fraction(100) + TV)
    assert rows[S + 2] == (-1, Fraction(100) + 2 * TV)
    # +3: the short 1 loses a tick from 131.25 -> 115.625; +4 -> 100.
    assert rows[S + 3] == (-1, Fraction(231250, 2000))
    assert rows[S + 4] == (-1, Fraction(100))
    # Down: -1 tick long 1 = 84.375; -2 = 68.75 then buy 3 -> long 4; -3: 68.75 - 4*15.625 = 6.25.
    assert rows[S - 1] == (1, Fraction(84375, 1000))
    assert rows[S - 2] == (4, Fraction(6875, 100))
    assert rows[S - 3] == (4, Fraction(625, 100))
    assert rows[S - 4] == (4, Fraction(625, 100) - 4 * TV)
    row = ladder.row_at(S - 2)
    assert (row.buy_qty, row.sell_qty, row.through_spot) == (3, 0, ())
    # risk = position x tick value; breakeven = pnl / risk.
    assert row.risk == 4 * TV == Fraction(125, 2)
    assert row.breakeven == Fraction(6875, 100) / Fraction(125, 2) == Fraction(11, 10)
    assert [r.price for r in ladder.rows if r.is_spot] == [S]
    assert ladder.through_spot == ()


def test_spot_between_ticks_first_step_is_the_fraction():
    # Pricing Monkey mid 110-16.75 = tick 7073.5: the spot row is 7073 (the tick just below).
    spot = parse_price("110-16.75", ZN, spot=True)
    assert spot.ticks(ZN) == Fraction(14147, 2)
    ladder = project_ladder(ZN, spot, 2, Fraction(0), [], padding=1)
    rows = table(ladder)
    # Long 2: down half a tick = -2 * 0.5 * 15.625 = -15.625; up half a tick = +15.625.
    assert rows[S] == (2, -TV)
    assert rows[S + 1] == (2, TV)
    assert rows[S - 1] == (2, -3 * TV)  # then a whole tick more: -15.625 - 31.25
    assert rows[S + 2] == (2, 3 * TV)
    assert ladder.spot_tick == S and ladder.row_at(S).is_spot and not ladder.row_at(S + 1).is_spot


def test_stops_trigger_at_their_stop_price_on_their_side():
    orders = [sell("sstop", S - 3, 2, OrderType.STOP), buy("bstop", S + 3, 5, OrderType.STOP),
              sell("bad_sstop", S + 1, 1, OrderType.STOP), buy("bad_bstop", S - 1, 1, OrderType.STOP)]
    ladder = project_ladder(ZN, Price.from_ticks(S, ZN), 0, Fraction(0), orders, padding=1)
    rows = table(ladder)
    # Flat until the sell stop at -3 makes us short 2; -4: short 2 gains a tick = +31.25.
    assert rows[S - 2] == (0, 0)
    assert rows[S - 3] == (-2, 0)
    assert rows[S - 4] == (-2, 2 * TV)
    # Up: the buy stop at +3 makes us long 5; +4 earns 5 ticks.
    assert rows[S + 3] == (5, 0)
    assert rows[S + 4] == (5, 5 * TV)
    # Stops on the wrong side would have triggered already: flagged, shown, not applied.
    assert rows[S + 1] == (0, 0) and rows[S - 1] == (0, 0)
    assert set(ladder.through_spot) == {"bad_sstop", "bad_bstop"}
    assert ladder.row_at(S + 1).through_spot == ("bad_sstop",) and ladder.row_at(S + 1).sell_qty == 1
    assert ladder.row_at(S - 1).through_spot == ("bad_bstop",) and ladder.row_at(S - 1).buy_qty == 1


def test_through_spot_limits_are_flagged_not_applied_and_old_app_applies_them():
    # A buy limit above spot and a sell limit below it (and two exactly at an on-tick spot: at spot).
    orders = [buy("b_above", S + 2, 4), sell("s_below", S - 2, 3), sell("s_at", S, 1), buy("b_at", S, 2)]
    spot = Price.from_ticks(S, ZN)
    checked = project_ladder(ZN, spot, 0, Fraction(0), orders, padding=1)
    assert set(checked.through_spot) == {"b_above", "s_below"}
    assert set(checked.at_spot) == {"s_at", "b_at"}
    rows = table(checked)
    assert rows[S] == (0, 0)  # neither order at spot has filled on the spot row
    assert rows[S + 1] == (-1, -TV)  # the sell 1 at spot filled on the first tick up: short 1 loses a tick
    assert rows[S + 3] == (-1, -3 * TV)  # b_above never applied
    assert rows[S - 1] == (2, -2 * TV)  # the buy 2 at spot filled on the first tick down
    assert rows[S - 3] == (2, -3 * 2 * TV)  # long 2 from spot, s_below never applied
    assert checked.row_at(S).buy_qty == 2 and checked.row_at(S).sell_qty == 1
    assert set(checked.row_at(S).at_spot) == {"s_at", "b_at"} and checked.row_at(S).through_spot == ()
    assert all(not r.at_spot for r in checked.rows if r.price != S)
    old = project_ladder(ZN, spot, 0, Fraction(0), orders, padding=1, side_checked=False)
    assert old.through_spot == () and old.at_spot == ()
    rows = table(old)
    assert rows[S] == (1, 0)  # the seed: buy 2 and sell 1 at spot both applied on the spot row
    assert rows[S + 2] == (4, 0)  # the buy limit above spot applied on the way up
    assert rows[S - 2] == (-2, -2 * TV)  # long 1 loses 2 ticks, then the sell 3 makes it short 2


def test_orders_at_an_on_tick_spot_fill_on_the_first_move_away_both_sides_alike():
    # Long 1, B0 $100. At spot: buy limit 2 and sell stop 1 (fill going down), sell limit 3 and buy stop 4
    # (fill going up). None of them has filled at spot.
    orders = [buy("bl", S, 2), sell("ss", S, 1, OrderType.STOP), sell("sl", S, 3), buy("bs", S, 4, OrderType.STOP)]
    ladder = project_ladder(ZN, Price.from_ticks(S, ZN), 1, Fraction(100), orders, padding=2)
    rows = table(ladder)
    assert rows[S] == (1, Fraction(100))  # the base: what the POSITION and TOTAL P&L cards show
    # Down: 1 + 2 - 1 = long 2 from S, so each tick down costs 2 ticks.
    assert rows[S - 1] == (2, 100 - 2 * TV)
    assert rows[S - 2] == (2, 100 - 4 * TV)
    # Up: 1 - 3 + 4 = long 2 from S, so each tick up earns 2 ticks.
    assert rows[S + 1] == (2, 100 + 2 * TV)
    assert rows[S + 2] == (2, 100 + 4 * TV)
    assert ladder.through_spot == () and set(ladder.at_spot) == {"bl", "ss", "sl", "bs"}
    assert ladder.row_at(S).is_spot and set(ladder.row_at(S).at_spot) == {"bl", "ss", "sl", "bs"}
    # The case: short 77 with a buy 8 at spot: the spot row says -77, not -69; a sell 8 at spot
    # likewise says -77 there and -85 one tick up.
    for o, below, above in ((buy("b", S, 8), -69, -77), (sell("s", S, 8), -77, -85)):
        one = project_ladder(ZN, Price.from_ticks(S, ZN), -77, Fraction(0), [o], padding=1)
        assert (one.row_at(S).position, one.row_at(S - 1).position, one.row_at(S + 1).position) == (-77, below, above)


def test_between_ticks_nothing_is_at_spot():
    # Spot half a tick above S: a buy limit at S fills when price trades down to S, a sell limit at S is
    # below spot (through), a sell limit at S + 1 fills going up.
    spot = Price.from_ticks(Fraction(2 * S + 1, 2), ZN)
    orders = [buy("b", S, 2), sell("s_through", S, 1), sell("s", S + 1, 3)]
    ladder = project_ladder(ZN, spot, 0, Fraction(0), orders, padding=1)
    assert ladder.at_spot == () and ladder.through_spot == ("s_through",)
    assert table(ladder)[S] == (2, 0) and table(ladder)[S + 1] == (-3, 0)
    assert ladder.row_at(S).is_spot and ladder.row_at(S).at_spot == ()


def test_window_orders_between_spot_and_window_apply_orders_beyond_it_do_not():
    orders = [buy("near", S - 5, 2), buy("far", S - 50, 7), sell("up", S + 5, 1)]
    ladder = project_ladder(ZN, Price.from_ticks(S, ZN), 0, Fraction(0), orders, high=S - 10, low=S - 20)
    assert len(ladder.rows) == 11 and ladder.rows[0].price == S - 10 and ladder.rows[-1].price == S - 20
    # "near" lies between spot and the window: applied on the way down, so every row shows long 2 and
    # the P&L of being long 2 from S-5: at S-10 that is 2 * -5 ticks.
    assert ladder.row_at(S - 10).position == 2
    assert ladder.row_at(S - 10).projected_pnl == -10 * TV
    assert ladder.row_at(S - 20).position == 2  # "far" is beyond the window: not reached
    assert ladder.row_at(S) is None and ladder.index_of(S) is None
    assert ladder.row_at(S - 21) is None
    with pytest.raises(InputError, match="empty"):
        project_ladder(ZN, Price.from_ticks(S, ZN), 0, Fraction(0), orders, high=S, low=S + 1)


def test_default_window_covers_orders_and_spot_with_padding():
    orders = [buy("b", S - 7, 1), sell("s", S + 3, 1)]
    ladder = project_ladder(ZN, Price.from_ticks(S, ZN), 0, Fraction(0), orders, padding=4)
    assert (ladder.high, ladder.low) == (S + 7, S - 11)
    only_spot = project_ladder(ZN, Price.from_ticks(S, ZN), 3, Fraction(5), [], padding=0)
    assert [r.price for r in only_spot.rows] == [S]
    assert only_spot.rows[0] == LadderRow(S, 0, 0, 3, Fraction(5), 3 * TV, Fraction(5) / (3 * TV), True, ())


def test_what_if_quantities_and_duplicate_ids():
    orders = [buy("real", S - 1, 2), buy("wi", S - 1, 5, what_if=True), sell("wis", S + 1, 1, what_if=True),
              buy("dup", S - 2, 9), buy("dup", S - 2, 4)]  # the later "dup" replaces the earlier one
    ladder = project_ladder(ZN, Price.from_ticks(S, ZN), 0, Fraction(0), orders, padding=1)
    row = ladder.row_at(S - 1)
    assert (row.buy_qty, row.what_if_buy, row.position) == (7, 5, 7)  # what-if orders are applied too
    assert (ladder.row_at(S + 1).sell_qty, ladder.row_at(S + 1).what_if_sell) == (1, 1)
    assert ladder.row_at(S - 2).buy_qty == 4 and ladder.row_at(S - 2).position == 11


def test_breakeven_zero_where_flat_or_zero_pnl():
    ladder = project_ladder(ZN, Price.from_ticks(S, ZN), 0, Fraction(50), [buy("b", S - 1, 1)], padding=1)
    assert ladder.row_at(S).breakeven == 0 and ladder.row_at(S).risk == 0  # flat
    one = project_ladder(ZN, Price.from_ticks(S, ZN), 2, Fraction(0), [], padding=0)
    assert one.row_at(S).breakeven == 0 and one.row_at(S).risk == 2 * TV  # zero P&L


def test_rows_are_a_sequence():
    ladder = project_ladder(ZN, Price.from_ticks(S, ZN), 1, Fraction(0), [buy("b", S - 3, 1)], padding=5)
    rows = ladder.rows
    assert len(rows) == 14
    as_list = list(rows)
    assert rows[-1] == as_list[-1] and rows[0] == as_list[0]
    assert rows[2:5] == as_list[2:5] and rows[::-1] == as_list[::-1]
    assert rows == as_list and ladder.index_of(S) == ladder.high - S
    assert rows[ladder.index_of(S)].price == S
    with pytest.raises(IndexError):
        rows[14]
    # rows are values: two projections of the same input compare equal.
    again = project_ladder(ZN, Price.from_ticks(S, ZN), 1, Fraction(0), [buy("b", S - 3, 1)], padding=5)
    assert again == ladder


# --- the TT working-orders fixture ------------------------------------------------------------------

def fixture_orders(fixtures_dir: Path) -> list[WorkingOrder]:
    """A minimal read of TT's order JSON (the real importer lives elsewhere): skip the order with no price."""
    data = json.loads((fixtures_dir / "tt_working_orders_response.json").read_text())
    orders = []
    for o in data["orders"]:
        if o.get("price") is None or not o.get("leavesQuantity"):
            continue
        stop = o["orderType"] == "4"
        price = o["stopPrice"] if stop else o["price"]
        orders.append(WorkingOrder(o["orderId"], str(o["accountId"]), "ZN Jun25", Side.parse(o["side"]),
                                   OrderType.STOP if stop else OrderType.LIMIT, ticks_from_number(price, ZN),
                                   int(o["leavesQuantity"])))
    return orders


def test_fixture_book_at_110_08(fixtures_dir):
    orders = fixture_orders(fixtures_dir)
    assert len(orders) == 6
    spot = parse_price("110'080", ZN)  # 110.25: buys 110'140/110'055/110'040 below, sells above, stop below
    ladder = project_ladder(ZN, spot, 0, Fraction(0), orders)
    assert ladder.through_spot == ()
    t = lambda text: parse_price(text, ZN).ticks(ZN)  # noqa: E731
    # Down from 110'080: buy 40 at 110'070 (110.21875), buy 80 at 110'055, buy 160 at 110'040, sell stop 1 at
    # 110'015 -> 40, 120, 280, 279.
    assert ladder.row_at(t("110'070")).position == 40
    assert ladder.row_at(t("110'055")).position == 120
    assert ladder.row_at(t("110'040")).position == 280
    assert ladder.row_at(t("110'015")).position == 279
    # P&L at 110'040: long 40 for 3 ticks (110'070 -> 110'055) and long 120 for 3 ticks (-> 110'040).
    assert ladder.row_at(t("110'040")).projected_pnl == -(40 * 3 + 120 * 3) * TV == -7500
    # Up: sell 15 at 110'100, sell 4 at 110'120.
    assert ladder.row_at(t("110'100")).position == -15
    assert ladder.row_at(t("110'120")).position == -19
    assert ladder.row_at(t("110'120")).projected_pnl == -15 * 4 * TV
    assert project_ladder(ZN, spot, 0, Fraction(0), orders, side_checked=False) == ladder


def test_fixture_book_with_spot_below_the_top_bids(fixtures_dir):
    orders = fixture_orders(fixtures_dir)
    spot = parse_price("110'050", ZN)  # 110.15625: the bids at 110'055 and 110'070 are through the spot
    ladder = project_ladder(ZN, spot, 0, Fraction(0), orders)
    assert set(ladder.through_spot) == {"0aca0322-8ef1-4607-951d-93224663017b", "93d784cb-7686-492a-92e9-6d4f3f8897a6"}
    top = ladder.row_at(parse_price("110'070", ZN).ticks(ZN))
    assert top.buy_qty == 40 and top.position == 0 and top.through_spot == ("93d784cb-7686-492a-92e9-6d4f3f8897a6",)
    assert ladder.row_at(parse_price("110'100", ZN).ticks(ZN)).position == -15


# --- properties -------------------------------------------------------------------------------------

def reference_ladder(product, spot: Price, p0: int, b0: Fraction, orders, high: int, low: int,
                     side_checked: bool) -> dict[int, tuple[int, Fraction, tuple[str, ...], tuple[str, ...]]]:
    """DESIGN §3.4 literally, written apart from ladder.py: for every row, walk tick by tick from the exact
    spot with Fractions. Returns price -> (position, pnl, through ids, at-spot ids)."""
    s = spot.value
    s_ticks = spot.ticks(product)
    on_tick = s_ticks.denominator == 1
    s_tick = math.floor(s_ticks)
    pv = product.point_value
    last = {}
    for o in orders:  # a later order with the same id replaces an earlier one
        last.pop(o.order_id, None)
        last[o.order_id] = o
    orders = list(last.values())

    def fills_going_down(o):
        return (o.side is Side.BUY) == (o.order_type is OrderType.LIMIT)

    def resting_at_spot(o):
        return side_checked and on_tick and o.price == s_tick

    def fills(o, down):
        if not side_checked:
            return True
        return fills_going_down(o) == down

    result = {}
    for row in range(low, high + 1):
        down = row <= s_tick
        at_row = [o for o in orders if o.price == row]
        at_spot = tuple(o.order_id for o in at_row if resting_at_spot(o))
        through = tuple(o.order_id for o in at_row if not resting_at_spot(o) and not fills(o, down))
        if side_checked and on_tick and row == s_tick:
            result[row] = (p0, b0, through, at_spot)
            continue
        # Leaving spot: orders resting at an on-tick spot that fill on the first move this way.
        pos = p0 + sum(o.signed_qty for o in orders if resting_at_spot(o) and fills_going_down(o) == down)
        pnl, prev = b0, s
        path = range(s_tick, row - 1, -1) if down else range(s_tick + 1, row + 1)
        for level in path:
            if side_checked and on_tick and level == s_tick:
                continue
            price = Fraction(level, product.ticks_per_point)
            pnl += pos * (price - prev) * pv
            prev = price
            pos += sum(o.signed_qty for o in orders if o.price == level and fills(o, down))
        result[row] = (pos, pnl, through, at_spot)
    return result


def books(draw_spot_offset=st.integers(0, 3), denominators=(1, 2, 4)):
    """Random books around a spot on or between ticks, with many orders on the ticks at or around spot
    (limits and stops, both sides) so that orders exactly at an on-tick spot are common."""
    @st.composite
    def build(draw):
        product = draw(st.sampled_from([PRODUCTS["ZN"], PRODUCTS["ZT"], PRODUCTS["ZB"], PRODUCTS["SR3"]]))
        base = 100 * product.ticks_per_point
        denominator = draw(st.sampled_from(denominators))
        spot_ticks = Fraction(base * denominator + draw(draw_spot_offset), denominator)
        spot = Price.from_ticks(spot_ticks, product)
        near = sorted({math.floor(spot_ticks), math.ceil(spot_ticks)})
        n = draw(st.integers(0, 12))
        orders = [WorkingOrder(f"o{i}", "A", f"{product.symbol} Sep25", draw(st.sampled_from(list(Side))),
                               draw(st.sampled_from(list(OrderType))),
                               draw(st.one_of(st.integers(base - 15, base + 15), st.sampled_from(near))),
                               draw(st.integers(1, 50)), what_if=draw(st.booleans())) for i in range(n)]
        return product, spot, draw(st.integers(-30, 30)), Fraction(draw(st.integers(-10**6, 10**6)), 8), orders
    return build()


def rows_of(ladder: Ladder) -> dict[int, tuple[int, Fraction, tuple[str, ...], tuple[str, ...]]]:
    return {r.price: (r.position, r.projected_pnl, r.through_spot, r.at_spot) for r in ladder.rows}


@settings(max_examples=300, deadline=None)
@given(books(), st.booleans(), st.integers(-25, 25), st.integers(0, 20))
def test_matches_the_literal_walk_and_applies_each_order_at_most_once(book, side_checked, edge, width):
    product, spot, p0, b0, orders = book
    base = 100 * product.ticks_per_point
    high, low = base + edge, base + edge - width
    ladder = project_ladder(product, spot, p0, b0, orders, high=high, low=low, side_checked=side_checked)
    assert rows_of(ladder) == reference_ladder(product, spot, p0, b0, orders, high, low, side_checked)
    # At most once: the position moves from P0 by exactly the sum of the orders applied between spot and
    # each row (an order at an on-tick spot: only on the rows of its direction), never by a through one.
    through, at_spot = set(ladder.through_spot), set(ladder.at_spot)
    for row in ladder.rows:
        down = row.price <= ladder.spot_tick
        crossed = [o for o in orders if (row.price <= o.price <= ladder.spot_tick if down
                                         else ladder.spot_tick < o.price <= row.price)]
        resting = [o for o in orders if o.order_id in at_spot and row.price != ladder.spot_tick
                   and ((o.side is Side.BUY) == (o.order_type is OrderType.LIMIT)) == down]
        applied = [o for o in crossed if o.order_id not in through | at_spot] + resting
        assert row.position == p0 + sum(o.signed_qty for o in applied)
        assert row.risk == row.position * product.tick_value


@settings(max_examples=300, deadline=None)
@given(books(denominators=(1,)), st.integers(0, 12))
def test_the_spot_row_is_always_the_base(book, padding):
    """On an on-tick spot the spot row equals the POSITION and TOTAL P&L cards, whatever rests there."""
    product, spot, p0, b0, orders = book
    ladder = project_ladder(product, spot, p0, b0, orders, padding=padding)
    row = ladder.row_at(ladder.spot_tick)
    assert row.is_spot and (row.position, row.projected_pnl) == (p0, b0)
    s = ladder.spot_tick
    assert set(row.at_spot) == {o.order_id for o in orders if o.price == s}
    assert not set(ladder.through_spot) & set(ladder.at_spot)


@settings(max_examples=200, deadline=None)
@given(books(denominators=(1, 2)), st.integers(0, 8))
def test_both_sides_alike_a_mirrored_book_mirrors_the_ladder(book, padding):
    """Reflect the book through spot (price 2S - p, sides swapped, position negated): every row's
    position is negated and its P&L unchanged. A rule that favoured one side at spot would break it."""
    product, spot, p0, b0, orders = book
    two_s = 2 * spot.ticks(product)
    mirrored = [replace(o, price=int(two_s - o.price), side=Side.SELL if o.side is Side.BUY else Side.BUY)
                for o in orders]
    ladder = project_ladder(product, spot, p0, b0, orders, padding=padding)
    other = project_ladder(product, spot, -p0, b0, mirrored, high=int(two_s - ladder.low),
                           low=int(two_s - ladder.high))
    for row in ladder.rows:
        twin = other.row_at(int(two_s - row.price))
        assert (twin.position, twin.projected_pnl) == (-row.position, row.projected_pnl)
        assert set(twin.at_spot) == set(row.at_spot) and set(twin.through_spot) == set(row.through_spot)


@settings(max_examples=100, deadline=None)
@given(books(st.integers(0, 0)), st.integers(0, 12))
def test_normal_book_same_with_or_without_side_check(book, padding):
    product, spot, p0, b0, orders = book
    s = spot.ticks(product)
    # Make it normal: buy limits / sell stops below spot, sell limits / buy stops above it (an order
    # exactly at spot is where the seed differs: it applied it on the spot row).
    normal = [o for o in orders if o.price != s
              and ((o.side is Side.BUY) == (o.order_type is OrderType.LIMIT)) == (o.price < s)]
    checked = project_ladder(product, spot, p0, b0, normal, padding=padding)
    assert checked.through_spot == () and checked.at_spot == ()
    assert project_ladder(product, spot, p0, b0, normal, padding=padding, side_checked=False) == checked


@settings(max_examples=100, deadline=None)
@given(books())
def test_through_spot_orders_never_change_position_or_pnl(book):
    product, spot, p0, b0, orders = book
    ladder = project_ladder(product, spot, p0, b0, orders, padding=3)
    through = set(ladder.through_spot)
    without = project_ladder(product, spot, p0, b0, [o for o in orders if o.order_id not in through],
                             high=ladder.high, low=ladder.low)
    assert without.through_spot == ()
    assert [(r.position, r.projected_pnl) for r in ladder.rows] == [(r.position, r.projected_pnl)
                                                                    for r in without.rows]
    assert sum(r.buy_qty + r.sell_qty for r in ladder.rows) == sum(o.quantity for o in orders)


@settings(max_examples=100, deadline=None)
@given(books())
def test_spot_mark_says_what_the_projection_does(book):
    """The what-if menu warns with `spot_mark` before an order exists; it must agree with the ladder."""
    product, spot, p0, b0, orders = book
    ladder = project_ladder(product, spot, p0, b0, orders, padding=3)
    through, at_spot = set(ladder.through_spot), set(ladder.at_spot)
    for o in orders:
        mark = spot_mark(o.side is Side.BUY, o.order_type, o.price, spot.ticks(product))
        assert mark == ("through" if o.order_id in through else "at_spot" if o.order_id in at_spot else "")
