"""`zn-ladder reconcile [--db PATH] [--json]`: the store's positions against TT's, per account and contract.

The store's position is SOD plus the session's live fills (busts removed, corrections applied); TT's
is `netPosition` from `ttmonitor/position`. Every difference is listed, written to the audit log, and
makes the exit code 1: a trader must see a difference, never have it hidden. Like `monitor`, this
composes `tt` and `store`, so it lives in the CLI package.
"""

from __future__ import annotations

import argparse
from typing import Any

from zn_ladder.cli.output import print_json, print_table
from zn_ladder.cli.tt_connection import add_connection_args

ORDER = 62


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("reconcile", help="compare the store's positions with TT's; exit 1 on any difference")
    p.add_argument("--db", metavar="PATH|URL", help="the store: a SQLite file or a desk database "
                                                      "postgresql://user@host/db (default: the app's store)")
    p.add_argument("--json", action="store_true", help="print JSON")
    add_connection_args(p)
    p.set_defaults(run=run)


def compare(store_positions: dict[tuple[str, str], int], tt_positions: dict[tuple[str, str], int]
            ) -> list[dict[str, Any]]:
    """One row per account/contract either side knows, with both positions and whether they agree
    (the domain's `compare_positions`, the same comparison the window makes)."""
    from zn_ladder.domain.reconcile import compare_positions

    return [{"account": d.account, "contract": d.contract, "store": d.app, "tt": d.tt, "difference": d.gap,
             "ok": d.agrees}
            for d in compare_positions(store_positions, tt_positions, include_agreeing=True)]


def run(args: argparse.Namespace) -> int:
    from zn_ladder.cli.tt_connection import open_connection, require_credentials
    from zn_ladder.domain.reconcile import net_positions
    from zn_ladder.store import audit
    from zn_ladder.store.snapshot import positions
    from zn_ladder.store.store import Store
    from zn_ladder.tt.client import TTClient

    with Store.open(args.db) as store, open_connection(args) as conn:
        require_credentials(conn)
        with TTClient(conn) as client:
            tt = net_positions(client.positions())
        rows = compare(positions(store.conn), tt)
        differences = [r for r in rows if not r["ok"]]
        for r in differences:
            store.audit(audit.RECONCILIATION_DIFFERENCE, {**r, "tt_base_url": conn.base_url, "env": conn.env})
    if args.json:
        print_json({"positions": rows, "differences": len(differences)})
    else:
        print_table(["account", "contract", "store", "TT", "difference", ""],
                    [(r["account"], r["contract"], r["store"], r["tt"], r["difference"], "" if r["ok"] else "DIFFERS")
                     for r in rows])
        print(f"{len(differences)} difference(s)" if differences else "store and TT agree")
    return 1 if differences else 0
