"""Working orders of the simulated market, and how they print as TT's ledger does.

`SimOrder` is mutable on purpose: it lives inside `Market`, changes only under the market's lock, and
leaves it as a fresh JSON dict (`to_json`), never as the object itself. Prices are integer ZN ticks;
floats appear only in `to_json`, the edge where TT's JSON has them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zn_ladder.tt.sim import reference as ref

#: TT's orderStatus codes used here (see reference.ORDER_DATA).
WORKING = "1"
FILLED = "2"
CANCELED = "4"


@dataclass
class SimOrder:
    seq: int
    order_id: str
    account: int
    #: +1 buy, -1 sell.
    side: int
    #: "limit" or "stop" (TT orderType "2" and "4": a stop limit whose limit equals its stop).
    kind: str
    price: int
    order_qty: int
    time_ns: int
    exec_id: str
    trade_date: str
    cum_qty: int = 0
    status: str = WORKING
    instrument_id: str = ref.INSTRUMENT_ID
    market_id: int = ref.MARKET_ID
    #: TT's userId (who entered the order) and currUserId (who owns it now).
    user_id: int = ref.USER_ID
    curr_user_id: int = ref.USER_ID

    @property
    def leaves(self) -> int:
        return self.order_qty - self.cum_qty if self.status == WORKING else 0

    @property
    def working(self) -> bool:
        return self.status == WORKING and self.cum_qty < self.order_qty

    def to_json(self) -> dict[str, Any]:
        """The order as `GET /ttledger/<env>/orders` shows it (the shape of the desk's real answer)."""
        px = self.price / ref.TICKS_PER_POINT
        body: dict[str, Any] = {
            "accountId": self.account,
            "algoType": 0,
            "brokerId": ref.BROKER_ID,
            "cumulatedQuantity": float(self.cum_qty),
            "currUserId": self.curr_user_id,
            "dateTime": self.time_ns,
            "execId": self.exec_id,
            "executionType": "1" if self.cum_qty == 0 else "F",
            "instrumentId": self.instrument_id,
            "leavesQuantity": float(self.leaves),
            "manualOrderIndicator": False,
            "marketId": self.market_id,
            "orderId": self.order_id,
            "orderQty": float(self.order_qty),
            "orderStatus": self.status,
            "orderType": "2" if self.kind == "limit" else "4",
            "price": px,
            "side": "1" if self.side > 0 else "2",
            "timeInForce": "1",
            "tradeDate": self.trade_date,
            "uniqueExecId": self.exec_id,
            "userId": str(self.user_id),
        }
        if self.kind == "stop":
            body["stopPrice"] = px
        return body

    def fills_when(self, old: int, new: int) -> str:
        """How a move of the market from `old` to `new` ticks touches this order.

        "through" when price traded past it (fills in full), "touch" when the move ends exactly at it (a
        limit may fill partly: the queue ahead of it was only partly worked), "" when it is not reached.
        A stop triggers on touch and fills in full, as the ladder assumes.
        """
        if not self.working:
            return ""
        buy = self.side > 0
        if self.kind == "limit":
            # Buys rest below the market and fill on the way down; sells above, on the way up.
            reached = (new <= self.price) if buy else (new >= self.price)
            if not reached or (old == new and old != self.price):
                return ""
            return "touch" if new == self.price else "through"
        # Buy stops sit above the market and trigger on the way up; sell stops below, on the way down.
        triggered = (new >= self.price) if buy else (new <= self.price)
        return "through" if triggered else ""
