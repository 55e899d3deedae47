"""One capture per desk: a PostgreSQL session advisory lock per TT app key and environment.

Why an advisory lock and not a row with an expiry: the server releases a session lock the moment the
holder's connection ends (a kill -9 closes the socket at once; a vanished PC is noticed by the
keepalives of `connection.py`), so a standby that keeps trying takes over within its retry period
without any clock comparison between PCs. The lock key is a hash of the environment and the app key
(the secret is never used, and the key itself is never stored or logged: only the hash).

Holding the lock does not make the store safe by itself; it makes the desk spend TT's budget once. Two
captures writing at once (a holder whose lock the server already dropped, still finishing a poll) stay
correct because every poll is one transaction with its cursor and executions have unique keys.
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

from zn_ladder.domain.errors import StoreError
from zn_ladder.store.desk.connection import connect

log = logging.getLogger(__name__)

#: Seconds between a standby's attempts to take the lease: the takeover delay after the holder's
#: connection ends (kill -9 on a reachable PC), far inside the 10 s the desk allows.
RETRY_S = 0.5


def lease_identity(environment: str, app_key: str) -> tuple[int, str]:
    """(advisory lock key, its hex name) for a TT app key in an environment: a SHA-256 of both."""
    digest = hashlib.sha256(f"zn_ladder capture\0{environment}\0{app_key}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True), digest[:8].hex()


def holder_name() -> str:
    """Who holds the lease, for people: the PC's name and the process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


class CaptureLease:
    """The lease of one app key + environment on one desk database, on a connection of its own."""

    def __init__(self, url: str, environment: str, app_key: str, *,
                 connector: Callable[..., Any] = connect) -> None:
        self.url = url
        self.environment = environment
        self.key, self.name = lease_identity(environment, app_key)
        self.holder = holder_name()
        self._connector = connector
        self._conn: Any | None = None
        self.held = False
        #: Why the last attempt could not ask the database (None: it could).
        self.unreachable: str | None = None

    def try_acquire(self) -> bool:
        """One attempt (connecting first if needed). True when this process holds the lease now; a
        database that cannot be reached is a False (try again), never an exception."""
        import psycopg

        try:
            if self._conn is None or self._conn.closed:
                self._conn = self._connector(self.url, purpose=f"capture {self.environment}")
            got = self._conn.execute("SELECT pg_try_advisory_lock(%s)", (self.key,)).fetchone()[0]
        except (psycopg.Error, StoreError) as exc:
            why = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            if why != self.unreachable:  # once per outage, not once per attempt
                log.warning("capture lease: %s", why)
            self.unreachable = why
            self._drop()
            return False
        if self.unreachable is not None:
            log.info("capture lease: the desk database answers again")
        self.unreachable = None
        self.held = bool(got)
        if self.held:
            now = time.time_ns()
            self._conn.execute(
                "INSERT INTO capture_lease (environment, lease_key, holder, started_ns, beat_ns) "
                "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (environment, lease_key) DO UPDATE SET "
                "holder = excluded.holder, started_ns = excluded.started_ns, beat_ns = excluded.beat_ns",
                (self.environment, self.name, self.holder, now, now))
        return self.held

    def wait(self, stop: threading.Event, on_standby: Callable[[str], None] = lambda _: None) -> bool:
        """Try until the lease is ours (True) or `stop` is set (False). `on_standby` is told once, with
        who holds it, when the first attempt finds it taken."""
        told = False
        while not stop.is_set():
            if self.try_acquire():
                return True
            if not told and self.unreachable is None:  # taken (an unreachable database is only logged)
                on_standby(self.current_holder() or "another capture")
                told = True
            stop.wait(RETRY_S)
        return False

    def current_holder(self) -> str | None:
        """The holder the lease row names (None when unknown or unreachable)."""
        import psycopg

        if self._conn is None:
            return None
        try:
            row = self._conn.execute("SELECT holder FROM capture_lease WHERE environment = %s AND lease_key = %s",
                                     (self.environment, self.name)).fetchone()
        except psycopg.Error:
            return None
        return row[0] if row else None

    def still_held(self) -> bool:
        """Whether the lease is still ours: the lock is tied to this connection, so asking the server
        over it proves both (and records the beat). False after the connection broke (the server has
        released, or will release, the lock): the caller must stop capturing and stand by again."""
        import psycopg

        if not self.held or self._conn is None:
            return False
        try:
            row = self._conn.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted AND objsubid = 1"
                " AND ((classid::bigint << 32) | objid::bigint) = %s", (self.key,)).fetchone()
            if row[0]:
                self._conn.execute("UPDATE capture_lease SET beat_ns = %s WHERE environment = %s AND lease_key = %s",
                                   (time.time_ns(), self.environment, self.name))
                return True
        except psycopg.Error as exc:
            log.warning("capture lease lost: %s", exc)
        self._drop()
        return False

    @property
    def connection(self) -> Any:
        """The lease's connection (autocommit), for the heartbeat: a write that fails on it means the
        lease is gone too."""
        if self._conn is None:
            raise StoreError("the capture lease is not held")
        return self._conn

    def release(self) -> None:
        import psycopg

        if self._conn is not None and self.held:
            try:
                self._conn.execute("SELECT pg_advisory_unlock(%s)", (self.key,))
            except psycopg.Error:
                pass  # the connection is gone: so is the lock
        self._drop()

    def _drop(self) -> None:
        self.held = False
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:  # noqa: BLE001 - closing a broken connection may fail; it is gone either way
                pass
        self._conn = None
