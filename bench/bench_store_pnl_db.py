"""Whole-process `zn-ladder pnl --db` on a store of 200,000 fills (target <= 0.4 s).

Timed: `python -m zn_ladder pnl --db S --contract "ZN Sep25" --method lifo|fifo --mark P --json` from
process start to exit (interpreter start, imports, opening the store read-only, reading the persisted
books, JSON); median of 5 after one warm-up. The store is filled first (not timed).
Run: /work/venv/bin/python bench/bench_store_pnl_db.py [N]
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from store_data import desk_fills  # noqa: E402

from zn_ladder.store.store import Store  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "s.sqlite3"
        env["ZN_LADDER_HOME"] = tmp
        with Store.open(db) as store:
            store.ingest(desk_fills(n))
        for method in ("lifo", "fifo"):
            cmd = [sys.executable, "-m", "zn_ladder", "pnl", "--db", str(db), "--contract", "ZN Sep25",
                   "--method", method, "--mark", "110'165", "--json"]
            times = []
            for i in range(6):
                t0 = time.perf_counter()
                out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
                if i:
                    times.append(time.perf_counter() - t0)
            payload = json.loads(out.stdout)
            print(f"pnl --db {method}: {statistics.median(times) * 1000:.0f} ms whole process (median of 5) "
                  f"for a store of {n:,} fills; {payload['fills']:,} fills in the ZN Sep25 books, "
                  f"position {payload['position']}, realized ${payload['realized']:,}")


if __name__ == "__main__":
    main()
