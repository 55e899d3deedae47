"""What a trading day's report reads from the store: the day's fills, what came before, the SOD lots.

Read-only, on whatever connection the caller owns (the CLI's read-only one, or the writer thread's in
the window). Fills are read as they stand (busts removed, corrections applied), so a report written
after a bust already leaves the busted fill out. The day's arithmetic is the domain's
(`domain.day_report`); this module only selects rows.
"""

from __future__ import annotations

from datetime import date

from zn_ladder.domain.day_report import DayRows
from zn_ladder.domain.records import SodLot
from zn_ladder.store.fills import live_fills
from zn_ladder.store.backend import Connection
from zn_ladder.store.where import Filter, matches


def read_day(conn: Connection, day: date, start_ns: int, end_ns: int, account: str | None = None,
             user: Filter = None) -> DayRows:
    """The day's fills, the fills before it and the SODs up to it. `user` (`where.trader_values`): one
    trader's fills only, and no SOD (a start-of-day position is an account's, not a trader's)."""
    sod = () if user is not None else tuple(SodLot(a, c, q, p, d, m) for a, c, q, p, d, m in conn.execute(
        "SELECT account, contract, qty, price, date, market FROM sod_lots WHERE date <= ? "
        "ORDER BY account, market, contract, date, seq", (day.isoformat(),)) if matches(a, account))
    pending = conn.execute("SELECT count(*) FROM corrections WHERE applied = 0").fetchone()[0]
    return DayRows(tuple(live_fills(conn, account=account, since_ns=start_ns, until_ns=end_ns, user=user)),
                   tuple(live_fills(conn, account=account, until_ns=start_ns, user=user)), sod, pending)


def accounts(conn: Connection, start_ns: int, end_ns: int) -> tuple[list[str], list[str]]:
    """(accounts with a fill in [start, end), every account the store holds a fill or SOD lot of): to
    tell an account with nothing that day from one the store never saw, and to name the ones it has."""
    day = [r[0] for r in conn.execute("SELECT DISTINCT account FROM fills WHERE time_ns >= ? AND time_ns < ? "
                                      "ORDER BY account", (start_ns, end_ns))]
    every = [r[0] for r in conn.execute("SELECT account FROM fills UNION SELECT account FROM sod_lots ORDER BY 1")]
    return day, every
