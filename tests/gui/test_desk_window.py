"""A window on a desk database (issue 16): it asks its own TT nothing, shows the capture's orders and
the fills the capture committed, takes its feeds' ages from the capture's heartbeat, and shows STALE
within two of the capture's intervals once the capture is killed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.integration.desk.capture_procs import Capture
from zn_ladder.domain.instruments import get_product
from zn_ladder.store.store import Store
from zn_ladder.tt.sim import DEMO_API_KEY, DEMO_API_SECRET, SimConfig, SimulatorServer
from zn_ladder.workers.demo import demo_connection
from zn_ladder.workers.desk_feed import BEAT_S
from zn_ladder.workers.session import Session, SessionConfig

FILLS_S = 0.5


@pytest.fixture
def desk_url(pg_url: str) -> str:
    Store.open(pg_url).close()
    return pg_url


@pytest.fixture
def desk_env(cli_env: dict[str, str]) -> dict[str, str]:
    cli_env.update({"ZN_LADDER_TT_KEY": DEMO_API_KEY, "ZN_LADDER_TT_SECRET": DEMO_API_SECRET})
    return cli_env


def _window(url: str, tt_url: str) -> Session:
    config = SessionConfig(conn=demo_connection(tt_url), product=get_product("ZN"), env="SIM", db_path=url,
                           orders_s=0.2, fills_s=0.2, positions_s=0.2, spot_mode="manual")
    return Session(config)


def _desk_requests(url: str) -> int:
    """The desk's TT requests of today, as the database holds them (every capture's row, UTC day)."""
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute("SELECT coalesce(sum(used), 0) FROM desk_budget "
                            "WHERE day = to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD')").fetchone()[0]


def test_a_desk_window_follows_the_capture_and_asks_tt_nothing(qtbot, desk_url, desk_env, ui_home) -> None:
    cfg = SimConfig(step_interval=None, history_fills=12, correction_rate=0.0)
    with SimulatorServer(cfg, host="127.0.0.1", port=0) as desk_tt, \
            SimulatorServer(SimConfig(step_interval=None), host="127.0.0.1", port=0) as own_tt:
        capture = Capture(desk_env, desk_url, desk_tt.url, "--orders-interval", "0.5", "--positions-interval", "1",
                          interval=str(FILLS_S))
        session = _window(desk_url, own_tt.url)
        session.start()
        try:
            capture.wait_for("took the capture lease")
            truth_orders = {o["orderId"] for o in desk_tt.market.working_orders()}
            truth_fills = {r["execID"] for r in desk_tt.market.published_fills()}
            qtbot.waitUntil(lambda: session.last_orders is not None and session.last_fills is not None
                            and {f.key for f in session.last_fills.fills} == truth_fills
                            and session.health.health("fills").last_ok_at is not None, timeout=30_000)
            shown = {o.order_id for o in session.last_orders.orders}
            assert shown == truth_orders
            fills = session.status().source("fills")
            assert fills is not None and fills.state == "ok" and fills.interval_s == FILLS_S  # the capture's
            assert len(own_tt.requests) == 0  # the window's own TT was never asked anything
            # the capture is killed: its feeds turn STALE after two of its intervals (plus one beat read)
            capture.kill()
            qtbot.waitUntil(lambda: session.status().source("fills").state == "stale", timeout=30_000)
            stale = session.health.health("fills")
            # STALE from the capture's last successful poll plus two of the capture's intervals (and one
            # read of its heartbeat), not the window's own 0.2 s nor the TT pollers' 5 s grace
            assert stale.since - stale.last_ok_at == timedelta(seconds=2 * FILLS_S + BEAT_S)
            assert "no answer" in stale.last_error
            assert {f.key for f in session.last_fills.fills} == truth_fills  # the last data stays on screen
            # the strip's budget is the desk's count of today (the capture's requests), not the window's 0
            qtbot.waitUntil(lambda: session.status().budget_used == _desk_requests(desk_url) > 0, timeout=10_000)
        finally:
            assert session.stop(5.0)
            capture.stop()
        assert len(own_tt.requests) == 0


def test_new_fills_reach_the_window_after_the_captures_commit(qtbot, desk_url, desk_env, ui_home) -> None:
    """The market trades on: every fill the capture stores appears in the window, busts applied."""
    cfg = SimConfig(step_interval=None, history_fills=3, correction_rate=0.05)
    with SimulatorServer(cfg, host="127.0.0.1", port=0) as desk_tt:
        capture = Capture(desk_env, desk_url, desk_tt.url, interval="0.1")
        session = _window(desk_url, desk_tt.url)
        session.start()
        try:
            capture.wait_for("took the capture lease")
            for _ in range(30):
                desk_tt.market.step(1)
            fills = [f for f in desk_tt.market.published_fills()]
            busted = {r["execRefID"] for r in desk_tt.market.published_corrections() if r["execType"] == "H"}
            want = {r["execID"] for r in fills} - busted
            qtbot.waitUntil(lambda: session.last_fills is not None
                            and {f.key for f in session.last_fills.fills} == want, timeout=30_000)
        finally:
            assert session.stop(5.0)
            capture.stop()


def test_ten_windows_on_one_capture_see_every_fill_and_cost_tt_nothing(qtbot, desk_url, desk_env, ui_home) -> None:
    """A desk of ten (headless) windows on one capture: each shows every fill the market published,
    busts applied; none asks its own TT anything; the desk's TT is asked only what the capture counted."""
    import psycopg

    cfg = SimConfig(step_interval=None, history_fills=3, correction_rate=0.05)
    with SimulatorServer(cfg, host="127.0.0.1", port=0) as desk_tt, \
            SimulatorServer(SimConfig(step_interval=None), host="127.0.0.1", port=0) as own_tt:
        capture = Capture(desk_env, desk_url, desk_tt.url, interval="0.2")
        windows = [_window(desk_url, own_tt.url) for _ in range(10)]
        for window in windows:
            window.start()
        try:
            capture.wait_for("took the capture lease")
            for _ in range(20):
                desk_tt.market.step(1)
            busted = {r["execRefID"] for r in desk_tt.market.published_corrections() if r["execType"] == "H"}
            want = {r["execID"] for r in desk_tt.market.published_fills()} - busted
            qtbot.waitUntil(lambda: all(w.last_fills is not None and {f.key for f in w.last_fills.fills} == want
                                        for w in windows), timeout=60_000)
        finally:
            assert all(w.stop(5.0) for w in windows)
            capture.stop()
        with psycopg.connect(desk_url) as conn:
            (counted,) = conn.execute("SELECT sum(used) FROM desk_budget").fetchone()
        assert len(own_tt.requests) == 0  # ten windows, not one request of their own
        assert counted == len(desk_tt.requests)  # the desk's TT saw the one capture's requests only
