"""Whose start-of-day positions the books start from: the desk's SOD file, the store's, or TT's.

A desk's imported Actant file wins over everything; SOD lots already in the store win over TT's
(outside the demo); TT's are stored only when neither is there. TT's lots and the store's first read of
the ladder's contract arrive in either order on the GUI thread, so the choice waits for both and is
made once. No Qt here: the session feeds it and stores what it chooses through `put`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)


class SodChoice:
    def __init__(self, product_symbol: str, *, demo: bool, put: Callable[[tuple[Any, ...]], Any]) -> None:
        self._symbol = product_symbol
        self._demo = demo
        self._put = put
        self._tt_lots: tuple[Any, ...] | None = None
        self._store: Any = None
        #: The desk's SOD file was imported for this product: TT's SOD is then not stored.
        self.file_imported = False

    def tt_read(self, lots: tuple[Any, ...]) -> None:
        """TT's start-of-day lots (already filtered to the window's accounts)."""
        self._tt_lots = lots
        self._decide()

    def store_read(self, snap: Any) -> None:
        """A store snapshot of the ladder's contract (its `sod` is what the store holds)."""
        self._store = snap
        self._decide()

    def file_read(self, result: Any) -> str | None:
        """The desk's SOD file import result: its problem for the banner, or None when it went in."""
        if not result.ok:
            log.warning("%s", result.message())
            return str(result.message())
        log.info("%s", result.message())
        if self._symbol in result.products:
            self.file_imported = True
        return None

    def _decide(self) -> None:
        lots, store = self._tt_lots, self._store
        if lots is None or store is None:
            return
        self._tt_lots = None
        if self.file_imported:
            log.info("start-of-day positions from the desk's SOD file are kept; TT's are not used")
        elif self._demo or not store.sod:
            if lots:
                self._put(lots)
        else:
            log.info("start-of-day positions from the store (%d lots) are kept; TT's are not used", len(store.sod))
