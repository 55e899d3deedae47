"""The survival log's cost on the store's writer thread (issue 15 §5), per snapshot of the ladder's contract.

Two cases on a real store of N fills of one contract: the first snapshot of a window opened late in the
day (a backlog: at most `MAX_PER_UPDATE` curves, the books replayed), and the usual one (one new fill:
the books kept, one curve and one durable write). Prints medians in ms.

Run: .venv/bin/python bench/bench_survival_log.py [N]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from zn_ladder.domain.records import Fill, Side
from zn_ladder.store.snapshot import take_snapshot
from zn_ladder.store.store import Store
from zn_ladder.workers.survival_log import MAX_PER_UPDATE, SurvivalLog

C = "ZN Dec26"
T = 1_800_000_000_000_000_000


def fill(i: int) -> Fill:
    qty = 1 + i % 5
    side = Side.BUY if (i // 3) % 2 == 0 else Side.SELL
    return Fill(f"k{i}", f"A{i % 3}", C, side, qty, 7040 + (i * 7) % 40, T + i * 10**8, order_id=f"o{i}",
                exec_id=f"k{i}", source="tt_api", user="1168911")


def main(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "b.sqlite3") as store:
        store.ingest([fill(i) for i in range(n)], source="tt_api")
        snap = take_snapshot(store.conn, C)
        backlog = []
        for _ in range(5):
            store.conn.execute("DELETE FROM survival_log")
            store.conn.commit()
            log = SurvivalLog()
            t0 = time.perf_counter()
            log.update(store, snap)
            backlog.append(time.perf_counter() - t0)
        while log.update(store, snap):  # drain the backlog
            pass
        one = []
        held = list(snap.fills)
        for i in range(n, n + 20):
            new = fill(i)
            store.ingest([new], source="tt_api")
            held.append(new)  # the store worker keeps the same objects for unchanged fills
            snap = replace(snap, fills=tuple(held))
            t0 = time.perf_counter()
            log.update(store, snap)
            one.append(time.perf_counter() - t0)
    print(f"{n} fills: first snapshot (<= {MAX_PER_UPDATE} curves) {statistics.median(backlog) * 1e3:.1f} ms; "
          f"one new fill {statistics.median(one) * 1e3:.1f} ms (median)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
