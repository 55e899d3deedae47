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
from operator import attrgetter
from datetime import datetime
from typing import Any

from PySide6.QtCore import (QAbstractTableModel, QModelIndex, QPersistentModelIndex,
                            QSortFilterProxyModel, Qt, Signal)
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


#: Row identities: attrgetters, so keying a snapshot of thousands of records runs at C speed.
order_key: Callable[[WorkingOrder], str] = attrgetter("order_id")
fill_key: Callable[[Fill], str] = attrgetter("key")


class RecordTableModel(QAbstractTableModel):
    """Rows of frozen records, one per key, updated in place.

    Built for a busy day (tens of thousands of fills): cell texts are formatted lazily when a row is
    shown, and sorting happens here in Python's sort (one key per row) rather than in a proxy calling
    back into Python for every comparison. New rows are inserted at their sorted place.
    """

    def __init__(self, columns: Sequence[Column], key: Callable[[Any], str], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self._key = key
        self._records: list[Any] = []
        self._keys: list[str] = []
        self._present: set[str] = set()
        self._texts: dict[str, tuple[str, ...]] = {}
        self._sort: tuple[int, bool] | None = None  # (column, descending)
        self.side_colors = (QColor("#4a90e2"), QColor("#ff5a5f"))

    def records(self) -> tuple[Any, ...]:
        return tuple(self._records)

    def row_texts(self, row: int) -> tuple[str, ...]:
        key = self._keys[row]
        texts = self._texts.get(key)
        if texts is None:
            if len(self._texts) > 4000:  # rows scrolled past long ago: bounded memory on a 100k-fill day
                self._texts.clear()
            record = self._records[row]
            texts = self._texts[key] = tuple(c.text(c.value(record), record) for c in self.columns)
        return texts

    def _sort_value(self, record: Any, column: int) -> Any:
        value = self.columns[column].value(record)
        return (0, "") if value is None else (1, int(value) if isinstance(value, Side) else value)

    def set_records(self, records: Sequence[Any]) -> None:
        """Replace the content: rows whose key vanished are removed, new keys inserted, others updated.

        O(n) per call, but in C-level steps (map, dict, set) except for the records that are not the
        very same objects as before: a producer that reuses unchanged records keeps this cheap.
        """
        keys = list(map(self._key, records))
        new_by_key = dict(zip(keys, records))
        if len(new_by_key) < len(self._keys) or not self._present.issubset(new_by_key):
            self._remove_gone(new_by_key)
        news = list(map(new_by_key.__getitem__, self._keys))
        ncols = len(self.columns)
        recs = self._records
        for i in [i for i, (a, b) in enumerate(zip(recs, news)) if a is not b]:
            new = news[i]
            if new == recs[i]:
                recs[i] = new  # equal: adopt the new object so the next identity check is free
                continue
            k = self._keys[i]
            before = self.row_texts(i)
            recs[i] = new
            self._texts.pop(k, None)
            after = self.row_texts(i)
            changed = [c for c in range(ncols) if before[c] != after[c]] or list(range(ncols))
            self.dataChanged.emit(self.index(i, min(changed)), self.index(i, max(changed)), [])
        if len(new_by_key) > len(self._present):
            present = self._present
            self._insert([r for k, r in new_by_key.items() if k not in present])

    def _remove_gone(self, new_by_key: dict[str, Any]) -> None:
        gone = [i for i, k in enumerate(self._keys) if k not in new_by_key]
        # contiguous runs, from the bottom up so earlier row numbers stay valid
        runs: list[list[int]] = []
        for i in gone:
            if runs and runs[-1][1] == i - 1:
                runs[-1][1] = i
            else:
                runs.append([i, i])
        for first, last in reversed(runs):
            self.beginRemoveRows(QModelIndex(), first, last)
            for k in self._keys[first:last + 1]:
                self._present.discard(k)
                self._texts.pop(k, None)
            del self._records[first:last + 1], self._keys[first:last + 1]
            self.endRemoveRows()

    def _insert(self, added: list[Any]) -> None:
        if self._sort is None or len(added) > 32:
            # many at once (the first snapshot of the day): append in one go, then one sort
            start = len(self._records)
            self.beginInsertRows(QModelIndex(), start, start + len(added) - 1)
            self._records.extend(added)
            self._keys.extend(map(self._key, added))
            self._present.update(self._keys[start:])
            self.endInsertRows()
            if self._sort is not None:
                column, descending = self._sort
                self.sort(column, Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder)
            return
        column, descending = self._sort
        if len(added) > 1:
            added = sorted(added, key=lambda r: self._sort_value(r, column), reverse=descending)
        for record in added:  # each at its place: a binary search on the sorted rows
            value = self._sort_value(record, column)
            lo, hi = 0, len(self._records)
            while lo < hi:
                mid = (lo + hi) // 2
                other = self._sort_value(self._records[mid], column)
                if (other > value) if descending else (other < value):
                    lo = mid + 1
                else:
                    hi = mid
            if descending:  # after equal values, so arrival order is kept among equals
                while lo < len(self._records) and self._sort_value(self._records[lo], column) == value:
                    lo += 1
            self.beginInsertRows(QModelIndex(), lo, lo)
            self._records.insert(lo, record)
            k = self._key(record)
            self._keys.insert(lo, k)
            self._present.add(k)
            self.endInsertRows()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            self._sort = None
            return
        descending = order == Qt.SortOrder.DescendingOrder
        self._sort = (column, descending)
        self.layoutAboutToBeChanged.emit()
        old_keys = self._keys
        pairs = sorted(zip(self._records, self._keys), key=lambda p: self._sort_value(p[0], column),
                       reverse=descending)
        self._records = [p[0] for p in pairs]
        self._keys = [p[1] for p in pairs]
        new_rows = {k: i for i, k in enumerate(self._keys)}
        persistent = self.persistentIndexList()
        if persistent:
            moved = [self.index(new_rows[old_keys[p.row()]], p.column()) for p in persistent]
            self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

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
            return self.row_texts(r)[c]
        if role == SortRole:
            value = self.columns[c].value(self._records[r])
            return int(value) if isinstance(value, Side) else value
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.columns[c].align
        if role == Qt.ItemDataRole.ForegroundRole and self.columns[c].color == "side":
            return self.side_colors[0] if self.columns[c].value(self._records[r]) is Side.BUY else self.side_colors[1]
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
        if isinstance(model, RecordTableModel):  # fast path: the cached texts, no QVariant round trips
            cells = [text.lower() for text in model.row_texts(source_row)]
        else:
            cells = [str(model.index(source_row, c, source_parent).data()).lower()
                     for c in range(model.columnCount())]
        for column, needle in self._terms:
            if column is None:
                if not any(needle in cell for cell in cells):
                    return False
            elif column < 0 or needle not in cells[column]:
                return False
        return True

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting is the source model's (one Python sort, not a C++ sort calling back per comparison);
        this proxy only filters and keeps the source's order."""
        source = self.sourceModel()
        if source is not None:
            source.sort(column, order)


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
