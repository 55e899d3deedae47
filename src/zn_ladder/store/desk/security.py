"""Who sees which accounts on a desk database: PostgreSQL row-level security, not only the window.

A trader's window logs in as the trader's own database role. `secure` (run once by support, as the
owner of the tables) turns row-level security on for every table that names an account, with one
policy each: a row is visible when its account is in `desk_accounts` for `current_user`. A trader's
role therefore sees only its accounts whatever it runs (the app, psql, Excel over ODBC), and cannot
write. The capture runs as the owner (or a role with BYPASSRLS) and sees and writes everything.

`allow` / `revoke` keep `desk_accounts` (support's job, `zn-ladder desk allow`). A trader sees their
own rows of `desk_accounts` only.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from psycopg import sql

#: table -> the condition naming the account of a row (book_lots and corrections through their parent).
_MINE = "account IN (SELECT a.account FROM desk_accounts a WHERE a.login = current_user)"
POLICIES: dict[str, str] = {
    "fills": _MINE,
    "sod_lots": _MINE,
    "books": _MINE,
    "book_lots": "book_id IN (SELECT b.id FROM books b)",  # books' own policy filters the subquery
    "corrections": "ref_key IN (SELECT f.key FROM fills f)",
    # what the window reads besides (issue 15's derived rows): the journal through its book
    "journal": "book_id IN (SELECT b.id FROM books b)",
    "pnl_curve": _MINE,
    "closed_days": _MINE,
    "survival_log": _MINE,
    "quarantine": "false",  # unreadable records, any account's raw text: support only
    "capture_snapshots": f"account = '' OR {_MINE}",
    "desk_accounts": "login = current_user",
}
#: Tables a trader's window reads without a per-account policy: the desk's plumbing, no account data.
PLAIN_READ = ("zn_ladder_store", "cursors", "refdata", "capture_lease", "capture_feeds", "desk_budget")
#: The group role support grants to each trader's login.
TRADER_ROLE = "zn_ladder_trader"


def secure(conn: Any) -> None:
    """Row-level security on, the policies (re)created, and the trader group with read-only grants.
    Idempotent: run again after an upgrade adds a table."""
    with conn.transaction():
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (TRADER_ROLE,)).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(TRADER_ROLE)))
        role = sql.Identifier(TRADER_ROLE)
        for table, condition in POLICIES.items():
            name = sql.Identifier(table)
            policy = sql.Identifier(f"zn_ladder_{table}_by_account")
            conn.execute(sql.SQL("ALTER TABLE {} ENABLE ROW LEVEL SECURITY").format(name))
            conn.execute(sql.SQL("DROP POLICY IF EXISTS {} ON {}").format(policy, name))
            conn.execute(sql.SQL("CREATE POLICY {} ON {} FOR SELECT USING ({})").format(
                policy, name, sql.SQL(condition)))  # a fixed text of this module, never input
            conn.execute(sql.SQL("GRANT SELECT ON {} TO {}").format(name, role))
        for table in PLAIN_READ:
            conn.execute(sql.SQL("GRANT SELECT ON {} TO {}").format(sql.Identifier(table), role))
        conn.execute(sql.SQL("REVOKE ALL ON audit FROM {}").format(role))


def allow(conn: Any, login: str, accounts: Iterable[str]) -> int:
    """Let `login` see `accounts` (added to what it sees); makes the login a trader. Returns rows added."""
    added = 0
    with conn.transaction():
        conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(TRADER_ROLE), sql.Identifier(login)))
        for account in accounts:
            cur = conn.execute("INSERT INTO desk_accounts (login, account) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                               (login, account))
            added += cur.rowcount
    return added


def revoke(conn: Any, login: str, accounts: Iterable[str]) -> int:
    """Stop `login` seeing `accounts`. Returns rows removed."""
    removed = 0
    with conn.transaction():
        for account in accounts:
            removed += conn.execute("DELETE FROM desk_accounts WHERE login = %s AND account = %s",
                                    (login, account)).rowcount
    return removed
