"""Round trips, statistics, the day's curve, drawdown and P&L by hour against an independent model
(tests/trade_model.py: cash flow, no lots) and a worked example whose figures are derived below."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.journal_model import model_journal
from tests.trade_model import model_curve, model_drawdown, model_stats, model_trips, tick_value
from zn_ladder.domain.records import Fill, Side, SodLot
from zn_ladder.domain.trade_stats import CurvePoint, max_drawdown, pnl_by_hour, trade_stats, walk_day

H = 3_600_000_000_000
#: 2025-07-15 13:00 UTC = 08:00 Chicago (CDT, UTC-5): a whole hour in both clocks.
T0 = 1_752_584_400_000_000_000
ZN_TICK = Fraction(15625, 1000)  # 1/64 point x $1,000


def fill(key: str, side: int, qty: int, price: int, t: int, account: str = "A", contract: str = "ZN Sep25") -> Fill:
    return Fill(key, account, contract, Side(side), qty, price, T0 + t)


def test_worked_example() -> None:
    # buy 2 @ 7000, sell 1 @ 7004, sell 3 @ 7002 (through zero: closes 1, opens short 2), buy 2 @ 7006.
    # Long trip cash: -2x7000 + 7004 + 7002 = +6 ticks = $93.75 (won);
    # short trip: +2x7002 - 2x7006 = -8 ticks = -$125 (lost).
    fills = [fill("a", 1, 2, 7000, 0), fill("b", -1, 1, 7004, 10), fill("c", -1, 3, 7002, H + 20),
             fill("d", 1, 2, 7006, H + 30)]
    walk = walk_day(fills, {}, day_start_ns=T0 - 15 * H)
    assert [(t.direction, t.open_ns - T0, t.close_ns - T0, t.fills, t.max_position, t.pnl) for t in walk.trips] == [
        (1, 0, H + 20, 3, 2, 6 * ZN_TICK), (-1, H + 20, H + 30, 2, 2, -8 * ZN_TICK)]
    stats = trade_stats(walk.trips, walk.curve)
    assert (stats.round_trips, stats.wins, stats.losses, stats.win_rate) == (2, 1, 1, Fraction(1, 2))
    assert stats.profit_factor == Fraction(6, 8)  # 93.75 / 125
    # Curve (marks at each fill's price): 0; 2x(7000-7000) = 0; +4 realized, 1 @ 7000 at 7004 = +8;
    # 6 realized, short 2 @ 7002 at 7002 = +6; closed: 6 - 8 = -2 ticks. Drawdown from +8 to -2 = 10 ticks.
    assert [p.pnl / ZN_TICK for p in walk.curve] == [0, 0, 8, 6, -2]
    assert walk.curve[0].time_ns == T0  # from the first fill, not from the session's open hours before
    assert stats.max_drawdown.amount == 10 * ZN_TICK
    assert (stats.max_drawdown.peak_ns, stats.max_drawdown.trough_ns) == (T0 + 10, T0 + H + 30)
    hours = pnl_by_hour(walk, "America/Chicago")
    # 08:00 Chicago: realized +4 ticks (LIFO = FIFO here), curve 0 -> 8; 09:00: realized +2 - 8, curve 8 -> -2
    assert [(h.start.hour, h.fills, h.lots, h.realized / ZN_TICK, h.pnl_change / ZN_TICK, h.trips_closed)
            for h in hours] == [(8, 2, 3, 4, 8, 0), (9, 2, 5, -6, -10, 2)]


def test_no_losses_no_profit_factor_and_open_trip_left_out() -> None:
    walk = walk_day([fill("a", 1, 1, 7000, 0), fill("b", -1, 1, 7003, 5), fill("c", -1, 4, 7001, 9)], {},
                    day_start_ns=T0)
    stats = trade_stats(walk.trips, walk.curve)
    assert (stats.round_trips, stats.losses, stats.profit_factor, stats.average_loss) == (1, 0, None, None)
    assert [(t.direction, t.max_position) for t in walk.open_trips.values()] == [(-1, 4)]


def test_carried_position_is_a_trip_from_the_day_start() -> None:
    start = T0 - 15 * H
    walk = walk_day([fill("a", -1, 3, 7010, 0)], {("A", "CME", "ZN Sep25"): [(3, 7000)]}, day_start_ns=start)
    assert [(t.carried, t.open_ns, t.pnl) for t in walk.trips] == [(True, start, 30 * ZN_TICK)]


def test_a_day_without_fills_is_a_flat_curve_from_the_day_start() -> None:
    walk = walk_day([], {("A", "CME", "ZN Sep25"): [(2, 7000)]}, day_start_ns=T0)
    assert walk.curve == [CurvePoint(T0, Fraction(0))] and walk.trips == []
    assert [(t.carried, t.max_position) for t in walk.open_trips.values()] == [(True, 2)]


def test_through_zero_the_next_trip_holds_the_rest() -> None:
    # buy 1, sell 4 (closes the long 1, opens short 3), buy 3: the long trip never held more than 1
    walk = walk_day([fill("a", 1, 1, 7000, 0), fill("b", -1, 4, 7001, 1), fill("c", 1, 3, 7000, 2)], {},
                    day_start_ns=T0)
    assert [(t.direction, t.max_position, t.fills) for t in walk.trips] == [(1, 1, 2), (-1, 3, 2)]


def test_drawdown_of_a_rising_curve_is_zero() -> None:
    assert max_drawdown([CurvePoint(i, Fraction(i)) for i in range(5)]).amount == 0


books = st.sampled_from([("A", "ZN Sep25"), ("B", "ZN Sep25"), ("A", "ZF Sep25")])
steps = st.lists(st.tuples(books, st.sampled_from([1, -1]), st.integers(1, 6), st.integers(-4, 4),
                           st.integers(1, 1_800)), min_size=1, max_size=60)
sods = st.lists(st.tuples(books, st.integers(-5, 5).filter(bool), st.integers(-6, 6)), max_size=3,
                unique_by=lambda s: s[0])


def _fills(raw) -> list[Fill]:
    t, out = 0, []
    for i, ((account, contract), side, qty, move, dt) in enumerate(raw):
        t += dt * 1_000_000_000
        base = 7040 if contract.startswith("ZN") else 13500
        out.append(fill(f"k{i}", side, qty, base + move, t, account, contract))
    return out


@settings(max_examples=150, deadline=None)
@given(raw=steps, raw_sod=sods, method=st.sampled_from(["lifo", "fifo"]))
def test_against_the_cash_flow_model(raw, raw_sod, method) -> None:
    fills = _fills(raw)
    opening = {(a, "CME", c): [(q, (7040 if c.startswith("ZN") else 13500) + d)] for (a, c), q, d in raw_sod}
    start = T0 - 15 * H
    walk = walk_day(fills, opening, day_start_ns=start, method=method)
    closed, still_open = model_trips(fills, opening, start)
    assert [((t.account, t.market, t.contract), t.direction, t.open_ns, t.close_ns, t.pnl, t.carried,
             t.max_position) for t in walk.trips] == closed
    assert {k: (t.direction, t.open_ns) for k, t in walk.open_trips.items()} == {
        k: (d, t0) for k, (d, t0, _) in still_open.items()}
    curve = model_curve(fills, opening)
    assert [p.pnl for p in walk.curve] == curve
    stats = trade_stats(walk.trips, walk.curve)
    expected = model_stats([trip[4] for trip in closed])
    assert {k: getattr(stats, k) for k in expected} == expected
    assert stats.max_drawdown.amount == model_drawdown(curve)
    # P&L by hour: Chicago is a whole number of hours from UTC, so its hours are UTC hours.
    hours = {}
    for f, before, after in zip(fills, curve, curve[1:]):
        h = hours.setdefault(f.time_ns // H, [0, 0, Fraction(0), Fraction(0), 0, Fraction(0)])
        h[0] += 1
        h[1] += f.qty
        h[3] += after - before
    sod = [SodLot(a, c, lots[0][0], lots[0][1], "", m) for (a, m, c), lots in opening.items()]
    for row in model_journal(fills, method, sod, None):  # realized of each closing fill's match
        hours[row[4] // H][2] += row[13] * tick_value(row[2])
    for _, _, _, close_ns, pnl, _, _ in closed:
        hours[close_ns // H][4] += 1
        hours[close_ns // H][5] += pnl
    got = pnl_by_hour(walk, "America/Chicago")
    assert [(int(h.start.timestamp()) * 1_000_000_000 // H, h.fills, h.lots, h.realized, h.pnl_change,
             h.trips_closed, h.trips_pnl) for h in got] == [(k, *v) for k, v in sorted(hours.items())]


def test_opening_lots_take_the_latest_sod_up_to_the_day_and_the_fills_since() -> None:
    from datetime import date

    from zn_ladder.domain.day_report import opening_lots
    from zn_ladder.domain.trading_day import DEFAULT_RULE, day_start_ns

    day = date(2025, 7, 15)
    start = lambda d: day_start_ns(d, DEFAULT_RULE)  # noqa: E731
    sod = [SodLot("A", "ZN Sep25", 5, 7000, "2025-07-11"), SodLot("A", "ZN Sep25", 2, 7010, "2025-07-14"),
           SodLot("A", "ZN Sep25", 9, 7020, "2025-07-16"),  # after the day: not yet
           SodLot("B", "ZN Sep25", -1, 7030, "")]  # undated (TT's): the day's own
    earlier = [Fill("f1", "A", "ZN Sep25", Side.BUY, 1, 7005, start(date(2025, 7, 14)) - 1),  # before the 14th's SOD
               Fill("f2", "A", "ZN Sep25", Side.BUY, 3, 7012, start(date(2025, 7, 14)) + 1)]
    assert opening_lots(sod, earlier, day, "lifo", start) == {("A", "CME", "ZN Sep25"): [(2, 7010), (3, 7012)],
                                                             ("B", "CME", "ZN Sep25"): [(-1, 7030)]}
