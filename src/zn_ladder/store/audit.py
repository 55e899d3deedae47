"""The audit log: who did what to the trader's numbers, and when.

Written in the same transaction as the change it describes (an import, a correction applied, a
repaired matching state, a settings or environment change, a reconciliation difference), so the log
never claims a change that did not happen, nor misses one that did. Details are JSON text; never put a
secret (key, token) in one.
"""

from __future__ import annotations

import getpass
import json
import socket
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from zn_ladder.store.backend import Connection

#: Event names used by the app (free text is allowed; these are what the code writes).
IMPORT = "import"
SOD_IMPORT = "sod_import"
CORRECTION_APPLIED = "correction_applied"
FILL_CONFLICT = "fill_conflict"
MATCHING_REPAIRED = "matching_repaired"
SETTINGS_CHANGED = "settings_changed"
ENVIRONMENT_CHANGED = "environment_changed"
RECONCILIATION_DIFFERENCE = "reconciliation_difference"
ALERT_FIRED = "alert_fired"
ALERT_ACKNOWLEDGED = "alert_acknowledged"


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    time_ns: int
    who: str
    event: str
    detail: dict[str, Any]


def default_who() -> str:
    """`user@host` of this process: who changed something, for the support engineer reading the log."""
    try:
        user = getpass.getuser()
    except (OSError, KeyError):  # no login name (service account, container)
        user = "unknown"
    return f"{user}@{socket.gethostname()}"


def record(conn: Connection, event: str, detail: Mapping[str, Any] | None = None,
           who: str | None = None, *, time_ns: int | None = None) -> None:
    """Append one entry; the caller owns the transaction (the entry commits with the change)."""
    conn.execute("INSERT INTO audit (time_ns, who, event, detail) VALUES (?,?,?,?)",
                 (time_ns or time.time_ns(), who or default_who(), event,
                  json.dumps(dict(detail or {}), sort_keys=True, default=str)))


def entries(conn: Connection, event: str | None = None, limit: int = 1000) -> list[AuditEntry]:
    """Newest first."""
    sql = "SELECT id, time_ns, who, event, detail FROM audit"
    args: tuple = ()
    if event:
        sql += " WHERE event=?"
        args = (event,)
    sql += " ORDER BY id DESC LIMIT ?"
    return [AuditEntry(i, t, w, e, json.loads(d)) for i, t, w, e, d in conn.execute(sql, (*args, limit))]


def audit(event: str, detail: Mapping[str, Any] | None = None, who: str | None = None, *,
          db_path: Any = None) -> None:
    """Record one event in the store at `db_path` (default: the user's store), in its own transaction.

    For callers that do not own a `Store` (the settings dialog through its worker, support commands);
    the app's writer thread uses `Store.audit` instead.
    """
    from zn_ladder.store import db

    if db_path is None:
        from zn_ladder.config.paths import default_db_path

        db_path = default_db_path()
    path = db.locate(db_path)
    conn = db.connect(path)
    try:
        with db.write_transaction(conn, path, "write the audit log"):
            record(conn, event, detail, who)
    finally:
        conn.close()
