"""The history of closed trading days per account's book (issue 15 §2), stored in `closed_days`.

A day is closed once the store's clock is past its close (`domain.trading_day`): its row is computed
from the fills and SOD lots (`domain.day_history`, the definition) and written with the mark used for
the close: the book's last point on that day's P&L curve (the spot the window last showed), or the
book's last fill price of the day when no curve point was stored (a capture without the window).

Rows are derived: a change to a fill of a closed day (a bust, a correction, a late fill) drops the
book's rows from that day on, and the next `close_days` computes them again; `rebuild` recomputes
every row from the fills. `close_days` costs one small query per book when nothing is missing, so
the writer can call it after every batch.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from zn_ladder.domain import lots as lot_math
from zn_ladder.domain.day_history import DayFigures, day_figures, sod_day
from zn_ladder.domain.instruments import Product
from zn_ladder.domain.prices import Price
from zn_ladder.domain.trading_day import TradingDayRule, day_end_ns, day_start_ns, trading_day
from zn_ladder.store import audit, curve, matching
from zn_ladder.store.where import Filter, conditions
from zn_ladder.store.backend import Connection

#: Where a closed day's mark came from.
MARK_CURVE = "curve"
MARK_LAST_FILL = "last fill"


@dataclass(frozen=True, slots=True)
class ClosedDay:
    """One stored closed day of one book. Realized in tick-contracts (dollars: `realized(method)`)."""

    account: str
    market: str
    contract: str
    day: date
    realized_lifo_units: int
    realized_fifo_units: int
    position: int
    mark: Fraction
    mark_source: str
    unrealized_lifo: Fraction
    unrealized_fifo: Fraction
    fills: int
    volume: int
    closed_ns: int

    def realized(self, method: str) -> Fraction:
        units = self.realized_lifo_units if method == "lifo" else self.realized_fifo_units
        return units * matching.book_product(self.contract).tick_value


_COLUMNS = ("account, market, contract, trading_day, realized_lifo_units, realized_fifo_units, position, mark, "
            "mark_source, unrealized_lifo, unrealized_fifo, fills, volume, closed_ns")


def book_days(conn: Connection, key: matching.Key, rule: TradingDayRule,
              from_day: date | None = None) -> list[DayFigures]:
    """Every trading day of one book with a fill, from its live fills and SOD lots (the definition).

    With `from_day`, the replay starts at the latest SOD that opens a day at or before it (an SOD
    replaces the lots, so nothing earlier matters): days before it may be left out, the others are
    exactly the full replay's. A desk that imports its SOD daily replays about one day per close."""
    account, market, contract = key
    sods: dict[date, list[tuple[int, int]]] = {}
    for day, qty, price in conn.execute("SELECT date, qty, price FROM sod_lots WHERE account=? AND market=? AND "
                                        "contract=? ORDER BY date, seq", key):
        sods.setdefault(date.fromisoformat(day) if day else date.min, []).append((qty, price))
    since = 0
    if from_day is not None:
        starts = [d for d in sods if sod_day(d, rule) <= from_day]
        if starts:
            first = max(starts)
            since = day_start_ns(sod_day(first, rule), rule) if first != date.min else 0
            sods = {d: lots for d, lots in sods.items() if d >= first}
    fills = conn.execute("SELECT time_ns, side * coalesce(corr_qty, qty), coalesce(corr_price, price) FROM fills "
                         "WHERE contract=? AND market=? AND account=? AND busted=0 AND time_ns >= ? "
                         "ORDER BY time_ns, id", (contract, market, account, since))
    return day_figures(fills, matching.book_product(contract), sods, rule)


def close_days(conn: Connection, rule: TradingDayRule, today: date, now_ns: int) -> int:
    """Write the rows of every day before `today` that has fills and no row yet; the count written
    (the caller holds the write transaction). Rows closed under another rule (the desk changed
    `trading_day.close`) are dropped first, audited, and computed again under this one."""
    _keep_rule(conn, rule)
    written = 0
    cutoff = day_start_ns(today, rule)
    for key in matching.book_keys(conn):
        last = conn.execute("SELECT max(trading_day) FROM closed_days WHERE account=? AND market=? AND contract=?",
                            key).fetchone()[0]
        since = day_end_ns(date.fromisoformat(last), rule) if last else None
        pending = conn.execute(
            "SELECT min(time_ns) FROM fills WHERE contract=? AND market=? AND account=? AND busted=0 AND time_ns < ?"
            " AND time_ns >= ?", (key[2], key[1], key[0], cutoff, since or 0)).fetchone()[0]
        if pending is None:
            continue
        stored = {r[0] for r in conn.execute("SELECT trading_day FROM closed_days WHERE account=? AND market=? AND "
                                             "contract=?", key)}
        product = matching.book_product(key[2])
        for figures in book_days(conn, key, rule, trading_day(pending, rule)):
            if figures.day >= today or figures.day.isoformat() in stored:
                continue
            _insert(conn, key, figures, product, now_ns, rule)
            written += 1
    return written


def _insert(conn: Connection, key: matching.Key, figures: DayFigures, product: Product, now_ns: int,
            rule: TradingDayRule) -> None:
    marks = curve.last_marks(conn, figures.day)
    if key in marks:
        mark, source = marks[key][0], MARK_CURVE
    else:
        mark, source = Price.from_ticks(figures.last_price, product).value, MARK_LAST_FILL
    price = Price(mark)
    unrealized = {m: lot_math.unrealized(figures.closing_lots[m], price, product) for m in ("lifo", "fifo")}
    conn.execute(f"INSERT INTO closed_days ({_COLUMNS}, day_rule) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                 (*key, figures.day.isoformat(), figures.realized_units["lifo"], figures.realized_units["fifo"],
                  figures.position, str(mark), source, str(unrealized["lifo"]), str(unrealized["fifo"]),
                  figures.fills, figures.volume, now_ns, str(rule)))


def _keep_rule(conn: Connection, rule: TradingDayRule) -> None:
    was = [r[0] for r in conn.execute("SELECT DISTINCT day_rule FROM closed_days WHERE day_rule <> ?", (str(rule),))]
    if was:
        dropped = conn.execute("DELETE FROM closed_days WHERE day_rule <> ?", (str(rule),)).rowcount
        audit.record(conn, audit.DAYS_REBUILT, {"rows_dropped": dropped, "rule": str(rule), "was": ", ".join(was)})


def invalidate(conn: Connection, key: matching.Key, from_day: date | None = None) -> None:
    """Drop a book's closed days from `from_day` on (all of them when None): a fill of theirs changed."""
    if from_day is None:
        conn.execute("DELETE FROM closed_days WHERE account=? AND market=? AND contract=?", key)
    else:
        conn.execute("DELETE FROM closed_days WHERE account=? AND market=? AND contract=? AND trading_day >= ?",
                     (*key, from_day.isoformat()))


def rebuild(conn: Connection, rule: TradingDayRule, today: date, now_ns: int) -> int:
    """Every closed day computed again from the fills (after a change of the trading-day rule, say)."""
    conn.execute("DELETE FROM closed_days")
    return close_days(conn, rule, today, now_ns)


def read_days(conn: Connection, account: Filter = None, contract: str | None = None,
              market: str | None = None, day: date | None = None) -> list[ClosedDay]:
    """Stored closed days, oldest first, then by account, market and contract."""
    where, args = conditions(account=account, contract=contract, market=market)
    if day is not None:
        where.append("trading_day = ?")
        args.append(day.isoformat())
    sql = (f"SELECT {_COLUMNS} FROM closed_days" + (f" WHERE {' AND '.join(where)}" if where else "")
           + " ORDER BY trading_day, account, market, contract")
    return [ClosedDay(a, m, c, date.fromisoformat(d), rl, rf, pos, Fraction(mark), src, Fraction(ul), Fraction(uf),
                      n, vol, closed) for a, m, c, d, rl, rf, pos, mark, src, ul, uf, n, vol, closed
            in conn.execute(sql, args)]


def invalidate_changed(conn: Connection, changed: dict[matching.Key, int | None], rule: TradingDayRule,
                       today: date) -> bool:
    """Drop the closed days a batch touched: `changed` maps a book to the earliest time of a fill it added
    or changed (None: anywhere). True when a closed day may be gone (so `close_days` must look again)."""
    dropped = False
    for key, time_ns in changed.items():
        day = None if time_ns is None else trading_day(time_ns, rule)
        if day is not None and day >= today:
            continue  # today's fills: no closed day holds them yet
        invalidate(conn, key, day)
        dropped = True
    return dropped
