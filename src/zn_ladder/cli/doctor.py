"""`zn-ladder doctor`: can this PC read TT? One line per check, OK/FAIL; exit 1 if any fails."""

from __future__ import annotations

import argparse

from zn_ladder.cli.output import print_json
from zn_ladder.cli.tt_connection import add_connection_args, open_connection

ORDER = 41


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("doctor", help="check credentials, token, clock, TT endpoints and request budget")
    add_connection_args(p)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from zn_ladder.tt.doctor import run_checks

    with open_connection(args) as conn:
        checks = run_checks(conn)
    if args.json:
        print_json({"ok": all(c.ok for c in checks),
                    "env": conn.env, "base_url": conn.base_url,
                    "checks": [{"name": c.name, "status": c.label, "ok": c.ok, "detail": c.detail,
                                "elapsed_ms": round(c.elapsed_ms, 1)} for c in checks]})
    else:
        for check in checks:
            print(check.line())
    return 0 if all(c.ok for c in checks) else 1
