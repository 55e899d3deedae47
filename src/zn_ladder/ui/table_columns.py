"""The columns of the record tables, declared as data: the working-order grid and today's fills.

Like vn.py's monitors, a table is a list of `Column`s — title, how to read the value from a record, how
to print it — so a new column is one line here and the model (`record_model.py`) never changes for it.
The value is what sorting and filtering use (ticks, ns); the text is only what is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from operator import attrgetter
from typing import Any

from PySide6.QtCore import Qt

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.instruments import Product, product_of_contract
from zn_ladder.ui import price_style
from zn_ladder.ui.average_price import average_text
from zn_ladder.ui.money import dollars
from zn_ladder.domain.records import Fill, OrderType, Side, WorkingOrder

_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_CENTER = int(Qt.AlignmentFlag.AlignCenter)


@dataclass(frozen=True, slots=True)
class Column:
    title: str
    value: Callable[[Any], Any]
    text: Callable[[Any, Any], str] = lambda value, record: "" if value is None else str(value)
    align: int = _LEFT
    width: int = 80
    #: "side" colours the cell blue/red by the record's side; "sign" green/red by the value's sign.
    color: str = ""
    #: What the value is, for the filter's comparisons (`price:>110'200`): text, price, number or time.
    kind: str = "text"
    #: The header's tooltip: what the column means, when its title does not say it all.
    tip: str = ""


_products: dict[str, Product | None] = {}


def _product(contract: str) -> Product | None:
    if contract not in _products:
        try:
            _products[contract] = product_of_contract(contract)
        except InputError:
            _products[contract] = None
    return _products[contract]


def product_of_record(record: Any) -> Product | None:
    """The product of a record's contract (None for a contract the app does not know)."""
    return _product(record.contract)


def price_text(ticks: int | None, record: Any) -> str:
    if ticks is None:
        return ""
    product = _product(record.contract)
    return price_style.ticks(ticks, product) if product is not None else str(ticks)


def time_text(ns: int, record: Any) -> str:
    if not ns:
        return ""
    return datetime.fromtimestamp(ns / 1e9).strftime("%H:%M:%S")


def side_text(side: Side, record: Any) -> str:
    return "BUY" if side is Side.BUY else "SELL"


def type_text(order: WorkingOrder) -> str:
    if order.order_type == OrderType.STOP:
        return "Stop limit" if order.limit_price is not None else "Stop"
    return "Limit"


ORDER_COLUMNS: tuple[Column, ...] = (
    Column("Time", lambda o: o.time_ns, time_text, _CENTER, 70, kind="time"),
    Column("Account", lambda o: o.account, width=80),
    Column("Contract", lambda o: o.contract, width=80),
    Column("Side", lambda o: o.side, side_text, _CENTER, 52, color="side"),
    Column("Type", type_text, width=70),
    Column("Price", lambda o: o.price, price_text, _RIGHT, 80, kind="price"),
    Column("Qty", lambda o: o.order_qty or o.quantity, align=_RIGHT, width=56, kind="number"),
    Column("Leaves", lambda o: o.quantity, align=_RIGHT, width=66, kind="number"),
    Column("Status", lambda o: o.status, width=96),
    Column("Order ID", lambda o: o.order_id, width=120),
)

FILL_COLUMNS: tuple[Column, ...] = (
    Column("Time", lambda f: f.time_ns, time_text, _CENTER, 70, kind="time"),
    Column("Account", lambda f: f.account, width=80),
    Column("Contract", lambda f: f.contract, width=80),
    Column("Side", lambda f: f.side, side_text, _CENTER, 52, color="side"),
    Column("Qty", lambda f: f.qty, align=_RIGHT, width=56, kind="number"),
    Column("Price", lambda f: f.price, price_text, _RIGHT, 80, kind="price"),
    Column("Order ID", lambda f: f.order_id, width=110),
    Column("Exec ID", lambda f: f.exec_id or f.key, width=110),
    Column("Source", lambda f: f.source, width=70),
    Column("Trader", lambda f: f.user, width=80,
           tip="CurrentUser: the TT user who owns the order (its name from TT's user lookup). "
               "Filter one trader's fills with trader:NAME."),
)


def signed_text(qty: int, record: Any) -> str:
    return f"{qty:+d}" if qty else "0"


def money_text(value: Any, record: Any) -> str:
    return "" if value is None else dollars(value)


def average_cell(value: Any, record: Any) -> str:
    """The average open price as the AVG OPEN card prints it; "—" when flat (or not one price)."""
    product = _product(record.contract)
    avg = record.average_open_price
    if avg is None or product is None:
        return "—"
    return average_text(avg, product)


_LIFO = "LIFO: a closing fill is matched to the newest open lot (the desk's method)."
_FIFO = "FIFO: a closing fill is matched to the oldest open lot (the clearing house's method)."
#: Position and P&L per account (one row per account's book of the contract, and a total row equal to
#: the summary cards). Money is at the current spot; realized + unrealized = total under either method.
ACCOUNT_COLUMNS: tuple[Column, ...] = (
    Column("Account", lambda a: a.account, width=86),
    Column("Contract", lambda a: a.contract, width=80),
    Column("Position", lambda a: a.position, signed_text, _RIGHT, 70, color="sign", kind="number",
           tip="Net position now: start of day plus today's fills."),
    Column("SOD", lambda a: a.sod_position, signed_text, _RIGHT, 52, color="sign", kind="number",
           tip="Start-of-day position (Actant SOD)."),
    Column("Avg open", lambda a: a.average_open_price.value if a.average_open_price is not None else None,
           average_cell, _RIGHT, 156, kind="number",
           tip="The average price of the open lots (LIFO): where this account's position breaks even."),
    Column("Realized LIFO", lambda a: a.realized_lifo, money_text, _RIGHT, 96, color="sign", kind="number", tip=_LIFO),
    Column("Unrealized LIFO", lambda a: a.unrealized, money_text, _RIGHT, 96, color="sign", kind="number",
           tip="The open lots left by LIFO matching, marked at spot.\n" + _LIFO),
    Column("Realized FIFO", lambda a: a.realized_fifo, money_text, _RIGHT, 96, color="sign", kind="number", tip=_FIFO),
    Column("Unrealized FIFO", lambda a: a.unrealized_fifo, money_text, _RIGHT, 96, color="sign", kind="number",
           tip="The open lots left by FIFO matching, marked at spot.\n" + _FIFO),
    Column("Total P&L", lambda a: a.total, money_text, _RIGHT, 96, color="sign", kind="number",
           tip="Realized + unrealized at spot: the same under LIFO and FIFO."),
    Column("Market", lambda a: a.market, width=64),
)


#: Row identities: attrgetters, so keying a snapshot of thousands of records runs at C speed.
order_key: Callable[[WorkingOrder], str] = attrgetter("order_id")
fill_key: Callable[[Fill], str] = attrgetter("key")


def account_key(row: Any) -> str:
    """One row per account's book: account, market and contract (the total row has its own key)."""
    return "\x00total" if getattr(row, "is_total", False) else f"{row.account}\x00{row.market}\x00{row.contract}"
