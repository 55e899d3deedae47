"""`Poller`: one TT source (orders, fills or positions) polled on its interval from its own QThread.

The fetch is any callable (a bound `TTClient` method, a fills cursor holder); it runs through a
`CallRunner`, so a hung request never holds the worker's thread when the window closes. Results and
failures go out as signals; the next poll is scheduled from the start of this one, so a slow TT does
not stretch the interval, and a failing one is retried on the same interval (the client already backs
off inside one poll).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer, Signal, Slot

from zn_ladder.workers.calls import Cancelled, CallRunner
from zn_ladder.workers.threads import Worker

log = logging.getLogger(__name__)


def error_text(exc: BaseException) -> str:
    """One line for the banner: the error family's message, or the exception type and message."""
    from zn_ladder.domain.errors import ZnLadderError

    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    if isinstance(exc, ZnLadderError) and text:
        return text
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class Poller(Worker):
    result = Signal(object)
    failed = Signal(str)
    #: (source name, seconds the poll took): for benchmarks and logs.
    polled = Signal(str, float)
    #: Change the interval from any thread (queued to the poller's own thread).
    intervalRequested = Signal(float)

    def __init__(self, name: str, fetch: Callable[[], Any], interval_s: float) -> None:
        super().__init__(name)
        self._fetch = fetch
        self._interval_s = float(interval_s)
        self.calls = CallRunner(name)
        self._timer: QTimer | None = None
        self.polls = 0
        self.intervalRequested.connect(self.set_interval)

    @property
    def interval_s(self) -> float:
        return self._interval_s

    def start(self) -> None:
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.poll)
        self.poll()

    def on_stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()

    @Slot(float)
    def set_interval(self, seconds: float) -> None:
        self._interval_s = max(0.05, float(seconds))
        if self._timer is not None and self._timer.isActive():
            self._timer.start(int(self._interval_s * 1000))

    @Slot()
    def poll(self) -> None:
        if self.stop_event.is_set():
            return
        started = time.monotonic()
        try:
            value = self.calls.call(self._fetch, self.stop_event)
        except Cancelled:
            return
        except Exception as exc:  # every failure is reported; the poller keeps going
            log.info("%s poll failed: %s", self.name, exc)
            self.failed.emit(error_text(exc))
        else:
            self.polls += 1
            self.result.emit(value)
        elapsed = time.monotonic() - started
        self.polled.emit(self.name, elapsed)
        if not self.stop_event.is_set() and self._timer is not None:
            self._timer.start(int(max(0.0, self._interval_s - elapsed) * 1000))
