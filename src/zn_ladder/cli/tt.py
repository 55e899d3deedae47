"""`zn-ladder tt orders|fills|positions`: what TT says right now, for support staff. Read-only."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from zn_ladder.cli.arg_types import since_ns
from zn_ladder.cli.inputs import add_user_argument, named_by
from zn_ladder.cli.output import print_json, print_table
from zn_ladder.cli.tt_connection import add_connection_args, open_connection, require_credentials

ORDER = 40


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("tt", help="read working orders, fills or positions from TT (read-only)")
    p.add_argument("what", choices=("orders", "fills", "positions"), help="what to read")
    add_connection_args(p)
    p.add_argument("--since", type=since_ns, metavar="NS",
                   help="fills: only those at or after this time (ns since the epoch); default: all of today's")
    p.add_argument("--account", help="positions: one account id")
    add_user_argument(p)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=run)


def _price(ticks: int | None, contract: str) -> tuple[str, str]:
    """(TT text, exact decimal text) of a price in ticks of the contract's product."""
    if ticks is None:
        return "", ""
    from zn_ladder.domain.instruments import product_of_contract
    from zn_ladder.domain.prices import format_ticks

    product = product_of_contract(contract)
    return format_ticks(ticks, product, "tt"), format_ticks(ticks, product, "decimal")


def _warn(warnings: Any) -> None:
    for warning in warnings:
        print(f"zn-ladder: warning: {warning}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    from zn_ladder.tt.client import TTClient

    with open_connection(args) as conn:
        require_credentials(conn)
        with TTClient(conn) as client:
            if args.what == "orders":
                return _orders(client, args)
            if args.what == "fills":
                return _fills(client, args)
            return _positions(client, args)


def _orders(client: Any, args: argparse.Namespace) -> int:
    result = client.orders()
    _warn(result.warnings)
    rows = []
    for o in sorted(result.orders, key=lambda o: (o.contract, -o.price)):
        tt, dec = _price(o.price, o.contract)
        limit_tt, _ = _price(o.limit_price, o.contract)
        rows.append({"order_id": o.order_id, "account": o.account, "contract": o.contract, "side": o.side.name,
                     "type": o.order_type.value, "price": tt, "price_decimal": dec, "price_ticks": o.price,
                     "limit_price": limit_tt or None, "quantity": o.quantity, "order_qty": o.order_qty,
                     "status": o.status, "time_ns": o.time_ns})
    if args.json:
        print_json({"orders": rows, "warnings": list(result.warnings), "received_ns": result.received_ns})
    else:
        print_table(["order", "account", "contract", "side", "type", "price", "qty"],
                    [(r["order_id"][:8], r["account"], r["contract"], r["side"], r["type"], r["price"],
                      r["quantity"]) for r in rows])
    return 0


def _fills(client: Any, args: argparse.Namespace) -> int:
    from zn_ladder.tt.fills_cursor import FillCursor

    cursor = FillCursor.starting_at(args.since) if args.since is not None else None
    page = client.fills_since(cursor)
    _warn(page.warnings)
    fills = []
    name = _user_names(client, page.fills)
    for f in sorted(page.fills, key=lambda f: f.time_ns):  # stable: TT order within a timestamp
        if not named_by(f.user, name(f.user), args.user):
            continue
        tt, dec = _price(f.price, f.contract)
        fills.append({"key": f.key, "exec_id": f.exec_id, "order_id": f.order_id, "account": f.account,
                      "contract": f.contract, "side": f.side.name, "qty": f.qty, "price": tt, "price_decimal": dec,
                      "price_ticks": f.price, "time_ns": f.time_ns, "cum_qty": f.cum_qty, "user": f.user,
                      "user_name": name(f.user), "originator": f.originator, "originator_name": name(f.originator),
                      "market": f.market, "market_id": f.market_id, "instrument_id": f.instrument_id,
                      "order_status": f.order_status})
    corrections = [{"key": c.key, "ref_key": c.ref_key, "kind": c.kind.value, "time_ns": c.time_ns, "qty": c.qty,
                    "price_ticks": c.price} for c in page.corrections]
    if args.json:
        print_json({"fills": fills, "corrections": corrections, "cursor": page.cursor.to_dict(),
                    "pages": page.pages, "warnings": list(page.warnings)})
    else:
        print_table(["time_ns", "exec_id", "account", "contract", "side", "qty", "price"],
                    [(r["time_ns"], r["key"], r["account"], r["contract"], r["side"], r["qty"], r["price"])
                     for r in fills])
        for c in corrections:
            print(f"{c['kind']}: {c['ref_key']} by {c['key']} (qty {c['qty']}, price ticks {c['price_ticks']})")
        print(f"next: --since {page.cursor.min_timestamp}")
    return 0


def _user_names(client: Any, fills: Any):
    """id -> TT user name for the page's users (the client looked each up once with the page)."""
    def name(user_id: str) -> str:
        if not user_id:
            return ""
        try:
            return client.user(user_id).alias
        except Exception:  # noqa: BLE001 - a user TT cannot name was warned about with the page
            return ""
    return name


def _positions(client: Any, args: argparse.Namespace) -> int:
    positions = client.positions(args.account)
    rows = [{"account": p.account, "contract": p.contract, "instrument_id": p.instrument_id,
             "net_position": p.net_position, "buy_qty": p.buy_qty, "sell_qty": p.sell_qty, "sod_net": p.sod_net,
             "pnl": float(p.pnl) if p.pnl is not None else None,
             "realized_pnl": float(p.realized_pnl) if p.realized_pnl is not None else None}
            for p in sorted(positions, key=lambda p: (p.account, p.contract))]
    if args.json:
        print_json({"positions": rows})
    else:
        print_table(["account", "contract", "net", "bought", "sold", "sod", "pnl"],
                    [(r["account"], r["contract"], r["net_position"], r["buy_qty"], r["sell_qty"], r["sod_net"],
                      "" if r["pnl"] is None else f"{r['pnl']:.2f}") for r in rows])
    return 0
