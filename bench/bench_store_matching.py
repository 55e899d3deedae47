"""Incremental LIFO/FIFO update per new fill in the store (target <= 50 us per fill), journal rows included.

Three numbers:
- in memory: `PersistedBook.apply` for LIFO and FIFO (the matching and the change tracking), per fill,
  over 200,000 fills against books that keep a few hundred open lots;
- with rows: the same plus writing the lots it changed and the book row, one fill per flush;
- in the store: per fill of `Store.ingest` batches of 100 new fills into books already holding 100k
  fills, minus nothing: insert, identity checks, both books, lot rows, commit (fsync) all included.
Run: /work/venv/bin/python bench/bench_store_matching.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from store_data import desk_fills  # noqa: E402

from zn_ladder.store.matching import PersistedBook  # noqa: E402
from zn_ladder.store.store import Store  # noqa: E402


def in_memory(n: int) -> None:
    fills = desk_fills(n)
    for method in ("lifo", "fifo"):
        book = PersistedBook("A0", "CME", "ZN Sep25", method)
        trades = [(f.qty if f.side > 0 else -f.qty, f.price, f.time_ns, f.key) for f in fills]
        t0 = time.perf_counter()
        for qty, price, t, key in trades:
            book.apply(qty, price, t, key)
        dt = time.perf_counter() - t0
        print(f"in memory {method}: {dt * 1e6 / n:.2f} us per fill ({n:,} fills, {len(book.book.open_lots)} open lots "
              f"at the end, {len(book.entries):,} journal rows)")


def with_rows(n: int = 20_000) -> None:
    """Matching plus writing the changed lot rows and the book row, one fill per flush (no commit)."""
    import sqlite3

    with tempfile.TemporaryDirectory() as tmp:
        with Store.open(Path(tmp) / "s.sqlite3") as store:
            conn: sqlite3.Connection = store.conn
            fills = desk_fills(n)
            for method in ("lifo", "fifo"):
                book = PersistedBook("A0", "CME", "ZN Sep25", method)
                conn.execute("BEGIN IMMEDIATE")
                t0 = time.perf_counter()
                for f in fills:
                    book.apply(f.qty if f.side > 0 else -f.qty, f.price, f.time_ns, f.key)
                    book.flush(conn)
                dt = time.perf_counter() - t0
                conn.execute("ROLLBACK")
                print(f"matching + lot/book rows {method}: {dt * 1e6 / n:.1f} us per fill ({n:,} fills, one flush each)")


def in_store(stored: int, batches: int = 50, size: int = 100) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        with Store.open(Path(tmp) / "s.sqlite3") as store:
            store.ingest(desk_fills(stored))
            new = desk_fills(batches * size, seed=5, start=stored)
            per_fill = []
            for i in range(batches):
                t0 = time.perf_counter()
                store.ingest(new[i * size:(i + 1) * size])
                per_fill.append((time.perf_counter() - t0) / size)
        print(f"in the store: {statistics.median(per_fill) * 1e6:.1f} us per fill (median of {batches} batches of "
              f"{size} new fills, {stored:,} stored; both methods, lot rows, commit included)")


if __name__ == "__main__":
    in_memory(200_000)
    with_rows()
    in_store(100_000)
