"""The day's report on a busy day: read from the store, built, and written as each format.

A store of N fills in one trading day (default 20,000: a heavy desk day; store_data.desk_fills: two
accounts, two contracts, a random walk), then, timed separately, median of 3: the store's read of the
day (`store.day.read_day`), the report's arithmetic (`report_for_day`: both methods' replays, round
trips, curve, journal, hours) and each writer's bytes (the page includes drawing its chart offscreen).
Run: QT_QPA_PLATFORM=offscreen PYTHONPATH=src python bench/bench_report.py [N]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from store_data import T0, desk_fills  # noqa: E402

from zn_ladder.domain.day_report import report_for_day  # noqa: E402
from zn_ladder.domain.trading_day import DEFAULT_RULE, day_bounds_ns, trading_day  # noqa: E402
from zn_ladder.reports.write import report_bytes  # noqa: E402
from zn_ladder.store.day import read_day  # noqa: E402
from zn_ladder.store.db import connect  # noqa: E402
from zn_ladder.store.store import Store  # noqa: E402


def median_s(fn, runs: int = 3) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    from zn_ladder.ui.report_chart import pnl_chart_png

    day = trading_day(T0, DEFAULT_RULE)
    start, end = day_bounds_ns(day, DEFAULT_RULE)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "s.sqlite3"
        with Store.open(db) as store:
            store.ingest(desk_fills(n))
        conn = connect(db, readonly=True)
        read, rows = median_s(lambda: read_day(conn, day, start, end))
        conn.close()
    build, report = median_s(lambda: report_for_day(rows, day=day, rule=DEFAULT_RULE))
    print(f"{n} fills, {len(report.journal)} journal rows, {report.stats.round_trips} round trips")
    print(f"read the day        {read * 1000:8.0f} ms  ({read / n * 1e6:.1f} us/fill)")
    print(f"report arithmetic   {build * 1000:8.0f} ms  ({build / n * 1e6:.1f} us/fill)")
    for fmt in (".xlsx", ".csv", ".html"):
        took, data = median_s(lambda: report_bytes(report, fmt, pnl_chart_png))
        print(f"write {fmt:<6}        {took * 1000:8.0f} ms  ({took / n * 1e6:.1f} us/fill, {len(data) / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
