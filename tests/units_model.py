"""An independent LIFO/FIFO matcher for the tests: one contract's trades as single units, no LotBook.

Each contract bought or sold is one unit; a unit against the open side closes the newest (LIFO) or
oldest (FIFO) open unit at its price. Slow and obviously right, which is the point: the app's books
are compared with it, never with themselves.
"""

from __future__ import annotations

from collections.abc import Iterable


def match_units(trades: Iterable[tuple[int, int, int]], method: str) -> tuple[list[tuple[int, int]], int]:
    """(open units [(sign, price ticks)] oldest first, realized tick-contracts) after `trades`, each
    (sign +1 buy / -1 sell, quantity, price ticks), in execution order (an SOD lot first, as a trade)."""
    units: list[tuple[int, int]] = []
    realized = 0
    for sign, qty, price in trades:
        for _ in range(qty):
            if units and units[0][0] != sign:
                lot_sign, lot_price = units.pop() if method == "lifo" else units.pop(0)
                realized += lot_sign * (price - lot_price)
            else:
                units.append((sign, price))
    return units, realized
