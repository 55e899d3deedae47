"""The one bounded, validated conversion from text and JSON to the domain's values.

Why: every number a file or TT hands us ends up in SQLite (64-bit integers), in lot matching and on
the ladder. Unbounded, one hostile cell (`lastQty` 1e20, a price of 4,400 digits, a timestamp of -1)
crashed the store on every start, or stored a fill of 10^20 lots, a price of 0 or a fill dated 1970.
So a value is accepted only when it is what a Treasury desk can actually have:

- a price on the product's tick and strictly inside `Product.min_price .. max_price`;
- a quantity that is a plain positive whole number of lots (``5``, ``5.0``), at most `MAX_LOTS`:
  ``1_000``, ``1e2``, ``0x10`` or ``5.5`` are not lots, whatever Python's `int`/`float` would make of them;
- a timestamp (ns since the epoch) inside the trading era `ERA_START_NS .. ERA_END_NS`.

Anything else raises `InputError` naming the field and the value (shortened), which the importers and
the TT record parsers turn into a warning for that row or record: never a crash, never stored.
"""

from __future__ import annotations

import math
import re
from datetime import datetime, timezone
from fractions import Fraction
from typing import Any

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.instruments import Product
from zn_ladder.domain.prices import decimal_text, parse_price, ticks_from_number

#: More lots than any desk trades in one execution or holds in one contract.
MAX_LOTS = 1_000_000
#: The trading era: fills and orders are stamped between these instants (ns since 1970, UTC).
ERA_START_NS = int(datetime(2000, 1, 1, tzinfo=timezone.utc).timestamp()) * 1_000_000_000
ERA_END_NS = int(datetime(2100, 1, 1, tzinfo=timezone.utc).timestamp()) * 1_000_000_000
#: Longer cells are not values (a price of 4,400 digits, a quantity of a megabyte).
MAX_TEXT = 40

_LOTS_TEXT = re.compile(r"[0-9]{1,7}(?:\.0*)?", re.ASCII)
_SIGNED_LOTS_TEXT = re.compile(r"-?[0-9]{1,7}(?:\.0*)?", re.ASCII)
_DECIMAL_TEXT = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)", re.ASCII)
_STAMP_TEXT = re.compile(r"[0-9]{1,19}", re.ASCII)


def shown(value: Any) -> str:
    """`value` as a message shows it: repr, cut to a readable length."""
    text = repr(value)
    return text if len(text) <= 48 else f"{text[:40]}...({len(text)} chars)"


def _whole_number(value: Any, what: str, pattern: re.Pattern[str]) -> int:
    """An integer from JSON's int or integral float, or a text matching `pattern`."""
    if isinstance(value, bool):
        raise InputError(f"{what} {shown(value)} is not a number")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            raise InputError(f"{what} {shown(value)} is not a whole number")
        if abs(value) > 2 ** 63:
            raise InputError(f"{what} {shown(value)} is out of range")
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if len(text) <= MAX_TEXT and pattern.fullmatch(text):
            return int(text.split(".", 1)[0] or "0")
        raise InputError(f"{what} {shown(value)} is not a whole number")
    raise InputError(f"{what} {shown(value)} is not a number")


def lots(value: Any, what: str = "quantity", *, allow_zero: bool = False) -> int:
    """A quantity: a whole number of lots, 1..MAX_LOTS (0 too with `allow_zero`, for "not known")."""
    qty = _whole_number(value, what, _LOTS_TEXT)
    if qty < 0 or (qty == 0 and not allow_zero):
        raise InputError(f"{what} {shown(value)} is not positive")
    if qty > MAX_LOTS:
        raise InputError(f"{what} {shown(value)} is more than {MAX_LOTS:,} lots")
    return qty


def signed_lots(value: Any, what: str = "quantity") -> int:
    """A position: a whole number of lots, -MAX_LOTS..MAX_LOTS."""
    qty = _whole_number(value, what, _SIGNED_LOTS_TEXT)
    if abs(qty) > MAX_LOTS:
        raise InputError(f"{what} {shown(value)} is more than {MAX_LOTS:,} lots")
    return qty


def check_time_ns(ns: int, what: str = "timestamp") -> int:
    """`ns` itself when it lies in the trading era (2000..2100), else `InputError`."""
    if not ERA_START_NS <= ns < ERA_END_NS:
        raise InputError(f"{what} {shown(ns)} is not a time between 2000 and 2100 (ns since 1970)")
    return ns


def timestamp_ns(value: Any, what: str = "timestamp") -> int:
    """A timestamp in ns since 1970 (int, integral float or digits) inside the trading era."""
    return check_time_ns(_whole_number(value, what, _STAMP_TEXT), what)


def check_ticks(ticks: int, product: Product, what: str = "price", shown_as: Any = None) -> int:
    """`ticks` itself when the price lies strictly inside the product's limits."""
    low = product.min_price * product.ticks_per_point
    high = product.max_price * product.ticks_per_point
    if not low < ticks < high:
        raise InputError(f"{what} {shown(decimal_text(Fraction(ticks, product.ticks_per_point)) if shown_as is None else shown_as)} "
                         f"is outside the {product.symbol} range {decimal_text(product.min_price)}.."
                         f"{decimal_text(product.max_price)}")
    return ticks


def price_ticks(value: Any, product: Product, what: str = "price", *, decimal_only: bool = False) -> int:
    """A fill or order price as ticks of `product`: on a tick and inside the product's limits.

    JSON numbers and decimal text (``111.28125``) always; TT/CME/Pricing Monkey text (``111'075``)
    unless `decimal_only` (the fill monitor writes decimals: a ``111'075`` there is a broken cell).
    """
    if isinstance(value, bool):
        raise InputError(f"{what} {shown(value)} is not a number")
    if isinstance(value, str):
        text = value.strip()
        if not text:
            raise InputError(f"no {what}")
        if len(text) > MAX_TEXT:
            raise InputError(f"{what} {shown(value)} is not a price (too long)")
        if _DECIMAL_TEXT.fullmatch(text):
            ticks = ticks_from_number(text, product, what=what)
        elif decimal_only:
            raise InputError(f"{what} {shown(value)} is not a decimal number")
        else:
            try:
                ticks = int(parse_price(text, product, allow_negative=True).ticks(product))
            except InputError as exc:
                raise InputError(f"{what}: {exc}") from None
    elif isinstance(value, (int, float)):
        if isinstance(value, int) and abs(value) > 10 ** 12:
            raise InputError(f"{what} {shown(value)} is outside the {product.symbol} range")
        ticks = ticks_from_number(value, product, what=what)
    else:
        raise InputError(f"{what} {shown(value)} is not a number")
    return check_ticks(ticks, product, what, value)
