"""Immutable records that cross every boundary: working orders, fills, corrections, SOD lots.

Prices are integer ticks of the record's product (`product_of_contract(contract)`); quantities are
whole contracts, positive, with the direction in `side`. These are what importers and the TT client
produce, what the store persists and what the ladder and lot matching consume; they are frozen so a
snapshot handed to another thread cannot change under it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, IntEnum


class Side(IntEnum):
    """Buy or sell; the value is the sign a quantity takes in a position."""

    BUY = 1
    SELL = -1

    @classmethod
    def parse(cls, text: str | int) -> Side:
        """TT's "1"/"2", B/S, BUY/SELL, L/S (Actant long/short)."""
        key = str(text).strip().upper()
        if key in ("1", "B", "BUY", "L", "LONG"):
            return cls.BUY
        if key in ("2", "S", "SELL", "SHORT"):
            return cls.SELL
        raise ValueError(f"side {text!r} is not buy or sell (expected 1/2, B/S, BUY/SELL, L/S)")

    @property
    def letter(self) -> str:
        return "B" if self is Side.BUY else "S"


class OrderType(str, Enum):
    """What decides where an order fills on the ladder: a limit fills at its price when price trades
    there from the right side; a stop triggers at its stop price when price moves through it."""

    LIMIT = "limit"
    STOP = "stop"


@dataclass(frozen=True, slots=True)
class WorkingOrder:
    order_id: str
    account: str
    contract: str
    side: Side
    order_type: OrderType
    #: Ticks: the limit price, or for a stop the trigger (stop) price, which is where it fills on the ladder.
    price: int
    #: Remaining (leaves) quantity, > 0.
    quantity: int
    order_qty: int = 0
    #: Limit price of a stop-limit, when it differs from the trigger.
    limit_price: int | None = None
    status: str = ""
    time_ns: int = 0
    #: A hypothetical order the trader added on the ladder; never sent anywhere.
    what_if: bool = False
    #: The market (exchange) the order works on, canonical (`instruments.canonical_market`).
    market: str = "CME"
    #: TT's instrument id, when the source names it.
    instrument_id: str = ""

    @property
    def signed_qty(self) -> int:
        return int(self.side) * self.quantity


class FillSource(str, Enum):
    TT_API = "tt_api"
    AUDIT_TRAIL = "audit_trail"
    FILL_MONITOR = "fill_monitor"
    FILLS_WIDGET = "fills_widget"
    ORDERS_JSON = "tt_json"


@dataclass(frozen=True, slots=True)
class Fill:
    """One execution. `key` is its identity: TT's exec id, or a composite that is unique per execution
    when the source has none (see the importers and the store for how each source builds it)."""

    key: str
    account: str
    contract: str
    side: Side
    qty: int
    price: int
    time_ns: int
    order_id: str = ""
    exec_id: str = ""
    source: str = ""
    user: str = ""
    #: The order's cumulative filled quantity after this execution (Audit Trail ExeQty), 0 if unknown.
    #: (order_id, cum_qty) names one execution in every source, so an API fill and the same fill from
    #: an export can be recognised as one.
    cum_qty: int = 0
    #: The market (exchange) of the execution, canonical (`instruments.canonical_market`): fills of one
    #: contract on two markets (CME and CME_Delayed) are two instruments and never share a book.
    market: str = "CME"
    #: TT's instrument id, when the source names it (API, fill monitor).
    instrument_id: str = ""
    #: TT's market id of the execution (fills' `marketId`), when the source names it.
    market_id: str = ""
    #: The order's status code as TT sent it with the fill (`ordStatus`: "1" working, "2" filled...).
    order_status: str = ""
    #: Who submitted the order (TT `userId`; a file's Originator). `user` is who owns it now (TT
    #: `currUserId`; a file's CurrentUser): the trader the desk filters on. Ids or names, as sent:
    #: TT sends ids, which the store's reference data resolves to names (`store.refdata.user_names`).
    originator: str = ""

    @property
    def signed_qty(self) -> int:
        return int(self.side) * self.qty


class CorrectionKind(str, Enum):
    BUST = "bust"  # FIX ExecType Trade Cancel: the referenced execution never happened
    CORRECT = "correct"  # FIX ExecType Trade Correct: the referenced execution's qty/price change


@dataclass(frozen=True, slots=True)
class FillCorrection:
    """A bust or correction of an earlier execution, identified by that execution's key."""

    key: str
    ref_key: str
    kind: CorrectionKind
    time_ns: int
    qty: int | None = None
    price: int | None = None


@dataclass(frozen=True, slots=True)
class SodLot:
    """A start-of-day position: signed quantity at a price (ticks), per account and contract."""

    account: str
    contract: str
    qty: int
    price: int
    date: str = ""
    #: Actant's positions are cleared on the desk's market; TT's SOD names its own.
    market: str = "CME"
