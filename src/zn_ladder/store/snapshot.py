"""Immutable read snapshots for the window and the commands: fills of a contract, P&L per method.

A snapshot is read in one read transaction (WAL readers see one committed state and never block the
writer), from the persisted books: no replay, so it costs the same with 1k or 1M fills stored (bar
the fills list itself, which the window asks for per contract). Everything in it is frozen, so the
writer thread can hand it to the GUI thread safely.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from fractions import Fraction

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.instruments import Product, product_of_contract
from zn_ladder.domain import lots as lot_math
from zn_ladder.domain.prices import Price
from zn_ladder.domain.records import Fill, SodLot
from zn_ladder.store import fills, sod
from zn_ladder.store.db import read_transaction
from zn_ladder.store.where import Filter, conditions, single
from zn_ladder.store.backend import Connection

#: The matching methods every snapshot carries (DESIGN §3.4: the total does not depend on them).
METHODS = ("lifo", "fifo")


@dataclass(frozen=True, slots=True)
class BookView:
    """One account/market/contract/method as stored. Realized is in tick-contracts; dollars need the product."""

    account: str
    contract: str
    method: str
    position: int
    realized_units: int
    fills_applied: int
    sod_date: str
    #: (signed qty, price ticks), oldest first.
    open_lots: tuple[tuple[int, int], ...]
    market: str = "CME"


@dataclass(frozen=True, slots=True)
class PnlView:
    """P&L of one contract under one method, over one account or all of them (summed per account)."""

    contract: str
    account: str | None
    method: str
    product: Product
    position: int
    realized: Fraction
    fills: int
    open_lots: tuple[tuple[int, int], ...]

    @property
    def average_open_price(self) -> Price | None:
        """The price at which the open position breaks even (`domain.lots.average_open_price`)."""
        return lot_math.average_open_price(self.open_lots, self.product)

    def unrealized(self, mark: Price) -> Fraction:
        return lot_math.unrealized(self.open_lots, mark, self.product)


@dataclass(frozen=True, slots=True)
class AccountPnlView:
    """One account's book of the contract on one market, every method (`pnl`: method -> its view), and
    its SOD position: what the window's per-account table and AVG OPEN per account are made of."""

    account: str
    market: str
    contract: str
    sod_position: int
    pnl: dict[str, PnlView]


@dataclass(frozen=True, slots=True)
class ContractSnapshot:
    contract: str
    account: str | None
    taken_ns: int
    fills: tuple[Fill, ...]
    sod: tuple[SodLot, ...]
    pnl: dict[str, PnlView]
    market: str | None = None
    #: The same books per (account, market), ordered so: `pnl` is their sum, method by method.
    by_account: tuple[AccountPnlView, ...] = ()


def read_books(conn: Connection, contract: str | None = None, account: Filter = None,
               method: str | None = None, market: str | None = None) -> list[BookView]:
    where, args = conditions(contract=contract, account=account, method=method, market=market)
    sql = ("SELECT id, account, market, contract, method, position, realized_units, fills_applied, sod_date FROM books"
           + (f" WHERE {' AND '.join(where)}" if where else "") + " ORDER BY account, market, contract, method")
    views = []
    for book_id, acct, mkt, contr, meth, position, realized, applied, sod_date in conn.execute(sql, args).fetchall():
        lots = tuple((q, p) for q, p in conn.execute(
            "SELECT qty, price FROM book_lots WHERE book_id=? ORDER BY seq", (book_id,)))
        views.append(BookView(acct, contr, meth, position, realized, applied, sod_date, lots, mkt))
    return views


def pnl_view(conn: Connection, contract: str, method: str, account: Filter = None,
             product: Product | None = None, market: str | None = None) -> PnlView:
    """P&L from the persisted books (summed over accounts when `account` is None)."""
    product = product or product_of_contract(contract)
    return _summed(read_books(conn, contract, account, method, market), contract, method, single(account), product)


def _summed(books: list[BookView], contract: str, method: str, account: str | None, product: Product) -> PnlView:
    """The view of `books` (one method's) taken together: positions and realized summed, lots joined."""
    lots = tuple(lot for b in books for lot in b.open_lots)
    return PnlView(contract, account, method, product, sum(b.position for b in books),
                   sum(b.realized_units for b in books) * product.tick_value,
                   sum(b.fills_applied for b in books), lots)


def _by_account(books: list[BookView], sod_lots: tuple[SodLot, ...], contract: str,
                product: Product) -> tuple[AccountPnlView, ...]:
    """One view per (account, market) of the books read, with that account's SOD on that market."""
    grouped: dict[tuple[str, str], dict[str, list[BookView]]] = {}
    for book in books:
        grouped.setdefault((book.account, book.market), {}).setdefault(book.method, []).append(book)
    sod_of: dict[tuple[str, str], int] = {}
    for lot in sod_lots:
        sod_of[(lot.account, lot.market)] = sod_of.get((lot.account, lot.market), 0) + lot.qty
    return tuple(
        AccountPnlView(acct, mkt, contract, sod_of.get((acct, mkt), 0),
                       {m: _summed(grouped[(acct, mkt)].get(m, []), contract, m, acct, product) for m in METHODS})
        for acct, mkt in sorted(grouped))


def positions(conn: Connection, market: str | None = None) -> dict[tuple[str, str], int]:
    """Net position per (account, contract) of one market (all markets summed when None): SOD plus the
    session's live fills."""
    out: dict[tuple[str, str], int] = {}
    for a, m, c, p in conn.execute(
            "SELECT account, market, contract, position FROM books WHERE method='lifo' ORDER BY account, contract"):
        if market is None or m == market:
            out[(a, c)] = out.get((a, c), 0) + p
    return out


def contracts(conn: Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT DISTINCT contract FROM books ORDER BY contract")]


def instruments(conn: Connection) -> list[tuple[str, str]]:
    """(market, contract) of every book: what `--contract`/`--market` can name."""
    return [(m, c) for m, c in conn.execute("SELECT DISTINCT market, contract FROM books ORDER BY contract, market")]


def take_snapshot(conn: Connection, contract: str, account: Filter = None,
                  since_ns: int = 0, market: str | None = None) -> ContractSnapshot:
    """Fills (from `since_ns`), SOD and P&L (every method; summed, and per account in `by_account`) of
    one contract on one market (every market when None), from one state of the file."""
    try:
        product = product_of_contract(contract)
    except InputError:
        product = None
    with read_transaction(conn):
        live = tuple(fills.live_fills(conn, contract, account, since_ns, market=market))
        lots = tuple(sod.sod_lots(conn, account, contract, market))
        books = read_books(conn, contract, account, None, market) if product else []
    pnl: dict[str, PnlView] = {}
    by_account: tuple[AccountPnlView, ...] = ()
    if product is not None:
        pnl = {m: _summed([b for b in books if b.method == m], contract, m, single(account), product) for m in METHODS}
        by_account = _by_account(books, lots, contract, product)
    return ContractSnapshot(contract, single(account), time.time_ns(), live, lots, pnl, market, by_account)
