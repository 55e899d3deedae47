"""Refuse a spot that is not a price, or that jumped implausibly far from the last good one.

A web page can show a half-rendered cell, a placeholder, or the wrong row after a layout change; a
ladder walked from such a number would be wrong on every row. So a read is only trusted when it parses
as a price of the product and lies within a configurable distance (default 2 points) of the last good
value. Every refusal says exactly what text was read, so support can compare it with the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.instruments import Product
from zn_ladder.domain.prices import Price, decimal_text, format_price, parse_price
from zn_ladder.spot.errors import SpotValueError

DEFAULT_MAX_MOVE_POINTS = Fraction(2)


@dataclass(frozen=True, slots=True)
class SpotSanity:
    """The rule for accepting a read. `max_move_points=None` disables the distance check."""

    max_move_points: Fraction | None = DEFAULT_MAX_MOVE_POINTS

    def parse(self, raw: str, product: Product, *, where: str = "the spot cell") -> Price:
        """The price in `raw` (any accepted form, between ticks allowed), or SpotValueError."""
        text = " ".join(raw.split())  # cells often carry non-breaking spaces and newlines
        text = text.replace("\u2019", "'").replace("\u2032", "'")  # typographic apostrophes
        try:
            return parse_price(text, product, spot=True)
        except InputError as exc:
            raise SpotValueError(f"{where} read {raw!r}, which is not a usable price: {exc}", raw) from None

    def check(self, raw: str, product: Product, last_good: Price | None, *, where: str = "the spot cell") -> Price:
        """Parse `raw` and refuse it when it is too far from `last_good`."""
        price = self.parse(raw, product, where=where)
        self.check_move(price, raw, product, last_good, where=where)
        return price

    def check_move(self, price: Price, raw: str, product: Product, last_good: Price | None, *,
                   where: str = "the spot cell") -> None:
        """SpotValueError when `price` (read as `raw`) lies too far from `last_good`."""
        if self.max_move_points is None or last_good is None:
            return
        move = abs(price.value - last_good.value)
        if move > self.max_move_points:
            raise SpotValueError(
                f"{where} read {raw!r} ({format_price(price, product, 'tt')}), {decimal_text(move)} points "
                f"from the last good {format_price(last_good, product, 'tt')}; the limit is "
                f"{decimal_text(self.max_move_points)} points (check the page, or enter the spot by hand)",
                raw,
            )
