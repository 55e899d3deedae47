"""kill -9 soak of two competing desk captures on one desk database (issue 16): at any time one
holds the lease and captures, the other stands by; the holder is killed at a random moment (between
or inside its poll's transaction), the standby takes over within 10 s and a new standby is started.
The ground truth is what the simulator published: after the last trial every published fill is in
the store exactly once, figure for figure, and the books equal an independent replay."""

from __future__ import annotations

import random
import time

import pytest

from tests.integration.desk.capture_procs import Capture, first_of
from tests.integration.store.test_monitor_faults import ZN, _Stepper, published
from zn_ladder.domain.lots import LotBook, apply_corrections
from zn_ladder.store.snapshot import pnl_view
from zn_ladder.store.store import Store
from zn_ladder.tt.sim import DEMO_API_KEY, DEMO_API_SECRET, SimConfig, SimulatorServer

TRIALS = 100
#: The issue's bound on a takeover after the holder died.
TAKEOVER_S = 10.0


@pytest.fixture
def desk_env(cli_env: dict[str, str]) -> dict[str, str]:
    cli_env.update({"ZN_LADDER_TT_KEY": DEMO_API_KEY, "ZN_LADDER_TT_SECRET": DEMO_API_SECRET})
    return cli_env


def soak(url: str, env: dict[str, str], trials: int, seed: int) -> list[float]:
    """Run `trials` kill -9 handovers; returns the takeover times (kill to the standby capturing)."""
    rng = random.Random(seed)
    cfg = SimConfig(seed=seed, step_interval=None, step_ns=50_000_000, correction_rate=0.01, page_size=50)
    takeovers: list[float] = []
    with SimulatorServer(cfg, host="127.0.0.1", port=0) as sim:
        stepper = _Stepper(sim)
        stepper.start()
        holder = Capture(env, url, sim.url)
        holder.wait_for("took the capture lease")
        standby = Capture(env, url, sim.url)
        source = f"tt_fills:ext_prod_sim:{sim.url}"
        standing = False
        try:
            for _ in range(trials):
                if not standing:
                    standby.wait_for("standing by")  # two competing captures: one holds, one stands by
                time.sleep(rng.uniform(0.0, 0.4))
                holder.kill()  # SIGKILL: no handler, no cleanup, possibly inside a transaction
                killed_at = time.monotonic()
                # the replacement starts at once: it competes with the standby (which usually wins,
                # being up already); the trial's takeover is whichever takes the lease first
                fresh = Capture(env, url, sim.url)
                holder, (took_at, _) = first_of([standby, fresh], "took the capture lease",
                                                timeout=TAKEOVER_S + 30)
                takeovers.append(took_at - killed_at)
                standing = holder is fresh  # the old standby still stands by (it said so already)
                standby = fresh if holder is standby else standby
                with Store.open(url, readonly=True) as store:
                    # the cursor first: the capture commits on while we read, and every fill behind a
                    # cursor committed earlier is committed by the time the fills are read after it
                    cursor = store.get_cursor(source)
                    # fills() leaves busted fills out: a bust's ref_key names the fill it busted
                    keys = {f.key for f in store.fills()} | {k for c in store.corrections() for k in (c.key, c.ref_key)}
                if cursor is not None:  # the cursor committed with its fills: nothing before it missing
                    behind = {r["execID"] for r in sim.market.published_records()
                              if int(r["timeStamp"]) < cursor["min_timestamp"]}
                    assert behind <= keys, sorted(behind - keys)
        finally:
            stepper.done.set()
            stepper.join()
        want = {r["execID"] for r in sim.market.published_records()}
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # the last holder catches up with the (now still) market
            with Store.open(url, readonly=True) as store:
                if {f.key for f in store.fills()} | {k for c in store.corrections() for k in (c.key, c.ref_key)} >= want:
                    break
            time.sleep(0.1)
        for capture in (holder, standby):
            out = capture.stop()
            assert capture.proc.returncode == 0, out[-3000:]
        _check_against_the_simulator(url, sim)
    return takeovers


def _check_against_the_simulator(url: str, sim: SimulatorServer) -> None:
    with Store.open(url) as store:  # opening for writing re-verifies the books against a recompute
        assert store.audit_entries("matching_repaired") == []
        rows = store.conn.execute("SELECT key, side, qty, price, order_id, cum_qty, contract FROM fills").fetchall()
        keys = [r[0] for r in rows]
        want = {r["execID"] for r in sim.market.published_fills()}
        assert len(keys) == len(set(keys))  # 0 doubled
        assert set(keys) == want  # 0 lost, nothing invented
        executions = [(r[4], r[5]) for r in rows if r[5]]
        assert len(executions) == len(set(executions))
        contracts = {r[0]: r[6] for r in rows}
        truth, corrections = published(sim, contracts)
        by_key = {r[0]: r for r in rows}
        for f in truth:
            assert tuple(by_key[f.key][1:4]) == (int(f.side), f.qty, f.price)
        assert {c.key for c in store.corrections()} == {c.key for c in corrections}
        live = apply_corrections(sorted(truth, key=lambda f: f.time_ns), corrections)
        sod = store.sod_lots()
        for account in {f.account for f in truth}:
            for method in ("lifo", "fifo"):
                book = LotBook(ZN, method, [s for s in sod if s.account == account])
                book.apply_all(f for f in live if f.account == account)
                view = pnl_view(store.conn, contracts[truth[0].key], method, account)
                assert (view.position, view.realized) == (book.position, book.realized)


def test_two_captures_hand_over_after_kill_9(desk_url: str, desk_env) -> None:
    """A few handovers, every run: the standby says it stands by, takes over within 10 s, 0 lost/doubled."""
    takeovers = soak(desk_url, desk_env, trials=3, seed=11)
    assert len(takeovers) == 3 and max(takeovers) < TAKEOVER_S


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_kill_9_soak_of_two_competing_captures(desk_url: str, desk_env) -> None:
    takeovers = soak(desk_url, desk_env, trials=TRIALS, seed=20251203)
    assert len(takeovers) == TRIALS and max(takeovers) < TAKEOVER_S
    ordered = sorted(takeovers)
    print(f"takeover after kill -9 over {TRIALS} trials: median {ordered[TRIALS // 2]:.2f} s, "
          f"max {ordered[-1]:.2f} s")
