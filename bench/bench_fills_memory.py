"""Memory of the day's fills in the window at 10k and 100k fills, before vs after (issue 14 §18).

For each day size a store is filled once (one contract, fills spread over an 8-hour day), then, each
in a fresh process and alternately for two source trees (`--before`, e.g. main's src/, and this
one), the app's own path runs: the store worker opens it and reads the contract's snapshot, the
snapshot goes to the main window as the session sends it, and the fills table paints its first
screen. Measured in that process:

- `table`: what the fills table's model holds (tracemalloc of everything allocated from the model's
  creation to its first screen, less what is freed: the records it keeps alive, its ids, its cache);
- `path`: the same for the whole path (store worker snapshot + window), i.e. what a day of fills costs
  the app;
- `rss`: the process's resident memory growth over the path.

    python bench/bench_fills_memory.py --before /path/to/main/src [--sizes 10000 100000]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONTRACT = "ZN Sep25"
DAY_NS = 8 * 3600 * 1_000_000_000

MEASURE = textwrap.dedent("""
    import gc, json, os, sys, time, tracemalloc
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import psutil
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication
    from zn_ladder.ui.main_window import MainWindow
    from zn_ladder.workers.snapshots import FillsSnapshot
    from zn_ladder.workers.store_worker import StoreWorker
    from datetime import datetime, timezone

    db, contract, traced = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
    app = QApplication([])
    window = MainWindow()
    window.resize(1400, 900)
    window.show()

    def wait(cond, timeout=120.0):
        end = time.monotonic() + timeout
        while not cond():
            if time.monotonic() > end:
                raise SystemExit("timed out")
            loop = QEventLoop(); QTimer.singleShot(10, loop.quit); loop.exec()

    wait(lambda: True)
    gc.collect()
    proc = psutil.Process()
    rss0 = proc.memory_info().rss
    if traced:  # tracemalloc's own records inflate RSS: RSS is measured in a run without it
        tracemalloc.start()
    base = tracemalloc.take_snapshot() if traced else None
    worker = StoreWorker(db, scoped=False)
    snaps = []
    worker.snapshotReady.connect(snaps.append)
    worker.opened.connect(lambda _: worker.set_contract(contract))
    worker.start()
    wait(lambda: snaps)
    snap = snaps[-1]
    try:  # the worker's query names the contracts it reads (older trees took the contract)
        query = worker.fills_query() if hasattr(worker, "fills_query") else None
    except TypeError:
        query = worker.fills_query(contract)
    kw = {"query": query} if query is not None else {}
    fills_snap = FillsSnapshot(tuple(reversed(snap.fills)), datetime.now(timezone.utc), **kw)
    snaps.clear()
    before_table = tracemalloc.take_snapshot() if traced else None
    window.apply_fills(fills_snap)
    model = window.fills.model
    wait(lambda: getattr(model, "loaded", True) and model.rowCount() > 0)
    window.fills.view.viewport().repaint()  # the first screen: its rows read and printed
    wait(lambda: not getattr(model, "_asked", ()))
    window.fills.view.viewport().repaint()
    del snap
    gc.collect()
    table = path = 0
    if traced:
        after = tracemalloc.take_snapshot()
        table = sum(s.size_diff for s in after.compare_to(before_table, "filename"))
        path = sum(s.size_diff for s in after.compare_to(base, "filename"))
    rss = proc.memory_info().rss - rss0
    print(json.dumps({"rows": model.rowCount(), "snapshot_fills": len(fills_snap.fills), "table": table,
                      "path": path, "rss": rss, "paged": query is not None}))
    sys.stdout.flush()
    worker.stop()
    os._exit(0)
""")


def build_store(path: Path, n: int) -> None:
    """n fills of one contract over an 8-hour day (bench/store_data.py's desk day, re-timed)."""
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT / "bench"))
    from store_data import desk_fills

    from zn_ladder.store.store import Store

    fills = desk_fills(n)
    t0 = fills[0].time_ns
    day = [dataclasses.replace(f, contract=CONTRACT, time_ns=t0 + i * DAY_NS // n) for i, f in enumerate(fills)]
    with Store.open(path) as store:
        for start in range(0, n, 5000):
            store.ingest(day[start:start + 5000], source="tt_api")


def measure(src: Path, db: Path, traced: bool) -> dict:
    env = dict(os.environ, PYTHONPATH=str(src), QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", MEASURE, str(db), CONTRACT, "1" if traced else "0"], env=env,
                         capture_output=True, text=True, timeout=900, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="the src/ folder of the tree to compare against")
    parser.add_argument("--after", type=Path, default=ROOT / "src")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="zn-fills-mem-"))
    mb = 2 ** 20
    for n in args.sizes:
        db = tmp / f"day{n}.sqlite3"
        build_store(db, n)
        results = {}
        for side in ("before", "after"):
            runs = []
            for traced in (True, False):
                copy = tmp / f"day{n}-{side}.sqlite3"
                copy.write_bytes(db.read_bytes())  # each run opens its own copy (the worker writes its cursor)
                runs.append(measure(getattr(args, side), copy, traced))
            results[side] = dict(runs[0], rss=runs[1]["rss"])
        for side, r in results.items():
            print(f"{n:>7,} fills, {side:6}: table {r['table'] / mb:6.1f} MB ({r['table'] / n:6,.0f} B/fill), "
                  f"fills path {r['path'] / mb:6.1f} MB ({r['path'] / n:6,.0f} B/fill), RSS +{r['rss'] / mb:6.1f} MB; "
                  f"{r['rows']:,} rows, {r['snapshot_fills']:,} fills in the snapshot, paged: {r['paged']}")
        b, a = results["before"], results["after"]
        print(f"{n:>7,} fills, after/before: table {a['table'] / b['table']:.3f}, path {a['path'] / b['path']:.3f}, "
              f"RSS growth {a['rss'] / max(1, b['rss']):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
