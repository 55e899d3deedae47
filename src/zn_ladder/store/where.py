"""The filters every read takes (contract, market, account...): one way to turn them into SQL.

A value of None means any; a string, that value; a set, any of its values (the window reads the
accounts its TT environment reports, so a store shared by UAT and LIVE runs never mixes them).
"""

from __future__ import annotations


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


