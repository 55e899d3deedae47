"""The one price format every part of the window prints with (the `ladder.price_format` setting).

The ladder, the order and fill tables, the summary cards, the charts' axis, the what-if panel, the
notifications and every tooltip format prices through here, so changing the setting changes every place
at once (before, only the ladder followed it and the rest stayed in TT form). It is process-wide state
on purpose: one window per process, read at format time in a dozen places; the window sets it from the
settings and refreshes what it has on screen (`MainWindow.apply_settings`).
"""

from __future__ import annotations

from fractions import Fraction

from zn_ladder.domain.instruments import Product
from zn_ladder.domain.prices import STYLES, Price, format_price, format_ticks

_style = "tt"


def current() -> str:
    return _style


def set_current(style: str) -> bool:
    """Use `style` from now on (an unknown one is refused: TT); True when it changed."""
    global _style
    style = style if style in STYLES else "tt"
    changed = style != _style
    _style = style
    return changed


def ticks(value: int, product: Product) -> str:
    """An on-tick price (orders, fills, ladder levels) in the chosen format."""
    return format_ticks(value, product, _style)


def price(value: Price | Fraction, product: Product) -> str:
    """Any price, e.g. a spot between ticks. The tick forms (TT, CME) cannot show a value between ticks,
    so such a value prints in 32nds with decimals (Pricing Monkey's form) rather than as the tick below."""
    exact = value.value if isinstance(value, Price) else Fraction(value)
    style = _style
    if style in ("tt", "cme") and product.is_32nds and (exact * product.ticks_per_point).denominator != 1:
        style = "pricing_monkey"
    return format_price(exact, product, style)
