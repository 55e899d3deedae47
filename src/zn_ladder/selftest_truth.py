"""What the self-test expects the window to show, computed without any of the window's code.

The self-test must be able to fail: a check that recomputes with the code that drew the window only
proves the window agrees with itself (issue 12, point 8). So the expectations here start from the
simulator's ground truth, not from the client, the store or the scenario worker:
- the fills: every record the simulator published, busts and corrections applied to the execution
  they name (in place, so matching order is unchanged), matched per account by the domain's lot books
  (`domain.lots.LotBook`, not the store's persisted matching), SOD lots first;
- the working orders: the simulator's own book (leaves quantities);
- the spot: the simulated market's price;
- the ladder: a walk written out here, tick by tick, from DESIGN §3.4, sharing nothing with
  `domain.ladder` (whose fast breakpoint projection the window draws).
Nothing here imports Qt; it reads the simulator only through its public, thread-safe methods.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from zn_ladder.domain.instruments import Product
from zn_ladder.domain.lots import LotBook
from zn_ladder.domain.prices import Price


@dataclass(frozen=True, slots=True)
class TruthOrder:
    """A working order as the simulator holds it: signed leaves quantity at a price in ticks."""

    order_id: str
    qty: int  # signed: buy > 0
    price: int
    stop: bool

    @property
    def fills_going_down(self) -> bool:
        """A buy limit or a sell stop fills when price comes down to it; the others going up."""
        return (self.qty > 0) != self.stop


@dataclass(frozen=True, slots=True)
class TruthAccount:
    """One account's book of the instrument: what its row in the accounts table must read."""

    account: str
    position: int
    sod: int
    realized_lifo: Fraction
    realized_fifo: Fraction
    unrealized: Fraction
    unrealized_fifo: Fraction
    #: The contract of the book ("" when one contract is traded): roll week has two per account.
    contract: str = ""

    @property
    def total(self) -> Fraction:
        return self.realized_lifo + self.unrealized


@dataclass(frozen=True, slots=True)
class GroundTruth:
    product: Product
    #: Exact spot in ticks (the simulated market trades on ticks, but nothing here assumes it).
    spot: Fraction
    position: int
    sod: int
    realized_lifo: Fraction
    realized_fifo: Fraction
    unrealized: Fraction
    #: Trades in force after busts and corrections.
    fills: int
    orders: tuple[TruthOrder, ...]
    #: Their TT exec ids.
    exec_ids: frozenset[str] = frozenset()
    #: Per account with a SOD or a trade in force, by account.
    accounts: tuple[TruthAccount, ...] = ()

    @property
    def total(self) -> Fraction:
        """Realized + unrealized: B0, the same by LIFO or FIFO."""
        return self.realized_lifo + self.unrealized

    @property
    def risk(self) -> Fraction:
        return self.position * self.product.tick_value


def effective_trades(records: Iterable[Mapping[str, Any]], product: Product) -> dict[str, tuple[str, int, int]]:
    """exec id -> (account, signed qty, price ticks) of each trade in force, in publication order.

    TT's fills list carries trades ("F"), corrections ("G", the corrected qty/price) and busts ("H"),
    each naming the execution it changes in execRefID. A correction keeps the trade's place in the day.
    """
    tpp = product.ticks_per_point
    trades: dict[str, tuple[str, int, int]] = {}
    for rec in records:
        kind = rec.get("execType", "F")
        signed = round(rec["lastQty"]) * (1 if str(rec["side"]) == "1" else -1)
        entry = (str(rec["accountId"]), signed, round(Fraction(rec["lastPx"]) * tpp))
        if kind == "F":
            trades[rec["execID"]] = entry
        elif rec.get("execRefID") in trades:
            if kind == "H" or not signed:
                del trades[rec["execRefID"]]
            else:
                trades[rec["execRefID"]] = entry  # same key: keeps its place in the sequence
    return trades


def truth_orders(orders: Iterable[Mapping[str, Any]], product: Product) -> tuple[TruthOrder, ...]:
    out = []
    for o in orders:
        leaves = round(o.get("leavesQuantity") or 0)
        if leaves <= 0:
            continue
        stop = str(o.get("orderType")) in ("3", "4")
        px = o["stopPrice"] if stop and o.get("stopPrice") is not None else o["price"]
        sign = 1 if str(o["side"]) == "1" else -1
        out.append(TruthOrder(str(o["orderId"]), sign * leaves, round(Fraction(px) * product.ticks_per_point), stop))
    return tuple(out)


def ground_truth(market: Any, accounts: Iterable[int], product: Product, instrument: str = "",
                 contract: str = "") -> GroundTruth:
    """Expectations from a simulated `Market` for the window showing every account of its instrument,
    or in roll week of one `instrument` (TT's id; `contract` its name, for the accounts' rows)."""
    spot = Fraction(market.price_of(instrument) if instrument else market.price_ticks)
    mark = Price.from_ticks(spot, product)

    def ours(record: Mapping[str, Any]) -> bool:
        return not instrument or record.get("instrumentId") == instrument

    books: dict[str, dict[str, LotBook]] = {}
    sod_total = 0
    sod_of: dict[str, int] = {}
    for account in accounts:
        methods = books[str(account)] = {m: LotBook(product, m) for m in ("lifo", "fifo")}
        for sod in filter(ours, market.sods(account)):
            qty = round(sod["sodNetPos"])
            if qty:
                sod_total += qty
                sod_of[str(account)] = sod_of.get(str(account), 0) + qty
                for book in methods.values():  # an opening trade at the SOD price, before the day's fills
                    book.apply_trade(qty, round(Fraction(sod["sodPrice"]) * product.ticks_per_point))
    trades = effective_trades(filter(ours, market.published_records()), product)
    traded = {account for account, _, _ in trades.values()}
    for account, qty, price in trades.values():
        methods = books.setdefault(account, {m: LotBook(product, m) for m in ("lifo", "fifo")})
        for book in methods.values():
            book.apply_trade(qty, price)
    lifo = [m["lifo"] for m in books.values()]
    fifo = [m["fifo"] for m in books.values()]
    return GroundTruth(
        product=product, spot=spot,
        position=sum(b.position for b in lifo), sod=sod_total,
        realized_lifo=sum((b.realized for b in lifo), Fraction(0)),
        realized_fifo=sum((b.realized for b in fifo), Fraction(0)),
        unrealized=sum((b.unrealized(mark) for b in lifo), Fraction(0)),
        fills=len(trades), orders=truth_orders(filter(ours, market.working_orders()), product),
        exec_ids=frozenset(trades),
        accounts=tuple(TruthAccount(a, m["lifo"].position, sod_of.get(a, 0), m["lifo"].realized, m["fifo"].realized,
                                    m["lifo"].unrealized(mark), m["fifo"].unrealized(mark), contract)
                       for a, m in sorted(books.items()) if a in traded or a in sod_of))


def total_truth(parts: Iterable[GroundTruth]) -> GroundTruth:
    """Roll week: the cards are the contracts' books taken together (sums; the first one's spot and
    orders stand in, the cards not depending on them)."""
    parts = list(parts)
    zero = Fraction(0)
    return GroundTruth(
        product=parts[0].product, spot=parts[0].spot, position=sum(p.position for p in parts),
        sod=sum(p.sod for p in parts), realized_lifo=sum((p.realized_lifo for p in parts), zero),
        realized_fifo=sum((p.realized_fifo for p in parts), zero), unrealized=sum((p.unrealized for p in parts), zero),
        fills=sum(p.fills for p in parts), orders=parts[0].orders,
        exec_ids=frozenset().union(*(p.exec_ids for p in parts)),
        accounts=tuple(a for p in parts for a in p.accounts))


def reference_walk(truth: GroundTruth, low: int, high: int) -> dict[int, tuple[int, Fraction]]:
    """price -> (position, projected P&L in dollars) for every tick in low..high, by DESIGN §3.4.

    From spot S with position P0 and P&L B0: walking down, each level L first earns the position held
    on the way (`pnl += pos * (L - prev) * tick value`), then the buy limits and sell stops at L fill;
    walking up, the same with sell limits and buy stops. An order on the wrong side of spot never fills.
    On an on-tick spot the spot row is (P0, B0) and an order resting at S fills on the first move away
    from S in its direction.
    """
    s = truth.spot
    tv = truth.product.tick_value
    on_tick = s.denominator == 1
    at: dict[int, list[TruthOrder]] = {}
    for order in truth.orders:
        at.setdefault(order.price, []).append(order)
    out: dict[int, tuple[int, Fraction]] = {}
    if on_tick and low <= s <= high:
        out[int(s)] = (truth.position, truth.total)
    for down in (True, False):
        resting = at.get(int(s), []) if on_tick else []
        pos = truth.position + sum(o.qty for o in resting if o.fills_going_down == down)
        pnl, prev = truth.total, s
        if down:
            first = int(s) - 1 if on_tick else math.floor(s)
            levels = range(first, min(low, first + 1) - 1, -1)
        else:
            first = int(s) + 1 if on_tick else math.ceil(s)
            levels = range(first, max(high, first - 1) + 1)
        for level in levels:
            pnl += pos * (level - prev) * tv
            prev = Fraction(level)
            pos += sum(o.qty for o in at.get(level, ()) if o.fills_going_down == down)
            if low <= level <= high:
                out[level] = (pos, pnl)
    return out
