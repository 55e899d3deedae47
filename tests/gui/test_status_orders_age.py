"""The status strip's orders age turns amber once the orders snapshot is older than twice its interval
(issue 12: between polls the grid and the ladder are that snapshot net of the fills since)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from zn_ladder.ui.status import StatusStrip, snapshot_is_old
from zn_ladder.ui.theme import DARK
from zn_ladder.workers.health import HealthBoard
from zn_ladder.workers.snapshots import SourceHealth, StatusSnapshot

NOW = datetime(2026, 12, 3, 14, 0, tzinfo=timezone.utc)


def _status(orders_age_s: float, interval_s: float = 10.0, state: str = "ok") -> StatusSnapshot:
    at = NOW - timedelta(seconds=orders_age_s)
    health = (SourceHealth("orders", state, at, at, interval_s=interval_s),
              SourceHealth("fills", "ok", NOW - timedelta(seconds=1), interval_s=1.0))
    return StatusSnapshot(env="UAT", demo=False, connection="connected", health=health, at=NOW, orders_at=at)


def test_the_rule_is_twice_the_interval() -> None:
    assert not snapshot_is_old(20.0, 10.0) and snapshot_is_old(20.5, 10.0)
    assert not snapshot_is_old(3600.0, 0.0)  # not polled: no age rule


def test_orders_label_is_amber_only_past_twice_its_interval(qtbot) -> None:
    strip = StatusStrip(DARK)
    qtbot.addWidget(strip)
    label = strip.ages["orders"]
    strip.apply(_status(15))
    assert label.text() == "Orders 15s" and DARK.stale not in label.styleSheet()
    strip.apply(_status(25))
    assert label.text() == "Orders 25s" and f"color: {DARK.stale}" in label.styleSheet()
    assert "twice the 10s poll interval" in label.toolTip()
    # Fills of the same age rule are not coloured by it (only the orders snapshot is netted).
    assert DARK.stale not in strip.ages["fills"].styleSheet()
    strip.apply(_status(25, interval_s=30.0))
    assert DARK.stale not in label.styleSheet()
    strip.stop()


def test_the_health_board_reports_each_interval() -> None:
    board = HealthBoard(clock=lambda: NOW)
    board.configure("orders", 10.0)
    board.ok("orders", NOW)
    assert board.health("orders").interval_s == 10.0
