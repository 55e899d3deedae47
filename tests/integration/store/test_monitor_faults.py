"""kill -9 of `zn-ladder monitor` at random moments during capture: 0 fills lost, 0 doubled.

Real processes (the monitor is `python -m zn_ladder monitor`), a real store (a SQLite file, or a PostgreSQL
desk database: `store_url`), and the simulator
on loopback publishing fills (and now and then a bust or correction) while the monitor is killed and
restarted. The ground truth is what the simulator published.
"""

from __future__ import annotations

import random
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.lots import LotBook, apply_corrections
from zn_ladder.domain.prices import ticks_from_number
from zn_ladder.domain.records import CorrectionKind, Fill, FillCorrection, Side
from zn_ladder.store.snapshot import pnl_view
from zn_ladder.store.store import Store
from zn_ladder.tt.sim import DEMO_API_KEY, DEMO_API_SECRET, SimConfig, SimulatorServer

ZN = get_product("ZN")
TRIALS = 20


@pytest.fixture
def monitor_env(cli_env: dict[str, str]) -> dict[str, str]:
    """The CLI environment with the simulator's demo credentials (shared with `run_cli`)."""
    cli_env.update({"ZN_LADDER_TT_KEY": DEMO_API_KEY, "ZN_LADDER_TT_SECRET": DEMO_API_SECRET})
    return cli_env


def _monitor(env: dict[str, str], db: Path | str, url: str, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "zn_ladder", "monitor", "--db", str(db), "--base-url", url,
                             "--interval", "0.02", "--plan", "high", *extra], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _said(proc: subprocess.Popen, *words: str) -> str:
    """The first line holding one of `words` (a desk capture says first that it took the lease or stands
    by); "" when the process ended without saying it."""
    while True:
        line = proc.stdout.readline()
        if not line or any(w in line for w in words):
            return line


class _Stepper(threading.Thread):
    """Moves the market every few ms while the monitor runs, so kills land between and inside writes."""

    def __init__(self, sim: SimulatorServer) -> None:
        super().__init__(daemon=True)
        self.sim = sim
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.005):
            self.sim.market.step(1)


def published(sim: SimulatorServer, contracts: dict[str, str]) -> tuple[list[Fill], list[FillCorrection]]:
    """The simulator's ground truth as domain records (contract names as the store knows them)."""
    fills = [Fill(r["execID"], str(r["accountId"]), contracts[r["execID"]], Side.parse(r["side"]),
                  int(float(r["lastQty"])), ticks_from_number(r["lastPx"], ZN), int(r["timeStamp"]), r["orderId"],
                  r["execID"], "sim", "", int(float(r.get("cumQty") or 0)))
             for r in sim.market.published_fills()]
    corrections = [FillCorrection(r["execID"], r["execRefID"],
                                  CorrectionKind.BUST if r["execType"] == "H" else CorrectionKind.CORRECT,
                                  int(r["timeStamp"]),
                                  None if r["execType"] == "H" else int(float(r["lastQty"])),
                                  None if r["execType"] == "H" else ticks_from_number(r["lastPx"], ZN))
                   for r in sim.market.published_corrections()]
    return fills, corrections


@pytest.mark.slow
def test_kill_9_at_random_moments_loses_and_doubles_nothing(store_url, monitor_env, run_cli) -> None:
    db = store_url
    rng = random.Random(20250703)
    cfg = SimConfig(seed=7, step_interval=None, step_ns=50_000_000, correction_rate=0.01, page_size=50)
    with SimulatorServer(cfg, host="127.0.0.1", port=0) as sim:
        stepper = _Stepper(sim)
        stepper.start()
        try:
            grew = 0
            stored = 0
            source = f"tt_fills:ext_prod_sim:{sim.url}"
            for _ in range(TRIALS):
                proc = _monitor(monitor_env, db, sim.url)
                first = _said(proc, "monitoring")
                assert first.startswith("monitoring"), first + proc.stderr.read()
                proc.stdout.readline()  # SOD stored or first fills: it is capturing now
                time.sleep(rng.uniform(0.0, 0.5))
                proc.kill()  # SIGKILL: no handler, no cleanup, possibly mid-transaction
                proc.wait(timeout=30)
                proc.stdout.close()
                proc.stderr.close()
                with Store.open(db, readonly=True) as store:
                    keys = {f.key for f in store.fills()} | {c.ref_key for c in store.corrections()}
                    count = store.fill_count()
                    cursor = store.get_cursor(source)
                grew += count > stored
                stored = count
                # the cursor committed with its fills: nothing before it is missing (no gap)
                if cursor is not None:
                    behind = {r["execID"] for r in sim.market.published_fills()
                              if int(r["timeStamp"]) < cursor["min_timestamp"]}
                    assert behind <= keys
        finally:
            stepper.done.set()
            stepper.join()
        assert grew >= TRIALS // 2  # most kills hit a monitor that was storing fills
        # a last, clean run catches up from the stored cursor, then stops on SIGTERM
        final = _monitor(monitor_env, db, sim.url)
        assert _said(final, "monitoring").startswith("monitoring")
        want = {r["execID"] for r in sim.market.published_fills()}
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with Store.open(db, readonly=True) as store:
                if {f.key for f in store.fills()} | {c.ref_key for c in store.corrections()} >= want:
                    break
            time.sleep(0.1)
        final.terminate()
        out, err = final.communicate(timeout=30)
        assert final.returncode == 0, err
        assert "stopped:" in out

        with Store.open(db) as store:  # opening for writing also re-verifies the books
            assert store.audit_entries("matching_repaired") == []
            rows = store.conn.execute("SELECT key, side, qty, price, order_id, cum_qty, contract FROM fills").fetchall()
            keys = [r[0] for r in rows]
            assert len(keys) == len(set(keys)) == len(want)  # 0 doubled
            assert set(keys) == want  # 0 lost
            executions = [(r[4], r[5]) for r in rows if r[5]]
            assert len(executions) == len(set(executions))
            contracts = {r[0]: r[6] for r in rows}
            truth, corrections = published(sim, contracts)
            by_key = {r[0]: r for r in rows}
            for f in truth:  # what was stored is what was published, figure for figure
                assert by_key[f.key][1:4] == (int(f.side), f.qty, f.price)
            assert {c.key for c in store.corrections()} == {c.key for c in corrections}
            # busts and corrections moved realized P&L exactly as a recompute from the ground truth
            live = apply_corrections(sorted(truth, key=lambda f: f.time_ns), corrections)
            sod = store.sod_lots()
            for account in {f.account for f in truth}:
                for method in ("lifo", "fifo"):
                    book = LotBook(ZN, method, [s for s in sod if s.account == account])
                    book.apply_all(f for f in live if f.account == account)
                    view = pnl_view(store.conn, contracts[truth[0].key], method, account)
                    assert (view.position, view.realized) == (book.position, book.realized)
        assert len(corrections) > 0
        # and TT (the simulator) agrees with the store on every position
        result = run_cli("reconcile", "--db", str(db), "--base-url", sim.url, "--json")
        assert result.returncode == 0, result.stdout + result.stderr


def test_second_monitor_on_the_same_store_loses_nothing(store_url, monitor_env) -> None:
    """Two processes capturing into one store at once: each fill stored once, none lost. (On a desk
    database the second stands by while the first holds the capture lease: see tests/integration/desk.)"""
    db = store_url
    cfg = SimConfig(seed=9, step_interval=None, step_ns=50_000_000, page_size=20)
    with SimulatorServer(cfg, host="127.0.0.1", port=0) as sim:
        stepper = _Stepper(sim)
        stepper.start()
        procs = [_monitor(monitor_env, db, sim.url) for _ in range(2)]
        try:
            for proc in procs:
                assert _said(proc, "monitoring", "standing by")
            time.sleep(1.0)
        finally:
            stepper.done.set()
            stepper.join()
        want = {r["execID"] for r in sim.market.published_fills()}
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with Store.open(db, readonly=True) as store:
                if len({f.key for f in store.fills()} | {c.ref_key for c in store.corrections()}) >= len(want):
                    break
            time.sleep(0.1)
        for proc in procs:
            proc.terminate()
            out, err = proc.communicate(timeout=30)
            assert proc.returncode == 0, err
        with Store.open(db) as store:
            assert store.audit_entries("matching_repaired") == []
            keys = [r[0] for r in store.conn.execute("SELECT key FROM fills")]
            assert sorted(keys) == sorted(want)
