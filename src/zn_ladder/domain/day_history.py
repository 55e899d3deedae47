"""The figures of each trading day of one account's book of one instrument, from its fills.

What a desk's history of closed days holds (issue 15 §2): per trading day (`domain.trading_day`), the
realized P&L of that day's fills under LIFO and under FIFO, the position at the close, the number of
fills and their volume. The definition is the store's book's, day by day: a day opens on the lots of
an SOD dated that day when there is one (the SOD is the desk's word on the position), else on the lots
the previous day closed with (flat before the first fill), and its fills are matched in (time,
arrival) order against them. A day's realized P&L is what its own fills closed, so the days add up
to the book's realized P&L over the same span.

Pure: the caller reads the fills and SOD lots and writes the rows (`store.days`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from zn_ladder.domain.instruments import Product
from zn_ladder.domain.lots import METHODS, LotBook
from zn_ladder.domain.trading_day import DEFAULT_RULE, TradingDayRule, day_bounds_ns, day_start_ns, trading_day


@dataclass(frozen=True, slots=True)
class DayFigures:
    """One trading day of one book. Realized in tick-contracts per method (dollars: x tick value);
    `closing_lots` per method, (signed qty, price ticks) oldest first, for marking the close."""

    day: date
    realized_units: Mapping[str, int]
    position: int
    fills: int
    volume: int
    last_price: int
    closing_lots: Mapping[str, tuple[tuple[int, int], ...]]


def sod_day(sod_date: date, rule: TradingDayRule = DEFAULT_RULE) -> date:
    """The trading day an SOD dated `sod_date` opens: that day, or Monday for a weekend date. An SOD
    without a date (`date.min`) opens the first day, as it opens a book with every fill."""
    if sod_date == date.min:
        return date.min
    return trading_day(day_start_ns(sod_date, rule), rule)


def day_figures(fills: Iterable[tuple[int, int, int]], product: Product,
                sods: Mapping[date, Sequence[tuple[int, int]]] | None = None,
                rule: TradingDayRule = DEFAULT_RULE) -> list[DayFigures]:
    """Figures of every trading day with at least one fill, oldest first.

    `fills`: (time_ns, signed qty, price ticks) of the live fills in (time, arrival) order (busts
    removed, corrections applied); `sods`: SOD date (`date.min` for an undated one) -> its (signed qty,
    price) lots.
    """
    resets = sorted(((sod_day(d, rule), lots) for d, lots in (sods or {}).items()), key=lambda item: item[0])
    opening: dict[str, tuple[tuple[int, int], ...]] = {m: () for m in METHODS}
    out: list[DayFigures] = []
    day_fills: list[tuple[int, int]] = []
    current: date | None = None
    start = end = 0  # the current day's [start, end): the zone's arithmetic once per day, not per fill
    for time_ns, qty, price in fills:
        if start <= time_ns < end:
            day_fills.append((qty, price))
            continue
        day = trading_day(time_ns, rule)
        start, end = day_bounds_ns(day, rule)
        if day != current:
            if current is not None:
                out.append(_close(current, day_fills, opening, product))
                opening = dict(out[-1].closing_lots)
            current, day_fills = day, []
            opening = _after_sod(opening, resets, out[-1].day if out else None, day)
        day_fills.append((qty, price))
    if current is not None:
        out.append(_close(current, day_fills, opening, product))
    return out


def _after_sod(opening: dict[str, tuple[tuple[int, int], ...]], resets: list[tuple[date, Sequence[tuple[int, int]]]],
               previous: date | None, day: date) -> dict[str, tuple[tuple[int, int], ...]]:
    """The lots `day` opens on: those of the latest SOD for a day after `previous` and up to `day`, if any."""
    chosen = None
    for reset_day, lots in resets:
        if (previous is None or reset_day > previous) and reset_day <= day:
            chosen = lots
    if chosen is None:
        return opening
    lots = tuple((q, p) for q, p in chosen)
    return {m: lots for m in METHODS}


def _close(day: date, fills: list[tuple[int, int]], opening: Mapping[str, tuple[tuple[int, int], ...]],
           product: Product) -> DayFigures:
    realized: dict[str, int] = {}
    closing: dict[str, tuple[tuple[int, int], ...]] = {}
    position = 0
    qtys, prices = [q for q, _ in fills], [p for _, p in fills]
    for method in METHODS:
        book = LotBook(product, method)
        for qty, price in opening[method]:
            book.open_sod(qty, price)
        before = book.realized_ticks
        book.apply_trades(qtys, prices)
        realized[method] = book.realized_ticks - before
        closing[method] = tuple((lot.qty, lot.price) for lot in book.open_lots)
        position = book.position
    return DayFigures(day, realized, position, len(fills), sum(map(abs, qtys)), prices[-1], closing)
