"""Working orders net of the fills that arrived after the orders snapshot: one quantity, counted once.

Orders and fills are polled on different clocks (by default fills every 8 s, orders every 30 s). Between
two orders polls a fill of a working order is already in the position (the fills poll stored it) while
the orders snapshot still shows the order's old leaves quantity; applying that order on the ladder would
count the same contracts twice (once in POSITION, once as a working order). So, until the next orders
poll, each order's leaves are reduced by what was filled since its snapshot:

- when the order's quantity is known and a fill carries the order's cumulative filled quantity
  (`Fill.cum_qty`, TT's cumQty), the filled-since quantity is the highest cumulative quantity seen minus
  what was filled at the snapshot (`order_qty - leaves`); this does not depend on clocks;
- otherwise it is the sum of the order's fills timed after the snapshot was taken (`orders_taken_ns`).

Either way it is clamped to 0..leaves, so for every order `filled_since + remaining == snapshot leaves`
and the remaining leaves are never negative. A fully filled order leaves the ladder; the grid keeps it,
with leaves 0 and the status `Filled`, until the next orders poll drops it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from zn_ladder.domain.records import Fill, WorkingOrder

FILLED = "Filled"
PARTIALLY_FILLED = "Partially filled"


@dataclass(frozen=True, slots=True)
class NetOrder:
    """One order of the snapshot and what has been filled of its leaves since the snapshot."""

    order: WorkingOrder
    filled_since: int

    @property
    def remaining(self) -> int:
        return self.order.quantity - self.filled_since

    @property
    def working(self) -> WorkingOrder | None:
        """The order as the ladder applies it, or None once it is fully filled."""
        if self.remaining <= 0:
            return None
        return self.order if self.filled_since == 0 else replace(self.order, quantity=self.remaining)

    @property
    def shown(self) -> WorkingOrder:
        """The order as the grid shows it: leaves net of the fills since the snapshot, and its status."""
        if self.filled_since == 0:
            return self.order
        status = FILLED if self.remaining <= 0 else PARTIALLY_FILLED
        return replace(self.order, quantity=self.remaining, status=status)


def filled_since(order: WorkingOrder, fills: Iterable[Fill], orders_taken_ns: int) -> int:
    """Contracts of `order`'s snapshot leaves filled since the snapshot (0..leaves); `fills` are the
    order's own (same order id)."""
    leaves = max(0, order.quantity)
    top_cum = 0
    after = 0
    for fill in fills:
        top_cum = max(top_cum, fill.cum_qty)
        if fill.time_ns > orders_taken_ns:
            after += fill.qty
    if order.order_qty > 0 and top_cum > 0:
        done = top_cum - (order.order_qty - leaves)
    else:
        done = after
    return min(leaves, max(0, done))


def net_orders(orders: Sequence[WorkingOrder], fills: Iterable[Fill], orders_taken_ns: int) -> tuple[NetOrder, ...]:
    """Every order of the snapshot with its filled-since quantity. Fills are matched by order id;
    fills of other orders (or with no order id) are ignored. What-if orders are never netted."""
    ids = {o.order_id for o in orders if o.order_id and not o.what_if}
    by_order: dict[str, list[Fill]] = {}
    for fill in fills:
        if fill.order_id in ids:
            by_order.setdefault(fill.order_id, []).append(fill)
    return tuple(NetOrder(o, filled_since(o, by_order.get(o.order_id, ()), orders_taken_ns)
                          if o.order_id in by_order and not o.what_if else 0) for o in orders)


def orders_net_of_fills(orders: Sequence[WorkingOrder], fills: Iterable[Fill],
                        orders_taken_ns: int) -> tuple[WorkingOrder, ...]:
    """The orders the ladder applies: leaves reduced by the fills since the snapshot, filled ones gone."""
    return tuple(w for n in net_orders(orders, fills, orders_taken_ns) if (w := n.working) is not None)


def grid_orders(orders: Sequence[WorkingOrder], fills: Iterable[Fill], orders_taken_ns: int) -> tuple[WorkingOrder, ...]:
    """The orders the grid shows: every order of the snapshot, net of the fills since, filled ones as such."""
    return tuple(n.shown for n in net_orders(orders, fills, orders_taken_ns))
