"""The filters every read takes (contract, market, account...): one way to turn them into SQL.

A value of None means any; a string, that value; a set, any of its values (the window reads the
accounts its TT environment reports, so a store shared by UAT and LIVE runs never mixes them).
"""

from __future__ import annotations

from zn_ladder.store.backend import Connection

Filter = str | frozenset[str] | None


def conditions(**columns: Filter) -> tuple[list[str], list[str]]:
    """(SQL conditions, their arguments) for `column=value` filters, in the order given."""
    where: list[str] = []
    args: list[str] = []
    for column, value in columns.items():
        if value is None:
            continue
        if isinstance(value, str):
            where.append(f"{column} = ?")
            args.append(value)
        else:
            values = sorted(value)
            where.append(f"{column} IN ({','.join('?' * len(values))})" if values else "1 = 0")
            args.extend(values)
    return where, args


def matches(value: str, wanted: Filter) -> bool:
    """The same filter in Python, for rows already read."""
    return wanted is None or (value == wanted if isinstance(wanted, str) else value in wanted)


def single(value: Filter) -> str | None:
    """The one account a filter names (for views that show one), else None."""
    return value if isinstance(value, str) else None




def trader_values(conn: Connection, trader: str | None) -> Filter:
    """The filter for one trader (`--user`, the desk's `CurrentUser == "<trader>"`) over the stored
    `user` column, which holds what each source sent: a name from a file, an id from TT.

    The trader is named by alias (case-insensitive, as TT's screens show it) or by TT user id; the
    result is that text and every user id the cached user lookup names so (None for no filter). Use
    it as `live_fills(conn, ..., user=trader_values(conn, name))`, and `matches(fill.user, it)` on
    rows already read.
    """
    if trader is None:
        return None
    from zn_ladder.store.refdata import user_names

    wanted = trader.strip()
    folded = wanted.casefold()
    names = user_names(conn)
    values = {wanted, *(i for i, name in names.items() if name.casefold() == folded)}
    values |= {name for name in names.values() if name.casefold() == folded}  # as TT spells it
    values |= {name for i, name in names.items() if i == wanted}  # an id given: the name files carry
    values |= {name for name in _stored_names(conn) if name.casefold() == folded}
    return frozenset(values)


def _stored_names(conn: Connection) -> set[str]:
    """The distinct user values stored (a few per desk): a file's "ERIC" matches `--user eric`."""
    return {r[0] for r in conn.execute('SELECT DISTINCT "user" FROM fills')}
