"""Position and P&L by account: one row per account's book of the contract, and a total row.

Several accounts are shown together on the ladder and the cards; this table splits them: position, SOD,
average open price, realized and unrealized under LIFO and FIFO, total. The rows are the scenario's
`PnlSnapshot.by_account` (the store's per-account books marked at the same spot); the total row is the
snapshot's own totals, the numbers on the summary cards, so the table and the cards always agree. It
stays last whatever the sort. The columns are data (`table_columns.ACCOUNT_COLUMNS`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QColor, QFont

from zn_ladder.ui.average_price import accounts_differ_in_sign
from zn_ladder.ui.record_model import RecordTableModel
from zn_ladder.ui.table_columns import ACCOUNT_COLUMNS, account_key
from zn_ladder.ui.tables import RecordTable
from zn_ladder.workers.snapshots import AccountPnl, PnlSnapshot

TITLE = "Position & P&L by account"
#: Rows the pane is sized for in the full layout: three accounts and the total, up to eight.
SHOWN_ROWS, MAX_ROWS = 4, 8


@dataclass(frozen=True, slots=True)
class TotalRow(AccountPnl):
    """The accounts taken together: the summary cards' numbers."""

    is_total: bool = True


def total_row(snap: PnlSnapshot, contract: str) -> TotalRow:
    """The cards as a row. FIFO's unrealized is the rest of the same total (as on the cards); the
    average is the netted one, or none when the accounts are long and short at once (the rows show each
    account's own: a netted average would be a price that never traded)."""
    mixed = accounts_differ_in_sign(snap.by_account)
    markets = {a.market for a in snap.by_account}
    return TotalRow(account="Total", contract=contract, position=snap.position, sod_position=snap.sod_position,
                    realized_lifo=snap.realized_lifo, realized_fifo=snap.realized_fifo, unrealized=snap.unrealized,
                    unrealized_fifo=snap.total - snap.realized_fifo, total=snap.total,
                    average_open_price=None if mixed else snap.average_open_price,
                    market=markets.pop() if len(markets) == 1 else "")


class AccountsModel(RecordTableModel):
    """The record model with the total row kept last (whatever the sort) and in bold; its titles on two
    lines ("Unrealized" over "LIFO") so ten columns fit beside the ladder without a scroll bar."""

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        value = super().headerData(section, orientation, role)
        if role == Qt.ItemDataRole.DisplayRole and isinstance(value, str) and " " in value:
            head, _, tail = value.rpartition(" ")
            return f"{head}\n{tail}"
        return value

    def _sort_value(self, record: Any, column: int) -> Any:
        descending = self._sort is not None and self._sort[1]
        last = (-1 if descending else 1) if getattr(record, "is_total", False) else 0
        return (last, super()._sort_value(record, column))

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.FontRole and index.isValid() and 0 <= index.row() < self.rowCount():
            if getattr(self.record(index.row()), "is_total", False):
                font = QFont()
                font.setBold(True)
                return font
        return super().data(index, role)


class AccountsTable(RecordTable):
    """The accounts table: a few rows, so no filter box; the title counts accounts, not the total row."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(TITLE, ACCOUNT_COLUMNS, account_key, sort_column=0, descending=False, parent=parent,
                         model_class=AccountsModel)
        self.filter.hide()
        header = self.view.horizontalHeader()
        header.setStretchLastSection(False)
        # One market per window: the column is there for a store read over several (View it from the
        # header's menu); the rows of two markets are never netted either way.
        header.setSectionHidden(len(ACCOUNT_COLUMNS) - 1, True)
        self.contract = ""
        self._update_title()

    def sizeHint(self) -> QSize:
        """Tall enough for its rows (at least `SHOWN_ROWS`, at most `MAX_ROWS`) under its two-line titles,
        with no scroll bar: the full layout gives the dock this height."""
        hint = super().sizeHint()
        rows = min(max(self.model.rowCount(), SHOWN_ROWS), MAX_ROWS)
        view = self.view
        head = self.title.sizeHint().height() + self.layout().spacing()  # the pane's own title line
        height = (head + view.horizontalHeader().sizeHint().height()
                  + rows * view.verticalHeader().defaultSectionSize() + 2 * view.frameWidth() + 6)
        return QSize(hint.width(), height)

    def apply_pnl(self, snap: PnlSnapshot) -> None:
        """The rows of every contract shown (roll week: each month's accounts), then the total row: the
        cards, across the contracts ("All" when there are several)."""
        contracts = {a.contract for a in snap.by_account}
        contract = contracts.pop() if len(contracts) == 1 else "All" if contracts else self.contract
        self.set_records((*snap.by_account, total_row(snap, contract)))

    def set_contract(self, contract: str) -> None:
        self.contract = contract

    def accounts(self) -> int:
        return sum(1 for r in self.model.records() if not getattr(r, "is_total", False))

    def _update_title(self) -> None:
        n = self.accounts()
        self.title.setText(f"{self._title_text}  ({n} account{'' if n == 1 else 's'})")
        self.titleChanged.emit(self.title.text())

    def set_sign_colors(self, positive: str, negative: str) -> None:
        self.model.sign_colors = (QColor(positive), QColor(negative))
        self.model.refresh_texts()

    def row_texts(self) -> list[tuple[str, ...]]:
        """Each row's texts as shown (sorted, total last), for tests and the self-test."""
        return [tuple(self.proxy.index(r, c).data() or "" for c in range(self.proxy.columnCount()))
                for r in range(self.proxy.rowCount())]
