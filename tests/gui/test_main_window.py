"""The main window driven only through its snapshot slots, as the workers will drive it."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from fractions import Fraction
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QThread, QTimer
from PySide6.QtGui import QAction

from tests.gui.conftest import ZN, snapshot
from zn_ladder.domain.prices import parse_price, parse_ticks
from zn_ladder.domain.records import Fill, OrderType, Side
from zn_ladder.ui.ladder.model import Col, RawRole
from zn_ladder.workers.snapshots import FillsSnapshot, OrdersSnapshot, PnlSnapshot, SourceHealth, StatusSnapshot

NOW = datetime(2025, 5, 15, 15, 0, tzinfo=timezone.utc)


def _fill(i: int) -> Fill:
    return Fill(key=f"k{i}", account="DESK01", contract="ZN Sep25", side=Side.BUY, qty=2, price=7050 + i,
                time_ns=int((NOW + timedelta(minutes=i)).timestamp() * 1e9), exec_id=f"E{i}")


def _status(failing: str = "", env: str = "SIM", demo: bool = True) -> StatusSnapshot:
    health = []
    for name in ("orders", "fills", "positions", "spot"):
        if name == failing:
            health.append(SourceHealth(name, "failing", NOW - timedelta(minutes=5), NOW - timedelta(minutes=3),
                                       "TT answered 503 on GET /ledger/fills"))
        else:
            health.append(SourceHealth(name, "ok", NOW - timedelta(seconds=2)))
    return StatusSnapshot(env=env, demo=demo, connection="connected", health=tuple(health), budget_used=12,
                          budget_limit=60, spot_source="manual", spot_at=NOW - timedelta(seconds=9), at=NOW)


def test_snapshots_fill_every_pane(window, orders):
    snap = snapshot(orders)
    window.apply_ladder(snap)
    window.apply_orders(OrdersSnapshot(tuple(orders), NOW))
    window.apply_fills(FillsSnapshot((_fill(1), _fill(0)), NOW))
    history = ((NOW - timedelta(minutes=1), Fraction(-100)), (NOW, Fraction(250)))
    window.apply_pnl(PnlSnapshot(position=12, sod_position=-3, realized_lifo=Fraction(1250), realized_fifo=Fraction(-75, 2),
                                 unrealized=Fraction(250), total=Fraction(1500), average_open_price=parse_price(
                                     "110-05.5", ZN, spot=True), risk=12 * ZN.tick_value, product=ZN, history=history))
    window.apply_status(_status())
    assert window.orders.model.rowCount() == len(orders)
    assert window.fills.model.rowCount() == 2
    assert window.summary.text("position") == "+12"
    assert window.summary.text("realized_lifo") == "$1,250.00"
    assert window.summary.text("realized_fifo") == "-$37.50"
    assert window.summary.text("risk") == "$187.50"
    assert window.summary.text("average") == "110'055"  # on a tick: TT format
    xs, ys = window.charts.curve_data()
    rows = [snap.ladder.row_at(int(x)) for x in xs]
    assert list(ys) == [float(r.projected_pnl) for r in rows]  # the chart draws the domain's curve
    assert window.status_strip.env_badge.text() == "SIM" and window.status_strip.demo_badge.isVisibleTo(window)
    assert window.status_strip.budget.text() == "Budget 12/60"
    assert window.status_strip.ages["orders"].text() == "Orders 2s"
    assert window.status_strip.spot.text() == "Spot MANUAL 9s"
    assert window.banner.isHidden()


def test_failing_source_shows_banner_and_marks_its_panes_stale(window, orders):
    window.apply_ladder(snapshot(orders))
    window.apply_fills(FillsSnapshot((_fill(0),), NOW))
    window.apply_status(_status(failing="fills"))
    assert window.banner.isVisibleTo(window)
    text = window.banner.text()
    assert "FILLS FAILING since" in text and "(3m 00s)" in text and "TT answered 503" in text
    assert "kept and marked STALE" in text
    assert window.fills.stale_tag.on and window.summary.stale_tag.on
    assert not window.orders.stale_tag.on
    assert window.fills.model.rowCount() == 1  # stale data stays on screen
    assert window.status_strip.ages["fills"].text() == "Fills 5m 00s"
    window.apply_status(_status())
    assert window.banner.isHidden() and not window.fills.stale_tag.on


def test_live_badge(window):
    window.apply_status(_status(env="LIVE", demo=False))
    badge = window.status_strip.env_badge
    assert badge.text() == "LIVE" and window.theme().env_live in badge.styleSheet()
    assert not window.status_strip.demo_badge.isVisibleTo(window)
    assert "LIVE" in window.windowTitle()


def test_what_if_round_trip_through_the_owner(qtbot, window, orders):
    """The window asks; the owner re-projects with the what-if orders; the ladder shows them; removable."""
    book = list(orders)
    window.whatIfChanged.connect(lambda what_ifs: window.apply_ladder(snapshot(book + list(what_ifs))))
    window.apply_ladder(snapshot(book))
    price = parse_ticks("110'030", ZN)
    with qtbot.waitSignal(window.whatIfChanged) as sig:
        window.ladder_view.whatIfRequested.emit((Side.BUY, OrderType.LIMIT, price, 5))
    (order,) = sig.args[0]
    assert (order.side, order.order_type, order.price, order.quantity, order.what_if) == \
        (Side.BUY, OrderType.LIMIT, price, 5, True)
    assert order.contract == "ZN Sep25"
    model = window.ladder_model
    row = model.row_of(price)
    assert model.index(row, Col.BUY).data(RawRole) == 5
    assert model.cells(row).row.what_if_buy == 5
    assert window.what_if.list.count() == 1
    button = window.what_if.list.itemWidget(window.what_if.list.item(0)).findChild(
        type(window.what_if.clear_button), f"remove_{order.order_id}")
    with qtbot.waitSignal(window.whatIfChanged) as removed:
        button.click()
    assert removed.args == [()]
    assert model.index(row, Col.BUY).data(RawRole) == 0


def test_manual_spot_entry(qtbot, window):
    entry = window.spot_entry
    entry.edit.setText("110-16+")
    with qtbot.waitSignal(window.manualSpotEntered) as sig:
        entry.button.click()
    assert sig.args == [parse_price("110'165", ZN, spot=True)]
    assert entry.error.isHidden()
    entry.edit.setText("110-3x")
    with qtbot.assertNotEmitted(window.manualSpotEntered):
        entry.submit()
    assert entry.error.isVisibleTo(window) and "'110-3x' is not a valid ZN price" in entry.error.text()


def test_new_fill_beeps_and_notifies_and_each_can_be_turned_off(window):
    window.apply_fills(FillsSnapshot((_fill(0),), NOW))
    assert window.notifier.beeps == 0  # the first snapshot is the day so far, not news
    window.apply_fills(FillsSnapshot((_fill(1), _fill(0)), NOW))
    assert window.notifier.beeps == 1
    assert window.notifier.messages[-1][0] == "New fill"
    assert "BOUGHT 2 ZN Sep25 @ 110'" in window.notifier.messages[-1][1]
    window.sound_action.setChecked(False)
    window.apply_fills(FillsSnapshot((_fill(2), _fill(1), _fill(0)), NOW))
    assert window.notifier.beeps == 1 and len(window.notifier.messages) == 2
    window.desktop_action.setChecked(False)
    window.apply_fills(FillsSnapshot((_fill(3),), NOW, new_keys=("k3",)))
    assert len(window.notifier.messages) == 2


def test_signals_for_settings_recenter_and_units(qtbot, window, orders):
    window.apply_ladder(snapshot(orders))
    with qtbot.waitSignal(window.settingsRequested):
        window.settings_action.trigger()
    with qtbot.waitSignal(window.recenterRequested):
        window.recenter_button.click()
    window.units_button.click()
    assert window.ladder_model.pnl_units == "ticks" and window.units_actions["ticks"].isChecked()
    window.units_actions["dollars"].trigger()
    assert window.ladder_model.pnl_units == "dollars" and not window.units_button.isChecked()
    assert "never sends" in window.about_text()


def test_typed_settings_apply(window):
    settings = SimpleNamespace(
        ladder=SimpleNamespace(theme="light", font_size=13, recenter_band_ticks=6, pnl_units="ticks",
                               price_format="cme", buy_colour="#0000ff", sell_colour="", spot_colour="",
                               profit_colour="", loss_colour=""),
        notifications=SimpleNamespace(sound=False, desktop=True))
    window.apply_settings(settings)
    assert window.ladder_view.font_size == 13 and window.ladder_view.recenter_band == 6
    assert window.ladder_model.pnl_units == "ticks" and window.theme().name == "light"
    assert window.theme().buy_cell == "#0000ff"
    assert window.notifier.sound is False and window.notifier.desktop is True


def test_layout_persists_in_the_ini_and_display_settings_do_not(qtbot, ui_home):
    """The ini keeps geometry, splitters and columns; font size, units and theme come only from the
    settings file (issue 14 §2), so a font size left in an old ini is not applied."""
    from zn_ladder.ui.main_window import MainWindow

    first = MainWindow()
    qtbot.addWidget(first)
    first.show()
    first.ladder_view.set_font_size(14)
    first.resize(1200, 580)
    first.set_pnl_units("ticks")
    first.orders.view.setColumnWidth(1, 173)
    first.docks.docks["charts"].close()  # a pane closed by the trader stays closed
    first.close()
    ini = ui_home / "config" / "window.ini"
    assert ini.exists()
    assert "font_size" not in ini.read_text() and "pnl_units" not in ini.read_text()
    with ini.open("a") as out:  # what an older version left behind
        out.write("\n[ladder]\nfont_size=22\ntheme=light\npnl_units=ticks\n")
    second = MainWindow(SimpleNamespace(ladder=SimpleNamespace(font_size=14, theme="dark", pnl_units="dollars")))
    qtbot.addWidget(second)
    second.show()
    qtbot.waitExposed(second)
    # the offscreen screen is 800x600: restoreGeometry clamps the width, so compare the height only
    assert second.height() == first.height()
    assert second.orders.view.columnWidth(1) == 173
    assert second.docks.visible_panes() == ["ladder", "summary", "orders", "fills", "journal", "accounts", "days"]
    assert second.ladder_view.font_size == 14  # the settings file, not the old ini
    assert second.ladder_model.pnl_units == "dollars" and second.theme().name == "dark"
    second.close()
    assert "font_size" not in ini.read_text()  # the old copy is gone


def test_display_changes_from_the_window_are_signalled_and_settings_applied_are_not(qtbot, window):
    changed: list[tuple[str, str]] = []
    window.displaySettingChanged.connect(lambda key, text: changed.append((key, text)))
    window.apply_settings(SimpleNamespace(ladder=SimpleNamespace(font_size=15, theme="light", pnl_units="ticks"),
                                          notifications=SimpleNamespace(sound=False, desktop=False)))
    assert changed == []
    window.ladder_view.zoom(+1)
    window.units_actions["dollars"].trigger()
    window.sound_action.setChecked(True)
    dark = next(a for a in window.menuBar().findChildren(QAction) if a.text() == "Dark")
    dark.trigger()
    assert changed == [("ladder.font_size", "16"), ("ladder.pnl_units", "dollars"),
                       ("notifications.sound", "true"), ("ladder.theme", "dark")]


def test_close_leaves_no_running_timers_or_threads(qtbot, window, orders):
    threads_before = threading.active_count()
    window.apply_ladder(snapshot(orders))
    window.apply_status(_status())
    assert window.status_strip.timer.isActive()
    window.close()
    qtbot.waitUntil(lambda: not any(t.isActive() for t in window.findChildren(QTimer)))
    assert not window.findChildren(QThread)
    assert threading.active_count() == threads_before


def test_owner_reprojecting_on_window_change_is_not_overwritten(window, orders):
    """An owner wired directly to ladderWindowChanged re-projects for the new range inside the recenter;
    its newer snapshot must be the one left on screen, covering every visible row."""
    current = {"spot": "110-08.25"}
    latest = []

    def reproject(high: int, low: int) -> None:
        latest.append(snapshot(orders, current["spot"], high=high, low=low))
        window.apply_ladder(latest[-1])

    window.ladderWindowChanged.connect(reproject)
    window.apply_ladder(snapshot(orders, padding=2))
    current["spot"] = "110-30"  # far away: the ladder recenters
    window.apply_ladder(snapshot(orders, "110-30", padding=2))
    model = window.ladder_model
    assert latest and model.snapshot is latest[-1]
    assert all(model.cells(r).row is not None for r in range(model.rowCount()))
    assert model.top - model.rowCount() // 2 == parse_price("110-30", ZN).tick_floor(ZN)


def test_zoom_keys_work_from_anywhere_in_the_window_and_once_on_the_ladder(qtbot, window, orders):
    from PySide6.QtCore import Qt

    window.apply_ladder(snapshot(orders))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    size = window.ladder_view.font_size
    window.orders.view.setFocus()
    qtbot.keyClick(window.orders.view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert window.ladder_view.font_size == size + 1
    window.ladder_view.setFocus()
    qtbot.keyClick(window.ladder_view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert window.ladder_view.font_size == size
    with qtbot.waitSignal(window.recenterRequested):
        qtbot.keyClick(window.ladder_view, Qt.Key.Key_Space)


def test_one_price_format_for_every_place(window, orders):
    """`ladder.price_format` changes the ladder, the tables, the cards, the chart axis, the what-if list
    and the tooltips together (issue 14 §11), and back."""
    from zn_ladder.domain.records import OrderType as OT
    from zn_ladder.ui.ladder.explain import price_tooltip
    from zn_ladder.ui.ladder.model import Col

    snap = snapshot(orders)
    window.apply_ladder(snap)
    window.apply_orders(OrdersSnapshot(tuple(orders), NOW))
    window.apply_fills(FillsSnapshot((_fill(1),), NOW))
    avg = parse_price("110-05.5", ZN, spot=True)
    window.apply_pnl(PnlSnapshot(position=12, sod_position=0, realized_lifo=Fraction(0), realized_fifo=Fraction(0),
                                 unrealized=Fraction(0), total=Fraction(0), average_open_price=avg,
                                 risk=Fraction(0), product=ZN))
    window.what_if.add(Side.BUY, OT.LIMIT, 7051, 1)
    price_col = [c.title for c in window.fills.model.columns].index("Price")

    def shown() -> list[str]:
        ladder_price = window.ladder_model.cells(0).texts[Col.PRICE]
        fill_price = window.fills.model.index(0, price_col).data()
        axis = window.charts.price_axis.tickStrings([7051], 1, 1)[0]
        what_if = window.what_if._describe(window.what_if.orders[0])
        return [ladder_price, fill_price, window.summary.text("average"), axis, what_if,
                price_tooltip(7051, ZN, None, None).split()[0]]

    tt = shown()
    assert tt[1] == "110'055" and tt[2] == "110'055" and tt[3] == "110'055" and "110'055" in tt[4]
    window.apply_settings(SimpleNamespace(ladder=SimpleNamespace(price_format="decimal")))
    dec = shown()
    assert dec[1] == "110.171875" and dec[2] == "110.171875" and dec[3] == "110.171875" and "110.171875" in dec[4]
    assert dec[5] == "110.171875" and "." in dec[0] and "'" not in dec[0]
    window.apply_settings(SimpleNamespace(ladder=SimpleNamespace(price_format="tt")))
    assert shown() == tt


def test_space_recenters_from_anywhere_in_the_window_but_not_while_typing(qtbot, window, orders):
    """Issue 14 §13: the menu says Space, so Space works with the focus on a table too; in a text field
    (the filter box) it types a space."""
    from PySide6.QtCore import Qt

    window.apply_ladder(snapshot(orders))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    recentred: list[int] = []
    window.recenterRequested.connect(lambda: recentred.append(1))
    window.fills.view.setFocus()
    qtbot.waitUntil(window.fills.view.hasFocus)
    qtbot.keyClick(window.fills.view, Qt.Key.Key_Space)
    assert recentred == [1]
    window.ladder_view.setFocus()
    qtbot.keyClick(window.ladder_view, Qt.Key.Key_Space)
    assert recentred == [1, 1]  # once, not twice, on the ladder itself
    window.orders.filter.setFocus()
    qtbot.keyClicks(window.orders.filter, "side:buy acc")
    qtbot.keyClick(window.orders.filter, Qt.Key.Key_Space)
    assert window.orders.filter.text() == "side:buy acc "
    assert recentred == [1, 1]


def test_no_price_window_is_announced_before_the_first_ladder(qtbot, window, orders):
    """Issue 14 §13: before the first ladder the view's rows run from 0'000 down; announcing that range
    made the first projection (and its chart) run from 0'000 to spot, down to -8e+06."""
    ranges: list[tuple[int, int]] = []
    window.ladderWindowChanged.connect(lambda hi, lo: ranges.append((hi, lo)))
    window.resize(1300, 700)
    window.resize(1400, 900)
    qtbot.wait(10)
    assert ranges == []
    snap = snapshot(orders)
    window.apply_ladder(snap)
    assert ranges
    spot = snap.spot.tick_floor(ZN)
    assert all(lo <= spot <= hi and hi - lo < 200 for hi, lo in ranges)


def test_chosen_columns_survive_a_restart(qtbot, ui_home):
    from zn_ladder.ui.ladder.model import Col
    from zn_ladder.ui.main_window import MainWindow

    first = MainWindow()
    qtbot.addWidget(first)
    first.ladder_view.set_columns([Col.BUY, Col.PRICE, Col.SELL, Col.PNL])
    first.fills.view.horizontalHeader().setSectionHidden(0, True)
    first.close()
    second = MainWindow()
    qtbot.addWidget(second)
    assert second.ladder_view.columns() == (Col.BUY, Col.PRICE, Col.SELL, Col.PNL)
    assert second.fills.view.horizontalHeader().isSectionHidden(0)
    second.close()


def test_orders_for_another_contract_than_the_ladder_are_said_not_silent(window, orders):
    """Issue 14 §3: after Product/Contracts change, a ladder of one contract beside orders of another
    says so in the window."""
    from dataclasses import replace as copy

    window.apply_ladder(snapshot(orders))  # ZN Sep25
    window.apply_orders(OrdersSnapshot(tuple(orders), NOW))
    assert window.mismatch.isHidden()
    other = tuple(copy(o, contract="ZF Sep25") for o in orders[:3])
    window.apply_orders(OrdersSnapshot(tuple(orders[3:]) + other, NOW))
    assert window.mismatch.isVisibleTo(window)
    text = window.mismatch.text()
    assert "ZN Sep25" in text and "ZF Sep25 ×3" in text and f"3 of the {len(orders)}" in text
    window.apply_orders(OrdersSnapshot(tuple(orders), NOW))
    assert window.mismatch.isHidden()


def test_panes_are_docks_with_a_compact_ladder_layout_and_named_layouts(qtbot, window, orders):
    """Issue 14 §8: ladder, summary, orders, fills and charts are docks; "Compact ladder" is the ladder
    alone in at most 400 px with every price column whole; a layout saved by name comes back."""
    from PySide6.QtWidgets import QDockWidget

    from zn_ladder.ui.ladder.model import Col
    from zn_ladder.ui.layouts import COMPACT_WIDTH

    window.apply_ladder(snapshot(orders))
    docks = window.docks.docks
    assert set(docks) == {"ladder", "summary", "orders", "fills", "journal", "accounts", "charts", "days"}
    assert all(isinstance(d, QDockWidget) and d.widget() is not None for d in docks.values())
    assert docks["ladder"].widget() is window.ladder_pane and docks["orders"].widget() is window.orders
    window.apply_orders(OrdersSnapshot(tuple(orders), NOW))
    assert docks["orders"].windowTitle() == f"Working orders  ({len(orders)})"  # the title is the dock's
    assert docks["ladder"].windowTitle() == "ZN Sep25 scenario ladder"
    assert window.docks.visible_panes() == ["ladder", "summary", "orders", "fills", "journal", "accounts", "charts", "days"]
    # the ladder is as wide as its columns; the other panes take the rest
    assert window.ladder_pane.width() <= window.ladder_view.minimumWidth() + 2
    assert docks["orders"].width() > window.width() // 2

    window.docks.docks["fills"].close()
    window.ladder_view.set_columns([Col.BUY, Col.PRICE, Col.SELL, Col.PNL, Col.RISK])
    assert window.save_layout("  Roll   week ") == "Roll week"
    with pytest.raises(ValueError, match="built-in"):
        window.save_layout("Compact ladder")

    assert window.apply_layout("Compact ladder")
    qtbot.waitUntil(lambda: window.width() <= COMPACT_WIDTH)
    assert window.docks.visible_panes() == ["ladder"] and window.ladder_view.dense
    assert window.ladder_view.columns() == (Col.BUY, Col.PRICE, Col.SELL, Col.POSITION, Col.PNL)
    assert Col.PNL in window.ladder_view.columns()
    assert window.ladder_view.width() >= window.ladder_view.minimumWidth()  # no column cut
    assert window.ladder_view.mapTo(window, window.ladder_view.rect().topRight()).x() < window.width()

    assert window.apply_layout("Roll week")
    assert window.ladder_view.columns() == (Col.BUY, Col.PRICE, Col.SELL, Col.PNL, Col.RISK)
    assert window.docks.visible_panes() == ["ladder", "summary", "orders", "journal", "accounts", "charts", "days"]
    assert window.layouts.names() == ["Roll week"]
    window.layouts.delete("Roll week")
    assert window.layouts.names() == [] and not window.apply_layout("Roll week")
    assert window.apply_layout("Full")
    assert window.docks.visible_panes() == ["ladder", "summary", "orders", "fills", "journal", "accounts", "charts", "days"]
    assert not window.ladder_view.dense
    assert len(window.ladder_view.columns()) == 7


def test_the_accounts_pane_is_a_dock_fed_by_the_pnl_snapshot_and_its_total_is_the_cards(qtbot, window):
    """Issue 14 §16: position and P&L by account, its own dock; the total row reads as the cards do."""
    from zn_ladder.workers.snapshots import AccountPnl

    avg = parse_price("110-05.5", ZN, spot=True)
    rows = (AccountPnl("DESK01", "ZN Sep25", 15, -3, Fraction(1000), Fraction(-50), Fraction(300), Fraction(1350),
                       Fraction(1300), avg),
            AccountPnl("DESK02", "ZN Sep25", -3, 0, Fraction(250), Fraction(12.5), Fraction(-50), Fraction(187.5),
                       Fraction(200), avg))
    window.apply_pnl(PnlSnapshot(position=12, sod_position=-3, realized_lifo=Fraction(1250),
                                 realized_fifo=Fraction(-75, 2), unrealized=Fraction(250), total=Fraction(1500),
                                 average_open_price=avg, risk=12 * ZN.tick_value, product=ZN, by_account=rows))
    dock = window.docks.docks["accounts"]
    assert dock.widget() is window.accounts and dock.isVisibleTo(window)
    assert dock.windowTitle() == "Position && P&&L by account  (2 accounts)"  # "&&": shown as one "&"
    assert dock.toggleViewAction() in window.findChildren(QAction)  # View › Panes
    texts = window.accounts.row_texts()
    assert [r[0] for r in texts] == ["DESK01", "DESK02", "Total"]
    total = dict(zip([c.title for c in window.accounts.model.columns], texts[-1]))
    assert total["Position"] == window.summary.text("position") == "+12"
    assert total["Total P&L"] == window.summary.text("total") == "$1,500.00"
    assert total["Unrealized FIFO"] == window.summary.text("unrealized_fifo") == "$1,537.50"
    window.apply_status(_status(failing="fills"))
    assert window.accounts.stale_tag.on
    window.apply_layout("Compact ladder")
    assert "accounts" not in window.docks.visible_panes()


def test_an_arrangement_saved_before_the_accounts_pane_existed(qtbot, window):
    """The window's own last arrangement of an older version gives way to the full layout (with the new
    pane); a layout saved by name is kept, the new pane closed."""
    docks = window.docks
    docks.docks["charts"].close()
    older = docks.saveState(1)
    docks.full_layout()
    assert not docks.restore(older)  # the window's ini: the full layout stays
    assert "accounts" in docks.visible_panes()
    assert docks.restore(older, older=True)
    assert docks.visible_panes() == ["ladder", "summary", "orders", "fills"]


def test_the_accounts_pane_shows_three_accounts_and_the_total_without_scrolling(qtbot, ui_home):
    from zn_ladder.ui.main_window import MainWindow
    from zn_ladder.workers.snapshots import AccountPnl

    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1600, 1000)
    window.show()
    qtbot.waitExposed(window)
    zero = Fraction(0)
    rows = tuple(AccountPnl(f"DESK0{i}", "ZN Sep25", i, 0, zero, zero, zero, zero, zero, None) for i in (1, 2, 3))
    window.apply_pnl(PnlSnapshot(position=6, sod_position=0, realized_lifo=zero, realized_fifo=zero, unrealized=zero,
                                 total=zero, average_open_price=None, risk=zero, product=ZN, by_account=rows))
    view = window.accounts.view
    qtbot.wait(300)  # the docks take their sizes once the window is shown
    last = view.visualRect(view.model().index(3, 0))
    assert window.accounts.row_texts()[3][0] == "Total"
    assert last.bottom() <= view.viewport().height(), ("the total row is cut off", window.size(), view.size())
    window.close()


def test_closed_trading_days_are_a_tab_behind_the_charts(qtbot, window):
    """Issue 15 §2: the store's closed days of the contract, newest first, in the window's formats."""
    from datetime import date
    from fractions import Fraction

    from zn_ladder.store.days import ClosedDay

    docks = window.docks
    assert docks.docks["days"] in docks.tabifiedDockWidgets(docks.docks["charts"])
    assert "days" in docks.visible_panes()  # open, as a tab
    tick = Fraction(15625, 1000)
    rows = (ClosedDay("A1", "CME", "ZN Jun26", date(2026, 3, 9), 8, 8, 2, Fraction(7008, 64), "last fill",
                      16 * tick, 16 * tick, 2, 4, 0),
            ClosedDay("A1", "CME", "ZN Jun26", date(2026, 3, 10), 12, 14, 1, Fraction(14013, 128), "curve",
                      Fraction(-7, 2) * tick, 0, 3, 5, 0))
    window.apply_days(rows)
    model = window.days.model
    texts = [[model.data(model.index(r, c)) for c in range(model.columnCount())] for r in range(model.rowCount())]
    titles = [c.title for c in model.columns]
    first = dict(zip(titles, texts[0]))
    assert [dict(zip(titles, t))["Day"] for t in texts] == ["2026-03-10", "2026-03-09"]
    # 12 and 14 ticks of $15.625; the mark (7006.5 ticks) lies between two and is printed exactly
    assert (first["Realized LIFO"], first["Realized FIFO"], first["Close pos"]) == ("$187.50", "$218.75", "+1")
    from zn_ladder.domain.instruments import get_product
    from zn_ladder.domain.prices import parse_price

    assert parse_price(first["Mark"], get_product("ZN"), spot=True).value == Fraction(14013, 128)  # as printed
    assert first["Unrealized LIFO"] == "-$54.69" and (first["Fills"], first["Volume"]) == ("3", "5")
    assert docks.docks["days"].windowTitle().startswith("Closed trading days")


def test_survival_marks_stay_on_their_prices_on_screen_when_the_ladder_scrolls(window, orders, qtbot):
    """The marks are a layer the ladder paints over its rows: a scroll repaints them with the rows, new
    marks repaint the ladder, the View menu hides them. Read from what is on screen (the window's
    backing store), not from a fresh render: the rows whose tag cell has a mark's colour are the rows
    of the marks' prices."""
    from PySide6.QtGui import QColor

    from zn_ladder.ui.theme import DARK

    snap = snapshot(orders)
    window.apply_ladder(snap)

    def pnl(position: int, total: int) -> PnlSnapshot:
        return PnlSnapshot(position=position, sod_position=0, realized_lifo=Fraction(0), realized_fifo=Fraction(0),
                           unrealized=Fraction(total), total=Fraction(total), average_open_price=None,
                           risk=position * ZN.tick_value, product=ZN, spot=snap.spot)

    window.apply_pnl(pnl(40, 0))
    view, overlay = window.ladder_view, window.survival
    assert len(overlay.marks) >= 2
    colours = {QColor(DARK.warning).name(), QColor(DARK.negative).name()}

    def marked_rows() -> set[int]:
        qtbot.wait(60)  # the repaint reaches the backing store
        image = window.screen().grabWindow(window.winId()).toImage()
        x = view.mapTo(window, view.tag_column_rect().topRight()).x() - 2
        top = view.mapTo(window, view.rect().topLeft()).y()
        rows = set()
        for row in range(view.model.rowCount()):
            y = top + view.header_height + row * view.row_height + view.row_height // 2
            if y < top + view.height() and image.pixelColor(x, y).name() in colours:
                rows.add(row)
        return rows

    def expected() -> set[int]:
        return {r for r in (view.model.row_of(m.price) for m in overlay.marks) if r is not None}

    before = expected()
    assert before and marked_rows() == before
    view.scroll_ticks(3)
    after = expected()
    assert after != before and marked_rows() == after
    window.apply_pnl(pnl(-40, -15_000))  # new marks, the ladder's rows unchanged: the layer repaints alone
    assert expected() != after and marked_rows() == expected()
    window.survival_action.setChecked(False)  # View › Survival curve off: no mark on screen
    assert marked_rows() == set()
    window.survival_action.setChecked(True)
    assert marked_rows() == expected()
