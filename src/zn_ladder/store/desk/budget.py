"""The desk-wide count of TT requests: every process that spends the app key's allowance adds its
spending to one row per key and UTC day, atomically, and reads back the desk's total.

Why deltas and not the total each process saw: two processes (a capture and, for a moment, its
successor; a doctor run) would otherwise overwrite each other's counts. An upsert that adds is one
statement, atomic on the server, and the same SQL works on SQLite.
"""

from __future__ import annotations

from typing import Any


def add_spent(conn: Any, source: str, day: str, spent: int) -> int:
    """Add `spent` requests to `source`'s count for `day` and return the desk's total for that day."""
    row = conn.execute(
        "INSERT INTO desk_budget (source, day, used) VALUES (%s, %s, %s) ON CONFLICT (source, day) "
        "DO UPDATE SET used = desk_budget.used + excluded.used RETURNING used", (source, day, spent)).fetchone()
    return int(row[0])
