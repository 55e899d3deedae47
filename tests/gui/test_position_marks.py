"""The window's marks for a position that differs from TT's, driven by status snapshots."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

from zn_ladder.domain.reconcile import PositionDifference
from zn_ladder.ui.position_marks import difference_line, position_tooltip
from zn_ladder.ui.theme import DARK
from zn_ladder.workers.snapshots import SourceHealth, StatusSnapshot

CHECKED = datetime(2026, 11, 26, 14, 2, 11, tzinfo=timezone.utc)
HHMMSS = CHECKED.astimezone().strftime("%H:%M:%S")
D1 = PositionDifference("1334000", "ZN Dec26", 3, 5)
D2 = PositionDifference("1334001", "ZN Dec26", 0, -2)


def _status(*diffs: PositionDifference, failing: str = "") -> StatusSnapshot:
    health = tuple(SourceHealth(n, "failing" if n == failing else "ok", CHECKED - timedelta(seconds=2),
                                CHECKED - timedelta(minutes=1) if n == failing else None,
                                "TT answered 503" if n == failing else "")
                   for n in ("orders", "fills", "positions", "spot"))
    return StatusSnapshot(env="SIM", demo=True, connection="connected", health=health, at=CHECKED,
                          position_differences=diffs, positions_checked_at=CHECKED if diffs else None)


def test_lines_read_as_a_trader_expects() -> None:
    assert difference_line(D1, CHECKED) == f"Position differs from TT: 1334000 ZN Dec26 app +3, TT +5 (checked {HHMMSS})"
    assert difference_line(D2, None) == "Position differs from TT: 1334001 ZN Dec26 app 0, TT -2"
    tip = position_tooltip([D1, D2], CHECKED)
    assert "1334000 ZN Dec26: app +3, TT +5 (difference -2 lots)" in tip
    assert "1334001 ZN Dec26: app 0, TT -2 (difference +2 lots)" in tip
    assert "two consecutive TT position polls" in tip and position_tooltip([], CHECKED) == ""


def test_a_difference_shows_a_red_banner_line_and_marks_the_position_card(window) -> None:
    window.apply_status(_status(D1, D2))
    lines = window.banner.text().splitlines()
    assert lines[:2] == [difference_line(D1, CHECKED), difference_line(D2, CHECKED)]
    assert window.banner.isVisibleTo(window)
    assert DARK.failing in window.banner.styleSheet()  # red, not the amber of a stale source
    marker = window.summary.position_marker
    assert marker.isVisibleTo(window) and marker.text() == "≠ TT"
    assert "1334001 ZN Dec26: app 0, TT -2" in marker.toolTip()
    assert window.summary.values["position"].toolTip() == marker.toolTip()
    assert window.summary.position_box.property("differs") is True

    # Alongside a failing source: the difference first, the source's line kept.
    window.apply_status(_status(D1, failing="fills"))
    text = window.banner.text()
    assert text.splitlines()[0] == difference_line(D1, CHECKED) and "FILLS FAILING" in text
    assert "1334001" not in text and "1334001" not in marker.toolTip()

    # They agree again: every mark goes.
    window.apply_status(_status())
    assert window.banner.isHidden() and not marker.isVisibleTo(window)
    assert marker.toolTip() == "" and window.summary.position_box.property("differs") is False


def test_status_snapshots_without_the_new_fields_still_build() -> None:
    snap = StatusSnapshot(env="LIVE", demo=False, connection="connected")
    assert snap.position_differences == () and snap.positions_checked_at is None
    assert replace(snap, position_differences=(D1,)).position_differences == (D1,)
