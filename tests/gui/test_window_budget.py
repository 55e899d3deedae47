"""The window keeps the day's TT request count in the store too (issue 13 §18): a restarted window counts
on from what the last one spent today instead of starting a fresh allowance."""

from __future__ import annotations

from pathlib import Path

from zn_ladder.domain.instruments import get_product
from zn_ladder.store.store import Store
from zn_ladder.tt.budget import budget_source
from zn_ladder.tt.sim import SimConfig, SimulatorServer
from zn_ladder.workers.demo import demo_connection
from zn_ladder.workers.session import Session, SessionConfig


def run(qtbot, db: Path, sim: SimulatorServer) -> int:
    config = SessionConfig(conn=demo_connection(sim.url), product=get_product("ZN"), env="SIM", db_path=db,
                           orders_s=0.5, fills_s=0.3, positions_s=600.0, spot_mode="manual")
    session = Session(config)
    session.start()
    try:
        qtbot.waitUntil(lambda: session.last_fills is not None and len(session.last_fills.fills) >= 3,
                        timeout=20_000)
        qtbot.wait(500)
        used = session.client.budget.usage().used_today
    finally:
        assert session.stop(5.0)
    return used


def test_a_restarted_window_counts_on(qtbot, tmp_path: Path, ui_home) -> None:
    db = tmp_path / "s.sqlite3"
    with SimulatorServer(SimConfig(step_interval=None, history_fills=6), host="127.0.0.1", port=0) as sim:
        first = run(qtbot, db, sim)
        with Store.open(db) as store:
            saved = store.get_cursor(budget_source("ext_prod_sim", sim.url))
        assert saved is not None and saved["used"] >= first > 0
        second = run(qtbot, db, sim)
    assert second > saved["used"]  # counted on from the saved count, plus this run's own requests
