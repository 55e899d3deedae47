"""`zn-ladder desk secure|allow|revoke --db postgresql://...`: who sees which accounts on a desk database.

Support runs these as the owner of the desk's tables (the login that created them, usually the one the
capture uses). `secure` turns PostgreSQL row-level security on (`store.desk.security`); `allow` lets a
trader's database login see accounts; `revoke` takes them away. The database enforces it, so a
trader's login sees only its accounts whatever tool it connects with.
"""

from __future__ import annotations

import argparse

ORDER = 63


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("desk", help="per-user accounts on a desk database (PostgreSQL row-level security)",
                       description="Run as the owner of the desk database's tables.")
    actions = p.add_subparsers(dest="action", required=True)
    secure = actions.add_parser("secure", help="turn row-level security on (once; again after an upgrade)")
    secure.add_argument("--db", required=True, metavar="URL", help="the desk database, postgresql://user@host/db")
    secure.set_defaults(run=run)
    for name, text in (("allow", "let a login see accounts"), ("revoke", "stop a login seeing accounts")):
        q = actions.add_parser(name, help=text)
        q.add_argument("--db", required=True, metavar="URL", help="the desk database, postgresql://user@host/db")
        q.add_argument("--login", required=True, help="the trader's database login (role)")
        q.add_argument("--account", required=True, action="append", metavar="ACCOUNT",
                       help="a TT account id; repeat for several")
        q.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import psycopg

    from zn_ladder.domain.errors import InputError, StoreError
    from zn_ladder.store.desk import is_desk_url
    from zn_ladder.store.desk.connection import connect
    from zn_ladder.store.desk.security import allow, revoke, secure
    from zn_ladder.store.store import Store

    if not is_desk_url(args.db):
        raise InputError(f"--db {args.db!r}: desk commands need a postgresql://user@host/database URL")
    accounts = [a.strip() for a in getattr(args, "account", None) or []]
    if any(not a for a in accounts):
        raise InputError("--account: an empty account id")
    Store.open(args.db, verify=False).close()  # the tables exist (and are this version's)
    conn = connect(args.db, purpose="desk admin")
    try:
        if args.action == "secure":
            secure(conn)
            print("row-level security is on: each login sees the accounts `zn-ladder desk allow` gave it")
        elif args.action == "allow":
            added = allow(conn, args.login, accounts)
            print(f"{args.login} may see {', '.join(accounts)} ({added} new)")
        else:
            removed = revoke(conn, args.login, accounts)
            print(f"{args.login} no longer sees {', '.join(accounts)} ({removed} removed)")
    except psycopg.Error as exc:
        raise StoreError(f"desk {args.action} failed: {str(exc).strip().splitlines()[0]}") from None
    finally:
        conn.close()
    return 0
