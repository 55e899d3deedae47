"""The ladder widget: recentering, scrolling, hotkeys, what-if orders, flags and the painted result."""

from __future__ import annotations

from fractions import Fraction

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QRegion, QWheelEvent
from PySide6.QtWidgets import QApplication, QSpinBox

from tests.gui.conftest import ZN, snapshot
from zn_ladder.domain.prices import Price, parse_price, parse_ticks
from zn_ladder.domain.records import OrderType, Side
from zn_ladder.ui.ladder import recenter
from zn_ladder.ui.ladder.model import Col, DecorRole
from zn_ladder.ui.ladder.view import LadderView
from zn_ladder.ui.theme import DARK


def _view(qtbot, height: int = 600) -> LadderView:
    view = LadderView()
    qtbot.addWidget(view)
    view.resize(view.sizeHint().width(), height)
    view.show()
    qtbot.waitExposed(view)
    return view


def _centre(view: LadderView) -> int:
    return view.model.top - view.model.rowCount() // 2


def test_recenter_rules_are_plain_arithmetic():
    assert recenter.centred_top(100, 41) == 120
    assert not recenter.outside_band(120, 41, 100 + 5, 5)
    assert recenter.outside_band(120, 41, 100 + 6, 5)
    assert recenter.outside_band(120, 41, 100 - 6, 5)
    # a band wider than half the window means "recenter only when spot leaves the screen"
    assert recenter.effective_band(500, 41) == 19
    assert not recenter.outside_band(120, 41, 100 + 19, 500)
    assert recenter.outside_band(120, 41, 100 + 20, 500)


def test_first_snapshot_centres_spot_and_small_moves_do_not_jump(qtbot, orders):
    view = _view(qtbot)
    view.recenter_band = 4
    view.apply_snapshot(snapshot(orders, "110-08.25"))
    spot = parse_price("110-08.25", ZN, spot=True).tick_floor(ZN)
    assert _centre(view) == spot
    top = view.model.top
    view.apply_snapshot(snapshot(orders, Price.from_ticks(spot + 4, ZN)))  # inside the band
    assert view.model.top == top
    view.apply_snapshot(snapshot(orders, Price.from_ticks(spot - 5, ZN)))  # leaves the band: recenter
    assert _centre(view) == spot - 5


def test_wheel_scrolls_by_ticks_and_pauses_auto_recenter_until_space(qtbot, orders):
    view = _view(qtbot)
    view.recenter_band = 2
    view.apply_snapshot(snapshot(orders))
    top = view.model.top
    event = QWheelEvent(QPointF(20, 100), QPointF(view.mapToGlobal(QPoint(20, 100))), QPoint(0, 0), QPoint(0, 120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    with qtbot.waitSignal(view.autoRecenterPausedChanged) as paused:
        QApplication.sendEvent(view, event)
    assert paused.args == [True]
    assert view.model.top == top + 3
    far = Price.from_ticks(view.model.top - 3, ZN)  # far from the centre, but the trader is looking away
    view.apply_snapshot(snapshot(orders, far))
    assert view.model.top == top + 3
    with qtbot.waitSignal(view.recenterRequested):
        qtbot.keyClick(view, Qt.Key.Key_Space)
    assert not view.auto_recenter_paused
    assert _centre(view) == far.tick_floor(ZN)


def test_ctrl_plus_minus_change_font_and_row_height(qtbot, orders):
    view = _view(qtbot)
    view.apply_snapshot(snapshot(orders))
    size, row_h, rows = view.font_size, view.row_height, view.model.rowCount()
    with qtbot.waitSignal(view.zoomChanged) as zoomed:
        qtbot.keyClick(view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert zoomed.args == [size + 1]
    assert view.row_height > row_h
    assert view.model.rowCount() < rows  # taller rows: fewer fit
    qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert view.font_size == size - 1 and view.row_height < row_h
    spot = snapshot(orders).ladder.spot_tick
    assert abs(_centre(view) - spot) <= 1  # zoom keeps the centre


def test_arrow_and_page_keys_scroll(qtbot, orders):
    view = _view(qtbot)
    view.apply_snapshot(snapshot(orders))
    top = view.model.top
    qtbot.keyClick(view, Qt.Key.Key_Up)
    assert view.model.top == top + 1
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    assert view.model.top == top + 1 - (view.model.rowCount() - 2)


def test_context_menu_requests_a_what_if_order_of_the_chosen_quantity(qtbot, orders):
    view = _view(qtbot)
    view.apply_snapshot(snapshot(orders))
    row = view.model.row_of(parse_ticks("110'070", ZN))
    menu = view.build_context_menu(row)
    menu.findChild(QSpinBox, "whatIfQty").setValue(7)
    action = next(a for a in menu.actions() if a.objectName() == "whatIf_sell_stop")
    with qtbot.waitSignal(view.whatIfRequested) as req:
        action.trigger()
    assert req.args == [(Side.SELL, OrderType.STOP, parse_ticks("110'070", ZN), 7)]
    assert view.what_if_qty == 7  # remembered for the next menu
    assert not any(a.objectName() == "whatIfRemove" for a in menu.actions())


def test_through_spot_orders_are_flagged_with_a_reason(qtbot, orders):
    # spot 110-06 sits below the fixture's buy limit at 110'070: that buy could never fill on the way down
    view = _view(qtbot)
    snap = snapshot(orders, "110-06")
    view.apply_snapshot(snap)
    row = view.model.row_of(parse_ticks("110'070", ZN))
    what_if, through, stop = view.model.index(row, Col.BUY).data(DecorRole)
    assert through and not what_if
    tip = view.model.tooltip(row, Col.BUY)
    assert "THROUGH SPOT" in tip and "above spot" in tip and "not applied" in tip
    assert snap.ladder.through_spot  # the domain said so; the widget only shows it
    clean = view.model.row_of(parse_ticks("110'055", ZN))
    assert view.model.index(clean, Col.BUY).data(DecorRole) == (0, False, 0)


def test_painted_ladder_shows_buy_cells_blue_and_the_spot_line(qtbot, orders):
    view = _view(qtbot)
    snap = snapshot(orders, "110-08.25")
    view.apply_snapshot(snap)
    image = view.grab().toImage()
    g = view._painter.geometry
    row = view.model.row_of(parse_ticks("110'055", ZN))  # 80 lots working to buy
    y = g.header_h + row * g.row_h + 2
    assert image.pixelColor(g.xs[Col.BUY] + 3, y) == QColor(DARK.buy_cell)
    empty = view.model.row_of(parse_ticks("110'060", ZN))
    assert image.pixelColor(g.xs[Col.BUY] + 3, g.header_h + empty * g.row_h + 2) == QColor(DARK.buy_bg)
    # spot 110-08.25 is half way between the 110'080 and 110'085 rows: the line is on their boundary
    spot_ticks = snap.spot.ticks(ZN)
    line_y = round(g.header_h + float(view.model.top - spot_ticks) * g.row_h + g.row_h / 2 - 0.5)
    x = g.xs[Col.POSITION] + 2
    assert DARK.spot_line in {image.pixelColor(x, line_y + d).name() for d in (-1, 0, 1)}


def test_stale_mark_is_painted_and_explained(qtbot, orders):
    view = _view(qtbot)
    view.apply_snapshot(snapshot(orders))
    view.set_stale("ORDERS FAILING since 10:00:00")
    g = view._painter.geometry
    image = view.grab().toImage()
    assert image.pixelColor(5, g.header_h - 1) == QColor(DARK.stale)
    assert view.stale.startswith("ORDERS FAILING")


def test_spot_on_a_tick_frames_its_row_instead_of_striking_it_out(qtbot, orders):
    view = _view(qtbot)
    snap = snapshot(orders, "110-08")
    view.apply_snapshot(snap)
    image = view.grab().toImage()
    g = view._painter.geometry
    row = view.model.row_of(parse_ticks("110'080", ZN))
    top = g.header_h + row * g.row_h
    x = g.xs[Col.RISK] + 3
    assert DARK.spot_line in {image.pixelColor(x, top + d).name() for d in (0, 1)}  # the frame's top edge
    assert image.pixelColor(x, top + g.row_h // 2).name() != DARK.spot_line  # nothing through the middle


def test_context_menu_warns_which_what_ifs_would_be_through_spot(qtbot, orders):
    view = _view(qtbot)
    view.apply_snapshot(snapshot(orders, "110-08.25"))
    above = view.build_context_menu(view.model.row_of(parse_ticks("110'120", ZN)))
    texts = {a.objectName(): a.text() for a in above.actions() if a.objectName().startswith("whatIf_")}
    assert "through spot" in texts["whatIf_buy_limit"] and "through spot" in texts["whatIf_sell_stop"]
    assert "through spot" not in texts["whatIf_sell_limit"] and "through spot" not in texts["whatIf_buy_stop"]
    below = view.build_context_menu(view.model.row_of(parse_ticks("110'040", ZN)))
    texts = {a.objectName(): a.text() for a in below.actions() if a.objectName().startswith("whatIf_")}
    assert "through spot" in texts["whatIf_sell_limit"] and "through spot" not in texts["whatIf_buy_limit"]


def test_orders_at_an_on_tick_spot_are_marked_at_spot_and_explained(qtbot, orders):
    # Spot exactly at the fixture's buy 40 @ 110'070: at spot (not through), the spot row shows the base.
    view = _view(qtbot)
    snap = snapshot(orders, "110-07")
    view.apply_snapshot(snap)
    row = view.model.row_of(parse_ticks("110'070", ZN))
    assert view.model.index(row, Col.BUY).data(DecorRole) == (0, "at_spot_down", 0)
    assert view.model.cells(row).texts[Col.POSITION] == "+12"  # the base, before the buy 40 fills
    assert view.model.cells(row + 1).texts[Col.POSITION] == "+52"  # one tick down: filled
    tip = view.model.tooltip(row, Col.BUY)
    assert "AT SPOT" in tip and "THROUGH" not in tip
    assert "not filled yet" in tip and "first move down" in tip and "every row below spot" in tip
    assert "have not filled here" in view.model.tooltip(row, Col.POSITION)
    assert "have not filled here" not in view.model.tooltip(row + 1, Col.POSITION)
    # Painted: the cell is outlined in the spot colour (not the through-spot orange).
    image = view.grab().toImage()
    g = view._painter.geometry
    top = g.header_h + row * g.row_h
    right = g.xs[Col.BUY] + g.widths[Col.BUY] - 1  # the cell's right edge (the spot row's frame is not here)
    edge = {image.pixelColor(right - d, top + g.row_h // 2).name() for d in (1, 2, 3)}
    assert DARK.spot_line in edge and DARK.warning not in edge
    # A what-if at that level says where it would count.
    menu = view.build_context_menu(row)
    texts = {a.objectName(): a.text() for a in menu.actions() if a.objectName().startswith("whatIf_")}
    assert "at spot: fills on the first move down" in texts["whatIf_buy_limit"]
    assert "at spot: fills on the first move up" in texts["whatIf_sell_limit"]
    assert "at spot: fills on the first move up" in texts["whatIf_buy_stop"]
    assert not any("through spot" in t for t in texts.values())
    # A sell at spot is marked alike, pointing up.
    sell = next(o for o in orders if o.side is Side.SELL and o.order_type is OrderType.LIMIT)
    view.apply_snapshot(snapshot(orders, Price.from_ticks(sell.price, ZN)))
    row = view.model.row_of(sell.price)
    assert view.model.index(row, Col.SELL).data(DecorRole) == (0, "at_spot_up", 0)
    assert "first move up" in view.model.tooltip(row, Col.SELL)


class _RecordingView(LadderView):
    """A ladder view that remembers which region Qt asked it to repaint (what reaches the screen)."""

    def __init__(self) -> None:
        super().__init__()
        self.painted = QRegion()

    def paintEvent(self, event) -> None:
        self.painted = self.painted.united(event.region())
        super().paintEvent(event)


def test_moving_spot_repaints_the_rows_of_the_old_spot_line(qtbot):
    # No orders and a flat book: a spot move changes no cell text, only where the line is drawn. The
    # old line's rows must still be repainted, or the old line stays on screen next to the new one.
    view = _RecordingView()
    qtbot.addWidget(view)
    view.resize(view.sizeHint().width(), 600)
    view.show()
    qtbot.waitExposed(view)
    flat = {"base_position": 0, "base_pnl": Fraction(0), "avg": None}
    first = snapshot([], "110-08.25", **flat)
    view.apply_snapshot(first)
    qtbot.waitUntil(lambda: not view.painted.isEmpty())
    g = view._painter.geometry
    old_y = round(g.header_h + float(view.model.top - first.spot.ticks(ZN)) * g.row_h + g.row_h / 2 - 0.5)
    for spot in ("110-09.25", "110-10"):  # between ticks, then onto a tick (framed row)
        top = view.model.top
        view.painted = QRegion()
        snap = snapshot([], spot, **flat)
        view.apply_snapshot(snap)
        assert view.model.top == top  # inside the band: no recenter, no full repaint
        qtbot.waitUntil(lambda: not view.painted.isEmpty())
        x = g.xs[Col.POSITION] + 2
        assert all(view.painted.contains(QPoint(x, old_y + d)) for d in (-1, 0, 1)), spot
        assert view.painted.boundingRect().height() < view.height() // 2  # still a partial repaint
        spot_ticks = snap.spot.ticks(ZN)
        old_y = round(g.header_h + float(view.model.top - spot_ticks) * g.row_h + g.row_h / 2 - 0.5)
    # what is on screen (the window's backing store, not a fresh render): no line left where spot was
    image = QApplication.primaryScreen().grabWindow(view.winId()).toImage()
    stale_y = round(g.header_h + float(view.model.top - first.spot.ticks(ZN)) * g.row_h + g.row_h / 2 - 0.5)
    assert DARK.spot_line not in {image.pixelColor(x, stale_y + d).name() for d in (-1, 0, 1)}


def test_stop_orders_are_outlined_and_tagged_not_filled_like_limits(qtbot, orders):
    """Issue 14 §10: a stop at a level is drawn as an outlined cell with an "S" tag; a limit is filled."""
    from dataclasses import replace as copy

    from zn_ladder.domain.records import OrderType

    limit = next(o for o in orders if o.order_type == OrderType.LIMIT and o.side.name == "SELL")
    stop_price = parse_ticks("110'120", ZN)
    stop = copy(limit, order_id="STOP1", order_type=OrderType.STOP, price=stop_price, side=limit.side.BUY,
                quantity=7)
    view = _view(qtbot)
    view.apply_snapshot(snapshot([*orders, stop], "110-08.25"))
    row = view.model.row_of(stop_price)
    assert view.model.index(row, Col.BUY).data(DecorRole)[2] == 7
    assert "stop" in view.model.tooltip(row, Col.BUY)
    image = view.grab().toImage()
    g = view._painter.geometry
    x, w, top = g.xs[Col.BUY], g.widths[Col.BUY] - 1, g.header_h + row * g.row_h
    centre = image.pixelColor(x + w - 8, top + g.row_h // 2)
    assert centre != QColor(DARK.buy_cell)  # not filled like a limit
    assert image.pixelColor(x + w - 4, top + g.row_h // 2) == QColor(DARK.buy_cell)  # the outline
    assert image.pixelColor(x + 3, top + g.row_h // 2) == QColor(DARK.buy_cell)  # the "S" tag's ground
    limit_row = view.model.row_of(parse_ticks("110'055", ZN))
    assert view.model.index(limit_row, Col.BUY).data(DecorRole)[2] == 0


def test_ladder_columns_are_chosen_from_the_header_menu(qtbot, orders):
    """Issue 14 §9: hide Risk and B/E, move P&L left of Pos; Buy/Price/Sell cannot be hidden."""
    view = _view(qtbot)
    view.apply_snapshot(snapshot(orders))
    full = view._painter.geometry.width
    chosen: list[tuple] = []
    view.columnsChanged.connect(chosen.append)
    menu = view.build_columns_menu()
    actions = {a.text().replace("&&", "&"): a for a in menu.actions() if a.isCheckable()}
    assert not actions["Price"].isEnabled() and actions["Risk"].isChecked()
    actions["Risk"].setChecked(False)
    view.build_columns_menu().actions()[Col.BREAKEVEN].setChecked(False)
    assert view.columns() == (Col.BUY, Col.PRICE, Col.SELL, Col.POSITION, Col.PNL)
    assert view._painter.geometry.width < full and view.minimumWidth() == view._painter.geometry.width
    move = next(a for a in view.build_columns_menu(Col.PNL).actions() if a.text().startswith("Move P&&L left"))
    move.trigger()
    assert view.columns() == (Col.BUY, Col.PRICE, Col.SELL, Col.PNL, Col.POSITION)
    assert chosen[-1] == view.columns()
    g = view._painter.geometry
    assert g.xs[Col.PNL] < g.xs[Col.POSITION] and g.widths[Col.RISK] == 0
    assert g.column_at(g.xs[Col.PNL] + 2) == Col.PNL
    image = view.grab().toImage()  # paints without the hidden columns
    assert image.width() >= g.width
    view.set_columns([Col.PRICE])  # refused: not a ladder
    assert view.columns() == (Col.BUY, Col.PRICE, Col.SELL, Col.PNL, Col.POSITION)
