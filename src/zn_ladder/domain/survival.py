"""The survival curve: which risk to hold after each technical level is crossed (issue 15 §5).

The desk's old `R_survival` script answered one question for a trader holding risk R0 (dollars per
1/16 of a point, positive long): walking against the position through the technical levels near the
price, how far can price go before the trade's P&L reaches the stop loss, and what risk should be held
after each level so that the stop is reached no earlier than that farthest level. This module gives
the same answer, figure for figure, in exact arithmetic (the script used floats).

The script's rules, kept as it defined them:

- Only levels within NBM sixteenths of the price count (both ends inclusive), walked from the price
  outwards; the price itself is the first point of each walk.
- Levels closer than 3/16 to the price are dropped, but only that first gap is enforced: later levels
  may lie closer together.
- The breakeven is 3/16 of a point, negative for a level below the price.
- The coefficient of the i-th level is the product d0 x (1 + d1/be) x ... x (1 + d(i-1)/be) of the
  walk's signed steps d; the P&L reaching the i-th level is R0 x coefficient x 16, and the risk to hold
  there is R0 x coefficient / be.
- The extreme level is the last level before the first whose P&L is at or below the stop loss minus the
  P&L already made (all of them if none is).
- The distance to it is in sixteenths of a point: the script multiplied by 16, although its docstring
  spoke of 32nds.

A long position only looks below the price and a short one only above; a flat one has no curve.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from zn_ladder.domain.errors import InputError

if TYPE_CHECKING:
    from zn_ladder.domain.instruments import Product

#: The seed's breakeven constant and the minimum first step, in points.
BREAKEVEN = Fraction(3, 16)
MIN_FIRST_STEP = Fraction(3, 16)
DEFAULT_STOP_LOSS = Fraction(-100_000)
DEFAULT_NBM_SIXTEENTHS = Fraction(25)
#: ZN: $62.50 of P&L per 1/16 of a point per lot (a point is $1000); R0 = position x this.
ZN_RISK_PER_LOT = Fraction(125, 2)

#: The desk's technical levels from the old script (ZN, whole 32nds): the settings' default list.
_SEED_32NDS = (
    (108, (15, 23, 29)),
    (109, (2, 7, 11, 19, 21, 28)),
    (110, (2, 6, 9, 15, 20, 24, 31)),
    (111, (1, 5, 8, 14, 18, 26)),
    (112, (7, 11, 16, 19, 26)),
    (113, (1, 8, 11, 18, 25, 31)),
    (114, (6, 12, 18, 23, 30)),
)
SEED_LEVELS: tuple[Fraction, ...] = tuple(whole + Fraction(n, 32) for whole, parts in _SEED_32NDS for n in parts)


@dataclass(frozen=True, slots=True)
class SurvivalPoint:
    """A level of the walk (points) and the risk to hold once price has crossed it ($ per 1/16)."""

    level: Fraction
    risk: Fraction


@dataclass(frozen=True, slots=True)
class SurvivalCurve:
    """The answer for one price and risk. `points` starts at the price (holding R0) and walks towards
    `extreme_level`; it is empty for a flat position."""

    price: Fraction
    risk: Fraction
    extreme_level: Fraction
    sixteenths_to_extreme: Fraction
    points: tuple[SurvivalPoint, ...]


def breakeven(level: Fraction, price: Fraction) -> Fraction:
    """The seed's breakeven at `level` seen from `price`: -3/16 below the price, +3/16 otherwise."""
    return -BREAKEVEN if price > level else BREAKEVEN


def walk(price: Fraction, reach: Fraction, levels: Iterable[Fraction]) -> list[Fraction]:
    """The price, then the levels between it and `reach` (inclusive) in the order price meets them,
    without those closer than 3/16 to the price."""
    low, high = min(price, reach), max(price, reach)
    inside = sorted({lv for lv in levels if low <= lv <= high}, reverse=reach <= price)
    path = inside if inside and inside[0] == price else [price, *inside]
    while len(path) > 1 and abs(path[1] - path[0]) < MIN_FIRST_STEP:
        del path[1]
    return path


def coefficients(path: list[Fraction], price: Fraction) -> list[Fraction]:
    """The running products d0, d0(1 + d1/be1), ... of the walk's steps (one per level after the price)."""
    steps = [b - a for a, b in zip(path, path[1:])]
    if not steps:
        return []
    product = steps[0]
    out = [product]
    for i in range(1, len(steps)):
        product *= 1 + steps[i] / breakeven(path[i], price)
        out.append(product)
    return out


def survival_curve(price: Fraction, risk: Fraction, levels: Iterable[Fraction], *,
                   pnl: Fraction = Fraction(0), stop_loss: Fraction = DEFAULT_STOP_LOSS,
                   nbm_sixteenths: Fraction = DEFAULT_NBM_SIXTEENTHS) -> SurvivalCurve:
    """The survival curve of risk `risk` at `price` (points) through the technical `levels` (points,
    any order), with `pnl` already made in the trade, the `stop_loss` in dollars and the nearest
    break-even margin `nbm_sixteenths` (how far from the price levels are looked at)."""
    price, risk, pnl, stop_loss = Fraction(price), Fraction(risk), Fraction(pnl), Fraction(stop_loss)
    nbm = Fraction(nbm_sixteenths)
    if nbm < 0:
        raise InputError(f"the nearest break-even margin must be 0 or more sixteenths, got {nbm}")
    if risk == 0:
        return SurvivalCurve(price, risk, price, Fraction(0), ())
    reach = price - nbm / 16 if risk > 0 else price + nbm / 16  # long: danger below; short: above
    path = walk(price, reach, levels)
    coeffs = coefficients(path, price)
    room = stop_loss - pnl
    last = next((i for i, c in enumerate(coeffs) if risk * c * 16 <= room), len(coeffs))
    points = [SurvivalPoint(price, risk)]
    points += [SurvivalPoint(path[i], risk * coeffs[i - 1] / breakeven(path[i], price)) for i in range(1, last + 1)]
    extreme = path[last]
    return SurvivalCurve(price, risk, extreme, abs(extreme - price) * 16, tuple(points))


def risk_per_lot(product: Product) -> Fraction:
    """Dollars per 1/16 of a point per lot: the unit of R0 (ZN: $62.50, the seed's constant, =
    `ZN_RISK_PER_LOT`). A position of N lots holds R0 = N x this."""
    return product.tick_value * product.ticks_per_point / 16
