"""Closed trading days (issue 15 §2) against an independent recompute from the fills.

The recompute here shares nothing with the code: each fill's trading day is read off its Chicago wall
clock (at or after 16:00: the next date; Saturday and Sunday: Monday), and the matching is unit by
unit: every contract is its own lot, a closing unit takes the newest (LIFO) or oldest (FIFO) open one,
and realizes (exit - entry) ticks in the entry's direction. An SOD dated D replaces the lots when day
D opens. The fills span the 2026 spring-forward weekend, busts and corrections arrive after the days
closed, and the store's rows must follow.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from fractions import Fraction
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.records import CorrectionKind, Fill, FillCorrection, Side, SodLot
from zn_ladder.store import days as store_days
from zn_ladder.store.curve import CurvePoint
from zn_ladder.store.store import Store

ZN = get_product("ZN")
CONTRACT = "ZN Jun26"
CHICAGO = ZoneInfo("America/Chicago")
FIRST = date(2026, 3, 4)  # a Wednesday; the clocks change on Sunday 8 March
NOW = datetime(2026, 3, 20, 12, 0, tzinfo=timezone.utc)


def _wall_day(wall: datetime) -> date:
    day = wall.date() + timedelta(days=1 if wall.time() >= time(16, 0) else 0)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _units(lots):
    return [(1 if q > 0 else -1, p) for q, p in lots for _ in range(abs(q))]


def _recompute(live: list[tuple[date, int, int]], sods: dict[date, list[tuple[int, int]]], method: str):
    """day -> (realized ticks, position, fills, volume, last price, open units) from (day, qty, price)."""
    out = {}
    units: list[tuple[int, int]] = []
    previous = None
    for day in sorted({d for d, _, _ in live}):
        opening = [d for d in sods if (previous is None or d > previous) and d <= day]
        if opening:
            units = _units(sods[max(opening)])
        realized = 0
        todays = [(q, p) for d, q, p in live if d == day]
        for qty, price in todays:
            sign = 1 if qty > 0 else -1
            for _ in range(abs(qty)):
                if units and units[-1 if method == "lifo" else 0][0] == -sign:
                    entry_sign, entry = units.pop(-1 if method == "lifo" else 0)
                    realized += (price - entry) * entry_sign
                else:
                    units.append((sign, price))
        out[day] = (realized, sum(s for s, _ in units), len(todays), sum(abs(q) for q, _ in todays),
                    todays[-1][1], list(units))
        previous = day
    return out


def _ns(wall: datetime) -> int:
    return int(wall.timestamp()) * 10**9


fill_specs = st.lists(st.tuples(st.integers(0, 9), st.integers(0, 23), st.integers(0, 59),
                                st.sampled_from([1, -1]), st.integers(1, 4), st.integers(7000, 7012),
                                st.sampled_from(["A1", "A2"])), min_size=1, max_size=40)
change_specs = st.lists(st.tuples(st.integers(0, 39), st.booleans(), st.integers(1, 4), st.integers(7000, 7012)),
                        max_size=4)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(specs=fill_specs, changes=change_specs, sod_day=st.sampled_from([None, 1, 5, 6]),
       sod_qty=st.integers(-3, 3))
def test_closed_days_equal_a_unit_by_unit_recompute(tmp_path: Path, specs, changes, sod_day, sod_qty):
    path = tmp_path / f"days-{abs(hash((tuple(specs), tuple(changes), sod_day, sod_qty)))}.sqlite3"
    fills, walls = [], []
    for i, (day, hour, minute, side, qty, price, account) in enumerate(specs):
        wall = datetime.combine(FIRST + timedelta(days=day), time(hour, minute), tzinfo=CHICAGO)
        walls.append(wall)
        fills.append(Fill(f"f{i}", account, CONTRACT, Side(side), qty, price, _ns(wall), source="tt_api"))
    sod = []
    if sod_day is not None and sod_qty:
        sod = [SodLot("A1", CONTRACT, sod_qty, 7006, (FIRST + timedelta(days=sod_day)).isoformat())]
    corrections, live = [], {f.key: (f.qty * f.side, f.price) for f in fills}
    for n, (index, bust, qty, price) in enumerate(changes):
        if index >= len(fills) or fills[index].key not in live:
            continue
        key = fills[index].key
        if bust:
            corrections.append(FillCorrection(f"c{n}", key, CorrectionKind.BUST, fills[index].time_ns + 1))
            del live[key]
        else:
            corrections.append(FillCorrection(f"c{n}", key, CorrectionKind.CORRECT, fills[index].time_ns + 1,
                                              qty=qty, price=price))
            live[key] = (qty * fills[index].side, price)

    with Store.open(path) as store:
        store.clock = lambda: _ns(NOW)
        if sod:
            store.put_sod(sod)
        store.ingest(fills)  # the days close on this batch (the clock is past them)
        assert store.closed_days()
        store.ingest([], corrections)  # changes to closed days: their rows are dropped and closed again
        rows = {(d.account, d.day): d for d in store.closed_days()}

    sods = {date.fromisoformat(lot.date): [(lot.qty, lot.price)] for lot in sod}
    expected_keys = set()
    for account in ("A1", "A2"):
        order = sorted((f.time_ns, i) for i, f in enumerate(fills) if f.account == account and f.key in live)
        seq = [(_wall_day(walls[i]), *live[fills[i].key]) for _, i in order]
        by_method = {m: _recompute(seq, sods if account == "A1" else {}, m) for m in ("lifo", "fifo")}
        for day, (realized, position, count, volume, last, units) in by_method["lifo"].items():
            expected_keys.add((account, day))
            row = rows[(account, day)]
            fifo = by_method["fifo"][day]
            assert (row.realized_lifo_units, row.realized_fifo_units) == (realized, fifo[0])
            assert (row.position, row.fills, row.volume) == (position, count, volume) == (fifo[1], fifo[2], fifo[3])
            assert row.realized("lifo") == realized * Fraction(15625, 1000)  # ZN: 1/64 point = $15.625
            # No curve point was stored: the close is marked at the book's last fill of the day.
            assert (row.mark, row.mark_source) == (Fraction(last, 64), store_days.MARK_LAST_FILL)
            assert row.unrealized_lifo == sum((last - p) * s for s, p in units) * Fraction(15625, 1000)
            assert row.unrealized_fifo == sum((last - p) * s for s, p in fifo[5]) * Fraction(15625, 1000)
    assert set(rows) == expected_keys


def test_a_day_closes_at_16_00_chicago_and_sunday_evening_is_monday(store_url: str):
    """Friday 15:59 and 16:00, Sunday 17:00, Monday 15:00: two days (Friday's, Monday's), the clock moves."""
    walls = [datetime(2026, 3, 6, 15, 59), datetime(2026, 3, 6, 16, 0), datetime(2026, 3, 8, 17, 0),
             datetime(2026, 3, 9, 15, 0)]
    fills = [Fill(f"f{i}", "A1", CONTRACT, Side(1 if i % 2 == 0 else -1), 1, 7000 + i, _ns(w.replace(tzinfo=CHICAGO)))
             for i, w in enumerate(walls)]
    with Store.open(store_url) as store:
        store.clock = lambda: _ns(datetime(2026, 3, 9, 15, 30, tzinfo=CHICAGO))  # Monday, still open
        store.ingest(fills)
        assert [(d.day, d.fills, d.realized_lifo_units) for d in store.closed_days()] == [(date(2026, 3, 6), 1, 0)]
        store.clock = lambda: _ns(datetime(2026, 3, 9, 16, 0, tzinfo=CHICAGO))  # Monday's close
        assert store.close_days() == 1
        # Monday: sell 1 @7001 closes Friday's 7000 (+1), buy @7002, sell @7003 (+1).
        monday = store.closed_days(day=date(2026, 3, 9))
        assert [(d.fills, d.volume, d.position, d.realized_lifo_units) for d in monday] == [(3, 3, 0, 2)]


def test_the_close_is_marked_at_the_last_curve_point_and_rebuild_gives_the_same_rows(store_url: str):
    monday = datetime(2026, 3, 9, 10, 0, tzinfo=CHICAGO)
    with Store.open(store_url) as store:
        store.clock = lambda: _ns(monday)
        store.ingest([Fill("b", "A1", CONTRACT, Side.BUY, 2, 7000, _ns(monday))])
        mark = Fraction(7004 * 2 + 1, 128)  # between two ticks: 7004.5 ticks
        for minutes, price in ((5, Fraction(7001, 64)), (30, mark)):
            store.put_curve([CurvePoint(_ns(monday + timedelta(minutes=minutes)), "A1", "CME", CONTRACT, 2,
                                        Fraction(0), Fraction(0), Fraction(0), price, "typed")])
        store.put_curve([CurvePoint(_ns(monday + timedelta(hours=7)), "A1", "CME", CONTRACT, 2, Fraction(0),
                                    Fraction(0), Fraction(0), Fraction(1), "next day")])  # 17:00: Tuesday's
        store.clock = lambda: _ns(monday + timedelta(days=1))
        assert store.close_days() == 1
        [row] = store.closed_days()
        assert (row.mark, row.mark_source) == (mark, store_days.MARK_CURVE)
        assert row.unrealized_lifo == row.unrealized_fifo == 2 * Fraction(9, 2) * Fraction(15625, 1000)
        assert store.close_days(rebuild=True) == 1 and store.closed_days() == [row]
        assert store.audit_entries("days_rebuilt")[0].detail == {"rows": 1, "rule": "16:00 America/Chicago"}


def test_a_new_rule_closes_the_days_again_and_says_so(store_url: str):
    """Friday 15:30 Chicago is Friday's under CME's close, Monday's under 15:00 Chicago."""
    from datetime import time as clock

    from zn_ladder.domain.trading_day import TradingDayRule

    path = store_url
    fill = Fill("f", "A1", CONTRACT, Side.BUY, 1, 7000, _ns(datetime(2026, 3, 6, 15, 30, tzinfo=CHICAGO)))
    with Store.open(path) as store:
        store.clock = lambda: _ns(NOW)
        store.ingest([fill])
        assert [d.day for d in store.closed_days()] == [date(2026, 3, 6)]
    with Store.open(path, day_rule=TradingDayRule(clock(15, 0), "America/Chicago")) as store:
        store.clock = lambda: _ns(NOW)
        assert store.close_days() == 1
        assert [d.day for d in store.closed_days()] == [date(2026, 3, 9)]
        [entry] = store.audit_entries("days_rebuilt")
        assert entry.detail == {"rows_dropped": 1, "rule": "15:00 America/Chicago", "was": "16:00 America/Chicago"}
