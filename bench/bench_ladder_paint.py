"""Time from a ladder snapshot to a painted ladder with 200 visible rows (target <= 16 ms).

    python bench/bench_ladder_paint.py [N]

Each iteration hands the view a new snapshot whose spot moved (so every P&L cell changes), lets the
model diff it and emit dataChanged, and forces a synchronous repaint (`repaint()`, the whole widget).
Wall time and the GUI thread's CPU time are both printed: on a shared machine the wall time includes
waiting for a core. The domain projection is timed separately: it runs on a worker thread in the app, not in the GUI.
Runs offscreen unless QT_QPA_PLATFORM is set (try `xvfb-run -a` for a real X server).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROWS = 200


def main(n: int = 60) -> int:
    from PySide6.QtWidgets import QApplication

    import busy_book
    from zn_ladder.domain.prices import Price
    from zn_ladder.ui.ladder.view import LadderView

    app = QApplication.instance() or QApplication(sys.argv)
    view = LadderView()
    view.resize(view.sizeHint().width(), view.header_height + ROWS * view.row_height)
    view.show()
    app.processEvents()
    book = busy_book.orders()
    spot0 = busy_book.SPOT.ticks(busy_book.PRODUCT)
    snaps, project_ms = [], []
    for i in range(n):
        spot = Price.from_ticks(spot0 + (i % 7) - 3, busy_book.PRODUCT)
        t0 = time.perf_counter()
        snaps.append(busy_book.ladder_snapshot(book, spot=spot, rows=ROWS // 2 + 20,
                                               centre=busy_book.SPOT.tick_floor(busy_book.PRODUCT)))
        project_ms.append((time.perf_counter() - t0) * 1e3)
    view.apply_snapshot(snaps[0])
    view.repaint()
    assert view.model.rowCount() >= ROWS, view.model.rowCount()
    update_ms, paint_ms, total_ms, cpu_ms = [], [], [], []
    for snap in snaps[1:]:
        c0 = time.thread_time()
        t0 = time.perf_counter()
        view.apply_snapshot(snap)
        t1 = time.perf_counter()
        view.repaint()
        t2 = time.perf_counter()
        cpu_ms.append((time.thread_time() - c0) * 1e3)
        update_ms.append((t1 - t0) * 1e3)
        paint_ms.append((t2 - t1) * 1e3)
        total_ms.append((t2 - t0) * 1e3)
        app.processEvents()

    def line(name: str, xs: list[float]) -> str:
        xs = sorted(xs)
        return (f"{name:<34} median {statistics.median(xs):6.2f} ms   p95 {xs[int(len(xs) * 0.95) - 1]:6.2f} ms"
                f"   max {xs[-1]:6.2f} ms")

    print(f"ladder paint benchmark: {view.model.rowCount()} visible rows x 7 columns, {len(book)} orders, "
          f"{len(total_ms)} snapshots, platform {app.platformName()}")
    print(line("snapshot -> model diff + signals", update_ms))
    print(line("repaint (whole widget)", paint_ms))
    print(line("snapshot -> painted (target 16)", total_ms))
    print(line("  same, GUI-thread CPU time", cpu_ms))
    print(line("(worker) project_ladder 260 rows", project_ms))
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (wall times grow with it; CPU time less)")
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 60))
