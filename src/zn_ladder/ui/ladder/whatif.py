"""The list of what-if orders: hypothetical orders the trader adds on the ladder to see their effect.

The panel owns the list (ids, quantities) and announces every change as a tuple of
`WorkingOrder(what_if=True)`; whoever owns the projection recomputes the ladder with them. Nothing here
is ever sent anywhere: zn_ladder has no code path that places an order with TT.
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout,
                               QWidget)

from zn_ladder.domain.instruments import product_of_contract
from zn_ladder.ui import price_style
from zn_ladder.domain.records import OrderType, Side, WorkingOrder

WHAT_IF_ACCOUNT = "WHAT-IF"
READ_ONLY_NOTE = "What-if orders are hypothetical. zn_ladder never sends, changes or cancels orders in TT."


class WhatIfPanel(QWidget):
    """Lists what-if orders with a remove button each; emits `changed(tuple[WorkingOrder, ...])`."""

    changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("whatIfPanel")
        self._orders: list[WorkingOrder] = []
        self._ids = itertools.count(1)
        self.contract = "ZN"
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 0)
        layout.setSpacing(2)
        head = QHBoxLayout()
        title = QLabel("What-if orders · right-click a level")
        title.setObjectName("paneTitle")
        title.setWordWrap(True)  # a compact layout is 400 px wide
        head.addWidget(title, 1)
        head.addStretch(1)
        self.clear_button = QPushButton("Clear all")
        self.clear_button.setObjectName("whatIfClear")
        self.clear_button.clicked.connect(self.clear)
        head.addWidget(self.clear_button)
        layout.addLayout(head)
        self.list = QListWidget()
        self.list.setObjectName("whatIfList")
        self.list.setMaximumHeight(96)
        layout.addWidget(self.list)
        note = QLabel(READ_ONLY_NOTE)
        note.setObjectName("readOnly")
        note.setWordWrap(True)
        layout.addWidget(note)
        self._refresh()

    @property
    def orders(self) -> tuple[WorkingOrder, ...]:
        return tuple(self._orders)

    def add(self, side: Side, order_type: OrderType, price: int, qty: int) -> WorkingOrder:
        if qty <= 0:
            raise ValueError("a what-if order needs a positive quantity")
        order = WorkingOrder(order_id=f"what-if-{next(self._ids)}", account=WHAT_IF_ACCOUNT,
                             contract=self.contract, side=side, order_type=order_type, price=price,
                             quantity=qty, order_qty=qty, status="what-if", what_if=True)
        self._orders.append(order)
        self._changed()
        return order

    def add_request(self, request: tuple[Side, OrderType, int, int]) -> None:
        """Slot for `LadderView.whatIfRequested`."""
        self.add(*request)

    def remove(self, order_id: str) -> None:
        before = len(self._orders)
        self._orders = [o for o in self._orders if o.order_id != order_id]
        if len(self._orders) != before:
            self._changed()

    def remove_at(self, price: int) -> None:
        before = len(self._orders)
        self._orders = [o for o in self._orders if o.price != price]
        if len(self._orders) != before:
            self._changed()

    def clear(self) -> None:
        if self._orders:
            self._orders.clear()
            self._changed()

    def reprint(self) -> None:
        """Describe the orders again (the price format changed); the orders themselves do not change."""
        self._refresh()

    def _changed(self) -> None:
        self._refresh()
        self.changed.emit(self.orders)

    def _describe(self, order: WorkingOrder) -> str:
        try:
            price = price_style.ticks(order.price, product_of_contract(order.contract))
        except ValueError:
            price = str(order.price)
        side = "BUY" if order.side is Side.BUY else "SELL"
        return f"{side} {order.quantity} {order.order_type.value} @ {price}"

    def _refresh(self) -> None:
        self.list.clear()
        for order in self._orders:
            item = QListWidgetItem()
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(4, 0, 4, 0)
            label = QLabel(self._describe(order))
            line.addWidget(label)
            line.addStretch(1)
            button = QPushButton("Remove")
            button.setObjectName(f"remove_{order.order_id}")
            button.setToolTip("Remove this what-if order from the projection")
            button.clicked.connect(lambda _=False, oid=order.order_id: self.remove(oid))
            line.addWidget(button)
            item.setSizeHint(row.sizeHint())
            item.setData(Qt.ItemDataRole.UserRole, order.order_id)
            self.list.addItem(item)
            self.list.setItemWidget(item, row)
        self.clear_button.setEnabled(bool(self._orders))
        self.list.setVisible(bool(self._orders))
