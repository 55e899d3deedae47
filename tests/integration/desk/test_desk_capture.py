"""The desk capture's duties besides fills: it stands by without a request to TT while another
holds the lease, counts the desk's TT requests in the database, writes the heartbeat and the
orders/positions snapshot, and stands by again when its lease is taken from it."""

from __future__ import annotations

import subprocess
import sys
import time

import psycopg
import pytest

from tests.integration.desk.capture_procs import Capture
from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.prices import ticks_from_number
from zn_ladder.store.desk import heartbeat
from zn_ladder.store.desk.lease import CaptureLease
from zn_ladder.store.desk.orders import order_from_row
from zn_ladder.tt.sim.reference import ORDER_DATA
from zn_ladder.tt.sim import DEMO_API_KEY, DEMO_API_SECRET, SimConfig, SimulatorServer

ENV = "ext_prod_sim"
ZN = get_product("ZN")


@pytest.fixture
def desk_env(cli_env: dict[str, str]) -> dict[str, str]:
    cli_env.update({"ZN_LADDER_TT_KEY": DEMO_API_KEY, "ZN_LADDER_TT_SECRET": DEMO_API_SECRET})
    return cli_env


def _once(env: dict[str, str], url: str, sim_url: str) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "zn_ladder", "monitor", "--once", "--db", url, "--base-url", sim_url,
                           "--plan", "high"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def test_the_desk_counts_every_request_of_every_capture(desk_url: str, desk_env) -> None:
    """The count in the database is the simulator's own count of what it was asked, run after run."""
    with SimulatorServer(SimConfig(step_interval=None, history_fills=5), host="127.0.0.1", port=0) as sim:
        for _ in range(3):
            _once(desk_env, desk_url, sim.url)
            with psycopg.connect(desk_url) as conn:
                (used,) = conn.execute("SELECT sum(used) FROM desk_budget").fetchone()
            assert used == len(sim.requests)


def test_a_standby_asks_tt_nothing_until_it_takes_over(desk_url: str, desk_env) -> None:
    other = CaptureLease(desk_url, ENV, DEMO_API_KEY)  # another PC's capture holds the desk's lease
    assert other.try_acquire()
    with SimulatorServer(SimConfig(step_interval=None, history_fills=5), host="127.0.0.1", port=0) as sim:
        capture = Capture(desk_env, desk_url, sim.url, interval="0.2")
        try:
            _, line = capture.wait_for("standing by")
            assert other.holder in line  # it says who holds the lease
            time.sleep(1.5)  # several of its intervals
            assert len(sim.requests) == 0
            other.release()  # that capture stopped
            capture.wait_for("took the capture lease", timeout=10)
            capture.wait_for("+5 fills")
            assert len(sim.requests) > 0
        finally:
            out = capture.stop()
            other.release()
    assert capture.proc.returncode == 0, out


def test_heartbeat_and_snapshots_are_what_tt_said(desk_url: str, desk_env) -> None:
    cfg = SimConfig(step_interval=None, history_fills=20)
    with SimulatorServer(cfg, host="127.0.0.1", port=0) as sim:
        before = time.time_ns()
        _once(desk_env, desk_url, sim.url)
        after = time.time_ns()
        with psycopg.connect(desk_url) as conn:
            beats = heartbeat.read_beats(conn, ENV)
            orders = heartbeat.read_snapshot(conn, ENV, "orders")
            positions = heartbeat.read_snapshot(conn, ENV, "positions")
        truth_orders = sim.market.working_orders()
        truth_net = sim.market.net_positions()
    assert set(beats) == {"fills", "orders", "positions"}
    for beat in beats.values():
        assert before <= beat.last_ok_ns <= after and beat.last_error == ""
    assert beats["fills"].interval_ms == 5000  # --interval's default
    # orders: the simulator's working orders, order by order, price in ticks and leaves quantity
    stored = {o.order_id: o for o in map(order_from_row, orders[1])}
    assert before <= orders[0] <= after
    assert len(truth_orders) > 0 and set(stored) == {o["orderId"] for o in truth_orders}
    for raw in truth_orders:
        order = stored[raw["orderId"]]
        assert order.account == str(raw["accountId"])
        trigger = raw["stopPrice"] if raw["orderType"] == "4" else raw["price"]  # a stop sits at its trigger
        assert order.price == ticks_from_number(trigger, ZN)
        assert order.quantity == int(raw["leavesQuantity"])
        assert int(order.side) == (1 if raw["side"] == "1" else -1)
        assert order.status == ORDER_DATA["orderStatus"][raw["orderStatus"]]  # by name, as a window shows it
    # positions: TT's net position per account
    assert {p["account"]: p["net_position"] for p in positions[1]} == {str(a): n for a, n in truth_net.items()}


def test_a_capture_whose_lease_was_taken_from_it_stands_by_and_takes_it_again(desk_url: str, desk_env) -> None:
    with SimulatorServer(SimConfig(step_interval=0.05, history_fills=5), host="127.0.0.1", port=0) as sim:
        capture = Capture(desk_env, desk_url, sim.url, interval="0.1")
        try:
            capture.wait_for("took the capture lease")  # printed once the store is open and it polls
            with psycopg.connect(desk_url, autocommit=True) as conn:  # the server drops its lease session
                conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                             "WHERE application_name = %s", (f"zn_ladder capture {ENV}",))
            capture.wait_for("lost the capture lease", timeout=10)
            capture.wait_for("took the capture lease", timeout=10)
        finally:
            out = capture.stop()
    assert capture.proc.returncode == 0, out
