"""Screenshots of the real app (workers, simulator, store) for the README and for looking at it.

Run under Xvfb so fonts and the window are real:

    xvfb-run -a -s "-screen 0 1600x1000x24" /work/venv/bin/python bench/screenshot_app.py OUT_DIR

Writes app_demo.png (first launch: DEMO on the built-in simulator), app_busy.png (a busy book: three
accounts, long and short, ten orders a side; the accounts table and AVG OPEN per account), app_failing.png (TT stopped: banner, STALE tags, "unreachable since") and
app_live.png (LIVE environment with credentials: red LIVE badge), app_live_failing.png (the same when TT
stops answering), app_filters.png (table filters with a comparison and a word not understood) and
app_compact.png (the compact ladder-only layout) and app_alert.png (alerts firing in the DEMO: a $1 loss
limit and profit target, so whichever way the demo's P&L goes one fires, and a 2-lot position limit),
app_survival.png and ladder_survival.png (the survival curve marked on the ladder, spot to extreme level),
app_roll.png (roll week: ZN Dec26 and ZN Mar27 side by side, the cards their total). `--only=alert`,
`--only=survival` or `--only=roll` writes those alone. Everything lives in a temporary ZN_LADDER_HOME.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import tempfile
import time
from pathlib import Path


def main(out: Path, only: str = "") -> int:
    out.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="zn-shots-"))
    os.environ["ZN_LADDER_HOME"] = str(home / "home")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from zn_ladder.app import AppController
    from zn_ladder.config.settings import Settings
    from zn_ladder.tt.sim import DEMO_API_KEY, DEMO_API_SECRET, SimConfig, SimulatorServer
    from zn_ladder.workers.demo import ROLL_WEEK, demo_sim_config

    app = QApplication.instance() or QApplication(sys.argv[:1])

    def pump(seconds: float, until=None) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end and not (until and until()):
            loop = QEventLoop()
            QTimer.singleShot(50, loop.quit)
            loop.exec()

    def shoot(controller: AppController, name: str) -> None:
        pump(0.3)
        screen = app.primaryScreen()
        pixmap = screen.grabWindow(0) if screen is not None else controller.window.grab()
        if pixmap.isNull() or pixmap.width() < 100:
            pixmap = controller.window.grab()
        pixmap.save(str(out / name))
        print(out / name)

    def open_app(settings: Settings, **kw) -> AppController:
        c = AppController(settings, db_path=home / f"{time.monotonic_ns()}.sqlite3", ui_state=home / "w.ini", **kw)
        c.window.setGeometry(0, 0, 1600, 1000)
        c.window.show()
        c.start()
        return c

    def has_data(c: AppController) -> bool:
        w = c.window
        return w.fills.model.rowCount() > 0 and w.orders.model.rowCount() > 0 and c.session.last_result is not None

    def alert_case() -> None:
        s = Settings()
        for key, text in (("loss_limit", "1"), ("profit_target", "1"), ("max_position", "2")):
            s = s.replace_value(f"alerts.{key}", text)
        c = open_app(s, force_demo=True, sim_config=demo_sim_config())
        pump(30, lambda: c.session is not None and has_data(c) and bool(c.window.alerts.pending))
        pump(4)
        shoot(c, "app_alert.png")
        c.window.close()
        c.shutdown()

    def survival_case() -> None:
        """The survival curve on the ladder: the window scrolled so every level from spot to the extreme
        level is on screen."""
        # A desk stop loss of $25,000 (the default is $100,000): its extreme level fits on one screen.
        s = Settings().replace_value("survival.stop_loss", "-25000")
        c = open_app(s, force_demo=True, sim_config=demo_sim_config(seed=24))
        pump(30, lambda: c.session is not None and has_data(c) and any(m.extreme for m in c.window.survival.marks))
        pump(3)
        w = c.window
        w.ladder_view.set_font_size(8)
        pump(1)
        w.auto_recenter_action.setChecked(False)
        marks = w.survival.marks
        spot = w.ladder_model.snapshot.ladder.spot_tick
        prices = [m.price for m in marks] + [spot]
        rows = w.ladder_model.rowCount()
        top = max(prices) + max(2, (rows - (max(prices) - min(prices))) // 2)
        w.ladder_model.set_window(top, rows)
        pump(1.5)
        shoot(c, "app_survival.png")
        w.ladder_pane.grab().save(str(out / "ladder_survival.png"))
        print(out / "ladder_survival.png")

    def roll_case() -> None:
        """Roll week, as the DEMO's first launch: ZN Dec26 and ZN Mar27, each on its own ladder, side by
        side (the "+ Contract" menu's arrangement), the cards their total."""
        c = open_app(Settings(), force_demo=True, sim_config=demo_sim_config(**ROLL_WEEK))
        pump(30, lambda: c.session is not None and has_data(c) and bool(c.window.contracts.panes))
        pump(6)
        c.window.contracts.arrange(True)
        pump(2)
        shoot(c, "app_roll.png")
        c.window.contracts.arrange(False)
        c.window.close()
        c.shutdown()

    if only == "alert":
        alert_case()
        return 0
    if only == "survival":
        survival_case()
        return 0
    if only == "roll":
        roll_case()
        return 0
    # 1. First launch: DEMO (in roll week: the front and the next month, as tabs).
    c = open_app(Settings(), force_demo=True, sim_config=demo_sim_config(**ROLL_WEEK))
    pump(30, lambda: c.session is not None and has_data(c))
    pump(6)
    shoot(c, "app_demo.png")
    # 2. TT stops answering: the banner, STALE tags, "unreachable since".
    c.sim.server.stop()
    pump(20, lambda: "unreachable" in c.window.status_strip.connection.text())
    pump(1.5)
    shoot(c, "app_failing.png")
    c.window.close()
    c.shutdown()
    # 3. A busy book: three accounts, ten limit orders a side each.
    busy = demo_sim_config(seed=21, accounts=(1334000, 1334001, 1334002), orders_per_side=10, history_fills=80)
    c = open_app(Settings(), force_demo=True, sim_config=busy)
    pump(30, lambda: c.session is not None and has_data(c))
    pump(8)
    shoot(c, "app_busy.png")
    # 3b. Filters: a price comparison on the orders, a word the fills filter does not understand.
    c.window.orders.filter.setText("side:sell price:>110'200")
    c.window.fills.filter.setText("qty:>=5 exec:>3")
    pump(1)
    shoot(c, "app_filters.png")
    c.window.orders.filter.clear()
    c.window.fills.filter.clear()
    # 3c. The compact layout: the ladder alone, a 400 px column beside MD Trader.
    c.window.apply_layout("Compact ladder")
    pump(2)
    c.window.grab().save(str(out / "app_compact.png"))
    print(out / "app_compact.png")
    c.window.apply_layout("Full")  # the next window restores this one's arrangement: not a lone ladder
    c.window.close()
    c.shutdown()
    # 4. LIVE with credentials (a simulator posing as TT's LIVE environment).
    os.environ["ZN_LADDER_TT_KEY"], os.environ["ZN_LADDER_TT_SECRET"] = DEMO_API_KEY, DEMO_API_SECRET
    with SimulatorServer(SimConfig(seed=9, env="ext_prod_live", history_fills=40)) as sim:
        s = Settings()
        live = dataclasses.replace(s, tt=dataclasses.replace(s.tt, environment="LIVE", base_url=sim.url,
                                                             usage_plan="medium"))
        c = open_app(live, intervals={"orders_s": 1.0, "fills_s": 1.0, "positions_s": 5.0, "spot_s": 1.0})
        pump(30, lambda: c.session is not None and has_data(c))
        pump(3)
        market = sim.market.price_ticks
        c.window.spot_entry.edit.setText(f"{market // 64}-{(market % 64) / 2:05.2f}")  # the market, typed in
        c.window.spot_entry.submit()
        pump(3)
        shoot(c, "app_live.png")
        sim.stop()  # TT goes away while the LIVE window is open
        pump(20, lambda: "unreachable" in c.window.status_strip.connection.text())
        pump(2)
        shoot(c, "app_live_failing.png")
        c.window.close()
        c.shutdown()
    # 5. Alerts firing.
    alert_case()
    # 6. The survival curve on the ladder.
    survival_case()
    # 7. Roll week: both months side by side.
    roll_case()
    return 0


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--only")]
    only = next((a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--only=")), "")
    code = main(Path(args[0] if args else "shots"), only)
    sys.stdout.flush()
    os._exit(code)  # as the app ends: a worker still in a request must not abort or hang the exit
