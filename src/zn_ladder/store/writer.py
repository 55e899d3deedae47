"""`StoreWriter`: one thread owns the store; everyone else sends it work and gets a Future.

SQLite connections belong to one thread, and the GUI thread must never wait on the disk, so the app
starts one writer; workers call `writer.ingest(...)`, `writer.snapshot(...)` and get a
`concurrent.futures.Future` (`add_done_callback` for a callback; a Qt worker turns that into a
signal). Work runs in submission order, so a snapshot asked for after an ingest sees its fills.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Any, TypeVar

from zn_ladder.domain.errors import StoreError
from zn_ladder.domain.records import Fill, FillCorrection, SodLot
from zn_ladder.domain.trading_day import DEFAULT_RULE, TradingDayRule
from zn_ladder.store.snapshot import ContractSnapshot, take_snapshot
from zn_ladder.store.store import IngestResult, SodResult, Store

log = logging.getLogger(__name__)
T = TypeVar("T")

_STOP = object()


class StoreWriter:
    """A thread that opens the store, runs submitted work in order, and closes it on `stop()`."""

    def __init__(self, path: Path | str | None = None, *, verify: bool = True,
                 busy_timeout_s: float | None = None, name: str = "store-writer",
                 day_rule: TradingDayRule = DEFAULT_RULE, readonly: bool | None = False) -> None:
        self._path = path
        #: As asked (None: as the login may, `Store.open`), then, once open, what the store is.
        self.readonly = readonly
        self._day_rule = day_rule
        self._verify = verify
        self._busy = busy_timeout_s
        self._queue: queue.Queue = queue.Queue()
        self._opened: Future[Path] = Future()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._stopping = False

    # --- life cycle --------------------------------------------------------------------------

    def start(self) -> Future[Path]:
        """Start the thread; the Future gives the store's path once open, or the `StoreError`."""
        self._thread.start()
        return self._opened

    def stop(self, timeout: float | None = 30.0) -> None:
        """Finish the queued work, close the store, join the thread."""
        if self._thread.is_alive():
            self._stopping = True
            self._queue.put(_STOP)
            self._thread.join(timeout)

    def __enter__(self) -> StoreWriter:
        self.start().result()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def _run(self) -> None:
        try:
            kwargs: dict[str, Any] = {"verify": self._verify, "day_rule": self._day_rule, "readonly": self.readonly}
            if self._busy is not None:
                kwargs["busy_timeout_s"] = self._busy
            store = Store.open(self._path, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - handed to whoever waits on start()
            self._opened.set_exception(exc)
            self._fail_queued(exc)
            return
        self.readonly = store.readonly
        self._opened.set_result(store.path)
        try:
            while True:
                item = self._queue.get()
                if item is _STOP:
                    break
                fn, future = item
                if not future.set_running_or_notify_cancel():
                    continue
                try:
                    future.set_result(fn(store))
                except BaseException as exc:  # noqa: BLE001 - the caller decides; the thread lives on
                    if not isinstance(exc, StoreError):
                        log.exception("store work failed")
                    future.set_exception(exc)
        finally:
            store.close()
            self._fail_queued(StoreError("the store was closed before this work ran"))

    def _fail_queued(self, exc: BaseException) -> None:
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return
            if item is not _STOP and item[1].set_running_or_notify_cancel():
                item[1].set_exception(exc)

    # --- work --------------------------------------------------------------------------------

    def submit(self, fn: Callable[[Store], T]) -> Future[T]:
        """Run `fn(store)` on the writer thread."""
        future: Future[T] = Future()
        if self._stopping or (self._opened.done() and not self._thread.is_alive()):
            future.set_exception(StoreError("the store writer is not running"))
            return future
        self._queue.put((fn, future))
        return future

    def ingest(self, fills: Sequence[Fill] = (), corrections: Sequence[FillCorrection] = (), *,
               source: str = "", cursor: tuple[str, Any] | None = None,
               audit_detail: Mapping[str, Any] | None = None, who: str | None = None,
               environment: str = "", quarantined: Sequence[Any] = (),
               users: Sequence[tuple[str, Any]] = ()) -> Future[IngestResult]:
        fills, corrections, quarantined, users = tuple(fills), tuple(corrections), tuple(quarantined), tuple(users)
        return self.submit(lambda s: s.ingest(fills, corrections, source=source, cursor=cursor,
                                              audit_detail=audit_detail, who=who, environment=environment,
                                              quarantined=quarantined, users=users))

    def put_sod(self, lots: Sequence[SodLot], *, source: str = "", who: str | None = None) -> Future[SodResult]:
        lots = tuple(lots)
        return self.submit(lambda s: s.put_sod(lots, source=source, who=who))

    def audit(self, event: str, detail: Mapping[str, Any] | None = None, who: str | None = None) -> Future[None]:
        detail = dict(detail or {})
        return self.submit(lambda s: s.audit(event, detail, who))

    def get_cursor(self, source: str) -> Future[Any]:
        return self.submit(lambda s: s.get_cursor(source))

    def snapshot(self, contract: str, account: str | None = None, since_ns: int = 0) -> Future[ContractSnapshot]:
        return self.submit(lambda s: take_snapshot(s.conn, contract, account, since_ns))
