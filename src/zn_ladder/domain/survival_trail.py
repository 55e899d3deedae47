"""Position and P&L after each fill of a day: the survival curve's inputs, fill by fill (issue 15 §5).

The old desk logged the survival curve after every fill (`r_survival_streaming.csv`): the risk R0 of
the position the fill left, at the fill's price. Here the position and the P&L so far are those of
the books the store keeps, by their own definition (`store.matching.recompute_book`): each account's
latest SOD, then its live fills of the session in time order, accounts apart (lots never match across
accounts) and summed. The P&L at a fill is realized plus the open lots marked at that fill's price:
the trade's P&L at that moment, the same under LIFO and FIFO. `FillTrail` keeps the books between
calls, so a caller that sees the day grow applies only the new fills.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from fractions import Fraction

from zn_ladder.domain.instruments import Product
from zn_ladder.domain.lots import LotBook
from zn_ladder.domain.records import Fill, SodLot


@dataclass(frozen=True, slots=True)
class FillMark:
    """What a fill left: the summed position and P&L (dollars, marked at the fill's price)."""

    fill: Fill
    position: int
    pnl: Fraction


class FillTrail:
    """The books of one contract fill by fill: `apply` takes the next fill (time order) and says what it
    left. `session_start[(account, market)]` is the ns from which an account's fills count (0 when
    absent); an earlier fill is not in its books (`apply` gives None)."""

    def __init__(self, product: Product, sod: Iterable[SodLot], session_start: Mapping[tuple[str, str], int]) -> None:
        self.product = product
        self._start = dict(session_start)
        self._books: dict[tuple[str, str], LotBook] = {}
        for lot in sod:
            self._book((lot.account, lot.market)).open_sod(lot.qty, lot.price)
        self.position = sum(b.position for b in self._books.values())
        #: Sum over the books of -signed qty x price (ticks): with the position, the P&L at any mark
        #: (realized + unrealized = cash + position x mark, whatever the matching method).
        self._cash = sum(b.cash_units for b in self._books.values())

    def _book(self, key: tuple[str, str]) -> LotBook:
        book = self._books.get(key)
        if book is None:
            book = self._books[key] = LotBook(self.product, "lifo")
        return book

    def apply(self, fill: Fill) -> FillMark | None:
        key = (fill.account, fill.market)
        if fill.time_ns < self._start.get(key, 0):
            return None
        book = self._book(key)
        position, cash = book.position, book.cash_units
        book.apply_trade(fill.signed_qty, fill.price)
        self.position += book.position - position
        self._cash += book.cash_units - cash
        return FillMark(fill, self.position, (self._cash + self.position * fill.price) * self.product.tick_value)


def marks_after_fills(fills: Iterable[Fill], sod: Iterable[SodLot], product: Product,
                      session_start: Mapping[tuple[str, str], int]) -> Iterator[FillMark]:
    """A `FillMark` per fill of the session, in the order given (time order); see `FillTrail`."""
    trail = FillTrail(product, sod, session_start)
    for fill in fills:
        mark = trail.apply(fill)
        if mark is not None:
            yield mark
