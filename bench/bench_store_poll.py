"""One incremental poll's write cost with 1k vs 1M fills already stored (target: flat).

A poll is what `zn-ladder monitor` does after each TT answer: `Store.ingest` of a few new fills (here
5, plus 1 repeated boundary fill) with the poll cursor, in one durable transaction. Timed: that call
(insert, identity checks, incremental LIFO/FIFO update and lot rows, cursor, commit with fsync);
median of 200 polls after 20 warm-up polls. The 1M-fill store is built first (not timed; ~1 minute).
Run: /work/venv/bin/python bench/bench_store_poll.py [BIG]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from store_data import desk_fills  # noqa: E402

from zn_ladder.store.store import Store  # noqa: E402

POLLS, WARMUP, PER_POLL = 200, 20, 5


def poll_cost(stored: int, tmp: Path) -> tuple[float, float]:
    path = tmp / f"s{stored}.sqlite3"
    chunk = 200_000
    with Store.open(path) as store:
        for start in range(0, stored, chunk):
            store.ingest(desk_fills(min(chunk, stored - start), seed=start + 1, start=start))
    new = desk_fills((POLLS + WARMUP) * PER_POLL, seed=99, start=stored)
    with Store.open(path) as store:
        walls, cpus = [], []
        for i in range(POLLS + WARMUP):
            batch = new[i * PER_POLL:(i + 1) * PER_POLL]
            boundary = new[i * PER_POLL - 1:i * PER_POLL] if i else []
            cursor = {"v": 1, "min_timestamp": batch[-1].time_ns, "seen": [[batch[-1].time_ns, batch[-1].key]]}
            c0, t0 = time.process_time(), time.perf_counter()
            store.ingest(boundary + batch, source="tt_api", cursor=("tt_fills:bench", cursor))
            if i >= WARMUP:
                walls.append(time.perf_counter() - t0)
                cpus.append(time.process_time() - c0)
        assert store.fill_count() == stored + (POLLS + WARMUP) * PER_POLL
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    big = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory() as tmp:
        for stored in (1_000, big):
            wall, cpu = poll_cost(stored, Path(tmp))
            print(f"{stored:>9,} fills stored: one poll of {PER_POLL} new + 1 repeated fill = "
                  f"{wall * 1000:.2f} ms wall (median of {POLLS}, incl. fsync), {cpu * 1000:.2f} ms CPU")


if __name__ == "__main__":
    main()
