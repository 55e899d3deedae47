"""A spot typed in by the trader, in whatever form they write it.

When Pricing Monkey is down, or the trader wants to see the ladder from another level, they type the
spot: `110-16+`, `110'165`, `110-16.5`, `110.515625` all mean the same. A typed spot may lie between
ticks (like a Pricing Monkey mid). It is not compared with the last good read: the trader overrides.
"""

from __future__ import annotations

from zn_ladder.domain.instruments import Product
from zn_ladder.domain.prices import parse_price
from zn_ladder.spot.snapshot import SpotSnapshot


def manual_snapshot(text: str, product: Product) -> SpotSnapshot:
    """A `manual` snapshot of `text`, or InputError naming the text and the accepted forms."""
    price = parse_price(" ".join(str(text).split()), product, spot=True)
    return SpotSnapshot.now(price, product, "manual", str(text).strip())
