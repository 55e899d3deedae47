"""What a trader reads after the close: round trips, win rate, profit factor, drawdown, P&L by hour.

**A round trip** is what a trader means by "a trade": one account's position in one instrument
(account, market, contract) going from flat back to flat. It opens with the fill that leaves flat and
closes with the fill that brings the position back to zero; a fill that goes through zero (long 3,
sell 5) closes the trip at that fill and opens the next one, short 2, at the same fill's price. A
position carried into the day (start-of-day lots) is a trip that opened before the day (`carried`);
one still open at the close is not a round trip yet (`open_trips`), so its figures are left out of the
statistics. Why flat-to-flat rather than one row per lot match: its P&L does not depend on the matching
method (once flat every lot is closed, so LIFO and FIFO have realized the same cash), and scaling in
and out of one idea stays one trade. The P&L of a trip is the realized P&L the domain's `LotBook`
booked between its opening and its closing fill.

**Statistics** over the closed trips: win rate = winning trips / trips (a trip of exactly $0 is a
scratch: neither a win nor a loss, but a trip); average and largest win and loss; profit factor =
gross wins / |gross losses|, None when nothing lost.

**The day's P&L curve** is the total P&L (realized + open lots) of the chosen books after each fill,
every instrument marked at its own last traded price: the only marks the fills themselves carry. It
starts at 0 just before the day's first fill (start-of-day lots marked at their own price are worth
nothing yet; at the day's start on a day without fills) and does not depend on the matching method.
**Maximum drawdown** is its largest peak-to-trough fall.

**P&L by hour**, in the trading day's time zone (hours that saw a fill): fills, lots traded, realized
P&L of the fills of that hour (by the chosen method: sums to the day's realized), the change of the
day's P&L curve over the hour (sums to the curve's last value) and the round trips closed in it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from fractions import Fraction
from zoneinfo import ZoneInfo

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.instruments import Product, product_of_contract
from zn_ladder.domain.lots import BookKey, LotBook, Method
from zn_ladder.domain.records import Fill

_NS = 1_000_000_000
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True, slots=True)
class RoundTrip:
    """One flat-to-flat trade of one account in one instrument (see the module docstring)."""

    account: str
    market: str
    contract: str
    #: +1 a long trip, -1 a short one.
    direction: int
    open_ns: int
    close_ns: int
    #: Fills in the trip (a fill through zero counts in both trips it touches).
    fills: int
    #: Largest position held during the trip, in lots (unsigned).
    max_position: int
    pnl: Fraction
    #: Opened before the day (start-of-day lots).
    carried: bool = False


@dataclass(frozen=True, slots=True)
class CurvePoint:
    time_ns: int
    pnl: Fraction


@dataclass(frozen=True, slots=True)
class Drawdown:
    """The largest fall of the curve from a running peak: `amount` >= 0 (0 when it never fell)."""

    amount: Fraction
    peak_ns: int | None = None
    trough_ns: int | None = None


@dataclass(frozen=True, slots=True)
class HourRow:
    """One clock hour of the trading day's zone that saw fills."""

    #: The hour's start, an aware datetime in the zone (its UTC instant is the key).
    start: datetime
    fills: int
    lots: int
    realized: Fraction
    pnl_change: Fraction
    trips_closed: int
    trips_pnl: Fraction


@dataclass(frozen=True, slots=True)
class TradeStats:
    round_trips: int
    wins: int
    losses: int
    scratches: int
    win_rate: Fraction | None
    gross_wins: Fraction
    #: Sum of the losing trips (<= 0).
    gross_losses: Fraction
    net: Fraction
    average_win: Fraction | None
    #: Average losing trip (< 0), None without losses.
    average_loss: Fraction | None
    largest_win: Fraction | None
    #: The worst trip (< 0), None without losses.
    largest_loss: Fraction | None
    #: gross wins / |gross losses|; None when no trip lost.
    profit_factor: Fraction | None
    max_drawdown: Drawdown


@dataclass(slots=True)
class _Trip:
    """A trip being built: where its realized P&L started."""

    direction: int
    open_ns: int
    start_realized: int
    carried: bool
    fills: int = 0
    max_position: int = 0


@dataclass(slots=True)
class DayWalk:
    """The day replayed once, fill by fill: the books at the close, the closed and open trips, the P&L
    curve and each fill's realized P&L (by the walk's method), in the order of `fills`."""

    books: dict[BookKey, LotBook] = field(default_factory=dict)
    trips: list[RoundTrip] = field(default_factory=list)
    open_trips: dict[BookKey, RoundTrip] = field(default_factory=dict)
    curve: list[CurvePoint] = field(default_factory=list)
    fills: list[Fill] = field(default_factory=list)
    fill_realized: list[Fraction] = field(default_factory=list)


def walk_day(fills: Iterable[Fill], opening: Mapping[BookKey, Sequence[tuple[int, int]]], *, day_start_ns: int,
             method: Method | str = "lifo") -> DayWalk:
    """Replay the day: each book starts from its `opening` lots ((signed qty, price ticks), e.g. the
    start-of-day lots), then takes `fills` (execution order, busts removed, corrections applied).

    Fills of a contract whose product is unknown are left out (their ticks mean nothing here)."""
    out = DayWalk()
    trips: dict[BookKey, _Trip] = {}
    products: dict[str, Product | None] = {}
    by_instrument: dict[tuple[str, str], list[LotBook]] = {}
    value_of: dict[tuple[str, str], Fraction] = {}
    total = Fraction(0)
    out.curve.append(CurvePoint(day_start_ns, total))
    for key, lots in opening.items():
        product = _product(products, key[2])
        if product is None:
            continue
        book = _book(out, by_instrument, key, product, method)
        for qty, price in lots:
            book.open_sod(qty, price)
        if book.position:
            trips[key] = _Trip(1 if book.position > 0 else -1, day_start_ns, book.realized_ticks, True,
                               max_position=abs(book.position))
    for fill in fills:
        product = _product(products, fill.contract)
        if product is None:
            continue
        key = (fill.account, fill.market, fill.contract)
        book = out.books.get(key) or _book(out, by_instrument, key, product, method)
        before_position, before_realized = book.position, book.realized_ticks
        book.apply_trade(fill.signed_qty, fill.price)
        _follow_trip(out, trips, key, book, fill, before_position, before_realized)
        out.fills.append(fill)
        out.fill_realized.append((book.realized_ticks - before_realized) * product.tick_value)
        instrument = (fill.market, fill.contract)
        value = sum((b.cash_units + b.position * fill.price for b in by_instrument[instrument]), 0) * product.tick_value
        total += value - value_of.get(instrument, Fraction(0))
        value_of[instrument] = value
        out.curve.append(CurvePoint(fill.time_ns, total))
    if out.fills:  # the curve starts from 0 at the first fill, not hours earlier at the session's open
        out.curve[0] = CurvePoint(out.fills[0].time_ns, Fraction(0))
    for key, trip in trips.items():
        book = out.books[key]
        out.open_trips[key] = RoundTrip(*key, trip.direction, trip.open_ns, 0, trip.fills, trip.max_position,
                                        (book.realized_ticks - trip.start_realized) * book.product.tick_value,
                                        trip.carried)
    return out


def _product(cache: dict[str, Product | None], contract: str) -> Product | None:
    if contract not in cache:
        try:
            cache[contract] = product_of_contract(contract)
        except InputError:
            cache[contract] = None
    return cache[contract]


def _book(out: DayWalk, by_instrument: dict[tuple[str, str], list[LotBook]], key: BookKey, product: Product,
          method: Method | str) -> LotBook:
    book = out.books[key] = LotBook(product, method)
    by_instrument.setdefault((key[1], key[2]), []).append(book)
    return book


def _follow_trip(out: DayWalk, trips: dict[BookKey, _Trip], key: BookKey, book: LotBook, fill: Fill,
                 before: int, before_realized: int) -> None:
    """Open, extend or close the book's trip for one fill (see the module docstring)."""
    after = book.position
    trip = trips.get(key)
    if trip is None:  # flat before: this fill opens a trip
        trip = trips[key] = _Trip(1 if after > 0 else -1, fill.time_ns, before_realized, False)
    trip.fills += 1
    crossed = before != 0 and after != 0 and (after > 0) != (before > 0)
    if not crossed:  # through zero, what is left belongs to the next trip
        trip.max_position = max(trip.max_position, abs(after))
    if after != 0 and not crossed:
        return
    out.trips.append(RoundTrip(*key, trip.direction, trip.open_ns, fill.time_ns, trip.fills, trip.max_position,
                               (book.realized_ticks - trip.start_realized) * book.product.tick_value, trip.carried))
    del trips[key]
    if crossed:  # the rest of the fill opens the next trip at the same price
        trips[key] = _Trip(1 if after > 0 else -1, fill.time_ns, book.realized_ticks, False, 1, abs(after))


def max_drawdown(curve: Sequence[CurvePoint]) -> Drawdown:
    """Largest fall from a running peak to a later point of `curve`."""
    best = Drawdown(Fraction(0))
    peak: CurvePoint | None = None
    for point in curve:
        if peak is None or point.pnl > peak.pnl:
            peak = point
        elif peak.pnl - point.pnl > best.amount:
            best = Drawdown(peak.pnl - point.pnl, peak.time_ns, point.time_ns)
    return best


def trade_stats(trips: Sequence[RoundTrip], curve: Sequence[CurvePoint]) -> TradeStats:
    """The figures of the module docstring over closed `trips` and the day's `curve`."""
    wins = [t.pnl for t in trips if t.pnl > 0]
    losses = [t.pnl for t in trips if t.pnl < 0]
    gross_wins, gross_losses = sum(wins, Fraction(0)), sum(losses, Fraction(0))
    return TradeStats(
        round_trips=len(trips), wins=len(wins), losses=len(losses), scratches=len(trips) - len(wins) - len(losses),
        win_rate=Fraction(len(wins), len(trips)) if trips else None,
        gross_wins=gross_wins, gross_losses=gross_losses, net=gross_wins + gross_losses,
        average_win=gross_wins / len(wins) if wins else None,
        average_loss=gross_losses / len(losses) if losses else None,
        largest_win=max(wins) if wins else None, largest_loss=min(losses) if losses else None,
        profit_factor=gross_wins / -gross_losses if losses else None,
        max_drawdown=max_drawdown(curve))


def hour_start(time_ns: int, zone: ZoneInfo) -> datetime:
    """The start of the clock hour of `time_ns` in `zone` (the repeated 01:00 of a fall-back night
    stays two hours: the local time keeps its fold)."""
    local = (_EPOCH + timedelta(microseconds=time_ns // 1000)).astimezone(zone)
    return local.replace(minute=0, second=0, microsecond=0)


def pnl_by_hour(walk: DayWalk, zone_name: str) -> list[HourRow]:
    """The day's hours that saw fills, oldest first (see the module docstring)."""
    zone = ZoneInfo(zone_name)
    rows: dict[datetime, list] = {}  # keyed by the hour's UTC instant

    def row(time_ns: int) -> list:
        start = hour_start(time_ns, zone)
        key = start.astimezone(timezone.utc)
        if key not in rows:
            rows[key] = [start, 0, 0, Fraction(0), Fraction(0), 0, Fraction(0)]
        return rows[key]

    curve = walk.curve
    for i, (fill, realized) in enumerate(zip(walk.fills, walk.fill_realized)):
        r = row(fill.time_ns)
        r[1] += 1
        r[2] += fill.qty
        r[3] += realized
        r[4] += curve[i + 1].pnl - curve[i].pnl  # curve[0] is the day's start
    for trip in walk.trips:
        r = row(trip.close_ns)
        r[5] += 1
        r[6] += trip.pnl
    return [HourRow(*rows[key]) for key in sorted(rows)]
