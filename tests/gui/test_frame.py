"""The session's whole-state snapshots reach the window once per turn of the event loop (ui/frame.py):
the newest of each kind, in the order the kinds first came, never while the queued calls run."""

from __future__ import annotations

from zn_ladder.ui.frame import Frame


def test_each_kind_is_applied_once_with_its_newest_snapshot_after_the_current_pass(qtbot) -> None:
    frame = Frame()
    applied: list[tuple[str, int]] = []
    ladder = frame.latest("ladder", lambda s: applied.append(("ladder", s)))
    status = frame.latest("status", lambda s: applied.append(("status", s)))
    ladder(1)
    status(10)
    ladder(2)
    ladder(3)
    assert applied == []  # nothing while the queued calls of this pass run
    qtbot.waitUntil(lambda: bool(applied), timeout=1000)
    assert applied == [("ladder", 3), ("status", 10)]
    status(11)
    qtbot.waitUntil(lambda: len(applied) == 3, timeout=1000)
    qtbot.wait(20)
    assert applied[2:] == [("status", 11)]  # a later turn: only what came since


def test_a_stopped_frame_applies_nothing_pending(qtbot) -> None:
    frame = Frame()
    applied: list[int] = []
    hold = frame.latest("pnl", applied.append)
    hold(1)
    frame.stop()
    qtbot.wait(30)
    assert applied == []
    hold(2)
    qtbot.waitUntil(lambda: applied == [2], timeout=1000)
