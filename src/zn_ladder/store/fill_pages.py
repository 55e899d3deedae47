"""The fills of a contract read a page at a time, for a table that must not hold the whole day.

A busy day is 100,000+ fills; the window's fills table keeps only the row ids in display order (8
bytes a fill) and reads the rows it shows, a page at a time (`fills_by_id`). The rows are the same as
`fills.live_fills` (busts removed, corrections applied) for the same contract, accounts and market.

The order is a `Fill` field name (`ORDER`), with the row id as the tie-breaker so equal values keep
arrival order and a page never reads differently twice.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator, Sequence

from zn_ladder.domain.records import Fill
from zn_ladder.store.backend import Connection
from zn_ladder.store.fills import _SELECT, _fill
from zn_ladder.store.refdata import named_fill, user_names
from zn_ladder.store.where import Filter, conditions

#: `Fill` field -> its SQL expression (corrections applied, as `live_fills` reads it).
ORDER = {
    "time_ns": "time_ns", "account": "account", "contract": "contract", "side": "side",
    "qty": "coalesce(corr_qty, qty)", "price": "coalesce(corr_price, price)", "order_id": "order_id",
    "exec_id": "CASE WHEN exec_id <> '' THEN exec_id ELSE key END", "source": "source", "key": "key",
}
#: SQLite's default limit on bound parameters is 999 in older builds: read ids in chunks below it.
_CHUNK = 500


def _where(contract: Filter, account: Filter, market: str | None) -> tuple[str, list[str]]:
    where, args = conditions(contract=contract, market=market, account=account)
    return " AND ".join(["busted = 0", *where]), args


def _order(order: str, descending: bool) -> str:
    if order not in ORDER:
        raise ValueError(f"cannot order fills by {order!r} (one of {', '.join(ORDER)})")
    direction = "DESC" if descending else "ASC"
    return f"{ORDER[order]} {direction}, id {direction}"


def fill_ids(conn: Connection, contract: Filter, account: Filter = None, market: str | None = None, *,
             order: str = "time_ns", descending: bool = True) -> array:
    """Every live fill's row id of the contract, in the order asked (an `array('q')`: 8 bytes a fill)."""
    where, args = _where(contract, account, market)
    ids = array("q")
    cursor = conn.execute(f"SELECT id FROM fills WHERE {where} ORDER BY {_order(order, descending)}", args)
    while rows := cursor.fetchmany(4096):
        ids.extend(r[0] for r in rows)
    return ids


def iter_fills(conn: Connection, contract: Filter, account: Filter = None, market: str | None = None, *,
               order: str = "time_ns", descending: bool = True) -> Iterator[tuple[int, Fill]]:
    """(row id, fill) of every live fill of the contract in the order asked, streamed (a filter's scan:
    one fill at a time in memory, never the day's list)."""
    where, args = _where(contract, account, market)
    name = _namer(conn)
    cursor = conn.execute(f"{_SELECT} WHERE {where} ORDER BY {_order(order, descending)}", args)
    while rows := cursor.fetchmany(1024):
        for row in rows:
            yield row[0], name(_fill(row))


def fills_by_id(conn: Connection, ids: Sequence[int]) -> dict[int, Fill]:
    """The live fills of these row ids, by id (a busted one since the ids were read is absent)."""
    out: dict[int, Fill] = {}
    name = _namer(conn)
    ids = list(ids)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        sql = f"{_SELECT} WHERE busted = 0 AND id IN ({','.join('?' * len(chunk))})"
        for row in conn.execute(sql, chunk):
            out[row[0]] = name(_fill(row))
    return out


def newest_fill_ns(conn: Connection, contract: str, account: Filter = None, market: str | None = None) -> int:
    """The time of the newest live fill of the contract (0 when none)."""
    where, args = _where(contract, account, market)
    return conn.execute(f"SELECT coalesce(max(time_ns), 0) FROM fills WHERE {where}", args).fetchone()[0]


def _namer(conn: Connection) -> Callable[[Fill], Fill]:
    """Users by their TT names, as the snapshots show them (`refdata.named_fill`): the table's Trader
    column and its `trader:` filter read the same text whichever way the rows came."""
    names = user_names(conn)
    if not names:
        return lambda fill: fill
    return lambda fill: named_fill(fill, names)
