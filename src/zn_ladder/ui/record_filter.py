"""`RecordFilterProxy`: the filter box's rows of a record table.

Filter syntax: words separated by spaces, all must match; `side:B` or `acc:DESK` restricts a word to the
column whose title starts with the part before the colon; a bare word may match any column. Sorting is
left to the source model (one Python sort on raw values); this proxy only filters.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from zn_ladder.ui.record_model import RecordTableModel


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
