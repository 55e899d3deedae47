"""Client overhead per request on loopback: `TTClient` (token, budget, request id, retries adapter,
JSON decode, parsing) against a bare `requests` GET of the same answer.

The simulator runs in its own process (`zn-ladder sim`): in-process, its threads would share the GIL
with the client and every call would pay thread switches that a real TT never causes.

    /work/venv/bin/python bench/bench_tt_overhead.py [--n 500]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
import uuid

import requests

from zn_ladder.tt.budget import Plan, RequestBudget
from zn_ladder.tt.client import TTClient
from zn_ladder.tt.connection import TTConnection
from zn_ladder.tt.sim import DEMO_API_KEY, DEMO_API_SECRET


def per_call(fn, n: int) -> tuple[float, float]:
    """(wall, this process's CPU) microseconds per call. CPU time is the client's own cost; wall time
    also holds the simulator's, which on a shared machine is noisy."""
    fn()
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(n):
        fn()
    return (time.perf_counter() - t0) / n * 1e6, (time.process_time() - c0) / n * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=500)
    args = parser.parse_args()
    sim = subprocess.Popen([sys.executable, "-m", "zn_ladder", "sim", "--port", "0", "--seed", "2",
                            "--step-interval", "0"], stdout=subprocess.PIPE, text=True)
    try:
        url = sim.stdout.readline().strip()
        conn = TTConnection(base_url=url, app_key=DEMO_API_KEY, app_secret=DEMO_API_SECRET, token_min_interval=0)
        with TTClient(conn, budget=RequestBudget(Plan("bench", 1_000_000, 100_000_000))) as client:
            cursor = client.fills_since(None).cursor
            token = client.tokens.get()
            session = requests.Session()
            orders_url = f"{url}/ttledger/ext_prod_sim/orders"
            headers = {"x-api-key": DEMO_API_KEY, "Authorization": f"Bearer {token}", "accept": "application/json"}

            def raw_orders() -> None:
                session.get(orders_url, params={"requestId": f"znladder-bench--{uuid.uuid4()}"}, headers=headers,
                            timeout=5).json()

            raw = per_call(raw_orders, args.n)
            ours = per_call(client.orders, args.n)
            poll = per_call(lambda: client.fills_since(cursor), args.n)
            orders = len(client.orders().orders)
    finally:
        sim.terminate()
        sim.wait(10)
    print(f"orders ({orders} working) per call, wall: bare requests {raw[0]:7.0f} us, TTClient.orders {ours[0]:7.0f} us")
    print(f"orders per call, client CPU: bare requests {raw[1]:7.0f} us, TTClient.orders {ours[1]:7.0f} us, "
          f"overhead {ours[1] - raw[1]:6.0f} us (token, budget, request id, retry adapter, parsing {orders} orders)")
    print(f"incremental fills poll with nothing new: wall {poll[0]:7.0f} us, client CPU {poll[1]:7.0f} us")


if __name__ == "__main__":
    main()
