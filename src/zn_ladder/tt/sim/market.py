"""The simulated market: a seeded random walk on the ZN tick grid, working books that fill, a ledger.

Everything random comes from one `random.Random(seed)` and the simulated clock advances by a fixed step,
so a given seed and `start_time_ns` produce the same orders, fills, exec ids and timestamps on every run
(the tests rely on it). Without a fixed start the clock follows the wall clock, so that the desktop's
DEMO mode shows fills as fresh as TT's would be.

Realism the client must cope with, on purpose: partial fills, an order filled in two executions that
share one timeStamp (the inclusive `minTimestamp` boundary), new orders replacing filled ones, far
orders cancelled, and now and then a trade correction or bust of an earlier fill.
"""

from __future__ import annotations

import logging
import random
import string
import threading
import time
import uuid
from collections import OrderedDict, deque
from datetime import datetime, timezone
from typing import Any

from zn_ladder.tt.sim import reference as ref
from zn_ladder.tt.sim.book import CANCELED, FILLED, WORKING, SimOrder
from zn_ladder.tt.sim.config import SimConfig
from zn_ladder.tt.sim.ledger import BUST, CORRECT, TRADE, Ledger

log = logging.getLogger(__name__)

#: 110'16 (110.5) in ZN ticks of 1/64: where the walk is anchored.
ANCHOR_TICKS = 110 * 64 + 32
_QTYS = (1, 1, 2, 2, 3, 5, 5, 5, 10, 10, 15, 20, 25, 40, 50)
#: Position (lots) at which an account's orders that would add to it shrink to one lot.
_INVENTORY_LIMIT = 150
_EXEC_ALPHABET = string.ascii_letters + string.digits
#: A stop further than this from the market is cancelled (traders pull stale orders); limits are
#: pulled a little beyond the band where new ones are placed, so the book follows the market.
_STALE_STOP_TICKS = 40


class Market:
    """Thread-safe: every public method takes the market's lock and returns fresh copies."""

    def __init__(self, config: SimConfig) -> None:
        self._cfg = config
        self._lock = threading.RLock()
        self._rng = random.Random(config.seed)
        self._wall = config.start_time_ns is None
        start = time.time_ns() if self._wall else int(config.start_time_ns)  # type: ignore[arg-type]
        self._clock = start
        self._trade_date = datetime.fromtimestamp(start / 1e9, tz=timezone.utc).strftime("%Y%m%d")
        self._price = ANCHOR_TICKS + self._rng.randint(-16, 16)
        #: Working orders in creation order; `_done` keeps the latest finished ones for `orders/{id}`.
        self._working: dict[str, SimOrder] = {}
        self._done: OrderedDict[str, SimOrder] = OrderedDict()
        #: The latest trades, the ones a correction or bust may pick.
        self._recent: deque[dict[str, Any]] = deque(maxlen=20)
        self._seq = 0
        self._steps = 0
        #: Whether an order left the book since the last replenish (skips needless work per step).
        self._book_changed = True
        self.ledger = Ledger()
        for account in config.accounts:
            sod_qty = self._rng.choice((-40, -25, -10, 0, 10, 20, 30, 50))
            self.ledger.set_sod(account, sod_qty, self._price + self._rng.randint(-24, 24),
                                ref.instrument_of(account in config.delayed_accounts))
        for account in config.next_accounts:  # roll week: part of the front already rolled
            front = self.ledger.books[account].sod_qty
            self.ledger.set_sod(account, -front // 2 or self._rng.choice((-10, 10)),
                                self._price - ref.ROLL_SPREAD_TICKS + self._rng.randint(-24, 24),
                                (ref.NEXT_INSTRUMENT_ID, ref.MARKET_ID))
        self._replenish()
        if config.history_fills:
            self._build_history(config.history_fills, start)

    def _build_history(self, count: int, end_ns: int) -> None:
        """Publish `count` fills that happened before `end_ns` (then the market goes on from there)."""
        wall, self._wall = self._wall, False
        while len(self.ledger.records) < count:
            self._step_once()
        self._wall = wall
        # Slide the history so that it ends at the start: it happened earlier today, not in the future.
        offset = end_ns - self._clock
        for record in self.ledger.records:
            record["timeStamp"] += offset
            record["transactTime"] += offset
        self.ledger.stamps = [s + offset for s in self.ledger.stamps]
        for order in (*self._working.values(), *self._done.values()):
            order.time_ns += offset
        self._clock = end_ns

    # ----------------------------------------------------------------- public, thread-safe
    def step(self, n: int = 1) -> None:
        """Advance the market n steps (one price move each, and what it fills)."""
        with self._lock:
            for _ in range(n):
                self._step_once()

    def step_until_fills(self, count: int, max_steps: int = 100_000) -> None:
        """Step until at least `count` more fill records are published (tests and benchmarks)."""
        with self._lock:
            target = len(self.ledger.records) + count
            for _ in range(max_steps):
                if len(self.ledger.records) >= target:
                    return
                self._step_once()

    @property
    def price_ticks(self) -> int:
        with self._lock:
            return self._price

    @property
    def clock_ns(self) -> int:
        with self._lock:
            return self._clock

    @property
    def trade_date(self) -> str:
        return self._trade_date

    @property
    def steps(self) -> int:
        with self._lock:
            return self._steps

    def published_records(self) -> list[dict[str, Any]]:
        """Every record of the fills list so far (trades, corrections, busts), in publication order."""
        with self._lock:
            return [dict(r) for r in self.ledger.records]

    def published_fills(self) -> list[dict[str, Any]]:
        """Ground truth: every trade (execType "F") published so far, as originally published."""
        with self._lock:
            return [dict(r) for r in self.ledger.records if r["execType"] == TRADE]

    def published_corrections(self) -> list[dict[str, Any]]:
        """Every correction ("G") and bust ("H") published so far; `execRefID` names the trade changed."""
        with self._lock:
            return [dict(r) for r in self.ledger.records if r["execType"] != TRADE]

    def net_positions(self) -> dict[int, int]:
        """Account -> net position in the simulated instrument (SOD + trades after corrections)."""
        with self._lock:
            return {a: b.net for a, b in self.ledger.books.items()}

    def next_positions(self) -> dict[int, int]:
        """Account -> net position in the next contract month (roll week's `next_accounts`)."""
        with self._lock:
            return {a: b.net for a, b in self.ledger.next_books.items()}

    def price_of(self, instrument_id: str) -> int:
        """The market price (ticks) of one instrument: the next month trades the roll spread under."""
        with self._lock:
            return self._price - self._offset(instrument_id)

    @staticmethod
    def _offset(instrument_id: str) -> int:
        return ref.ROLL_SPREAD_TICKS if instrument_id == ref.NEXT_INSTRUMENT_ID else 0

    def working_orders(self, account: int | None = None) -> list[dict[str, Any]]:
        with self._lock:
            return [o.to_json() for o in self._working.values() if account is None or o.account == account]

    def orders_page(self, after: int, limit: int, account: int | None = None
                    ) -> tuple[list[dict[str, Any]], int | None]:
        """Working orders in creation order after creation number `after`; the resume point or None."""
        with self._lock:
            rows = [o for o in self._working.values()
                    if o.seq > after and (account is None or o.account == account)]
            page = rows[:limit]
            more = len(rows) > limit
            return [o.to_json() for o in page], (page[-1].seq if more else None)

    def order(self, order_id: str) -> dict[str, Any] | None:
        with self._lock:
            found = self._working.get(order_id) or self._done.get(order_id)
            return found.to_json() if found else None

    def fills_page(self, min_ts: int, after: int, limit: int, account: int | None = None
                   ) -> tuple[list[dict[str, Any]], int | None]:
        with self._lock:
            return self.ledger.page(min_ts, after, limit, account)

    def positions(self, account: int | None = None) -> list[dict[str, Any]]:
        with self._lock:
            accounts = [account] if account is not None else list(self._cfg.accounts)
            nxt = ref.NEXT_INSTRUMENT_ID
            return [self.ledger.position(a, self._price) for a in accounts] + [
                self.ledger.position(a, self._price - self._offset(nxt), nxt) for a in accounts
                if a in self._cfg.next_accounts]

    def sods(self, account: int) -> list[dict[str, Any]]:
        with self._lock:
            nxt = ref.NEXT_INSTRUMENT_ID
            return [self.ledger.sod(account, self._trade_date)] + (
                [self.ledger.sod(account, self._trade_date, nxt)] if account in self._cfg.next_accounts else [])

    # ----------------------------------------------------------------- the walk
    def _tick(self) -> None:
        if self._wall:
            self._clock = max(self._clock + 1_000, time.time_ns())
        else:
            jitter = self._cfg.step_ns // 10
            self._clock += self._cfg.step_ns + (self._rng.randint(-jitter, jitter) if jitter else 0)

    def _step_once(self) -> None:
        self._steps += 1
        self._tick()
        old = self._price
        drift = self._price - ANCHOR_TICKS
        moves = (-2, -1, -1, 0, 0, 0, 1, 1, 2)
        delta = self._rng.choice(moves)
        if self._rng.random() < abs(drift) / 96:
            delta = -1 if drift > 0 else 1  # mean reversion keeps the demo around 110'16
        self._price = old + delta
        self._fill_reached(old, self._price)
        if self._cfg.next_accounts and self._rng.random() < self._cfg.spread_rate:
            self._roll_by_spread()
        if self.ledger.effective and self._rng.random() < self._cfg.correction_rate:
            self._amend_a_trade()
        if delta:
            self._cancel_stale()
        if self._book_changed:
            self._replenish()

    def _fill_reached(self, old: int, new: int) -> None:
        # Orders nearest the old price fill first; the order of iteration is the creation order.
        # Each order against its own instrument's price (the next month trades the roll spread under).
        lo, hi = min(old, new), max(old, new)
        reached = [(o, o.fills_when(old - off, new - off)) for o in self._working.values()
                   if lo <= o.price + (off := self._offset(o.instrument_id)) <= hi]
        reached = [(o, how) for o, how in reached if how]
        reached.sort(key=lambda pair: (abs(pair[0].price + self._offset(pair[0].instrument_id) - old), pair[0].seq))
        for order, how in reached:
            if how == "touch" and order.kind == "limit":
                if self._rng.random() < 0.5:
                    continue  # the queue ahead was not worked down to it
                qty = self._rng.randint(1, order.leaves)
            else:
                qty = order.leaves
            if qty >= 2 and self._rng.random() < 0.3:
                first = self._rng.randint(1, qty - 1)
                same_stamp = self._rng.random() < 0.5
                self._execute(order, first)
                self._execute(order, qty - first, same_stamp=same_stamp)
            else:
                self._execute(order, qty)

    def _roll_by_spread(self) -> None:
        """A next-month account rolls a few lots by a calendar spread: it sells the front and buys the
        next month (or the reverse when short), at the two outrights' prices. The execution is reported
        as one fill on each leg, with one timeStamp and the spread order's id and cumQty on both (so a
        client that takes (orderId, cumQty) for one execution loses a leg); no spread instrument fill."""
        account = self._rng.choice(self._cfg.next_accounts)
        side = -1 if self.ledger.books[account].net > 0 else 1  # roll the front position forward
        qty = self._rng.choice((1, 2, 5))
        order_id = str(uuid.UUID(int=self._rng.getrandbits(128), version=4))
        self._clock += self._rng.randint(1_000, 900_000)
        for leg_side, instrument in ((side, ref.INSTRUMENT_ID), (-side, ref.NEXT_INSTRUMENT_ID)):
            leg = SimOrder(seq=0, order_id=order_id, account=account, side=leg_side, kind="limit",
                           price=self._price - self._offset(instrument), order_qty=qty, time_ns=self._clock,
                           exec_id="", trade_date=self._trade_date, instrument_id=instrument, market_id=ref.MARKET_ID)
            self._execute(leg, qty, same_stamp=True, retire=False)

    def _execute(self, order: SimOrder, qty: int, same_stamp: bool = False, retire: bool = True) -> None:
        if not same_stamp:
            self._clock += self._rng.randint(1_000, 900_000)  # microseconds apart, like an exchange
        order.cum_qty += qty
        if order.cum_qty >= order.order_qty:
            order.status = FILLED
        if order.status == FILLED and retire:
            self._retire(order)
        self._publish({
            "execID": self._exec_id(),
            "orderId": order.order_id,
            "accountId": order.account,
            "instrumentId": order.instrument_id,
            "marketId": order.market_id,
            "side": "1" if order.side > 0 else "2",
            "lastQty": float(qty),
            "lastPx": order.price / ref.TICKS_PER_POINT,
            "timeStamp": self._clock,
            "transactTime": self._clock - self._rng.randint(20_000, 400_000),
            "ordStatus": FILLED if order.status == FILLED else WORKING,
            "userId": str(order.user_id),
            "currUserId": order.curr_user_id,
            "cumQty": float(order.cum_qty),
            "execType": TRADE,
            "orderQty": float(order.order_qty),
            "tradeDate": self._trade_date,
        })

    def _amend_a_trade(self) -> None:
        """Publish a bust or a correction of one earlier trade not amended before."""
        # A recent one: a desk corrects today's trades, usually soon after.
        candidates = [r for r in self._recent if r["execID"] not in self.ledger.amended]
        if not candidates:
            return
        original = self._rng.choice(candidates)
        ref_id = original["execID"]
        record = dict(original)
        self._clock += self._rng.randint(1_000, 900_000)
        record.update(execID=self._exec_id(), execRefID=ref_id, timeStamp=self._clock,
                      transactTime=self._clock - self._rng.randint(20_000, 400_000))
        if self._rng.random() < 0.5:
            record["execType"] = BUST
        else:
            record["execType"] = CORRECT
            qty = round(original["lastQty"])
            if qty > 1 and self._rng.random() < 0.5:
                record["lastQty"] = float(self._rng.randint(1, qty - 1))
            else:
                record["lastPx"] = original["lastPx"] + self._rng.choice((-1, 1)) / ref.TICKS_PER_POINT
        self._publish(record)

    def _publish(self, record: dict[str, Any]) -> None:
        self.ledger.publish(record)
        if record["execType"] == TRADE:
            self._recent.append(record)

    def _retire(self, order: SimOrder) -> None:
        """Move a filled or cancelled order out of the working book; keep the latest few for lookups."""
        self._working.pop(order.order_id, None)
        self._done[order.order_id] = order
        self._book_changed = True
        while len(self._done) > 2_000:
            self._done.popitem(last=False)

    # ----------------------------------------------------------------- the book
    def _cancel_stale(self) -> None:
        limit_band = 3 * self._cfg.orders_per_side + 6
        stale = [o for o in self._working.values()
                 if abs(o.price + self._offset(o.instrument_id) - self._price)
                 > (limit_band if o.kind == "limit" else _STALE_STOP_TICKS)]
        for order in stale:
            order.status = CANCELED
            self._retire(order)

    def _replenish(self) -> None:
        """Keep each account's book full: limits on both sides, and one protective stop each way."""
        self._book_changed = False
        per_side = self._cfg.orders_per_side
        books = [(a, ref.instrument_of(a in self._cfg.delayed_accounts)) for a in self._cfg.accounts]
        books += [(a, (ref.NEXT_INSTRUMENT_ID, ref.MARKET_ID)) for a in self._cfg.next_accounts]
        for account, instrument in books:
            mine = [o for o in self._working.values() if o.account == account and o.instrument_id == instrument[0]]
            price_now = self._price - self._offset(instrument[0])
            for side in (1, -1):
                limits = {o.price for o in mine if o.kind == "limit" and o.side == side}
                while len(limits) < per_side:
                    price = price_now - side * self._rng.randint(1, 3 * per_side + 2)
                    if price not in limits:
                        limits.add(price)
                        self._new_order(account, side, "limit", price, instrument)
                # A sell stop under the market, a buy stop over it (stop losses / breakout entries).
                if not any(o.kind == "stop" and o.side == side for o in mine):
                    self._new_order(account, side, "stop", price_now + side * self._rng.randint(10, 30), instrument)

    def _new_order(self, account: int, side: int, kind: str, price: int, instrument: tuple[str, int]) -> None:
        self._seq += 1
        order_id = str(uuid.UUID(int=self._rng.getrandbits(128), version=4))
        instrument_id, market_id = instrument
        self._working[order_id] = SimOrder(
            seq=self._seq, order_id=order_id, account=account, side=side, kind=kind, price=price,
            order_qty=self._sized(account, side, self._rng.choice(_QTYS), instrument_id), time_ns=self._clock,
            exec_id=self._exec_id(), trade_date=self._trade_date, instrument_id=instrument_id,
            market_id=market_id)
        trader = ref.trader_of(account, self._cfg.accounts)
        self._working[order_id].curr_user_id = trader
        self._working[order_id].user_id = ref.originator_of(self._seq, trader)

    def _sized(self, account: int, side: int, qty: int, instrument_id: str = "") -> int:
        """A trader leans against their inventory: smaller orders that would add to a big position,
        bigger ones that would reduce it. Keeps demo positions in a believable range (tens of lots)."""
        net = self.ledger.book(account, instrument_id).net
        if side * net > 0:
            return max(1, round(qty * max(0.0, 1 - abs(net) / _INVENTORY_LIMIT)))
        if side * net < 0:
            return qty + min(abs(net) // 4, 50)
        return qty

    def _exec_id(self) -> str:
        return "".join(self._rng.choices(_EXEC_ALPHABET, k=22))
