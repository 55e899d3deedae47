"""`zn-ladder survival --price P --risk R0 [--pnl X] [--stop-loss L] [--nbm N] [--levels FILE] [--product ZN] [--json]`.

The old desk script's survival curve (issue 15 §5, `domain/survival.py`) for one price and risk: the
risk to hold after each technical level, the farthest level the stop loss allows and how far it is.
The levels, the stop loss and the margin default to the settings (`survival.*`), so the command gives
what the desk's configuration gives; the flags override them for a what-if.
"""

from __future__ import annotations

import argparse
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zn_ladder.cli.one_line_errors import one_line_errors
from zn_ladder.cli.output import json_number, print_json, print_table

if TYPE_CHECKING:
    from zn_ladder.domain.instruments import Product
    from zn_ladder.domain.survival import SurvivalCurve

ORDER = 25


def register(sub: argparse._SubParsersAction) -> None:
    p = one_line_errors(sub.add_parser(
        "survival", help="the survival curve: the risk to hold after each technical level before the stop loss",
        description="Walking against the position through the technical levels near the price: the risk to hold "
                    "after each level so that the stop loss is reached no earlier than the farthest survivable "
                    "level, and how far (in sixteenths of a point) that level is."))
    p.add_argument("--price", required=True, help="current price (any form; may lie between ticks)")
    p.add_argument("--risk", required=True, metavar="R0",
                   help="current risk in dollars per 1/16 of a point, positive long (ZN: lots x 62.5)")
    p.add_argument("--pnl", default="0", metavar="X", help="P&L already made in the trade, dollars (default 0)")
    p.add_argument("--stop-loss", metavar="L", help="P&L at which the trade is given up, dollars "
                                                    "(default: the settings' survival.stop_loss, -100000)")
    p.add_argument("--nbm", metavar="N", help="nearest break-even margin: how far levels are looked at, in "
                                              "sixteenths of a point (default: survival.nbm_sixteenths, 25)")
    p.add_argument("--levels", metavar="FILE", help="technical levels, prices separated by commas, spaces or lines "
                                                    "(# starts a comment); default: the settings' survival.levels")
    p.add_argument("--product", default="ZN", help="product symbol (default ZN)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from zn_ladder.domain.errors import InputError
    from zn_ladder.domain.instruments import get_product
    from zn_ladder.domain.prices import parse_price
    from zn_ladder.domain.survival import survival_curve

    product = get_product(args.product)
    try:
        price = parse_price(args.price, product, spot=True).value
    except InputError as exc:
        raise InputError(f"--price: {exc}") from None
    risk = _number(args.risk, "--risk")
    pnl = _number(args.pnl, "--pnl")
    stop_loss = _number(args.stop_loss, "--stop-loss") if args.stop_loss is not None else None
    nbm = _number(args.nbm, "--nbm") if args.nbm is not None else None
    if nbm is not None and nbm < 0:
        raise InputError(f"--nbm {args.nbm}: expected 0 or more sixteenths of a point")
    levels = read_levels(args.levels, product) if args.levels else None
    if None in (stop_loss, nbm, levels):
        desk = _settings()
        stop_loss = desk.stop_loss if stop_loss is None else stop_loss
        nbm = Fraction(desk.nbm_sixteenths) if nbm is None else nbm
        levels = desk.levels if levels is None else levels
    curve = survival_curve(price, risk, levels, pnl=pnl, stop_loss=stop_loss, nbm_sixteenths=nbm)
    if args.json:
        print_json(curve_payload(curve, product))
    else:
        _print_table(curve, product)
    return 0


def _settings() -> Any:
    from zn_ladder.config.settings_file import load_settings

    return load_settings().settings.survival


def _number(text: str, flag: str) -> Fraction:
    """An exact number typed on the command line (decimal, e.g. -312.5)."""
    from zn_ladder.domain.errors import InputError

    try:
        return Fraction(text.strip().replace(",", "").replace("_", ""))
    except (ValueError, ZeroDivisionError):
        raise InputError(f"{flag} {text!r} is not a number; expected e.g. 625 or -312.5") from None


def read_levels(path: str, product: Product) -> list[Fraction]:
    """The prices in a levels file; `InputError` naming the file, line and text of a bad one."""
    import re

    from zn_ladder.domain.errors import InputError
    from zn_ladder.domain.prices import parse_price

    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise InputError(f"--levels {path}: cannot read it ({reason})") from None
    levels: list[Fraction] = []
    for number, line in enumerate(text.splitlines(), start=1):
        for item in re.split(r"[,;\s]+", line.split("#", 1)[0]):
            if not item:
                continue
            try:
                levels.append(parse_price(item, product, spot=True).value)
            except InputError as exc:
                raise InputError(f"--levels {path} line {number}: {exc}") from None
    return levels


def curve_payload(curve: SurvivalCurve, product: Product) -> dict[str, Any]:
    from zn_ladder.domain.prices import decimal_text, format_price

    return {
        "price": decimal_text(curve.price),
        "risk": json_number(curve.risk),
        "extreme_level": decimal_text(curve.extreme_level),
        "ticks_to_extreme": json_number(curve.sixteenths_to_extreme),
        "curve": [{"level": decimal_text(pt.level), "tt": format_price(pt.level, product, "tt"),
                   "risk": json_number(pt.risk)} for pt in curve.points],
    }


def _print_table(curve: SurvivalCurve, product: Product) -> None:
    from zn_ladder.domain.prices import decimal_text, format_price

    def money(value: Fraction) -> str:
        return f"{float(value):,.2f}"

    print(f"price {format_price(curve.price, product, 'tt')} ({decimal_text(curve.price)}), "
          f"risk {money(curve.risk)} $ per 1/16")
    if not curve.points:
        print("flat: no survival curve")
        return
    print(f"extreme level {format_price(curve.extreme_level, product, 'tt')} "
          f"({decimal_text(curve.extreme_level)}), {decimal_text(curve.sixteenths_to_extreme)} sixteenths away")
    print_table(["level", "decimal", "risk after it"],
                [(format_price(pt.level, product, "tt"), decimal_text(pt.level), money(pt.risk))
                 for pt in curve.points])
