"""Position and P&L after each fill of a day: the survival curve's inputs, fill by fill (issue 15 §5).

The old desk logged the survival curve after every fill (`r_survival_streaming.csv`): the risk R0 of
the position the fill left, at the fill's price. Here the position and the P&L so far are those of
the books the store keeps, by their own definition (`store.matching.recompute_book`): each account's
latest SOD, then its live fills of the session in time order, accounts apart (lots never match across
accounts) and summed. The P&L at a fill is realized plus the open lots marked at that fill's price:
the trade's P&L at that moment, the same under LIFO and FIFO.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from fractions import Fraction

from zn_ladder.domain.instruments import Product
from zn_ladder.domain.lots import LotBook
from zn_ladder.domain.prices import Price
from zn_ladder.domain.records import Fill, SodLot


@dataclass(frozen=True, slots=True)
class FillMark:
    """What a fill left: the summed position and P&L (dollars, marked at the fill's price)."""

    fill: Fill
    position: int
    pnl: Fraction


def marks_after_fills(fills: Iterable[Fill], sod: Iterable[SodLot], product: Product,
                      session_start: Mapping[tuple[str, str], int]) -> Iterator[FillMark]:
    """A `FillMark` per fill of the session, in the order given (time order): `session_start[(account,
    market)]` is the ns from which an account's fills count (0 when absent); earlier ones are skipped."""
    books: dict[tuple[str, str], LotBook] = {}
    for lot in sod:
        key = (lot.account, lot.market)
        book = books.get(key)
        if book is None:
            book = books[key] = LotBook(product, "lifo")
        book.open_sod(lot.qty, lot.price)
    position = sum(b.position for b in books.values())
    for fill in fills:
        key = (fill.account, fill.market)
        if fill.time_ns < session_start.get(key, 0):
            continue
        book = books.get(key)
        if book is None:
            book = books[key] = LotBook(product, "lifo")
        before = book.position
        book.apply_trade(fill.signed_qty, fill.price)
        position += book.position - before
        mark = Price.from_ticks(fill.price, product)
        # realized + unrealized at the mark, book by book (`cash_flow_pnl`: O(1), whatever the open lots)
        pnl = sum((b.cash_flow_pnl(mark) for b in books.values()), Fraction(0))
        yield FillMark(fill, position, pnl)
