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
from typing import NamedTuple

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


#: The fields of a `JournalEntry` that a `JournalBook` returns per match, as a tuple in this order
#: (the book's account, market, contract and method, and the dollars, are added by `JournalBook.entry`).
ROW = ("time_ns", "open_key", "open_time_ns", "open_qty", "open_price", "close_key", "close_qty", "close_price",
       "matched_qty", "realized_ticks", "cumulative_ticks")


class Opening(NamedTuple):
    """The trade that opened a lot: what a journal entry names about its opening side (a NamedTuple:
    one is made per lot opened, on the store's ingest path)."""

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

    __slots__ = ("account", "market", "contract", "book", "_tick_value", "_money", "_open", "_prune_at",
                 "cumulative_ticks")

    def __init__(self, key: BookKey, book: LotBook, openings: Mapping[int, Opening] | None = None) -> None:
        if book.matches is None:
            raise ValueError("a journal needs a LotBook made with record=True")
        self.account, self.market, self.contract = key
        self.book = book
        self._tick_value = book.product.tick_value
        self._money: dict[int, Fraction] = {}
        #: seq -> (key, time_ns, qty, price) of the trade that opened the lot: every open lot's, and
        #: closed lots' until the next prune (dropping them at each match cost more than keeping them).
        openings = openings or {}
        self._open: dict[int, tuple] = {seq: tuple(openings.get(seq, ("", 0, qty, price)))
                                        for seq, qty, price in book.sequenced_lots}
        self._prune_at = 2 * len(self._open) + 1024
        self.cumulative_ticks = book.realized_ticks

    @property
    def openings(self) -> dict[int, Opening]:
        """seq -> opening trade of each open lot (what a store persists beside the lots)."""
        opened = self._open
        return {seq: Opening(*opened[seq]) for seq, _, _ in self.book.sequenced_lots}

    def opening(self, seq: int) -> Opening:
        """The trade that opened open lot `seq`."""
        return Opening(*self._open[seq])

    def sod(self, qty: int, price: int, date: str = "") -> list[tuple]:
        """An SOD lot: an opening trade that is not a fill (it nets against earlier SOD lots if opposite)."""
        seq = self.book.next_seq
        self.book.open_sod(qty, price)
        return self._rows(sod_key(date), 0, qty, price, seq)

    def fill(self, qty: int, price: int, time_ns: int, key: str, *, dedupe: bool = True) -> list[tuple]:
        """A fill (signed qty, price ticks). With `dedupe`, a key the book has applied before is refused
        (no rows) as in `LotBook.apply`; a store that keeps fills unique passes dedupe=False."""
        book = self.book
        seq = book.next_seq
        if not book.apply_trade(qty, price, key if dedupe else ""):
            return []
        return self._rows(key, time_ns, qty, price, seq)

    def entry(self, row: tuple) -> JournalEntry:
        """The `JournalEntry` of a row that `sod` or `fill` returned."""
        dollars = self._dollars
        return JournalEntry(self.account, self.market, self.contract, self.book.method, *row, dollars(row[9]),
                            dollars(row[10]))

    def _dollars(self, ticks: int) -> Fraction:
        """ticks x tick value, remembered: a day repeats the same few P&L figures, and a Fraction product
        costs more than the rest of an entry."""
        cache = self._money
        value = cache.get(ticks)
        if value is None:
            value = ticks * self._tick_value
            if len(cache) < 100_000:
                cache[ticks] = value
        return value

    def _rows(self, key: str, time_ns: int, qty: int, price: int, seq: int) -> list[tuple]:
        """The trade's matches as `ROW` tuples: plain tuples, not `JournalEntry`s, because the store writes
        them as they are and a day of 200,000 fills makes as many rows (no dollars made until read)."""
        book = self.book
        matches = book.matches
        rows = []
        opened = self._open
        if matches:
            cumulative = self.cumulative_ticks
            for lot_seq, lot_qty, open_price, _ in matches:
                o_key, o_time, o_qty, _ = opened[lot_seq]
                realized = lot_qty * (price - open_price)
                cumulative += realized
                rows.append((time_ns, o_key, o_time, o_qty, open_price, key, qty, price,
                             lot_qty if lot_qty > 0 else -lot_qty, realized, cumulative))
            self.cumulative_ticks = cumulative
            matches.clear()
        if book.next_seq != seq:  # what was left of the trade opened a lot
            opened[seq] = (key, time_ns, qty, price)
            if len(opened) > self._prune_at:
                self._prune()
        return rows

    def _prune(self) -> None:
        """Forget the openings of closed lots (amortized: at most once per as many new lots as are open)."""
        opened = self._open
        self._open = {seq: opened[seq] for seq, _, _ in self.book.sequenced_lots}
        self._prune_at = 2 * len(self._open) + 1024


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
            jb = book_of((lot.account, lot.market, lot.contract))
            out += map(jb.entry, jb.sod(lot.qty, lot.price, lot.date))
    for fill in fills:
        if is_ours(fill.contract):
            jb = book_of((fill.account, fill.market, fill.contract))
            out += map(jb.entry, jb.fill(fill.qty if fill.side > 0 else -fill.qty, fill.price, fill.time_ns, fill.key))
    return out
