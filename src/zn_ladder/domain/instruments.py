"""Products as data: adding a product is one table row, never a code branch.

Values follow CME's contract specifications (DESIGN.md §3.2). A product's tick is an exact
`Fraction` of a price point; 32nd-quoted products also say how many parts of a 32nd they trade in,
which decides how their prices print (`110'165`, `115'09`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction

from zn_ladder.domain.errors import InputError


@dataclass(frozen=True, slots=True)
class Product:
    """A futures product (ZN, ZB...). Prices are in points; one point is worth `point_value` dollars."""

    symbol: str
    name: str
    point_value: Fraction
    tick: Fraction
    #: 32nds per point for bond-style quotes (32), or 0 for decimal-quoted products.
    thirty_seconds: int = 32
    #: Decimal places shown for decimal-quoted products.
    decimals: int = 0
    min_price: Fraction = Fraction(0)
    max_price: Fraction = Fraction(1000)
    ticks_per_point: int = field(init=False)
    tick_value: Fraction = field(init=False)

    def __post_init__(self) -> None:
        per_point = 1 / self.tick
        if per_point.denominator != 1:
            raise ValueError(f"{self.symbol}: a point must hold a whole number of ticks")
        object.__setattr__(self, "ticks_per_point", int(per_point))
        object.__setattr__(self, "tick_value", self.tick * self.point_value)

    @property
    def is_32nds(self) -> bool:
        return self.thirty_seconds > 0

    @property
    def parts_of_32nd(self) -> int:
        """How many ticks make one 32nd (ZT 8, ZF 4, ZN 2, ZB 1); 0 for decimal products."""
        if not self.is_32nds:
            return 0
        return int(Fraction(1, 32) / self.tick)

    def __str__(self) -> str:
        return self.symbol


def _bond(symbol: str, name: str, point_value: int, parts: int) -> Product:
    return Product(symbol, name, Fraction(point_value), Fraction(1, 32 * parts))


PRODUCTS: dict[str, Product] = {
    p.symbol: p
    for p in (
        _bond("ZT", "2-Year T-Note", 2000, 8),
        _bond("Z3N", "3-Year T-Note", 2000, 8),
        _bond("ZF", "5-Year T-Note", 1000, 4),
        _bond("ZN", "10-Year T-Note", 1000, 2),
        _bond("TN", "Ultra 10-Year T-Note", 1000, 2),
        _bond("ZB", "U.S. Treasury Bond", 1000, 1),
        _bond("UB", "Ultra U.S. Treasury Bond", 1000, 1),
        # Decimal-quoted: proves the model is general. Three-month SOFR, 1/2 bp tick = $12.50.
        Product("SR3", "Three-Month SOFR", Fraction(2500), Fraction(1, 200), 0, 3),
    )
}

#: Other names TT and desks use for the same products.
ALIASES: dict[str, str] = {"TY": "ZN", "FV": "ZF", "TU": "ZT", "US": "ZB", "WN": "UB", "UXY": "TN",
                           "TWE": "TN", "3YR": "Z3N", "SFR": "SR3"}

_CONTRACT = re.compile(r"^\s*([A-Za-z0-9]+)\b")


def get_product(symbol: str) -> Product:
    """The product for a symbol such as ``ZN`` (case-insensitive; TT/Bloomberg aliases accepted)."""
    key = symbol.strip().upper()
    key = ALIASES.get(key, key)
    try:
        return PRODUCTS[key]
    except KeyError:
        known = ", ".join(PRODUCTS)
        raise InputError(f"unknown product {symbol!r}: expected one of {known}") from None


def product_of_contract(contract: str) -> Product:
    """The product of a contract name such as ``"ZN Sep25"`` (TT's instrument alias)."""
    match = _CONTRACT.match(contract or "")
    if not match:
        raise InputError(f"cannot tell the product of contract {contract!r}: expected e.g. 'ZN Sep25'")
    return get_product(match.group(1))
