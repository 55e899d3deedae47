"""Requests of the default TT polling schedules against each usage plan, and how soon a new fill is
visible when polling the simulator on the Low plan's schedule (target: within 15,000/day and <= 6 s).

    /work/venv/bin/python bench/bench_tt_schedule.py [--seconds 40]
"""

from __future__ import annotations

import argparse
import statistics
import time

from zn_ladder.tt.budget import PLANS
from zn_ladder.tt.client import TTClient
from zn_ladder.tt.connection import TTConnection
from zn_ladder.tt.schedule import DEFAULT_SCHEDULES
from zn_ladder.tt.sim import DEMO_API_KEY, DEMO_API_SECRET, SimConfig, SimulatorServer


def budget_table() -> None:
    print("schedule   fills_s orders_s positions_s  req/hour  req/day  | share of each plan's daily budget")
    for name, s in DEFAULT_SCHEDULES.items():
        shares = "  ".join(f"{p}:{s.requests_per_day() / plan.per_day:6.1%}" for p, plan in PLANS.items())
        print(f"{name:<9} {s.fills_s:8.1f} {s.orders_s:8.0f} {s.positions_s:11.0f} {s.requests_per_hour():9.0f} "
              f"{s.requests_per_day():8,}  | {shares}  -> {s.check(name).text()}")


def visibility(seconds: float) -> None:
    schedule = DEFAULT_SCHEDULES["low"]
    cfg = SimConfig(seed=3, step_interval=0.25)  # wall-clock market, fills every second or so
    with SimulatorServer(cfg, host="127.0.0.1", port=0) as sim:
        conn = TTConnection(base_url=sim.url, app_key=DEMO_API_KEY, app_secret=DEMO_API_SECRET, plan="low",
                            token_min_interval=0)
        delays: list[float] = []
        with TTClient(conn) as client:
            cursor = client.fills_since(None).cursor
            next_at = {"fills": time.monotonic(), "orders": time.monotonic(), "positions": time.monotonic()}
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                now = time.monotonic()
                if now >= next_at["fills"]:
                    page = client.fills_since(cursor)
                    seen_ns = time.time_ns()
                    delays.extend((seen_ns - f.time_ns) / 1e9 for f in page.fills)
                    cursor = page.cursor
                    next_at["fills"] += schedule.fills_s
                if now >= next_at["orders"]:
                    client.orders()
                    next_at["orders"] += schedule.orders_s
                if now >= next_at["positions"]:
                    client.positions()
                    next_at["positions"] += schedule.positions_s
                time.sleep(max(0.0, min(next_at.values()) - time.monotonic()))
            usage = client.budget.usage()
        if delays:
            delays.sort()
            p95 = delays[int(0.95 * (len(delays) - 1))]
            print(f"fill visibility on the Low schedule over {seconds:.0f} s: {len(delays)} fills, "
                  f"mean {statistics.mean(delays):.2f} s, p95 {p95:.2f} s, max {delays[-1]:.2f} s (target <= 6 s)")
        per_hour = usage.used_today * 3600 / seconds
        print(f"requests in the run: {usage.used_today} (~{per_hour:.0f}/hour incl. start-up and token)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=40.0)
    args = parser.parse_args()
    budget_table()
    visibility(args.seconds)


if __name__ == "__main__":
    main()
