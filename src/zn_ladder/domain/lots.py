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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from fractions import Fraction
from itertools import compress
from typing import Literal, NamedTuple

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.instruments import Product, product_of_contract
from zn_ladder.domain.prices import Price
from zn_ladder.domain.records import CorrectionKind, Fill, FillCorrection, SodLot

Method = Literal["lifo", "fifo"]
METHODS: tuple[Method, ...] = ("lifo", "fifo")


class Lot(NamedTuple):
    """An open lot: signed quantity (long > 0) at a price in ticks (a tuple, so lots from a book and
    (qty, price) rows from the store go through the same arithmetic)."""

    qty: int
    price: int


class LotMatch(NamedTuple):
    """One lot closed (wholly or in part) by a trade, as the book's recorder saw it.

    `qty` is signed as the lot was (> 0: a long lot sold), so its realized P&L in tick-contracts is
    `qty * (close_price - open_price)`; `seq` is the lot's sequence number (see `sequenced_lots`).
    """

    seq: int
    qty: int
    open_price: int
    close_price: int

    @property
    def realized_ticks(self) -> int:
        return self.qty * (self.close_price - self.open_price)


def check_method(method: str) -> Method:
    key = str(method).strip().lower()
    if key not in METHODS:
        raise InputError(f"unknown matching method {method!r}: expected lifo or fifo")
    return key  # type: ignore[return-value]


class LotBook:
    """Open lots, position and realized P&L of one account + instrument under one matching method.

    The one book of the app: the CLI replays fills into it, and the store persists it (`store.matching`
    keeps one per account/market/contract/method with `track=True`, writing only the lots a fill
    touched: `changes` maps a lot's sequence number to the lot, or to None once it is closed).

    With `record=True` the same matching also appends one `LotMatch` per lot it closes (wholly or in
    part) to `matches`: the realized P&L journal (`domain.journal`) is read from there, so the journal
    can never disagree with the book, and a book without a recorder pays one `is None` test per match.
    """

    __slots__ = ("product", "method", "_lots", "_lifo", "_position", "_realized_units", "_cash_units",
                 "_keys", "fills_applied", "duplicates", "_seq", "changes", "matches")

    def __init__(self, product: Product, method: Method | str = "lifo", sod: Iterable[SodLot] = (), *,
                 track: bool = False, record: bool = False) -> None:
        self.product = product
        self.method: Method = check_method(method)
        self._lifo = self.method == "lifo"
        #: [signed qty, price ticks, sequence number], oldest first.
        self._lots: deque[list[int]] = deque()
        self._position = 0
        self._realized_units = 0  # sum of (sell - buy) ticks x qty
        self._cash_units = 0  # sum of -signed_qty x price ticks (SOD lots included)
        self._keys: set[str] = set()
        #: Fills that changed the book (duplicates excluded; SOD lots are not fills).
        self.fills_applied = 0
        #: Fills refused because their key had been applied already.
        self.duplicates = 0
        self._seq = 0
        #: With `track`: lots changed since the caller last cleared it (seq -> lot, None = closed).
        self.changes: dict[int, list[int] | None] | None = {} if track else None
        #: With `record`: the matches made since the caller last cleared it, in order (see `LotMatch`).
        self.matches: list[LotMatch] | None = [] if record else None
        for lot in sod:
            self.open_sod(lot.qty, lot.price)

    @classmethod
    def restore(cls, product: Product, method: Method | str, *, position: int, realized_units: int,
                lots: Iterable[tuple[int, int, int]], next_seq: int, fills_applied: int = 0,
                track: bool = True, record: bool = False) -> LotBook:
        """A book as persisted: (seq, signed qty, price) lots. Cash flow is derived, not stored:
        realized + unrealized(M) = cash + position x M, so cash = realized - the open lots' cost."""
        book = cls(product, method, track=track, record=record)
        book._lots.extend([q, p, s] for s, q, p in lots)
        book._position, book._realized_units = position, realized_units
        book._cash_units = realized_units - book.open_cost_ticks
        book._seq, book.fills_applied = next_seq, fills_applied
        return book

    def open_sod(self, qty: int, price: int) -> None:
        """A start-of-day lot: it opens (or nets against) the position like a trade, but is not a fill."""
        self._trade(qty, price)

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

        The batch path of `zn-ladder pnl` (200,000 fills): one call per book instead of one per fill.
        Keys de-duplicate as in `apply_trade` (empty = unique). Returns how many fills were new.
        """
        if keys is not None:
            qtys, prices = self._new_only(qtys, prices, keys)
        trade = self._trade
        for qty, price in zip(qtys, prices):
            trade(qty, price)
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
        self._trade(fill.qty if fill.side > 0 else -fill.qty, fill.price)
        return True

    def apply_all(self, fills: Iterable[Fill]) -> int:
        """Apply fills in order; returns how many were new."""
        before = self.fills_applied
        for fill in fills:
            self.apply(fill)
        return self.fills_applied - before

    def _trade(self, qty: int, price: int) -> None:
        """The matching, written once: integer ticks only, O(1) amortized (each lot is pushed and popped
        once). A fill in the position's direction (or from flat) opens a lot; one against it closes lots
        newest first (LIFO) or oldest first (FIFO), and what is left opens a lot the other way."""
        if not qty:
            return
        self._cash_units -= qty * price
        pos = self._position
        self._position = pos + qty
        lots = self._lots
        changes = self.changes
        if pos and (pos > 0) != (qty > 0):
            realized = 0
            lifo = self._lifo
            matches = self.matches
            while lots:
                lot = lots[-1] if lifo else lots[0]
                lot_qty = lot[0]
                rest = qty + lot_qty  # the lot is of the opposite sign to qty
                if rest and (rest > 0) != (qty > 0):  # the lot is bigger: it stays, smaller
                    lot[0] = rest
                    realized -= qty * (price - lot[1])
                    if changes is not None:
                        changes[lot[2]] = lot
                    if matches is not None:
                        matches.append(LotMatch(lot[2], -qty, lot[1], price))
                    qty = 0
                    break
                if lifo:
                    lots.pop()
                else:
                    lots.popleft()
                if changes is not None:
                    changes[lot[2]] = None
                if matches is not None:
                    matches.append(LotMatch(lot[2], lot_qty, lot[1], price))
                realized += lot_qty * (price - lot[1])  # the whole lot, signed as the lot
                qty = rest
                if not rest:
                    break
            self._realized_units += realized
            if not qty:
                return
        seq = self._seq
        self._seq = seq + 1
        lot = [qty, price, seq]
        lots.append(lot)
        if changes is not None:
            changes[seq] = lot

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
        return tuple(Lot(q, p) for q, p, _ in self._lots)

    @property
    def sequenced_lots(self) -> tuple[tuple[int, int, int], ...]:
        """(seq, signed qty, price ticks) of the open lots, oldest first: what the store persists."""
        return tuple((s, q, p) for q, p, s in self._lots)

    @property
    def next_seq(self) -> int:
        return self._seq

    @property
    def cash_units(self) -> int:
        """Sum of -signed qty x price (ticks) over every trade and SOD lot."""
        return self._cash_units

    @property
    def open_cost_ticks(self) -> int:
        """Sum of signed qty x price (ticks) over the open lots."""
        return sum(q * p for q, p, _ in self._lots)

    @property
    def average_open_price(self) -> Price | None:
        """Quantity-weighted average price of the open lots; None when flat."""
        return average_open_price(self.open_lots, self.product)

    def unrealized(self, mark: Price) -> Fraction:
        """Open lots marked at `mark` (which may lie between ticks), in dollars."""
        return unrealized(self.open_lots, mark, self.product)

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


def average_open_price(lots: Iterable[tuple[int, int]], product: Product) -> Price | None:
    """The price at which open lots (signed qty, price ticks) break even: sum(qty x price) / position.

    Over one book this is the plain average of its lots. Over several accounts one may be long and
    another short: the net figure is still the breakeven of the net position, so it is given; None flat.
    """
    lots = list(lots)
    position = sum(q for q, _ in lots)
    if not position:
        return None
    return Price(Fraction(sum(q * p for q, p in lots), position * product.ticks_per_point))


def unrealized(lots: Iterable[tuple[int, int]], mark: Price, product: Product) -> Fraction:
    """Open lots (signed qty, price ticks) marked at `mark` (which may lie between ticks), in dollars."""
    mark_ticks = mark.ticks(product)
    return sum((q * (mark_ticks - p) for q, p in lots), Fraction(0)) * product.tick_value


#: (account, market, contract): a book is per account and instrument, never per contract name alone
#: (ZN Sep25 on CME and on CME_Delayed are two instruments).
BookKey = tuple[str, str, str]


def product_filter(product: Product) -> Callable[[str], bool]:
    """`is_ours(contract)`: whether a contract is of `product` (unknown names are not), remembered per
    name, since a day's fills name a handful of contracts hundreds of thousands of times."""
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

    return is_ours


def match_fills(fills: Iterable[Fill], product: Product, method: Method | str = "lifo",
                sod: Iterable[SodLot] = ()) -> dict[BookKey, LotBook]:
    """One `LotBook` per (account, market, contract) of `product`, SOD lots first, then fills in order.

    Fills and SOD lots of other products (or of contracts whose product cannot be told) are left out:
    their prices are ticks of a different instrument. Fill order matters for LIFO/FIFO, so pass fills
    in execution order. Duplicate keys count once per book.
    """
    method = check_method(method)
    is_ours = product_filter(product)
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
