"""Cost of one incremental fills poll when the simulator holds 1k vs 100k fills of history (target: flat).

    /work/venv/bin/python bench/bench_tt_poll_cost.py [--polls 50]
"""

from __future__ import annotations

import argparse
import time

from zn_ladder.tt.budget import Plan, RequestBudget
from zn_ladder.tt.client import TTClient
from zn_ladder.tt.connection import TTConnection
from zn_ladder.tt.sim import DEMO_API_KEY, DEMO_API_SECRET, SimConfig, SimulatorServer


def run(history: int, polls: int) -> None:
    started = time.perf_counter()
    cfg = SimConfig(seed=5, step_interval=None, start_time_ns=1_790_000_000_000_000_000, history_fills=history,
                    page_size=500)
    with SimulatorServer(cfg, host="127.0.0.1", port=0) as sim:
        built = time.perf_counter() - started
        conn = TTConnection(base_url=sim.url, app_key=DEMO_API_KEY, app_secret=DEMO_API_SECRET,
                            token_min_interval=0)
        with TTClient(conn, budget=RequestBudget(Plan("bench", 100_000, 10_000_000))) as client:
            t0 = time.perf_counter()
            first = client.fills_since(None)
            full = time.perf_counter() - t0
            cursor = first.cursor
            times, new = [], 0
            for _ in range(polls):
                sim.market.step(2)
                t0 = time.perf_counter()
                page = client.fills_since(cursor)
                times.append(time.perf_counter() - t0)
                new += len(page.fills)
                cursor = page.cursor
        times.sort()
        print(f"history {history:>7,} fills (sim built in {built:5.1f} s): first full poll {full * 1000:8.1f} ms "
              f"in {first.pages} pages; incremental poll median {times[len(times) // 2] * 1000:6.2f} ms, "
              f"p90 {times[int(len(times) * 0.9)] * 1000:6.2f} ms ({new} new fills over {polls} polls)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--polls", type=int, default=50)
    args = parser.parse_args()
    for history in (1_000, 100_000):
        run(history, args.polls)


if __name__ == "__main__":
    main()
