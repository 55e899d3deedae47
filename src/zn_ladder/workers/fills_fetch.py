"""The fills poll's cursor holder: each poll asks TT for what came after the last one.

The in-memory cursor runs ahead of the persisted one by at most one page in flight. If the store
cannot write a page, the cursor is put back to the last persisted value, so the next poll fetches
those fills again (the store dedupes by key): nothing is lost because a disk hiccupped.
"""

from __future__ import annotations

import threading
from typing import Any

from zn_ladder.tt.fills_cursor import FillCursor

#: How long the first poll waits for the store to hand over the persisted cursor.
OPEN_WAIT_S = 20.0


class FillsFetch:
    def __init__(self, client: Any) -> None:
        self._client = client
        self._lock = threading.Lock()
        self._cursor: FillCursor | None = None
        self._persisted: FillCursor | None = None
        self._ready = threading.Event()

    def set_start(self, cursor: FillCursor | None) -> None:
        """The persisted cursor (None: a fresh store, start from the beginning of TT's day)."""
        with self._lock:
            self._cursor = self._persisted = cursor
        self._ready.set()

    def persisted(self, cursor: FillCursor) -> None:
        with self._lock:
            self._persisted = cursor

    def rewind(self) -> None:
        with self._lock:
            self._cursor = self._persisted

    @property
    def cursor(self) -> FillCursor | None:
        with self._lock:
            return self._cursor

    def __call__(self) -> Any:
        if not self._ready.wait(OPEN_WAIT_S):
            raise TimeoutError("the local store has not opened yet; fills are not read until it has")
        with self._lock:
            cursor = self._cursor
        page = self._client.fills_since(cursor)
        with self._lock:
            if self._cursor is cursor:  # a rewind in between wins
                self._cursor = page.cursor
        return page
