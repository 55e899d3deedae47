"""The TT simulator's own costs: market steps, building history, and answers per second on loopback.

    /work/venv/bin/python bench/bench_sim.py [--requests 500]

Numbers to know before blaming the client: how fast the market publishes, how long a 100k-fill history
takes to build, and the server's latency for a small answer and for an incremental fills page with 1k vs
100k fills of history (the second must stay flat: one bisect, not a scan).
"""

from __future__ import annotations

import argparse
import time
import uuid

import requests

from zn_ladder.tt.sim import DEMO_API_KEY, DEMO_API_SECRET, SimConfig, SimulatorServer
from zn_ladder.tt.sim.market import Market

START = 1_790_000_000_000_000_000


def _median_ms(times: list[float]) -> str:
    times = sorted(times)
    return f"median {times[len(times) // 2] * 1000:6.2f} ms, p90 {times[int(len(times) * 0.9)] * 1000:6.2f} ms"


def bench_market() -> None:
    market = Market(SimConfig(start_time_ns=START))
    t0 = time.perf_counter()
    market.step(50_000)
    elapsed = time.perf_counter() - t0
    fills = len(market.published_records())
    print(f"market: 50,000 steps in {elapsed:5.2f} s ({50_000 / elapsed:,.0f} steps/s), {fills:,} fill records "
          f"({fills / 50_000:.2f} per step; at the default 0.5 s step: {fills / 50_000 * 7200:,.0f} per hour)")
    for history in (1_000, 100_000):
        t0 = time.perf_counter()
        Market(SimConfig(start_time_ns=START, history_fills=history))
        print(f"market: history of {history:>7,} fills built in {time.perf_counter() - t0:5.2f} s")


def bench_server(history: int, count: int) -> None:
    cfg = SimConfig(step_interval=None, start_time_ns=START, history_fills=history)
    with SimulatorServer(cfg) as sim:
        session = requests.Session()
        rid = lambda: f"znladder-bench--{uuid.uuid4()}"  # noqa: E731
        token = session.post(f"{sim.url}/ttid/{cfg.env}/token", params={"requestId": rid()},
                             headers={"x-api-key": DEMO_API_KEY},
                             data={"grant_type": "user_app", "app_key": f"{DEMO_API_KEY}:{DEMO_API_SECRET}"},
                             ).json()["access_token"]
        headers = {"x-api-key": DEMO_API_KEY, "Authorization": f"Bearer {token}", "accept": "application/json"}
        small, polls = [], []
        cursor = sim.market.published_records()[-1]["timeStamp"]
        for _ in range(count):
            t0 = time.perf_counter()
            session.get(f"{sim.url}/ttpds/{cfg.env}/markets", params={"requestId": rid()}, headers=headers)
            small.append(time.perf_counter() - t0)
            sim.market.step(2)
            t0 = time.perf_counter()
            body = session.get(f"{sim.url}/ttledger/{cfg.env}/fills", headers=headers,
                               params={"requestId": rid(), "minTimestamp": cursor}).json()
            polls.append(time.perf_counter() - t0)
            if body["fills"]:
                cursor = body["fills"][-1]["timeStamp"]
        print(f"server, {history:>7,} fills of history: markets GET {_median_ms(small)}; "
              f"incremental fills GET {_median_ms(polls)} ({1 / (sum(small) / len(small)):,.0f} small answers/s)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=500)
    args = parser.parse_args()
    bench_market()
    for history in (1_000, 100_000):
        bench_server(history, args.requests)


if __name__ == "__main__":
    main()
