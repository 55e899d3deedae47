"""The ladder widget: geometry, scrolling, recentering, zoom, tooltips and the what-if menu.

The model's window is exactly the rows on screen, so scrolling moves the window by whole ticks (like
MD Trader) and a snapshot repaints only the cells that changed. Auto-recenter follows
`recenter.outside_band`; scrolling by hand pauses it (a trader looking at far prices must not be yanked
back on the next tick) until Space or the Recenter button recenters.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QContextMenuEvent, QFont, QKeyEvent, QPainter, QPaintEvent, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import QLabel, QMenu, QSpinBox, QToolTip, QWidget, QWidgetAction

from zn_ladder.domain.ladder import spot_mark
from zn_ladder.ui import price_style
from zn_ladder.domain.records import OrderType, Side
from zn_ladder.ui.ladder import recenter
from zn_ladder.ui.ladder.model import NCOLS, Col, LadderModel
from zn_ladder.ui.ladder.painter import LadderPainter
from zn_ladder.ui.theme import DARK, Theme
from zn_ladder.workers.snapshots import LadderSnapshot

log = logging.getLogger(__name__)

MIN_FONT, MAX_FONT = 6, 40
WHEEL_TICKS = 3


class LadderView(QWidget):
    """Custom-painted ladder over a `LadderModel`."""

    #: A what-if order was asked for: (side: Side, order_type: OrderType, price ticks, quantity).
    whatIfRequested = Signal(object)
    #: Remove the what-if orders at a price (ticks).
    whatIfRemoveRequested = Signal(int)
    recenterRequested = Signal()
    autoRecenterPausedChanged = Signal(bool)
    #: Font point size after Ctrl+ / Ctrl-.
    zoomChanged = Signal(int)
    #: The trader showed, hid or moved a column: the columns shown, in order (logical `Col` numbers).
    columnsChanged = Signal(tuple)

    def __init__(self, model: LadderModel | None = None, theme: Theme = DARK, font_size: int = 10,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ladderView")
        self.model = model or LadderModel(parent=self)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setMouseTracking(False)
        self._font_size = max(MIN_FONT, min(MAX_FONT, int(font_size)))
        self._theme = theme
        self._painter = LadderPainter(theme, self._make_font())
        self.recenter_band = 10
        self.auto_recenter = True
        self._paused = False
        self._stale = ""
        self.what_if_qty = 1
        self._centred_once = False
        #: Where the spot mark was last painted: repainted with the new one when spot moves.
        self._spot_rect: QRect | None = None
        #: What is painted over the rows, in order (`paint(painter)` each; the survival marks).
        self.layers: list[Any] = []
        self.model.dataChanged.connect(self._on_data_changed)
        self.model.rowsInserted.connect(self.update)
        self.model.rowsRemoved.connect(self.update)
        self.model.headerDataChanged.connect(self.update)
        self.setMinimumWidth(self._painter.geometry.width)
        self.setMinimumHeight(self._painter.geometry.header_h + 5 * self._painter.geometry.row_h)

    # -- appearance -----------------------------------------------------------------------------------
    def _make_font(self) -> QFont:
        font = QFont("DejaVu Sans Mono")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setFamilies(["Consolas", "DejaVu Sans Mono", "Liberation Mono", "Monospace"])
        font.setPointSize(self._font_size)
        return font

    @property
    def font_size(self) -> int:
        return self._font_size

    @property
    def row_height(self) -> int:
        return self._painter.geometry.row_h

    @property
    def header_height(self) -> int:
        return self._painter.geometry.header_h

    def set_font_size(self, size: int) -> None:
        size = max(MIN_FONT, min(MAX_FONT, int(size)))
        if size == self._font_size:
            return
        self._font_size = size
        self._restyle()
        self.zoomChanged.emit(size)

    def zoom(self, step: int) -> None:
        self.set_font_size(self._font_size + step)

    @property
    def theme(self) -> Theme:
        return self._theme

    @property
    def ladder_font(self) -> QFont:
        return QFont(self._painter.font)

    def tag_column_rect(self) -> QRect:
        """The rightmost column shown (its x range, full height): where an overlay tags a row."""
        g = self._painter.geometry
        last = self._painter.shown[-1]
        return QRect(g.xs[last], 0, g.widths[last], self.height())

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self._restyle()

    # -- columns (header's context menu) --------------------------------------------------------------
    def columns(self) -> tuple[int, ...]:
        """The columns shown, in display order."""
        return self._painter.shown

    def set_columns(self, shown: Sequence[int]) -> None:
        """Show these columns in this order; unknown numbers are dropped, and an empty choice (or one
        without Buy, Price or Sell) is refused: a ladder without them is not a ladder."""
        clean = tuple(dict.fromkeys(int(c) for c in shown if 0 <= int(c) < NCOLS))
        if not {Col.BUY, Col.PRICE, Col.SELL} <= set(clean) or clean == self._painter.shown:
            return
        self._painter.shown = clean
        self._restyle()
        self.columnsChanged.emit(clean)

    @property
    def dense(self) -> bool:
        return self._painter.dense

    def set_dense(self, dense: bool) -> None:
        """Narrower columns (the compact layout): less padding, room for slightly smaller numbers."""
        if bool(dense) != self._painter.dense:
            self._painter.dense = bool(dense)
            self._restyle()
            self.columnsChanged.emit(self._painter.shown)

    def build_columns_menu(self, col: int | None = None) -> QMenu:
        """Show/hide each column; move the one under the cursor left or right; reset."""
        menu = QMenu(self)
        menu.setObjectName("ladderColumnsMenu")
        shown = list(self.columns())
        for c in range(NCOLS):
            action = menu.addAction(_COLUMN_NAMES[c].replace("&", "&&"))
            action.setCheckable(True)
            action.setChecked(c in shown)
            action.setEnabled(c not in (Col.BUY, Col.PRICE, Col.SELL))  # the ladder itself stays
            action.toggled.connect(lambda on, c=c: self.set_columns(
                [x for x in self.columns() if x != c] + ([c] if on else [])))
        if col is not None and col in shown:
            menu.addSeparator()
            i = shown.index(col)
            name = _COLUMN_NAMES[col].replace("&", "&&")
            left = menu.addAction(f"Move {name} left")
            left.setEnabled(i > 0)
            left.triggered.connect(lambda: self.set_columns(_swap(shown, i, i - 1)))
            right = menu.addAction(f"Move {name} right")
            right.setEnabled(i < len(shown) - 1)
            right.triggered.connect(lambda: self.set_columns(_swap(shown, i, i + 1)))
        menu.addSeparator()
        menu.addAction("Reset columns", lambda: self.set_columns(range(NCOLS)))
        return menu

    def _restyle(self) -> None:
        centre = self.centre_price()
        self._painter.set_style(self._theme, self._make_font())
        g = self._painter.geometry
        self.setMinimumWidth(g.width)
        self.setMinimumHeight(g.header_h + 5 * g.row_h)
        self.updateGeometry()
        self._fit_window(centre)
        self.update()

    def sizeHint(self) -> QSize:
        g = self._painter.geometry
        return QSize(g.width, g.header_h + 41 * g.row_h)

    def set_stale(self, text: str) -> None:
        """Mark the ladder's data stale (text shown in the tooltip of the header); '' clears it."""
        if text != self._stale:
            self._stale = text
            self.update()

    @property
    def stale(self) -> str:
        return self._stale

    # -- window of prices -----------------------------------------------------------------------------
    def visible_rows(self) -> int:
        g = self._painter.geometry
        return max(1, math.ceil(max(0, self.height() - g.header_h) / g.row_h))

    def centre_price(self) -> int | None:
        if self.model.rowCount() == 0:
            return None
        return self.model.top - self.model.rowCount() // 2

    def _fit_window(self, centre: int | None) -> None:
        rows = self.visible_rows()
        if centre is None:
            snap = self.model.snapshot
            if snap is None:
                self.model.set_window(self.model.top, rows)
                return
            centre = snap.ladder.spot_tick
        self.model.set_window(centre + rows // 2, rows)

    def scroll_ticks(self, ticks: int) -> None:
        """Move the window up (positive: higher prices) by whole ticks; pauses auto-recenter."""
        if not ticks:
            return
        self.model.set_window(self.model.top + ticks, self.model.rowCount())
        self._set_paused(True)

    def recenter(self) -> None:
        """Put spot on the middle row and resume auto-recenter."""
        snap = self.model.snapshot
        self._set_paused(False)
        if snap is None:
            return
        rows = self.model.rowCount() or self.visible_rows()
        self.model.set_window(recenter.centred_top(snap.ladder.spot_tick, rows), rows)

    @property
    def auto_recenter_paused(self) -> bool:
        return self._paused

    def _set_paused(self, paused: bool) -> None:
        if paused != self._paused:
            self._paused = paused
            self.autoRecenterPausedChanged.emit(paused)

    def apply_snapshot(self, snapshot: LadderSnapshot) -> None:
        """Show a new ladder; recenter first if spot left the middle band (or on the first snapshot)."""
        rows = self.model.rowCount() or self.visible_rows()
        spot_tick = snapshot.ladder.spot_tick
        if not self._centred_once or (self.auto_recenter and not self._paused
                                      and recenter.outside_band(self.model.top, rows, spot_tick,
                                                                self.recenter_band)):
            self._centred_once = True
            self.model.set_window(recenter.centred_top(spot_tick, rows), rows, snapshot)
        else:
            self.model.set_snapshot(snapshot)
        self._update_spot_mark()

    def _update_spot_mark(self) -> None:
        """Repaint the old and the new spot mark's rows when spot moved. dataChanged repaints only rows
        with a changed cell, and a flat stretch of the book has none, so without this the old line
        stays drawn beside the new one."""
        new = self._painter.spot_rect(self.model, self.width(), self.height())
        old = self._spot_rect
        if new == old:
            return
        for rect in (old, new):
            if rect is not None:
                self.update(rect)

    # -- events ---------------------------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_window(self.centre_price())

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        try:
            self._painter.paint(p, self.model, self.width(), self.height(), 0, self._stale)
            for layer in self.layers:
                layer.paint(p)
        finally:
            p.end()
        self._spot_rect = self._painter.spot_rect(self.model, self.width(), self.height())

    def _on_data_changed(self, top_left: QModelIndex, bottom_right: QModelIndex, roles: Any = None) -> None:
        g = self._painter.geometry
        y0 = g.header_h + top_left.row() * g.row_h
        y1 = g.header_h + (bottom_right.row() + 1) * g.row_h
        # Whole rows: the spot line and markers span columns (still only the rows that changed).
        self.update(QRect(0, y0, self.width(), y1 - y0))

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120
        ticks = round(steps * WHEEL_TICKS) or (1 if steps > 0 else -1 if steps < 0 else 0)
        self.scroll_ticks(ticks)
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if key == Qt.Key.Key_Space and not ctrl:
            self.recenter()
            self.recenterRequested.emit()
        elif ctrl and key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom(+1)
        elif ctrl and key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.zoom(-1)
        elif key == Qt.Key.Key_Up:
            self.scroll_ticks(1)
        elif key == Qt.Key.Key_Down:
            self.scroll_ticks(-1)
        elif key == Qt.Key.Key_PageUp:
            self.scroll_ticks(max(1, self.model.rowCount() - 2))
        elif key == Qt.Key.Key_PageDown:
            self.scroll_ticks(-max(1, self.model.rowCount() - 2))
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def row_at_y(self, y: int) -> int | None:
        g = self._painter.geometry
        if y < g.header_h:
            return None
        row = (y - g.header_h) // g.row_h
        return row if 0 <= row < self.model.rowCount() else None

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            pos = event.pos()
            row = self.row_at_y(pos.y())
            col = self._painter.geometry.column_at(pos.x())
            if row is None and col is not None and self._stale:
                QToolTip.showText(event.globalPos(), f"STALE: {self._stale}", self)
            elif row is not None and col is not None:
                text = self.model.tooltip(row, col)
                if text:
                    QToolTip.showText(event.globalPos(), text, self)
                else:
                    QToolTip.hideText()
            return True
        return super().event(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        if event.pos().y() < self._painter.geometry.header_h:  # the header: which columns, in what order
            menu = self.build_columns_menu(self._painter.geometry.column_at(event.pos().x()))
            menu.exec(event.globalPos())
            menu.deleteLater()
            return
        row = self.row_at_y(event.pos().y())
        if row is None:
            return
        menu = self.build_context_menu(row)
        menu.exec(event.globalPos())
        menu.deleteLater()

    # -- what-if menu ---------------------------------------------------------------------------------
    def build_context_menu(self, row: int) -> QMenu:
        """The right-click menu of a level: add a what-if order of a chosen quantity, or remove them."""
        price = self.model.price_at(row)
        product = self.model.product
        menu = QMenu(self)
        menu.setObjectName("whatIfMenu")
        title = QLabel(f"  What-if at {price_style.ticks(price, product)} — hypothetical, never sent to TT  ")
        title.setObjectName("paneTitle")
        head = QWidgetAction(menu)
        head.setDefaultWidget(title)
        menu.addAction(head)
        qty = QSpinBox()
        qty.setObjectName("whatIfQty")
        qty.setRange(1, 100000)
        qty.setValue(self.what_if_qty)
        qty.setPrefix("Qty  ")
        qty_action = QWidgetAction(menu)
        qty_action.setDefaultWidget(qty)
        menu.addAction(qty_action)
        menu.addSeparator()
        for side, order_type, label in ((Side.BUY, OrderType.LIMIT, "Buy limit"),
                                         (Side.SELL, OrderType.LIMIT, "Sell limit"),
                                         (Side.BUY, OrderType.STOP, "Buy stop"),
                                         (Side.SELL, OrderType.STOP, "Sell stop")):
            text = f"What-if {label.lower()} at {price_style.ticks(price, product)}"
            mark = self._spot_mark(side, order_type, price)
            if mark == "through":
                text += "  (through spot: shown, not applied)"
            elif mark == "at_spot":
                text += "  (at spot: fills on the first move " + (
                    "down)" if (side is Side.BUY) == (order_type != OrderType.STOP) else "up)")
            action = menu.addAction(text)
            action.setObjectName(f"whatIf_{side.name.lower()}_{order_type.value}")
            action.triggered.connect(
                lambda _=False, s=side, t=order_type: self._request_what_if(s, t, price, qty.value()))
        cells = self.model.cells(row)
        if cells.row is not None and (cells.row.what_if_buy or cells.row.what_if_sell):
            menu.addSeparator()
            remove = menu.addAction(f"Remove what-if orders at {price_style.ticks(price, product)}")
            remove.setObjectName("whatIfRemove")
            remove.triggered.connect(lambda _=False: self.whatIfRemoveRequested.emit(price))
        menu.addSeparator()
        centre = menu.addAction("Recenter on spot\tSpace")
        centre.triggered.connect(lambda _=False: (self.recenter(), self.recenterRequested.emit()))
        return menu

    def _spot_mark(self, side: Side, order_type: OrderType, price: int) -> str:
        """How such an order would stand against spot ("", "at_spot" or "through": the domain's rule,
        DESIGN §3.4), to say so in the menu before the trader adds it; the projection stays the domain's."""
        snap = self.model.snapshot
        if snap is None:
            return ""
        return spot_mark(side is Side.BUY, order_type, price, snap.spot.ticks(snap.product))

    def _request_what_if(self, side: Side, order_type: OrderType, price: int, qty: int) -> None:
        self.what_if_qty = qty
        self.whatIfRequested.emit((side, order_type, price, qty))


_COLUMN_NAMES = ("Buy", "Price", "Sell", "Position", "P&L", "Risk", "Breakeven (B/E)")


def _swap(items: list[int], i: int, j: int) -> list[int]:
    out = list(items)
    out[i], out[j] = out[j], out[i]
    return out
