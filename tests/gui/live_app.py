"""Helpers for the live-app tests: an `AppController` on the built-in simulator, everything in tmp_path."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from zn_ladder.config.settings import Settings
from zn_ladder.workers.demo import demo_sim_config

FAST = {"orders_s": 0.3, "fills_s": 0.3, "positions_s": 1.0, "spot_s": 0.2}


def make_controller(tmp_path: Path, *, sim: dict[str, Any] | None = None, intervals: dict[str, float] | None = None,
                    session: dict[str, Any] | None = None, settings: Settings | None = None) -> Any:
    from zn_ladder.app import AppController

    sim_values = {"seed": 5, "step_interval": 0.2, "history_fills": 12}
    sim_values.update(sim or {})
    return AppController(settings or Settings(), force_demo=True, db_path=tmp_path / "app.sqlite3",
                         ui_state=tmp_path / "window.ini", intervals=intervals or FAST,
                         sim_config=demo_sim_config(**sim_values), session_overrides=session)


def ladder_has_orders(window: Any) -> bool:
    model = window.ladder_model
    return model.snapshot is not None and any(
        model.cells(r).texts[0].strip() or model.cells(r).texts[2].strip() for r in range(model.rowCount()))


def app_threads() -> list[threading.Thread]:
    """Threads the app starts (workers' QThreads show up as dummy threads only when they call Python)."""
    return [t for t in threading.enumerate() if t is not threading.main_thread()]
