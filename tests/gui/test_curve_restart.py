"""The intraday P&L curve survives a restart (issue 15 §2): the window stores its curve points through
the store's writer, and a window started again on the same store draws them before any new point.

The expected chart is computed here from the stored rows alone (sqlite3, no app code): per moment,
the sum over the accounts' books of each one's latest total.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from datetime import datetime, time, timedelta, timezone
from fractions import Fraction
from pathlib import Path

from zoneinfo import ZoneInfo

from zn_ladder.config.settings import Settings
from zn_ladder.domain.records import Fill, Side
from zn_ladder.store.store import Store
from zn_ladder.tt.sim import DEMO_API_KEY, DEMO_API_SECRET, SimConfig, SimulatorServer

from .live_app import FAST
from .test_app_launch import no_keyring  # noqa: F401 - the fixture: an empty keyring of the test's own

CHI = ZoneInfo("America/Chicago")


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


def _controller(tmp_path: Path, url: str):
    from zn_ladder.app import AppController

    settings = Settings()
    settings = dataclasses.replace(settings, tt=dataclasses.replace(settings.tt, environment="LIVE", base_url=url,
                                                                    usage_plan="high"))
    return AppController(settings, db_path=tmp_path / "live.sqlite3", ui_state=tmp_path / "w.ini", intervals=FAST)


def test_the_chart_starts_from_the_stored_curve_after_a_restart(qtbot, tmp_path, ui_home, no_keyring,
                                                                 monkeypatch) -> None:
    """A LIVE window (the demo starts a fresh store each launch) closed and opened again on its store."""
    monkeypatch.setenv("ZN_LADDER_TT_KEY", DEMO_API_KEY)
    monkeypatch.setenv("ZN_LADDER_TT_SECRET", DEMO_API_SECRET)
    db = tmp_path / "live.sqlite3"
    with SimulatorServer(SimConfig(seed=3, env="ext_prod_live", history_fills=8, step_interval=0.2)) as sim:
        first = _controller(tmp_path, sim.url)
        qtbot.addWidget(first.window)
        first.start()
        try:
            qtbot.waitUntil(lambda: len(_stored(db)) >= 4 and len(_history(first)) >= 2, timeout=20_000)
        finally:
            first.window.close()
            assert first.shutdown()
        rows = _stored(db)
        assert len({(a, m) for _, a, m, _ in rows}) >= 2  # each of the simulator's accounts has its book's points
        expected = _chart_of(rows)
        assert len(expected) >= 2
        # A fill of an earlier weekday, 10:00 in Chicago (its own trading day), stored as the monitor would:
        # the store closes that day and the second window lists it.
        account = rows[0][1]
        earlier = datetime.now(CHI).date() - timedelta(days=3)
        while earlier.weekday() >= 5:
            earlier -= timedelta(days=1)
        with Store.open(db) as store:
            store.ingest([Fill("earlier-1", account, "ZN Dec26", Side.BUY, 2, 7040,
                               int(datetime.combine(earlier, time(10, 0), CHI).timestamp()) * 10**9)],
                         environment="ext_prod_live")

        second = _controller(tmp_path, sim.url)
        qtbot.addWidget(second.window)
        second.start()
        try:
            qtbot.waitUntil(lambda: len(_history(second)) > len(expected), timeout=20_000)
            shown = list(_history(second))
            assert shown[:len(expected)] == expected  # the stored curve first, then the new points
            assert shown[len(expected)][0] > expected[-1][0]
            # and the chart draws it: its first point is the first stored moment
            def drawn() -> int:
                xs = second.window.charts.intraday_curve.getData()[0]
                return 0 if xs is None else len(xs)

            qtbot.waitUntil(lambda: drawn() > len(expected), timeout=10_000)
            xs, ys = second.window.charts.intraday_curve.getData()
            assert (xs[0], ys[0]) == (expected[0][0].timestamp(), float(expected[0][1]))
            qtbot.waitUntil(lambda: second.window.days.model.rowCount() == 1, timeout=10_000)
            model = second.window.days.model
            cells = {c.title: model.data(model.index(0, i)) for i, c in enumerate(model.columns)}
            assert (cells["Day"], cells["Account"], cells["Fills"], cells["Volume"]) == \
                (earlier.isoformat(), account, "1", "2")
        finally:
            second.window.close()
            assert second.shutdown()
