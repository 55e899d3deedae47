"""Fill-to-screen latency: from the simulator publishing a fill to the window showing it.

The simulator's market is stepped by hand (no background steps), so the moment a fill is published is
known; the clock stops when the fills table holds that execution *and* the ladder/P&L on screen were
computed from a store snapshot containing it. Target (issue 6): <= the fills poll interval + 200 ms.
Also prints the longest GUI event-loop stall seen meanwhile, and the same with a 2 s TT latency.

    /work/venv/bin/python bench/bench_fill_to_screen.py [--fills 15] [--poll 1.0]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def run(n: int, poll: float, latency_ms: int = 0) -> tuple[list[float], int]:
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from zn_ladder.app import AppController
    from zn_ladder.config.settings import Settings
    from zn_ladder.workers.demo import demo_sim_config

    app = QApplication.instance() or QApplication([])
    tmp = Path(tempfile.mkdtemp(prefix="zn-bench-"))
    os.environ["ZN_LADDER_HOME"] = str(tmp / "home")
    controller = AppController(
        Settings(), force_demo=True, db_path=tmp / "b.sqlite3", ui_state=tmp / "w.ini",
        sim_config=demo_sim_config(seed=4, step_interval=None, history_fills=5, latency_ms=latency_ms,
                                   correction_rate=0.0),
        intervals={"orders_s": poll, "fills_s": poll, "positions_s": 5.0, "spot_s": 0.5})
    w = controller.window
    w.resize(1600, 1000)
    w.show()
    controller.start()
    clock = QElapsedTimer()
    clock.start()
    beat = {"last": 0, "max": 0}

    def heartbeat() -> None:
        now = clock.elapsed()
        beat["max"] = max(beat["max"], now - beat["last"])
        beat["last"] = now

    heart = QTimer()
    heart.timeout.connect(heartbeat)

    def wait(cond, timeout: float) -> bool:
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            if cond():
                return True
            loop = QEventLoop()
            QTimer.singleShot(2, loop.quit)
            loop.exec()
        return False

    ok = wait(lambda: controller.session is not None and w.fills.model.rowCount() > 0
              and controller.session.last_result is not None, 30)
    if not ok:
        raise SystemExit("the window never showed the simulator's first fills")
    heart.start(5)
    beat["last"] = clock.elapsed()
    market = controller.sim.server.market
    latencies = []
    for _ in range(n):
        before = {r["execID"] for r in market.published_fills()}
        # Land at a random point of the poll cycle, as real fills do.
        wait(lambda: False, poll * (0.1 + 0.8 * (len(latencies) % 7) / 7))
        market.step_until_fills(1)
        t0 = time.perf_counter()
        new = {r["execID"] for r in market.published_fills()} - before

        def shown() -> bool:
            keys = {f.key for f in w.fills.model.records()}
            result = controller.session.last_result
            store = result.inputs.store if result is not None else None
            return bool(new & keys) and store is not None and bool(new & {f.key for f in store.fills}) \
                and w.ladder_model.snapshot is result.ladder

        if not wait(shown, poll * 4 + 5 + 2 * latency_ms / 1000):
            raise SystemExit("a published fill never reached the screen")
        latencies.append((time.perf_counter() - t0) * 1000)
    heart.stop()
    w.close()
    controller.shutdown()
    return latencies, beat["max"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fills", type=int, default=15)
    parser.add_argument("--poll", type=float, default=1.0, help="fills poll interval, seconds")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    lat, stall = run(args.fills, args.poll)
    target = args.poll * 1000 + 200
    print(f"fill-to-screen over {len(lat)} fills, fills polled every {args.poll:g}s: median {statistics.median(lat):.0f} ms, "
          f"max {max(lat):.0f} ms (target <= {target:.0f} ms: {'met' if max(lat) <= target else 'NOT met'})")
    print(f"longest GUI event-loop stall meanwhile: {stall} ms")
    lat2, stall2 = run(max(3, args.fills // 3), args.poll, latency_ms=2000)
    print(f"with a 2 s TT latency: fill-to-screen median {statistics.median(lat2):.0f} ms, max {max(lat2):.0f} ms; "
          f"longest event-loop stall {stall2} ms (target < 50 ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
