"""A cache of TT reference data (instruments, markets, users) that survives restarts.

TT's request budget is per day; looking an instrument up again after every restart would spend it
for nothing (and a fill must never cost a lookup). Values are the JSON TT returned (or a record's
fields), keyed by kind and id, with the time they were fetched so a caller can refresh old entries.
"""

from __future__ import annotations

import json
import time
from typing import Any
from zn_ladder.store.backend import Connection


def put_refdata(conn: Connection, kind: str, ident: str, value: Any, *, fetched_ns: int | None = None) -> None:
    conn.execute("INSERT INTO refdata (kind, id, value, fetched_ns) VALUES (?,?,?,?) "
                 "ON CONFLICT(kind, id) DO UPDATE SET value=excluded.value, fetched_ns=excluded.fetched_ns",
                 (kind, str(ident), json.dumps(value, sort_keys=True, default=str), fetched_ns or time.time_ns()))


def get_refdata(conn: Connection, kind: str, ident: str, *, max_age_s: float | None = None) -> Any | None:
    """The cached value, or None when absent or older than `max_age_s`."""
    row = conn.execute("SELECT value, fetched_ns FROM refdata WHERE kind=? AND id=?", (kind, str(ident))).fetchone()
    if row is None:
        return None
    if max_age_s is not None and time.time_ns() - row[1] > max_age_s * 1e9:
        return None
    return json.loads(row[0])


def all_refdata(conn: Connection, kind: str) -> dict[str, Any]:
    return {i: json.loads(v) for i, v in conn.execute("SELECT id, value FROM refdata WHERE kind=?", (kind,))}
