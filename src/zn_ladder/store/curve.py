"""The intraday P&L curve, persisted (issue 15 §2): the window's chart starts from it after a restart.

The window computes a point per account's book as it marks the books (`workers.scenario`), and the
store's writer thread writes them here; nothing is recomputed from here (a point is what was shown at
that moment, with the mark it was shown at). Each point belongs to the trading day of its time under
the store's rule. Money and the mark are exact fractions in text: `Fraction(text)` reads them back.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from zn_ladder.domain.trading_day import TradingDayRule, trading_day
from zn_ladder.store.where import Filter, conditions
from zn_ladder.store.backend import Connection


@dataclass(frozen=True, slots=True)
class CurvePoint:
    """One account's book of one instrument at one moment: dollars exact, `mark` the price (points) the
    open lots were valued at, `total` = realized (either method) + the open lots at the mark."""

    time_ns: int
    account: str
    market: str
    contract: str
    position: int
    realized_lifo: Fraction
    realized_fifo: Fraction
    total: Fraction
    mark: Fraction
    mark_source: str = ""

    @property
    def unrealized_lifo(self) -> Fraction:
        return self.total - self.realized_lifo

    @property
    def unrealized_fifo(self) -> Fraction:
        return self.total - self.realized_fifo


_COLUMNS = "time_ns, account, market, contract, position, realized_lifo, realized_fifo, total, mark, mark_source"


def put_points(conn: Connection, points: Iterable[CurvePoint], rule: TradingDayRule) -> int:
    """Store points (a point again at the same time for the same book replaces it); the count written."""
    rows = [(p.account, p.market, p.contract, p.time_ns, trading_day(p.time_ns, rule).isoformat(), p.position,
             str(p.realized_lifo), str(p.realized_fifo), str(p.total), str(p.mark), p.mark_source) for p in points]
    conn.executemany("INSERT INTO pnl_curve (account, market, contract, time_ns, trading_day, position, "
                     "realized_lifo, realized_fifo, total, mark, mark_source) VALUES (?,?,?,?,?,?,?,?,?,?,?) "
                     "ON CONFLICT (account, market, contract, time_ns) DO UPDATE SET trading_day = excluded.trading_day, "
                     "position = excluded.position, realized_lifo = excluded.realized_lifo, "
                     "realized_fifo = excluded.realized_fifo, total = excluded.total, mark = excluded.mark, "
                     "mark_source = excluded.mark_source", rows)
    return len(rows)


def read_points(conn: Connection, day: date, contract: str | None = None, account: Filter = None,
                market: str | None = None) -> list[CurvePoint]:
    """The points of trading `day`, in time order (then account), optionally of one contract/account(s)/market."""
    where, args = conditions(contract=contract, account=account, market=market)
    where.append("trading_day = ?")
    args.append(day.isoformat())
    sql = f"SELECT {_COLUMNS} FROM pnl_curve WHERE {' AND '.join(where)} ORDER BY time_ns, account, market, contract"
    return [CurvePoint(t, a, m, c, pos, Fraction(rl), Fraction(rf), Fraction(tot), Fraction(mk), src)
            for t, a, m, c, pos, rl, rf, tot, mk, src in conn.execute(sql, args)]


def summed(points: Sequence[CurvePoint]) -> list[tuple[int, Fraction]]:
    """(time, total P&L) of the books taken together, one per moment: the window's chart of several
    accounts. A book without a point at a moment counts with its latest earlier one (its P&L did not
    go away because another account's point was written alone)."""
    latest: dict[tuple[str, str, str], Fraction] = {}
    out: list[tuple[int, Fraction]] = []
    for point in points:
        latest[(point.account, point.market, point.contract)] = point.total
        total = sum(latest.values(), Fraction(0))
        if out and out[-1][0] == point.time_ns:
            out[-1] = (point.time_ns, total)
        else:
            out.append((point.time_ns, total))
    return out


def last_marks(conn: Connection, day: date) -> dict[tuple[str, str, str], tuple[Fraction, str]]:
    """(account, market, contract) -> the mark and its source of the book's last point of `day`."""
    rows = conn.execute(
        "SELECT c.account, c.market, c.contract, c.mark, c.mark_source FROM pnl_curve c JOIN ("
        "SELECT account, market, contract, max(time_ns) AS t FROM pnl_curve WHERE trading_day = ? "
        "GROUP BY account, market, contract) last ON c.account = last.account AND c.market = last.market "
        "AND c.contract = last.contract AND c.time_ns = last.t", (day.isoformat(),))
    return {(a, m, c): (Fraction(mark), source) for a, m, c, mark, source in rows}
