"""A spot typed in by the trader, in whatever form they write it, and the checks it passes first.

When Pricing Monkey is down, or the trader wants to see the ladder from another level, they type the
spot: `110-16+`, `110'165`, `110-16.5`, `110.515625` all mean the same. A typed spot may lie between
ticks (like a Pricing Monkey mid). A mistyped spot is costly (a typed `999` for ZN made TOTAL P&L
-$95M and left the spike in the intraday chart for the day), so `check_manual_spot` judges it with the
rule the Pricing Monkey reader uses (`SpotSanity`, default 2 points from the last good spot) before it
is used: outside the product's price range it is refused with the expected form; further than the
limit from the last good spot it needs the trader's confirmation; otherwise it is accepted. The
decision is pure; the window asks the question.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.instruments import Product
from zn_ladder.domain.prices import FORMS_HELP, Price, decimal_text, format_price, parse_price
from zn_ladder.spot.errors import SpotValueError
from zn_ladder.spot.sanity import SpotSanity
from zn_ladder.spot.snapshot import SpotSnapshot

Verdict = Literal["accept", "confirm", "refuse"]


@dataclass(frozen=True, slots=True)
class ManualSpotCheck:
    """What to do with a typed spot: `accept` it, ask to `confirm` it (`message` is the question's
    text), or `refuse` it (`message` says why and the expected form). `price` is None when refused."""

    verdict: Verdict
    price: Price | None
    message: str = ""


def expected_form(product: Product) -> str:
    """`a ZN price between 0 and 1000: decimal (110.515625), TT (110'165), ...`: the range and the forms."""
    if product.is_32nds:
        forms = FORMS_HELP
    else:
        middle = (product.min_price + product.max_price) / 2
        forms = f"decimal (e.g. {format_price(Price(middle), product, 'decimal')})"
    return (f"a {product.symbol} price between {decimal_text(product.min_price)} and "
            f"{decimal_text(product.max_price)}: {forms}")


def check_manual_spot(text: str, product: Product, last_good: Price | None,
                      sanity: SpotSanity = SpotSanity()) -> ManualSpotCheck:
    """Judge a typed spot against the product's range and the distance from `last_good` (the spot the
    ladder walks from now; None: no reference, only the range applies)."""
    raw = " ".join(str(text).split())
    try:  # the value first, whatever its range, so the range message can be the one given below
        value = parse_price(raw, product, spot=True, allow_negative=True)
    except InputError as exc:
        return ManualSpotCheck("refuse", None, str(exc))
    if not product.min_price < value.value < product.max_price:
        return ManualSpotCheck("refuse", None, f"{raw!r} is outside the {product.symbol} price range; "
                                               f"expected {expected_form(product)}")
    try:
        sanity.check_move(value, raw, product, last_good, where="the typed spot")
    except SpotValueError:
        move = abs(value.value - last_good.value)  # type: ignore[union-attr]
        return ManualSpotCheck("confirm", value, (
            f"The typed spot {format_price(value, product, 'tt')} is {decimal_text(move)} points from the last good "
            f"spot {format_price(last_good, product, 'tt')} (the limit is "  # type: ignore[arg-type]
            f"{decimal_text(sanity.max_move_points)} points). Use it anyway?"))  # type: ignore[arg-type]
    return ManualSpotCheck("accept", value)


def manual_snapshot(text: str, product: Product) -> SpotSnapshot:
    """A `manual` snapshot of `text`, or InputError naming the text and the accepted forms."""
    price = parse_price(" ".join(str(text).split()), product, spot=True)
    return SpotSnapshot.now(price, product, "manual", str(text).strip())
