"""The ladder's base: position P0 and P&L B0 at spot, from the day's lot books (DESIGN.md §3.4).

B0 = realized P&L of the day + open lots (SOD lots and today's fills) marked at spot. The total does
not depend on the matching method (only its realized/unrealized split does), so a ladder looks the same
whether the P&L panel shows LIFO or FIFO.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from zn_ladder.domain.instruments import Product
from zn_ladder.domain.lots import LotBook, Method, match_fills
from zn_ladder.domain.prices import Price
from zn_ladder.domain.records import Fill, SodLot

Books = LotBook | Iterable[LotBook] | Mapping[object, LotBook]


def _books(books: Books) -> list[LotBook]:
    if isinstance(books, LotBook):
        return [books]
    if isinstance(books, Mapping):
        return list(books.values())
    return list(books)


def base_position(books: Books) -> int:
    """Net position over the books (SOD + fills): P0 of the ladder."""
    return sum(book.position for book in _books(books))


def base_pnl(books: Books, spot: Price) -> Fraction:
    """B0 in dollars: realized of the day + open lots marked at `spot` (which may lie between ticks)."""
    return sum((book.realized + book.unrealized(spot) for book in _books(books)), Fraction(0))


@dataclass(frozen=True, slots=True)
class LadderBase:
    """What `project_ladder` needs from the books, plus the split the P&L panel shows beside it."""

    position: int
    pnl: Fraction
    realized: Fraction
    unrealized: Fraction


def ladder_base(books: Books, spot: Price) -> LadderBase:
    items = _books(books)
    realized = sum((b.realized for b in items), Fraction(0))
    unrealized = sum((b.unrealized(spot) for b in items), Fraction(0))
    return LadderBase(base_position(items), realized + unrealized, realized, unrealized)


def ladder_base_from_fills(fills: Iterable[Fill], product: Product, spot: Price, *, sod: Iterable[SodLot] = (),
                           method: Method | str = "lifo", account: str | None = None,
                           contract: str | None = None, market: str | None = None) -> LadderBase:
    """Match `fills` (and SOD lots) of `product`, optionally one account, contract and/or market, into a base."""
    books = match_fills(fills, product, method, sod)
    chosen = [b for (acct, mkt, contr), b in books.items()
              if (account is None or acct == account) and (contract is None or contr == contract)
              and (market is None or mkt == market)]
    return ladder_base(chosen, spot)
