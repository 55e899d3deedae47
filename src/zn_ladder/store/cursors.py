"""Poll cursors per source, stored as JSON text.

A cursor says where the next poll of a source resumes (for TT fills: the inclusive minTimestamp and
the exec ids seen at that boundary). It is written in the same transaction as the fills it covers, so
after a crash the store never holds a cursor ahead of its fills (a gap) and the fills TT sends again
from an older cursor are recognised as duplicates (no double count).
"""

from __future__ import annotations

import json
import time
from typing import Any
from zn_ladder.store.backend import Connection


def get_cursor(conn: Connection, source: str) -> Any | None:
    row = conn.execute("SELECT value FROM cursors WHERE source=?", (source,)).fetchone()
    return None if row is None else json.loads(row[0])


def put_cursor(conn: Connection, source: str, value: Any) -> None:
    """The caller owns the transaction; `value` must be JSON-serialisable."""
    conn.execute("INSERT INTO cursors (source, value, updated_ns) VALUES (?,?,?) "
                 "ON CONFLICT(source) DO UPDATE SET value=excluded.value, updated_ns=excluded.updated_ns",
                 (source, json.dumps(value, sort_keys=True), time.time_ns()))


def cursor_updated_ns(conn: Connection, source: str) -> int | None:
    """When the cursor was last written (ns), or None when there is none."""
    row = conn.execute("SELECT updated_ns FROM cursors WHERE source=?", (source,)).fetchone()
    return None if row is None else int(row[0])


def delete_cursor(conn: Connection, source: str) -> None:
    """The caller owns the transaction."""
    conn.execute("DELETE FROM cursors WHERE source=?", (source,))


def all_cursors(conn: Connection) -> dict[str, Any]:
    return {s: json.loads(v) for s, v in conn.execute("SELECT source, value FROM cursors ORDER BY source")}
