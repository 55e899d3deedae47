"""kill -9 soak: `zn-ladder monitor` killed at random moments while the simulator publishes fills.

Each trial starts the real command (a subprocess), waits until it is capturing, kills it with SIGKILL
after a random 0-0.5 s, and starts the next. At the end one clean run catches up and is stopped with
SIGTERM; then the store is compared with the simulator's ground truth. Prints trials, fills published,
lost, doubled, busts/corrections, and the time per trial. (The test suite runs 20 trials; this runs more.)
Run: /work/venv/bin/python bench/bench_store_kill9.py [TRIALS]
"""

from __future__ import annotations

import contextlib
import io
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from zn_ladder.store.store import Store
from zn_ladder.tt.sim import DEMO_API_KEY, DEMO_API_SECRET, SimConfig, SimulatorServer

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    trials = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "capture.sqlite3"
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), ZN_LADDER_HOME=tmp,
                   ZN_LADDER_TT_KEY=DEMO_API_KEY, ZN_LADDER_TT_SECRET=DEMO_API_SECRET)
        cfg = SimConfig(seed=21, step_interval=None, step_ns=50_000_000, correction_rate=0.01, page_size=50)
        # the simulator logs each connection a killed client dropped; keep the output to the numbers
        with contextlib.redirect_stderr(io.StringIO()), SimulatorServer(cfg, host="127.0.0.1", port=0) as sim:
            cmd = [sys.executable, "-m", "zn_ladder", "monitor", "--db", str(db), "--base-url", sim.url,
                   "--interval", "0.02", "--plan", "high"]
            done = threading.Event()

            def step() -> None:
                while not done.wait(0.005):
                    sim.market.step(1)

            stepper = threading.Thread(target=step, daemon=True)
            stepper.start()
            t0 = time.perf_counter()
            for _ in range(trials):
                proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
                proc.stdout.readline()
                proc.stdout.readline()
                time.sleep(rng.uniform(0.0, 0.5))
                proc.kill()
                proc.wait()
                proc.stdout.close()
            per_trial = (time.perf_counter() - t0) / trials
            done.set()
            stepper.join()
            final = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            final.stdout.readline()
            published = {r["execID"] for r in sim.market.published_fills()}
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                with Store.open(db, readonly=True) as store:
                    if {f.key for f in store.fills()} | {c.ref_key for c in store.corrections()} >= published:
                        break
                time.sleep(0.2)
            final.terminate()
            final.communicate()
            with Store.open(db) as store:
                keys = [r[0] for r in store.conn.execute("SELECT key FROM fills")]
                repaired = len(store.audit_entries("matching_repaired"))
                corrections = len(store.corrections())
        lost = len(published - set(keys))
        doubled = len(keys) - len(set(keys)) + len(set(keys) - published)
        print(f"{trials} kill -9 trials ({per_trial:.2f} s each): {len(published)} fills published, "
              f"{len(keys)} stored, lost {lost}, doubled {doubled}, {corrections} busts/corrections, "
              f"matching repairs on open {repaired}; final run exit {final.returncode}")


if __name__ == "__main__":
    main()
