"""How the window prints an average open price: the way a desk reads it, not the exact Fraction.

An average of fills is rarely on a tick (7 lots bought at mixed prices average 110-18.5571428571...).
Ten decimals of a 32nd are noise to a trader, so the window shows the TT price of the tick below (the
row the ladder marks) and, when the average lies between ticks, a compact 32nds form rounded to
`PLACES` decimals: "110'185 (110-18.56)". The exact value stays exact in the domain and is spelled out
in the tooltip; this is display only.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from zn_ladder.domain.instruments import Product
from zn_ladder.domain.prices import Price, decimal_text, format_price
from zn_ladder.ui import price_style

#: Decimals of a 32nd (or, for decimal products, extra decimals beyond the tick's) in the compact form.
PLACES = 2


def _round_half_up(value: Fraction, unit: Fraction) -> Fraction:
    return Fraction(math.floor(value / unit + Fraction(1, 2))) * unit


def compact_text(price: Price, product: Product) -> str:
    """The price rounded for reading: 32nds to `PLACES` decimals ("110-18.56"), or decimals + `PLACES`."""
    if product.is_32nds:
        rounded = _round_half_up(price.value, Fraction(1, 32 * 10**PLACES))
        return format_price(rounded, product, "pricing_monkey")
    places = product.decimals + PLACES
    return decimal_text(_round_half_up(price.value, Fraction(1, 10**places)), product.decimals)


def average_text(price: Price, product: Product) -> str:
    """The tick at or below in the chosen price format, plus the compact form when the average is
    between ticks (in decimal format, just the decimal rounded to a tick's decimals + `PLACES`)."""
    tick_text = price_style.ticks(price.tick_floor(product), product)
    if price.on_tick(product):
        return tick_text
    if price_style.current() == "decimal" and product.is_32nds:
        return decimal_text(_round_half_up(price.value, Fraction(1, 10**(6 + PLACES))))
    return f"{tick_text} ({compact_text(price, product)})"


def accounts_differ_in_sign(by_account: Sequence[Any]) -> bool:
    """True when one account is long and another short: their netted average is a price that never
    traded (109'245 on net +2), so the window shows each account's own instead."""
    signs = {(a.position > 0) - (a.position < 0) for a in by_account if a.position}
    return len(signs) > 1


def per_account_lines(by_account: Sequence[Any], product: Product) -> list[str]:
    """`DESK01 +5 @ 110'055` per open account (each with its own average), longest position first."""
    lines = []
    for a in sorted((a for a in by_account if a.position), key=lambda a: -abs(a.position)):
        avg = a.average_open_price
        lines.append(f"{a.account} {a.position:+d} @ {average_text(avg, product) if avg is not None else '—'}")
    return lines


def average_tooltip(price: Price, product: Product) -> str:
    """The exact average, for reconciling: 32nds and decimal, plus which row the ladder marks."""
    exact = format_price(price, product, "pricing_monkey") if product.is_32nds else decimal_text(price.value)
    lines = [f"Average open price {exact}"]
    if product.is_32nds:
        lines.append(f"decimal {decimal_text(price.value)}")
    if not price.on_tick(product):
        lines.append(f"between ticks: the ladder marks {price_style.ticks(price.tick_floor(product), product)}, "
                     f"the tick below")
    return "\n".join(lines)
