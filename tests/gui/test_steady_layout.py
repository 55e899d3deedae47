"""The window stays still while its numbers tick (issue 14 §18): a banner shown, re-worded or hidden
again, or a P&L card whose number gets wider, never re-lays out the docks after the first time.

What is checked is what costs the stall: Resize events reaching the panes (each one repaints a whole
dock). No timing here; bench/bench_event_loop_stall.py measures the stall itself."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from fractions import Fraction

from PySide6.QtCore import QEvent, QObject

from tests.gui.conftest import ZN
from zn_ladder.workers.snapshots import PnlSnapshot, SourceHealth, StatusSnapshot

NOW = datetime(2025, 5, 15, 15, 0, tzinfo=timezone.utc)


class Resizes(QObject):
    """Counts Resize events of the watched widgets."""

    def __init__(self, widgets) -> None:
        super().__init__()
        self.count = 0
        for w in widgets:
            w.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Resize:
            self.count += 1
        return False


def status(failing: str = "", error: str = "TT answered 503") -> StatusSnapshot:
    health = [SourceHealth(name, "failing", NOW - timedelta(minutes=5), NOW - timedelta(minutes=3), error)
              if name == failing else SourceHealth(name, "ok", NOW - timedelta(seconds=2))
              for name in ("orders", "fills", "positions", "spot")]
    return StatusSnapshot(env="SIM", demo=True, connection="connected", health=tuple(health), budget_used=1,
                          budget_limit=60, at=NOW)


def pnl(total: Fraction, position: int = 5) -> PnlSnapshot:
    return PnlSnapshot(position=position, sod_position=0, realized_lifo=total / 2, realized_fifo=total / 3,
                       unrealized=total / 2, total=total, average_open_price=None, risk=Fraction(78125, 10),
                       product=ZN)


def settle(qtbot) -> None:
    qtbot.wait(50)  # posted layout requests and the resizes they cause


def test_a_banner_coming_and_going_moves_the_panes_once_only(qtbot, window) -> None:
    panes = [window.docks.docks[name] for name in ("ladder", "orders", "fills", "charts")]
    settle(qtbot)
    resizes = Resizes(panes)
    window.apply_status(status(failing="fills"))
    settle(qtbot)
    assert window.banner.isVisibleTo(window) and "FILLS FAILING" in window.banner.text()
    first = resizes.count
    assert first > 0  # the first banner takes its room: once
    top = window.docks.geometry().top()
    for snap in (status(), status(failing="fills", error="TT answered 502 again"), status(),
                 status(failing="orders"), status()):
        window.apply_status(snap)
        settle(qtbot)
    assert window.banner.isHidden()  # hidden, its room kept: the panes did not move
    assert resizes.count == first and window.docks.geometry().top() == top


def test_an_alert_line_shown_and_acknowledged_keeps_the_panes_still_after_the_first(qtbot, window) -> None:
    from zn_ladder.domain.alerts import Alert

    window.apply_status(status(failing="fills"))  # a status banner line seen once: a line is reserved
    window.apply_status(status())
    settle(qtbot)
    resizes = Resizes([window.docks.docks["ladder"], window.docks.docks["orders"]])
    for i in range(3):
        window.alert_banner.show_alert(Alert("loss_limit", "loss_limit", f"total -$5,00{i}.00", NOW))
        settle(qtbot)
        window.alert_banner.remove("loss_limit")
        settle(qtbot)
    assert resizes.count == 0


def test_p_and_l_numbers_ticking_never_resize_the_panes(qtbot, window) -> None:
    window.apply_pnl(pnl(Fraction(-12345, 1)))
    settle(qtbot)
    resizes = Resizes([window.docks.docks[name] for name in ("ladder", "orders", "fills", "charts", "summary")])
    for total, position in ((Fraction(5), 1), (Fraction(-88_000), -120), (Fraction(7, 8), 0),
                            (Fraction(-45_678), 15), (Fraction(12), 3)):
        window.apply_pnl(pnl(total, position))
        settle(qtbot)
    assert resizes.count == 0
    assert window.summary.text("total") == "$12.00"


def test_avg_open_switching_to_per_account_lines_and_back_moves_the_panes_once_only(qtbot, window) -> None:
    """AVG OPEN shows each account's average when one is long and another short (three smaller lines):
    the summary keeps the room it needed, so the trade that flips an account's sign back and forth
    does not re-lay out every dock each time."""
    import dataclasses

    from zn_ladder.domain.prices import Price
    from zn_ladder.workers.snapshots import AccountPnl

    def account(name: str, position: int, ticks: int) -> AccountPnl:
        zero = Fraction(0)
        return AccountPnl(name, "ZN Sep25", position, 0, zero, zero, zero, zero, zero,
                          Price.from_ticks(ticks, ZN))

    netted = dataclasses.replace(pnl(Fraction(100)), average_open_price=Price.from_ticks(7050, ZN),
                                 by_account=(account("DESK01", 5, 7050), account("DESK02", 2, 7052)))
    split = dataclasses.replace(netted, by_account=(account("DESK01", 5, 7050), account("DESK02", -2, 7060),
                                                    account("DESK03", 3, 7044)))
    window.apply_pnl(netted)
    settle(qtbot)
    resizes = Resizes([window.docks.docks[name] for name in ("ladder", "orders", "fills", "charts")])
    window.apply_pnl(split)
    settle(qtbot)
    assert window.summary.text("average").count("\n") == 2  # three accounts, one line each
    first = resizes.count  # the first time the lines take their room
    for snap in (netted, split, netted, split, netted):
        window.apply_pnl(snap)
        settle(qtbot)
    assert resizes.count == first
