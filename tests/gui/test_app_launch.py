"""Launch decisions: DEMO without credentials, the configured environment with them (LIVE badge)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from zn_ladder.config.settings import Settings
from zn_ladder.tt.sim import DEMO_API_KEY, DEMO_API_SECRET, SimConfig, SimulatorServer

from .live_app import FAST, ladder_has_orders


@pytest.fixture
def no_keyring(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    import keyring
    from keyrings.alt.file import PlaintextKeyring

    ring = PlaintextKeyring()
    ring.file_path = str(tmp_path / "keyring.cfg")  # an empty keyring of our own
    previous = keyring.get_keyring()
    keyring.set_keyring(ring)
    monkeypatch.delenv("ZN_LADDER_TT_KEY", raising=False)
    monkeypatch.delenv("ZN_LADDER_TT_SECRET", raising=False)
    yield
    keyring.set_keyring(previous)


def with_tt(settings: Settings, **changes) -> Settings:
    return dataclasses.replace(settings, tt=dataclasses.replace(settings.tt, **changes))


def test_plan_runs_the_demo_without_credentials_and_tt_with_them(no_keyring, monkeypatch) -> None:
    from zn_ladder.app import plan_launch

    plan = plan_launch(Settings())
    assert plan.demo and plan.env == "SIM" and plan.credentials is None
    assert plan_launch(with_tt(Settings(), simulator="always")).demo
    never = plan_launch(with_tt(Settings(), simulator="never"))
    assert not never.demo and "no credentials for SIM" in never.messages[0]
    monkeypatch.setenv("ZN_LADDER_TT_KEY", "k-123")
    monkeypatch.setenv("ZN_LADDER_TT_SECRET", "s-456")
    live = plan_launch(with_tt(Settings(), environment="LIVE"))
    assert (live.demo, live.env, live.credentials.app_key) == (False, "LIVE", "k-123")
    assert "s-456" not in repr(live)


@pytest.mark.parametrize("env", ["UAT", "LIVE"])
def test_uat_or_live_without_credentials_is_never_the_demo(no_keyring, env) -> None:
    """The launch follows `TTSettings.uses_simulator` (as "Test connection" does): `auto` simulates
    only SIM, so a real environment that lost its credentials says so instead of showing fake orders."""
    from zn_ladder.app import plan_launch

    settings = with_tt(Settings(), environment=env)
    assert not settings.tt.uses_simulator(has_credentials=False)
    plan = plan_launch(settings)
    assert (plan.demo, plan.env, plan.credentials) == (False, env, None)
    assert plan.messages == (f"no credentials for {env}: ask support to run "
                             f"`zn-ladder credentials set --env {env.lower()}`",)


def test_live_without_credentials_shows_no_credentials_not_simulated_orders(qtbot, tmp_path, ui_home,
                                                                            no_keyring) -> None:
    from zn_ladder.app import AppController

    # A base URL nobody listens on: without credentials the client must not even ask for a token.
    settings = with_tt(Settings(), environment="LIVE", base_url="http://127.0.0.1:9/")
    controller = AppController(settings, db_path=tmp_path / "nocreds.sqlite3", ui_state=tmp_path / "w.ini",
                               intervals=FAST)
    w = controller.window
    qtbot.addWidget(w)
    w.show()
    controller.start()
    try:
        assert controller.sim is None and not controller.plan.demo
        qtbot.waitUntil(lambda: w.banner.isVisible() and "no credentials for LIVE" in w.banner.text(),
                        timeout=10_000)
        assert "zn-ladder credentials set --env live" in w.banner.text()
        qtbot.waitUntil(lambda: w.status_strip.env_badge.text() == "LIVE", timeout=5000)
        assert not w.status_strip.demo_badge.isVisibleTo(w) and "DEMO" not in w.windowTitle()
        assert "no credentials" in w.status_strip.connection.text()
        qtbot.waitUntil(lambda: controller.session.health.health("orders").state == "failing", timeout=10_000)
        assert w.orders.model.rowCount() == 0 and w.fills.model.rowCount() == 0
    finally:
        w.close()
        controller.shutdown()


def test_with_credentials_the_window_connects_to_the_configured_environment(qtbot, tmp_path, ui_home,
                                                                            no_keyring, monkeypatch) -> None:
    """LIVE settings with credentials: the app talks to that environment (a simulator posing as LIVE)."""
    from zn_ladder.app import AppController

    monkeypatch.setenv("ZN_LADDER_TT_KEY", DEMO_API_KEY)
    monkeypatch.setenv("ZN_LADDER_TT_SECRET", DEMO_API_SECRET)
    with SimulatorServer(SimConfig(seed=3, env="ext_prod_live", history_fills=8, step_interval=0.2)) as sim:
        settings = with_tt(Settings(), environment="LIVE", base_url=sim.url, usage_plan="high")
        controller = AppController(settings, db_path=tmp_path / "live.sqlite3", ui_state=tmp_path / "w.ini",
                                   intervals=FAST)
        w = controller.window
        qtbot.addWidget(w)
        w.show()
        controller.start()
        try:
            qtbot.waitUntil(lambda: ladder_has_orders(w) and w.fills.model.rowCount() > 0, timeout=15_000)
            qtbot.waitUntil(lambda: w.status_strip.env_badge.text() == "LIVE", timeout=5000)
            assert not w.status_strip.demo_badge.isVisibleTo(w)
            assert "LIVE" in w.windowTitle() and "DEMO" not in w.windowTitle()
            assert controller.sim is None and controller.session.config.conn.env == "ext_prod_live"
            assert {r.path.split("/")[2] for r in sim.request_log if r.path.count("/") >= 2} == {"ext_prod_live"}
            # Spot is manual by default outside the demo: the ladder walks from the last fill until one is typed.
            assert controller.session.last_result.spot_source == "last fill"
            qtbot.waitUntil(lambda: "last fill" in w.status_strip.spot.text(), timeout=3000)
        finally:
            w.close()
            controller.shutdown()


def test_close_is_bounded_while_every_request_hangs(qtbot, tmp_path, ui_home, no_keyring, monkeypatch) -> None:
    """TT accepts the requests and never answers: the window still closes at once; the abandoned
    requests end with the server, and no worker thread is left."""
    import threading
    import time

    from zn_ladder.app import AppController
    from zn_ladder.workers import threads as worker_threads

    monkeypatch.setenv("ZN_LADDER_TT_KEY", DEMO_API_KEY)
    monkeypatch.setenv("ZN_LADDER_TT_SECRET", DEMO_API_SECRET)
    sim = SimulatorServer(SimConfig(seed=3, fault_rate=1.0, fault_kinds=("hang",), hang_seconds=60))
    sim.start()
    try:
        settings = with_tt(Settings(), base_url=sim.url, usage_plan="high")
        controller = AppController(settings, db_path=tmp_path / "h.sqlite3", ui_state=tmp_path / "w.ini",
                                   intervals=FAST)
        w = controller.window
        qtbot.addWidget(w)
        w.show()
        controller.start()
        session = controller.session
        qtbot.waitUntil(lambda: sum(p.calls.in_flight for p in (session.orders_poller, session.fills_poller,
                                                                 session.positions_poller)) == 3, timeout=10_000)
        started = time.monotonic()
        w.close()
        qtbot.waitUntil(lambda: controller.closed, timeout=3000)
        assert time.monotonic() - started < 3.0
        assert not any(wt.running for wt in session.threads) and not session.store.alive
        assert worker_threads.orphans() == 0
    finally:
        sim.stop()  # ends the hung requests
    qtbot.waitUntil(lambda: not [t for t in threading.enumerate() if t.name.endswith("-call")], timeout=10_000)


def test_zn_ladder_opens_the_demo_window_and_closes_cleanly_on_sigterm(cli_env, tmp_path) -> None:
    import signal
    import subprocess
    import sys
    import time

    cli_env["QT_QPA_PLATFORM"] = "offscreen"
    log = Path(cli_env["ZN_LADDER_HOME"]) / "logs" / "zn_ladder.log"
    proc = subprocess.Popen([sys.executable, "-m", "zn_ladder"], env=cli_env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (log.exists() and "ladder contract" in log.read_text()):
            assert proc.poll() is None, proc.communicate()[1]
            time.sleep(0.2)
        text = log.read_text()
        assert "session started: SIM DEMO" in text and "ladder contract: ZN Dec26" in text
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    text = log.read_text()
    assert "stopped (clean)" in text
    assert DEMO_API_SECRET not in text
    assert (Path(cli_env["ZN_LADDER_HOME"]) / "config" / "window.ini").exists()  # the layout was saved


def test_polling_beyond_the_plan_budget_falls_back_to_the_plans_schedule(ui_home, no_keyring, qtbot) -> None:
    from zn_ladder.app import AppController
    from zn_ladder.tt.schedule import default_schedule

    s = Settings()
    fast = dataclasses.replace(s, polling=dataclasses.replace(s.polling, fills_s=1.0, orders_s=1.0),
                               tt=dataclasses.replace(s.tt, usage_plan="low"))
    controller = AppController(fast)
    qtbot.addWidget(controller.window)
    chosen = controller._polling_within_budget(fast)
    low = default_schedule("low")
    assert (chosen["fills_s"], chosen["orders_s"], chosen["positions_s"]) == (low.fills_s, low.orders_s,
                                                                              low.positions_s)
    assert "EXCEEDS" in controller.problems[-1] and "low plan" in controller.problems[-1]
    controller._polling_within_budget(fast)
    assert sum("EXCEEDS" in m for m in controller.problems) == 1  # said once, not once per apply
    ok = controller._polling_within_budget(s)  # the defaults fit the low plan
    assert (ok["fills_s"], ok["orders_s"]) == (s.polling.fills_s, s.polling.orders_s)
    assert not any("EXCEEDS" in m for m in controller.problems)  # fixed: the banner line goes


@pytest.fixture
def failing_keyring():
    """A Linux desktop without a Secret Service: keyring's own "no backend" keyring."""
    import keyring
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.mark.parametrize("env, demo", [("SIM", True), ("UAT", False)])
def test_no_keyring_is_one_status_strip_note_never_a_banner_and_nothing_in_demo(qtbot, tmp_path, ui_home,
                                                                              monkeypatch, failing_keyring,
                                                                              env, demo) -> None:
    from zn_ladder.app import AppController

    monkeypatch.delenv("ZN_LADDER_TT_KEY", raising=False)
    monkeypatch.delenv("ZN_LADDER_TT_SECRET", raising=False)
    controller = AppController(with_tt(Settings(), environment=env), db_path=tmp_path / "k.sqlite3",
                               ui_state=tmp_path / "w.ini")
    w = controller.window
    qtbot.addWidget(w)
    w.show()
    assert controller.plan.demo is demo
    assert not any("keyring" in m for m in controller.problems)  # the banner's lines
    note = w.status_strip.note
    if demo:
        assert not note.isVisible()
    else:
        assert note.isVisible() and "keyring" in note.text().lower()
        assert "no OS keyring is available" in note.toolTip()
    w.close()


def test_display_settings_changed_in_the_window_are_saved_to_the_settings_file(qtbot, tmp_path, ui_home,
                                                                              no_keyring) -> None:
    """One source of truth (issue 14 §2): View-menu theme, units and zoom go to the settings file, a
    key set meanwhile with `config set` is kept, and the Settings dialog opens on what the window shows."""
    from zn_ladder.app import AppController
    from zn_ladder.config.settings_file import load_settings, save_settings

    path = tmp_path / "settings.toml"
    save_settings(Settings(), path)
    controller = AppController(load_settings(path).settings, db_path=tmp_path / "d.sqlite3",
                               ui_state=tmp_path / "w.ini", settings_file=path)
    w = controller.window
    qtbot.addWidget(w)
    w.show()
    w.ladder_view.zoom(+1)
    w.ladder_view.zoom(+1)
    w.units_actions["ticks"].trigger()
    save_settings(Settings().replace_value("tt.product", "ZF"), path)  # `config set` while the app runs
    qtbot.waitUntil(lambda: load_settings(path).settings.ladder.font_size == 13, timeout=3000)
    saved = load_settings(path).settings
    assert saved.ladder.pnl_units == "ticks" and saved.tt.product == "ZF"
    assert controller.settings.ladder.font_size == 13
    w.set_theme("light")  # not the trader: nothing saved
    w._user_theme("light")
    controller.open_settings()  # flushes first, and the dialog shows the window's values
    assert controller.dialog.editors["ladder.theme"].text() == "light"
    assert load_settings(path).settings.ladder.theme == "light"
    controller.dialog.close()
    w.close()
    controller.shutdown()


def test_an_instrument_change_in_settings_is_said_in_the_window_until_a_restart(qtbot, tmp_path, ui_home,
                                                                                 no_keyring) -> None:
    """Issue 14 §3: Product (or Market) changed in Settings: the running window says it still shows the
    old instrument, instead of an SR3 setting over a ZN ladder in silence."""
    from zn_ladder.app import AppController

    controller = AppController(Settings(), db_path=tmp_path / "i.sqlite3", ui_state=tmp_path / "w.ini",
                               settings_file=tmp_path / "s.toml")
    w = controller.window
    qtbot.addWidget(w)
    w.show()
    assert w.mismatch.isHidden()
    controller.apply_settings(Settings().replace_value("tt.product", "SR3"))
    assert w.mismatch.isVisibleTo(w)
    assert "Product SR3 (was ZN)" in w.mismatch.text() and "still shows ZN on CME" in w.mismatch.text()
    controller.apply_settings(Settings().replace_value("ladder.font_size", "12"))  # back to ZN
    assert w.mismatch.isHidden()
    w.close()
    controller.shutdown()


def test_the_first_projection_is_around_spot_not_from_zero(qtbot, tmp_path, ui_home) -> None:
    """Issue 14 §13: before the first ladder the view's rows ran from 0'000 down and that range was
    projected, so the chart ran from 0'000 to spot, down to -8e+06. Every ladder, the first included,
    now stays around spot and the orders."""
    from .live_app import make_controller

    controller = make_controller(tmp_path)
    ladders: list = []
    controller.sessionStarted.connect(lambda session: session.ladderReady.connect(ladders.append))
    w = controller.window
    qtbot.addWidget(w)
    w.show()
    controller.start()
    try:
        qtbot.waitUntil(lambda: len(ladders) >= 3, timeout=20_000)
        for snap in ladders:
            spot = snap.spot.tick_floor(snap.product)
            assert spot - snap.ladder.low < 400 and snap.ladder.high - spot < 400, (snap.ladder.low, spot)
        xs, _ = w.charts.curve_data()
        assert len(xs) and min(xs) > ladders[0].spot.tick_floor(ladders[0].product) - 400
    finally:
        w.close()
        controller.shutdown()
