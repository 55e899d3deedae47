"""The scenario ladder (DESIGN.md §3.4): position and P&L at every tick if price walked there from spot.

Walking **down** from spot S, each level L <= S first earns the position held on the way
(`pnl += pos * (L - prev) * point_value`; the first step starts at the exact spot, which may lie between
ticks), that value is the row's projected P&L, and then the orders that fill when price trades down to L
are applied (buy limits and sell stops at L); the row's position is the position after them. Walking
**up** (L > S) is the mirror image with sell limits and buy stops. An order that cannot fill on its walk
(a buy limit above S, a sell limit below S, a stop on the wrong side) is "through the spot": it is
shown in the row's quantities and flagged, never applied. `side_checked=False` reproduces the seed's Dash
app, which applied every order the walk crossed whatever its side (identical on a normal book).

At an on-tick spot (DESIGN §3.4): an order resting exactly at S has not filled yet. The spot row shows
the base position and B0, so it always equals the POSITION and TOTAL P&L the window shows; the order
fills at S on the first move away from S in its direction: a buy limit or sell stop at S counts on every
row below S, a sell limit or buy stop at S on every row above. Both sides alike; such orders are "at
spot" (`LadderRow.at_spot`), not through. A spot between ticks has no order at it: the tick below is an
ordinary level of the down walk. (The seed's mode keeps the seed's rule: every order at the spot level is
applied on the spot row.)

Window: rows are only produced for `low..high`, but the walk always starts at the spot, so orders that
lie between the spot and the window are applied on the way to it. Orders beyond the window's far edge
are simply not reached (they cannot change any row shown).

Why it is built this way: the projection must take well under 2 ms for 2000 levels x 500 orders and
`Fraction` arithmetic costs microseconds per operation. Position only changes at order levels, so the
projection stores one breakpoint per such level (exact integer P&L in units of 1/d tick-contracts, d
being the spot's denominator in ticks) and `rows[i]` / `row_at` build a row on demand from the nearest
breakpoint with one bisect and a few integer operations; Fractions appear only in the returned row.
The cost of a projection is therefore O(orders log orders), independent of the number of levels.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import overload

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.instruments import Product
from zn_ladder.domain.prices import Price
from zn_ladder.domain.records import OrderType, WorkingOrder

_ZERO = Fraction(0)


@dataclass(frozen=True, slots=True)
class LadderRow:
    price: int  # ticks
    #: Working buy qty at this level: every working order there, including through-spot ones.
    buy_qty: int
    sell_qty: int
    #: Position after this level's fills.
    position: int
    #: Dollars, at this level before its orders fill (they fill at this price, so it is the same after).
    projected_pnl: Fraction
    #: Dollars: position * tick value.
    risk: Fraction
    #: projected_pnl / risk, 0 where either is 0.
    breakeven: Fraction
    #: The tick at or just below spot (spot may lie between ticks).
    is_spot: bool
    #: Order ids at this level that could not fill on their walk.
    through_spot: tuple[str, ...]
    #: The part of buy_qty / sell_qty that comes from hypothetical (what_if=True) orders.
    what_if_buy: int = 0
    what_if_sell: int = 0
    #: Order ids resting exactly at an on-tick spot (only on the spot row): not filled on this row, they
    #: fill on the first move away from spot in their direction (DESIGN §3.4).
    at_spot: tuple[str, ...] = ()


class _Level:
    """Working orders at one price level (mutable while the ladder is being built, private after)."""

    __slots__ = ("buy", "sell", "wi_buy", "wi_sell", "delta", "through", "at_spot")

    def __init__(self) -> None:
        self.buy = 0
        self.sell = 0
        self.wi_buy = 0
        self.wi_sell = 0
        self.delta = 0
        self.through: list[str] = []
        self.at_spot: list[str] = []


_EMPTY_LEVEL = _Level()


class _Walk:
    """Breakpoints of one walk direction: levels where the position changes, in walk order.

    `keys` is ascending for bisect: the levels themselves going up, their negation going down.
    `acc[i]` is the P&L at breakpoint i before its orders (units of 1/d tick-contracts relative to the
    base P&L); `pos[i]` the position after them. `start` is the position the walk leaves spot with: the
    base position plus the orders resting at an on-tick spot that fill on the first move this way.
    """

    __slots__ = ("keys", "scaled", "acc", "pos", "start")

    def __init__(self, start: int) -> None:
        self.keys: list[int] = []
        self.scaled: list[int] = []
        self.acc: list[int] = []
        self.pos: list[int] = []
        self.start = start


class LadderRows(Sequence[LadderRow]):
    """The rows of a ladder from `high` down to `low`, built on access (see the module docstring).

    Indexing, slicing and `row_at` cost one bisect plus a few Fraction operations per row; rows already
    built are cached, so the UI re-reading its ~200 visible rows is a dict lookup. The cache is the
    only mutable state and holds pure values: two threads reading at once at worst build a row twice.
    """

    __slots__ = ("high", "low", "spot_tick", "_product", "_d", "_spot_scaled", "_base_position", "_base_pnl",
                 "_levels", "_down", "_up", "_cache", "_spot_row_is_base")

    def __init__(self, *, high: int, low: int, spot_tick: int, product: Product, d: int, spot_scaled: int,
                 base_position: int, base_pnl: Fraction, levels: dict[int, _Level], down: _Walk,
                 up: _Walk, spot_row_is_base: bool = False) -> None:
        self.high = high
        self.low = low
        self.spot_tick = spot_tick
        self._product = product
        self._d = d
        self._spot_scaled = spot_scaled
        self._base_position = base_position
        self._base_pnl = base_pnl
        self._levels = levels
        self._down = down
        self._up = up
        #: On an on-tick spot (side-checked): the spot row is the base, before any order resting there.
        self._spot_row_is_base = spot_row_is_base
        self._cache: dict[int, LadderRow] = {}

    def __len__(self) -> int:
        return self.high - self.low + 1

    @overload
    def __getitem__(self, index: int) -> LadderRow: ...

    @overload
    def __getitem__(self, index: slice) -> list[LadderRow]: ...

    def __getitem__(self, index: int | slice) -> LadderRow | list[LadderRow]:
        n = self.high - self.low + 1
        if isinstance(index, slice):
            return [self._row(self.high - i) for i in range(*index.indices(n))]
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError(f"ladder row {index} out of range 0..{n - 1}")
        return self._row(self.high - index)

    def __iter__(self) -> Iterator[LadderRow]:
        for price in range(self.high, self.low - 1, -1):
            yield self._row(price)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"LadderRows(high={self.high}, low={self.low})"

    def index_of(self, price_ticks: int) -> int | None:
        """Row index of a price (0 is the highest row), None outside the window."""
        if self.low <= price_ticks <= self.high:
            return self.high - price_ticks
        return None

    def row_at(self, price_ticks: int) -> LadderRow | None:
        if self.low <= price_ticks <= self.high:
            return self._row(price_ticks)
        return None

    def position_and_units(self, price: int) -> tuple[int, int]:
        """(position after the level's orders, P&L in 1/d tick-contract units over the base) at `price`."""
        d = self._d
        if price == self.spot_tick and self._spot_row_is_base:
            return self._base_position, 0
        if price <= self.spot_tick:
            walk = self._down
            k = bisect_right(walk.keys, -price)
        else:
            walk = self._up
            k = bisect_right(walk.keys, price)
        if k:
            ref_scaled, ref_acc, ref_pos = walk.scaled[k - 1], walk.acc[k - 1], walk.pos[k - 1]
        else:
            ref_scaled, ref_acc, ref_pos = self._spot_scaled, 0, walk.start
        return ref_pos, ref_acc + ref_pos * (price * d - ref_scaled)

    def _row(self, price: int) -> LadderRow:
        row = self._cache.get(price)
        if row is not None:
            return row
        position, units = self.position_and_units(price)
        # Integer numerators over fixed denominators: one normalising Fraction() per field (~0.5 us)
        # instead of Fraction arithmetic (~1-3 us per operation).
        tv = self._product.tick_value
        base = self._base_pnl
        pnl_den = base.denominator * tv.denominator * self._d
        pnl_num = base.numerator * tv.denominator * self._d + units * tv.numerator * base.denominator
        risk_num = position * tv.numerator
        pnl = Fraction(pnl_num, pnl_den)
        risk = Fraction(risk_num, tv.denominator)
        breakeven = Fraction(pnl_num * tv.denominator, pnl_den * risk_num) if pnl_num and risk_num else _ZERO
        level = self._levels.get(price, _EMPTY_LEVEL)
        row = LadderRow(price, level.buy, level.sell, position, pnl, risk, breakeven, price == self.spot_tick,
                        tuple(level.through), level.wi_buy, level.wi_sell, tuple(level.at_spot))
        self._cache[price] = row
        return row


@dataclass(frozen=True)
class Ladder:
    product: Product
    spot: Price
    base_position: int
    base_pnl: Fraction
    #: High price -> low price; a lazy `LadderRows`.
    rows: LadderRows
    #: Every order id that was through the spot (also those outside the window).
    through_spot: tuple[str, ...]
    #: Every order id resting exactly at an on-tick spot (DESIGN §3.4): not filled yet.
    at_spot: tuple[str, ...] = ()

    @property
    def high(self) -> int:
        return self.rows.high

    @property
    def low(self) -> int:
        return self.rows.low

    @property
    def spot_tick(self) -> int:
        """The tick at or just below spot (the row flagged `is_spot`)."""
        return self.rows.spot_tick

    def row_at(self, price_ticks: int) -> LadderRow | None:
        return self.rows.row_at(price_ticks)

    def index_of(self, price_ticks: int) -> int | None:
        return self.rows.index_of(price_ticks)


def _fills_on_walk(order: WorkingOrder, down: bool) -> bool:
    """Whether the order fills when price trades to its level on this walk (DESIGN §3.4)."""
    return _fills_going(order.side > 0, order.order_type, down)


def _fills_going(buy: bool, order_type: OrderType, down: bool) -> bool:
    if order_type == OrderType.STOP:
        return buy != down
    return buy == down


def spot_mark(buy: bool, order_type: OrderType, price: int, spot_ticks: Fraction) -> str:
    """How an order at `price` (ticks) stands against spot (exact ticks), by DESIGN §3.4: "" when it
    fills on its walk, "at_spot" when it rests exactly at an on-tick spot (fills on the first move away
    in its direction), "through" when it could not fill walking from spot (shown, never applied)."""
    if price == spot_ticks:
        return "at_spot"
    return "" if _fills_going(buy, order_type, price < spot_ticks) else "through"


def _unique(orders: Sequence[WorkingOrder]) -> list[WorkingOrder]:
    """Each order at most once: a later entry with the same (non-empty) id replaces an earlier one."""
    by_id: dict[str, WorkingOrder] = {}
    anonymous: list[WorkingOrder] = []
    for order in orders:
        if order.order_id:
            by_id.pop(order.order_id, None)
            by_id[order.order_id] = order
        else:
            anonymous.append(order)
    return [*by_id.values(), *anonymous] if anonymous else list(by_id.values())


def _build_walk(levels: dict[int, _Level], prices: list[int], *, down: bool, spot_scaled: int, d: int,
                start: int) -> _Walk:
    walk = _Walk(start)
    acc, pos, prev = 0, start, spot_scaled
    for price in prices:
        delta = levels[price].delta
        if not delta:
            continue
        scaled = price * d
        acc += pos * (scaled - prev)
        pos += delta
        prev = scaled
        walk.keys.append(-price if down else price)
        walk.scaled.append(scaled)
        walk.acc.append(acc)
        walk.pos.append(pos)
    return walk


def project_ladder(product: Product, spot: Price, base_position: int, base_pnl: Fraction,
                   orders: Sequence[WorkingOrder], *, high: int | None = None, low: int | None = None,
                   padding: int = 10, side_checked: bool = True) -> Ladder:
    """Project the ladder for `orders` (all of `product`) from `spot` with base position/P&L at spot.

    Default window: every order price and the spot (both ticks around it when it lies between two),
    padded by `padding` ticks each side.
    """
    spot_ticks = spot.ticks(product)
    d = spot_ticks.denominator
    spot_scaled = spot_ticks.numerator
    spot_tick = math.floor(spot_ticks)

    #: Orders resting exactly at an on-tick spot are applied when the walk leaves spot (DESIGN §3.4).
    at_spot_rule = side_checked and d == 1
    levels: dict[int, _Level] = {}
    through: list[str] = []
    at_spot: list[str] = []
    leave_down = leave_up = 0
    for order in _unique(orders):
        qty = order.quantity
        if qty <= 0:
            continue
        price = order.price
        level = levels.get(price)
        if level is None:
            level = levels[price] = _Level()
        buy = order.side > 0
        if buy:
            level.buy += qty
            if order.what_if:
                level.wi_buy += qty
        else:
            level.sell += qty
            if order.what_if:
                level.wi_sell += qty
        signed = qty if buy else -qty
        if at_spot_rule and price == spot_tick:
            level.at_spot.append(order.order_id)
            at_spot.append(order.order_id)
            if _fills_on_walk(order, True):
                leave_down += signed
            else:
                leave_up += signed
        elif not side_checked or _fills_on_walk(order, price <= spot_tick):
            level.delta += signed
        else:
            level.through.append(order.order_id)
            through.append(order.order_id)

    if high is None:
        top = math.ceil(spot_ticks)  # a spot between ticks is padded on both of its ticks
        high = max(top, max(levels, default=top)) + padding
    if low is None:
        low = min(spot_tick, min(levels, default=spot_tick)) - padding
    if high < low:
        raise InputError(f"ladder window is empty: high {high} is below low {low} (ticks)")

    # Only levels between the spot and the window's far edge are reached by a walk.
    down_prices = sorted((p for p in levels if low <= p <= spot_tick and not (at_spot_rule and p == spot_tick)),
                         reverse=True)
    up_prices = sorted(p for p in levels if spot_tick < p <= high)
    rows = LadderRows(
        high=high, low=low, spot_tick=spot_tick, product=product, d=d, spot_scaled=spot_scaled,
        base_position=base_position, base_pnl=Fraction(base_pnl), levels=levels,
        down=_build_walk(levels, down_prices, down=True, spot_scaled=spot_scaled, d=d,
                         start=base_position + leave_down),
        up=_build_walk(levels, up_prices, down=False, spot_scaled=spot_scaled, d=d,
                       start=base_position + leave_up),
        spot_row_is_base=at_spot_rule,
    )
    return Ladder(product, spot, base_position, Fraction(base_pnl), rows, tuple(through), tuple(at_spot))
