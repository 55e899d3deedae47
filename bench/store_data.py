"""Fills for the store benchmarks: what a desk's day looks like to the store (not a benchmark itself).

Exec ids like TT's (uuid-like text, random order in the key index), two accounts, two contracts in
runs, one order filling several times (so (order id, cumulative qty) is exercised), a random walk price.
"""

from __future__ import annotations

import random
import uuid

from zn_ladder.domain.records import Fill, Side

T0 = 1_764_000_000_000_000_000


def desk_fills(n: int, *, seed: int = 3, start: int = 0, t0: int = T0) -> list[Fill]:
    rng = random.Random(seed)
    price = 7073
    out = []
    cum: dict[str, int] = {}
    order = ""
    for i in range(start, start + n):
        price += rng.randint(-2, 2)
        run = i // 1000
        if i % 3 == 0:
            order = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        qty = rng.randint(1, 20)
        cum[order] = cum.get(order, 0) + qty
        exec_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        out.append(Fill(exec_id, f"A{run % 2}", "ZN Sep25" if run % 3 else "ZN Dec25",
                        Side.BUY if rng.random() < 0.5 else Side.SELL, qty, price, t0 + i * 1_000_000,
                        order, exec_id, "tt_api", "trader", cum[order]))
    return out
