"""`PositionCheck`: the window's reconciliation of the store's positions with TT's, off the GUI thread.

TT_API.md asks that the app's position per account and contract equal TT's `netPosition`, and that a
difference be shown, not hidden. The session hands this object each positions poll's answer and tells
it when the store changed; the comparison runs as a job on the store's writer thread (the one owner
of the SQLite file, where the books are read), and the result comes back through `checked`.

Only differences that persist over two consecutive TT position polls are reported
(`domain.reconcile.PersistentDifferences`): TT's ledger and monitor show fills with a delay, and the
app's fills poll runs at other instants than the positions poll, so a difference seen once is usually
lag. A comparison after a store change can clear a difference (the missing fill arrived) but never
raises one on its own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from PySide6.QtCore import QObject, Signal

from zn_ladder.domain.reconcile import PersistentDifferences, PositionDifference, compare_positions, net_positions

log = logging.getLogger(__name__)

#: TT position polls a difference must last over before the window shows it.
POLLS_NEEDED = 2


@dataclass(frozen=True, slots=True)
class PositionCheckResult:
    """One comparison: the differences to show (persistent ones only) and when it was made."""

    differences: tuple[PositionDifference, ...]
    checked_at: datetime
    #: Every difference of this comparison, persistent or not (for logs and tests).
    seen: tuple[PositionDifference, ...] = ()
    poll: bool = False


class PositionCheck(QObject):
    """Compares on the store's thread after each TT positions poll and each store change."""

    #: A `PositionCheckResult` (emitted from the store's thread; connect a GUI-thread slot).
    checked = Signal(object)

    def __init__(self, submit: Callable[[Callable[[Any], Any]], Future], *,
                 include: Callable[[str, str], bool] = lambda account, contract: True,
                 polls_needed: int = POLLS_NEEDED, parent: QObject | None = None) -> None:
        """`submit` runs a job with the `Store` on its writer thread (`StoreWorker.submit`); `include`
        says which (account, contract) the window is about (its accounts filter and product)."""
        super().__init__(parent)
        self._submit = submit
        self._include = include
        self._tracker = PersistentDifferences(polls_needed)  # touched on the store's thread only
        self._tt: dict[tuple[str, str], int] | None = None
        self.checks = 0
        self._logged: tuple[PositionDifference, ...] = ()  # the store's thread only

    def tt_polled(self, positions: Iterable[Any]) -> Future | None:
        """TT's positions of one poll (`tt.records.Position`s): compare them with the store now."""
        self._tt = net_positions(positions)
        return self._check(poll=True)

    def store_changed(self) -> Future | None:
        """The store was written: compare again with the last poll's TT positions (if any yet)."""
        if self._tt is None:
            return None
        return self._check(poll=False)

    def _check(self, *, poll: bool) -> Future | None:
        tt, include = self._tt, self._include
        if tt is None:
            return None
        tt = {k: v for k, v in tt.items() if include(*k)}

        def job(store: Any) -> PositionCheckResult:  # the store's writer thread
            from zn_ladder.store.snapshot import positions

            app = {k: v for k, v in positions(store.conn).items() if include(*k)}
            seen = compare_positions(app, tt)
            shown = self._tracker.observe(seen, poll=poll)
            return PositionCheckResult(shown, datetime.now(timezone.utc), seen, poll)

        future = self._submit(job)
        future.add_done_callback(self._done)
        return future

    def _done(self, future: Future) -> None:  # the store's writer thread
        from zn_ladder.domain.errors import StoreError

        exc = future.exception()
        if exc is not None:  # the next poll or store change checks again
            (log.info if isinstance(exc, StoreError) else log.warning)("position check not done: %s", exc)
            return
        result = future.result()
        self.checks += 1
        if result.differences != self._logged:  # a change, not every check of a lasting difference
            self._logged = result.differences
            for d in result.differences:
                log.warning("position differs from TT: account %s %s app %+d, TT %+d", d.account, d.contract,
                            d.app, d.tt)
            if not result.differences:
                log.info("positions agree with TT")
        self.checked.emit(result)
