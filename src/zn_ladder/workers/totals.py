"""The total across the contracts open in roll week: one `PnlSnapshot` the cards, the accounts table
and the alerts show, made of each contract's own.

Why a sum and nothing cleverer: P&L in dollars adds across contracts of one product, and so do
positions and risk per tick (a calendar spread long the front and short the next month nets to 0 lots
and 0 risk per tick of a parallel move, which is what a desk reads on the cards; each leg stays on its
own ladder and tab). An average open price does not add: two months trade at different prices, so the
total has none (each contract's tab and the accounts table keep theirs). One contract open: the total
is that contract's snapshot itself, so a window that never rolls shows exactly what it showed before.
No Qt here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from fractions import Fraction

from zn_ladder.workers.snapshots import PnlSnapshot


def total_of(parts: Sequence[PnlSnapshot], history: tuple[tuple[datetime, Fraction], ...] = ()) -> PnlSnapshot:
    """The contracts' snapshots taken together (`parts` non-empty, in the order the tabs show them)."""
    if not parts:
        raise ValueError("a total needs at least one contract's snapshot")
    if len(parts) == 1:
        return replace(parts[0], by_contract=(parts[0],))
    zero = Fraction(0)
    total = sum((p.total for p in parts), zero)
    return PnlSnapshot(
        position=sum(p.position for p in parts), sod_position=sum(p.sod_position for p in parts),
        realized_lifo=sum((p.realized_lifo for p in parts), zero),
        realized_fifo=sum((p.realized_fifo for p in parts), zero),
        unrealized=sum((p.unrealized for p in parts), zero), total=total, average_open_price=None,
        risk=sum((p.risk for p in parts), zero), product=parts[0].product, spot=None,
        history=history, by_account=tuple(a for p in parts for a in p.by_account), contract="",
        by_contract=tuple(parts))
