"""`StoreWorker`: the app's one writer of the SQLite file, seen from Qt.

A `StoreWriter` thread owns the `Store` (SQLite connections belong to one thread); this object hands it
work and turns the Futures into signals. Order matters and the writer keeps it: a fills page is
persisted together with its cursor in one transaction, *then* a snapshot of the contract is read and
emitted, so the window never shows a fill that a crash could lose, and a restart resumes from the
persisted cursor with no gap and no duplicate. The GUI thread only ever enqueues.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from zn_ladder.domain.records import SodLot
from zn_ladder.store.writer import StoreWriter
from zn_ladder.tt.fills_cursor import FillCursor
from zn_ladder.workers.poller import error_text

log = logging.getLogger(__name__)

#: The cursor row of the API fills poll in the store.
CURSOR_SOURCE = "tt_api_fills"


class StoreWorker(QObject):
    #: A `ContractSnapshot` (fills, SOD, P&L per method) read after the last write.
    snapshotReady = Signal(object)
    #: A write or read failed (message); the data already on screen stays.
    failed = Signal(str)
    #: The store is open: the persisted fills cursor (`FillCursor`, or None on a fresh file).
    opened = Signal(object)
    #: A write succeeded (after a failure the banner clears on this).
    stored = Signal()

    def __init__(self, path: Path | str | None, *, account: str | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._writer = StoreWriter(path, name="zn-store-writer")
        self._account = account
        self._contract: str | None = None
        self._lock = threading.Lock()
        self.path = path
        self.writes = 0

    # -- life cycle ---------------------------------------------------------------------------------------
    def start(self) -> Future:
        """Open the store on its thread; `opened(cursor)` or `failed(message)` follows."""
        opened = self._writer.start()
        opened.add_done_callback(self._after_open)
        return opened

    def _after_open(self, future: Future) -> None:
        exc = future.exception()
        if exc is not None:
            self.failed.emit(f"the local store cannot be opened: {error_text(exc)}")
            return
        self._writer.get_cursor(CURSOR_SOURCE).add_done_callback(self._after_cursor)

    def _after_cursor(self, future: Future) -> None:
        cursor: FillCursor | None = None
        exc = future.exception()
        if exc is None and future.result() is not None:
            try:
                cursor = FillCursor.from_dict(future.result())
            except Exception as bad:  # a cursor we cannot read: start from the day's beginning (dedupe holds)
                log.warning("persisted fills cursor ignored: %s", bad)
        elif exc is not None:
            log.warning("persisted fills cursor unreadable: %s", exc)
        self.opened.emit(cursor)

    def stop(self, timeout_s: float = 5.0) -> None:
        self._writer.stop(timeout_s)

    @property
    def alive(self) -> bool:
        return self._writer.alive

    # -- what the snapshots cover ----------------------------------------------------------------------
    @property
    def contract(self) -> str | None:
        with self._lock:
            return self._contract

    def set_contract(self, contract: str | None) -> None:
        with self._lock:
            changed = contract != self._contract
            self._contract = contract
        if changed and contract:
            self.refresh()

    # -- work -------------------------------------------------------------------------------------------
    def ingest(self, page: Any) -> Future:
        """Persist a `FillsPage` (fills, corrections, cursor) in one transaction, then refresh."""
        future = self._writer.ingest(page.fills, page.corrections, source="tt_api",
                                     cursor=(CURSOR_SOURCE, page.cursor.to_dict()))
        future.add_done_callback(lambda f: self._after_write(f, "store the new fills"))
        return future

    def put_sod(self, lots: tuple[SodLot, ...]) -> Future:
        future = self._writer.put_sod(lots, source="tt_api")
        future.add_done_callback(lambda f: self._after_write(f, "store the start-of-day positions"))
        return future

    def submit(self, fn: Any) -> Future:
        """Any other work on the writer thread (e.g. an audit entry)."""
        return self._writer.submit(fn)

    def _after_write(self, future: Future, what: str) -> None:
        exc = future.exception()
        if exc is not None:
            log.error("could not %s: %s", what, exc)
            self.failed.emit(f"could not {what}: {error_text(exc)}")
            return
        self.writes += 1
        self.stored.emit()
        self.refresh()

    def refresh(self) -> None:
        contract = self.contract
        if not contract:
            return
        future = self._writer.snapshot(contract, self._account)
        future.add_done_callback(self._after_snapshot)

    def _after_snapshot(self, future: Future) -> None:
        exc = future.exception()
        if exc is not None:
            self.failed.emit(f"could not read the local store: {error_text(exc)}")
            return
        self.snapshotReady.emit(future.result())
