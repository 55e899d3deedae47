"""`PagedFillsModel`: today's fills table read from the store a page at a time.

Why: a busy day is 100,000+ fills and a table holding them all costs ~2.4 KB a fill (the records,
their keys, texts). This model keeps only the row ids in display order (an `array('q')`, 8 bytes a
fill) and the rows near what is on screen (`CACHE_ROWS`, with their printed texts), so its memory
stays flat in the day's fills. Every read runs on the store reader's thread (`workers.store_reader`,
a read-only connection beside the writer): the GUI thread never waits on the disk.

- Sorting is the store's (`ORDER BY` the column, the row id breaking ties); filtering is the filter
  box's syntax (`record_filter.RecordFilter`, the same as on the orders grid), run on the reader's
  thread over the rows streamed in display order.
- When the store changes (`refresh`), the ids are read again and the difference applied as Qt row
  moves: new fills inserted (at the top when sorted newest first), busted ones removed, a changed
  order a layout change that keeps the selection; the rows on screen are re-read (a correction
  changes a fill in place) and only cells whose text changed are repainted.
"""

from __future__ import annotations

import logging
import time
from array import array
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor

from zn_ladder.domain.records import Fill, Side
from zn_ladder.store.fill_pages import fill_ids, fills_by_id, iter_fills
from zn_ladder.ui.record_filter import RecordFilter
from zn_ladder.ui.record_model import ALIGN_ROLE, DISPLAY_ROLE, FOREGROUND_ROLE, NO_FLAGS, ROW_FLAGS, SortRole
from zn_ladder.ui.table_columns import Column, product_of_record
from zn_ladder.workers.snapshots import FillsQuery
from zn_ladder.workers.store_reader import StoreReader

log = logging.getLogger(__name__)
#: Rows read at once around a row the view asks for.
PAGE = 100
#: Rows kept printed (a few screens' worth); older ones are read again if scrolled back to.
CACHE_ROWS = 2000
#: Fill column title -> the `Fill` field it sorts by (`store.fill_pages.ORDER`).
SORT_FIELD = {"Time": "time_ns", "Account": "account", "Contract": "contract", "Side": "side", "Qty": "qty",
              "Price": "price", "Order ID": "order_id", "Exec ID": "exec_id", "Source": "source"}
#: A re-read after a store change waits this many times the last read's duration (the reader busy
#: at most a fifth of the time).
PACE = 4
#: More separate runs of rows than this in one change: a model reset is cheaper than the moves.
MAX_RUNS = 64


def _texts(columns: Sequence[Column], fill: Fill) -> tuple[str, ...]:
    return tuple(c.text(c.value(fill), fill) for c in columns)


def _read_ids(conn: Any, query: FillsQuery, field: str, descending: bool, columns: Sequence[Column],
              filt: RecordFilter | None) -> tuple[array, int]:
    """(ids in display order that pass the filter, every live fill's count): the reader's thread."""
    if filt is None:
        ids = fill_ids(conn, query.contract, query.account, query.market, order=field, descending=descending)
        return ids, len(ids)
    ids = array("q")
    total = 0
    for row_id, fill in iter_fills(conn, query.contract, query.account, query.market, order=field,
                                   descending=descending):
        total += 1
        if filt.accepts(fill, lambda f=fill: _texts(columns, f)):
            ids.append(row_id)
    return ids, total


def _runs(positions: list[int]) -> list[tuple[int, int]]:
    """Sorted positions as (first, last) runs of consecutive ones."""
    runs: list[tuple[int, int]] = []
    for p in positions:
        if runs and runs[-1][1] == p - 1:
            runs[-1] = (runs[-1][0], p)
        else:
            runs.append((p, p))
    return runs


def _plan(old: array, new: array) -> tuple[str, Any]:
    """How to go from `old` to `new` as Qt row changes (the reader's thread: sets of 100k ids).

    ("same", None); ("insert", [(position, count)...]) in ascending new positions when only rows were
    added and the rest kept their order; ("general", (removed runs, kept ids in new order, inserts));
    ("reset", None) when the change is too scattered to describe cheaply."""
    if new == old:
        return "same", None
    n, m = len(old), len(new)
    if m > n and new[m - n:] == old:
        return "insert", [(0, m - n)]
    if m > n and new[:n] == old:
        return "insert", [(n, m - n)]
    old_set, new_set = set(old), set(new)
    removed = _runs([i for i, row_id in enumerate(old) if row_id not in new_set])
    kept = array("q", (row_id for row_id in new if row_id in old_set))
    added = _runs([i for i, row_id in enumerate(new) if row_id not in old_set])
    if len(removed) + len(added) > MAX_RUNS:
        return "reset", None
    inserts = [(first, last - first + 1) for first, last in added]
    if not removed and kept == old:
        return "insert", inserts
    return "general", (removed, kept, inserts)


class PagedFillsModel(QAbstractTableModel):
    """The fills table's rows, read from the store on demand (see the module docstring)."""

    #: The row counts changed (the table's title says "N of M").
    countsChanged = Signal()
    _idsRead = Signal(object)  # from the reader's thread
    _rowsRead = Signal(object)

    def __init__(self, columns: Sequence[Column], query: FillsQuery, reader: StoreReader | None = None,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self._aligns = tuple(int(c.align) for c in self.columns)
        self.query = query
        self.reader = reader or StoreReader(query.path)
        self._own_reader = reader is None
        self._ids = array("q")
        #: Every live fill of the query, whatever the filter.
        self.total = 0
        self._cache: OrderedDict[int, tuple[Fill, tuple[str, ...]]] = OrderedDict()
        self._stale: set[int] = set()
        self._asked: set[int] = set()  # pages asked for and not yet read
        self._sort: tuple[str, bool] = ("time_ns", True)
        self._filter: RecordFilter | None = None
        self._filter_text = ""
        #: What the filter text had that could not be used (one line each), as the proxy's.
        self.problems: list[str] = []
        self._generation = 0  # bumped by every change of what the ids mean (query, filter, order)
        self._reading = False
        self._again = False
        self._urgent_again = False
        #: The ids were read at least once (a test or the self-test waits for it).
        self.loaded = False
        self.side_colors = (QColor("#4a90e2"), QColor("#ff5a5f"))
        self.sign_colors = (QColor("#35c26b"), QColor("#ff5a5f"))
        self._read_s = 0.0  # how long the last read of the ids took, and when it ended
        self._read_done_at = 0.0
        self._pace = QTimer(self)
        self._pace.setSingleShot(True)
        self._pace.timeout.connect(self.refresh)
        self._idsRead.connect(self._on_ids)
        self._rowsRead.connect(self._on_rows)

    # -- what is shown ---------------------------------------------------------------------------------
    def set_query(self, query: FillsQuery) -> None:
        """Another contract or account set: every row is read again."""
        changed = query != self.query
        if changed:
            self.query = query
            self._generation += 1
        self.refresh(urgent=changed)

    def set_filter_text(self, text: str) -> None:
        sample = product_of_record(self._cache[next(iter(self._cache))][0]) if self._cache else None
        parsed = RecordFilter(self.columns, text, sample)
        self.problems = parsed.problems
        self._filter = parsed if parsed.active else None
        self._filter_text = text
        self._generation += 1
        self.refresh(urgent=True)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        field = SORT_FIELD.get(self.columns[column].title, "time_ns") if 0 <= column < len(self.columns) else "time_ns"
        wanted = (field, order == Qt.SortOrder.DescendingOrder)
        if wanted != self._sort:
            self._sort = wanted
            self._generation += 1
            self.refresh(urgent=True)

    def refresh(self, urgent: bool = False) -> None:
        """The store changed (or, `urgent`, what the trader asks of it): read the ids again, then the
        rows on screen. One read at a time; a refresh asked meanwhile runs once it is done. A store
        change waits until `PACE` times the last read's duration has passed since it: a filtered
        100k-fill day takes a while to read, and the reader must not take the CPU (and Python's lock)
        from the GUI thread every second."""
        if self._reading:
            self._again = True
            self._urgent_again = self._urgent_again or urgent
            return
        wait = self._read_done_at + PACE * self._read_s - time.monotonic()
        if not urgent and wait > 0:
            if not self._pace.isActive():
                self._pace.start(int(wait * 1000) + 1)
            return
        self._pace.stop()
        self._reading, self._again, self._urgent_again = True, False, False
        generation, query, (field, descending) = self._generation, self.query, self._sort
        columns, filt, base = self.columns, self._filter, self._ids

        def job(conn: Any) -> None:
            started = time.perf_counter()
            ids, total = _read_ids(conn, query, field, descending, columns, filt)
            plan = _plan(base, ids) if generation == self._generation else ("reset", None)
            self._read_s = time.perf_counter() - started
            self._idsRead.emit((generation, base, ids, total, plan))

        future = self.reader.submit(job, kind="ids")
        future.add_done_callback(self._read_failed)

    def _read_failed(self, future: Any) -> None:  # the reader's thread
        if future.cancelled() or future.exception() is not None:
            if not future.cancelled():
                log.warning("could not read the fills table's rows: %s", future.exception())
            self._idsRead.emit(None)  # let the next refresh run; the rows on screen stay

    @Slot(object)
    def _on_ids(self, result: Any) -> None:
        self._reading = False
        self._read_done_at = time.monotonic()
        if result is not None:
            generation, base, ids, total, plan = result
            if base is self._ids and generation == self._generation:
                self._apply(ids, plan)
                self.total = total
                self.loaded = True
                self._stale.update(self._cache)  # a correction changes a fill in place: re-read what is shown
                self._asked.clear()
                if self._ids:
                    self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(self.columns) - 1), [])
                self.countsChanged.emit()
            else:  # read for an older filter, order or list: read again now
                self._again = self._urgent_again = True
        if self._again:
            self.refresh(urgent=self._urgent_again)

    def _apply(self, new: array, plan: tuple[str, Any]) -> None:
        kind, detail = plan
        if kind == "same":
            return
        if kind == "reset":
            self.beginResetModel()
            self._ids = new
            self.endResetModel()
            return
        ids = array("q", self._ids)  # a working copy: rowCount follows each step
        self._ids = ids
        if kind == "general":
            removed, kept, inserts = detail
            for first, last in reversed(removed):
                self.beginRemoveRows(QModelIndex(), first, last)
                del ids[first:last + 1]
                self.endRemoveRows()
            if kept != ids:
                self.layoutAboutToBeChanged.emit()
                where = {row_id: i for i, row_id in enumerate(kept)}
                persistent = self.persistentIndexList()
                moved = [self.index(where[ids[p.row()]], p.column()) for p in persistent]
                ids[:] = kept
                self.changePersistentIndexList(persistent, moved)
                self.layoutChanged.emit()
        else:
            inserts = detail
        for position, count in inserts:
            self.beginInsertRows(QModelIndex(), position, position + count - 1)
            ids[position:position] = new[position:position + count]
            self.endInsertRows()
        if ids != new:  # cannot happen if the plan is right; never show a wrong list
            self.beginResetModel()
            self._ids = new
            self.endResetModel()
        else:
            self._ids = new

    # -- rows on demand ----------------------------------------------------------------------------
    def _entry(self, row: int) -> tuple[Fill, tuple[str, ...]] | None:
        row_id = self._ids[row]
        entry = self._cache.get(row_id)
        if entry is None or row_id in self._stale:
            self._ask(row // PAGE)
        return entry

    def _ask(self, page: int) -> None:
        if page in self._asked:
            return
        self._asked.add(page)
        ids = self._ids[page * PAGE:(page + 1) * PAGE].tolist()
        columns = self.columns

        def job(conn: Any) -> None:
            rows = fills_by_id(conn, ids)
            self._rowsRead.emit((page, {i: (f, _texts(columns, f)) for i, f in rows.items()}))

        self.reader.submit(job).add_done_callback(
            lambda f: self._rowsRead.emit((page, None)) if f.cancelled() or f.exception() is not None else None)

    @Slot(object)
    def _on_rows(self, result: tuple[int, dict[int, tuple[Fill, tuple[str, ...]]] | None]) -> None:
        page, rows = result
        self._asked.discard(page)
        if not rows:
            return
        changed: list[int] = []
        cache = self._cache
        for row_id, entry in rows.items():
            before = cache.get(row_id)
            cache[row_id] = entry
            cache.move_to_end(row_id)
            self._stale.discard(row_id)
            if before is None or before[1] != entry[1]:
                changed.append(row_id)
        while len(cache) > CACHE_ROWS:
            old, _ = cache.popitem(last=False)
            self._stale.discard(old)
        if changed and self._ids:  # rows may have moved since the page was asked: the view repaints
            # only what it shows of the range, and asks only those rows again
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(self.columns) - 1), [])

    def record(self, row: int) -> Fill | None:
        """The fill of `row` if it has been read (None while its page is being read)."""
        entry = self._entry(row)
        return entry[0] if entry is not None else None

    def row_texts(self, row: int) -> tuple[str, ...]:
        entry = self._entry(row)
        return entry[1] if entry is not None else ("",) * len(self.columns)

    def refresh_texts(self) -> None:
        """Print every row again (the price format changed): the rows on screen are re-read."""
        self._cache.clear()
        self._stale.clear()
        self._asked.clear()
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(self.columns) - 1), [])

    def records(self, timeout_s: float = 30.0) -> tuple[Fill, ...]:
        """Every row's fill in display order, read now on the reader's thread while the caller waits.

        For the self-test and tests only (a check of what the table lists); the window never calls it."""
        query, (field, descending), filt, columns = self.query, self._sort, self._filter, self.columns

        def job(conn: Any) -> tuple[Fill, ...]:
            return tuple(f for _, f in iter_fills(conn, query.contract, query.account, query.market, order=field,
                                                  descending=descending)
                         if filt is None or filt.accepts(f, lambda f=f: _texts(columns, f)))

        return self.reader.submit(job).result(timeout_s)

    def close(self) -> None:
        """Stop the reader this model started (the window closes)."""
        if self._own_reader:
            self.reader.stop()

    # -- Qt model interface ---------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        return ROW_FLAGS if index.isValid() else NO_FLAGS

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = DISPLAY_ROLE) -> Any:
        # Asked for every role of every cell painted: the two painted roles first, as plain ints.
        r = index.row()
        if not 0 <= r < len(self._ids):
            return None
        if role == DISPLAY_ROLE:
            return self.row_texts(r)[index.column()]
        if role == ALIGN_ROLE:
            return self._aligns[index.column()]
        if role != SortRole and role != FOREGROUND_ROLE:
            return None
        record = self.record(r)
        if record is None:
            return None
        column = self.columns[index.column()]
        value = column.value(record)
        if role == SortRole:
            return int(value) if isinstance(value, Side) else value
        if column.color == "side":
            return self.side_colors[0] if value is Side.BUY else self.side_colors[1]
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
