"""The capture's heartbeat, its orders/positions snapshot and the change notifications, on the desk.

The capture writes after each poll (on the lease's connection, autocommit): per feed the time of its
last attempt and of its last success, its interval and last error; for orders and positions the latest
snapshot with its time. Then it NOTIFYs `CHANNEL`: PostgreSQL delivers a notification only after the
commit that sent it, and fills are committed by the poll's own transaction before this, so a woken
subscriber always finds what it was told about.

Why a feed's staleness is judged from `last_try_ns` and `interval_ms`, both written by the capture: a
window cannot know the capture's interval, and a capture that stopped (killed, PC off) stops trying,
so "no attempt for two intervals" is STALE whatever the reason, as the issue asks.

Why the database server's clock: the capture and the windows run on different PCs whose clocks may
disagree by seconds, which is as long as a fast feed's interval. Beats are stamped with the server's
time and read with the server's time of the read (`FeedBeat.read_ns`), so an age is one clock's.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

#: The LISTEN/NOTIFY channel of the desk's capture.
CHANNEL = "zn_ladder_capture"
#: Feeds the capture reports on.
FEEDS = ("fills", "orders", "positions")
#: A feed with no attempt for this many of its intervals is stale (the capture is gone or stuck).
STALE_INTERVALS = 2


@dataclass(frozen=True, slots=True)
class FeedBeat:
    """One feed's heartbeat as the capture last wrote it."""

    environment: str
    feed: str
    last_ok_ns: int | None
    last_try_ns: int
    interval_ms: int
    last_error: str
    holder: str
    #: The server's time when this beat was read (0: unknown): ages are measured on the server's clock.
    read_ns: int = 0

    def age_s(self, now_ns: int | None = None) -> float | None:
        """Seconds since the last successful poll (None: never succeeded), at `now_ns` (default: when read)."""
        now_ns = self.read_ns if now_ns is None else now_ns
        return None if self.last_ok_ns is None else max(0.0, (now_ns - self.last_ok_ns) / 1e9)

    def stale(self, now_ns: int | None = None) -> bool:
        """True when the capture has not even tried for `STALE_INTERVALS` intervals, or its last
        success is that old (it tries but fails)."""
        now_ns = self.read_ns if now_ns is None else now_ns
        limit = STALE_INTERVALS * self.interval_ms * 1_000_000
        last_ok = self.last_ok_ns if self.last_ok_ns is not None else -limit - 1
        return now_ns - self.last_try_ns > limit or now_ns - last_ok > limit


def beat(conn: Any, environment: str, feed: str, *, ok: bool, interval_s: float, holder: str,
         error: str = "", at_ns: int | None = None) -> None:
    """Record one poll of `feed` (successful or not), at the server's time unless `at_ns` is given."""
    now = server_now_ns(conn) if at_ns is None else at_ns
    conn.execute(
        "INSERT INTO capture_feeds (environment, feed, last_ok_ns, last_try_ns, interval_ms, last_error, holder) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (environment, feed) DO UPDATE SET "
        "last_ok_ns = coalesce(excluded.last_ok_ns, capture_feeds.last_ok_ns), last_try_ns = excluded.last_try_ns, "
        "interval_ms = excluded.interval_ms, last_error = excluded.last_error, holder = excluded.holder",
        (environment, feed, now if ok else None, now, max(1, round(interval_s * 1000)), "" if ok else error[:500],
         holder))


def put_snapshot(conn: Any, environment: str, kind: str, rows: Iterable[Mapping[str, Any]], taken_ns: int) -> None:
    """Replace the latest `kind` ('orders' or 'positions') snapshot of the environment: one row per
    account (row-level security shows each login its own accounts' rows), in one transaction, so a
    reader never sees half of the old and half of the new."""
    by_account: dict[str, list[Mapping[str, Any]]] = {}
    for row in rows:
        by_account.setdefault(str(row["account"]), []).append(row)
    with conn.transaction():
        conn.execute("DELETE FROM capture_snapshots WHERE environment = %s AND kind = %s", (environment, kind))
        # an account with nothing (no working order) still gets its row: its snapshot's time is known
        for account, items in sorted(by_account.items()):
            conn.execute("INSERT INTO capture_snapshots (environment, kind, account, taken_ns, body) "
                         "VALUES (%s, %s, %s, %s, %s)",
                         (environment, kind, account, taken_ns, json.dumps(items, separators=(",", ":"), sort_keys=True)))
        if not by_account:
            conn.execute("INSERT INTO capture_snapshots (environment, kind, account, taken_ns, body) "
                         "VALUES (%s, %s, '', %s, '[]')", (environment, kind, taken_ns))


def notify(conn: Any, environment: str, feed: str, **detail: Any) -> None:
    """Tell every subscriber that `feed` changed (after the commit that changed it)."""
    payload = json.dumps({"env": environment, "feed": feed, "at_ns": time.time_ns(), **detail},
                         separators=(",", ":"))
    conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, payload))


def server_now_ns(conn: Any) -> int:
    """The database server's clock, in ns since the epoch."""
    return int(conn.execute("SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint").fetchone()[0]) * 1000


def read_beats(conn: Any, environment: str) -> dict[str, FeedBeat]:
    """Every feed's beat of the environment, each with the server's time of this read."""
    now = server_now_ns(conn)
    rows = conn.execute("SELECT environment, feed, last_ok_ns, last_try_ns, interval_ms, last_error, holder "
                        "FROM capture_feeds WHERE environment = %s", (environment,)).fetchall()
    return {r[1]: FeedBeat(*r, read_ns=now) for r in rows}


def read_requests(conn: Any, environment: str) -> tuple[str, int]:
    """(today, the desk's TT requests of today) in `environment`: every capture's count (`desk_budget`,
    one row per app key's lease), on the server's clock's UTC day, as `tt.budget` keys its days."""
    day = conn.execute("SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD')").fetchone()[0]
    used = conn.execute("SELECT coalesce(sum(used), 0) FROM desk_budget WHERE day = %s AND source LIKE %s",
                        (day, f"tt_budget:{environment}:%")).fetchone()[0]
    return day, int(used)


def read_snapshot(conn: Any, environment: str, kind: str) -> tuple[int, list[dict[str, Any]]] | None:
    """(taken_ns, rows) of the latest `kind` snapshot, or None when the capture has written none. Under
    row-level security the rows are those of the login's accounts."""
    found = conn.execute("SELECT taken_ns, body FROM capture_snapshots WHERE environment = %s AND kind = %s "
                         "ORDER BY account", (environment, kind)).fetchall()
    if not found:
        return None
    return max(r[0] for r in found), [item for r in found for item in json.loads(r[1])]
