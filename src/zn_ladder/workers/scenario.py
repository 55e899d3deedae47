"""The scenario: working orders + stored fills/SOD + spot + what-if orders -> ladder and P&L snapshots.

`compute_scenario` is a pure function of an immutable `ScenarioInputs`, so the self-test (and the
tests) can recompute exactly what the window shows from the same inputs. `ScenarioWorker` runs it off
the GUI thread whenever an input changes, coalescing bursts (a fills write, an orders poll and a spot
tick landing together cost one projection), and emits the results as snapshots.

The base of the ladder comes from the store's persisted books (no replay per tick): position P0 and
B0 = realized + open lots marked at spot (DESIGN §3.4), which is the same whatever the matching method.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from fractions import Fraction
from typing import Any

from PySide6.QtCore import QTimer, Signal, Slot

from zn_ladder.domain.instruments import Product
from zn_ladder.domain.ladder import project_ladder
from zn_ladder.domain.prices import Price
from zn_ladder.domain.records import Fill, WorkingOrder
from zn_ladder.domain.trading_day import DEFAULT_RULE, TradingDayRule, trading_day
from zn_ladder.store.curve import CurvePoint
from zn_ladder.workers.snapshots import AccountPnl, LadderSnapshot, PnlSnapshot
from zn_ladder.workers.threads import Worker

log = logging.getLogger(__name__)

#: Ticks projected beyond the orders, the spot and the visible window.
PADDING = 20
#: Intraday P&L chart: one point per this many seconds at most, and this many points kept.
HISTORY_EVERY_S = 5.0
HISTORY_POINTS = 6000
#: The curve is stored (`curvePoints`) on each fill and, while only the mark moves, at most once per
#: this many seconds: a day of 23 hours is then ~2,800 rows per account at most, and a restart loses
#: less than this much of the chart.
CURVE_EVERY_S = 30.0
#: Inputs that arrive within this many ms of each other cost one projection.
COALESCE_MS = 15


@dataclass(frozen=True, slots=True)
class ScenarioInputs:
    product: Product
    contract: str
    orders: tuple[WorkingOrder, ...] = ()
    what_if: tuple[WorkingOrder, ...] = ()
    #: The store's `ContractSnapshot` (fills, SOD, P&L views), or None before the first read.
    store: Any = None
    spot: Price | None = None
    spot_source: str = ""
    #: The rows the window shows (high tick, low tick); the projection covers at least these.
    window: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class ScenarioResult:
    inputs: ScenarioInputs
    ladder: LadderSnapshot
    pnl: PnlSnapshot
    spot: Price
    spot_source: str


def scenario_spot(inputs: ScenarioInputs) -> tuple[Price | None, str]:
    """The spot to walk from; without one, the last fill's price, or before the first fill the SOD's
    (labelled so), keeps the ladder and the cards useful: at 06:59 the trader sees the start-of-day
    position, not an empty window."""
    if inputs.spot is not None:
        return inputs.spot, inputs.spot_source
    fills: tuple[Fill, ...] = inputs.store.fills if inputs.store is not None else ()
    if fills:
        last = fills[-1]  # time order
        return Price.from_ticks(last.price, inputs.product), "last fill"
    sod = inputs.store.sod if inputs.store is not None else ()
    if sod:
        return Price.from_ticks(sod[-1].price, inputs.product), "SOD price"
    return None, ""


def base_of(inputs: ScenarioInputs, spot: Price) -> dict[str, Any]:
    """Position, P&L split and SOD from the store snapshot (zero before the first read)."""
    zero = Fraction(0)
    out: dict[str, Any] = {"position": 0, "sod": 0, "realized_lifo": zero, "realized_fifo": zero,
                           "unrealized": zero, "average": None}
    store = inputs.store
    if store is None:
        return out
    out["sod"] = sum(lot.qty for lot in store.sod)
    lifo, fifo = store.pnl.get("lifo"), store.pnl.get("fifo")
    if lifo is not None:
        out.update(position=lifo.position, realized_lifo=lifo.realized, unrealized=lifo.unrealized(spot),
                   average=lifo.average_open_price)
    if fifo is not None:
        out["realized_fifo"] = fifo.realized
    return out


def accounts_of(inputs: ScenarioInputs, spot: Price) -> tuple[AccountPnl, ...]:
    """Each account's book from the store snapshot marked at `spot` (the domain's lot arithmetic, as for
    the totals): LIFO and FIFO realized, each method's unrealized, and the average open price."""
    store = inputs.store
    out = []
    for view in getattr(store, "by_account", ()) if store is not None else ():
        lifo, fifo = view.pnl.get("lifo"), view.pnl.get("fifo")
        if lifo is None or fifo is None:
            continue
        unrealized = lifo.unrealized(spot)
        out.append(AccountPnl(account=view.account, contract=view.contract, position=lifo.position,
                              sod_position=view.sod_position, realized_lifo=lifo.realized,
                              realized_fifo=fifo.realized, unrealized=unrealized,
                              unrealized_fifo=fifo.unrealized(spot), total=lifo.realized + unrealized,
                              average_open_price=lifo.average_open_price, market=view.market))
    return tuple(out)


def compute_scenario(inputs: ScenarioInputs, *, history: tuple[tuple[datetime, Fraction], ...] = (),
                     now: datetime | None = None) -> ScenarioResult | None:
    """The ladder and P&L for `inputs`; None while there is no spot at all (nothing to walk from)."""
    spot, source = scenario_spot(inputs)
    if spot is None:
        return None
    product = inputs.product
    now = now or datetime.now(timezone.utc)
    base = base_of(inputs, spot)
    total = base["realized_lifo"] + base["unrealized"]
    orders = tuple(o for o in inputs.orders if o.contract == inputs.contract) + tuple(
        replace(o, contract=inputs.contract) if not o.contract else o for o in inputs.what_if)
    spot_ticks = spot.ticks(product)
    prices = [o.price for o in orders] + [int(spot_ticks), int(spot_ticks) + 1]
    if inputs.window is not None:
        prices += list(inputs.window)
    ladder = project_ladder(product, spot, base["position"], total, orders,
                            high=max(prices) + PADDING, low=min(prices) - PADDING)
    ladder_snap = LadderSnapshot(ladder=ladder, product=product, contract=inputs.contract,
                                 average_open_price=base["average"], orders=orders, received_at=now)
    pnl = PnlSnapshot(position=base["position"], sod_position=base["sod"], realized_lifo=base["realized_lifo"],
                      realized_fifo=base["realized_fifo"], unrealized=base["unrealized"], total=total,
                      average_open_price=base["average"], risk=base["position"] * product.tick_value,
                      product=product, spot=spot, history=history + ((now, total),),
                      by_account=accounts_of(inputs, spot), contract=inputs.contract)
    return ScenarioResult(inputs, ladder_snap, pnl, spot, source)


def curve_points(result: ScenarioResult) -> tuple[CurvePoint, ...]:
    """The intraday curve's points of one computation: each account's book as marked at its spot."""
    at = _ns(result.pnl.history[-1][0])
    return tuple(CurvePoint(at, a.account, a.market, a.contract, a.position, a.realized_lifo, a.realized_fifo,
                            a.total, result.spot.value, result.spot_source) for a in result.pnl.by_account)


class ScenarioWorker(Worker):
    """Holds the latest inputs; recomputes (coalesced) on its own thread when one changes."""

    ladderReady = Signal(object)
    pnlReady = Signal(object)
    computed = Signal(object)  # ScenarioResult
    failed = Signal(str)
    #: Curve points to store (tuple of `store.curve.CurvePoint`): on a fill, else every `CURVE_EVERY_S`.
    curvePoints = Signal(object)

    def __init__(self, product: Product, contract: str = "", day_rule: TradingDayRule = DEFAULT_RULE) -> None:
        super().__init__("scenario")
        self._inputs = ScenarioInputs(product=product, contract=contract)
        self._history: deque[tuple[datetime, Fraction]] = deque(maxlen=HISTORY_POINTS)
        self._last_history = 0.0
        self._timer: QTimer | None = None
        self.computations = 0
        #: The chart shows one trading day: its history starts again when the day changes.
        self._day_rule = day_rule
        self._day: Any = None
        #: What the last stored curve points were taken from: (fills count, monotonic time, totals).
        self._stored: tuple[int, float, tuple] = (-1, 0.0, ())

    def start(self) -> None:
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.compute_now)

    def on_stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()

    def _update(self, **changes: Any) -> None:
        self._inputs = replace(self._inputs, **changes)
        if self._timer is not None and not self._timer.isActive():
            self._timer.start(COALESCE_MS)

    @Slot(object)
    def set_contract(self, contract: str) -> None:
        if contract != self._inputs.contract:
            self._history.clear()  # another contract's curve: its stored points are loaded for it
            self._stored = (-1, 0.0, ())
        self._update(contract=contract)

    @Slot(object, object)
    def seed_history(self, contract: str, points: tuple[tuple[datetime, Fraction], ...]) -> None:
        """The stored curve of today's trading day for `contract`: the chart starts from it after a restart.
        Points already computed here (newer) are kept after the stored ones."""
        if contract != self._inputs.contract or not points:
            return
        kept = [p for p in self._history if p[0] > points[-1][0]]
        self._history.clear()
        self._history.extend((*points, *kept))
        self._day = trading_day(_ns(points[-1][0]), self._day_rule)

    @Slot(object)
    def set_orders(self, orders: tuple[WorkingOrder, ...]) -> None:
        self._update(orders=tuple(orders))

    @Slot(object)
    def set_what_if(self, orders: tuple[WorkingOrder, ...]) -> None:
        self._update(what_if=tuple(orders))

    @Slot(object)
    def set_store(self, snapshot: Any) -> None:
        self._update(store=snapshot)

    @Slot(object, str)
    def set_spot(self, price: Price | None, source: str) -> None:
        self._update(spot=price, spot_source=source)

    @Slot(int, int)
    def set_window(self, high: int, low: int) -> None:
        window = (max(high, low), min(high, low))
        old = self._inputs.window
        if old is None or window[0] > old[0] or window[1] < old[1]:
            self._update(window=window)  # only a window beyond the projected one needs a new projection

    @Slot()
    def compute_now(self) -> None:
        if self.stop_event.is_set():
            return
        try:
            result = compute_scenario(self._inputs, history=tuple(self._history))
        except Exception as exc:  # a bad input must not kill the worker; the last good ladder stays
            log.exception("scenario computation failed")
            self.failed.emit(f"the ladder could not be computed: {exc}")
            return
        if result is None:
            return
        now = time.monotonic()
        store = self._inputs.store
        if store is None or not (store.fills or store.sod):
            pass  # nothing stored yet (the store has not been read, or not written): a 0 would be a fiction
        else:
            self._new_day(result.pnl.history[-1][0])
            if now - self._last_history >= HISTORY_EVERY_S or not self._history:
                self._history.append(result.pnl.history[-1])
                self._last_history = now
            self._store_curve(result, now)
        self.computations += 1
        self.ladderReady.emit(result.ladder)
        self.pnlReady.emit(result.pnl)
        self.computed.emit(result)

    def _new_day(self, at: datetime) -> None:
        """A point of another trading day than the history's: the chart starts the new day empty."""
        day = trading_day(_ns(at), self._day_rule)
        if day != self._day:
            if self._day is not None:
                self._history.clear()
            self._day = day

    def _store_curve(self, result: ScenarioResult, now: float) -> None:
        """Emit the points to store: at once when the fills changed, else when the P&L moved and
        `CURVE_EVERY_S` passed since the last stored points."""
        points = curve_points(result)
        if not points:
            return
        fills = len(result.inputs.store.fills)
        totals = tuple((p.account, p.market, p.total) for p in points)
        last_fills, last_time, last_totals = self._stored
        if fills != last_fills or (totals != last_totals and now - last_time >= CURVE_EVERY_S):
            self._stored = (fills, now, totals)
            self.curvePoints.emit(points)


def _ns(at: datetime) -> int:
    """ns since the epoch of an aware datetime, exactly."""
    return (at - _EPOCH) // timedelta(microseconds=1) * 1000


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
