"""The live window on the built-in simulator: demo data, failures, what-if and manual spot, clean close."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from zn_ladder.domain.prices import parse_price
from zn_ladder.domain.records import OrderType, Side, WorkingOrder
from zn_ladder.workers import threads as worker_threads

from .live_app import app_threads, ladder_has_orders, make_controller


@pytest.fixture
def before_threads() -> set[threading.Thread]:
    return set(threading.enumerate())


@pytest.fixture
def live(qtbot, tmp_path: Path, ui_home: Path, before_threads):
    controllers = []

    def start(**kw):
        controller = make_controller(tmp_path, **kw)
        qtbot.addWidget(controller.window)
        controller.window.resize(1400, 900)
        controller.window.show()
        controller.start()
        controllers.append(controller)
        return controller

    yield start
    for controller in controllers:
        controller.window.close()
        controller.shutdown()


def wait_for_data(qtbot, controller, timeout: int = 15_000) -> None:
    w = controller.window
    qtbot.waitUntil(lambda: ladder_has_orders(w) and w.orders.model.rowCount() > 0
                    and w.fills.model.rowCount() > 0, timeout=timeout)


def test_demo_shows_a_moving_ladder_orders_and_fills_badged_demo(qtbot, live):
    controller = live()
    wait_for_data(qtbot, controller)
    w = controller.window
    qtbot.waitUntil(lambda: w.status_strip.connection.text() == "TT: connected", timeout=5000)
    assert w.status_strip.env_badge.text() == "SIM"
    assert w.status_strip.demo_badge.isVisibleTo(w)
    assert "DEMO" in w.windowTitle()
    assert w.ladder_title.text() == "ZN Dec26 scenario ladder"
    # The ladder follows the simulated market: its spot changes as the simulator steps.
    first = controller.session.last_result.spot
    market = controller.sim.server.market
    start_price = market.price_ticks
    qtbot.waitUntil(lambda: market.price_ticks != start_price, timeout=10_000)
    qtbot.waitUntil(lambda: w.ladder_model.snapshot.spot != first, timeout=10_000)
    # The orders grid holds what TT (the simulator) has working.
    sim_ids = {o["orderId"] for o in market.working_orders()}
    shown = {o.order_id for o in w.orders.model.records()}
    assert shown and len(shown & sim_ids) >= len(shown) // 2


def run_selftest_checks(qtbot, controller, timeout: int = 40_000):
    """The self-test's own clock (trade, hold the market still, settle, check) on a live controller."""
    from PySide6.QtCore import QTimer

    from zn_ladder.domain.instruments import get_product
    from zn_ladder.selftest import SelfTestRun

    qtbot.waitUntil(lambda: controller.sim.server is not None and controller.session is not None, timeout=10_000)
    server = controller.sim.server
    run = SelfTestRun(controller.window, server.market, server.config.accounts, get_product("ZN"), time.monotonic())
    timer = QTimer()
    timer.timeout.connect(lambda: run.tick(time.monotonic()))
    timer.start(100)
    try:
        qtbot.waitUntil(lambda: run.done, timeout=timeout)
    finally:
        timer.stop()
    return run


def test_settled_window_numbers_equal_the_simulators_ground_truth(qtbot, live):
    controller = live(sim={"step_interval": None})
    run = run_selftest_checks(qtbot, controller)
    assert run.problems == []
    assert controller.window.fills.model.rowCount() > 12  # history and new fills, busts applied
    from zn_ladder.ui.fills_model import PagedFillsModel

    # The table the self-test found right is the one paged from the store (issue 14 §18).
    assert isinstance(controller.window.fills.model, PagedFillsModel)


def test_the_selftest_fails_a_window_whose_cards_lag_the_fills(qtbot, live, monkeypatch):
    # The screen of issue 12 point 8: fills in the table but the cards stuck at their first values.
    from zn_ladder.ui.summary import SummaryStrip

    real_apply = SummaryStrip.apply

    def stuck(self, snap):
        if not getattr(self, "_applied_once", False):
            self._applied_once = True
            real_apply(self, snap)

    monkeypatch.setattr(SummaryStrip, "apply", stuck)
    controller = live(sim={"step_interval": None})
    run = run_selftest_checks(qtbot, controller)
    assert run.attempts == 2 and any(p.startswith("POSITION card") or p.startswith("TOTAL P&L card")
                                     for p in run.problems), run.problems


def test_close_stops_every_worker_and_leaves_no_thread(qtbot, live, before_threads):
    controller = live()
    wait_for_data(qtbot, controller)
    session = controller.session
    assert all(wt.running for wt in session.threads)
    started = time.monotonic()
    controller.window.close()
    qtbot.waitUntil(lambda: controller.closed, timeout=2000)
    took = time.monotonic() - started
    assert not any(wt.running for wt in session.threads)
    assert not session.store.alive
    assert worker_threads.orphans() == 0
    qtbot.waitUntil(lambda: set(app_threads()) <= before_threads, timeout=5000)
    assert took < 5.0


def test_slow_tt_never_stalls_the_event_loop_and_close_is_bounded(qtbot, live, before_threads):
    from PySide6.QtCore import QElapsedTimer, QTimer

    # Demo-like pace (the stall measured is the window's, not a benchmark of a 5x oversubscribed CI box).
    controller = live(sim={"latency_ms": 2000, "step_interval": 0.5},
                      intervals={"orders_s": 1.0, "fills_s": 1.0, "positions_s": 2.0, "spot_s": 0.5})
    w = controller.window
    clock = QElapsedTimer()
    clock.start()
    gaps = {"last": 0, "max": 0, "beats": 0}

    def beat() -> None:
        now = clock.elapsed()
        gaps["max"] = max(gaps["max"], now - gaps["last"])
        gaps["last"] = now
        gaps["beats"] += 1

    heart = QTimer()
    heart.setInterval(10)
    heart.timeout.connect(beat)
    heart.start()
    wait_for_data(qtbot, controller, timeout=30_000)  # every answer takes 2 s; the window keeps painting
    heart.stop()
    print(f"\nlongest event-loop stall with a 2 s TT: {gaps['max']} ms over {gaps['beats']} beats")
    assert gaps["beats"] > 50
    # The property: the GUI thread never waits on TT. Had it waited on one request, a gap of the whole
    # 2 s latency would show; half of it is far above any paint yet far below a network wait, so a
    # loaded 2-core CI box (pyqtgraph repaints of a few hundred ms) cannot fail it by accident. The
    # stall itself (target < 50 ms) is measured and printed by bench/bench_event_loop_stall.py.
    assert gaps["max"] < 1000
    # Requests are in flight (2 s each) when the window closes: it still closes promptly.
    started = time.monotonic()
    w.close()
    qtbot.waitUntil(lambda: controller.closed, timeout=2000)
    assert time.monotonic() - started < 3.0
    assert not any(wt.running for wt in controller.session.threads)
    qtbot.waitUntil(lambda: set(app_threads()) <= before_threads, timeout=8000)


def test_failing_tt_shows_the_banner_and_keeps_the_last_data(qtbot, live):
    controller = live(session={"stop_timeout_s": 3.0})
    wait_for_data(qtbot, controller)
    w = controller.window
    orders_before = w.orders.model.rowCount()
    ladder_before = w.ladder_model.snapshot
    controller.sim.server.stop()  # TT goes away
    qtbot.waitUntil(lambda: w.banner.isVisible() and "ORDERS FAILING" in w.banner.text(), timeout=15_000)
    qtbot.waitUntil(lambda: "unreachable since" in w.status_strip.connection.text(), timeout=15_000)
    assert "FILLS FAILING" in w.banner.text()
    assert w.orders.model.rowCount() == orders_before  # the last good data stays, marked
    assert w.orders.stale_tag.on
    assert w.ladder_model.snapshot is not None
    assert w.ladder_stale.on
    assert ladder_before.ladder.rows.spot_tick - 100 < w.ladder_model.snapshot.ladder.spot_tick


def test_tt_failing_from_the_start_is_reported(qtbot, live):
    controller = live(sim={"fault_rate": 1.0, "fault_kinds": ("503",)})
    w = controller.window
    qtbot.waitUntil(lambda: w.banner.isVisible() and "ORDERS FAILING" in w.banner.text(), timeout=15_000)
    assert "503" in w.banner.text()
    assert w.orders.model.rowCount() == 0


def test_what_if_orders_and_a_manual_spot_reach_the_ladder(qtbot, live):
    controller = live(sim={"step_interval": None})  # a still market: the typed spot stays
    wait_for_data(qtbot, controller)
    w = controller.window
    product = controller.session.config.product
    spot = w.ladder_model.snapshot.ladder.spot_tick
    what_if = WorkingOrder("wi-1", "", "", Side.SELL, OrderType.LIMIT, spot + 3, 7, what_if=True)
    w.whatIfChanged.emit((what_if,))
    qtbot.waitUntil(lambda: w.ladder_model.snapshot.ladder.row_at(spot + 3) is not None
                    and w.ladder_model.snapshot.ladder.row_at(spot + 3).what_if_sell == 7, timeout=5000)
    typed = parse_price("110-02+", product, spot=True)
    w.manualSpotEntered.emit(typed)
    qtbot.waitUntil(lambda: w.ladder_model.snapshot.spot == typed, timeout=5000)
    qtbot.waitUntil(lambda: "MANUAL" in w.status_strip.spot.text(), timeout=5000)


def test_settings_dialog_applies_without_restart(qtbot, live):
    import dataclasses

    controller = live()
    wait_for_data(qtbot, controller)
    w = controller.window
    w.settingsRequested.emit()
    dialog = controller.dialog
    assert dialog is not None and dialog.isVisible()
    s = controller.settings
    changed = dataclasses.replace(s, ladder=dataclasses.replace(s.ladder, font_size=15, theme="light"),
                                  tt=dataclasses.replace(s.tt, contracts=("ZN Dec26",)))
    dialog.settingsApplied.emit(changed)
    assert w.ladder_view.font_size == 15
    assert controller.settings is changed
    assert controller.session._contracts == ("ZN Dec26",)
    dialog.close()


def test_settings_problems_reach_the_banner(qtbot, tmp_path, ui_home):
    from zn_ladder.app import AppController
    from zn_ladder.config.settings import Settings
    from zn_ladder.workers.demo import demo_sim_config

    from .live_app import FAST

    problem = "ladder.font_size: expected a whole number from 6 to 40, got 'huge'; using the default '11'"
    controller = AppController(Settings(), problems=(problem,), force_demo=True, db_path=tmp_path / "p.sqlite3",
                               ui_state=tmp_path / "w.ini", intervals=FAST, sim_config=demo_sim_config())
    qtbot.addWidget(controller.window)
    controller.window.show()
    controller.start()
    try:
        qtbot.waitUntil(lambda: controller.window.banner.isVisible(), timeout=10_000)
        assert problem in controller.window.banner.text()
    finally:
        controller.window.close()
        controller.shutdown()


def test_run_selftest_exits_1_naming_the_wrong_card(qtbot, ui_home, monkeypatch, capsys):
    # The whole command in-process, with a window whose TOTAL P&L card ignores the unrealized part.
    import argparse
    from dataclasses import replace

    from zn_ladder.selftest import run_selftest
    from zn_ladder.ui.summary import SummaryStrip

    real_apply = SummaryStrip.apply

    def realized_only(self, snap):
        real_apply(self, replace(snap, total=snap.realized_lifo))

    monkeypatch.setattr(SummaryStrip, "apply", realized_only)
    assert run_selftest(argparse.Namespace(seconds=60, screenshot=None)) == 1
    err = capsys.readouterr().err
    assert "selftest FAILED: the window disagrees with the simulator's ground truth" in err
    assert "TOTAL P&L card shows" in err
    # In roll week (the self-test's DEMO) the cards are the contracts' total: they no longer add up.
    assert "TOTAL card shows" in err and "its contracts' tabs add up to" in err
