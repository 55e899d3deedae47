"""The intraday P&L curve survives a restart (issue 15 §2): the window stores its curve points through
the store's writer, and a window started again on the same store draws them before any new point.

The expected chart is computed here from the stored rows alone (sqlite3, no app code): per moment,
the sum over the accounts' books of each one's latest total.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from fractions import Fraction
from pathlib import Path

from .live_app import make_controller


def _stored(path: Path) -> list[tuple[int, str, str, Fraction]]:
    if not path.exists():
        return []  # the store's writer has not opened it yet
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'pnl_curve'").fetchone():
            return []  # not migrated yet
        rows = conn.execute("SELECT time_ns, account, market, total FROM pnl_curve ORDER BY time_ns, account, market")
        return [(t, a, m, Fraction(total)) for t, a, m, total in rows]


def _chart_of(rows: list[tuple[int, str, str, Fraction]]) -> list[tuple[datetime, Fraction]]:
    latest: dict[tuple[str, str], Fraction] = {}
    chart: dict[int, Fraction] = {}
    for t, account, market, total in rows:
        latest[(account, market)] = total
        chart[t] = sum(latest.values())
    epoch = datetime(1970, 1, 1, tzinfo=timezone.utc)
    return [(epoch + timedelta(microseconds=t // 1000), total) for t, total in sorted(chart.items())]


def _history(controller) -> tuple:
    result = controller.session.last_result if controller.session else None
    return result.pnl.history if result is not None else ()


def test_the_chart_starts_from_the_stored_curve_after_a_restart(qtbot, tmp_path, ui_home) -> None:
    first = make_controller(tmp_path)
    qtbot.addWidget(first.window)
    first.start()
    try:
        qtbot.waitUntil(lambda: len(_stored(tmp_path / "app.sqlite3")) >= 4 and len(_history(first)) >= 3,
                        timeout=20_000)
    finally:
        first.window.close()
        assert first.shutdown()
    rows = _stored(tmp_path / "app.sqlite3")
    assert rows and all(total == total for *_, total in rows)
    accounts = {(a, m) for _, a, m, _ in rows}
    assert len(accounts) >= 2  # the demo's accounts each have their book's points
    expected = _chart_of(rows)

    second = make_controller(tmp_path, sim={"step_interval": None})  # a still market: only stored points differ
    qtbot.addWidget(second.window)
    second.start()
    try:
        qtbot.waitUntil(lambda: len(_history(second)) >= len(expected), timeout=20_000)
        shown = list(_history(second))
        print("EXPECTED", expected[:5], len(expected)); print("SHOWN", shown[:8], len(shown))
        assert shown[:len(expected)] == expected
        # and the chart draws them: its x data starts at the first stored moment
        qtbot.waitUntil(lambda: second.window.charts.intraday_curve.getData()[0] is not None
                        and len(second.window.charts.intraday_curve.getData()[0]) >= len(expected), timeout=10_000)
        xs, ys = second.window.charts.intraday_curve.getData()
        assert xs[0] == expected[0][0].timestamp() and ys[0] == float(expected[0][1])
    finally:
        second.window.close()
        assert second.shutdown()
