"""`zn-ladder export --what journal [--method lifo|fifo] [--day D]`: the store's realized P&L journal.

One CSV row per lot match (issue 15 §1), oldest first: the old `lifo_pnl_monitor.py` output, but
naming both fills and the quantity matched, for LIFO and FIFO. Times are in this computer's local
time (as the old monitor's `Timestamp`), with the exact `time_ns` beside; prices in decimal points;
money in exact decimal dollars (a ZN tick is $15.625, so no rounding to cents).
"""

from __future__ import annotations

import datetime as dt
from typing import TextIO

JOURNAL_COLUMNS = ("trading_day", "time", "time_ns", "account", "market", "contract", "method", "open_fill",
                   "open_time", "open_qty", "open_price", "close_fill", "close_qty", "close_price", "matched_qty",
                   "realized", "cumulative_realized")


def _local(ns: int) -> str:
    return dt.datetime.fromtimestamp(ns / 1e9).strftime("%Y-%m-%d %H:%M:%S.%f")


def write_journal_csv(conn, out: TextIO, *, method: str | None = None, day: dt.date | None = None,
                      contract: str | None = None, market: str | None = None, rule=None) -> int:
    """The journal as CSV, days by the desk's trading-day `rule` (default: CME's 16:00 Chicago)."""
    import csv

    from zn_ladder.cli.spreadsheet_safe import safe_cell
    from zn_ladder.domain.errors import InputError
    from zn_ladder.domain.instruments import product_of_contract
    from zn_ladder.domain.prices import decimal_text, format_ticks
    from zn_ladder.store import journal

    from zn_ladder.domain.trading_day import DEFAULT_RULE

    rule = rule or DEFAULT_RULE
    since, until = journal.day_bounds(day, rule) if day is not None else (None, None)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(JOURNAL_COLUMNS)
    count = 0
    for e in journal.read(conn, method=method, since_ns=since, until_ns=until, contract=contract, market=market):
        try:
            product = product_of_contract(e.contract)
        except InputError:
            continue  # the store only holds known products; be safe with old rows
        writer.writerow((
            journal.trading_day_of(e.time_ns, rule) if e.time_ns else "", _local(e.time_ns) if e.time_ns else "",
            e.time_ns, safe_cell(e.account), safe_cell(e.market), safe_cell(e.contract), e.method,
            safe_cell(e.open_key), _local(e.open_time_ns) if e.open_time_ns else "", e.open_qty,
            format_ticks(e.open_price, product, "decimal"), safe_cell(e.close_key), e.close_qty,
            format_ticks(e.close_price, product, "decimal"), e.matched_qty, decimal_text(e.realized),
            decimal_text(e.cumulative_realized)))
        count += 1
    return count
