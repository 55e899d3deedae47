"""Ladder projection speed: 2000 levels x 500 orders (target <= 2 ms per projection).

Prints the median of N projections (project_ladder only: grouping the orders by level, flagging
through-spot orders and building the walk breakpoints; rows are lazy), then the cost of materialising
the ~200 rows a ladder widget shows (fresh ladder each time, so no row cache helps), and of a full
materialisation of all 2000 rows for comparison.

Run: /work/venv/bin/python bench/bench_ladder.py [N]
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from fractions import Fraction

from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.ladder import project_ladder
from zn_ladder.domain.prices import Price
from zn_ladder.domain.records import OrderType, Side, WorkingOrder


def book(rng: random.Random, spot_tick: int, levels: int, n_orders: int) -> list[WorkingOrder]:
    half = levels // 2
    orders = []
    for i in range(n_orders):
        price = spot_tick + rng.randint(-half + 10, half - 10)
        side = rng.choice((Side.BUY, Side.SELL))
        kind = OrderType.STOP if rng.random() < 0.2 else OrderType.LIMIT
        orders.append(WorkingOrder(f"o{i}", "A1", "ZN Sep25", side, kind, price, rng.randint(1, 100)))
    return orders


def median_ms(fn, n: int) -> float:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    zn = get_product("ZN")
    spot_tick = 7073
    spot = Price.from_ticks(Fraction(2 * spot_tick + 1, 2), zn)  # a Pricing Monkey mid between ticks
    orders = book(random.Random(7), spot_tick, 2000, 500)
    high, low = spot_tick + 1000, spot_tick - 999  # exactly 2000 levels
    base = Fraction(12345, 8)

    def project():
        return project_ladder(zn, spot, 25, base, orders, high=high, low=low)

    ladder = project()
    assert len(ladder.rows) == 2000
    print(f"project_ladder, 2000 levels x 500 orders: {median_ms(project, n):.3f} ms median of {n} (target <= 2 ms)")

    def visible():
        fresh = project()
        start = fresh.index_of(spot_tick) - 100
        return fresh.rows[start:start + 200]

    print(f"project + materialise 200 visible rows: {median_ms(visible, n):.3f} ms median of {n}")
    print(f"project + materialise all 2000 rows: {median_ms(lambda: list(project().rows), max(n // 10, 5)):.3f} ms")
    cached = project()
    cached.rows[:200]
    print(f"re-read 200 cached rows: {median_ms(lambda: cached.rows[:200], n):.3f} ms median of {n}")


if __name__ == "__main__":
    main()
