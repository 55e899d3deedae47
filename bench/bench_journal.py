"""Realized P&L journal speed: `domain.journal.journal` vs `match_fills` on the same 200,000 fills.

The journal is read from the books' own match recorder (`LotBook(record=True)`), so the difference is
what recording the matches and making `JournalEntry`s (with exact dollars) costs; `match_fills` alone
is the recorder switched off (the `zn-ladder pnl` path). Same fills as bench_lots.py. CPU time, best of 3.

Run: /work/venv/bin/python bench/bench_journal.py [N_FILLS]
"""

from __future__ import annotations

import sys
import time

from bench_lots import fills

from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.journal import journal
from zn_ladder.domain.lots import match_fills


def best(fn, runs: int = 3) -> float:
    out = float("inf")
    for _ in range(runs):
        t0 = time.process_time()
        fn()
        out = min(out, time.process_time() - t0)
    return out


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    zn = get_product("ZN")
    data = fills(n)
    for method in ("lifo", "fifo"):
        books = best(lambda: match_fills(data, zn, method))
        entries = journal(data, zn, method)
        rows = best(lambda: journal(data, zn, method))
        print(f"{method}: match_fills {books * 1e6 / n:.3f} us/fill; journal {rows * 1e6 / n:.3f} us/fill "
              f"({len(entries):,} entries, x{rows / books:.1f} of match_fills)")


if __name__ == "__main__":
    main()
