"""The desk database (issue 16): what a desk's one TT capture and its subscribed windows share beyond
the store's own tables: the capture lease, its heartbeat, the orders/positions snapshot, the desk-wide
TT request count, the change notifications and the per-login account lists; and the capture's local
buffer (`buffer`), a SQLite store it fills while the database cannot be reached.

These are PostgreSQL features (advisory locks, LISTEN/NOTIFY, row-level security), so this package
talks to PostgreSQL through psycopg directly on connections of its own; the fills, books and cursors
go through `Store` as on SQLite.
"""

from __future__ import annotations

from zn_ladder.store.backend import is_postgres


def is_desk_url(location: object) -> bool:
    """Whether a store location names a PostgreSQL desk database (`backend.is_postgres`'s rule)."""
    return is_postgres(location)
