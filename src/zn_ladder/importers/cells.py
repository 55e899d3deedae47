"""Parsing the cells of a desk file (sides, quantities, prices) fast and exactly.

Files repeat the same few hundred prices and quantities over hundreds of thousands of rows, so each
distinct text is parsed once (exactly, through the domain's price rules) and then served from a dict:
the import loops stay around a microsecond a row. A bad cell raises `InputError`; the importers turn
that into a warning for the row.
"""

from __future__ import annotations

from typing import Literal

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.instruments import Product
from zn_ladder.domain.records import Side
from zn_ladder.domain.values import lots, price_ticks

#: Every way the files write a side; Actant's L/S is long/short.
SIDES: dict[str, Side] = {}
for _text, _side in (("1", Side.BUY), ("2", Side.SELL), ("B", Side.BUY), ("S", Side.SELL),
                     ("BUY", Side.BUY), ("SELL", Side.SELL), ("L", Side.BUY), ("LONG", Side.BUY),
                     ("SHORT", Side.SELL)):
    SIDES[_text] = SIDES[_text.lower()] = SIDES[_text.capitalize()] = _side
del _text, _side


def parse_side(text: str) -> Side:
    side = SIDES.get(text) or SIDES.get(text.strip().upper())
    if side is None:
        raise InputError(f"side {text!r} is not buy or sell")
    return side


class Quantities:
    """Whole, positive contract counts from cells such as ``5``, ``5.0`` or ``5.00`` (bounded: `values.lots`)."""

    __slots__ = ("_seen",)

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def __call__(self, text: str) -> int:
        qty = self._seen.get(text)
        if qty is None:
            qty = self._seen[text] = self._parse(text)
        return qty

    @staticmethod
    def _parse(text: str) -> int:
        return lots(text)


class Prices:
    """Prices of one product as integer ticks, from decimal cells (``111.28125``) or TT's ``111'075``,
    on a tick and inside the product's limits (`values.price_ticks`)."""

    __slots__ = ("product", "_seen", "_form")

    def __init__(self, product: Product, form: Literal["decimal", "text"] = "text") -> None:
        self.product = product
        self._seen: dict[str, int] = {}
        self._form = form

    def __call__(self, text: str) -> int:
        ticks = self._seen.get(text)
        if ticks is None:
            ticks = self._seen[text] = self._parse(text)
        return ticks

    def _parse(self, text: str) -> int:
        return price_ticks(text, self.product, decimal_only=self._form == "decimal")


class PriceBook:
    """One `Prices` per product, for files that mix products."""

    __slots__ = ("_by_product", "_form")

    def __init__(self, form: Literal["decimal", "text"] = "text") -> None:
        self._by_product: dict[str, Prices] = {}
        self._form = form

    def for_product(self, product: Product) -> Prices:
        prices = self._by_product.get(product.symbol)
        if prices is None:
            prices = self._by_product[product.symbol] = Prices(product, self._form)
        return prices
