"""Reference data (instruments, markets, users) fetched once per process and shared by every worker.

On the Low plan a request costs ~5.5 s of the day's allowance, so looking an instrument up for every
fill of every poll would spend the budget on names. Each id is fetched once; concurrent callers asking
for the same id wait for the one request instead of sending their own.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

V = TypeVar("V")


class RefCache(Generic[V]):
    """id -> value, filled on first use by `fetch(id)`; thread-safe, one fetch per id."""

    def __init__(self, fetch: Callable[[str], V]) -> None:
        self._fetch = fetch
        self._values: dict[str, V] = {}
        self._lock = threading.Lock()
        self._key_locks: dict[str, threading.Lock] = {}
        self.fetches = 0

    def get(self, key: str) -> V:
        key = str(key)
        value = self._values.get(key)
        if value is not None:
            return value
        with self._lock:
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            if key in self._values:
                return self._values[key]
            self.fetches += 1
            value = self._fetch(key)
            self._values[key] = value
            return value

    def cached(self, key: str) -> V | None:
        return self._values.get(str(key))

    def put(self, key: str, value: V) -> None:
        self._values[str(key)] = value

    def __len__(self) -> int:
        return len(self._values)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
