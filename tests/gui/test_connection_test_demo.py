"""Test connection tests the window's own TT (issue 14 §4): in DEMO it used to start a second simulator and
report '0 fills in the last 5 min' while the window showed a busy day."""

from __future__ import annotations

import dataclasses
import re

from .live_app import make_controller


def test_the_dialog_tests_the_sessions_own_connection(qtbot, tmp_path, ui_home) -> None:
    controller = make_controller(tmp_path)
    qtbot.addWidget(controller.window)
    controller.start()
    try:
        qtbot.waitUntil(lambda: controller.session is not None, timeout=10_000)
        session = controller.session
        qtbot.waitUntil(lambda: session.last_fills is not None and len(session.last_fills.fills) >= 5, timeout=20_000)
        controller.open_settings()
        dialog = controller.dialog
        checks = dialog.tester._checks(controller.settings)
        assert checks[0].name == "connection" and controller.session.config.conn.base_url in checks[0].detail
        fills = next(c for c in checks if c.name == "endpoint fills")
        count = int(re.search(r"(\d+) fills?", fills.detail).group(1))
        assert fills.ok and count > 0  # the embedded simulator's day, as the window shows it
        # Settings edited towards another TT are tested as doctor would, not against this session.
        other = dataclasses.replace(controller.settings, tt=dataclasses.replace(controller.settings.tt,
                                                                                base_url="http://127.0.0.1:9"))
        assert dialog.tester._checks(other)[0].name != "connection"
        dialog.reject()
    finally:
        controller.shutdown()
