"""Desk database (issue 16): fill-to-subscriber and fill-to-screen latency through LISTEN/NOTIFY, with
10 headless subscribers and one window (a `Session`, offscreen) on one capture, and the TT requests a
desk of windows costs.

A throwaway PostgreSQL cluster (tests/pgcluster.py), the simulator on 127.0.0.1, a real capture
process (`zn-ladder monitor --db postgresql://...`). The market is stepped by hand until each fill is
published; then the clock runs from the capture's commit (the NOTIFY's send time, taken right after
the poll's transaction committed) to:
- each headless subscriber having read the new fill from the database (what a window's store read does);
- the window's `fillsReady` holding it (its snapshot, as the fills table and the ladder get it).
Target: <= 300 ms after the commit. The window's own TT (a second simulator) must see 0 requests.

    python bench/bench_desk_notify.py [--subscribers 10] [--fills 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]


class Reader:
    """A headless subscriber that reads each new fill when woken, on its own connection."""

    def __init__(self, url: str, env: str) -> None:
        import psycopg

        from zn_ladder.store.desk.subscriber import CaptureSubscriber

        self.db = psycopg.connect(url, autocommit=True)
        self.seen: dict[str, tuple[int, int]] = {}  # key -> (notify sent ns, read done ns)
        self.lock = threading.Lock()
        self.sub = CaptureSubscriber(url, env, on_change=self._changed)

    def _changed(self, change) -> None:
        if change.feed != "fills":
            return
        keys = [r[0] for r in self.db.execute("SELECT key FROM fills")]
        done = time.time_ns()
        with self.lock:
            for key in keys:
                self.seen.setdefault(key, (change.sent_ns, done))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--subscribers", type=int, default=10)
    ap.add_argument("--fills", type=int, default=20)
    args = ap.parse_args()

    from PySide6.QtWidgets import QApplication

    from tests.pgcluster import start_cluster
    from zn_ladder.domain.instruments import get_product
    from zn_ladder.store.store import Store
    from zn_ladder.tt.schedule import Schedule
    from zn_ladder.tt.sim import DEMO_API_KEY, DEMO_API_SECRET, SimConfig, SimulatorServer
    from zn_ladder.workers.demo import demo_connection
    from zn_ladder.workers.session import Session, SessionConfig

    app = QApplication.instance() or QApplication([])
    cluster = start_cluster()
    tmp = Path(tempfile.mkdtemp(prefix="zn-desk-bench-"))
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "ZN_LADDER_HOME": str(tmp / "home"),
           "ZN_LADDER_TT_KEY": DEMO_API_KEY, "ZN_LADDER_TT_SECRET": DEMO_API_SECRET}
    capture = None
    try:
        url = cluster.create_database()
        Store.open(url).close()
        cfg = SimConfig(seed=5, step_interval=None, history_fills=0, correction_rate=0.0)
        with SimulatorServer(cfg, host="127.0.0.1", port=0) as desk_tt, \
                SimulatorServer(SimConfig(step_interval=None), host="127.0.0.1", port=0) as own_tt:
            capture = subprocess.Popen(
                [sys.executable, "-m", "zn_ladder", "monitor", "--db", url, "--base-url", desk_tt.url,
                 "--interval", "0.2", "--orders-interval", "1", "--positions-interval", "2", "--plan", "high"],
                env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            for line in capture.stdout:
                if "monitoring" in line:
                    break
            threading.Thread(target=lambda: [None for _ in capture.stdout], daemon=True).start()
            readers = [Reader(url, "ext_prod_sim") for _ in range(args.subscribers)]
            for r in readers:
                r.sub.start()
            session = Session(SessionConfig(conn=demo_connection(own_tt.url), product=get_product("ZN"), env="SIM",
                                            db_path=url, spot_mode="manual"))
            screen: dict[str, int] = {}
            session.fillsReady.connect(lambda snap: [screen.setdefault(f.key, time.time_ns()) for f in snap.fills])
            session.start()
            for r in readers:
                r.sub.wait_listening(30)
            started, requests_before = time.monotonic(), len(desk_tt.requests)
            published: dict[str, int] = {}
            while len(published) < args.fills:
                before = {r["execID"] for r in desk_tt.market.published_fills()}
                while True:
                    desk_tt.market.step(1)
                    new = {r["execID"] for r in desk_tt.market.published_fills()} - before
                    if new:
                        break
                at = time.time_ns()
                for key in new:
                    published[key] = at
                end = time.monotonic() + 15
                while time.monotonic() < end and not (
                        all(all(k in r.seen for k in new) for r in readers) and all(k in screen for k in new)):
                    app.processEvents()
                    time.sleep(0.002)
                for _ in range(20):  # let the window settle between fills
                    app.processEvents()
                    time.sleep(0.01)
            elapsed = time.monotonic() - started
            capture_requests = len(desk_tt.requests) - requests_before
            session.stop(5.0)
            for r in readers:
                r.sub.stop()
            own_requests = len(own_tt.requests)

        sub_lat = [(done - sent) / 1e6 for r in readers for k, (sent, done) in r.seen.items() if k in published]
        commit = {k: readers[0].seen[k][0] for k in published if k in readers[0].seen}
        screen_lat = [(screen[k] - commit[k]) / 1e6 for k in commit if k in screen]
        poll_lat = [(commit[k] - published[k]) / 1e6 for k in commit]
        missing = sum(1 for r in readers for k in published if k not in r.seen) + sum(1 for k in published if k not in screen)
        print(f"{len(published)} fills, {args.subscribers} headless subscribers + 1 window on one capture "
              f"(capture polls fills every 0.2 s)")
        print(f"commit -> subscriber read: median {statistics.median(sub_lat):.1f} ms, p95 {percentile(sub_lat, 0.95):.1f} ms, "
              f"max {max(sub_lat):.1f} ms over {len(sub_lat)} reads (target <= 300 ms)")
        print(f"commit -> window fillsReady: median {statistics.median(screen_lat):.1f} ms, "
              f"p95 {percentile(screen_lat, 0.95):.1f} ms, max {max(screen_lat):.1f} ms over {len(screen_lat)} fills")
        print(f"publish -> capture commit (the capture's poll): median {statistics.median(poll_lat):.0f} ms")
        print(f"fills not seen: {missing}")
        rate = capture_requests / elapsed
        print(f"TT requests: capture {capture_requests} in {elapsed:.1f} s ({rate:.2f}/s; its schedule asks "
              f"{1 / 0.2 + 1 / 1 + 1 / 2:.2f}/s); the window's own TT: {own_requests}")
        default = Schedule(fills_s=8.0, orders_s=30.0, positions_s=120.0)  # the settings' polling defaults
        one = default.requests_per_day()
        print(f"TT requests a day at the default schedule: one window polling TT {one:,}; a desk of 10 windows "
              f"on one capture {one:,} + 10 x {own_requests} = {one + 10 * own_requests:,} "
              f"(ratio {(one + 10 * own_requests) / one:.2f}); 10 windows each polling TT: {10 * one:,}")
    finally:
        if capture is not None and capture.poll() is None:
            capture.terminate()
            capture.wait(30)
        cluster.stop()


if __name__ == "__main__":
    main()
