"""Screenshots of the main window for eyeballing: default, busy book, failing TT, LIVE badge.

    python bench/screenshot_views.py [OUT_DIR]        (offscreen)
    xvfb-run -a python bench/screenshot_views.py OUT  (real X server)

Builds the window from the synthetic busy book in `busy_book.py` (a domain ladder around 110'16 with ~30
orders, stops and a through-spot order) and saves PNGs with `QWidget.grab()`.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("ZN_LADDER_HOME", tempfile.mkdtemp(prefix="zn_shots_"))


def main(out: Path) -> int:
    from PySide6.QtWidgets import QApplication

    import busy_book
    from zn_ladder.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    out.mkdir(parents=True, exist_ok=True)
    (out / "window.ini").unlink(missing_ok=True)  # start from the default layout every time

    def shot(name: str, window: MainWindow) -> None:
        window.charts.flush()  # the charts redraw at most twice a second: draw the latest snapshot now
        for _ in range(3):
            app.processEvents()
        path = out / f"{name}.png"
        window.grab().save(str(path))
        print(path)

    window = MainWindow(ui_state=out / "window.ini")
    window.resize(1600, 1000)
    window.show()
    shot("default", window)

    def feed(w: MainWindow, **status: object) -> None:
        book = busy_book.orders()

        def project(high: int, low: int) -> None:
            w.apply_ladder(busy_book.ladder_snapshot(book, centre=(high + low) // 2, rows=(high - low) // 2 + 20))

        w.set_theme("dark")
        w.ladderWindowChanged.connect(project)
        w.apply_ladder(busy_book.ladder_snapshot(book))
        w.apply_orders(busy_book.orders_snapshot())
        w.apply_fills(busy_book.fills_snapshot())
        w.apply_pnl(busy_book.pnl_snapshot())
        w.apply_status(busy_book.status_snapshot(**status))

    feed(window)
    shot("busy_book", window)
    window.close()

    failing = MainWindow(ui_state=out / "window.ini")
    failing.resize(1600, 1000)
    failing.show()
    feed(failing, failing="fills")
    shot("failing_tt", failing)
    failing.close()

    # Spot exactly on a tick with orders resting there (DESIGN §3.4): the buy and the sell at spot are
    # marked "at spot" (not through) and the spot row shows the base position.
    at_spot = MainWindow(ui_state=out / "window.ini")
    at_spot.resize(1600, 1000)
    at_spot.show()
    feed(at_spot)
    from dataclasses import replace

    from zn_ladder.domain.prices import Price
    from zn_ladder.domain.records import OrderType, Side, WorkingOrder

    tick = busy_book.SPOT.tick_floor(busy_book.PRODUCT)
    resting = [WorkingOrder("at-buy", "DESK01", busy_book.CONTRACT, Side.BUY, OrderType.LIMIT, tick, 8),
               WorkingOrder("at-sell", "DESK02", busy_book.CONTRACT, Side.SELL, OrderType.LIMIT, tick, 5)]
    book = [*busy_book.orders(), *resting]
    on_tick = Price.from_ticks(tick, busy_book.PRODUCT)
    at_spot.apply_ladder(replace(busy_book.ladder_snapshot(book, spot=on_tick)))
    shot("at_spot", at_spot)
    at_spot.close()

    live = MainWindow(ui_state=out / "window.ini")
    live.resize(1600, 1000)
    live.show()
    feed(live, env="LIVE", demo=False)
    live.set_theme("light")
    shot("live_light", live)
    live.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/tmp/zn_shots")))
