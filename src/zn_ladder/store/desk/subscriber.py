"""A window's side of the desk: follow the capture without polling TT.

`CaptureSubscriber` runs one thread with its own connection that LISTENs on the capture's channel.
A notification (sent by the capture after its poll committed) wakes it at once and it calls
`on_change` with what changed; between notifications it reads the capture's heartbeat every
`beat_s` and calls `on_beats`, so a window's per-feed ages come from the capture, and a capture that
died (no notification, no beat) shows STALE after `heartbeat.STALE_INTERVALS` of its intervals.

Why a thread of its own and not the GUI's: waiting for a notification blocks, and the GUI thread must
never touch the network. Callbacks run on this thread; a window turns them into Qt signals.
If the database goes away the subscriber says so (`on_error`) and reconnects every `RETRY_S`; the
window keeps its last data, which the beats it no longer gets turn STALE.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from zn_ladder.store.desk.connection import connect
from zn_ladder.store.desk.heartbeat import CHANNEL, FeedBeat, read_beats, read_requests, read_snapshot

log = logging.getLogger(__name__)

#: Seconds between reconnection attempts after the desk database went away.
RETRY_S = 1.0
#: Feeds whose notification comes with the capture's snapshot.
SNAPSHOTS = ("orders", "positions")


@dataclass(frozen=True, slots=True)
class Change:
    """One notification from the capture: `feed` changed ("fills", "orders", "positions")."""

    feed: str
    environment: str
    sent_ns: int
    received_ns: int
    detail: dict[str, Any] = field(default_factory=dict)
    #: For "orders" and "positions": the capture's latest snapshot (taken_ns, rows), read at once by
    #: the subscriber's thread, so the window's threads never wait on the database for it.
    snapshot: tuple[int, list[dict[str, Any]]] | None = None


def _ignore(*_: Any) -> None:
    return None


class CaptureSubscriber:
    """Follows the capture of one environment on a desk database (see the module docstring)."""

    def __init__(self, url: str, environment: str, *, on_change: Callable[[Change], None] = _ignore,
                 on_beats: Callable[[dict[str, FeedBeat]], None] = _ignore,
                 on_error: Callable[[str], None] = _ignore, beat_s: float = 1.0,
                 on_requests: Callable[[str, int], None] = _ignore,
                 connector: Callable[..., Any] = connect) -> None:
        self.url = url
        self.environment = environment
        self._on_change, self._on_beats, self._on_error = on_change, on_beats, on_error
        #: Told (day, the desk's TT requests of that day) with each heartbeat read.
        self._on_requests = on_requests
        self.beat_s = beat_s
        self._connector = connector
        self._stop = threading.Event()
        self._listening = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"desk-subscriber-{environment}", daemon=True)
        self._conn: Any | None = None

    def start(self) -> CaptureSubscriber:
        self._thread.start()
        return self

    def wait_listening(self, timeout: float | None = None) -> bool:
        """True once LISTEN is in place (a notification sent after this is received)."""
        return self._listening.wait(timeout)

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def __enter__(self) -> CaptureSubscriber:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _run(self) -> None:
        import psycopg

        from zn_ladder.domain.errors import StoreError

        while not self._stop.is_set():
            try:
                self._conn = self._connector(self.url, purpose=f"window {self.environment}")
                try:
                    self._listen(self._conn)
                finally:
                    self._listening.clear()
                    self._conn.close()
            except (psycopg.Error, StoreError) as exc:
                log.warning("desk subscriber: %s", exc)
                self._on_error(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__)
                self._stop.wait(RETRY_S)

    def _listen(self, conn: Any) -> None:
        pending: list[str] = []  # notifications psycopg took in while running our reads land here too
        conn.add_notify_handler(lambda note: pending.append(note.payload))
        conn.execute(f"LISTEN {CHANNEL}")
        self._listening.set()
        self._beats(conn)
        for kind in SNAPSHOTS:  # what the capture holds now: a window opened mid-session starts from it
            self._on_change(Change(kind, self.environment, 0, time.time_ns(),
                                   snapshot=read_snapshot(conn, self.environment, kind)))
        next_beat = time.monotonic() + self.beat_s
        while not self._stop.is_set():
            if not pending:
                self._wait(conn, min(max(0.0, next_beat - time.monotonic()), 0.25), pending)
            notes, pending[:] = list(pending), []
            for payload in notes:
                change = self._change(payload)
                if change is None:
                    continue
                if change.feed in SNAPSHOTS:
                    change = replace(change, snapshot=read_snapshot(conn, self.environment, change.feed))
                self._on_change(change)
            if time.monotonic() >= next_beat:
                self._beats(conn)
                next_beat = time.monotonic() + self.beat_s

    def _beats(self, conn: Any) -> None:
        """The capture's heartbeat and the desk's request count, as they stand now."""
        self._on_beats(read_beats(conn, self.environment))
        self._on_requests(*read_requests(conn, self.environment))

    @staticmethod
    def _wait(conn: Any, timeout: float, into: list[str]) -> None:
        """Wait up to `timeout` for the server to send something; collect the notifications it sent.

        Why not psycopg's `notifies(timeout=...)`: when a wake-up brings no notification at the very
        end of its timeout it waits again with a timeout of 0, which means no timeout at all, and the
        heartbeat stopped being read (seen in a window). `select` on the socket keeps our own clock;
        a connection the server closed makes `consume_input` raise, and `_run` reconnects."""
        import select

        ready, _, _ = select.select([conn.fileno()], [], [], timeout)
        if not ready:
            return
        conn.pgconn.consume_input()
        encoding = conn.pgconn._encoding if hasattr(conn.pgconn, "_encoding") else "utf-8"
        while (note := conn.pgconn.notifies()) is not None:
            into.append(note.extra.decode(encoding))

    def _change(self, payload: str) -> Change | None:
        received = time.time_ns()
        try:
            body = json.loads(payload)
        except ValueError:
            log.warning("desk subscriber: unreadable notification %r", payload[:200])
            return None
        if not isinstance(body, dict) or body.get("env") != self.environment:
            return None  # another environment's capture
        detail = {k: v for k, v in body.items() if k not in ("env", "feed", "at_ns")}
        return Change(str(body.get("feed", "")), self.environment, int(body.get("at_ns") or 0), received, detail)
