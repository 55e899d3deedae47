"""Fill records set aside: what TT sent that could not be read, kept with its raw text.

A record that keeps failing to parse (a field missing or absurd in every answer) must neither stall the
fills for ever nor vanish: it is stored here in the same transaction as the poll's fills and cursor,
shown to the trader (window banner, `doctor`), and asked for again from its time at the next start.
When the same execution later arrives readable, its entry is resolved.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from zn_ladder.store.backend import Connection


@dataclass(frozen=True, slots=True)
class QuarantineEntry:
    name: str
    time_ns: int
    environment: str
    raw: str
    reason: str


def put(conn: Connection, records: Sequence[Any], environment: str, stored_ns: int) -> int:
    """Store `records` (`tt.client.Quarantined`-shaped) once each; returns how many were new."""
    return conn.executemany("INSERT INTO quarantine (name, time_ns, environment, raw, reason, stored_ns) "
                            "VALUES (?,?,?,?,?,?) ON CONFLICT DO NOTHING",
                            [(r.name, r.time_ns, environment, r.raw, r.reason, stored_ns) for r in records]).rowcount


def resolve(conn: Connection, keys: Iterable[str], resolved_ns: int) -> int:
    """Entries whose execution has now been stored readable."""
    keys = list(keys)
    if not keys:
        return 0
    return conn.executemany("UPDATE quarantine SET resolved_ns=? WHERE name=? AND resolved_ns IS NULL",
                            [(resolved_ns, k) for k in keys]).rowcount


def open_entries(conn: Connection, environment: str | None = None) -> list[QuarantineEntry]:
    """What is still set aside (for one environment, or all), oldest first."""
    sql = "SELECT name, time_ns, environment, raw, reason FROM quarantine WHERE resolved_ns IS NULL"
    args: tuple[str, ...] = ()
    if environment is not None:
        sql += " AND environment = ?"
        args = (environment,)
    return [QuarantineEntry(*row) for row in conn.execute(sql + " ORDER BY time_ns, id", args)]
