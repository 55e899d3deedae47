"""The desk capture's local buffer: a SQLite store that holds what the capture took from TT while the
desk database could not be reached, until it is uploaded.

Why a whole store and not a queue file: a store already guarantees what the buffer needs (each poll's
fills committed with their cursor, executions counted once, kill -9 at any instant), and `store copy`
already uploads one store into another idempotently. So the buffer is a store, its upload is a copy,
and a capture killed while buffering, or during the upload, simply uploads again at its next start.

What the upload adds to the copy:
- The fills cursor: the desk's moves to the buffer's when the buffer's is later (the buffer started
  from the desk's last committed cursor, so the desk and the buffer together hold every fill before it).
- The TT requests spent while buffering, added to the desk's count.
- A check that every fill of the buffer is in the desk, before the buffer file is removed.
"""

from __future__ import annotations

import hashlib
import logging
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zn_ladder.domain.errors import StoreError
from zn_ladder.store import cursors
from zn_ladder.store.backend import Connection
from zn_ladder.store.copy import CopyResult, copy_store
from zn_ladder.store.store import Store

log = logging.getLogger(__name__)

#: Where the buffer keeps the requests it spent (per TT budget source and day) until they are uploaded.
PENDING_BUDGET = "desk_budget_pending"
#: The buffer's identity (made when it is created): the desk remembers which buffers it took.
BUFFER_ID = "desk_buffer_id"


def buffer_path(data_dir: Path, desk_url: str, lease_name: str) -> Path:
    """The buffer of one desk database and capture lease: its own file, so a PC that captures for two
    desks (or two app keys) never mixes them. Named by hashes only: no host, login or key in file names."""
    url_hash = hashlib.sha256(desk_url.encode()).hexdigest()[:12]
    return data_dir / "desk-buffer" / f"{url_hash}-{lease_name}.sqlite3"


def seed_cursor(buffer: Store, source: str, cursor: dict[str, Any] | None) -> None:
    """Start the buffer where the desk's capture stopped (the last cursor committed in the desk), unless
    the buffer has a cursor of its own already (an earlier outage or run not uploaded yet)."""
    if cursor is not None and buffer.get_cursor(source) is None:
        buffer.put_cursor(source, cursor)


def add_pending_budget(buffer: Store, budget_source: str, day: str, spent: int) -> None:
    """Count `spent` TT requests of `day` that the desk's count does not hold yet."""
    if spent <= 0:
        return
    pending = buffer.get_cursor(PENDING_BUDGET) or {}
    days = dict(pending.get(budget_source, {}))
    days[day] = int(days.get(day, 0)) + spent
    buffer.put_cursor(PENDING_BUDGET, {**pending, budget_source: days})


@dataclass
class Upload:
    copied: CopyResult
    fills_in_buffer: int
    cursor_moved: bool
    requests_added: int

    def text(self) -> str:
        c = self.copied
        return (f"uploaded the local buffer: {self.fills_in_buffer} fills ({c.fills_added} new to the desk, "
                f"{c.fills_duplicate} it had), {c.corrections_added} corrections, {c.sod_lots_copied} SOD lots, "
                f"{self.requests_added} TT requests counted; cursor {'moved on' if self.cursor_moved else 'kept'}")


def open_buffer(path: Path, **options: Any) -> Store:
    """The buffer store at `path` (created with its folder), with the identity its upload is known by.
    `options`: `Store.open`'s (the desk's trading-day rule)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        store = Store.open(path, **options)
    except StoreError as exc:
        if not path.exists():
            raise
        aside = _set_aside(path)  # unreadable (damaged, not a store): kept for support, never in the way
        log.warning("the local buffer %s could not be opened (%s): moved to %s; a new buffer is used", path, exc, aside)
        store = Store.open(path, **options)
        store.audit("desk_buffer_set_aside", {"file": str(aside), "why": str(exc)})
    if store.get_cursor(BUFFER_ID) is None:
        store.put_cursor(BUFFER_ID, {"id": uuid.uuid4().hex})
    return store


def upload(path: Path, desk_url: str, *, cursor_source: str, who: str) -> Upload:
    """Upload the buffer at `path` into the desk database and remove the file once every fill of it is
    there. Raises `StoreError` (the buffer is kept, to be uploaded again) when anything fails.

    The fills go through `copy_store` (idempotent). The cursor and the request count go in one desk
    transaction with a marker naming this buffer, so an upload repeated after a crash adds nothing twice."""
    copied = copy_store(str(path), desk_url, who=who, verify=False)  # the capture's next open checks the books
    with Store.open(path, readonly=True, verify=False) as buffer:
        keys = {row[0] for row in buffer.conn.execute("SELECT key FROM fills")}
        mine = buffer.get_cursor(cursor_source)
        pending = buffer.get_cursor(PENDING_BUDGET) or {}
        ident = (buffer.get_cursor(BUFFER_ID) or {}).get("id", path.name)
    moved, added = False, 0
    with Store.open(desk_url, verify=False) as desk:
        missing = keys - _held(desk, keys)
        if missing:
            raise StoreError(f"the desk database lacks {len(missing)} fills of the local buffer {path} after the "
                             f"upload; the buffer is kept and will be uploaded again")
        with desk.transaction("take the local buffer's cursor and request count") as conn:
            marker = f"desk_buffer_uploaded:{ident}"
            if cursors.get_cursor(conn, marker) is None:
                moved = _move_cursor(conn, cursor_source, mine)
                added = _add_budget(conn, pending)
                cursors.put_cursor(conn, marker, {"fills": len(keys), "requests": added, "who": who})
    _remove(path)
    return Upload(copied, len(keys), moved, added)


def _held(desk: Store, keys: set[str]) -> set[str]:
    found: set[str] = set()
    ordered = sorted(keys)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start:start + 500]
        marks = ",".join("?" * len(chunk))
        found.update(r[0] for r in desk.conn.execute(f"SELECT key FROM fills WHERE key IN ({marks})", chunk))
    return found


def _move_cursor(conn: Connection, source: str, mine: dict[str, Any] | None) -> bool:
    """The desk's fills cursor becomes the buffer's when that one is later; at the same timestamp the
    records both have delivered are both seen (each is in the desk now)."""
    if not mine:
        return False
    theirs = cursors.get_cursor(conn, source)
    if theirs and theirs.get("min_timestamp", 0) > mine.get("min_timestamp", 0):
        return False
    if theirs and theirs.get("min_timestamp") == mine.get("min_timestamp"):
        seen = sorted({tuple(p) for p in (*theirs.get("seen", []), *mine.get("seen", []))})
        mine = {**mine, "seen": [list(p) for p in seen]}
        if mine == theirs:
            return False
    cursors.put_cursor(conn, source, mine)
    return True


def _add_budget(conn: Connection, pending: dict[str, dict[str, int]]) -> int:
    """Add the buffered requests to the desk's count (`store.desk.budget`'s upsert, in this transaction)."""
    from zn_ladder.store.desk.budget import add_spent

    added = 0
    for source, days in pending.items():
        for day, spent in days.items():
            add_spent(conn.raw, source, day, int(spent))
            added += int(spent)
    return added


def _set_aside(path: Path) -> Path:
    aside = path.with_name(f"{path.name}.unreadable-{time.strftime('%Y%m%d-%H%M%S')}")
    for suffix in ("", "-wal", "-shm", "-journal"):
        part = path.with_name(path.name + suffix)
        if part.exists():
            part.rename(aside.with_name(aside.name + suffix))
    return aside


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        part = path.with_name(path.name + suffix)
        try:
            part.unlink()
        except FileNotFoundError:
            pass
    log.info("desk buffer %s uploaded and removed", path)
