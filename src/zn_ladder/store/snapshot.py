"""Immutable read snapshots for the window and the commands: fills of a contract, P&L per method.

A snapshot is read in one read transaction (WAL readers see one committed state and never block the
writer), from the persisted books: no replay, so it costs the same with 1k or 1M fills stored (bar
the fills list itself, which the window asks for per contract). Everything in it is frozen, so the
writer thread can hand it to the GUI thread safely.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from fractions import Fraction

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.instruments import Product, product_of_contract
from zn_ladder.domain.prices import Price
from zn_ladder.domain.records import Fill, SodLot
from zn_ladder.store import fills, matching


@dataclass(frozen=True, slots=True)
class BookView:
    """One account/contract/method as stored. Realized is in tick-contracts; dollars need the product."""

    account: str
    contract: str
    method: str
    position: int
    realized_units: int
    fills_applied: int
    sod_date: str
    #: (signed qty, price ticks), oldest first.
    open_lots: tuple[tuple[int, int], ...]


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
        """The price at which the open position breaks even (unrealized = 0): sum(qty x price) / position.

        Over one account this is the plain average of the open lots. Summed over accounts, one may be
        long while another is short; the net figure is still the one a trader wants next to the net
        position, so it is given rather than hidden.
        """
        if not self.position:
            return None
        ticks = Fraction(sum(q * p for q, p in self.open_lots), self.position)
        return Price.from_ticks(ticks, self.product)

    def unrealized(self, mark: Price) -> Fraction:
        mark_ticks = mark.ticks(self.product)
        return sum((q * (mark_ticks - p) for q, p in self.open_lots), Fraction(0)) * self.product.tick_value


@dataclass(frozen=True, slots=True)
class ContractSnapshot:
    contract: str
    account: str | None
    taken_ns: int
    fills: tuple[Fill, ...]
    sod: tuple[SodLot, ...]
    pnl: dict[str, PnlView]


def read_books(conn: sqlite3.Connection, contract: str | None = None, account: str | None = None,
               method: str | None = None) -> list[BookView]:
    where, args = [], []
    for column, value in (("contract", contract), ("account", account), ("method", method)):
        if value is not None:
            where.append(f"{column} = ?")
            args.append(value)
    sql = ("SELECT id, account, contract, method, position, realized_units, fills_applied, sod_date FROM books"
           + (f" WHERE {' AND '.join(where)}" if where else "") + " ORDER BY account, contract, method")
    views = []
    for book_id, acct, contr, meth, position, realized, applied, sod_date in conn.execute(sql, args).fetchall():
        lots = tuple((q, p) for q, p in conn.execute(
            "SELECT qty, price FROM book_lots WHERE book_id=? ORDER BY seq", (book_id,)))
        views.append(BookView(acct, contr, meth, position, realized, applied, sod_date, lots))
    return views


def pnl_view(conn: sqlite3.Connection, contract: str, method: str, account: str | None = None,
             product: Product | None = None) -> PnlView:
    """P&L from the persisted books (summed over accounts when `account` is None)."""
    product = product or product_of_contract(contract)
    books = read_books(conn, contract, account, method)
    lots = tuple(lot for b in books for lot in b.open_lots)
    return PnlView(contract, account, method, product, sum(b.position for b in books),
                   sum(b.realized_units for b in books) * product.tick_value,
                   sum(b.fills_applied for b in books), lots)


def positions(conn: sqlite3.Connection) -> dict[tuple[str, str], int]:
    """Net position per (account, contract): SOD plus the session's live fills."""
    return {(a, c): p for a, c, p in conn.execute(
        "SELECT account, contract, position FROM books WHERE method='lifo' ORDER BY account, contract")}


def contracts(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT DISTINCT contract FROM books ORDER BY contract")]


def take_snapshot(conn: sqlite3.Connection, contract: str, account: str | None = None,
                  since_ns: int = 0) -> ContractSnapshot:
    """Fills (from `since_ns`), SOD and P&L (every method) of one contract, from one state of the file."""
    try:
        product = product_of_contract(contract)
    except InputError:
        product = None
    own_txn = not conn.in_transaction
    if own_txn:
        conn.execute("BEGIN")
    try:
        live = tuple(fills.live_fills(conn, contract, account, since_ns))
        lots = _books_sod(conn, contract, account)
        pnl = {m: pnl_view(conn, contract, m, account, product) for m in ("lifo", "fifo")} if product else {}
    finally:
        if own_txn:
            conn.execute("COMMIT")
    return ContractSnapshot(contract, account, time.time_ns(), live, lots, pnl)


def _books_sod(conn: sqlite3.Connection, contract: str, account: str | None) -> tuple[SodLot, ...]:
    """The SOD lots the contract's books start from, named for the contract: the contract's own SOD,
    or Actant's product-wide one ("ZN") for an account with a book on the contract (`latest_sod`), so
    the SOD shown, the P&L and a replay of the snapshot all agree."""
    rows = conn.execute("SELECT DISTINCT account FROM books WHERE contract=? UNION "
                        "SELECT DISTINCT account FROM sod_lots WHERE contract=? ORDER BY 1", (contract, contract))
    out: list[SodLot] = []
    for (acct,) in rows.fetchall():
        if account is not None and acct != account:
            continue
        date, lots = matching.latest_sod(conn, acct, contract)
        out.extend(SodLot(acct, contract, qty, price, date) for qty, price in lots)
    return tuple(out)
