"""The columns of the record tables, declared as data: the working-order grid, today's fills, closed days.

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


#: The realized P&L journal (issue 15 §1): one row per lot match, naming the fill that opened the lot
#: and the one that closed it, under LIFO and FIFO; realized is the match's, cumulative the book's after it.
JOURNAL_COLUMNS: tuple[Column, ...] = (
    Column("Time", lambda e: e.time_ns, time_text, _CENTER, 70, kind="time", tip="When the closing fill traded."),
    Column("Account", lambda e: e.account, width=80),
    Column("Contract", lambda e: e.contract, width=80),
    Column("Method", lambda e: e.method.upper(), width=56, tip=_LIFO + "\n" + _FIFO),
    Column("Opened by", lambda e: e.open_key, width=110, tip="The fill that opened the lot (SOD: the start-of-day position)."),
    Column("Open qty", lambda e: e.open_qty, signed_text, _RIGHT, 64, kind="number", tip="The opening fill's whole quantity."),
    Column("Open price", lambda e: e.open_price, price_text, _RIGHT, 80, kind="price"),
    Column("Closed by", lambda e: e.close_key, width=110, tip="The fill that closed (part of) the lot."),
    Column("Close qty", lambda e: e.close_qty, signed_text, _RIGHT, 64, kind="number"),
    Column("Close price", lambda e: e.close_price, price_text, _RIGHT, 80, kind="price"),
    Column("Matched", lambda e: e.matched_qty, align=_RIGHT, width=60, kind="number", tip="Contracts matched here."),
    Column("Realized", lambda e: e.realized, money_text, _RIGHT, 96, color="sign", kind="number"),
    Column("Cumulative", lambda e: e.cumulative_realized, money_text, _RIGHT, 100, color="sign", kind="number",
           tip="The book's (account, contract, method) realized P&L after this match."),
    Column("Market", lambda e: e.market, width=64),
)


def journal_key(e: Any) -> str:
    """One row per match: the book, both fills, and where the book stood after it."""
    return (f"{e.method}\x00{e.account}\x00{e.market}\x00{e.contract}\x00{e.close_key}\x00{e.open_key}"
            f"\x00{e.open_price}\x00{e.matched_qty}\x00{e.cumulative_ticks}")


#: Row identities: attrgetters, so keying a snapshot of thousands of records runs at C speed.
order_key: Callable[[WorkingOrder], str] = attrgetter("order_id")
fill_key: Callable[[Fill], str] = attrgetter("key")


def account_key(row: Any) -> str:
    """One row per account's book: account, market and contract (the total row has its own key)."""
    return "\x00total" if getattr(row, "is_total", False) else f"{row.account}\x00{row.market}\x00{row.contract}"


def mark_text(value: Any, record: Any) -> str:
    """A closed day's mark in the window's price format (it may lie between ticks)."""
    product = _product(record.contract)
    if product is None:
        return str(value)
    return price_style.price(value, product)


#: Closed trading days (`store.days.ClosedDay`): one row per account's book and day, newest first.
DAY_COLUMNS: tuple[Column, ...] = (
    Column("Day", lambda d: d.day.isoformat(), width=86,
           tip="The trading day: from the previous weekday's close to this day's (Settings › Trading day)."),
    Column("Account", lambda d: d.account, width=80),
    Column("Contract", lambda d: d.contract, width=80),
    Column("Realized LIFO", lambda d: d.realized("lifo"), money_text, _RIGHT, 96, color="sign", kind="number",
           tip="The P&L the day's fills closed, matched LIFO.\n" + _LIFO),
    Column("Realized FIFO", lambda d: d.realized("fifo"), money_text, _RIGHT, 96, color="sign", kind="number",
           tip="The P&L the day's fills closed, matched FIFO.\n" + _FIFO),
    Column("Close pos", lambda d: d.position, signed_text, _RIGHT, 64, color="sign", kind="number",
           tip="The position at the day's close."),
    Column("Mark", lambda d: d.mark, mark_text, _RIGHT, 80, kind="number",
           tip="The price the close was valued at: the window's last spot of the day, else the day's last fill."),
    Column("Unrealized LIFO", lambda d: d.unrealized_lifo, money_text, _RIGHT, 96, color="sign", kind="number",
           tip="The lots open at the close (LIFO), at the mark."),
    Column("Fills", lambda d: d.fills, align=_RIGHT, width=48, kind="number"),
    Column("Volume", lambda d: d.volume, align=_RIGHT, width=56, kind="number", tip="Lots traded in the day."),
    Column("Market", lambda d: d.market, width=64),
)


def day_key(row: Any) -> str:
    return f"{row.day.isoformat()}\x00{row.account}\x00{row.market}\x00{row.contract}"
