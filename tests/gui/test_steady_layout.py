"""The window stays still while its numbers tick (issue 14 §18): a banner shown, re-worded or hidden
again, a pane marked STALE, or a P&L card whose number gets wider, never re-lays out the docks.

What is checked is what costs the stall: Resize events reaching the panes (each one repaints a whole
dock). No timing here; bench/bench_event_loop_stall.py measures the stall itself."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from fractions import Fraction

from PySide6.QtCore import QEvent, QObject

from tests.gui.conftest import ZN
from zn_ladder.workers.snapshots import PnlSnapshot, SourceHealth, StatusSnapshot

NOW = datetime(2025, 5, 15, 15, 0, tzinfo=timezone.utc)


class Events(QObject):
    """Counts the events of one type the watched widgets receive."""

    def __init__(self, kind: QEvent.Type, widgets) -> None:
        super().__init__()
        self.kind = kind
        self.count = 0
        for w in widgets:
            w.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == self.kind:
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


def test_a_banner_coming_and_going_never_moves_the_panes(qtbot, window) -> None:
    """The room for a banner line is kept from the start: the first feed to go stale at the open is the
    usual first banner, and it must not re-lay out the window either."""
    panes = [window.docks.docks[name] for name in ("ladder", "orders", "fills", "charts")]
    settle(qtbot)
    resizes = Events(QEvent.Type.Resize, panes)
    top = window.docks.geometry().top()
    for snap in (status(failing="fills"), status(), status(failing="fills", error="TT answered 502 again"),
                 status(), status(failing="orders"), status()):
        window.apply_status(snap)
        settle(qtbot)
        if snap.health[0].state != "ok" or snap.health[1].state != "ok":
            assert window.banner.isVisibleTo(window) and "FAILING" in window.banner.text()
    assert window.banner.isHidden()  # hidden, its room kept: the panes did not move
    assert resizes.count == 0 and window.docks.geometry().top() == top


def test_a_long_banner_stays_one_line_cut_to_the_width_with_every_line_in_its_tooltip(qtbot, window) -> None:
    """Every feed failing at once, with long errors: one line on screen (cut with "…"), the whole text in
    the tooltip and in `text()`, and still no pane moved."""
    settle(qtbot)
    resizes = Events(QEvent.Type.Resize, [window.docks.docks[name] for name in ("ladder", "orders", "fills", "charts")])
    error = "TT answered 503 Service Unavailable: the gateway is restarting, retry in a moment " * 2
    health = tuple(SourceHealth(name, "failing", NOW - timedelta(minutes=5), NOW - timedelta(minutes=3), error)
                   for name in ("orders", "fills", "positions", "spot"))
    window.apply_status(StatusSnapshot(env="SIM", demo=True, connection="connected", health=health,
                                       budget_used=1, budget_limit=60, at=NOW))
    settle(qtbot)
    lines = window.banner.text().splitlines()
    assert [line.split()[:2] for line in lines[:4]] == [["ORDERS", "FAILING"], ["FILLS", "FAILING"],
                                                         ["POSITIONS", "FAILING"], ["SPOT", "FAILING"]]
    label = window.banner.label
    assert label.toolTip() == window.banner.text()
    shown = label.text()
    assert "\n" not in shown and shown.endswith("…") and shown.startswith("ORDERS FAILING")
    assert label.fontMetrics().horizontalAdvance(shown) <= label.width()
    assert window.banner.height() <= window.banner_slot.height()
    assert resizes.count == 0


def test_a_pane_marked_stale_keeps_its_title_row_still(qtbot, window) -> None:
    """The STALE tags keep their room while hidden: marking the orders and fills stale re-lays out
    nothing (a tag that took its room would ask each pane's layout again on every change of state)."""
    panes = [window.orders, window.fills, window.summary]
    settle(qtbot)
    requests = Events(QEvent.Type.LayoutRequest, panes)
    for snap in (status(failing="orders"), status(), status(failing="fills"), status()):
        window.apply_status(snap)
        settle(qtbot)
    window.apply_status(status(failing="fills"))
    settle(qtbot)
    assert window.fills.stale_tag.on and window.summary.stale_tag.on
    assert not window.orders.stale_tag.on
    assert requests.count == 0


def test_a_stale_tag_turned_off_paints_nothing_of_itself(qtbot, window) -> None:
    """Off, the tag keeps its room but shows neither its word nor its amber box (the style sheet's
    background, which Qt would paint on its own); on, the box is there."""
    from PySide6.QtGui import QColor

    from zn_ladder.ui.theme import DARK

    tag = window.fills.stale_tag

    def colours() -> set[str]:
        image = window.grab().toImage()
        centre = tag.mapTo(window, tag.rect().center())
        return {image.pixelColor(centre.x() + dx, centre.y()).name() for dx in range(-tag.width() // 2 + 3,
                                                                                      tag.width() // 2 - 3)}

    stale = QColor(DARK.stale).name()
    for snap, drawn in ((status(), False), (status(failing="fills"), True), (status(), False)):
        window.apply_status(snap)
        settle(qtbot)
        assert tag.on is drawn and (stale in colours()) is drawn
        assert tag.toolTip().startswith("FILLS FAILING") is drawn


def test_an_alert_line_shown_and_acknowledged_never_moves_the_panes(qtbot, window) -> None:
    from zn_ladder.domain.alerts import Alert

    settle(qtbot)
    resizes = Events(QEvent.Type.Resize, [window.docks.docks["ladder"], window.docks.docks["orders"]])
    for i in range(3):
        window.alert_banner.show_alert(Alert("loss_limit", "loss_limit", f"total -$5,00{i}.00", NOW))
        settle(qtbot)
        window.alert_banner.remove("loss_limit")
        settle(qtbot)
    assert resizes.count == 0


def test_p_and_l_numbers_ticking_never_resize_the_panes(qtbot, window) -> None:
    window.apply_pnl(pnl(Fraction(-12345, 1)))
    settle(qtbot)
    resizes = Events(QEvent.Type.Resize,
                     [window.docks.docks[name] for name in ("ladder", "orders", "fills", "charts", "summary")])
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
    resizes = Events(QEvent.Type.Resize, [window.docks.docks[name] for name in ("ladder", "orders", "fills", "charts")])
    window.apply_pnl(split)
    settle(qtbot)
    assert window.summary.text("average").count("\n") == 2  # three accounts, one line each
    first = resizes.count  # the first time the lines take their room
    for snap in (netted, split, netted, split, netted):
        window.apply_pnl(snap)
        settle(qtbot)
    assert resizes.count == first
