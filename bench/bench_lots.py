"""Lot matching speed: microseconds per fill for LIFO and FIFO on 200,000 fills (aim ~1 us per fill).

The fills are built first (not timed); the timed part is `match_fills` (grouping per account +
contract, product check per contract, de-duplication by key, matching) plus reading realized and
open lots. A random walk of buys and sells around a drifting price, 2 accounts x 2 contracts in runs of 1000.

Run: /work/venv/bin/python bench/bench_lots.py [N_FILLS]
"""

from __future__ import annotations

import random
import sys
import time

from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.lots import match_fills
from zn_ladder.domain.prices import Price
from zn_ladder.domain.records import Fill, Side


def fills(n: int) -> list[Fill]:
    rng = random.Random(3)
    price = 7073
    out = []
    for i in range(n):
        price += rng.randint(-2, 2)
        run = i // 1000  # desks trade in runs: one account + contract for a while, then another
        out.append(Fill(f"x{i}", f"A{run % 2}", "ZN Sep25" if run % 3 else "ZN Dec25",
                        Side.BUY if rng.random() < 0.5 else Side.SELL, rng.randint(1, 20), price, i))
    return out


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    zn = get_product("ZN")
    data = fills(n)
    mark = Price.from_ticks(7073, zn)
    for method in ("lifo", "fifo"):
        best = float("inf")
        for _ in range(3):
            t0 = time.perf_counter()
            books = match_fills(data, zn, method)
            realized = sum(b.realized for b in books.values())
            lots = sum(len(b.open_lots) for b in books.values())
            best = min(best, time.perf_counter() - t0)
        total = sum(b.total_pnl(mark) for b in books.values())
        print(f"{method}: {best * 1e6 / n:.3f} us/fill, {best * 1000:.1f} ms for {n} fills (best of 3); "
              f"books={len(books)} realized=${float(realized):,.2f} open lots={lots} total=${float(total):,.2f}")


if __name__ == "__main__":
    main()
