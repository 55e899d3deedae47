"""The realized P&L journal (issue 15 §1): one entry per lot match, as it happens.

The old desk's `lifo_pnl_monitor.py` appended a row per closing trade with its realized P&L; zn_ladder
writes one per lot a trade closes (wholly or in part), naming the fill that opened the lot and the one
that closed it, under LIFO or FIFO, with the book's cumulative realized P&L after the match.

Why it is read from the book's own recorder (`LotBook(record=True).matches`) rather than computed
here: the journal must equal the books to the cent, and there is one matching loop in the app
(`LotBook._trade`). `JournalBook` only adds what a journal needs and a book does not: which trade
opened each open lot. SOD lots are opening trades (opening key "SOD <date>", time 0).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from zn_ladder.domain.instruments import Product
from zn_ladder.domain.lots import BookKey, LotBook, Method, check_method, product_filter
from zn_ladder.domain.records import Fill, SodLot


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One lot match. Quantities are signed (buy > 0), prices in ticks of the contract's product,
    P&L in tick-contracts (`*_ticks`) and in exact dollars (`realized`, `cumulative_realized`)."""

    account: str
    market: str
    contract: str
    method: Method
    #: When the match happened: the closing trade's time (ns since epoch, UTC; 0 for an SOD lot).
    time_ns: int
    #: The trade that opened the lot: fill key (TT exec id or importer key) or "SOD <date>".
    open_key: str
    open_time_ns: int
    #: The opening trade's whole signed quantity (not only what is matched here) and price.
    open_qty: int
    open_price: int
    #: The trade that closed (part of) the lot.
    close_key: str
    close_qty: int
    close_price: int
    #: Contracts matched (> 0); the lot was long when open_qty > 0.
    matched_qty: int
    #: (close - open) x matched, signed as the lot: tick-contracts.
    realized_ticks: int
    #: The book's realized P&L after this match (SOD lots count from zero): tick-contracts.
    cumulative_ticks: int
    realized: Fraction
    cumulative_realized: Fraction


@dataclass(frozen=True, slots=True)
class Opening:
    """The trade that opened a lot: what a journal entry names about its opening side."""

    key: str
    time_ns: int
    qty: int
    price: int


def sod_key(date: str) -> str:
    return f"SOD {date}" if date else "SOD"


class JournalBook:
    """One account/market/contract book with its journal: a recording `LotBook` plus the opening
    trade of every open lot. Each trade returns the entries it made.

    `openings` restores a persisted book: seq -> `Opening` of each of its open lots.
    """

    __slots__ = ("account", "market", "contract", "book", "_tick_value", "_open", "cumulative_ticks")

    def __init__(self, key: BookKey, book: LotBook, openings: Mapping[int, Opening] | None = None) -> None:
        if book.matches is None:
            raise ValueError("a journal needs a LotBook made with record=True")
        self.account, self.market, self.contract = key
        self.book = book
        self._tick_value = book.product.tick_value
        #: seq -> [opening trade, contracts of the lot still open]
        openings = openings or {}
        self._open: dict[int, list] = {seq: [openings.get(seq, Opening("", 0, qty, price)), abs(qty)]
                                       for seq, qty, price in book.sequenced_lots}
        self.cumulative_ticks = book.realized_ticks

    @property
    def openings(self) -> dict[int, Opening]:
        """seq -> opening trade of each open lot (what a store persists beside the lots)."""
        return {seq: slot[0] for seq, slot in self._open.items()}

    def sod(self, qty: int, price: int, date: str = "") -> list[JournalEntry]:
        """An SOD lot: an opening trade that is not a fill (it nets against earlier SOD lots if opposite)."""
        seq = self.book.next_seq
        self.book.open_sod(qty, price)
        return self._entries(Opening(sod_key(date), 0, qty, price), seq)

    def fill(self, qty: int, price: int, time_ns: int, key: str, *, dedupe: bool = True) -> list[JournalEntry]:
        """A fill (signed qty, price ticks). With `dedupe`, a key the book has applied before is refused
        (no entries) as in `LotBook.apply`; a store that keeps fills unique passes dedupe=False."""
        seq = self.book.next_seq
        if not self.book.apply_trade(qty, price, key if dedupe else ""):
            return []
        return self._entries(Opening(key, time_ns, qty, price), seq)

    def _entries(self, trade: Opening, seq: int) -> list[JournalEntry]:
        book = self.book
        matches = book.matches
        assert matches is not None
        entries = []
        left = trade.qty
        if matches:
            tv = self._tick_value
            cumulative = self.cumulative_ticks
            for match in matches:
                slot = self._open[match.seq]
                opening = slot[0]
                matched = abs(match.qty)
                slot[1] -= matched
                if not slot[1]:
                    del self._open[match.seq]
                left += match.qty
                realized = match.realized_ticks
                cumulative += realized
                entries.append(JournalEntry(
                    self.account, self.market, self.contract, book.method, trade.time_ns, opening.key,
                    opening.time_ns, opening.qty, opening.price, trade.key, trade.qty, trade.price, matched,
                    realized, cumulative, realized * tv, cumulative * tv))
            self.cumulative_ticks = cumulative
            matches.clear()
        if book.next_seq != seq:  # what was left of the trade opened a lot
            self._open[seq] = [trade, abs(left)]
        return entries


def journal(fills: Iterable[Fill], product: Product, method: Method | str = "lifo",
            sod: Iterable[SodLot] = ()) -> list[JournalEntry]:
    """Every lot match of `fills` (in execution order) and SOD lots of `product`, per (account, market,
    contract) book, in the order they happen: SOD lots first, then fills. The same selection as
    `match_fills` (other products left out, a repeated key counted once per book), so the entries of a
    book sum to its `realized` and the last one's cumulative equals it."""
    method = check_method(method)
    is_ours = product_filter(product)
    books: dict[BookKey, JournalBook] = {}
    out: list[JournalEntry] = []

    def book_of(key: BookKey) -> JournalBook:
        jb = books.get(key)
        if jb is None:
            jb = books[key] = JournalBook(key, LotBook(product, method, record=True))
        return jb

    for lot in sod:
        if is_ours(lot.contract):
            out += book_of((lot.account, lot.market, lot.contract)).sod(lot.qty, lot.price, lot.date)
    for fill in fills:
        if is_ours(fill.contract):
            out += book_of((fill.account, fill.market, fill.contract)).fill(
                fill.qty if fill.side > 0 else -fill.qty, fill.price, fill.time_ns, fill.key)
    return out
