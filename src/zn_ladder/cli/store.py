"""`zn-ladder store copy --from sqlite:PATH --to postgresql://...`: a PC's store into the desk database.

Idempotent: run it again, or from another PC whose store holds some of the same executions, and each
fill still counts once (the target's own identity rules decide). What is and is not copied, and why:
`store.copy`. The source is only read.
"""

from __future__ import annotations

import argparse

from zn_ladder.cli.output import print_json, print_table

ORDER = 56


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("store", help="store maintenance: copy a PC's store into the desk database")
    actions = p.add_subparsers(dest="store_action", metavar="ACTION", required=True)
    a = actions.add_parser("copy", help="copy fills, corrections, SOD, audit log and instrument names from one "
                                        "store into another (idempotent: fills already there count once)")
    a.add_argument("--from", dest="source", required=True, metavar="PATH|URL",
                   help="the store to read (never changed), e.g. sqlite:C:/Users/me/zn_ladder.sqlite3")
    a.add_argument("--to", dest="target", required=True, metavar="PATH|URL",
                   help="the store to write, e.g. postgresql://desk@dbhost/zn_desk (created or upgraded if needed)")
    a.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from zn_ladder.domain.errors import StoreError
    from zn_ladder.store.backend import locate
    from zn_ladder.store.copy import copy_store

    source, target = locate(args.source), locate(args.target)  # both refused before anything is opened
    if not source.exists():
        raise StoreError(f"no store at {source}: nothing to copy")
    result = copy_store(source, target)
    if args.json:
        print_json({"from": str(source), "to": str(target), **result.as_dict()})
        return 0
    print_table(["what", "copied", "already there"], [
        ("fills", result.fills_added, result.fills_duplicate),
        ("busts/corrections", result.corrections_added, result.corrections_duplicate),
        ("SOD lots", result.sod_lots_copied, f"{result.sod_days_kept} day(s) kept"),
        ("audit entries", result.audit_copied, ""),
        ("instrument names", result.refdata_copied, ""),
        ("set-aside records", result.quarantine_copied, ""),
    ])
    for line in result.warnings[:20]:
        print(f"warning: {line}")
    if result.fills_skipped:
        print(f"{result.fills_skipped} fill(s) not copied (see the warnings)")
    print(f"books verified against a recompute: {result.books_verified}, differences repaired: "
          f"{result.book_differences}")
    print(f"copied {source} -> {target}")
    return 0
