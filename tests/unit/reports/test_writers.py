"""The three writers over random days from a real store: the workbook's and the CSV's summary figures
read back equal the independent model (tests/trade_model.py) and the store's books, exactly."""

from __future__ import annotations

import csv
import io
import random
import tempfile
from fractions import Fraction
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.report_store import DAY, corrections_for, make_fills, store_day
from tests.trade_model import model_curve, model_drawdown, model_stats, model_trips, tick_value
from zn_ladder.domain.day_report import report_for_day
from zn_ladder.domain.trading_day import DEFAULT_RULE, day_bounds_ns
from zn_ladder.reports.write import report_bytes
from zn_ladder.store.day import read_day
from zn_ladder.store.db import connect
from zn_ladder.store.snapshot import read_books

MONEY = {"Net of round trips": "net", "Average win": "average_win", "Average loss": "average_loss",
         "Largest win": "largest_win", "Largest loss": "largest_loss"}


def _expected(fills, books) -> dict:
    start = day_bounds_ns(DAY, DEFAULT_RULE)[0]
    closed, _ = model_trips(fills, {}, start)
    stats = model_stats([c[4] for c in closed])
    curve = model_curve(fills, {})
    return {
        "Fills": len(fills), "Round trips": stats["round_trips"], "Winning trips": stats["wins"],
        "Losing trips": stats["losses"], "Realized P&L (LIFO)": sum(
            (b.realized_units * tick_value(b.contract) for b in books if b.method == "lifo"), Fraction(0)),
        "Day's P&L (at last traded prices)": curve[-1], "Maximum drawdown": model_drawdown(curve),
        "Net of round trips": sum((c[4] for c in closed), Fraction(0)),
        **{name: stats[key] for name, key in MONEY.items() if key in stats},
    }


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), count=st.integers(1, 30), busts=st.integers(0, 4))
def test_workbook_and_csv_figures(seed, count, busts) -> None:
    import openpyxl

    rng = random.Random(seed)
    fills = make_fills(rng, count)
    with tempfile.TemporaryDirectory() as tmp:
        day = store_day(Path(tmp) / "s.sqlite3", fills, corrections_for(rng, fills, busts), [])
        start, end = day_bounds_ns(DAY, DEFAULT_RULE)
        conn = connect(day.path, readonly=True)
        try:
            report = report_for_day(read_day(conn, DAY, start, end), day=DAY, rule=DEFAULT_RULE)
            books = read_books(conn)
        finally:
            conn.close()
    expected = _expected(day.fills, books)
    sheet = openpyxl.load_workbook(io.BytesIO(report_bytes(report, ".xlsx")))["Summary"]
    in_book = {r[0]: r[1] for r in sheet.iter_rows(min_row=3, max_row=28, values_only=True)}
    rows = list(csv.reader(io.StringIO(report_bytes(report, ".csv").decode())))
    in_csv = dict(rows[2:rows.index([])])
    for name, value in expected.items():
        if value is None:
            assert in_book[name] == in_csv[name] == "n/a", name
        elif (value * 10**10).denominator != 1:
            # an average may not be a finite decimal (-$265.625 / 3): a double, and 10 places in the CSV
            assert abs(Fraction(in_book[name]) - value) < Fraction(1, 10**9), name
            assert abs(Fraction(in_csv[name]) - value) <= Fraction(1, 2 * 10**10), name
        elif isinstance(value, Fraction):  # sums and extremes of tick values: binary fractions, exact
            assert Fraction(in_book[name]) == Fraction(in_csv[name]) == value, name
        else:
            assert in_book[name] == int(in_csv[name]) == value, name
