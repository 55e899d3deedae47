"""The desk capture's local buffer (issue 16): how long the upload after an outage takes.

A desk database already holding BASE fills (the day before the outage) receives a buffer of N fills
captured while it was down (`store.desk.buffer.upload`: copy, check that every fill arrived, the cursor
and the request count, removal of the file). Compared, in the same run, with the time the capture took
to write the same N fills into the buffer poll by poll (PER_POLL fills per durable transaction, as the
capture does), so the ratio says how much of an outage's length the upload adds at the end.
Durable on both sides: SQLite WAL + synchronous=FULL; PostgreSQL with fsync and synchronous_commit on.

    python bench/bench_desk_buffer.py [N] [BASE]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT.parent))

from store_data import desk_fills  # noqa: E402

from tests.pgcluster import start_cluster  # noqa: E402
from zn_ladder.store.desk.buffer import add_pending_budget, buffer_path, open_buffer, upload  # noqa: E402
from zn_ladder.store.store import Store  # noqa: E402

PER_POLL = 20
SOURCE = "tt_fills:ext_prod_sim:http://bench"


def main(n: int, base: int) -> None:
    cluster = start_cluster(durable=True)
    try:
        url = cluster.create_database()
        with Store.open(url) as desk:
            for start in range(0, base, 50_000):
                desk.ingest(desk_fills(min(50_000, base - start), seed=start + 1, start=start))
        fills = desk_fills(n, seed=77, start=base)
        with tempfile.TemporaryDirectory() as tmp:
            path = buffer_path(Path(tmp), url, "bench")
            t0 = time.perf_counter()
            with open_buffer(path) as buffer:
                for i in range(0, n, PER_POLL):
                    batch = fills[i:i + PER_POLL]
                    cursor = {"v": 1, "min_timestamp": batch[-1].time_ns, "holds": 0,
                              "seen": [[batch[-1].time_ns, batch[-1].key]]}
                    buffer.ingest(batch, cursor=(SOURCE, cursor), environment="ext_prod_sim")
                add_pending_budget(buffer, "tt_budget:ext_prod_sim:bench", "2026-12-03", n // PER_POLL)
            buffered = time.perf_counter() - t0
            t0 = time.perf_counter()
            done = upload(path, url, cursor_source=SOURCE, who="bench")
            uploaded = time.perf_counter() - t0
        assert done.copied.fills_added == n and not path.exists()
        print(f"desk holding {base:,} fills; outage of {n:,} fills ({n // PER_POLL:,} polls of {PER_POLL})")
        print(f"  buffering, poll by poll:  {buffered:7.2f} s  ({n / buffered:,.0f} fills/s)")
        print(f"  upload into PostgreSQL:   {uploaded:7.2f} s  ({n / uploaded:,.0f} fills/s)")
        print(f"  upload / buffering:       {uploaded / buffered:7.2f}")
    finally:
        cluster.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000, int(sys.argv[2]) if len(sys.argv) > 2 else 100_000)
