"""The persisted realized P&L journal (issue 15 §1): rows of the `journal` table, per book.

Written by `matching.PersistedBook.flush` in the same transaction as the book it comes from: a book's
new matches are appended (numbered on from its last row), and a book rebuilt from its definition (a
bust, a correction, a new SOD, an out-of-order fill, a repair on open) replaces the rows of its current
session, so the table always equals a recompute of that session from the fills. Rows of a book's
earlier sessions (before the SOD it now starts from) are kept as they stood: they are the history the
export's `--day` reads, and the book no longer covers those fills.

The rows are `domain.journal.JournalEntry` fields in integer ticks and tick-contracts; dollars are
made on reading, with the contract's tick value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.instruments import PRODUCTS, Product, product_of_contract
from zn_ladder.domain.journal import JournalEntry
from zn_ladder.domain.trading_day import DEFAULT_RULE, TradingDayRule, day_bounds_ns, trading_day
from zn_ladder.store.backend import Connection
from zn_ladder.store.where import Filter, conditions

#: `domain.journal.ROW`, the columns in the order a `JournalBook` makes its rows.
_ROW = ("time_ns, open_key, open_time_ns, open_qty, open_price, close_key, close_qty, close_price, matched_qty, "
        "realized_units, cumulative_units")
#: The rows a book's rebuild replaces: those written for its current session or a later one, and an
#: earlier session's rows of matches made inside the current session (a book that had no SOD and now has one).
_SESSION = "book_id=? AND (session_start_ns >= ? OR time_ns >= ?)"


def append(conn: Connection, book_id: int, session_start_ns: int, rows: Sequence[tuple]) -> None:
    """Append a book's new matches (`domain.journal.ROW` tuples, as its `JournalBook` made them)."""
    if not rows:
        return
    last = conn.execute("SELECT coalesce(max(n), 0) FROM journal WHERE book_id=?", (book_id,)).fetchone()[0]
    conn.executemany(f"INSERT INTO journal (book_id, n, session_start_ns, {_ROW}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                     [(book_id, last + i, session_start_ns, *r) for i, r in enumerate(rows, 1)])


def replace_session(conn: Connection, book_id: int, session_start_ns: int, rows: Sequence[tuple]) -> None:
    """A rebuilt book's journal: its current session's rows are replaced by `rows`."""
    conn.execute(f"DELETE FROM journal WHERE {_SESSION}", (book_id, session_start_ns, session_start_ns))
    append(conn, book_id, session_start_ns, rows)


def session_rows(conn: Connection, book_id: int, session_start_ns: int) -> list[tuple]:
    """The stored rows a rebuild would replace, in order, as `domain.journal.ROW` tuples."""
    return conn.execute(f"SELECT {_ROW} FROM journal WHERE {_SESSION} ORDER BY n",
                        (book_id, session_start_ns, session_start_ns)).fetchall()


def _product(contract: str) -> Product:
    try:
        return product_of_contract(contract)
    except InputError:
        return PRODUCTS["ZN"]


def read(conn: Connection, *, method: str | None = None, since_ns: int | None = None,
         until_ns: int | None = None, contract: str | None = None, market: str | None = None,
         account: Filter = None, newest: int | None = None) -> list[JournalEntry]:
    """Journal entries, oldest match first (books in a stable order at equal times). `since_ns` /
    `until_ns` select by the match's time, half-open; a match of two SOD lots (time 0) counts at its
    session's start. `newest` keeps only the last so many (the window's table: a bounded read per poll)."""
    clauses, params = conditions(**{"b.method": method, "b.contract": contract, "b.market": market,
                                    "b.account": account})
    when = "CASE WHEN j.time_ns = 0 THEN j.session_start_ns ELSE j.time_ns END"
    if since_ns is not None:
        clauses.append(f"{when} >= ?")
        params.append(since_ns)  # type: ignore[arg-type]
    if until_ns is not None:
        clauses.append(f"{when} < ?")
        params.append(until_ns)  # type: ignore[arg-type]
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    order = f"{when}, b.account, b.market, b.contract, b.method, j.n"
    sql = (f"SELECT b.account, b.market, b.contract, b.method, j.{_ROW.replace(', ', ', j.')} "
           f"FROM journal j JOIN books b ON b.id = j.book_id {where}")
    if newest is not None:
        order_desc = ", ".join(f"{part} DESC" for part in order.split(", "))
        rows = conn.execute(f"{sql} ORDER BY {order_desc} LIMIT ?", [*params, newest]).fetchall()
        rows.reverse()
    else:
        rows = conn.execute(f"{sql} ORDER BY {order}", params).fetchall()
    products: dict[str, Product] = {}
    out = []
    for row in rows:
        contract_name = row[2]
        product = products.get(contract_name)
        if product is None:
            product = products[contract_name] = _product(contract_name)
        tv = product.tick_value
        out.append(JournalEntry(*row, row[13] * tv, row[14] * tv))
    return out


# --- trading days: the desk's one rule (`domain.trading_day`, the `trading_day.close` setting).


def day_bounds(day: dt.date, rule: TradingDayRule = DEFAULT_RULE) -> tuple[int, int]:
    """[start, end) in ns since the epoch (UTC) of trading day `day`."""
    return day_bounds_ns(day, rule)


def trading_day_of(time_ns: int, rule: TradingDayRule = DEFAULT_RULE) -> dt.date:
    """The trading day an instant (ns since the epoch, UTC) belongs to."""
    return trading_day(time_ns, rule)
