"""`SpotReaderThread`: the one thread that owns the browser, so anyone else can ask for a spot.

Playwright's sync API only works on the thread that started it, and a GUI thread must never wait on
Chromium. So the browser lives in a plain `threading.Thread` that keeps it open between reads and takes
requests from a queue; callers get a `concurrent.futures.Future` (block on it, or add a callback). The Qt
worker in `workers/` wraps this and turns the callbacks into signals. Reads that pile up while one is
in flight are answered together by the next read, so a slow page never builds a backlog.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, Literal

from zn_ladder.spot.errors import SpotError
from zn_ladder.spot.pricing_monkey import PricingMonkeyReader, ReaderSettings
from zn_ladder.spot.snapshot import SpotSnapshot

log = logging.getLogger(__name__)

_Kind = Literal["read", "open", "configure", "reset_reference", "stop"]


@dataclass(slots=True)
class _Request:
    kind: _Kind
    future: Future = field(default_factory=Future)
    settings: ReaderSettings | None = None


class SpotReaderStopped(SpotError):
    """The spot reader was stopped; no more reads."""


class SpotReaderThread(threading.Thread):
    """Owns one `PricingMonkeyReader` (and so one browser). Every public method is thread-safe.

    Callbacks passed to `submit_read` run on this thread: keep them short (emit a signal, set a value).
    Use as a context manager, or call `start()` and, at the end, `stop()`.
    """

    def __init__(self, settings: ReaderSettings, *,
                 reader_factory: Callable[[ReaderSettings], PricingMonkeyReader] = PricingMonkeyReader,
                 name: str = "spot-reader") -> None:
        super().__init__(name=name, daemon=True)
        self._settings = settings
        self._factory = reader_factory
        self._pending: deque[_Request] = deque()
        self._cond = threading.Condition()
        self._stopping = False
        self.reads_done = 0

    # -- requests (any thread) ----------------------------------------------------------------------------
    def submit_read(self, callback: Callable[[Future], Any] | None = None) -> Future:
        """Ask for a read. The Future resolves to a `SpotSnapshot` or raises a `SpotError`."""
        return self._submit(_Request("read"), callback)

    def read(self, timeout: float | None = None) -> SpotSnapshot:
        """Read and wait for the answer (not on a GUI thread)."""
        return self.submit_read().result(timeout)

    def open(self) -> Future:
        """Start the browser and load the page now, so the first read is warm."""
        return self._submit(_Request("open"))

    def configure(self, settings: ReaderSettings) -> Future:
        """Use new settings (URL, locator, browser, timeouts) from the next request on."""
        return self._submit(_Request("configure", settings=settings))

    def reset_reference(self) -> Future:
        """Forget the last good value the sanity check compares with."""
        return self._submit(_Request("reset_reference"))

    def stop(self, timeout: float | None = 30.0) -> None:
        """Close the browser and end the thread; requests still queued fail with SpotReaderStopped."""
        with self._cond:
            if not self._stopping:
                self._stopping = True
                self._pending.append(_Request("stop"))
                self._cond.notify()
        if self.is_alive() and threading.current_thread() is not self:
            self.join(timeout)

    def __enter__(self) -> SpotReaderThread:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def _submit(self, request: _Request, callback: Callable[[Future], Any] | None = None) -> Future:
        if callback is not None:
            request.future.add_done_callback(callback)
        with self._cond:
            if self._stopping:
                request.future.set_exception(SpotReaderStopped("the spot reader is stopped"))
                return request.future
            self._pending.append(request)
            self._cond.notify()
        return request.future

    # -- the owner thread ---------------------------------------------------------------------------------
    def _take(self) -> list[_Request]:
        """The next request; for a read, every read queued right behind it too (answered together)."""
        with self._cond:
            while not self._pending:
                self._cond.wait()
            batch = [self._pending.popleft()]
            if batch[0].kind == "read":
                while self._pending and self._pending[0].kind == "read":
                    batch.append(self._pending.popleft())
            return batch

    def run(self) -> None:
        reader = self._factory(self._settings)
        try:
            while True:
                batch = self._take()
                if batch[0].kind == "stop":
                    batch[0].future.set_result(None)
                    break
                self._serve(reader, batch)
        finally:
            try:
                reader.close()
            except Exception:  # noqa: BLE001 - closing must not mask the reason the loop ended
                log.exception("closing the spot browser")
            with self._cond:
                self._stopping = True
                leftovers, self._pending = list(self._pending), deque()
            for request in leftovers:
                if request.future.set_running_or_notify_cancel():
                    request.future.set_exception(SpotReaderStopped("the spot reader is stopped"))

    def _serve(self, reader: PricingMonkeyReader, batch: list[_Request]) -> None:
        live = [r for r in batch if r.future.set_running_or_notify_cancel()]
        if not live:
            return
        kind = live[0].kind
        try:
            result: Any = None
            if kind == "read":
                result = reader.read()
                self.reads_done += 1
            elif kind == "open":
                reader.open()
            elif kind == "configure":
                assert live[0].settings is not None
                reader.configure(live[0].settings)
                self._settings = live[0].settings
            elif kind == "reset_reference":
                reader.reset_reference()
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the caller
            if not isinstance(exc, SpotError):
                log.exception("spot %s failed unexpectedly", kind)
            for request in live:
                request.future.set_exception(exc)
            if not isinstance(exc, Exception):
                raise
            return
        for request in live:
            request.future.set_result(result)
