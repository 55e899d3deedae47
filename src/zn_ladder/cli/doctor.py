"""`zn-ladder doctor`: can this PC read TT? One line per check, OK/FAIL; exit 1 if any fails."""

from __future__ import annotations

import argparse

from zn_ladder.cli.output import print_json
from zn_ladder.cli.tt_connection import add_connection_args, open_connection

ORDER = 41


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("doctor", help="check credentials, token, clock, TT endpoints and request budget")
    add_connection_args(p)
    p.add_argument("--db", metavar="PATH|URL", help="the store whose quarantine to list: a SQLite file or a desk "
                                                      "database postgresql://user@host/db (default: the app's store)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from zn_ladder.store.backend import locate
    from zn_ladder.tt.doctor import run_checks

    if args.db:
        locate(args.db)  # a location this app cannot use is bad input (exit 2), not a failed check
    with open_connection(args) as conn:
        checks = run_checks(conn) + quarantine_checks(args.db, conn.env)
    if args.json:
        print_json({"ok": all(c.ok for c in checks),
                    "env": conn.env, "base_url": conn.base_url,
                    "checks": [{"name": c.name, "status": c.label, "ok": c.ok, "detail": c.detail,
                                "elapsed_ms": round(c.elapsed_ms, 1)} for c in checks]})
    else:
        for check in checks:
            print(check.line())
    return 0 if all(c.ok for c in checks) else 1


def quarantine_checks(path: str | None, env: str) -> list:
    """One FAIL line per fill record of `env` the store set aside as unreadable (see `store.quarantine`);
    nothing when the store does not exist yet. Read-only: the doctor never writes the store."""
    from zn_ladder.domain.errors import StoreError
    from zn_ladder.store.db import open_existing
    from zn_ladder.store.quarantine import open_entries
    from zn_ladder.tt.doctor import Check

    if path is None:
        from zn_ladder.config.paths import default_db_path

        path = str(default_db_path())
    try:
        conn = open_existing(path)
    except StoreError as exc:
        return [Check("store", False, str(exc))]
    if conn is None:
        return []
    try:
        entries = open_entries(conn, env)
    finally:
        conn.close()
    if not entries:
        return [Check("quarantine", True, f"no fill record of {env} set aside")]
    return [Check(f"quarantine {e.name}", False, f"fill record set aside as unreadable ({e.reason}); raw: {e.raw[:160]}")
            for e in entries]
