"""A trading day's report as data: the books, the fills, the journal, the trips and the P&L curve.

Built once from the day's fills and the lots each book opened the day with; the workbook, the CSV
and the HTML page (`zn_ladder.reports`) only lay it out, so the three never disagree and every figure
is computed here, in exact dollars.

Where a book starts the day (`opening_lots`): its latest start-of-day lots dated on or before the day,
then the fills since that SOD's own day began and before this day began (a day with no SOD of its own
carries the position the earlier fills left; with no SOD at all, every earlier fill counts). That is the
store's own rule for its books (`store.matching`), bounded by the day, so on a store that holds the
day with its SOD the report's figures are the store's books.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.instruments import product_of_contract
from zn_ladder.domain.journal import JournalEntry, journal
from zn_ladder.domain.lots import METHODS, BookKey, LotBook, Method, check_method
from zn_ladder.domain.prices import Price
from zn_ladder.domain.records import Fill, SodLot
from zn_ladder.domain.trading_day import TradingDayRule, day_bounds_ns, day_start_ns
from zn_ladder.domain.trade_stats import (CurvePoint, HourRow, RoundTrip, TradeStats, pnl_by_hour, trade_stats,
                                          walk_day)


@dataclass(frozen=True, slots=True)
class BookSummary:
    """One account's day in one instrument. Realized by both methods; the total (realized + open lots
    at the instrument's last traded price of the day) is the same under both."""

    account: str
    market: str
    contract: str
    opening_position: int
    fills: int
    bought: int
    sold: int
    position: int
    realized_lifo: Fraction
    realized_fifo: Fraction
    #: The instrument's last traded price of the day (ticks), None when it did not trade.
    mark: int | None
    unrealized: Fraction | None
    total: Fraction | None


@dataclass(frozen=True, slots=True)
class DayReport:
    day: date
    #: The trading day's rule as text ("16:00 America/Chicago") and its zone (times are shown in it).
    rule: str
    zone: str
    start_ns: int
    end_ns: int
    account: str | None
    method: Method
    books: tuple[BookSummary, ...]
    fills: tuple[Fill, ...]
    #: `domain.journal.JournalEntry` rows of the day, under `method`.
    journal: tuple[JournalEntry, ...]
    trips: tuple[RoundTrip, ...]
    open_trips: tuple[RoundTrip, ...]
    stats: TradeStats
    curve: tuple[CurvePoint, ...]
    hours: tuple[HourRow, ...]
    warnings: tuple[str, ...] = ()

    @property
    def realized(self) -> Fraction:
        """The day's realized P&L under the report's method."""
        return sum((getattr(b, f"realized_{self.method}") for b in self.books), Fraction(0))

    @property
    def total(self) -> Fraction:
        """The day's P&L: the curve's last point (method independent)."""
        return self.curve[-1].pnl


@dataclass(frozen=True, slots=True)
class DayRows:
    """What a day's report is built from, whatever holds the fills (the store, fill files)."""

    #: The day's fills, as they stand (busts removed, corrections applied), in execution order.
    fills: tuple[Fill, ...]
    #: Fills before the day (in order), for the books that carry a position into it.
    earlier: tuple[Fill, ...]
    #: Start-of-day lots of any date up to the day (and undated ones).
    sod: tuple[SodLot, ...]
    #: Busts and corrections naming a fill that is not there (not applied).
    pending: int = 0


def opening_lots(sod: Iterable[SodLot], earlier: Iterable[Fill], day: date, method: Method | str,
                 day_start: Callable[[date], int]) -> dict[BookKey, list[tuple[int, int]]]:
    """(signed qty, price ticks) lots each book holds when `day` begins (see the module docstring).

    `sod`: start-of-day lots of any dates (later ones than `day` are ignored); `earlier`: live fills
    before the day, in execution order; `day_start(d)`: the first instant (ns) of trading day `d`."""
    latest: dict[BookKey, str] = {}
    for lot in sod:
        dated = lot.date or day.isoformat()  # an undated lot (TT's SOD) is the day's own, as in `sod_for_contract`
        if date.fromisoformat(dated) <= day:
            key = (lot.account, lot.market, lot.contract)
            latest[key] = max(latest.get(key, ""), dated)
    books: dict[BookKey, LotBook] = {}
    for lot in sod:
        key = (lot.account, lot.market, lot.contract)
        if (lot.date or day.isoformat()) == latest.get(key):
            _opening_book(books, key, method).open_sod(lot.qty, lot.price)
    since = {key: day_start(date.fromisoformat(d)) for key, d in latest.items()}
    for fill in earlier:
        key = (fill.account, fill.market, fill.contract)
        if fill.time_ns >= since.get(key, 0):
            book = books.get(key) or _opening_book(books, key, method)
            if book is not None:
                book.apply_trade(fill.signed_qty, fill.price)
    return {key: [(lot.qty, lot.price) for lot in book.open_lots] for key, book in books.items() if book.open_lots}


def _opening_book(books: dict[BookKey, LotBook], key: BookKey, method: Method | str) -> LotBook | None:
    try:
        product = product_of_contract(key[2])
    except InputError:
        return None
    book = books[key] = LotBook(product, method)
    return book


def build_day_report(*, day: date, rule: str, zone: str, bounds: tuple[int, int], account: str | None,
                     method: Method | str, fills: Sequence[Fill],
                     opening: dict[Method, dict[BookKey, list[tuple[int, int]]]],
                     warnings: Sequence[str] = ()) -> DayReport:
    """The report of one trading day from its fills (busts removed, corrections applied, in
    execution order, already filtered to the account) and each method's opening lots."""
    method = check_method(method)
    walks = {m: walk_day(fills, opening[m], day_start_ns=bounds[0], method=m) for m in ("lifo", "fifo")}
    walk = walks[method]
    marks: dict[tuple[str, str], int] = {}
    for fill in fills:
        marks[(fill.market, fill.contract)] = fill.price
    books = tuple(_summary(key, book, walks["fifo"].books[key], opening[method].get(key, ()), fills, marks)
                  for key, book in sorted(walks["lifo"].books.items()))
    return DayReport(day=day, rule=rule, zone=zone, start_ns=bounds[0], end_ns=bounds[1], account=account,
                     method=method, books=books, fills=tuple(walk.fills),
                     journal=tuple(day_journal(fills, opening[method], method, day)),
                     trips=tuple(walk.trips), open_trips=tuple(walk.open_trips.values()),
                     stats=trade_stats(walk.trips, walk.curve), curve=tuple(walk.curve),
                     hours=tuple(pnl_by_hour(walk, zone)), warnings=tuple(warnings))


def day_journal(fills: Sequence[Fill], opening: dict[BookKey, list[tuple[int, int]]], method: Method,
                day: date) -> list[JournalEntry]:
    """The day's lot matches (`domain.journal`), every product's, in time order: the lots a book opened
    the day with are its opening trades ("SOD <day>")."""
    products = {}
    for contract in {f.contract for f in fills} | {key[2] for key in opening}:
        try:
            product = product_of_contract(contract)
        except InputError:
            continue
        products[product.symbol] = product
    sod = [SodLot(account, contract, qty, price, day.isoformat(), market)
           for (account, market, contract), lots in opening.items() for qty, price in lots]
    entries = [e for product in products.values() for e in journal(fills, product, method, sod)]
    return sorted(entries, key=lambda e: e.time_ns)  # stable: each book's matches keep their order


def _summary(key: BookKey, lifo: LotBook, fifo: LotBook, opening: Iterable[tuple[int, int]], fills: Sequence[Fill],
             marks: dict[tuple[str, str], int]) -> BookSummary:
    mine = [f for f in fills if (f.account, f.market, f.contract) == key]
    mark = marks.get((key[1], key[2]))
    unrealized = None if mark is None else lifo.unrealized(Price.from_ticks(mark, lifo.product))
    return BookSummary(*key, opening_position=sum(q for q, _ in opening), fills=len(mine),
                       bought=sum(f.qty for f in mine if f.side > 0), sold=sum(f.qty for f in mine if f.side < 0),
                       position=lifo.position, realized_lifo=lifo.realized, realized_fifo=fifo.realized, mark=mark,
                       unrealized=unrealized, total=None if unrealized is None else lifo.realized + unrealized)


def report_for_day(rows: DayRows, *, day: date, rule: TradingDayRule, account: str | None = None,
                   method: Method | str = "lifo") -> DayReport:
    """The report of trading `day` under `rule` from `rows` (already limited to `account` when one is
    named): the opening lots by each method, then `build_day_report`. A day without fills still has a
    report (its books' opening positions, an empty curve); it says so in its warnings."""
    start, end = day_bounds_ns(day, rule)
    opening = {m: opening_lots(rows.sod, rows.earlier, day, m, lambda d: day_start_ns(d, rule)) for m in METHODS}
    fills = [f for f in rows.fills if start <= f.time_ns < end]
    warnings = []
    if not fills:
        warnings.append(f"no fills on trading day {day}{' in account ' + account if account else ''}")
    if rows.pending:
        warnings.append(f"{rows.pending} busts/corrections refer to fills that are not there: not applied")
    return build_day_report(day=day, rule=str(rule), zone=rule.zone, bounds=(start, end), account=account,
                            method=method, fills=fills, opening=opening, warnings=warnings)
