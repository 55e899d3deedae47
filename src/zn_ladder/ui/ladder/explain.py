"""Tooltip texts for ladder cells: why a level is flagged, what a number is made of.

Kept apart from the model because these are sentences for a trader, not table mechanics. Nothing here
computes a ladder number; it only reads the domain's row and the orders it was projected from.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from zn_ladder.domain.instruments import Product
from zn_ladder.domain.prices import Price, decimal_text, format_ticks
from zn_ladder.ui import price_style
from zn_ladder.ui.average_price import average_text
from zn_ladder.ui.money import dollars
from zn_ladder.domain.records import OrderType, Side, WorkingOrder


def _kind(order: WorkingOrder) -> str:
    side = "buy" if order.side is Side.BUY else "sell"
    kind = "stop" if order.order_type == OrderType.STOP else "limit"
    return f"{'what-if ' if order.what_if else ''}{side} {kind}"


def through_reason(order: WorkingOrder, product: Product, spot: Price | None) -> str:
    """Why an order cannot fill on its walk from spot (DESIGN §3.4), in a trader's words."""
    where = price_style.ticks(order.price, product)
    spot_text = price_style.price(spot, product) if spot is not None else "spot"
    buy = order.side is Side.BUY
    if order.order_type == OrderType.STOP:
        side_text = "below" if buy else "above"
        consequence = "a buy stop triggers when price rises to it" if buy else \
            "a sell stop triggers when price falls to it"
    else:
        side_text = "above" if buy else "below"
        consequence = "a buy limit would already have filled at spot" if buy else \
            "a sell limit would already have filled at spot"
    return (f"{_kind(order)} {order.quantity} @ {where} (order {order.order_id}) is {side_text} spot "
            f"{spot_text}: {consequence}. It is shown but not applied to the projection; check the order "
            f"or the spot.")


def at_spot_reason(order: WorkingOrder, product: Product, spot: Price | None) -> str:
    """Where an order resting exactly at an on-tick spot counts (DESIGN §3.4), in a trader's words."""
    where = price_style.ticks(order.price, product)
    spot_text = price_style.price(spot, product) if spot is not None else "spot"
    down = (order.side is Side.BUY) == (order.order_type != OrderType.STOP)
    way, rows = ("down", "below") if down else ("up", "above")
    return (f"{_kind(order)} {order.quantity} @ {where} (order {order.order_id}) rests at spot {spot_text}: "
            f"not filled yet, so the spot row shows the current position. It fills on the first move {way} "
            f"and counts on every row {rows} spot.")


def _sides(ids: tuple[str, ...], row: Any, orders: Mapping[str, WorkingOrder]) -> tuple[bool, bool]:
    buy = sell = False
    for order_id in ids:
        order = orders.get(order_id)
        if order is None:  # unknown order: flag whichever side has quantity
            buy, sell = buy or bool(row.buy_qty), sell or bool(row.sell_qty)
        elif order.side is Side.BUY:
            buy = True
        else:
            sell = True
    return buy, sell


def through_sides(row: Any, orders: Mapping[str, WorkingOrder]) -> tuple[bool, bool]:
    """(buy side flagged, sell side flagged) for a row's through-spot orders."""
    if not row.through_spot:
        return False, False
    return _sides(row.through_spot, row, orders)


def at_spot_sides(row: Any, orders: Mapping[str, WorkingOrder]) -> tuple[str, str]:
    """For a row's orders resting exactly at an on-tick spot, per side (buy, sell): which way they fill
    on leaving spot: "down", "up", "both", or "" for none (an unknown order counts as "both")."""
    ids = getattr(row, "at_spot", ())
    if not ids:
        return "", ""
    ways: dict[bool, set[str]] = {True: set(), False: set()}
    for order_id in ids:
        order = orders.get(order_id)
        if order is None:
            for buy, qty in ((True, row.buy_qty), (False, row.sell_qty)):
                if qty:
                    ways[buy].update(("down", "up"))
            continue
        buy = order.side is Side.BUY
        ways[buy].add("down" if buy == (order.order_type != OrderType.STOP) else "up")

    def word(found: set[str]) -> str:
        return "both" if len(found) == 2 else next(iter(found), "")

    return word(ways[True]), word(ways[False])


def level_tooltip(row: Any, buy: bool, orders: Mapping[str, WorkingOrder], product: Product,
                  spot: Price | None) -> str:
    qty = row.buy_qty if buy else row.sell_qty
    if not qty:
        return ""
    what_if = row.what_if_buy if buy else row.what_if_sell
    side = Side.BUY if buy else Side.SELL
    lines = [f"Working {'buy' if buy else 'sell'} {qty} at {price_style.ticks(row.price, product)}"]
    if what_if:
        lines.append(f"  of which {what_if} what-if (hypothetical, never sent to TT)")
    at_level = [o for o in orders.values() if o.price == row.price and o.side is side]
    for order in at_level[:8]:
        lines.append(f"  {_kind(order)} {order.quantity}  {order.account}  {order.order_id}")
    for order_id in row.through_spot:
        order = orders.get(order_id)
        if order is not None and order.side is side:
            lines.append("THROUGH SPOT: " + through_reason(order, product, spot))
        elif order is None:
            lines.append(f"THROUGH SPOT: order {order_id} cannot fill on its walk from spot; not applied.")
    for order_id in getattr(row, "at_spot", ()):
        order = orders.get(order_id)
        if order is not None and order.side is side:
            lines.append("AT SPOT: " + at_spot_reason(order, product, spot))
        elif order is None:
            lines.append(f"AT SPOT: order {order_id} rests at spot; it fills on the first move away from spot.")
    return "\n".join(lines)


def price_tooltip(price: int, product: Product, spot: Price | None, avg: Price | None) -> str:
    shown = price_style.ticks(price, product)
    others = dict.fromkeys(format_ticks(price, product, s) for s in ("tt", "cme", "decimal"))
    lines = [f"{shown}  ({', '.join(t for t in others if t != shown)})"]
    if spot is not None and spot.tick_floor(product) == price:
        exact = "" if spot.on_tick(product) else " (between ticks; the line shows where)"
        lines.append(f"Spot {price_style.price(spot, product)}{exact}")
    if avg is not None and avg.tick_floor(product) == price:
        lines.append(f"Average open price {average_text(avg, product)}")
    return "\n".join(lines)


def pnl_tooltip(row: Any, product: Product, price_text: str) -> str:
    pnl = Fraction(row.projected_pnl)
    ticks = pnl / product.tick_value
    return (f"Projected P&L at {price_text}: {dollars(pnl)} = {float(ticks):,.2f} ticks "
            f"(1 tick = ${decimal_text(product.tick_value)} per contract)")
