"""The session's long-lived heap is out of the collector's full passes while it runs (issue 14 §18).

A full GC pass walks every tracked object; the window's ~100k import-time objects made it a 60-90 ms
stall of the event loop. `gc.get_objects()` lists the objects the collector still walks (generations
0-2, not the permanent one), so an object made before `start()` must be missing from it while the
session runs, and back once it stops.
"""

from __future__ import annotations

import gc
from pathlib import Path

from .live_app import make_controller


def walked(obj: object) -> bool:
    """Whether the collector's passes still visit `obj` (identity: the list may hold equal others)."""
    return any(o is obj for o in gc.get_objects())


def test_the_window_and_the_session_are_frozen_until_shutdown(qtbot, tmp_path: Path, ui_home: Path) -> None:
    controller = make_controller(tmp_path)
    qtbot.addWidget(controller.window)
    long_lived = {"made": ["before start"]}  # a container: the collector tracks it
    assert gc.is_tracked(long_lived) and walked(long_lived)
    controller.start()
    try:
        assert not walked(long_lived)
        assert not walked(controller.window.__dict__)  # the window's own state, not only the test's dict
        made_after = {"made": ["after start"]}
        assert walked(made_after)  # what the session makes later is still collected as usual
        # DEMO: the session is built once the simulator listens; its workers and store live as long.
        qtbot.waitUntil(lambda: controller.session is not None, timeout=15_000)
        assert not walked(controller.session.__dict__)
        assert walked({"made": ["while the session runs"]})  # snapshots and the like: collected as usual
    finally:
        controller.window.close()
        controller.shutdown()
    assert walked(long_lived) and gc.get_freeze_count() == 0
