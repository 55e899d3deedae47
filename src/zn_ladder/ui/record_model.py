"""`RecordTableModel`: rows of frozen records (orders or fills), one per key, updated in place.

The model keeps rows in arrival order and updates them by key (inserted, removed, or changed cells
only), so selection and scroll position survive a poll; it sorts on the columns' raw values (ticks,
ns) rather than the printed text. The columns are data (`table_columns.py`).

It is built on `QStandardItemModel` without storing a single item there: the C++ class only keeps
the row and column counts, so `rowCount`, `columnCount` and `index` are answered in C++. A table
view painting through a filter proxy asks those for every role of every cell (about 16 calls a
cell); as Python overrides they were most of a table's paint time (orders table, 60 cells: 6,248
Python calls and ~7 ms a repaint; now 1,808, ~3-4 ms). Only `data`, `headerData` and `flags` are
Python. The counts cost a null pointer per cell (the journal's at most 5,000 rows: ~0.4 MB); the
fills table, 100k rows on a busy day, keeps its own model (`fills_model.PagedFillsModel`). Rows are
added and removed with `insertRows`/`removeRows` once the Python lists already hold the new state,
so the views, which read `data` only after the rows are in, see consistent rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QStandardItemModel

from zn_ladder.domain.records import Side
from zn_ladder.ui.table_columns import Column

SortRole = int(Qt.ItemDataRole.UserRole) + 10
#: The roles a paint asks, as plain ints (compared on every call of `data`).
DISPLAY_ROLE = int(Qt.ItemDataRole.DisplayRole)
ALIGN_ROLE = int(Qt.ItemDataRole.TextAlignmentRole)
FOREGROUND_ROLE = int(Qt.ItemDataRole.ForegroundRole)
TOOLTIP_ROLE = int(Qt.ItemDataRole.ToolTipRole)
ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
NO_FLAGS = Qt.ItemFlag.NoItemFlags


class RecordTableModel(QStandardItemModel):
    """Rows of frozen records, one per key, updated in place.

    Built for a busy day (tens of thousands of fills): cell texts are formatted lazily when a row is
    shown, and sorting happens here in Python's sort (one key per row) rather than in a proxy calling
    back into Python for every comparison. New rows are inserted at their sorted place.
    """

    def __init__(self, columns: Sequence[Column], key: Callable[[Any], str], parent: Any = None) -> None:
        super().__init__(0, len(columns), parent)
        self.columns = tuple(columns)
        self._aligns = tuple(int(c.align) for c in self.columns)
        self._key = key
        self._records: list[Any] = []
        self._keys: list[str] = []
        self._present: set[str] = set()
        self._texts: dict[str, tuple[str, ...]] = {}
        self._sort: tuple[int, bool] | None = None  # (column, descending)
        self.side_colors = (QColor("#4a90e2"), QColor("#ff5a5f"))
        #: (positive, negative) for "sign" columns.
        self.sign_colors = (QColor("#35c26b"), QColor("#ff5a5f"))

    def records(self) -> tuple[Any, ...]:
        return tuple(self._records)

    def record(self, row: int) -> Any:
        return self._records[row]

    def row_texts(self, row: int) -> tuple[str, ...]:
        key = self._keys[row]
        texts = self._texts.get(key)
        if texts is None:
            if len(self._texts) > 4000:  # rows scrolled past long ago: bounded memory on a 100k-fill day
                self._texts.clear()
            record = self._records[row]
            texts = self._texts[key] = tuple(c.text(c.value(record), record) for c in self.columns)
        return texts

    def refresh_texts(self) -> None:
        """Print every row again (the price format changed); rows, order and selection stay."""
        self._texts.clear()
        if self._records:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._records) - 1, len(self.columns) - 1), [])

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
            for k in self._keys[first:last + 1]:
                self._present.discard(k)
                self._texts.pop(k, None)
            del self._records[first:last + 1], self._keys[first:last + 1]
            self.removeRows(first, last - first + 1)

    def _insert(self, added: list[Any]) -> None:
        if self._sort is None or len(added) > 32:
            # many at once (the first snapshot of the day): append in one go, then one sort
            start = len(self._records)
            self._records.extend(added)
            self._keys.extend(map(self._key, added))
            self._present.update(self._keys[start:])
            self.insertRows(start, len(added))
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
            self._records.insert(lo, record)
            k = self._key(record)
            self._keys.insert(lo, k)
            self._present.add(k)
            self.insertRows(lo, 1)

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
    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        return ROW_FLAGS if index.isValid() else NO_FLAGS

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = DISPLAY_ROLE) -> Any:
        # Asked for every role of every cell painted: the two roles a paint needs are answered first,
        # with plain ints, and every other role the delegate asks about (font, check state, icon,
        # background...) leaves at once.
        r = index.row()
        if not 0 <= r < len(self._records):
            return None
        if role == DISPLAY_ROLE:
            return self.row_texts(r)[index.column()]
        if role == ALIGN_ROLE:
            return self._aligns[index.column()]
        if role != SortRole and role != FOREGROUND_ROLE and role != TOOLTIP_ROLE:
            return None
        c = index.column()
        if role == SortRole:
            value = self.columns[c].value(self._records[r])
            return int(value) if isinstance(value, Side) else value
        if role == FOREGROUND_ROLE and self.columns[c].color == "side":
            return self.side_colors[0] if self.columns[c].value(self._records[r]) is Side.BUY else self.side_colors[1]
        if role == FOREGROUND_ROLE and self.columns[c].color == "sign":
            value = self.columns[c].value(self._records[r])
            return None if not value else self.sign_colors[0] if value > 0 else self.sign_colors[1]
        if role == TOOLTIP_ROLE and getattr(self._records[r], "what_if", False):
            return "What-if order: hypothetical, never sent to TT"
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.columns[section].title
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return self.columns[section].align
            if role == Qt.ItemDataRole.ToolTipRole and self.columns[section].tip:
                return self.columns[section].tip
        return None
