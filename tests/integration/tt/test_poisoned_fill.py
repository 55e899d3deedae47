"""Issue 13 §1: one number >= 2^63 in TT's answer (`lastQty` 1e20) made `monitor` exit 1 on every
start with none of that page's fills stored. Now that record is a warning and the others are stored."""

from __future__ import annotations

import sqlite3

import pytest

from zn_ladder.tt.sim import SimConfig

from .test_unreadable_fills import ScriptedTT, fill


@pytest.mark.parametrize("field, value", [("lastQty", 1e20), ("lastQty", 2 ** 64), ("lastPx", 1e300),
                                          ("cumQty", 1e20), ("timeStamp", 10 ** 30)])
def test_monitor_stores_the_fills_around_a_poisoned_record(cli_env, tmp_path, field, value):
    import subprocess
    import sys

    tt = ScriptedTT()
    try:
        poisoned = fill("P", 200)
        poisoned[field] = value
        tt.fills = [fill("A", 100), poisoned, fill("C", 300)]
        db = tmp_path / "s.sqlite3"
        env = {**cli_env, "ZN_LADDER_TT_KEY": "k-123456", "ZN_LADDER_TT_SECRET": "s-123456"}
        for _ in range(2):  # and again on the next start
            done = subprocess.run([sys.executable, "-m", "zn_ladder", "monitor", "--once", "--no-sod", "--db", str(db),
                                   "--base-url", tt.url, "--env", "sim", "--plan", "high"], env=env,
                                  capture_output=True, text=True, timeout=120)
            assert done.returncode == 0, done.stderr
            assert "Traceback" not in done.stderr
        conn = sqlite3.connect(db)
        try:
            keys = sorted(k for (k,) in conn.execute("SELECT key FROM fills"))
            assert max(q for (q,) in conn.execute("SELECT qty FROM fills")) == 1
        finally:
            conn.close()
        assert keys == ["A", "C"]
    finally:
        tt.close()


@pytest.mark.parametrize("value", [-1.0, float("nan"), float("inf")])
def test_the_simulator_refuses_a_step_interval_that_would_spin(value):
    with pytest.raises(ValueError, match="step_interval"):
        SimConfig(step_interval=value)
