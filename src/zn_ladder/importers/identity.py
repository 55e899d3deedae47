"""How a fill is named when its file has no exec id (DESIGN.md §3.5: duplicates count once).

TT's exec id names an execution wherever it is present. Exports often lack it, and one order often
fills the same quantity at the same price within the same tenth of a second, so time + price + qty +
order would merge two real executions into one. What does name an execution in every source is the
order's cumulative filled quantity after it: the Audit Trail prints it (ExeQty), the API sends it
(cumQty), and for other files it is the running sum of the order's fills in execution order. The key
is then ``"{order_id}#{cum_qty}"``, and the store can recognise the same execution arriving from the
API and from an export.
"""

from __future__ import annotations


def fill_key(exec_id: str, order_id: str, cum_qty: int, *, fallback: str = "") -> str:
    """The exec id when there is one; else order id and cumulative quantity; else `fallback`.

    `fallback` (e.g. ``"file.csv:17"``) is for a row with neither exec id nor order id: it is unique
    within the file, so importing the same file twice still counts each row once.
    """
    if exec_id:
        return exec_id
    if order_id:
        return f"{order_id}#{cum_qty}"
    return fallback


class RunningCum:
    """The cumulative filled quantity per order, fed fills in execution order."""

    __slots__ = ("_cum",)

    def __init__(self) -> None:
        self._cum: dict[str, int] = {}

    def add(self, order_id: str, qty: int) -> int:
        cum = self._cum.get(order_id, 0) + qty
        self._cum[order_id] = cum
        return cum

    def set(self, order_id: str, cum_qty: int) -> int:
        """Record a cumulative quantity the file states (the Audit Trail's ExeQty)."""
        self._cum[order_id] = cum_qty
        return cum_qty
