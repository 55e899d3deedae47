"""Persisted LIFO/FIFO matching state, updated per new fill and checked against a recompute.

Why persisted: the window and `zn-ladder pnl --db` read position, realized P&L and open lots without
replaying the day's fills. Why incremental: a poll that brings 3 fills must cost the same with 1k or
1M fills stored, so each new fill changes O(1) amortized rows (lots are rows of `book_lots`, each
pushed and popped once; no pickle, no blob).

What a book holds (per account, market, contract, method): the SOD lots of the latest SOD date stored for
that account/market/contract, then every live fill (busts removed, corrections applied) from that session's start
on, in (time, arrival) order. The session of SOD date D starts at 22:00 UTC on D-1: CME's Globex day for
D opens at 17:00 Chicago time on D-1 (22:00 or 23:00 UTC) and the market is shut from 16:00 Chicago
time, so no fill lies between; this needs no time-zone database. With no SOD, every fill counts.

The recompute (`recompute_book`) is the definition; the incremental path is an optimisation of it.
A fill that arrives out of time order, a bust, a correction or a new SOD marks the account/contract
for recompute instead of being applied incrementally. On open the store recomputes every book and
compares; a difference is logged and audited, and the recompute wins.

The matching itself is the domain's `LotBook` (one implementation for the CLI, the window and the
store); this module adds its persistence. Realized P&L is kept in integer tick-contracts
(`realized_units`); dollars = units x tick value.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.instruments import PRODUCTS, Product, product_of_contract
from zn_ladder.domain.lots import METHODS as LOT_METHODS
from zn_ladder.domain.lots import LotBook
from zn_ladder.store.backend import Connection

log = logging.getLogger(__name__)

METHODS = LOT_METHODS

_BOOK_COLUMNS = ("id, account, market, contract, method, position, realized_units, fills_applied, last_time_ns, "
                 "session_start_ns, sod_date, next_seq")

#: (account, market, contract): one instrument's book of one account (see `domain.lots.BookKey`).
Key = tuple[str, str, str]


def session_start_ns(sod_date: str) -> int:
    """Start (ns since epoch, UTC) of the trading session whose start-of-day is `sod_date` (ISO)."""
    if not sod_date:
        return 0
    day = dt.date.fromisoformat(sod_date)
    start = dt.datetime.combine(day - dt.timedelta(days=1), dt.time(22, 0), tzinfo=dt.timezone.utc)
    return int(start.timestamp()) * 1_000_000_000


def _product(contract: str) -> Product:
    """The contract's product. Books exist only for contracts the importers and the client accepted,
    so an unknown name means an old row: the matching itself works in ticks and needs no tick value."""
    try:
        return product_of_contract(contract)
    except InputError:
        return PRODUCTS["ZN"]


class PersistedBook:
    """One account/market/contract/method: the domain's `LotBook` (the matching, written once) plus
    what persisting it needs: its row id, the session it covers, and which lots the last flush wrote.
    """

    __slots__ = ("id", "account", "market", "contract", "method", "book", "last_time_ns", "session_start_ns",
                 "sod_date", "_persisted_seq", "_rewrite", "_dirty")

    def __init__(self, account: str, market: str, contract: str, method: str, *, book_id: int | None = None,
                 sod_date: str = "", book: LotBook | None = None) -> None:
        self.id = book_id
        self.account = account
        self.market = market
        self.contract = contract
        self.method = method
        self.book = book if book is not None else LotBook(_product(contract), method, track=True)
        self.last_time_ns = 0
        self.sod_date = sod_date
        self.session_start_ns = session_start_ns(sod_date)
        self._persisted_seq = self.book.next_seq
        self._rewrite = book_id is None
        self._dirty = book_id is None

    @property
    def position(self) -> int:
        return self.book.position

    @property
    def realized_units(self) -> int:
        return self.book.realized_ticks

    @property
    def fills_applied(self) -> int:
        return self.book.fills_applied

    def open_lot(self, qty: int, price: int) -> None:
        """An SOD lot: opens a position, is not a fill."""
        self._dirty = True
        self.book.open_sod(qty, price)

    def apply(self, signed_qty: int, price: int, time_ns: int) -> None:
        self._dirty = True
        if time_ns > self.last_time_ns:
            self.last_time_ns = time_ns
        self.book.apply_trade(signed_qty, price)

    def in_session(self, time_ns: int) -> bool:
        return time_ns >= self.session_start_ns

    def state(self) -> tuple:
        """What must agree between the stored and the recomputed book."""
        return (self.position, self.realized_units, self.fills_applied, tuple(self.book.open_lots))

    # --- persistence -------------------------------------------------------------------------

    def flush(self, conn: Connection) -> None:
        """Write the changes since the last flush (the caller holds the write transaction)."""
        if not self._dirty:
            return
        book = self.book
        values = (book.position, book.realized_ticks, book.fills_applied, self.last_time_ns,
                  self.session_start_ns, self.sod_date, book.next_seq)
        if self.id is None:
            self.id = conn.execute(
                "INSERT INTO books (account, market, contract, method, position, realized_units, fills_applied, "
                "last_time_ns, session_start_ns, sod_date, next_seq) VALUES (?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
                (self.account, self.market, self.contract, self.method, *values)).fetchone()[0]
        else:
            conn.execute("UPDATE books SET position=?, realized_units=?, fills_applied=?, last_time_ns=?, "
                         "session_start_ns=?, sod_date=?, next_seq=? WHERE id=?", (*values, self.id))
        book_id = self.id
        changes = book.changes if book.changes is not None else {}
        if self._rewrite:
            conn.execute("DELETE FROM book_lots WHERE book_id=?", (book_id,))
            conn.executemany("INSERT INTO book_lots (book_id, seq, qty, price) VALUES (?,?,?,?)",
                             [(book_id, s, q, p) for s, q, p in book.sequenced_lots])
        else:
            persisted = self._persisted_seq
            gone = [(book_id, s) for s, lot in changes.items() if lot is None and s < persisted]
            kept = [(book_id, lot[2], lot[0], lot[1]) for lot in changes.values() if lot is not None]
            if gone:
                conn.executemany("DELETE FROM book_lots WHERE book_id=? AND seq=?", gone)
            if kept:
                conn.executemany("INSERT INTO book_lots (book_id, seq, qty, price) VALUES (?,?,?,?) ON CONFLICT "
                                 "(book_id, seq) DO UPDATE SET qty = excluded.qty, price = excluded.price", kept)
        changes.clear()
        self._persisted_seq = book.next_seq
        self._rewrite = False
        self._dirty = False

    def mark_rewrite(self) -> None:
        self._rewrite = True
        self._dirty = True
        if self.book.changes is not None:
            self.book.changes.clear()


def load_book(conn: Connection, key: Key, method: str) -> PersistedBook | None:
    row = conn.execute(f"SELECT {_BOOK_COLUMNS} FROM books WHERE account=? AND market=? AND contract=? AND method=?",
                       (*key, method)).fetchone()
    if row is None:
        return None
    return _from_row(conn, row)


def _from_row(conn: Connection, row: tuple) -> PersistedBook:
    (book_id, account, market, contract, method, position, realized, applied, last_ns, start_ns, sod_date,
     next_seq) = row
    lots = conn.execute("SELECT seq, qty, price FROM book_lots WHERE book_id=? ORDER BY seq", (book_id,)).fetchall()
    restored = LotBook.restore(_product(contract), method, position=position, realized_units=realized, lots=lots,
                               next_seq=next_seq, fills_applied=applied)
    book = PersistedBook(account, market, contract, method, book_id=book_id, sod_date=sod_date, book=restored)
    book.last_time_ns, book.session_start_ns = last_ns, start_ns
    return book


def stored_books(conn: Connection) -> Iterator[PersistedBook]:
    for row in conn.execute(f"SELECT {_BOOK_COLUMNS} FROM books ORDER BY account, market, contract, method").fetchall():
        yield _from_row(conn, row)


def latest_sod(conn: Connection, key: Key) -> tuple[str, list[tuple[int, int]]]:
    """(date, [(qty, price)...]) of the latest SOD stored for the book's account, market and contract,
    or ("", []). An SOD belongs to one contract (Actant's rows are named for their expiry month on
    import), never to every contract of a product."""
    row = conn.execute("SELECT max(date) FROM sod_lots WHERE account=? AND market=? AND contract=?", key).fetchone()
    if row is None or row[0] is None:
        return "", []
    lots = conn.execute("SELECT qty, price FROM sod_lots WHERE account=? AND market=? AND contract=? AND date=? "
                        "ORDER BY seq", (*key, row[0])).fetchall()
    return row[0], lots


def live_fills(conn: Connection, key: Key, since_ns: int) -> Iterable[tuple]:
    """(signed qty, price, time_ns) of the live fills of a book, busts removed, corrections applied."""
    return conn.execute(
        "SELECT side * coalesce(corr_qty, qty), coalesce(corr_price, price), time_ns FROM fills "
        "WHERE contract=? AND market=? AND account=? AND time_ns >= ? AND busted=0 ORDER BY time_ns, id",
        (key[2], key[1], key[0], since_ns))


def recompute_book(conn: Connection, key: Key, method: str, book_id: int | None = None) -> PersistedBook:
    """The definition of a book: latest SOD, then every live fill of its session in order."""
    sod_date, sod = latest_sod(conn, key)
    book = PersistedBook(*key, method, sod_date=sod_date)
    book.id = book_id
    for qty, price in sod:
        book.open_lot(qty, price)
    for qty, price, time_ns in live_fills(conn, key, book.session_start_ns):
        book.apply(qty, price, time_ns)
    book.mark_rewrite()
    return book


@dataclass(frozen=True, slots=True)
class BookDifference:
    account: str
    market: str
    contract: str
    method: str
    stored: str
    recomputed: str


def book_keys(conn: Connection) -> list[Key]:
    """Every account/market/contract that has fills, SOD lots or a stored book."""
    rows = conn.execute("SELECT account, market, contract FROM fills UNION "
                        "SELECT account, market, contract FROM sod_lots UNION "
                        "SELECT account, market, contract FROM books ORDER BY 1, 2, 3").fetchall()
    return [(a, m, c) for a, m, c in rows]


def _summary(book: PersistedBook | None) -> str:
    if book is None:
        return "missing"
    position, realized, applied, lots = book.state()
    return f"position {position}, realized {realized} tick-contracts, {applied} fills, {len(lots)} open lots"


def verify_books(conn: Connection) -> tuple[dict[tuple[Key, str], PersistedBook], list[BookDifference]]:
    """Recompute every book from the fills and compare with what is stored.

    Returns the books to keep in memory (the recompute where they differ, marked for rewrite) and the
    differences found. The caller writes the repaired books and audits the differences.
    """
    stored = {((b.account, b.market, b.contract), b.method): b for b in stored_books(conn)}
    books: dict[tuple[Key, str], PersistedBook] = {}
    differences: list[BookDifference] = []
    for key in book_keys(conn):
        for method in METHODS:
            old = stored.get((key, method))
            fresh = recompute_book(conn, key, method, old.id if old else None)
            if old is not None and old.state() == fresh.state() and old.sod_date == fresh.sod_date:
                books[(key, method)] = old
                continue
            differences.append(BookDifference(*key, method, _summary(old), _summary(fresh)))
            books[(key, method)] = fresh
    return books, differences
