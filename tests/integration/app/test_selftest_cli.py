"""`zn-ladder selftest` as CI runs it: a subprocess, offscreen, exit 0 and a PNG."""

from __future__ import annotations

from pathlib import Path


def test_selftest_exits_0_and_writes_a_png(run_cli, cli_env, tmp_path: Path) -> None:
    cli_env["QT_QPA_PLATFORM"] = "offscreen"
    shot = tmp_path / "shots" / "selftest.png"
    proc = run_cli("selftest", "--screenshot", str(shot), "--seconds", "60", timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "selftest ok" in proc.stdout and "match the simulator's ground truth" in proc.stdout
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    # It used its own temporary store and layout, not the user's.
    home = Path(cli_env["ZN_LADDER_HOME"])
    assert not (home / "data" / "demo.sqlite3").exists()
    assert not (home / "config" / "window.ini").exists()


def test_selftest_refuses_a_bad_duration(run_cli) -> None:
    proc = run_cli("selftest", "--seconds", "0")
    assert proc.returncode == 2
    assert "--seconds" in proc.stderr and "above 0" in proc.stderr and proc.stderr.count("\n") == 1
