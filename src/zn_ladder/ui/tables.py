"""Declarative record tables: the working-order grid and today's fills.

Like vn.py's monitors, a table is a list of `Column`s — title, how to read the value from a record, how
to print it — so a new column is one line. The model keeps rows in arrival order and updates them in
place by key (inserted, removed, or changed cells only), so selection and scroll position survive a poll;
sorting and filtering are a `QSortFilterProxyModel` on top, sorting on the raw value (ticks, ns) rather
than the printed text.

This module is the widget (title, STALE tag, filter box, view); its parts live beside it and stay
importable from here: the columns (`table_columns.py`), the model (`record_model.py`) and the filter
proxy with its syntax (`record_filter.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMenu, QTableView,
                               QVBoxLayout, QWidget)

from zn_ladder.ui.record_filter import RecordFilterProxy
from zn_ladder.ui.record_model import RecordTableModel, SortRole
from zn_ladder.ui.steady import set_tag, stale_tag
from zn_ladder.ui.table_columns import (FILL_COLUMNS, ORDER_COLUMNS, Column, fill_key, order_key, price_text, side_text,
                                        time_text, type_text)

__all__ = ["FILL_COLUMNS", "ORDER_COLUMNS", "Column", "RecordFilterProxy", "RecordTable", "RecordTableModel",
           "SortRole", "fill_key", "order_key", "price_text", "side_text", "time_text", "type_text"]


class RecordTable(QWidget):
    """Title, filter box and a sortable table over a `RecordTableModel`."""

    filterChanged = Signal(str)
    #: The title with its row count ("Working orders  12 of 29"), e.g. for the dock around the table.
    titleChanged = Signal(str)

    def __init__(self, title: str, columns: Sequence[Column], key: Callable[[Any], str], *,
                 sort_column: int = 0, descending: bool = True, parent: QWidget | None = None,
                 model_class: type[RecordTableModel] = RecordTableModel) -> None:
        super().__init__(parent)
        self.model = model_class(columns, key, self)
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
        self.stale_tag = stale_tag()  # drawn or not, its room always kept (ui/steady.py)
        head.addWidget(self.stale_tag)
        head.addStretch(1)
        self.filter = QLineEdit()
        self.filter.setObjectName("tableFilter")
        self.filter.setPlaceholderText("Filter: text, column:value or column:>value, e.g. side:buy price:>110'200")
        self.filter.setToolTip(
            "Words separated by spaces; every word must match.\n"
            "  desk            any column contains 'desk'\n"
            "  side:buy        the Side column (a column is named by the start of its title)\n"
            "  price:>110'200  compare prices (any form: 110'200, 110-20, 110.625); also >=, <, <=, =, !=\n"
            "  qty:>=10        compare numbers (Qty, Leaves)\n"
            "  time:>14:30     compare times of day\n"
            "A word that cannot be used is named under the box and ignored.")
        self.filter.setClearButtonEnabled(True)
        self.filter.setMinimumWidth(260)
        self.filter.textChanged.connect(self._on_filter)
        head.addWidget(self.filter)
        layout.addLayout(head)
        #: What in the filter was not understood (and so ignored): never an empty table in silence.
        self.filter_message = QLabel()
        self.filter_message.setObjectName("filterMessage")
        self.filter_message.setWordWrap(True)
        self.filter_message.hide()
        layout.addWidget(self.filter_message)
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
        header.setSectionsMovable(True)  # drag a title to reorder; the layout is saved with the window
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(
            lambda pos: self._exec_menu(self.columns_menu(), header.mapToGlobal(pos)))
        header.setToolTip("Right-click to choose the columns; drag a title to move its column")
        for i, column in enumerate(columns):
            self.view.setColumnWidth(i, column.width)
        layout.addWidget(self.view)

    def columns_menu(self) -> QMenu:
        """Show/hide each column (at least one stays), and put them all back in their first order."""
        header = self.view.horizontalHeader()
        menu = QMenu(self)
        menu.setObjectName("tableColumnsMenu")
        shown = [c for c in range(self.model.columnCount()) if not header.isSectionHidden(c)]
        for c in sorted(range(self.model.columnCount()), key=header.visualIndex):
            action = menu.addAction(self.model.columns[c].title.replace("&", "&&"))
            action.setCheckable(True)
            action.setChecked(c in shown)
            action.setEnabled(not (c in shown and len(shown) == 1))
            action.toggled.connect(lambda on, c=c: header.setSectionHidden(c, not on))
        menu.addSeparator()
        menu.addAction("Reset columns", self.reset_columns)
        return menu

    def reset_columns(self) -> None:
        header = self.view.horizontalHeader()
        for c in range(self.model.columnCount()):
            header.setSectionHidden(c, False)
            header.moveSection(header.visualIndex(c), c)
            self.view.setColumnWidth(c, self.model.columns[c].width)

    @staticmethod
    def _exec_menu(menu: QMenu, where: Any) -> None:  # pragma: no cover - modal
        menu.exec(where)
        menu.deleteLater()

    @property
    def paged(self) -> bool:
        """Whether the rows come a page at a time from the store (`fills_model.PagedFillsModel`): the
        model then filters and sorts itself, with no proxy between it and the view."""
        return hasattr(self.model, "set_filter_text")

    def set_model(self, model: Any) -> None:
        """Show `model` in place of the current one, keeping the columns' widths, order and sort."""
        header = self.view.horizontalHeader()
        state = header.saveState()
        old, self.model = self.model, model
        model.side_colors = old.side_colors
        if self.paged:
            self.view.setModel(model)
            model.countsChanged.connect(self._update_title)
        else:
            self.proxy.setSourceModel(model)
            self.view.setModel(self.proxy)
        header.restoreState(state)
        model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self._on_filter(self.filter.text())

    def _on_filter(self, text: str) -> None:
        filtering = self.model if self.paged else self.proxy
        filtering.set_filter_text(text)
        problems = filtering.problems
        self.filter_message.setText("Not understood, ignored: " + "; ".join(problems) if problems else "")
        self.filter_message.setVisible(bool(problems))
        self.filter.setProperty("problem", bool(problems))
        self._update_title()
        self.filterChanged.emit(text)

    def set_records(self, records: Sequence[Any]) -> None:
        self.model.set_records(records)
        self._update_title()

    def _update_title(self) -> None:
        """`Working orders  (29)`, or `Working orders  12 of 29` while a filter is on."""
        if self.paged:
            total, shown = self.model.total, self.model.rowCount()
        else:
            total, shown = self.model.rowCount(), self.proxy.rowCount()
        if self.filter.text().strip():
            self.title.setText(f"{self._title_text}  {shown} of {total}")
        else:
            self.title.setText(f"{self._title_text}  ({total})")
        self.titleChanged.emit(self.title.text())

    def set_stale(self, text: str) -> None:
        """Show the STALE tag with `text` as its tooltip; '' hides it. The rows stay on screen."""
        set_tag(self.stale_tag, text)

    def set_side_colors(self, buy: str, sell: str) -> None:
        self.model.side_colors = (QColor(buy), QColor(sell))
