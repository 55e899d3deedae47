"""Exact prices and every text form a Treasury desk writes them in (DESIGN.md §3.3).

A price is a `Fraction` of points inside `Price`; on-tick prices convert to an integer tick count for
the hot paths (ladder, lot matching). Floats appear only at the edges (`ticks_from_number`), where the
value is checked to be exactly on a tick before it is trusted.

The one digit after the 32nds (`110'165`) is the first decimal of the fraction of a 32nd, truncated:
0, 1, 2, 3, 5, 6, 7, 8 for 0, 1/8 ... 7/8. Products that trade whole 32nds (ZB, UB) print two digits
(`115'09`) and read both `115'09` and `115'090`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.instruments import Product

Style = Literal["decimal", "tt", "cme", "pricing_monkey"]
STYLES: tuple[Style, ...] = ("decimal", "tt", "cme", "pricing_monkey")

#: The digit after the 32nds -> eighths of a 32nd (digits 4 and 9 never occur).
_DIGIT_TO_EIGHTHS = {"0": 0, "1": 1, "2": 2, "3": 3, "5": 4, "6": 5, "7": 6, "8": 7}
_EIGHTHS_TO_DIGIT = {v: k for k, v in _DIGIT_TO_EIGHTHS.items()}

_DECIMAL = re.compile(r"^(-)?(\d+(?:\.\d*)?|\.\d+)$", re.ASCII)
_TT = re.compile(r"^(-)?(\d+)'(\d{2})(\d|\+)?$", re.ASCII)
_CME = re.compile(r"^(-)?(\d+)-(\d{2})(\d|\+)?$", re.ASCII)
_PM = re.compile(r"^(-)?(\d+)-(\d{2}\.\d+)$", re.ASCII)

FORMS_HELP = ("decimal (110.515625), TT (110'165), CME (110-16+, 110-165, 110-162) "
              "or Pricing Monkey (110-16.5)")


@dataclass(frozen=True, slots=True, order=True)
class Price:
    """An exact price in points. Never built from a float: use `parse_price` or `from_ticks`."""

    value: Fraction

    @classmethod
    def from_ticks(cls, ticks: int | Fraction, product: Product) -> Price:
        return cls(Fraction(ticks) / product.ticks_per_point)

    def ticks(self, product: Product) -> Fraction:
        """Ticks as an exact fraction (whole for an on-tick price)."""
        return self.value * product.ticks_per_point

    def on_tick(self, product: Product) -> bool:
        return self.ticks(product).denominator == 1

    def tick_floor(self, product: Product) -> int:
        """The nearest tick at or below this price."""
        return math.floor(self.ticks(product))

    def __str__(self) -> str:
        return decimal_text(self.value)


#: Longer text is not a price (and a 4,400-digit one would hit Python's int-from-text limit).
MAX_PRICE_TEXT = 64


def _bad(text: str, product: Product, reason: str) -> InputError:
    if len(text) > MAX_PRICE_TEXT:
        text = f"{text[:MAX_PRICE_TEXT]}...({len(text)} characters)"
    forms = FORMS_HELP if product.is_32nds else f"decimal (e.g. {format_price(Price(Fraction(9612, 100)), product)})"
    return InputError(f"{text!r} is not a valid {product.symbol} price ({reason}); expected {forms}")


def _32nds_value(whole: str, thirty_seconds: Fraction, text: str, product: Product) -> Fraction:
    if thirty_seconds >= 32:
        raise _bad(text, product, "32nds must be below 32")
    return int(whole) + thirty_seconds / 32


def _parse_value(text: str, product: Product) -> Fraction:
    """The exact value of `text` in points, whatever form it is written in."""
    s = text.strip()
    if m := _DECIMAL.match(s):
        value = Fraction(m.group(2))
        return -value if m.group(1) else value
    if not product.is_32nds:
        raise _bad(text, product, "a decimal-quoted product takes decimal prices only")
    m = _TT.match(s) or _CME.match(s)
    if m:
        sign, whole, n32, digit = m.groups()
        if digit is None:
            eighths = 0
        elif digit == "+":
            eighths = 4
        elif digit in _DIGIT_TO_EIGHTHS:
            eighths = _DIGIT_TO_EIGHTHS[digit]
        else:
            raise _bad(text, product, f"the digit after the 32nds must be one of 0 1 2 3 5 6 7 8 or +, not {digit}")
        value = _32nds_value(whole, int(n32) + Fraction(eighths, 8), text, product)
        return -value if sign else value
    if m := _PM.match(s):
        sign, whole, n32 = m.groups()
        value = _32nds_value(whole, Fraction(n32), text, product)
        return -value if sign else value
    raise _bad(text, product, "not a price")


def parse_price(text: str, product: Product, *, spot: bool = False, allow_negative: bool = False) -> Price:
    """Parse any accepted form. Order and fill prices must be on a tick; a spot may lie between ticks.

    Negative prices are only valid for spreads (`allow_negative`); outright prices must lie in the
    product's range.
    """
    if not isinstance(text, str) or not text.strip():
        raise _bad(str(text), product, "empty")
    if len(text) > MAX_PRICE_TEXT:
        raise _bad(text, product, "too long")
    value = _parse_value(text, product)
    if value < 0 and not allow_negative:
        raise _bad(text, product, "negative prices are only valid for spreads")
    if not allow_negative and not (product.min_price < value < product.max_price):
        raise _bad(text, product, f"outside {product.min_price}..{product.max_price}")
    price = Price(value)
    if not spot and not price.on_tick(product):
        tick = format_price(Price(product.tick), product, "decimal")
        raise _bad(text, product, f"not on the {product.symbol} tick of {tick}")
    return price


def parse_ticks(text: str, product: Product) -> int:
    """An on-tick price as its integer tick count."""
    return int(parse_price(text, product).ticks(product))


def ticks_from_number(number: float | int | str, product: Product, *, what: str = "price") -> int:
    """Ticks of a number from JSON or a decimal CSV cell, refused unless exactly on a tick.

    Fast path for the hot import loops: Treasury ticks are binary fractions, so a short decimal that is
    on a tick is exact as a float. Anything else goes through exact `Fraction` arithmetic.
    """
    if isinstance(number, str):
        text = number.strip()
        if len(text) <= 15:
            try:
                scaled = float(text) * product.ticks_per_point
            except ValueError:
                raise InputError(f"{what} {number!r} is not a number") from None
            if scaled.is_integer() and math.isfinite(scaled):
                return int(scaled)
        try:
            exact = Fraction(text)
        except (ValueError, ZeroDivisionError):
            raise InputError(f"{what} {number!r} is not a number") from None
    elif isinstance(number, bool) or not isinstance(number, (int, float)):
        raise InputError(f"{what} {number!r} is not a number")
    elif isinstance(number, float):
        if not math.isfinite(number):
            raise InputError(f"{what} {number!r} is not a finite number")
        scaled = number * product.ticks_per_point
        if scaled.is_integer():
            return int(scaled)
        # A decimal tick (SOFR 0.005) is not a binary fraction: read the float's shortest decimal form.
        exact = Fraction(repr(number))
    else:
        exact = Fraction(number)
    ticks = exact * product.ticks_per_point
    if ticks.denominator != 1:
        raise InputError(f"{what} {number!r} is not on the {product.symbol} tick of {decimal_text(product.tick)}")
    return int(ticks)


def decimal_text(value: Fraction, places: int | None = None) -> str:
    """Exact decimal text of a Fraction: terminating ones exactly, others rounded to 10 places.

    `places` pads (never rounds) to a minimum number of decimals, for decimal-quoted products.
    """
    value = Fraction(value)
    den = value.denominator
    twos = fives = 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    if den == 1:
        exact_places = max(twos, fives)
        digits = str(abs(value.numerator) * 10**exact_places // value.denominator).rjust(exact_places + 1, "0")
        whole, frac = digits[: len(digits) - exact_places], digits[len(digits) - exact_places:]
        text = ("-" if value < 0 else "") + whole + ("." + frac if frac else "")
    else:
        text = format(Decimal(value.numerator) / Decimal(value.denominator), ".10f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if places:
        whole, _, frac = text.partition(".")
        text = f"{whole}.{frac.ljust(places, '0')}"
    return text


def _split_32nds(value: Fraction) -> tuple[str, int, Fraction, Fraction]:
    """sign, whole points, whole 32nds, fraction of a 32nd (0 <= f < 1) of |value|."""
    sign = "-" if value < 0 else ""
    mag = abs(value)
    whole = math.floor(mag)
    in_32nds = (mag - whole) * 32
    n32 = math.floor(in_32nds)
    return sign, whole, n32, in_32nds - n32


def _tick_form(value: Fraction, product: Product, sep: str) -> str:
    sign, whole, n32, frac = _split_32nds(value)
    if product.parts_of_32nd == 1:
        return f"{sign}{whole}{sep}{n32:02d}"
    return f"{sign}{whole}{sep}{n32:02d}{_EIGHTHS_TO_DIGIT[math.floor(frac * 8)]}"


def format_price(price: Price | Fraction, product: Product, style: Style = "tt") -> str:
    """Print a price. Tick-based forms (TT, CME) of an off-tick spot show the nearest tick below."""
    value = price.value if isinstance(price, Price) else Fraction(price)
    if not product.is_32nds:
        return decimal_text(value, product.decimals)
    if style == "decimal":
        return decimal_text(value)
    if style == "pricing_monkey":
        sign, whole, n32, frac = _split_32nds(value)
        tail = decimal_text(frac)[1:] if frac else ""  # "0.25" -> ".25"
        return f"{sign}{whole}-{n32:02d}{tail}"
    floored = Fraction(math.floor(value * product.ticks_per_point), product.ticks_per_point)
    if style == "tt":
        return _tick_form(floored, product, "'")
    if style == "cme":
        return _tick_form(floored, product, "-")
    raise ValueError(f"unknown price style {style!r}; expected one of {', '.join(STYLES)}")


def format_ticks(ticks: int, product: Product, style: Style = "tt") -> str:
    return format_price(Fraction(ticks, product.ticks_per_point), product, style)
