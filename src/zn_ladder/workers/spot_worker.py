"""`SpotWorker`: where the ladder's spot comes from, on its own QThread.

Sources, one at a time:
- `simulator` (DEMO): the built-in simulator's market price, read in-process on the spot interval;
- `pricing_monkey`: the `SpotReaderThread` (the one thread that owns Chromium) asked for a read on the
  interval, at most one read in flight; a failed read keeps the last good value (`SpotBoard`), marked;
- `manual`: nothing is polled; the trader types the spot.
A typed spot (any format) is used at once and stays in force until cleared (issue 12): the live source
keeps reading, standing by, and its reads go out as `standby(SpotSnapshot)` only (for the source's
health), never to the ladder. Every spot in force goes out as `spotReady(SpotSnapshot)`, or
`spotReady(None)` when a typed spot is cleared with no live value to go back to; failures as
`failed(message)`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from PySide6.QtCore import QTimer, Signal, Slot

from zn_ladder.domain.instruments import Product
from zn_ladder.domain.prices import Price, format_price
from zn_ladder.spot.snapshot import SpotSnapshot
from zn_ladder.workers.poller import error_text
from zn_ladder.workers.threads import Worker

log = logging.getLogger(__name__)

MODES = ("simulator", "pricing_monkey", "manual")


class SpotWorker(Worker):
    spotReady = Signal(object)  # SpotSnapshot
    failed = Signal(str)
    #: From any thread (queued to this worker's thread): a typed spot / a new read interval.
    manualRequested = Signal(object)
    clearRequested = Signal()
    intervalRequested = Signal(float)
    #: A live read while a typed spot is in force (the live source is standing by).
    standby = Signal(object)

    def __init__(self, product: Product, mode: str, interval_s: float, *,
                 read_price: Callable[[], Price] | None = None, reader_settings: Any = None,
                 reader_factory: Callable[[Any], Any] | None = None) -> None:
        super().__init__("spot")
        if mode not in MODES:
            raise ValueError(f"spot mode {mode!r} is not one of {MODES}")
        if mode == "simulator" and read_price is None:
            raise ValueError("the simulator spot needs a price reader")
        self.product = product
        self.mode = mode
        self._interval_s = max(0.05, float(interval_s))
        self._read_price = read_price
        self._reader_settings = reader_settings
        self._reader_factory = reader_factory
        self._reader: Any = None
        self._board: Any = None
        self._in_flight: Future | None = None
        self._timer: QTimer | None = None
        self._sim_price: Price | None = None
        self.last: SpotSnapshot | None = None
        #: The typed spot in force, and the last live value (what Clear goes back to).
        self.manual: SpotSnapshot | None = None
        self.live: SpotSnapshot | None = None
        self.manualRequested.connect(self.set_manual)
        self.clearRequested.connect(self.clear_manual)
        self.intervalRequested.connect(self.set_interval)

    def start(self) -> None:
        if self.mode == "pricing_monkey":
            from zn_ladder.spot.board import SpotBoard
            from zn_ladder.spot.service import SpotReaderThread

            self._board = SpotBoard(self.product)
            kwargs = {"reader_factory": self._reader_factory} if self._reader_factory else {}
            self._reader = SpotReaderThread(self._reader_settings, **kwargs)
            self._reader.start()
        if self.mode != "manual":
            self._timer = QTimer(self)
            self._timer.timeout.connect(self.read)
            self._timer.start(int(self._interval_s * 1000))
            self.read()

    def on_stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        if self._reader is not None:
            self._reader.stop(timeout=5.0)

    @Slot(float)
    def set_interval(self, seconds: float) -> None:
        self._interval_s = max(0.05, float(seconds))
        if self._timer is not None:
            self._timer.setInterval(int(self._interval_s * 1000))

    @Slot(object)
    def set_manual(self, price: Price) -> None:
        """A typed spot: used now, and until cleared; the live source stands by meanwhile."""
        text = format_price(price, self.product, "tt")
        self.manual = SpotSnapshot.now(price, self.product, "manual", text)
        self._publish(self.manual)

    @Slot()
    def clear_manual(self) -> None:
        """Back to the live source: its last value now (marked last good when it is failing or old)."""
        if self.manual is None:
            return
        self.manual = None
        live = self._board.current() if self._board is not None else self.live
        self._publish(live)

    def _live_read(self, snap: SpotSnapshot) -> None:
        self.live = snap
        if self.manual is not None:
            self.standby.emit(snap)
        else:
            self._publish(snap)

    @Slot()
    def read(self) -> None:
        if self.stop_event.is_set():
            return
        if self.mode == "simulator":
            try:
                price = self._read_price()  # type: ignore[misc]
            except Exception as exc:  # the simulator stopped: keep the last value, say why
                self.failed.emit(f"simulator price: {error_text(exc)}")
                return
            self._sim_price = price
            self._live_read(SpotSnapshot.now(price, self.product, "simulator", format_price(price, self.product, "tt")))
        elif self.mode == "pricing_monkey":
            if self._in_flight is not None and not self._in_flight.done():
                return  # one read at a time; a slow page does not build a backlog
            self._in_flight = self._reader.submit_read(self._after_read)

    def _after_read(self, future: Future) -> None:  # runs on the reader's thread
        exc = future.exception()
        if exc is None:
            self._board.record_read(future.result())
            self._live_read(future.result())
            return
        self._board.record_failure(exc)
        self.failed.emit(f"Pricing Monkey: {error_text(exc)}")
        kept = self._board.current()
        if kept is not None and self.manual is None:
            self._publish(kept)

    def _publish(self, snap: SpotSnapshot | None) -> None:
        self.last = snap
        self.spotReady.emit(snap)
