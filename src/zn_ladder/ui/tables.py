"""Declarative record tables: the working-order grid and today's fills.

Like vn.py's monitors, a table is a list of `Column`s — title, how to read the value from a record, how
to print it — so a new column is one line. The model keeps rows in arrival order and updates them in
place by key (inserted, removed, or changed cells only), so selection and scroll position survive a poll;
sorting and filtering are a `QSortFilterProxyModel` on top, sorting on the raw value (ticks, ns) rather
than the printed text.

Filter syntax: words separated by spaces, all must match; `side:B` or `acc:DESK` restricts a word to the
column whose title starts with the part before the colon; a bare word may match any column.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import (QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt,
                            Signal)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QTableView, QVBoxLayout,
                               QWidget)

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.instruments import Product, product_of_contract
from zn_ladder.domain.prices import format_ticks
from zn_ladder.domain.records import Fill, OrderType, Side, WorkingOrder

SortRole = int(Qt.ItemDataRole.UserRole) + 10
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_CENTER = int(Qt.AlignmentFlag.AlignCenter)


@dataclass(frozen=True, slots=True)
class Column:
    title: str
    value: Callable[[Any], Any]
    text: Callable[[Any, Any], str] = lambda value, record: "" if value is None else str(value)
    align: int = _LEFT
    width: int = 80
    #: "side" colours the cell blue/red by the record's side.
    color: str = ""


_products: dict[str, Product | None] = {}


def _product(contract: str) -> Product | None:
    if contract not in _products:
        try:
            _products[contract] = product_of_contract(contract)
        except InputError:
            _products[contract] = None
    return _products[contract]


def price_text(ticks: int | None, record: Any) -> str:
    if ticks is None:
        return ""
    product = _product(record.contract)
    return format_ticks(ticks, product) if product is not None else str(ticks)


def time_text(ns: int, record: Any) -> str:
    if not ns:
        return ""
    return datetime.fromtimestamp(ns / 1e9).strftime("%H:%M:%S")


def side_text(side: Side, record: Any) -> str:
    return "BUY" if side is Side.BUY else "SELL"


def type_text(order: WorkingOrder) -> str:
    if order.order_type == OrderType.STOP:
        return "Stop limit" if order.limit_price is not None else "Stop"
    return "Limit"


ORDER_COLUMNS: tuple[Column, ...] = (
    Column("Time", lambda o: o.time_ns, time_text, _CENTER, 70),
    Column("Account", lambda o: o.account, width=80),
    Column("Contract", lambda o: o.contract, width=80),
    Column("Side", lambda o: o.side, side_text, _CENTER, 52, color="side"),
    Column("Type", type_text, width=70),
    Column("Price", lambda o: o.price, price_text, _RIGHT, 80),
    Column("Qty", lambda o: o.order_qty or o.quantity, align=_RIGHT, width=56),
    Column("Leaves", lambda o: o.quantity, align=_RIGHT, width=66),
    Column("Status", lambda o: o.status, width=96),
    Column("Order ID", lambda o: o.order_id, width=120),
)

FILL_COLUMNS: tuple[Column, ...] = (
    Column("Time", lambda f: f.time_ns, time_text, _CENTER, 70),
    Column("Account", lambda f: f.account, width=80),
    Column("Contract", lambda f: f.contract, width=80),
    Column("Side", lambda f: f.side, side_text, _CENTER, 52, color="side"),
    Column("Qty", lambda f: f.qty, align=_RIGHT, width=56),
    Column("Price", lambda f: f.price, price_text, _RIGHT, 80),
    Column("Order ID", lambda f: f.order_id, width=110),
    Column("Exec ID", lambda f: f.exec_id or f.key, width=110),
    Column("Source", lambda f: f.source, width=70),
)


def order_key(order: WorkingOrder) -> str:
    return order.order_id


def fill_key(fill: Fill) -> str:
    return fill.key


class RecordTableModel(QAbstractTableModel):
    """Rows of frozen records, one per key, updated in place."""

    def __init__(self, columns: Sequence[Column], key: Callable[[Any], str], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self._key = key
        self._records: list[Any] = []
        self._texts: list[tuple[str, ...]] = []
        self._values: list[tuple[Any, ...]] = []
        self._row_of: dict[str, int] = {}
        self.side_colors = (QColor("#4a90e2"), QColor("#ff5a5f"))

    def records(self) -> tuple[Any, ...]:
        return tuple(self._records)

    def _cells(self, record: Any) -> tuple[tuple[Any, ...], tuple[str, ...]]:
        values = tuple(c.value(record) for c in self.columns)
        return values, tuple(c.text(v, record) for c, v in zip(self.columns, values))

    def set_records(self, records: Sequence[Any]) -> None:
        """Replace the content: rows whose key vanished are removed, new keys appended, others updated."""
        new_by_key = {self._key(r): r for r in records}
        gone = [i for i, r in enumerate(self._records) if self._key(r) not in new_by_key]
        for i in reversed(gone):  # contiguous runs would be nicer; removals are rare and few
            self.beginRemoveRows(QModelIndex(), i, i)
            del self._records[i], self._texts[i], self._values[i]
            self.endRemoveRows()
        if gone:
            self._row_of = {self._key(r): i for i, r in enumerate(self._records)}
        ncols = len(self.columns)
        for i, old in enumerate(self._records):
            new = new_by_key[self._key(old)]
            if new is old or new == old:
                continue
            values, texts = self._cells(new)
            changed = [c for c in range(ncols) if texts[c] != self._texts[i][c] or values[c] != self._values[i][c]]
            self._records[i], self._values[i], self._texts[i] = new, values, texts
            if changed:
                self.dataChanged.emit(self.index(i, min(changed)), self.index(i, max(changed)), [])
        added = [r for k, r in new_by_key.items() if k not in self._row_of]
        if added:
            start = len(self._records)
            self.beginInsertRows(QModelIndex(), start, start + len(added) - 1)
            for r in added:
                values, texts = self._cells(r)
                self._row_of[self._key(r)] = len(self._records)
                self._records.append(r)
                self._values.append(values)
                self._texts.append(texts)
            self.endInsertRows()

    # -- Qt model interface ---------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._records)):
            return None
        r, c = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._texts[r][c]
        if role == SortRole:
            value = self._values[r][c]
            return int(value) if isinstance(value, Side) else value
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.columns[c].align
        if role == Qt.ItemDataRole.ForegroundRole and self.columns[c].color == "side":
            return self.side_colors[0] if self._values[r][c] is Side.BUY else self.side_colors[1]
        if role == Qt.ItemDataRole.ToolTipRole and getattr(self._records[r], "what_if", False):
            return "What-if order: hypothetical, never sent to TT"
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.columns[section].title
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return self.columns[section].align
        return None


class RecordFilterProxy(QSortFilterProxyModel):
    """Sorts on raw values and filters with `word` / `column:word` terms (see the module docstring)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SortRole)
        self._terms: list[tuple[int | None, str]] = []

    def set_filter_text(self, text: str) -> None:
        source = self.sourceModel()
        titles = [str(source.headerData(c, Qt.Orientation.Horizontal)).lower().replace(" ", "")
                  for c in range(source.columnCount())] if source is not None else []
        terms: list[tuple[int | None, str]] = []
        for word in text.lower().split():
            column, sep, needle = word.partition(":")
            if sep and column:
                match = next((i for i, t in enumerate(titles) if t.startswith(column)), None)
                terms.append((match if match is not None else -1, needle))
            else:
                terms.append((None, word))
        if hasattr(self, "beginFilterChange"):  # Qt >= 6.9: the non-deprecated way
            self.beginFilterChange()
            self._terms = terms
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._terms = terms
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if not self._terms:
            return True
        model = self.sourceModel()
        cells = [str(model.index(source_row, c, source_parent).data()).lower() for c in range(model.columnCount())]
        for column, needle in self._terms:
            if column is None:
                if not any(needle in cell for cell in cells):
                    return False
            elif column < 0 or needle not in cells[column]:
                return False
        return True

    def lessThan(self, left: QModelIndex | QPersistentModelIndex, right: QModelIndex | QPersistentModelIndex) -> bool:
        a, b = left.data(SortRole), right.data(SortRole)
        try:
            return a < b
        except TypeError:
            return str(a) < str(b)


class RecordTable(QWidget):
    """Title, filter box and a sortable table over a `RecordTableModel`."""

    filterChanged = Signal(str)

    def __init__(self, title: str, columns: Sequence[Column], key: Callable[[Any], str], *,
                 sort_column: int = 0, descending: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = RecordTableModel(columns, key, self)
        self.proxy = RecordFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        head = QHBoxLayout()
        self.title = QLabel(title)
        self.title.setObjectName("paneTitle")
        self._title_text = title
        head.addWidget(self.title)
        self.stale_tag = QLabel("STALE")
        self.stale_tag.setObjectName("staleTag")
        self.stale_tag.hide()
        head.addWidget(self.stale_tag)
        head.addStretch(1)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter: text or column:value, e.g. side:buy acc:DESK")
        self.filter.setClearButtonEnabled(True)
        self.filter.setMinimumWidth(260)
        self.filter.textChanged.connect(self._on_filter)
        head.addWidget(self.filter)
        layout.addLayout(head)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(sort_column, Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.setShowGrid(False)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(20)
        header = self.view.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for i, column in enumerate(columns):
            self.view.setColumnWidth(i, column.width)
        layout.addWidget(self.view)

    def _on_filter(self, text: str) -> None:
        self.proxy.set_filter_text(text)
        self.filterChanged.emit(text)

    def set_records(self, records: Sequence[Any]) -> None:
        self.model.set_records(records)
        self._update_title()

    def _update_title(self) -> None:
        self.title.setText(f"{self._title_text}  ({self.model.rowCount()})")

    def set_stale(self, text: str) -> None:
        """Show the STALE tag with `text` as its tooltip; '' hides it. The rows stay on screen."""
        self.stale_tag.setVisible(bool(text))
        self.stale_tag.setToolTip(text)

    def set_side_colors(self, buy: str, sell: str) -> None:
        self.model.side_colors = (QColor(buy), QColor(sell))
