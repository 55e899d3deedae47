"""`SpotBoard`: which spot the ladder uses right now, and why.

Three sources compete: the live Pricing Monkey read, a spot the trader typed (which wins while it is
set), and the last good read, kept when the page starts failing or stops answering, labelled as such
with its age and the error. The window shows `current()`; it never has to guess the source. The board
is fed from the reader thread and read from the GUI thread, so every method takes a lock.
"""

from __future__ import annotations

import threading
import time

from zn_ladder.domain.instruments import Product
from zn_ladder.spot.browser import first_line
from zn_ladder.spot.manual import manual_snapshot
from zn_ladder.spot.snapshot import SpotSnapshot

#: A live read older than this is no longer shown as live (the reader has stopped answering).
DEFAULT_STALE_AFTER_S = 30.0


class SpotBoard:
    def __init__(self, product: Product, *, stale_after_s: float = DEFAULT_STALE_AFTER_S) -> None:
        self.product = product
        self.stale_after_s = stale_after_s
        self._lock = threading.Lock()
        self._manual: SpotSnapshot | None = None
        self._last_good: SpotSnapshot | None = None
        self._error: str | None = None

    # -- feeding ------------------------------------------------------------------------------------------
    def set_manual(self, text: str) -> SpotSnapshot:
        """Pin a typed spot (any form). Raises InputError, and changes nothing, when it is not a price."""
        snapshot = manual_snapshot(text, self.product)
        with self._lock:
            self._manual = snapshot
        return snapshot

    def clear_manual(self) -> None:
        """Go back to the Pricing Monkey value (or the last good one)."""
        with self._lock:
            self._manual = None

    def record_read(self, snapshot: SpotSnapshot) -> None:
        """A successful live read."""
        if snapshot.product != self.product:
            raise ValueError(f"a {snapshot.product} spot given to the {self.product} board")
        with self._lock:
            self._last_good = snapshot
            self._error = None

    def record_failure(self, error: BaseException | str) -> None:
        """A failed live read: the last good value, if any, stays in use, marked with this error."""
        text = error if isinstance(error, str) else first_line(error)
        with self._lock:
            self._error = text

    # -- reading ------------------------------------------------------------------------------------------
    @property
    def manual_active(self) -> bool:
        with self._lock:
            return self._manual is not None

    @property
    def last_error(self) -> str | None:
        with self._lock:
            return self._error

    @property
    def last_good(self) -> SpotSnapshot | None:
        with self._lock:
            return self._last_good

    def current(self, now_monotonic: float | None = None) -> SpotSnapshot | None:
        """The spot to walk the ladder from, with its source; None before any value exists."""
        now = time.monotonic() if now_monotonic is None else now_monotonic
        with self._lock:
            if self._manual is not None:
                return self._manual
            good, error = self._last_good, self._error
        if good is None:
            return None
        if error is not None:
            return good.as_last_good(error)
        age = good.age(now)
        if age > self.stale_after_s:
            return good.as_last_good(f"no Pricing Monkey read for {age:.0f}s")
        return good
