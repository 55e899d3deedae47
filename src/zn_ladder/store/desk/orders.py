"""Working orders in the desk's snapshot: JSON rows a window turns back into `WorkingOrder`s exactly
(prices stay ticks, integers; the side and type by their names), so what a subscribed window shows is
what the capture read from TT."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from zn_ladder.domain.records import OrderType, Side, WorkingOrder


def order_row(order: WorkingOrder) -> dict[str, Any]:
    return {"order_id": order.order_id, "account": order.account, "contract": order.contract,
            "side": int(order.side), "order_type": order.order_type.name, "price": order.price,
            "quantity": order.quantity, "order_qty": order.order_qty, "limit_price": order.limit_price,
            "status": order.status, "time_ns": order.time_ns, "market": order.market,
            "instrument_id": order.instrument_id}


def order_from_row(row: Mapping[str, Any]) -> WorkingOrder:
    return WorkingOrder(str(row["order_id"]), str(row["account"]), str(row["contract"]), Side(int(row["side"])),
                        OrderType[str(row["order_type"])], int(row["price"]), int(row["quantity"]),
                        int(row.get("order_qty") or 0),
                        None if row.get("limit_price") is None else int(row["limit_price"]),
                        str(row.get("status") or ""), int(row.get("time_ns") or 0), False,
                        str(row.get("market") or "CME"), str(row.get("instrument_id") or ""))
