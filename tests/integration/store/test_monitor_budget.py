"""The day's TT request count survives restarts (issue 13 §18): a restart loop of `monitor` used to spend
a fresh allowance each time. The count is kept in the store (tokens stay in memory)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from zn_ladder.tt.sim import DEMO_API_KEY, DEMO_API_SECRET, SimConfig, SimulatorServer


def test_each_restart_counts_on_from_the_last(cli_env, tmp_path: Path) -> None:
    env = {**cli_env, "ZN_LADDER_TT_KEY": DEMO_API_KEY, "ZN_LADDER_TT_SECRET": DEMO_API_SECRET}
    db = tmp_path / "s.sqlite3"
    with SimulatorServer(SimConfig(step_interval=None, history_fills=3), host="127.0.0.1", port=0) as sim:
        seen = []
        for _ in range(3):
            done = subprocess.run([sys.executable, "-m", "zn_ladder", "monitor", "--once", "--no-sod", "--db", str(db),
                                   "--base-url", sim.url, "--env", "sim", "--plan", "high"], env=env,
                                  capture_output=True, text=True, timeout=120)
            assert done.returncode == 0, done.stderr
            conn = sqlite3.connect(db)
            try:
                (value,) = conn.execute("SELECT value FROM cursors WHERE source LIKE 'tt_budget:%'").fetchone()
            finally:
                conn.close()
            seen.append(json.loads(value)["used"])
        users = {str(r[k]) for r in sim.market.published_fills() for k in ("userId", "currUserId")}
    # Each run spends the same few requests (a token and one fills page at least); the stored count
    # grows by them every run instead of starting from zero. The first also names the fills' users (one
    # request each), which the store keeps: later runs ask for none.
    per_run = seen[1] - seen[0]
    assert per_run >= 2 and seen == [per_run + len(users), 2 * per_run + len(users), 3 * per_run + len(users)]
