"""The session's snapshots reach the window at most once per turn of the event loop (issue 14 §18).

Why: the first answers of the day (orders, ladder, P&L, status, journal...) arrive from the workers
within a few milliseconds of each other, and Qt runs every queued call posted during one pass before
any timer, so applying each snapshot as it came put all of that work, and the paints it caused, into
one long stall (25-50 ms with a 2 s-latency TT). Here a snapshot only replaces the pending one of its
kind; one zero-delay timer applies the newest of each kind in the order they first came. The queued
calls stay cheap, the timer applies them after the pass, and the paint follows in the next pass, with
the event loop free (a key press, a heartbeat) in between.

Only snapshots that are whole states may wait here: a newer ladder, P&L or status makes the older one
worthless. The fills snapshot carries the fills new since the previous one (for the fill sound), so it
is not passed through this.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer


class Frame(QObject):
    """Newest snapshot of each kind, applied together on the next turn of the event loop."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending: dict[str, tuple[Callable[[Any], None], Any]] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.flush)

    def latest(self, kind: str, apply: Callable[[Any], None]) -> Callable[[Any], None]:
        """A slot that keeps `snapshot` as the pending one of `kind`, for `apply` at the next flush."""
        def hold(snapshot: Any) -> None:
            self._pending[kind] = (apply, snapshot)
            if not self._timer.isActive():
                self._timer.start()
        return hold

    def flush(self) -> None:
        """Apply what is pending now (each kind's newest, in the order the kinds first came)."""
        self._timer.stop()
        pending, self._pending = self._pending, {}
        for apply, snapshot in pending.values():
            apply(snapshot)

    def stop(self) -> None:
        """Drop what is pending (the session stops)."""
        self._timer.stop()
        self._pending.clear()
