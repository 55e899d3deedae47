"""`zn-ladder` without a display: one line naming the problem and the headless ways, exit 2 (issue 14 §7),
never Qt's abort (exit 134, a core dump and a message about xcb-cursor0)."""

from __future__ import annotations

import pytest

from zn_ladder.app import no_display_reason


def test_the_window_command_without_a_display_says_so_in_one_line(run_cli, cli_env):
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        cli_env.pop(name, None)
    done = run_cli(timeout=60)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "no display found" in lines[0]
    assert "zn-ladder selftest" in lines[0] and "QT_QPA_PLATFORM=offscreen" in lines[0]
    assert "xcb-cursor" not in done.stderr


@pytest.mark.parametrize("environ, platform, missing", [
    ({}, "linux", True),
    ({"DISPLAY": ":0"}, "linux", False),
    ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", False),
    ({"QT_QPA_PLATFORM": "offscreen"}, "linux", False),
    ({"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "wayland-0"}, "linux", True),
    ({"QT_QPA_PLATFORM": "wayland", "DISPLAY": ":0"}, "linux", True),
    ({}, "win32", False),
    ({}, "darwin", False),
])
def test_which_environments_have_no_display(environ, platform, missing):
    assert (no_display_reason(environ, platform) is not None) is missing
