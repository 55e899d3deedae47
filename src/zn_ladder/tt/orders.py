"""TT ledger orders -> the domain's `WorkingOrder` (prices in ticks of the instrument's product).

A stop (orderType "3" stop, "4" stop limit) sits on the ladder at its stop price, where it triggers;
its limit price is kept beside it when it differs. TT answers sometimes hold an order with no price
or quantity (a parent of child orders): it is skipped with a warning that names its orderId.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.instruments import Product
from zn_ladder.domain.values import price_ticks
from zn_ladder.domain.records import OrderType, Side, WorkingOrder
from zn_ladder.tt.fields import FieldError, first, optional_lots, required_text, text, timestamp
from zn_ladder.tt.records import Instrument, parse_many

STOP_TYPES = frozenset({"3", "4"})


def parse_order(raw: Mapping[str, Any], instrument_of: Callable[[str], Instrument]) -> WorkingOrder | None:
    """One working order, or None for an order with nothing left to work (leaves 0)."""
    order_id = required_text(raw, "orderId")
    instrument = instrument_of(required_text(raw, "instrumentId"))
    product = instrument.product
    order_type_code = text(raw, "orderType")
    is_stop = order_type_code in STOP_TYPES
    limit = first(raw, "price")
    stop = first(raw, "stopPrice", "triggerPrice") if is_stop else None
    trigger = stop if stop is not None else limit
    if trigger is None:
        raise FieldError("no price")
    order_qty = optional_lots(raw, "orderQty", allow_zero=True)
    leaves = optional_lots(raw, "leavesQuantity", "leavesQty", allow_zero=True)
    if leaves is None:
        if order_qty is None:
            raise FieldError("no quantity")
        leaves = order_qty - (optional_lots(raw, "cumulatedQuantity", "cumQty", allow_zero=True) or 0)
    if leaves <= 0:
        return None
    price = _ticks(trigger, product, "stopPrice" if stop is not None else "price")
    limit_ticks = _ticks(limit, product, "price") if (is_stop and limit is not None) else None
    try:
        side = Side.parse(required_text(raw, "side"))
    except ValueError as exc:
        raise FieldError(str(exc)) from None
    time_value = first(raw, "dateTime", "timeStamp")
    return WorkingOrder(
        order_id=order_id, account=required_text(raw, "accountId"), contract=instrument.contract, side=side,
        order_type=OrderType.STOP if is_stop else OrderType.LIMIT, price=price, quantity=leaves,
        order_qty=order_qty if order_qty is not None else leaves,
        limit_price=limit_ticks if limit_ticks != price else None, status=text(raw, "orderStatus"),
        time_ns=timestamp(time_value, "dateTime") if time_value is not None else 0,
        market=instrument.market, instrument_id=instrument.instrument_id)


def _ticks(value: Any, product: Product, what: str) -> int:
    """A price in ticks: on the product's tick and inside its limits (`values.price_ticks`)."""
    try:
        return price_ticks(value, product, what)
    except InputError as exc:
        raise FieldError(str(exc)) from None


def parse_orders(items: Iterable[Any], instrument_of: Callable[[str], Instrument]
                 ) -> tuple[list[WorkingOrder], list[str]]:
    """Working orders and the warnings for the ones skipped (each names its orderId)."""
    parsed, warnings = parse_many(items, lambda raw: parse_order(raw, instrument_of), "order", "orderId")
    return [o for o in parsed if o is not None], warnings
