"""The amber line that says when the order grid lists orders the ladder does not show.

After Product or Contracts change in Settings (or when a session chose one contract of several), the
ladder projects one contract while the grid may list orders of another: those are not in the
projection, and a trader must be told, never left with a silent mismatch (issue 14 §3).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QLabel, QWidget


class InstrumentNote(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mismatchNote")
        self.setWordWrap(True)
        self.hide()
        self._contract = ""
        #: Roll week: the other contracts with a ladder of their own (their orders are on it).
        self._others: frozenset[str] = frozenset()
        self._orders: Sequence[Any] = ()
        self._pending = ""

    def set_ladder_contract(self, contract: str) -> None:
        if contract != self._contract:
            self._contract = contract
            self._check()

    def set_other_ladders(self, contracts: Sequence[str]) -> None:
        if frozenset(contracts) != self._others:
            self._others = frozenset(contracts)
            self._check()

    def set_orders(self, orders: Sequence[Any]) -> None:
        self._orders = orders
        self._check()

    def set_pending_restart(self, text: str) -> None:
        """An instrument setting changed that the running session cannot pick up ('' when none)."""
        self._pending = text
        self._check()

    def _check(self) -> None:
        ladder = self._contract
        others: dict[str, int] = {}
        if ladder:
            for order in self._orders:
                if order.contract != ladder and order.contract not in self._others and not order.what_if:
                    others[order.contract] = others.get(order.contract, 0) + 1
        lines = []
        if others:
            listed = ", ".join(f"{c} ×{n}" for c, n in sorted(others.items(), key=lambda kv: -kv[1]))
            lines.append(
                f"⚠ The ladder shows {', '.join((ladder, *sorted(self._others)))}; {sum(others.values())} of the "
                f"{len(self._orders)} working orders "
                f"listed are for other contracts ({listed}) and are not on it. Check Settings › TT connection "
                f"(Product, Contracts, Accounts).")
        if self._pending:
            lines.append(f"⚠ {self._pending}")
        self.setText("\n".join(lines))
        self.setVisible(bool(lines))
