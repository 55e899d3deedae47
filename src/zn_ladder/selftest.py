"""`zn-ladder selftest`: open the real window on the embedded simulator and check what it shows.

It waits until the ladder shows live working orders and at least one fill has come through the store,
then checks the window's numbers against the domain's, independently of the code that produced them:
- every visible ladder cell equals a fresh model's cell for a ladder re-projected by
  `domain.ladder.project_ladder` from the same inputs (orders, spot, base);
- the ladder's base (position and P&L at spot) equals a replay of the stored fills and SOD lots by
  `domain.lots` (the store's persisted books are not trusted for this);
- the summary strip shows that position and total P&L;
- the order grid and fills table are not empty.
Exit 0 when all hold, 1 with the reasons otherwise. CI runs it with QT_QPA_PLATFORM=offscreen; the
packaged app uses it as its smoke test. It never touches the user's settings, store or window layout.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

#: Fast polling against the embedded simulator (seconds).
SELFTEST_INTERVALS = {"orders_s": 0.5, "fills_s": 0.5, "positions_s": 2.0, "spot_s": 0.3}


def check_window(window: Any, result: Any) -> list[str]:
    """Problems found comparing the window with the domain for `result` (the ScenarioResult on screen)."""
    from zn_ladder.domain.pnl import ladder_base_from_fills
    from zn_ladder.ui.ladder.model import HEADERS, LadderModel
    from zn_ladder.ui.summary import dollars
    from zn_ladder.workers.scenario import compute_scenario

    problems: list[str] = []
    shown = window.ladder_model
    again = compute_scenario(result.inputs)
    if again is None:
        return ["the scenario inputs on screen have no spot"]
    fresh = LadderModel()
    fresh.set_pnl_units(shown.pnl_units)
    fresh.set_price_style(getattr(shown, "_price_style", "tt"))
    fresh.set_window(shown.top, shown.rowCount())
    fresh.set_snapshot(again.ladder)
    for r in range(shown.rowCount()):
        want, got = fresh.cells(r).texts, shown.cells(r).texts
        for c, (w, g) in enumerate(zip(want, got)):
            if w != g:
                problems.append(f"ladder row {r} ({shown.price_at(r)}) column {HEADERS[c]}: window {g!r}, "
                                f"domain {w!r}")
                if len(problems) > 10:
                    return problems
    ladder = result.ladder.ladder
    inputs = result.inputs
    store = inputs.store
    if store is not None:
        base = ladder_base_from_fills(store.fills, inputs.product, ladder.spot, sod=store.sod,
                                      contract=inputs.contract)
        if base.position != ladder.base_position:
            problems.append(f"ladder base position {ladder.base_position} but the fills replay to {base.position}")
        if base.pnl != ladder.base_pnl:
            problems.append(f"ladder base P&L {ladder.base_pnl} but the fills replay to {base.pnl}")
        position_text = f"{base.position:+d}" if base.position else "0"
        if window.summary.text("position") != position_text:
            problems.append(f"summary position {window.summary.text('position')!r}, domain {position_text!r}")
        if window.summary.text("total") != dollars(base.pnl):
            problems.append(f"summary total {window.summary.text('total')!r}, domain {dollars(base.pnl)!r}")
    return problems


def ladder_shows_orders(window: Any) -> bool:
    model = window.ladder_model
    return any(model.cells(r).texts[0].strip() or model.cells(r).texts[2].strip() for r in range(model.rowCount()))


def run_selftest(args: argparse.Namespace) -> int:
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY") and sys.platform.startswith("linux"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from zn_ladder.app import AppController
    from zn_ladder.config.settings import Settings
    from zn_ladder.workers.demo import demo_sim_config

    seconds = float(getattr(args, "seconds", 20) or 20)
    shot = getattr(args, "screenshot", None)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="zn-selftest-") as tmp:
        folder = Path(tmp)
        controller = AppController(Settings(), force_demo=True, db_path=folder / "selftest.sqlite3",
                                   ui_state=folder / "window.ini", intervals=SELFTEST_INTERVALS,
                                   sim_config=demo_sim_config(seed=11, step_interval=0.25, history_fills=20))
        window = controller.window
        window.resize(1600, 1000)
        window.show()
        results: dict[int, Any] = {}
        state: dict[str, Any] = {"problems": [], "attempts": 0, "done": False, "why": "starting"}
        loop = QEventLoop()

        def keep(result: Any) -> None:
            results[id(result.ladder)] = result
            if len(results) > 50:
                results.pop(next(iter(results)))

        def on_session(session: Any) -> None:
            session.computed.connect(keep)

        def tick() -> None:
            session = controller.session
            snap = window.ladder_model.snapshot
            if session is None:
                state["why"] = "the simulator has not started"
            elif snap is None or id(snap) not in results:
                state["why"] = "no ladder on screen yet"
            elif not ladder_shows_orders(window):
                state["why"] = "the ladder shows no working orders"
            elif window.orders.model.rowCount() == 0:
                state["why"] = "the order grid is empty"
            elif window.fills.model.rowCount() == 0 or results[id(snap)].inputs.store is None:
                state["why"] = "no fill has arrived"
            else:
                state["attempts"] += 1
                state["problems"] = check_window(window, results[id(snap)])
                if not state["problems"] or state["attempts"] >= 10:
                    state["done"] = True
                    loop.quit()
                return
            if time.monotonic() - started > seconds:
                loop.quit()

        controller.sessionStarted.connect(on_session)
        controller.start()
        timer = QTimer()
        timer.timeout.connect(tick)
        timer.start(100)
        loop.exec()
        timer.stop()
        if shot:
            Path(shot).parent.mkdir(parents=True, exist_ok=True)
            if not window.grab().save(str(shot)):
                state["problems"].append(f"the screenshot could not be written to {shot}")
        status = controller.session.status() if controller.session is not None else None
        clean = controller.shutdown()
        window.close()
        app.processEvents()
        from zn_ladder.workers.threads import wait_orphans

        clean = wait_orphans(10.0) and clean
    elapsed = time.monotonic() - started
    if not state["done"]:
        detail = f"; TT {status.connection}" if status is not None else ""
        print(f"selftest FAILED after {elapsed:.1f}s: {state['why']}{detail}", file=sys.stderr)
        return 1
    if state["problems"]:
        print("selftest FAILED: the window disagrees with the domain:", file=sys.stderr)
        for problem in state["problems"]:
            print(f"  {problem}", file=sys.stderr)
        return 1
    if not clean:
        print("selftest FAILED: some workers did not stop in time", file=sys.stderr)
        return 1
    fills = window.fills.model.rowCount()
    orders = window.orders.model.rowCount()
    print(f"selftest ok in {elapsed:.1f}s: {orders} working orders, {fills} fills, ladder cells match the domain"
          + (f"; screenshot {shot}" if shot else ""))
    return 0
