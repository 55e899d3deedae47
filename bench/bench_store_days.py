"""Closing trading days (issue 15 §2): what a day's close costs, and what the days add to a poll.

1. Close: a store holding N fills of one past trading day and no closed-day row; timed `Store.close_days()`
   (one replay of the day through LIFO and FIFO per book, the rows written, commit). Reported per 1,000
   fills. Median of 5 (each on a copy of the store with the rows dropped).
2. Poll: the median `Store.ingest` of 5 new fills of *today* (the desk's case) on that store once its
   days are closed, against the same poll with the closing switched off (`Store._close_days` a no-op),
   alternating in one store: the ratio is what the trading days cost a poll (two day lookups, ~16 us each).
Run: /work/main/.venv/bin/python bench/bench_store_days.py [N]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from store_data import desk_fills  # noqa: E402

from zn_ladder.store.store import Store  # noqa: E402

POLLS, WARMUP, PER_POLL = 200, 20, 5


def close_cost(path: Path, n: int) -> float:
    times = []
    for _ in range(5):
        with Store.open(path, verify=False) as store:
            store.conn.execute("DELETE FROM closed_days")
            t0 = time.perf_counter()
            written = store.close_days()
            times.append(time.perf_counter() - t0)
            assert written > 0
    return statistics.median(times) / n * 1000 * 1000  # ms per 1,000 fills


def poll_costs(path: Path) -> tuple[float, float]:
    """Medians of polls with and without the trading days, alternating in one store (a loaded machine's
    drift then touches both alike)."""
    now = time.time_ns()
    new = [replace(f, time_ns=now + i * 1000) for i, f in enumerate(desk_fills(2 * (POLLS + WARMUP) * PER_POLL,
                                                                              seed=7, start=10**7))]
    walls: dict[bool, list[float]] = {True: [], False: []}
    with Store.open(path, verify=False) as store:
        store.close_days()
        closing = store._close_days
        for i in range(2 * (POLLS + WARMUP)):
            days = i % 2 == 0
            store._close_days = closing if days else (lambda conn, batch: None)
            t0 = time.perf_counter()
            store.ingest(new[i * PER_POLL:(i + 1) * PER_POLL], source="tt_api")
            if i >= 2 * WARMUP:
                walls[days].append(time.perf_counter() - t0)
    return statistics.median(walls[True]), statistics.median(walls[False])


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "days.sqlite3"
        with Store.open(path) as store:
            store.ingest(desk_fills(n))  # one past day (24 Nov 2025), two accounts, two contracts
        per_k = close_cost(path, n)
        print(f"close a day of {n:,} fills: {per_k:.2f} ms per 1,000 fills ({per_k * n / 1000 / 1000:.2f} s)")
        with_days, without = poll_costs(path)
        print(f"poll of {PER_POLL} fills: {with_days * 1000:.2f} ms with the trading days, "
              f"{without * 1000:.2f} ms without (ratio {with_days / without:.2f}, medians of {POLLS})")


if __name__ == "__main__":
    main()
