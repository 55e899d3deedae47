"""`RecordFilterProxy`: the filter box's rows of a record table, and the filter's syntax.

Words separated by spaces, all must match:
- a bare word matches any column's text (`110'055`, `desk`);
- `column:word` restricts it to the column whose title starts with `column` (`side:b`, `acc:DESK`);
- on a price, number or time column a comparison compares values, not text: `price:>110'200`,
  `price:<=110-16+`, `qty:>=10`, `leaves:=5`, `time:>14:30`, `price:!=110'055`. Prices are read in any
  of the app's forms (TT, CME, decimal, Pricing Monkey) for each row's own product.

A word the filter cannot use (a column no title starts with, a comparison on a text column, a value
that is not a price/number/time) is ignored and `problems` says why, so the table never empties in
silence. Sorting is left to the source model (one Python sort on raw values); this proxy only filters.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Sequence
from datetime import datetime, time
from fractions import Fraction
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.prices import parse_price
from zn_ladder.ui.record_model import RecordTableModel
from zn_ladder.ui.table_columns import product_of_record

_OPS: dict[str, Callable[[Any, Any], bool]] = {
    ">=": operator.ge, "<=": operator.le, "!=": operator.ne, ">": operator.gt, "<": operator.lt, "=": operator.eq}
_COMPARISON = re.compile(r"^(>=|<=|!=|>|<|=)(.+)$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")


class _Comparison:
    """`column OP value` on a typed column; the value is parsed once per product (prices)."""

    def __init__(self, column: int, kind: str, op: str, text: str) -> None:
        self.column, self.kind, self.op, self.text = column, kind, _OPS[op], text
        self._prices: dict[str, Fraction | None] = {}
        self.number: Fraction | None = None
        self.clock: time | None = None
        if kind == "number":
            self.number = _number(text)
        elif kind == "time":
            self.clock = _clock(text)

    def valid(self, sample_product: Any) -> str | None:
        """Why this comparison cannot be used, or None."""
        if self.kind == "number" and self.number is None:
            return f"{self.text!r} is not a number"
        if self.kind == "time" and self.clock is None:
            return f"{self.text!r} is not a time of day (HH:MM or HH:MM:SS)"
        if self.kind == "price" and self._price(sample_product) is None:
            return f"{self.text!r} is not a price (e.g. 110'200, 110-20, 110.625)"
        return None

    def _price(self, product: Any) -> Fraction | None:
        key = product.symbol
        if key not in self._prices:
            try:
                self._prices[key] = parse_price(self.text, product, spot=True, allow_negative=True).ticks(product)
            except (InputError, ValueError):
                self._prices[key] = None
        return self._prices[key]

    def accepts(self, value: Any, record: Any) -> bool:
        if value is None:
            return False
        if self.kind == "number":
            return self.op(value, self.number)
        if self.kind == "time":
            return bool(value) and self.op(datetime.fromtimestamp(value / 1e9).time(), self.clock)
        product = product_of_record(record)
        wanted = self._price(product) if product is not None else None
        return wanted is not None and self.op(value, wanted)


def _number(text: str) -> Fraction | None:
    try:
        return Fraction(text.replace(",", ""))
    except (ValueError, ZeroDivisionError):
        return None


def _clock(text: str) -> time | None:
    match = _TIME.match(text)
    if not match:
        return None
    h, m, s = int(match[1]), int(match[2]), int(match[3] or 0)
    return time(h, m, s) if h < 24 and m < 60 and s < 60 else None


class RecordFilter:
    """A parsed filter text over a table's columns: which rows it accepts, and what it could not use.

    Qt-free and thread-free, so the same filter runs in the proxy over an in-memory table and on the
    store reader's thread over a paged one (`fills_model.py`)."""

    def __init__(self, columns: Sequence[Any], text: str, sample: Any = None) -> None:
        titles = [c.title.lower().replace(" ", "") for c in columns]
        self.terms: list[tuple[int | None, str]] = []
        self.comparisons: list[_Comparison] = []
        #: What the filter text had that could not be used (one line each); empty when all was.
        self.problems: list[str] = []
        sample = sample or get_product("ZN")
        for raw in text.split():
            word = raw.lower()
            name, sep, needle = word.partition(":")
            if not (sep and name):
                self.terms.append((None, word))
                continue
            match = next((i for i, t in enumerate(titles) if t.startswith(name)), None)
            if match is None:
                self.problems.append(f"{raw}: no column starts with {name!r} (columns: {', '.join(titles)})")
                continue
            compare = _COMPARISON.match(raw.partition(":")[2])
            kind = columns[match].kind
            if compare is None:
                if needle[:1] in ("<", ">", "=", "!"):
                    self.problems.append(f"{raw}: a comparison needs a value after {needle!r}, e.g. {name}:>=10")
                    continue
                self.terms.append((match, needle))
                continue
            if kind == "text":
                self.problems.append(f"{raw}: {titles[match]} is text; compare only price, number or time columns")
                continue
            comparison = _Comparison(match, kind, compare[1], compare[2])
            why = comparison.valid(sample)
            if why is not None:
                self.problems.append(f"{raw}: {why}")
                continue
            self.comparisons.append(comparison)
        self._columns = tuple(columns)

    @property
    def active(self) -> bool:
        """Whether any row can be refused (an empty or wholly ignored text accepts every row)."""
        return bool(self.terms or self.comparisons)

    def accepts(self, record: Any, texts: Callable[[], Sequence[str]]) -> bool:
        """Whether `record` passes; `texts()` gives its cells as printed (asked only for word terms)."""
        for comparison in self.comparisons:
            if not comparison.accepts(self._columns[comparison.column].value(record), record):
                return False
        if not self.terms:
            return True
        cells = [text.lower() for text in texts()]
        for column, needle in self.terms:
            if column is None:
                if not any(needle in cell for cell in cells):
                    return False
            elif needle not in cells[column]:
                return False
        return True


class RecordFilterProxy(QSortFilterProxyModel):
    """Filters with `word`, `column:word` and `column:OPvalue` terms (see the module docstring)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._filter: RecordFilter | None = None
        #: What the last filter text had that could not be used (one line each); empty when all was.
        self.problems: list[str] = []

    def set_filter_text(self, text: str) -> None:
        source = self.sourceModel()
        parsed = RecordFilter(getattr(source, "columns", ()), text, _sample_product(source))
        self.problems = parsed.problems
        active = parsed if parsed.active else None
        if hasattr(self, "beginFilterChange"):  # Qt >= 6.9: the non-deprecated way
            self.beginFilterChange()
            self._filter = active
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._filter = active
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if self._filter is None:
            return True
        model = self.sourceModel()
        if isinstance(model, RecordTableModel):  # fast path: the cached texts, no QVariant round trips
            return self._filter.accepts(model.record(source_row), lambda: model.row_texts(source_row))
        return self._filter.accepts(model.record(source_row), lambda: [
            str(model.index(source_row, c, source_parent).data()) for c in range(model.columnCount())])

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting is the source model's (one Python sort, not a C++ sort calling back per comparison);
        this proxy only filters and keeps the source's order."""
        source = self.sourceModel()
        if source is not None:
            source.sort(column, order)


def _sample_product(source: Any) -> Any:
    """A product to check a typed price against: the first row's, else ZN (the desk's default)."""
    if isinstance(source, RecordTableModel) and source.rowCount():
        product = product_of_record(source.record(0))
        if product is not None:
            return product
    return get_product("ZN")
