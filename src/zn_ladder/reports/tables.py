"""The report's tables, declared once: each writer (workbook, CSV, HTML) lays out the same columns.

A column says what kind of value it holds (`Kind`); the writer decides how that kind looks in its
format: a workbook cell keeps money as a number with a currency format and times as Excel dates, the
CSV writes plain decimals a spreadsheet reads back as numbers, the page writes `$51,734.38`. So a
figure can never be rounded one way in one format and another way in the next.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from enum import Enum
from functools import lru_cache
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

from zn_ladder.domain.day_report import DayReport
from zn_ladder.domain.errors import InputError
from zn_ladder.domain.instruments import product_of_contract
from zn_ladder.domain.prices import format_ticks

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


class Kind(Enum):
    TEXT = "text"
    INT = "int"
    #: Exact dollars (a Fraction), or None for "not available".
    MONEY = "money"
    #: An aware datetime in the trading day's zone, or None.
    TIME = "time"
    #: A Fraction shown as a percentage.
    PERCENT = "percent"
    #: A plain ratio (profit factor).
    RATIO = "ratio"


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    columns: tuple[tuple[str, Kind], ...]
    rows: tuple[tuple[Any, ...], ...]
    #: Per-row kinds, when a column's rows are of different kinds (the summary's figures).
    row_kinds: tuple[tuple[Kind, ...], ...] | None = None

    @property
    def titles(self) -> list[str]:
        return [title for title, _ in self.columns]

    def cells(self):
        """Each row as (value, kind) pairs."""
        for i, row in enumerate(self.rows):
            kinds = self.row_kinds[i] if self.row_kinds is not None else [k for _, k in self.columns]
            yield list(zip(row, kinds))


def local_time(time_ns: int, zone: str) -> datetime:
    """ns since the epoch (UTC) as an aware datetime in `zone`, to the microsecond."""
    return (_EPOCH + timedelta(microseconds=time_ns // 1000)).astimezone(ZoneInfo(zone))


@lru_cache(maxsize=4096)
def price_text(ticks: int | None, contract: str) -> str:
    """A price in TT's form for the contract's product ("110'165"); empty when there is none. Cached: a
    day trades a few dozen prices, printed on every fill and journal row (exact formatting is slow)."""
    if ticks is None:
        return ""
    try:
        return format_ticks(ticks, product_of_contract(contract))
    except InputError:
        return str(ticks)


def side_text(direction: int) -> str:
    return "Buy" if direction > 0 else "Sell"


def summary(report: DayReport) -> Table:
    """The day in one column of figures: what a trader reads first."""
    s = report.stats
    t = lambda ns: None if ns is None else local_time(ns, report.zone)  # noqa: E731
    rows: list[tuple[str, Any, Kind]] = [
        ("Trading day", report.day.isoformat(), Kind.TEXT),
        ("Session close", report.rule, Kind.TEXT),
        ("Times in", report.zone, Kind.TEXT),
        ("Account", report.account or "all", Kind.TEXT),
        ("Matching method", report.method.upper(), Kind.TEXT),
        ("Fills", len(report.fills), Kind.INT),
        ("Lots traded", sum(f.qty for f in report.fills), Kind.INT),
        (f"Realized P&L ({report.method.upper()})", report.realized, Kind.MONEY),
        ("Day's P&L (at last traded prices)", report.total, Kind.MONEY),
        ("Round trips", s.round_trips, Kind.INT),
        ("Winning trips", s.wins, Kind.INT),
        ("Losing trips", s.losses, Kind.INT),
        ("Scratch trips", s.scratches, Kind.INT),
        ("Win rate", s.win_rate, Kind.PERCENT),
        ("Net of round trips", s.net, Kind.MONEY),
        ("Gross wins", s.gross_wins, Kind.MONEY),
        ("Gross losses", s.gross_losses, Kind.MONEY),
        ("Average win", s.average_win, Kind.MONEY),
        ("Average loss", s.average_loss, Kind.MONEY),
        ("Largest win", s.largest_win, Kind.MONEY),
        ("Largest loss", s.largest_loss, Kind.MONEY),
        ("Profit factor", s.profit_factor, Kind.RATIO),
        ("Maximum drawdown", s.max_drawdown.amount, Kind.MONEY),
        ("Drawdown from", t(s.max_drawdown.peak_ns), Kind.TIME),
        ("Drawdown to", t(s.max_drawdown.trough_ns), Kind.TIME),
        ("Trips open at the close", len(report.open_trips), Kind.INT),
    ]
    return Table("Summary", (("Figure", Kind.TEXT), ("Value", Kind.TEXT)), tuple((n, v) for n, v, _ in rows),
                 tuple((Kind.TEXT, k) for _, _, k in rows))


def books(report: DayReport) -> Table:
    return Table("Books", (
        ("Account", Kind.TEXT), ("Market", Kind.TEXT), ("Contract", Kind.TEXT), ("Opening position", Kind.INT),
        ("Fills", Kind.INT), ("Bought", Kind.INT), ("Sold", Kind.INT), ("Position", Kind.INT),
        ("Realized LIFO", Kind.MONEY), ("Realized FIFO", Kind.MONEY), ("Last traded", Kind.TEXT),
        ("Unrealized", Kind.MONEY), ("Total P&L", Kind.MONEY)),
        tuple((b.account, b.market, b.contract, b.opening_position, b.fills, b.bought, b.sold, b.position,
               b.realized_lifo, b.realized_fifo, price_text(b.mark, b.contract), b.unrealized, b.total)
              for b in report.books))


def hours(report: DayReport) -> Table:
    return Table("P&L by hour", (
        ("Hour", Kind.TIME), ("Fills", Kind.INT), ("Lots", Kind.INT),
        (f"Realized ({report.method.upper()})", Kind.MONEY),
        ("P&L change", Kind.MONEY), ("Trips closed", Kind.INT), ("Trips P&L", Kind.MONEY)),
        tuple((h.start, h.fills, h.lots, h.realized, h.pnl_change, h.trips_closed, h.trips_pnl) for h in report.hours))


def trips(report: DayReport) -> Table:
    zone = report.zone
    closed = [(t, local_time(t.close_ns, zone)) for t in report.trips]
    still_open = [(t, None) for t in report.open_trips]
    return Table("Round trips", (
        ("Account", Kind.TEXT), ("Market", Kind.TEXT), ("Contract", Kind.TEXT), ("Side", Kind.TEXT),
        ("Opened", Kind.TIME), ("Closed", Kind.TIME), ("Fills", Kind.INT), ("Largest position", Kind.INT),
        ("P&L", Kind.MONEY), ("Note", Kind.TEXT)),
        tuple((t.account, t.market, t.contract, "Long" if t.direction > 0 else "Short", local_time(t.open_ns, zone),
               closed_at, t.fills, t.max_position, t.pnl,
               "; ".join(note for note, on in (("carried in", t.carried),
                                               ("open at the close (realized so far)", closed_at is None)) if on))
              for t, closed_at in closed + still_open))


def fills(report: DayReport) -> Table:
    zone = report.zone
    return Table("Fills", (
        ("Time", Kind.TIME), ("Account", Kind.TEXT), ("Market", Kind.TEXT), ("Contract", Kind.TEXT),
        ("Side", Kind.TEXT), ("Quantity", Kind.INT), ("Price", Kind.TEXT), ("Order id", Kind.TEXT),
        ("Exec id", Kind.TEXT), ("Key", Kind.TEXT), ("User", Kind.TEXT), ("Source", Kind.TEXT)),
        tuple((local_time(f.time_ns, zone), f.account, f.market, f.contract, side_text(f.side), f.qty,
               price_text(f.price, f.contract), f.order_id, f.exec_id, f.key, f.user, f.source)
              for f in report.fills))


def journal(report: DayReport) -> Table:
    zone = report.zone
    return Table("Journal", (
        ("Time", Kind.TIME), ("Account", Kind.TEXT), ("Market", Kind.TEXT), ("Contract", Kind.TEXT),
        ("Method", Kind.TEXT), ("Opened by", Kind.TEXT), ("Opened at", Kind.TIME), ("Open qty", Kind.INT),
        ("Open price", Kind.TEXT), ("Closed by", Kind.TEXT), ("Close qty", Kind.INT), ("Close price", Kind.TEXT),
        ("Matched", Kind.INT), ("Realized", Kind.MONEY), ("Cumulative realized", Kind.MONEY)),
        tuple((local_time(e.time_ns, zone) if e.time_ns else None, e.account, e.market, e.contract, e.method.upper(),
               e.open_key, local_time(e.open_time_ns, zone) if e.open_time_ns else None, e.open_qty,
               price_text(e.open_price, e.contract), e.close_key, e.close_qty, price_text(e.close_price, e.contract),
               e.matched_qty, e.realized, e.cumulative_realized) for e in report.journal))


def curve(report: DayReport) -> Table:
    zone = report.zone
    return Table("P&L curve", (("Time", Kind.TIME), ("P&L", Kind.MONEY)),
                 tuple((local_time(p.time_ns, zone), p.pnl) for p in report.curve))


def all_tables(report: DayReport) -> Sequence[Table]:
    """Every table, in the order the CSV and the page show them."""
    return (summary(report), books(report), hours(report), trips(report), curve(report), fills(report),
            journal(report))


def percent(value: Fraction) -> str:
    return f"{float(value) * 100:.1f}%"
