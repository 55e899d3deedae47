"""Working orders net of the fills since the orders snapshot (issue 12 item 4): nothing counted twice.

The expected numbers come from a model of each order's life, not from the code under test: an order of
Q contracts executes e1..en at increasing times; the orders snapshot was taken after the first k
executions (leaves Q - P_k, P_i the prefix sums) and the fills poll has brought the first m. The
position then holds P_m of the order, so what may still be working is Q - max(P_k, P_m): anything more
would be a contract counted both in POSITION and on the ladder.
"""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from zn_ladder.domain.records import Fill, OrderType, Side, WorkingOrder
from zn_ladder.domain.working import FILLED, PARTIALLY_FILLED, grid_orders, net_orders, orders_net_of_fills

C = "ZN Dec26"
SEC = 1_000_000_000
T0 = 1_790_000_000 * SEC


def order(oid: str, qty: int, leaves: int, side: Side = Side.BUY, price: int = 7000) -> WorkingOrder:
    return WorkingOrder(oid, "A1", C, side, OrderType.LIMIT, price, leaves, order_qty=qty, status="Working")


def fill(oid: str, qty: int, at: int, cum: int = 0, side: Side = Side.BUY) -> Fill:
    return Fill(f"{oid}:{cum}:{at}", "A1", C, side, qty, 7000, at, order_id=oid, cum_qty=cum)


def test_a_fill_after_the_snapshot_reduces_the_leaves_and_a_full_fill_leaves_the_ladder() -> None:
    taken = T0 + 10 * SEC
    orders = (order("o1", 5, 3), order("o2", 4, 4), order("o3", 2, 2))
    fills = (fill("o1", 2, T0, cum=2),          # before the snapshot: already out of o1's leaves
             fill("o1", 1, T0 + 12 * SEC, cum=3),  # after: leaves 3 -> 2
             fill("o3", 2, T0 + 13 * SEC, cum=2),  # o3 fully filled
             fill("zz", 9, T0 + 14 * SEC, cum=9))  # another order: ignored
    working = orders_net_of_fills(orders, fills, taken)
    assert [(o.order_id, o.quantity) for o in working] == [("o1", 2), ("o2", 4)]
    shown = grid_orders(orders, fills, taken)
    assert [(o.order_id, o.quantity, o.status) for o in shown] == [
        ("o1", 2, PARTIALLY_FILLED), ("o2", 4, "Working"), ("o3", 0, FILLED)]


def test_without_cumulative_quantities_the_fills_timed_after_the_snapshot_count() -> None:
    taken = T0 + 10 * SEC
    orders = (order("o1", 6, 4),)
    fills = (fill("o1", 2, T0 + 5 * SEC), fill("o1", 1, T0 + 11 * SEC), fill("o1", 1, T0 + 12 * SEC))
    assert orders_net_of_fills(orders, fills, taken)[0].quantity == 2
    # The cumulative quantity wins over clocks: a fill stamped before the snapshot (clock skew) that the
    # snapshot had not seen (cum 5 > the snapshot's 2 filled) is still taken off.
    skewed = (fill("o1", 2, T0 + 5 * SEC, cum=2), fill("o1", 3, T0 + 9 * SEC, cum=5))
    assert orders_net_of_fills(orders, skewed, taken)[0].quantity == 1


def test_what_if_orders_are_never_netted() -> None:
    wi = WorkingOrder("o1", "", C, Side.BUY, OrderType.LIMIT, 7000, 3, what_if=True)
    assert orders_net_of_fills((wi,), (fill("o1", 3, T0 + SEC, cum=3),), T0) == (wi,)


@st.composite
def order_lives(draw):
    """Orders with their executions, the snapshot point k and the fills received m, per order."""
    lives = []
    for i in range(draw(st.integers(1, 5))):
        execs = draw(st.lists(st.integers(1, 5), min_size=0, max_size=6))
        q = sum(execs) + draw(st.integers(0 if execs else 1, 5))
        k = draw(st.integers(0, len(execs)))
        m = draw(st.integers(0, len(execs)))
        lives.append((f"o{i}", q, execs, k, m, draw(st.sampled_from([Side.BUY, Side.SELL]))))
    with_cum = draw(st.booleans())
    return lives, with_cum, draw(st.integers(0, 2**32))


@settings(max_examples=300, deadline=None)
@given(order_lives())
def test_no_quantity_is_counted_both_in_the_position_and_in_a_working_order(case) -> None:
    lives, with_cum, seed = case
    taken = T0 + 1000 * SEC
    orders, fills, expected, position = [], [], {}, 0
    for oid, q, execs, k, m, side in lives:
        prefix = [sum(execs[:i]) for i in range(len(execs) + 1)]
        leaves = q - prefix[k]
        if leaves > 0:  # TT lists only orders with something left to work
            orders.append(order(oid, q, leaves, side))
        for i in range(m):  # execution i happened before the snapshot when i < k
            at = taken - (k - i) * SEC if i < k else taken + (i - k + 1) * SEC
            fills.append(fill(oid, execs[i], at, cum=prefix[i + 1] if with_cum else 0, side=side))
        position += int(side) * prefix[m]
        expected[oid] = max(0, q - max(prefix[k], prefix[m])) if leaves > 0 else None
    random.Random(seed).shuffle(fills)
    nets = {n.order.order_id: n for n in net_orders(orders, fills, taken)}
    working = {o.order_id: o.quantity for o in orders_net_of_fills(orders, fills, taken)}
    for o in orders:
        n = nets[o.order_id]
        assert n.filled_since + n.remaining == o.quantity  # nothing appears or vanishes
        assert n.remaining >= 0
        assert working.get(o.order_id, 0) == expected[o.order_id]  # equal to the model
        assert (o.order_id in working) == (expected[o.order_id] > 0)  # fully filled: off the ladder
    # Book-wide: the order's fills in the position plus what stays working never exceed the order.
    for oid, q, execs, k, m, side in lives:
        if expected[oid] is not None:
            assert sum(execs[:m]) + working.get(oid, 0) <= q
    assert position == sum(int(f.side) * f.qty for f in fills)
