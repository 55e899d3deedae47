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


def test_the_app_hands_whole_states_through_the_frame_and_fills_straight_to_the_window(qtbot, tmp_path, ui_home):
    """The wiring in app.py: a P&L the session emits waits for the next turn; a fills snapshot (it carries
    the fills new since the last one, for the sound) is applied at once."""
    from .live_app import make_controller

    controller = make_controller(tmp_path)
    w = controller.window
    seen: dict[str, list] = {"pnl": [], "fills": []}
    for kind, name in (("pnl", "apply_pnl"), ("fills", "apply_fills")):
        original = getattr(w, name)

        def record(snap, original=original, kind=kind) -> None:
            seen[kind].append(snap)
            original(snap)

        setattr(w, name, record)  # before start(): the session is wired to these
    qtbot.addWidget(w)
    w.show()
    controller.start()
    try:
        qtbot.waitUntil(lambda: bool(seen["pnl"] and seen["fills"]), timeout=20_000)
        session = controller.session
        pnl, fills = seen["pnl"][-1], seen["fills"][-1]
        before = len(seen["pnl"])
        session.pnlReady.emit(pnl)
        assert len(seen["pnl"]) == before  # held for the next turn of the event loop
        qtbot.waitUntil(lambda: len(seen["pnl"]) > before, timeout=2_000)
        before = len(seen["fills"])
        session.fillsReady.emit(fills)
        assert len(seen["fills"]) == before + 1 and seen["fills"][-1] is fills
    finally:
        w.close()
        controller.shutdown()
