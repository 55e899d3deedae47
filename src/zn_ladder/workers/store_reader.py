"""`StoreReader`: a thread with a read-only connection to the store, for reads the GUI must not wait on.

The writer thread (`store_worker`) is busy persisting fills; a table paging a 100,000-fill day reads
beside it (SQLite's WAL lets a reader see the last committed state without blocking the writer).
Work is a function of the connection, run in submission order; the caller gets a Future. Only the
newest of the queued reads of one `kind` runs (a trader scrolling fast asks for pages that are gone
from the screen before they are read).
"""

from __future__ import annotations

import logging
import queue
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
_STOP = object()
#: The reader's SQLite page cache (KiB).
CACHE_KIB = 4096


class StoreReader:
    def __init__(self, path: Path | str, *, name: str = "zn-store-reader") -> None:
        self.path = path
        self._queue: queue.Queue = queue.Queue()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._latest: dict[str, int] = {}
        self._seq = 0
        self._lock = threading.Lock()
        self._thread.start()

    def submit(self, fn: Callable[[sqlite3.Connection], Any], kind: str = "") -> Future:
        """Run `fn(conn)` on the reader thread. With a `kind`, a later read of the same kind queued
        before this one ran supersedes it (its Future is cancelled)."""
        future: Future = Future()
        with self._lock:
            self._seq += 1
            if kind:
                self._latest[kind] = self._seq
            self._queue.put((self._seq, kind, fn, future))
        return future

    def _run(self) -> None:
        from zn_ladder.store.db import connect

        conn: sqlite3.Connection | None = None
        while True:
            item = self._queue.get()
            if item is _STOP:
                break
            seq, kind, fn, future = item
            with self._lock:
                superseded = bool(kind) and self._latest.get(kind, seq) != seq
            if superseded:
                future.cancel()
                continue
            if not future.set_running_or_notify_cancel():
                continue  # cancelled by its caller meanwhile
            try:
                if conn is None:
                    conn = connect(self.path, readonly=True)
                    # Its reads stream the rows once (ids in order, a page): a small page cache, not
                    # the writer's 64 MB, so reading a 100k-fill day leaves no copy of it behind. (A desk
                    # database has no such pragma: the server keeps the cache.)
                    if conn.dialect == "sqlite":
                        conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
                future.set_result(fn(conn))
            except BaseException as exc:  # noqa: BLE001 - handed to whoever waits on the Future
                future.set_exception(exc)
        if conn is not None:
            conn.close()

    def stop(self, timeout_s: float = 5.0) -> None:
        """Finish the read in progress, drop the queued ones, close the connection, join the thread."""
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
            if item is not _STOP:
                item[3].cancel()
        self._queue.put(_STOP)
        self._thread.join(timeout_s)

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()
