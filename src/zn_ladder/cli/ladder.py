"""`zn-ladder ladder --orders FILE --spot PRICE --product ZN [--sod FILE] [--fills FILE...] [--account A] [--json]`.

The scenario ladder of DESIGN.md §3.4 without the window: one row per tick from the highest order
(or spot) to the lowest, padded. The base position P0 and P&L B0 at spot come from the SOD lots and
the fills given, for that product (and account); B0 = realized + open lots marked at spot, the same
whichever matching method, so none is asked for.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from zn_ladder.cli.inputs import add_user_argument
from zn_ladder.cli.one_line_errors import one_line_errors
from zn_ladder.cli.output import json_number, print_json, print_table

if TYPE_CHECKING:
    from zn_ladder.domain.instruments import Product
    from zn_ladder.domain.ladder import Ladder

ORDER = 20


def register(sub: argparse._SubParsersAction) -> None:
    p = one_line_errors(sub.add_parser(
        "ladder", help="the scenario ladder for working orders from a TT orders JSON",
        description="Project position, P&L, risk and breakeven at every tick if price walked there from spot and "
                    "the working orders on the way filled."))
    p.add_argument("--orders", required=True, metavar="FILE", help="TT orders JSON (GET /ttledger/orders answer)")
    p.add_argument("--spot", required=True, help="spot price (any form; may lie between ticks)")
    p.add_argument("--product", default="ZN", help="product symbol (default ZN)")
    p.add_argument("--sod", metavar="FILE", help="Actant start-of-day position file")
    p.add_argument("--fills", nargs="+", action="extend", default=[], metavar="FILE",
                   help="today's fill files (fill monitor, Audit Trail, Fills widget, TT fills JSON)")
    p.add_argument("--account", help="only this account's orders, SOD lots and fills")
    p.add_argument("--contract", help='the contract (e.g. "ZN Sep25"; default: the one every order is in)')
    p.add_argument("--market", help="the market (e.g. CME; default: the one the contract's orders and fills are on)")
    add_user_argument(p)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from zn_ladder.cli.inputs import named_by, read_fills, read_orders, read_sod, sod_for
    from zn_ladder.cli.instrument import choose_market, sod_elsewhere
    from zn_ladder.domain.instruments import get_product, product_of_contract
    from zn_ladder.domain.ladder import project_ladder
    from zn_ladder.domain.pnl import ladder_base_from_fills
    from zn_ladder.domain.prices import parse_price

    product = get_product(args.product)
    spot = parse_price(args.spot, product, spot=True)
    # TT's orders name an instrument id only: with --contract they are taken as that contract's.
    orders, warnings = read_orders(args.orders, product, ladder_contract(args.contract, [], product.symbol)
                                   if args.contract else None)
    ours = [o for o in orders if product_of_contract(o.contract) is product]
    sod_lots, sod_warnings = read_sod(args.sod)
    batch = read_fills(args.fills, default_contract=product.symbol) if args.fills else None
    fills = batch.fills if batch else ()
    user = getattr(args, "user", None)
    if user is not None:  # one trader's fills; the SOD is the account's and the orders are not per trader
        fills = tuple(f for f in fills if named_by(f.user, "", user))
        if sod_lots:
            sod_warnings = (*sod_warnings, f"--user {user}: the SOD lots are the account's, not the trader's: "
                                           "left out")
            sod_lots = ()
    contract = ladder_contract(args.contract, ours, product.symbol)
    sod = sod_for(sod_lots, contract, product, args.account)
    market = choose_market(contract, {o.market for o in ours if o.contract == contract}
                           | {f.market for f in fills if f.contract == contract}, args.market,
                           {lot.market for lot in sod})
    mine = [o for o in ours if o.contract == contract and o.market == market
            and (args.account is None or o.account == args.account)]
    sod_warnings = (*sod_warnings, *sod_elsewhere(sod, market))
    sod = [lot for lot in sod if lot.market == market]
    base = ladder_base_from_fills(fills, product, spot, sod=sod, account=args.account, contract=contract,
                                  market=market)
    ladder = project_ladder(product, spot, base.position, base.pnl, mine)
    all_warnings = [*warnings, *sod_warnings, *(batch.warnings if batch else ())]
    other = len(orders) - len(mine)
    if other:
        all_warnings.append(f"{other} orders of other contracts, markets or accounts left out")
    payload = ladder_payload(ladder, product, all_warnings, contract=contract, market=market)
    if args.json:
        print_json(payload)
    else:
        print_text(ladder, product, payload)
    return 0


def ladder_contract(requested: str | None, orders: list, symbol: str) -> str:
    """`--contract` (in its one spelling), else the one contract every order of the product is in."""
    from zn_ladder.domain.errors import InputError
    from zn_ladder.domain.instruments import canonical_contract

    if requested:
        return canonical_contract(requested)
    named = sorted({o.contract for o in orders})
    if len(named) == 1:
        return named[0]
    if not named:
        raise InputError(f"no {symbol} orders in the file: give --contract")
    raise InputError(f"the orders are in {len(named)} contracts ({', '.join(named)}): give --contract")


def ladder_payload(ladder: Ladder, product: Product, warnings: list[str], *, contract: str = "",
                   market: str = "") -> dict[str, Any]:
    """The JSON contract of `zn-ladder ladder` (issue 3 §4): rows high -> low, numbers as numbers."""
    from zn_ladder.cli.pnl import price_text
    from zn_ladder.domain.prices import format_ticks

    return {
        "product": product.symbol,
        "contract": contract,
        "market": market,
        "spot": price_text(ladder.spot, product),
        "rows": [{
            "price": format_ticks(row.price, product, "tt"),
            "buy_qty": row.buy_qty,
            "sell_qty": row.sell_qty,
            "position": row.position,
            "projected_pnl": json_number(row.projected_pnl),
            "risk": json_number(row.risk),
            "breakeven": json_number(row.breakeven),
            "is_spot": row.is_spot,
            "through_spot": list(row.through_spot),
            "at_spot": list(row.at_spot),
        } for row in ladder.rows],
        "warnings": warnings,
    }


def print_text(ladder: Ladder, product: Product, payload: dict[str, Any]) -> None:
    print(f"{product.symbol} ladder, spot {payload['spot']}, base position {ladder.base_position}, "
          f"base P&L {float(ladder.base_pnl):,.2f}")
    rows = []
    for row in payload["rows"]:
        mark = "<- spot" if row["is_spot"] else ""
        if row["through_spot"]:
            mark = (mark + " " if mark else "") + f"through spot: {len(row['through_spot'])} order(s)"
        if row["at_spot"]:
            mark = (mark + " " if mark else "") + f"at spot: {len(row['at_spot'])} order(s), not filled yet"
        rows.append((row["price"], row["buy_qty"] or "", row["sell_qty"] or "", row["position"],
                     f"{row['projected_pnl']:,.2f}", f"{row['risk']:,.2f}", f"{row['breakeven']:.2f}", mark))
    print_table(["price", "buy", "sell", "position", "P&L $", "risk $", "breakeven", ""], rows)
    for line in payload["warnings"]:
        print(f"warning: {line}")
