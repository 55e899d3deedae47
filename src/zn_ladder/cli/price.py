"""`zn-ladder price TEXT --product ZN [--json]`: one price in every form, or why it is not one."""

from __future__ import annotations

import argparse

from zn_ladder.cli.output import print_json, print_table

ORDER = 10


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("price", help="print a price in every format (decimal, TT, CME, Pricing Monkey)")
    p.add_argument("text", help="the price, e.g. 110'165, 110-16+, 110-16.5 or 110.515625")
    p.add_argument("--product", default="ZN", help="product symbol (default ZN)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from zn_ladder.domain.instruments import get_product
    from zn_ladder.domain.prices import format_price, parse_price

    product = get_product(args.product)
    price = parse_price(args.text, product, spot=True)
    ticks = price.ticks(product)
    payload = {
        "input": args.text,
        "product": product.symbol,
        "decimal": format_price(price, product, "decimal"),
        "tt": format_price(price, product, "tt"),
        "cme": format_price(price, product, "cme"),
        "pricing_monkey": format_price(price, product, "pricing_monkey"),
        "ticks": int(ticks) if ticks.denominator == 1 else price.tick_floor(product),
        "on_tick": ticks.denominator == 1,
    }
    if args.json:
        print_json(payload)
    else:
        print_table(["form", "value"], [(k, v) for k, v in payload.items() if k != "input"])
    return 0
