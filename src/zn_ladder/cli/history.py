"""`zn-ladder history [--db PATH] [--account A] [--contract C] [--market M] [--day D] [--json] [--rebuild]`.

The desk's history of closed trading days (issue 15 §2), one row per account's book and day: realized
P&L by LIFO and by FIFO, the position at the close, the mark the close was valued at (and where it came
from: the window's P&L curve, or the day's last fill), the open lots' P&L there, fills and volume.
Days are the settings' `trading_day.close` rule. The command first closes any day that ended and has
no row yet (the store does so itself as fills arrive; a store written by an import alone may be
behind), so it opens the store for writing; `--rebuild` computes every row again from the fills
(after changing the rule, say) and audits it. A table for the terminal, or `--json`:

    {"trading_day_close": "16:00 America/Chicago",
     "days": [{"day": "2026-03-09", "account": "A1", "market": "CME", "contract": "ZN Jun26",
               "realized_lifo": 31.25, "realized_fifo": 15.625, "position": 2, "mark": "110.5",
               "mark_source": "curve", "unrealized_lifo": 62.5, "unrealized_fifo": 78.125,
               "fills": 7, "volume": 12}, ...]}

Money is dollars as JSON numbers, the mark a decimal price in points (exact), oldest day first.
"""

from __future__ import annotations

import argparse
from typing import Any

from zn_ladder.cli.arg_types import desk_day_rule, trading_day_arg
from zn_ladder.cli.one_line_errors import one_line_errors
from zn_ladder.cli.output import dollars_text, json_number, print_json, print_table

ORDER = 32


def register(sub: argparse._SubParsersAction) -> None:
    p = one_line_errors(sub.add_parser(
        "history", help="closed trading days per account and contract: realized LIFO/FIFO, close, fills",
        description="The history of closed trading days in the store, one row per account's book and day."))
    p.add_argument("--db", metavar="PATH", help="the store (default: the app's store in the user data folder)")
    p.add_argument("--account", help="only this account")
    p.add_argument("--contract", help='only this contract (e.g. "ZN Sep25")')
    p.add_argument("--market", help="only this market (e.g. CME)")
    p.add_argument("--day", type=trading_day_arg, metavar="YYYY-MM-DD", help="only this trading day")
    p.add_argument("--rebuild", action="store_true", help="compute every closed day again from the fills")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from zn_ladder.domain.instruments import canonical_contract, canonical_market
    from zn_ladder.store.store import Store

    contract = canonical_contract(args.contract) if args.contract else None
    market = canonical_market(args.market) if args.market else None
    rule = desk_day_rule()
    path = args.db
    if path is None:
        from zn_ladder.config.paths import default_db_path

        path = default_db_path()
    with Store.open(path, day_rule=rule) as store:  # it writes closed days: rows and books checked first
        store.close_days(rebuild=args.rebuild)
        rows = store.closed_days(args.account, contract, market, args.day)
    payload = {"trading_day_close": str(rule), "days": [day_json(d) for d in rows]}
    if args.json:
        print_json(payload)
    else:
        print_text(payload)
    return 0


def day_json(d: Any) -> dict[str, Any]:
    from zn_ladder.domain.prices import decimal_text

    return {"day": d.day.isoformat(), "account": d.account, "market": d.market, "contract": d.contract,
            "realized_lifo": json_number(d.realized("lifo")), "realized_fifo": json_number(d.realized("fifo")),
            "position": d.position, "mark": decimal_text(d.mark), "mark_source": d.mark_source,
            "unrealized_lifo": json_number(d.unrealized_lifo), "unrealized_fifo": json_number(d.unrealized_fifo),
            "fills": d.fills, "volume": d.volume}


def print_text(payload: dict[str, Any]) -> None:
    from fractions import Fraction

    days = payload["days"]
    if not days:
        print(f"no closed trading day in the store (days close at {payload['trading_day_close']})")
        return
    print_table(("day", "account", "market", "contract", "realized LIFO", "realized FIFO", "position", "mark",
                 "mark from", "fills", "volume"),
                [(d["day"], d["account"], d["market"], d["contract"], dollars_text(Fraction(d["realized_lifo"])),
                  dollars_text(Fraction(d["realized_fifo"])), d["position"], d["mark"], d["mark_source"], d["fills"],
                  d["volume"]) for d in days])
    print(f"days close at {payload['trading_day_close']}")
