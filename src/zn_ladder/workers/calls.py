"""Blocking calls that a stopping worker can walk away from.

A TT request can hang for its whole read timeout (and its retries), and Closing the window must not
wait that long. So a Qt worker does not make the call on its own thread: it starts it on a short-lived
daemon thread and waits for the result in small steps, checking its stop flag. On a normal stop the
call is a few milliseconds from done and `join` collects its thread; if TT hangs, the worker still
stops at once and the abandoned daemon thread ends with its request (or with the process).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

#: How often a waiting worker looks at its stop flag.
WAKE_S = 0.02


class Cancelled(Exception):
    """The worker was asked to stop while its call was in flight."""


class CallRunner:
    def __init__(self, name: str) -> None:
        self.name = name
        self._lock = threading.Lock()
        self._threads: set[threading.Thread] = set()

    def call(self, fn: Callable[[], T], stop: threading.Event) -> T:
        """`fn()` on a daemon thread; its result or exception, or `Cancelled` when `stop` is set first."""
        if stop.is_set():
            raise Cancelled(self.name)
        done = threading.Event()
        box: dict[str, Any] = {}

        def run() -> None:
            try:
                box["result"] = fn()
            except BaseException as exc:  # noqa: BLE001 - handed back to the waiting worker
                box["error"] = exc
            finally:
                done.set()
                with self._lock:
                    self._threads.discard(threading.current_thread())

        thread = threading.Thread(target=run, name=f"{self.name}-call", daemon=True)
        with self._lock:
            self._threads.add(thread)
        thread.start()
        while not done.wait(WAKE_S):
            if stop.is_set():
                raise Cancelled(self.name)
        if "error" in box:
            raise box["error"]
        return box["result"]

    @property
    def in_flight(self) -> int:
        with self._lock:
            return len(self._threads)

    def join(self, timeout: float) -> bool:
        """Wait up to `timeout` s for calls still in flight; True when none is left."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                threads = list(self._threads)
            if not threads:
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            threads[0].join(left)
