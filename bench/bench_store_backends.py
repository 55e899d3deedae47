"""The store on PostgreSQL vs SQLite, in one run on this machine (issue 16).

1. Ingest: `Store.ingest` of N desk fills in one durable transaction (identity rules, incremental
   LIFO/FIFO books, commit), into an empty store ("new") and the same N again ("again": all duplicates).
2. One poll's write with BIG fills stored: `Store.ingest` of 20 new fills + 1 repeated boundary fill with
   the poll cursor, one durable transaction; median of POLLS polls after 10 warm-up polls.
Both backends durable: SQLite WAL + synchronous=FULL on a local file; PostgreSQL 15 (Debian's server,
a throwaway cluster on loopback TCP, fsync on, synchronous_commit on) reached through psycopg 3. Wall
time (the PostgreSQL server's work is in another process, so this process's CPU would flatter it).
The machine is shared: run it twice and read the ratio, not the absolute numbers.
Run: python bench/bench_store_backends.py [N] [BIG] [POLLS]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT.parent))

from store_data import desk_fills  # noqa: E402

from tests.pgcluster import start_cluster  # noqa: E402
from zn_ladder.store.store import Store  # noqa: E402

PER_POLL, WARMUP = 20, 10


def ingest_rate(location: str, fills) -> tuple[float, float]:
    with Store.open(location) as store:
        t0 = time.perf_counter()
        assert store.ingest(fills).added == len(fills)
        new = time.perf_counter() - t0
        t0 = time.perf_counter()
        assert store.ingest(fills).duplicate == len(fills)
        again = time.perf_counter() - t0
    return len(fills) / new, len(fills) / again


def poll_median(location: str, stored: int, polls: int) -> tuple[float, float]:
    """(build seconds, median poll seconds)."""
    t0 = time.perf_counter()
    chunk = 100_000
    with Store.open(location) as store:
        for start in range(0, stored, chunk):
            store.ingest(desk_fills(min(chunk, stored - start), seed=start + 1, start=start))
    build = time.perf_counter() - t0
    new = desk_fills((polls + WARMUP) * PER_POLL, seed=99, start=stored)
    walls = []
    with Store.open(location) as store:
        for i in range(polls + WARMUP):
            batch = new[i * PER_POLL:(i + 1) * PER_POLL]
            boundary = new[i * PER_POLL - 1:i * PER_POLL] if i else []
            cursor = {"v": 1, "min_timestamp": batch[-1].time_ns, "seen": [[batch[-1].time_ns, batch[-1].key]]}
            t0 = time.perf_counter()
            store.ingest(boundary + batch, source="tt_api", cursor=("tt_fills:bench", cursor))
            if i >= WARMUP:
                walls.append(time.perf_counter() - t0)
        assert store.fill_count() == stored + (polls + WARMUP) * PER_POLL
    return build, statistics.median(walls)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    big = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    polls = int(sys.argv[3]) if len(sys.argv) > 3 else 100
    cluster = start_cluster(durable=True)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            fills = desk_fills(n)
            rates = {"sqlite": ingest_rate(str(Path(tmp) / "ingest.sqlite3"), fills),
                     "postgresql": ingest_rate(cluster.create_database(), fills)}
            for name, (new, again) in rates.items():
                print(f"ingest {n:,} fills  {name:10s}: new {new:>9,.0f} fills/s, again (duplicates) {again:>9,.0f} fills/s")
            print(f"ingest ratio PostgreSQL/SQLite: new {rates['postgresql'][0] / rates['sqlite'][0]:.2f}, "
                  f"again {rates['postgresql'][1] / rates['sqlite'][1]:.2f}")
            polls_at = {"sqlite": poll_median(str(Path(tmp) / "poll.sqlite3"), big, polls),
                        "postgresql": poll_median(cluster.create_database(), big, polls)}
            for name, (build, median) in polls_at.items():
                print(f"one poll ({PER_POLL} new + 1 repeated) with {big:,} stored  {name:10s}: median "
                      f"{median * 1000:7.2f} ms of {polls} (building the store took {build:.0f} s)")
            print(f"poll ratio PostgreSQL/SQLite: {polls_at['postgresql'][1] / polls_at['sqlite'][1]:.2f}")
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
