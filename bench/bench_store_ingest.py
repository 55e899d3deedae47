"""Batch ingest into the SQLite store: fills/s for 200,000 fills with de-duplication (target >= 50,000/s).

Timed: `Store.ingest` of the whole batch in one durable transaction (WAL, synchronous=FULL): the
INSERT with both identity rules (exec key, and order id + cumulative qty), classification of refused
rows, incremental LIFO and FIFO books, the flush of changed lots, the commit (fsync). Cases:
  new       - 200k fills into an empty store
  again     - the same 200k again (every one a duplicate)
  half      - 200k of which 100k are stored already (an overlapping export)
  export    - 200k already stored from the API, now from a file without exec ids (cross-source rule)
Wall time includes the fsync and whatever else the machine runs; CPU time is this process's alone
(on a shared, loaded machine it is the steadier number). Not timed: building the fills. Run: /work/venv/bin/python bench/bench_store_ingest.py [N]
"""

from __future__ import annotations

import dataclasses
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from store_data import desk_fills  # noqa: E402

from zn_ladder.store.store import Store  # noqa: E402


def timed(store: Store, fills, label: str) -> None:
    c0, t0 = time.process_time(), time.perf_counter()
    result = store.ingest(fills)
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"{label:7s} {len(fills):>8,} fills in {dt:6.3f} s wall = {len(fills) / dt:>8,.0f} fills/s "
          f"({cpu:.3f} s CPU = {len(fills) / cpu:>8,.0f} fills/s) "
          f"added {result.added:,}, duplicate {result.duplicate:,}, skipped {result.skipped:,}")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    fills = desk_fills(n)
    with tempfile.TemporaryDirectory() as tmp:
        with Store.open(Path(tmp) / "a.sqlite3") as store:
            timed(store, fills, "new")
            timed(store, fills, "again")
        with Store.open(Path(tmp) / "b.sqlite3") as store:
            store.ingest(fills[: n // 2])
            timed(store, fills, "half")
        with Store.open(Path(tmp) / "c.sqlite3") as store:
            store.ingest(fills)
            exported = [dataclasses.replace(f, key=f"{f.order_id}#{f.cum_qty}", exec_id="", source="audit_trail")
                        for f in fills]
            timed(store, exported, "export")
            assert store.fill_count() == n
        t0 = time.perf_counter()
        with Store.open(Path(tmp) / "c.sqlite3"):
            pass
        print(f"open + verify (quick_check, recompute every book) of a {n:,}-fill store: "
              f"{time.perf_counter() - t0:.3f} s")


if __name__ == "__main__":
    main()
