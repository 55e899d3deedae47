"""The ladder's table model: a fixed window of price rows whose cells follow the latest domain ladder.

Why a window and a diff: MD Trader's price column never jumps. The model keeps a stable window of
prices (`top` = the highest tick shown, one row per tick going down) that only moves when the view
scrolls or recenters; a new snapshot only changes values, and the model emits `dataChanged` for exactly
the cells whose text or decoration changed (per column, per run of adjacent rows) — never a model reset,
so the view repaints a few cells instead of relaying out the table.

Every number comes from `zn_ladder.domain.ladder.Ladder` (its rows are built lazily, so reading the
~200 visible rows is cheap). The model only formats: dollars or ticks, thousands separators, TT prices.
"""

from __future__ import annotations

from enum import IntEnum
from fractions import Fraction
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from zn_ladder.domain.instruments import Product, get_product
from zn_ladder.domain.prices import decimal_text, format_ticks
from zn_ladder.domain.records import OrderType, Side
from zn_ladder.ui.money import dollars
from zn_ladder.ui.ladder.explain import at_spot_sides, level_tooltip, pnl_tooltip, price_tooltip, through_sides
from zn_ladder.workers.snapshots import LadderSnapshot


class Col(IntEnum):
    BUY = 0
    PRICE = 1
    SELL = 2
    POSITION = 3
    PNL = 4
    RISK = 5
    BREAKEVEN = 6


HEADERS = ("Buy", "Price", "Sell", "Pos", "P&L $", "Risk $", "B/E t")
HEADER_TIPS = (
    "Working buy quantity at the level (what-if orders included, drawn dashed)",
    "Price, in the format chosen in Settings (Ladder > Price format)",
    "Working sell quantity at the level (what-if orders included, drawn dashed)",
    "Position if price walks here from spot and the working orders on the way fill",
    "Projected P&L at the level (dollars or ticks, see View > P&L units)",
    "Risk at the level: position x tick value (dollars per tick)",
    "Breakeven (B/E), in ticks: projected P&L / risk, i.e. how many ticks price must move against the\n"
    "position at this level to lose the projected P&L. Read it as a cushion: +8.0 means eight ticks of\n"
    "room. Blank where P&L or risk is 0; — where the ratio is beyond ±1,000 ticks (a tiny risk makes\n"
    "it huge and meaningless).",
)
#: Beyond this many ticks a breakeven ratio says nothing a trader can use (risk is tiny): shown as —.
BREAKEVEN_LIMIT_TICKS = 1000
NCOLS = len(HEADERS)

#: The domain's exact value of a cell (int ticks/qty, Fraction dollars).
RawRole = int(Qt.ItemDataRole.UserRole) + 1
#: The painter's decoration for a cell (see `_cells`).
DecorRole = int(Qt.ItemDataRole.UserRole) + 2
#: Shading levels of P&L cells by magnitude (0 = none).
SHADES = 8

_ALIGN = {
    Col.BUY: Qt.AlignmentFlag.AlignCenter, Col.PRICE: Qt.AlignmentFlag.AlignCenter,
    Col.SELL: Qt.AlignmentFlag.AlignCenter,
}
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def money(value: float) -> str:
    text = f"{value:,.0f}"
    return "0" if text == "-0" else text


def ticks_text(value: float) -> str:
    text = f"{value:,.1f}"
    return "0.0" if text == "-0.0" else text


class RowCells:
    """One row's formatted cells and paint decorations, compared cell by cell to find what changed."""

    __slots__ = ("price", "texts", "decor", "row")

    def __init__(self, price: int, texts: tuple[str, ...], decor: tuple[Any, ...], row: Any) -> None:
        self.price = price
        self.texts = texts
        self.decor = decor
        self.row = row


class LadderModel(QAbstractTableModel):
    """Rows are prices `top, top-1, ... top-rows+1` (ticks). `set_snapshot` updates values in place."""

    #: The price window moved: (high tick, low tick). The owner projects at least this range.
    windowChanged = Signal(int, int)

    def __init__(self, product: Product | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._product = product or get_product("ZN")
        self._top = 0
        self._rows = 0
        self._snapshot: LadderSnapshot | None = None
        self._pnl_units = "dollars"
        self._cells: list[RowCells] = []
        self._price_text: dict[int, str] = {}
        self._price_style = "tt"

    # -- state ----------------------------------------------------------------------------------------
    @property
    def product(self) -> Product:
        return self._product

    @property
    def top(self) -> int:
        return self._top

    @property
    def snapshot(self) -> LadderSnapshot | None:
        return self._snapshot

    @property
    def pnl_units(self) -> str:
        return self._pnl_units

    def price_at(self, row: int) -> int:
        return self._top - row

    def row_of(self, price_ticks: int) -> int | None:
        row = self._top - price_ticks
        return row if 0 <= row < self._rows else None

    def cells(self, row: int) -> RowCells:
        """Fast path for the painter: the cached cells of a row."""
        return self._cells[row]

    # -- updates --------------------------------------------------------------------------------------
    def set_window(self, top: int, rows: int, snapshot: LadderSnapshot | None = None) -> None:
        """Show `rows` prices from `top` down. Rows are added/removed at the bottom; values shift.

        With `snapshot`, the new values and the new window are applied in one refresh, and
        `windowChanged` is emitted only after it: an owner that re-projects synchronously in reply then
        lands its newer snapshot last, instead of being overwritten by this one.
        """
        rows = max(0, int(rows))
        if snapshot is not None:
            self._take(snapshot)
        if top == self._top and rows == self._rows:
            if snapshot is not None:
                self._refresh()
            return
        if rows < self._rows:
            self.beginRemoveRows(QModelIndex(), rows, self._rows - 1)
            self._rows = rows
            del self._cells[rows:]
            self.endRemoveRows()
        elif rows > self._rows:
            self.beginInsertRows(QModelIndex(), self._rows, rows - 1)
            old_top = self._top
            self._cells.extend(self._build(old_top - r, None) for r in range(self._rows, rows))
            self._rows = rows
            self.endInsertRows()
        moved = top != self._top
        self._top = top
        self._refresh()
        if moved and self._rows:
            self.headerDataChanged.emit(Qt.Orientation.Vertical, 0, self._rows - 1)
        if self._snapshot is not None:  # before the first ladder the window is 0'000 down: not a range
            self.windowChanged.emit(self._top, self._top - max(self._rows, 1) + 1)

    def set_snapshot(self, snapshot: LadderSnapshot) -> None:
        self._take(snapshot)
        self._refresh()

    def _take(self, snapshot: LadderSnapshot) -> None:
        if snapshot.product != self._product:
            self._product = snapshot.product
            self._price_text.clear()
        self._snapshot = snapshot

    def set_pnl_units(self, units: str) -> None:
        if units not in ("dollars", "ticks"):
            raise ValueError(f"P&L units must be 'dollars' or 'ticks', not {units!r}")
        if units != self._pnl_units:
            self._pnl_units = units
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, Col.PNL, Col.PNL)
            self._refresh()

    def set_price_style(self, style: str) -> None:
        """Price column format: tt (default), cme, decimal or pricing_monkey."""
        if style not in ("tt", "cme", "decimal", "pricing_monkey"):
            raise ValueError(f"unknown price style {style!r}")
        if style != self._price_style:
            self._price_style = style
            self._price_text.clear()
            self._refresh()

    def _refresh(self) -> None:
        """Rebuild the window's cells and emit dataChanged for the cells that differ."""
        snap = self._snapshot
        ladder = snap.ladder if snap is not None else None
        rows = [ladder.row_at(self._top - r) if ladder is not None else None for r in range(self._rows)]
        scale = max((abs(float(r.projected_pnl)) for r in rows if r is not None), default=0.0)
        context = self._context(scale)
        new = [self._build(self._top - i, row, context) for i, row in enumerate(rows)]
        old = self._cells
        self._cells = new
        for col in range(NCOLS):
            start = None
            for r in range(self._rows):
                changed = r >= len(old) or old[r].texts[col] != new[r].texts[col] \
                    or old[r].decor[col] != new[r].decor[col]
                if changed and start is None:
                    start = r
                elif not changed and start is not None:
                    self.dataChanged.emit(self.index(start, col), self.index(r - 1, col), [])
                    start = None
            if start is not None:
                self.dataChanged.emit(self.index(start, col), self.index(self._rows - 1, col), [])

    def _context(self, scale: float) -> tuple[Any, ...]:
        snap = self._snapshot
        avg_tick = None
        orders: dict[str, Any] = {}
        stops: dict[tuple[int, bool], int] = {}  # (price, buy) -> stop quantity resting there
        if snap is not None:
            if snap.average_open_price is not None:
                avg_tick = snap.average_open_price.tick_floor(self._product)
            orders = {o.order_id: o for o in snap.orders}
            for o in snap.orders:
                if o.order_type == OrderType.STOP:
                    key = (o.price, o.side is Side.BUY)
                    stops[key] = stops.get(key, 0) + o.quantity
        tick_value = float(self._product.tick_value)
        return scale, avg_tick, orders, tick_value, stops

    def _price(self, price: int) -> str:
        text = self._price_text.get(price)
        if text is None:
            text = self._price_text[price] = format_ticks(price, self._product, self._price_style)
        return text

    def _build(self, price: int, row: Any, context: tuple[Any, ...] | None = None) -> RowCells:
        price_text = self._price(price)
        if row is None or context is None:
            return RowCells(price, ("", price_text, "", "", "", "", ""),
                            (None, (False, False), None, 0, 0, None, None), None)
        scale, avg_tick, orders, tick_value, stops = context
        pnl = float(row.projected_pnl)
        pnl_text = money(pnl) if self._pnl_units == "dollars" else ticks_text(pnl / tick_value)
        shade = 0
        if scale > 0 and pnl:
            shade = max(1, min(SHADES, round(SHADES * abs(pnl) / scale))) * (1 if pnl > 0 else -1)
        through_buy, through_sell = through_sides(row, orders)
        at_buy, at_sell = at_spot_sides(row, orders)
        # The mark of a working-quantity cell: False, "through" (cannot fill from spot) or, for orders
        # resting at an on-tick spot, "at_spot_down" / "at_spot_up" / "at_spot_both" (where they fill).
        mark_buy = "through" if through_buy else f"at_spot_{at_buy}" if at_buy else False
        mark_sell = "through" if through_sell else f"at_spot_{at_sell}" if at_sell else False
        texts = (
            _qty_text(row.buy_qty, row.what_if_buy), price_text, _qty_text(row.sell_qty, row.what_if_sell),
            f"{row.position:+d}" if row.position else "0",
            pnl_text,
            money(float(row.risk)),
            breakeven_text(row.breakeven),
        )
        # Buy/sell decor: (what-if qty, mark, stop qty) — stops are outlined and tagged "S".
        decor = (
            (row.what_if_buy, mark_buy, stops.get((price, True), 0)) if row.buy_qty else None,
            (row.is_spot, price == avg_tick),
            (row.what_if_sell, mark_sell, stops.get((price, False), 0)) if row.sell_qty else None,
            (row.position > 0) - (row.position < 0),
            shade,
            (row.risk > 0) - (row.risk < 0),
            None,
        )
        return RowCells(price, texts, decor, row)

    # -- Qt model interface ---------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else NCOLS

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < self._rows):
            return None
        cells = self._cells[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return cells.texts[col]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_ALIGN.get(Col(col), _RIGHT))
        if role == RawRole:
            return self._raw(cells, col)
        if role == DecorRole:
            return cells.decor[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(index.row(), col)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < NCOLS:
            if role == Qt.ItemDataRole.DisplayRole:
                if section == Col.PNL and self._pnl_units == "ticks":
                    return "P&L t"
                return HEADERS[section]
            if role == Qt.ItemDataRole.ToolTipRole:
                return HEADER_TIPS[section]
        if orientation == Qt.Orientation.Vertical and 0 <= section < self._rows:
            if role == Qt.ItemDataRole.DisplayRole:
                return self._price(self.price_at(section))
        return None

    # -- cell meaning ---------------------------------------------------------------------------------
    def _raw(self, cells: RowCells, col: int) -> Any:
        if col == Col.PRICE:
            return cells.price
        row = cells.row
        if row is None:
            return None
        return (row.buy_qty, None, row.sell_qty, row.position, row.projected_pnl, row.risk, row.breakeven)[col]

    def tooltip(self, r: int, col: int) -> str:
        if not (0 <= r < self._rows):
            return ""
        cells = self._cells[r]
        snap = self._snapshot
        row = cells.row
        price_text = self._price(cells.price)
        if col == Col.PRICE:
            avg = snap.average_open_price if snap is not None else None
            spot = snap.spot if snap is not None else None
            return price_tooltip(cells.price, self._product, spot, avg)
        if row is None:
            return ""
        if col in (Col.BUY, Col.SELL):
            orders = {o.order_id: o for o in snap.orders} if snap is not None else {}
            return level_tooltip(row, col == Col.BUY, orders, self._product, snap.spot if snap else None)
        if col == Col.PNL:
            return pnl_tooltip(row, self._product, price_text)
        if col == Col.RISK:
            return (f"Risk at {price_text}: position {row.position:+d} x ${_exact(self._product.tick_value)}"
                    f" = {dollars(Fraction(row.risk))} per tick")
        if col == Col.POSITION:
            text = f"Position at {price_text} after the orders on the way from spot fill: {row.position:+d}"
            if getattr(row, "at_spot", ()):
                text += ("\nOrders resting at spot have not filled here: this is the current position; they "
                         "count from the first tick away in their direction.")
            return text
        if col == Col.BREAKEVEN:
            if not row.breakeven:
                return "Breakeven: blank where P&L or risk is 0"
            ratio = f"Breakeven at {price_text}: P&L / risk = {float(row.breakeven):,.2f} ticks"
            if abs(row.breakeven) > BREAKEVEN_LIMIT_TICKS:
                return (f"{ratio}: beyond ±{BREAKEVEN_LIMIT_TICKS:,} ticks, so shown as — (the risk here is "
                        f"tiny; the ratio means nothing)")
            return ratio
        return ""

    def spot_ticks(self) -> Fraction | None:
        """Spot in exact ticks (may lie between ticks), for the spot line."""
        if self._snapshot is None:
            return None
        return self._snapshot.spot.ticks(self._product)


def breakeven_text(breakeven: Any) -> str:
    """Blank for 0, — beyond ±`BREAKEVEN_LIMIT_TICKS` (56,869.3 ticks is noise, not a cushion)."""
    if not breakeven:
        return ""
    if abs(breakeven) > BREAKEVEN_LIMIT_TICKS:
        return "—"
    return ticks_text(float(breakeven))


def _qty_text(qty: int, what_if: int) -> str:
    if not qty:
        return ""
    real = qty - what_if
    if what_if and real:
        return f"{real}+{what_if}"
    return str(qty)


def _exact(value: Fraction) -> str:
    text = decimal_text(Fraction(value))
    whole, dot, frac = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    return f"{sign}{int(whole):,}{dot}{frac}"
