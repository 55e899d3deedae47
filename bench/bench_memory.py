"""Memory over an accelerated trading hour at 10,000 fills/hour: the app's RSS must grow < 20 MB.

The simulator runs in a child process (its ledger of every published fill is not the app's memory)
with an accelerated clock: each market step advances simulated time by `3600 s / steps-per-hour`, and
steps run every few milliseconds, so one simulated hour at ~10,000 fills passes in a few minutes. The
app runs as a trader would (window shown offscreen, credentials, fills polled every second, the ladder
walking from the last fill), and RSS is sampled every few seconds after a warm-up.

    /work/venv/bin/python bench/bench_memory.py [--minutes 4] [--fills-per-hour 10000]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
#: Fills the simulated market publishes per step, measured (seed 3, accelerated clock): ~0.245.
FILLS_PER_STEP = 0.245

SIM = textwrap.dedent("""
    import sys, time
    from zn_ladder.tt.sim import SimConfig, SimulatorServer
    step_interval, step_ns = float(sys.argv[1]), int(sys.argv[2])
    cfg = SimConfig(seed=3, step_interval=step_interval, step_ns=step_ns, start_time_ns=time.time_ns(),
                    history_fills=50)
    with SimulatorServer(cfg) as sim:
        print(sim.url, flush=True)
        sys.stdin.read()
        print(len(sim.market.published_fills()), (sim.market.clock_ns - cfg.start_time_ns) / 1e9, flush=True)
""")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=4.0, help="wall-clock length of the simulated hour")
    parser.add_argument("--fills-per-hour", type=int, default=10_000)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    import dataclasses

    import psutil
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    steps_per_hour = args.fills_per_hour / FILLS_PER_STEP
    step_interval = args.minutes * 60 / steps_per_hour
    step_ns = int(3600e9 / steps_per_hour)
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    sim = subprocess.Popen([sys.executable, "-c", SIM, str(step_interval), str(step_ns)], stdin=subprocess.PIPE,
                           stdout=subprocess.PIPE, text=True, env=env)
    url = sim.stdout.readline().strip()
    tmp = Path(tempfile.mkdtemp(prefix="zn-mem-"))
    os.environ["ZN_LADDER_HOME"] = str(tmp / "home")
    from zn_ladder.tt.sim import DEMO_API_KEY, DEMO_API_SECRET

    os.environ["ZN_LADDER_TT_KEY"], os.environ["ZN_LADDER_TT_SECRET"] = DEMO_API_KEY, DEMO_API_SECRET
    from zn_ladder.app import AppController
    from zn_ladder.config.settings import Settings

    s = Settings()
    settings = dataclasses.replace(s, tt=dataclasses.replace(s.tt, base_url=url, usage_plan="high"))
    app = QApplication.instance() or QApplication([])
    controller = AppController(settings, db_path=tmp / "m.sqlite3", ui_state=tmp / "w.ini",
                               intervals={"orders_s": 2.0, "fills_s": 1.0, "positions_s": 10.0, "spot_s": 1.0})
    w = controller.window
    w.resize(1600, 1000)
    w.show()
    controller.start()
    proc = psutil.Process()

    def pump(seconds: float) -> None:
        loop = QEventLoop()
        QTimer.singleShot(int(seconds * 1000), loop.quit)
        loop.exec()

    warm = min(30.0, args.minutes * 60 / 8)
    pump(warm)
    start_rss = proc.memory_info().rss
    start_fills = w.fills.model.rowCount()
    samples = []
    end = time.monotonic() + args.minutes * 60 - warm
    while time.monotonic() < end:
        pump(5.0)
        samples.append((w.fills.model.rowCount(), proc.memory_info().rss))
    end_rss = proc.memory_info().rss
    fills = w.fills.model.rowCount()
    w.close()
    controller.shutdown()
    sim.stdin.close()
    published, simulated_s = sim.stdout.readline().split()
    sim.wait(10)
    growth = (end_rss - start_rss) / 2**20
    trend = ", ".join(f"{n}:{(r - start_rss) / 2**20:+.1f}" for n, r in samples[::max(1, len(samples) // 8)])
    print(f"RSS growth (MB) by fills on screen: {trend}")
    print(f"simulated {float(simulated_s) / 3600:.2f} h in {args.minutes:g} min: {published} fills published, "
          f"{fills} on screen ({fills - start_fills} after the warm-up)")
    added = max(1, fills - start_fills)
    print(f"RSS after warm-up {start_rss / 2**20:.1f} MB, at the end {end_rss / 2**20:.1f} MB: growth {growth:.1f} MB "
          f"(target < 20 MB: {'met' if growth < 20 else 'NOT met'}); peak {max(r for _, r in samples) / 2**20:.1f} MB; "
          f"{growth * 2**20 / added:,.0f} bytes per fill added (the fills table pages the day from the store)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
