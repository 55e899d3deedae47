"""Ingesting fills: each execution stored exactly once, whatever sent it and however often.

Identity, in order:
1. `key`: TT's exec id, or for sources without one the importer's composite `"{order_id}#{cum_qty}"`
   (the order's cumulative filled quantity after the fill is unique per execution of that order; a
   key of time, price, qty and order would collapse real fills: one order often fills the same qty at
   the same price within the same tenth of a second). The same key again is a duplicate.
2. `(order_id, contract, cum_qty)` when `cum_qty > 0`: the same execution from the TT API (key = exec
   id, cumQty) and from an Audit Trail export (key = composite, ExeQty) or a fill-monitor CSV has the
   same order id, instrument and cumulative quantity, so it is recognised as one (the first arrival is
   kept, with its source). A unique partial index enforces it, so even two processes cannot store it
   twice. The contract is part of it because a calendar spread's two leg fills share the spread
   order's id and cumulative quantity: they are two executions, one on each outright.
If a fill matches a stored one by (order id, cum qty) but its side, qty or price differ, it is not
stored: it is counted as skipped with a warning naming both, and audited (a partial export whose derived cum
qty is off must not double a fill, nor silently drop a real one without saying so).

A batch goes in with one `executemany(INSERT ... ON CONFLICT DO NOTHING)`: ids above the previous maximum are the new
rows, so the common case (all new, or all known) costs no per-row lookups.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from zn_ladder.domain.records import Fill, Side
from zn_ladder.store.where import Filter, conditions
from zn_ladder.store.backend import Connection

_COLUMNS = ("key, account, contract, side, qty, price, time_ns, order_id, exec_id, source, \"user\", cum_qty, stored_ns, "
            "market, instrument_id, environment, checksum, market_id, order_status, originator")
_INSERT = f"INSERT INTO fills ({_COLUMNS}) VALUES ({','.join('?' * len(_COLUMNS.split(',')))}) ON CONFLICT DO NOTHING"
#: The received fields a fill's checksum covers, in order (`checksum`).
CHECKED = "key, account, market, contract, side, qty, price, time_ns, order_id, exec_id, cum_qty"


_CHECKED_FORMAT = "\x1f".join(["%s"] * len(CHECKED.split(",")))


def checksum(*fields: object) -> str:
    """What was received (the `CHECKED` fields, in order), hashed: a changed qty, price, side or time of a
    stored fill is detected on open. One %-format and one digest per row: the check reads every fill."""
    return hashlib.blake2b((_CHECKED_FORMAT % fields).encode("utf-8"), digest_size=8).hexdigest()


@dataclass(slots=True)
class FillInsert:
    """What one batch did: the new rows (id, fill) in arrival order, duplicates, skipped with reasons."""

    added: list[tuple[int, Fill]] = field(default_factory=list)
    duplicate: int = 0
    skipped: int = 0
    warnings: list[str] = field(default_factory=list)
    conflicts: list[dict] = field(default_factory=list)
    #: (key, real time_ns, (account, market, contract)) of stored fills whose time was only a file's row order.
    retimed: list[tuple[str, int, tuple[str, str, str]]] = field(default_factory=list)


def _invalid(fill: Fill) -> str | None:
    if not fill.key:
        return "no execution key"
    if int(fill.side) not in (1, -1):
        return f"side {fill.side!r} is not buy or sell"
    if not isinstance(fill.qty, int) or fill.qty <= 0:
        return f"quantity {fill.qty!r} is not a positive whole number"
    if not isinstance(fill.price, int):
        return f"price {fill.price!r} is not in whole ticks"
    if not fill.account or not fill.contract or not fill.market:
        return "no account, market or contract"
    return None


def _describe(fill: Fill) -> str:
    side = "B" if int(fill.side) > 0 else "S"
    return f"{fill.key} ({side} {fill.qty} @ {fill.price} ticks, order {fill.order_id or '-'} cum {fill.cum_qty})"


def insert_fills(conn: Connection, fills: Sequence[Fill], stored_ns: int, source: str = "",
                 environment: str = "") -> FillInsert:
    """Insert new fills (the caller holds the write transaction); classify the rest. `environment`:
    the TT environment a poll's fills came from (empty for files)."""
    out = FillInsert()
    valid: list[Fill] = []
    for fill in fills:
        reason = _invalid(fill)
        if reason:
            out.skipped += 1
            out.warnings.append(f"fill {fill.key or '?'} skipped: {reason}")
        else:
            valid.append(fill)
    if not valid:
        return out
    before = conn.execute("SELECT coalesce(max(id), 0) FROM fills").fetchone()[0]
    conn.executemany(_INSERT, [
        (f.key, f.account, f.contract, int(f.side), f.qty, f.price, f.time_ns, f.order_id, f.exec_id,
         f.source or source, f.user, f.cum_qty, stored_ns, f.market, f.instrument_id, environment,
         checksum(f.key, f.account, f.market, f.contract, int(f.side), f.qty, f.price, f.time_ns, f.order_id,
                  f.exec_id, f.cum_qty), f.market_id, f.order_status, f.originator) for f in valid])
    new_ids = dict((k, i) for i, k in conn.execute("SELECT id, key FROM fills WHERE id > ?", (before,)))
    if len(new_ids) == len(valid):
        out.added = [(new_ids[f.key], f) for f in valid]
        return out
    first: dict[str, Fill] = {}
    refused: list[Fill] = []
    for fill in valid:
        row_id = new_ids.get(fill.key)
        if row_id is not None and fill.key not in first:
            first[fill.key] = fill
            out.added.append((row_id, fill))
        else:
            refused.append(fill)
    _classify(conn, refused, out)
    return out


#: Sources whose times are real execution times, and exports whose clock is mangled (mm:ss.s), where
#: the store's time is only the file's row order. When an execution stored from the latter arrives
#: again from the former, the stored time is corrected (and its book replayed), so LIFO/FIFO order
#: across sources follows the real clock.
REAL_CLOCK = frozenset({"tt_api", "fill_monitor", "tt_json", "tt_fills"})
ROW_ORDER_CLOCK = frozenset({"audit_trail", "fills_widget"})

_CHUNK = 400  # bound parameters per lookup (SQLite allows 999 on old builds)
_STORED = "key, side, qty, price, corr_qty, corr_price"


def _classify(conn: Connection, refused: list[Fill], out: FillInsert) -> None:
    """Fills the database refused: the same execution (duplicate) or a conflicting one (skipped).

    Looked up in chunks (a re-imported file is all duplicates: 200k single-row queries would dominate).
    """
    by_key: set[str] = set()
    keys = list({f.key for f in refused})
    if conn.dialect == "postgresql":  # one array parameter: one round trip however many keys
        by_key.update(r[0] for r in conn.execute("SELECT key FROM fills WHERE key = ANY(?)", (keys,)))
    for i in range(0, len(keys) if conn.dialect == "sqlite" else 0, _CHUNK):
        chunk = keys[i:i + _CHUNK]  # answered from the key index alone (covering): no table reads
        by_key.update(r[0] for r in conn.execute(
            f"SELECT key FROM fills WHERE key IN ({','.join('?' * len(chunk))})", chunk))
    by_execution: dict[tuple[str, str, int], tuple] = {}
    # The partial index's own terms must be in the query for SQLite to use it (else a table scan).
    sql = (f"SELECT {_STORED}, source, time_ns, account, market, contract FROM fills "
           f"WHERE order_id = ? AND contract = ? AND cum_qty = ? AND cum_qty > 0 AND order_id <> ''")
    for ident in {(f.order_id, f.contract, f.cum_qty) for f in refused
                  if f.key not in by_key and f.cum_qty > 0 and f.order_id}:
        row = conn.execute(sql, ident).fetchone()
        if row is not None:
            by_execution[ident] = row
    for fill in refused:
        if fill.key in by_key:
            out.duplicate += 1  # the same exec key is the same execution (a change comes as a correction)
        else:
            _judge(fill, by_execution.get((fill.order_id, fill.contract, fill.cum_qty)), out)


def _judge(fill: Fill, row: tuple | None, out: FillInsert) -> None:
    """The same execution from another source: a duplicate if its figures agree, else a conflict."""
    how = "order id, contract and cumulative qty"
    if row is None:  # cannot happen: the insert was refused by a uniqueness rule
        out.skipped += 1
        out.warnings.append(f"fill {_describe(fill)} skipped: refused by the store")
        return
    key, side, qty, price, corr_qty, corr_price, source, time_ns, account, market, contract = row
    as_stored = {(qty, price), (qty if corr_qty is None else corr_qty, price if corr_price is None else corr_price)}
    if side == int(fill.side) and (fill.qty, fill.price) in as_stored:
        out.duplicate += 1
        if source in ROW_ORDER_CLOCK and fill.source in REAL_CLOCK and fill.time_ns != time_ns:
            out.retimed.append((key, fill.time_ns, (account, market, contract)))
        return
    out.skipped += 1
    out.warnings.append(f"fill {_describe(fill)} not stored: same execution ({how}) as stored fill {key} "
                        f"({'B' if side > 0 else 'S'} {qty} @ {price} ticks) but different side, qty or price")
    out.conflicts.append({"fill": fill.key, "stored": key, "matched_by": how, "side": int(fill.side),
                          "qty": fill.qty, "price": fill.price})


_SELECT = ("SELECT id, key, account, contract, side, coalesce(corr_qty, qty), coalesce(corr_price, price), time_ns, "
           "order_id, exec_id, source, \"user\", cum_qty, market, instrument_id, market_id, order_status, originator "
           "FROM fills")


def _fill(row: tuple) -> Fill:
    (_, key, account, contract, side, qty, price, time_ns, order_id, exec_id, source, user, cum_qty, market, inst,
     market_id, status, originator) = row
    return Fill(key, account, contract, Side(side), qty, price, time_ns, order_id, exec_id, source, user, cum_qty,
                market, inst, market_id, status, originator)


def live_fills(conn: Connection, contract: str | None = None, account: Filter = None,
               since_ns: int = 0, *, market: str | None = None, until_ns: int | None = None,
               user: Filter = None) -> list[Fill]:
    """Fills as they stand (busts removed, corrections applied), in (time, arrival) order, timed from
    `since_ns` on and before `until_ns` (a trading day's [start, end)). `user`: the stored user values
    of one trader (`where.trader_values`: the name and the ids TT gives it)."""
    where, args = conditions(contract=contract, market=market, account=account, **{'"user"': user})
    bounds = ["time_ns >= ?"] if until_ns is None else ["time_ns >= ?", "time_ns < ?"]
    sql = f"{_SELECT} WHERE {' AND '.join(['busted = 0', *bounds, *where])} ORDER BY time_ns, id"
    args = [since_ns, *([] if until_ns is None else [until_ns]), *args]
    return [_fill(r) for r in conn.execute(sql, args)]


def changed_fills(conn: Connection, since_ns: int = 0) -> list[str]:
    """Describe every stored fill from `since_ns` on whose fields no longer match the checksum taken when it
    arrived (rows of an older file that have none are given theirs now; the caller holds the write
    transaction)."""
    changed = []
    unsummed = []
    rows = conn.execute(f"SELECT id, checksum, {CHECKED} FROM fills WHERE time_ns >= ?", (since_ns,))
    for row_id, stored, *fields in rows:
        if not stored:
            unsummed.append((checksum(*fields), row_id))
        elif stored != checksum(*fields):
            key, account, market, contract, side, qty, price, time_ns = fields[:8]
            changed.append(f"fill {key} ({account} {market} {contract}: {'B' if side > 0 else 'S'} {qty} @ {price} "
                           f"ticks, time {time_ns})")
    if unsummed:
        conn.executemany("UPDATE fills SET checksum=? WHERE id=?", unsummed)
    return changed


def time_of(conn: Connection, key: str) -> int | None:
    """The stored time of fill `key` (None when there is no such fill)."""
    row = conn.execute("SELECT time_ns FROM fills WHERE key=?", (key,)).fetchone()
    return None if row is None else row[0]


def retime(conn: Connection, key: str, time_ns: int) -> None:
    """Give a stored fill its real execution time (it had only a file's row order), checksum included."""
    conn.execute("UPDATE fills SET time_ns=? WHERE key=?", (time_ns, key))
    row = conn.execute(f"SELECT {CHECKED} FROM fills WHERE key=?", (key,)).fetchone()
    if row is not None:
        conn.execute("UPDATE fills SET checksum=? WHERE key=?", (checksum(*row), key))


def environment_accounts(conn: Connection, environment: str) -> frozenset[str]:
    """The accounts whose fills came from TT's `environment`: one scan when a window opens, on the
    writer's thread (an index would cost every insert of the day to save that one read)."""
    return frozenset(r[0] for r in conn.execute("SELECT DISTINCT account FROM fills WHERE environment = ?",
                                                (environment,)))


def fill_count(conn: Connection) -> int:
    return conn.execute("SELECT count(*) FROM fills").fetchone()[0]
