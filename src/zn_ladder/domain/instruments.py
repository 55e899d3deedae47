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


def _bond(symbol: str, name: str, point_value: int, parts: int, low: int = 50, high: int = 250) -> Product:
    """A 32nds-quoted Treasury future. `low`..`high` (points) is where a price can be at all: Treasury
    futures have traded between ~90 and ~240 in their history; a typed 999 or 5 is a slip, never a spot."""
    return Product(symbol, name, Fraction(point_value), Fraction(1, 32 * parts), min_price=Fraction(low),
                   max_price=Fraction(high))


PRODUCTS: dict[str, Product] = {
    p.symbol: p
    for p in (
        _bond("ZT", "2-Year T-Note", 2000, 8),
        _bond("Z3N", "3-Year T-Note", 2000, 8),
        _bond("ZF", "5-Year T-Note", 1000, 4),
        _bond("ZN", "10-Year T-Note", 1000, 2),
        _bond("TN", "Ultra 10-Year T-Note", 1000, 2),
        _bond("ZB", "U.S. Treasury Bond", 1000, 1, high=300),
        _bond("UB", "Ultra U.S. Treasury Bond", 1000, 1, high=350),
        # Decimal-quoted: proves the model is general. Three-month SOFR, 1/2 bp tick = $12.50.
        Product("SR3", "Three-Month SOFR", Fraction(2500), Fraction(1, 200), 0, 3, Fraction(80), Fraction(102)),
    )
}

#: Other names TT and desks use for the same products.
ALIASES: dict[str, str] = {"TY": "ZN", "FV": "ZF", "TU": "ZT", "US": "ZB", "WN": "UB", "UXY": "TN",
                           "TWE": "TN", "3YR": "Z3N", "SFR": "SR3"}

_CONTRACT = re.compile(r"^\s*([A-Za-z0-9]+)\b")

#: TT's alias of an outright future: product symbol, month and two-digit year ("ZN Sep25").
_OUTRIGHT = re.compile(r"^\s*([A-Za-z0-9]+)\s+(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)(\d{2})\s*$",
                       re.IGNORECASE)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

#: The market a book is on when a file does not say (the old tool kept CME only).
DEFAULT_MARKET = "CME"


def canonical_contract(name: str) -> str:
    """One spelling per contract, so `zn sep25`, `ZN SEP25` and `ZN Sep25` are one book.

    Outrights take TT's alias form (upper-case symbol, title-case month); a bare product symbol is
    upper-cased; any other name (a spread, a typed label) is only trimmed: it is never guessed at.
    """
    match = _OUTRIGHT.match(name or "")
    if match:
        symbol, month, year = match.groups()
        return f"{symbol.upper()} {month.title()}{year}"
    text = (name or "").strip()
    return text.upper() if text and " " not in text else text


def contract_month(contract: str) -> tuple[int, int] | None:
    """(year, month) of an outright such as ``ZN Sep25`` -> (2025, 9); None for other names."""
    match = _OUTRIGHT.match(contract or "")
    if not match:
        return None
    return 2000 + int(match.group(3)), MONTHS.index(match.group(2).title()) + 1


def contract_name(symbol: str, year: int, month: int) -> str:
    """TT's alias of the outright of `symbol` expiring in `month`/`year`: ("ZN", 2025, 9) -> "ZN Sep25"."""
    return f"{symbol.upper()} {MONTHS[month - 1]}{year % 100:02d}"


#: TT's market ids as seen in the desk's files (fill monitor: MarketId 7 = CME, 183 = CME_Delayed), for
#: saved TT answers that carry only the id; the live client asks TT's market list instead.
TT_MARKET_IDS: dict[str, str] = {"7": "CME", "8": "CBOT", "183": "CME_DELAYED", "1001": "TT ALGO"}


def market_of_id(market_id: object) -> str:
    """The market name of a TT market id (`TT_MARKET_IDS`), or ``MARKET <id>`` when not known."""
    key = str(market_id if market_id is not None else "").strip()
    if key.endswith(".0"):
        key = key[:-2]
    if not key:
        return DEFAULT_MARKET
    return TT_MARKET_IDS.get(key, f"MARKET {key}")


def canonical_market(name: str | None) -> str:
    """A market name as books key it: trimmed, upper-case (``CME_Delayed`` = ``CME_DELAYED``);
    empty means the default market."""
    text = (name or "").strip().upper()
    return text or DEFAULT_MARKET


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
