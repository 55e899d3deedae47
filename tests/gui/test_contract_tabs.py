"""The window's ladder per contract (ui/contract_tabs.py), driven with snapshots: routing by contract,
tab titles, the + Contract menu, tabs or side by side, and the arrangement kept for the next launch."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from pathlib import Path

from PySide6.QtCore import QSettings

from tests.gui.conftest import ZN, snapshot
from zn_ladder.domain.records import OrderType, Side, WorkingOrder
from zn_ladder.workers.snapshots import PnlSnapshot

DEC, MAR = "ZN Dec26", "ZN Mar27"


def order(oid: str, contract: str, side: Side, price: int, qty: int) -> WorkingOrder:
    return WorkingOrder(oid, "1", contract, side, OrderType.LIMIT, price, qty, order_qty=qty, status="Working")


def pnl(contract: str, position: int, total: Fraction) -> PnlSnapshot:
    return PnlSnapshot(position=position, sod_position=0, realized_lifo=total, realized_fifo=total,
                       unrealized=Fraction(0), total=total, average_open_price=None, risk=position * ZN.tick_value,
                       product=ZN, contract=contract)


def test_each_contract_draws_on_its_own_tab(window) -> None:
    dec = replace(snapshot([order("d1", DEC, Side.BUY, 7050, 3)], "110-08"), contract=DEC)
    window.apply_ladder(dec)
    window.contracts.open(MAR)
    mar = replace(snapshot([order("m1", MAR, Side.SELL, 7040, 7)], "109-28"), contract=MAR)
    window.apply_ladder(mar)
    pane = window.contracts.panes[MAR]
    assert window.ladder_model.snapshot is dec and pane.view.model.snapshot is mar
    assert window.docks.tabifiedDockWidgets(window.docks.docks["ladder"]) == [window.contracts.docks[MAR]]
    # Each tab's title is its contract with its own position and P&L.
    window.contracts.apply_pnl(pnl(DEC, 12, Fraction(-4625)))
    window.contracts.apply_pnl(pnl(MAR, -5, Fraction(15625, 8)))
    assert window.docks.docks["ladder"].windowTitle() == f"{DEC}  +12  -$4,625.00"
    assert window.contracts.docks[MAR].windowTitle() == f"{MAR}  -5  $1,953.12"
    # The next ladder snapshot of the first contract keeps the tab's title.
    window.apply_ladder(dec)
    assert window.docks.docks["ladder"].windowTitle() == f"{DEC}  +12  -$4,625.00"


def test_the_menu_lists_the_months_and_opens_one(window, qtbot) -> None:
    window.apply_ladder(replace(snapshot([], "110-08"), contract=DEC))
    asked: list[str] = []
    window.contracts.openRequested.connect(asked.append)
    window.contracts.set_known(("ZN Sep26", DEC, MAR))
    window.contracts._fill_menu()
    names = [a.text() for a in window.contracts.menu.actions() if a.text()]
    assert names == ["ZN Sep26", DEC, MAR]
    assert [a.isChecked() for a in window.contracts.menu.actions()[:3]] == [False, True, False]
    next(a for a in window.contracts.menu.actions() if a.text() == MAR).trigger()
    assert asked == [MAR]  # the session opens it; its ladder tab follows `contractOpened`


def test_side_by_side_is_kept_for_the_next_launch(qtbot, tmp_path: Path, ui_home) -> None:
    from zn_ladder.ui.main_window import MainWindow

    ini = tmp_path / "w.ini"
    first = MainWindow(ui_state=QSettings(str(ini), QSettings.Format.IniFormat))
    qtbot.addWidget(first)
    first.show()
    first.apply_ladder(replace(snapshot([], "110-08"), contract=DEC))
    first.contracts.open(MAR)
    first.contracts.arrange(True)
    qtbot.wait(50)
    assert first.docks.tabifiedDockWidgets(first.docks.docks["ladder"]) == []
    first.close()

    again = MainWindow(ui_state=QSettings(str(ini), QSettings.Format.IniFormat))
    qtbot.addWidget(again)
    again.show()
    again.apply_ladder(replace(snapshot([], "110-08"), contract=DEC))
    again.contracts.open(MAR)  # the session reopens it on the roll's orders
    qtbot.wait(50)
    dock = again.contracts.docks[MAR]
    assert again.docks.tabifiedDockWidgets(again.docks.docks["ladder"]) == [] and dock.isVisible()
    assert dock.geometry().left() > again.docks.docks["ladder"].geometry().left()
    again.contracts.arrange(False)
    assert again.docks.tabifiedDockWidgets(again.docks.docks["ladder"]) == [dock]
    again.close()
