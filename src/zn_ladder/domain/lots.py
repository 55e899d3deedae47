"""Lot matching (DESIGN.md §3.5): realized P&L by LIFO or FIFO per account and contract.

Each fill either adds an open lot (same direction as the position, or flat) or closes open lots of the
other direction, newest first (LIFO, the seed's method) or oldest first (FIFO, the clearing house's);
what is left of the fill after every lot is closed opens a lot the other way. Realized per match =
(sell price - buy price) x matched qty x point value.

Why integers: a desk's day can be hundreds of thousands of fills and `zn-ladder pnl` must replay them
well under half a second, so the hot path keeps lots as [qty, price-in-ticks] pairs in a deque (O(1)
at either end) and realized / cash flow as integer tick-contracts, converted to dollar `Fraction`s
only when read. SOD lots count as opening trades at their price, which is what makes the check
`realized + unrealized(M) == cash_flow_pnl(M)` hold for every method.

Busts and corrections are handled by recomputing: `apply_corrections` rewrites the fill list and the
books are replayed from it (`match_fills`), so matching never has to undo a match.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from itertools import compress
from typing import Literal

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.instruments import Product, product_of_contract
from zn_ladder.domain.prices import Price
from zn_ladder.domain.records import CorrectionKind, Fill, FillCorrection, SodLot

Method = Literal["lifo", "fifo"]
METHODS: tuple[Method, ...] = ("lifo", "fifo")


@dataclass(frozen=True, slots=True)
class Lot:
    """An open lot: signed quantity (long > 0) at a price in ticks."""

    qty: int
    price: int


def check_method(method: str) -> Method:
    key = str(method).strip().lower()
    if key not in METHODS:
        raise InputError(f"unknown matching method {method!r}: expected lifo or fifo")
    return key  # type: ignore[return-value]


class LotBook:
    """Open lots, position and realized P&L of one account + contract under one matching method."""

    __slots__ = ("product", "method", "_lots", "_lifo", "_position", "_realized_units", "_cash_units",
                 "_keys", "fills_applied", "duplicates")

    def __init__(self, product: Product, method: Method | str = "lifo", sod: Iterable[SodLot] = ()) -> None:
        self.product = product
        self.method: Method = check_method(method)
        self._lifo = self.method == "lifo"
        self._lots: deque[list[int]] = deque()
        self._position = 0
        self._realized_units = 0  # sum of (sell - buy) ticks x qty
        self._cash_units = 0  # sum of -signed_qty x price ticks (SOD lots included)
        self._keys: set[str] = set()
        #: Fills that changed the book (duplicates excluded; SOD lots are not fills).
        self.fills_applied = 0
        #: Fills refused because their key had been applied already.
        self.duplicates = 0
        for lot in sod:
            if lot.qty:
                self._trade(lot.qty, lot.price)

    def apply_trade(self, qty: int, price: int, key: str = "") -> bool:
        """Apply one fill given as numbers (signed qty, price in ticks): for callers that read fills
        without building `Fill` records. A non-empty `key` counts once, as in `apply`; an empty key
        means the caller knows the fill is unique (a fill-monitor row without exec id)."""
        if key:
            keys = self._keys
            if key in keys:
                self.duplicates += 1
                return False
            keys.add(key)
        self.fills_applied += 1
        self._trade(qty, price)
        return True

    def apply_trades(self, qtys: Sequence[int], prices: Sequence[int], keys: Sequence[str] | None = None) -> int:
        """Apply fills given as parallel columns (signed qtys, price ticks, optional keys), in order.

        The batch hot path of `zn-ladder pnl` (200,000 fills): one call per book instead of one per
        fill, and the matching loop of `_trade` inlined over local variables. Keys de-duplicate as in
        `apply_trade` (empty = unique). Returns how many fills were new.
        """
        if keys is not None:
            qtys, prices = self._new_only(qtys, prices, keys)
        pos, cash, realized = self._position, self._cash_units, self._realized_units
        lots = self._lots
        push = lots.append
        take, end = (lots.pop, -1) if self._lifo else (lots.popleft, 0)
        for qty, price in zip(qtys, prices):
            cash -= qty * price
            if pos == 0 or (pos > 0) == (qty > 0):  # opens (or adds to) the position
                if qty:
                    pos += qty
                    push([qty, price])
                continue
            pos += qty
            buy = qty > 0
            while lots:  # close lots of the other sign, newest (LIFO) or oldest (FIFO) first
                lot = lots[end]
                lot_qty = lot[0]
                rest = qty + lot_qty
                if rest and (rest > 0) != buy:  # the lot is bigger: it stays, smaller
                    lot[0] = rest
                    realized -= qty * (price - lot[1])
                    qty = 0
                    break
                take()
                realized += lot_qty * (price - lot[1])
                qty = rest
                if not rest:
                    break
            if qty:
                push([qty, price])
        self._position, self._cash_units, self._realized_units = pos, cash, realized
        self.fills_applied += len(qtys)
        return len(qtys)

    def _new_only(self, qtys: Sequence[int], prices: Sequence[int],
                  keys: Sequence[str]) -> tuple[Sequence[int], Sequence[int]]:
        """The fills whose key is empty or not applied before (first one of a repeated key wins)."""
        seen = self._keys
        fresh = []
        for key in keys:
            if not key:
                fresh.append(True)
            elif key in seen:
                fresh.append(False)
            else:
                seen.add(key)
                fresh.append(True)
        dropped = fresh.count(False)
        if not dropped:
            return qtys, prices
        self.duplicates += dropped
        return list(compress(qtys, fresh)), list(compress(prices, fresh))

    def apply(self, fill: Fill) -> bool:
        """Apply one fill; False (and nothing changes) when its key was applied before."""
        key = fill.key
        keys = self._keys
        if key in keys:
            self.duplicates += 1
            return False
        keys.add(key)
        self.fills_applied += 1
        qty = fill.qty if fill.side > 0 else -fill.qty
        price = fill.price
        # The common case inline (this is the per-fill hot path): a fill that only opens a lot.
        pos = self._position
        if pos == 0 or (pos > 0) == (qty > 0):
            if qty:
                self._cash_units -= qty * price
                self._position = pos + qty
                self._lots.append([qty, price])
        else:
            self._trade(qty, price)
        return True

    def apply_all(self, fills: Iterable[Fill]) -> int:
        """Apply fills in order; returns how many were new."""
        before = self.fills_applied
        for fill in fills:
            self.apply(fill)
        return self.fills_applied - before

    def _trade(self, qty: int, price: int) -> None:
        """The matching loop: integer ticks only, O(1) amortized (each lot is pushed and popped once)."""
        if not qty:
            return
        self._cash_units -= qty * price
        pos = self._position
        self._position = pos + qty
        lots = self._lots
        if pos == 0 or (pos > 0) == (qty > 0):
            lots.append([qty, price])
            return
        realized = 0
        lifo = self._lifo
        while qty and lots:
            lot = lots[-1] if lifo else lots[0]
            lot_qty = lot[0]
            # The lot is of the opposite sign to qty; close min(|qty|, |lot|).
            if abs(lot_qty) <= abs(qty):
                matched = lot_qty  # the whole lot, signed as the lot
                if lifo:
                    lots.pop()
                else:
                    lots.popleft()
            else:
                matched = -qty
                lot[0] = lot_qty + qty
            # Long lot closed by a sale at `price`: (price - lot price) x matched; short: the mirror.
            realized += matched * (price - lot[1])
            qty += matched
        self._realized_units += realized
        if qty:
            lots.append([qty, price])

    # --- reads: convert integer units to exact dollars -------------------------------------------

    @property
    def position(self) -> int:
        return self._position

    @property
    def realized_ticks(self) -> int:
        """Realized P&L in tick-contracts (x tick value = dollars)."""
        return self._realized_units

    @property
    def realized(self) -> Fraction:
        """Realized P&L in dollars."""
        return self._realized_units * self.product.tick_value

    @property
    def open_lots(self) -> tuple[Lot, ...]:
        """Open lots, oldest first; their quantities sum to the position."""
        return tuple(Lot(q, p) for q, p in self._lots)

    @property
    def open_cost_ticks(self) -> int:
        """Sum of signed qty x price (ticks) over the open lots."""
        return sum(q * p for q, p in self._lots)

    @property
    def average_open_price(self) -> Price | None:
        """Quantity-weighted average price of the open lots; None when flat."""
        if not self._position:
            return None
        return Price(Fraction(self.open_cost_ticks, self._position * self.product.ticks_per_point))

    def unrealized(self, mark: Price) -> Fraction:
        """Open lots marked at `mark` (which may lie between ticks), in dollars."""
        mark_ticks = mark.ticks(self.product)
        return (self._position * mark_ticks - self.open_cost_ticks) * self.product.tick_value

    def cash_flow_pnl(self, mark: Price) -> Fraction:
        """`sum(-signed_qty * price) * pv + position * M * pv`, SOD lots counted as opening trades.

        Independent of the matching method; equals `realized + unrealized(mark)`.
        """
        mark_ticks = mark.ticks(self.product)
        return (self._cash_units + self._position * mark_ticks) * self.product.tick_value

    def total_pnl(self, mark: Price) -> Fraction:
        return self.realized + self.unrealized(mark)

    def __repr__(self) -> str:
        return (f"LotBook({self.product.symbol}, {self.method}, position={self._position}, "
                f"realized={self.realized}, lots={len(self._lots)})")


#: (account, market, contract): a book is per account and instrument, never per contract name alone
#: (ZN Sep25 on CME and on CME_Delayed are two instruments).
BookKey = tuple[str, str, str]


def match_fills(fills: Iterable[Fill], product: Product, method: Method | str = "lifo",
                sod: Iterable[SodLot] = ()) -> dict[BookKey, LotBook]:
    """One `LotBook` per (account, market, contract) of `product`, SOD lots first, then fills in order.

    Fills and SOD lots of other products (or of contracts whose product cannot be told) are left out:
    their prices are ticks of a different instrument. Fill order matters for LIFO/FIFO, so pass fills
    in execution order. Duplicate keys count once per book.
    """
    method = check_method(method)
    ours: dict[str, bool] = {}

    def is_ours(contract: str) -> bool:
        known = ours.get(contract)
        if known is None:
            try:
                known = product_of_contract(contract) is product
            except InputError:
                known = False
            ours[contract] = known
        return known

    sod_by_key: dict[BookKey, list[SodLot]] = {}
    for lot in sod:
        if is_ours(lot.contract):
            sod_by_key.setdefault((lot.account, lot.market, lot.contract), []).append(lot)
    books: dict[BookKey, LotBook] = {key: LotBook(product, method, lots) for key, lots in sod_by_key.items()}
    # Fills come in runs of one book: keep the last book's bound `apply` at hand.
    last: BookKey | None = None
    apply = None
    for fill in fills:
        key = (fill.account, fill.market, fill.contract)
        if key != last:
            last = key
            contract = fill.contract
            book = books.get(key)
            if book is None:
                if not is_ours(contract):
                    apply = None
                    continue
                book = books[key] = LotBook(product, method)
            apply = book.apply
        if apply is not None:
            apply(fill)
    return books


def apply_corrections(fills: Iterable[Fill], corrections: Iterable[FillCorrection], *,
                      unmatched: list[FillCorrection] | None = None) -> list[Fill]:
    """The fill list as it stands after busts and corrections, for replaying the books.

    A bust removes the referenced fill; a correction replaces its qty and/or price (qty 0 removes it).
    The corrected fill keeps its original key and place in the sequence, so matching order and
    de-duplication are unchanged. A correction may reference the original execution or an earlier
    correction of it. Corrections are applied in time order; one seen twice (same key) counts once.
    Corrections whose referenced fill is not in `fills` are appended to `unmatched` when given.
    """
    result = list(fills)
    todo = sorted(corrections, key=lambda c: c.time_ns)
    if not todo:
        return result
    index: dict[str, list[int]] = {}
    for i, fill in enumerate(result):
        index.setdefault(fill.key, []).append(i)
    removed: set[int] = set()
    seen: set[str] = set()
    for corr in todo:
        if corr.key and corr.key in seen:
            continue
        seen.add(corr.key)
        positions = [i for i in index.get(corr.ref_key, ()) if i not in removed]
        if not positions:
            if unmatched is not None:
                unmatched.append(corr)
            continue
        if corr.key:
            index.setdefault(corr.key, []).extend(positions)  # a later correction may reference this one
        bust = corr.kind == CorrectionKind.BUST or corr.qty == 0
        for i in positions:
            if bust:
                removed.add(i)
                continue
            fill = result[i]
            result[i] = replace(fill, qty=fill.qty if corr.qty is None else corr.qty,
                                price=fill.price if corr.price is None else corr.price)
    if not removed:
        return result
    return [fill for i, fill in enumerate(result) if i not in removed]
