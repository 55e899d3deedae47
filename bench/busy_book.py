"""A synthetic busy ZN book around 110'16 for the screenshot and paint benchmarks.

~30 working orders: buy limits below spot, sell limits above, protective stops on both sides, a what-if
order and one buy limit above spot (through the spot) so every ladder decoration is exercised.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from fractions import Fraction

from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.ladder import project_ladder
from zn_ladder.domain.prices import parse_price, parse_ticks
from zn_ladder.domain.records import Fill, OrderType, Side, WorkingOrder
from zn_ladder.workers.snapshots import (AccountPnl, FillsSnapshot, LadderSnapshot, OrdersSnapshot, PnlSnapshot,
                                         SourceHealth, StatusSnapshot)

PRODUCT = get_product("ZN")
CONTRACT = "ZN Sep25"
SPOT = parse_price("110-16.25", PRODUCT, spot=True)
ACCOUNTS = ("DESK01", "DESK02", "SWAPS3")


def orders(seed: int = 7) -> list[WorkingOrder]:
    rng = random.Random(seed)
    spot = SPOT.tick_floor(PRODUCT)
    t0 = int(datetime(2025, 5, 15, 13, 30, tzinfo=timezone.utc).timestamp() * 1e9)
    out: list[WorkingOrder] = []

    def add(side: Side, kind: OrderType, price: int, qty: int, **kw) -> None:
        n = len(out)
        out.append(WorkingOrder(order_id=f"ord-{n:03d}", account=ACCOUNTS[n % 3], contract=CONTRACT, side=side,
                                order_type=kind, price=price, quantity=qty, order_qty=qty + (n % 4) * 5,
                                status="Working" if n % 5 else "Partially filled",
                                time_ns=t0 + n * 61_000_000_000, **kw))

    for i in range(12):
        add(Side.BUY, OrderType.LIMIT, spot - 1 - i * 2 - rng.randrange(2), rng.choice((5, 10, 20, 25, 40, 80)))
        add(Side.SELL, OrderType.LIMIT, spot + 1 + i * 2 + rng.randrange(2), rng.choice((5, 10, 20, 25, 40, 80)))
    add(Side.SELL, OrderType.STOP, spot - 30, 50)
    add(Side.SELL, OrderType.STOP, spot - 36, 25)
    add(Side.BUY, OrderType.STOP, spot + 32, 40)
    add(Side.BUY, OrderType.STOP, spot + 38, 15)
    add(Side.BUY, OrderType.LIMIT, spot + 4, 10)  # above spot: through the spot
    add(Side.SELL, OrderType.LIMIT, spot + 6, 3, what_if=True)
    return out


def fills(n: int = 40) -> list[Fill]:
    rng = random.Random(3)
    t0 = int(datetime(2025, 5, 15, 12, 0, tzinfo=timezone.utc).timestamp() * 1e9)
    spot = SPOT.tick_floor(PRODUCT)
    out = []
    for i in range(n):
        side = Side.BUY if rng.random() < 0.55 else Side.SELL
        out.append(Fill(key=f"x{i:04d}", account=ACCOUNTS[i % 3], contract=CONTRACT, side=side,
                        qty=rng.choice((1, 2, 5, 10)), price=spot + rng.randrange(-12, 12),
                        time_ns=t0 + i * 97_000_000_000, order_id=f"ord-{i % 17:03d}", exec_id=f"E{i:06d}",
                        source="tt_api"))
    return list(reversed(out))


def ladder_snapshot(book: list[WorkingOrder] | None = None, *, spot=SPOT, rows: int = 60,
                    centre: int | None = None) -> LadderSnapshot:
    book = orders() if book is None else book
    mid = spot.tick_floor(PRODUCT) if centre is None else centre
    ladder = project_ladder(PRODUCT, spot, 35, Fraction(12_843_75, 100), book, high=mid + rows, low=mid - rows)
    return LadderSnapshot(ladder=ladder, product=PRODUCT, contract=CONTRACT,
                          average_open_price=parse_price("110-13.5", PRODUCT, spot=True), orders=tuple(book),
                          received_at=datetime.now(timezone.utc))


def orders_snapshot() -> OrdersSnapshot:
    return OrdersSnapshot(tuple(o for o in orders() if not o.what_if), datetime.now(timezone.utc))


def fills_snapshot() -> FillsSnapshot:
    return FillsSnapshot(tuple(fills()), datetime.now(timezone.utc))


def pnl_snapshot() -> PnlSnapshot:
    now = datetime.now(timezone.utc).replace(microsecond=0)
    rng = random.Random(5)
    value, history = 0.0, []
    for i in range(240):
        value += rng.gauss(25, 420)
        history.append((now - timedelta(minutes=240 - i), Fraction(round(value * 8), 8)))
    avg = parse_price("110-13.5", PRODUCT, spot=True)
    # Three accounts, all long (one netted AVG OPEN): DESK01 and DESK02 as given, SWAPS3 the rest of the
    # totals, so the accounts table's rows add up to the cards.
    f = Fraction
    desk01 = AccountPnl("DESK01", CONTRACT, 20, -10, f(5000), f(4500), f(2500), f(3000), f(7500), avg)
    desk02 = AccountPnl("DESK02", CONTRACT, 10, 0, f(2000), f(2200), f(1250), f(1050), f(3250),
                        parse_price("110-12", PRODUCT, spot=True))
    realized_lifo, realized_fifo, unrealized = f(8_421_875, 1000), f(7_953_125, 1000), f(4_421_875, 1000)
    total = realized_lifo + unrealized
    rest = [t - desk01_v - desk02_v for t, desk01_v, desk02_v in (
        (realized_lifo, desk01.realized_lifo, desk02.realized_lifo), (realized_fifo, desk01.realized_fifo,
                                                                        desk02.realized_fifo),
        (unrealized, desk01.unrealized, desk02.unrealized), (total, desk01.total, desk02.total))]
    swaps3 = AccountPnl("SWAPS3", CONTRACT, 5, -10, rest[0], rest[1], rest[2], rest[3] - rest[1], rest[3],
                        parse_price("110-16", PRODUCT, spot=True))
    return PnlSnapshot(position=35, sod_position=-20, realized_lifo=realized_lifo, realized_fifo=realized_fifo,
                       unrealized=unrealized, total=total, average_open_price=avg,
                       risk=35 * PRODUCT.tick_value, product=PRODUCT, spot=SPOT, history=tuple(history),
                       by_account=(desk01, desk02, swaps3))


def status_snapshot(*, env: str = "SIM", demo: bool = True, failing: str = "") -> StatusSnapshot:
    now = datetime.now(timezone.utc)
    health = []
    for name in ("orders", "fills", "positions", "spot"):
        if name == failing:
            health.append(SourceHealth(name, "failing", now - timedelta(minutes=4), now - timedelta(minutes=3, seconds=12),
                                       "TT answered 503 Service Unavailable on GET /ledger/fills (3 retries)"))
        else:
            health.append(SourceHealth(name, "ok", now - timedelta(seconds=2), now - timedelta(hours=1)))
    return StatusSnapshot(env=env, demo=demo, connection="connected" if not failing else "degraded",
                          health=tuple(health), budget_used=23, budget_limit=60, spot_source="Pricing Monkey",
                          spot_at=now - timedelta(seconds=4), at=now)


def spot_tick() -> int:
    return parse_ticks("110'160", PRODUCT)
