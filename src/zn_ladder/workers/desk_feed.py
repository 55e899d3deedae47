"""`DeskFeed`: a window's orders, positions and fills from the desk's capture instead of from TT.

A window pointed at a desk database polls TT for nothing: the capture does, once for the desk. This
worker wraps `store.desk.subscriber.CaptureSubscriber` (its own thread and connection, woken by the
capture's NOTIFY) and hands the session the same shapes the TT pollers would: an `OrdersResult` for
the working orders, `(positions, None)` for the positions, and a nudge to re-read the store when
fills were committed. The health of the three TT feeds comes from the capture's heartbeat, so the
status strip shows the capture's ages, and a dead capture (no beat) turns STALE after two of its
intervals. If the database cannot be reached the feeds are failing, with the reason, and what the
window shows stays as it was.

Signals are emitted on the subscriber's thread; the session's slots live on the GUI thread, so Qt
queues them (the GUI thread never waits on the database).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone
from fractions import Fraction
from typing import Any

from PySide6.QtCore import QObject, Signal

from zn_ladder.store.desk.heartbeat import FeedBeat
from zn_ladder.store.desk.orders import order_from_row
from zn_ladder.store.desk.subscriber import CaptureSubscriber, Change
from zn_ladder.tt.client import OrdersResult
from zn_ladder.tt.records import Position
from zn_ladder.workers.health import TT_SOURCES, HealthBoard

log = logging.getLogger(__name__)

#: Seconds between reads of the capture's heartbeat: also the slack added to two intervals before a
#: feed is STALE (a beat can be this much older than it is when it is read).
BEAT_S = 0.5


class DeskFeed(QObject):
    orders = Signal(object)  # OrdersResult
    positions = Signal(object)  # (positions, None)
    fillsChanged = Signal()
    beatsApplied = Signal()
    failed = Signal(str)

    def __init__(self, url: str, environment: str, health: HealthBoard, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.health = health
        self.subscriber = CaptureSubscriber(url, environment, on_change=self._on_change, on_beats=self._on_beats,
                                            on_error=self._on_error, beat_s=BEAT_S, on_requests=self._on_requests)
        #: The desk's TT requests today (every capture's, as the database counts them): the status
        #: strip's budget, since this window spends none of its own. None until first read.
        self.requests_today: int | None = None
        #: (feed, capture's send time ns, received ns) of the notifications, newest last: the bench's.
        self.received: list[tuple[str, int, int]] = []

    def start(self) -> None:
        self.subscriber.start()

    def stop(self, timeout_s: float = 5.0) -> None:
        self.subscriber.stop(timeout_s)

    def _on_change(self, change: Change) -> None:  # the subscriber's thread
        if change.sent_ns:
            self.received.append((change.feed, change.sent_ns, change.received_ns))
            del self.received[:-1000]
        if change.feed == "fills":
            self.fillsChanged.emit()
        elif change.feed == "orders" and change.snapshot is not None:
            taken_ns, rows = change.snapshot
            self.orders.emit(OrdersResult(tuple(order_from_row(r) for r in rows), (), taken_ns))
        elif change.feed == "positions" and change.snapshot is not None:
            self.positions.emit((tuple(position_from_row(r) for r in change.snapshot[1]), None))

    def _on_beats(self, beats: dict[str, FeedBeat]) -> None:  # the subscriber's thread
        now = datetime.now(timezone.utc)
        for name in TT_SOURCES:
            beat = beats.get(name)
            if beat is None:
                continue
            last_ok = None if beat.last_ok_ns is None else now - timedelta(seconds=beat.age_s() or 0.0)
            failing = beat.last_error != "" and (beat.last_ok_ns is None or beat.last_try_ns > beat.last_ok_ns)
            since = now - timedelta(seconds=max(0.0, (beat.read_ns - beat.last_try_ns) / 1e9)) if failing else None
            error = f"the desk's capture ({beat.holder}): {beat.last_error}" if failing else ""
            self.health.observed(name, beat.interval_ms / 1000, last_ok, since, error, grace_s=BEAT_S)
        self.beatsApplied.emit()

    def _on_requests(self, _day: str, used: int) -> None:  # the subscriber's thread
        self.requests_today = used  # one reference assignment: read by the GUI thread's status

    def _on_error(self, message: str) -> None:  # the subscriber's thread
        text = f"the desk database cannot be reached ({message}); showing the last data"
        for name in TT_SOURCES:
            self.health.failed(name, text)
        self.failed.emit(text)


def position_from_row(row: dict[str, Any]) -> Position:
    """A TT position from the capture's snapshot (exact decimals were kept as fraction text)."""
    money = ("pnl", "realized_pnl", "avg_buy", "avg_sell")
    return Position(**{k: (None if row.get(k) is None else Fraction(row[k])) if k in money else v
                       for k, v in row.items() if k in Position.__dataclass_fields__})


def attach(session: Any) -> DeskFeed | None:
    """A `DeskFeed` wired into `session` when its store is a desk database, else None (the window
    polls TT itself, as on one PC). Its slots are the session's own, as for the TT pollers."""
    from zn_ladder.store.desk import is_desk_url

    config = session.config
    if not is_desk_url(config.db_path):
        return None
    feed = DeskFeed(str(config.db_path), config.conn.env, session.health, parent=session)
    feed.orders.connect(session._on_orders)
    feed.positions.connect(session._on_positions)
    feed.fillsChanged.connect(session.store.refresh)
    feed.failed.connect(session.emit_status)
    return feed
