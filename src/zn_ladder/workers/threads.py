"""Start and stop QObject workers on their own QThreads (the moveToThread pattern), cleanly.

Why the stop goes through a queued signal to the worker: its timers live on its thread and must be
stopped there, and `QThread.quit()` called from outside may end the loop before queued events run. So
the worker's `stop` slot stops its timers and then quits its own thread; the owner waits with a bound.
A thread that does not finish in time is kept referenced (never destroyed while running) and
reported, so closing the window can never crash on "QThread: Destroyed while thread is still running".
"""

from __future__ import annotations

import logging
import threading
import time

from PySide6.QtCore import QObject, QThread, Signal, Slot

log = logging.getLogger(__name__)

#: Threads that missed their stop deadline; kept alive here until they end.
_ORPHANS: list[tuple[QThread, QObject]] = []


class Worker(QObject):
    """Base of the app's workers: `stop_event` for code blocked in a call, `stop` run on the thread."""

    stopRequested = Signal()

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.name = name
        self.stop_event = threading.Event()
        self.stopRequested.connect(self._stop_here)

    @Slot()
    def _begin(self) -> None:
        # Connected to QThread.started. Not `start` itself: PySide runs an *overridden* slot of a
        # subclass on the main thread, so subclasses override this plain method instead.
        self.start()

    def start(self) -> None:  # runs on the worker's thread
        """Override: create timers here (they belong to the thread that creates them)."""

    def on_stop(self) -> None:  # runs on the worker's thread
        """Override: stop timers and release what the worker owns."""

    @Slot()
    def _stop_here(self) -> None:
        try:
            self.on_stop()
        except Exception:  # stopping must go on whatever happened
            log.exception("stopping %s", self.name)
        finally:
            thread = QThread.currentThread()
            if thread is not None:
                thread.quit()


class WorkerThread:
    """One worker on one QThread."""

    def __init__(self, worker: Worker) -> None:
        self.worker = worker
        self.thread = QThread()
        self.thread.setObjectName(f"zn-{worker.name}")
        worker.moveToThread(self.thread)
        self.thread.started.connect(worker._begin)

    def start(self) -> None:
        self.thread.start()

    def request_stop(self) -> None:
        self.worker.stop_event.set()
        if self.thread.isRunning():
            self.worker.stopRequested.emit()  # queued: the worker's thread runs `_stop_here`

    def wait(self, timeout_s: float) -> bool:
        if self.thread.wait(max(0, int(timeout_s * 1000))):
            return True
        log.warning("worker %s did not stop within %.1fs; left to finish on its own", self.worker.name, timeout_s)
        _ORPHANS.append((self.thread, self.worker))
        return False

    @property
    def running(self) -> bool:
        return self.thread.isRunning()


def stop_all(threads: list[WorkerThread], timeout_s: float) -> bool:
    """Ask every worker to stop, then wait for all of them within one shared deadline."""
    for wt in threads:
        wt.request_stop()
    deadline = time.monotonic() + timeout_s
    ok = True
    for wt in threads:
        ok = wt.wait(max(0.0, deadline - time.monotonic())) and ok
    return ok


def orphans() -> int:
    """Threads that missed a stop deadline and are still running."""
    _ORPHANS[:] = [(t, w) for t, w in _ORPHANS if t.isRunning()]
    return len(_ORPHANS)


def wait_orphans(timeout_s: float) -> bool:
    """Before the process exits: give threads that missed their stop deadline (a browser slow to
    close) a last chance, so none is destroyed while running. True when none is left."""
    deadline = time.monotonic() + timeout_s
    for thread, _worker in list(_ORPHANS):
        thread.wait(max(0, int((deadline - time.monotonic()) * 1000)))
    return orphans() == 0
