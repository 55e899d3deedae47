"""`reconcile` against the simulator's positions, and `monitor` stopping cleanly on SIGINT then resuming."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from zn_ladder.domain.records import Fill, Side
from zn_ladder.store.store import Store
from zn_ladder.tt.sim import DEMO_API_KEY, DEMO_API_SECRET, SimConfig, SimulatorServer


@pytest.fixture
def sim_env(cli_env: dict[str, str]) -> dict[str, str]:
    cli_env.update({"ZN_LADDER_TT_KEY": DEMO_API_KEY, "ZN_LADDER_TT_SECRET": DEMO_API_SECRET})
    return cli_env


@pytest.fixture
def sim():
    with SimulatorServer(SimConfig(seed=4, step_interval=None, step_ns=50_000_000), host="127.0.0.1", port=0) as s:
        s.market.step_until_fills(15)
        yield s


def test_reconcile_agrees_then_lists_and_audits_a_difference(sim, sim_env, run_cli, store_url) -> None:
    db = store_url
    captured = run_cli("monitor", "--db", str(db), "--base-url", sim.url, "--once", "--plan", "high")
    assert captured.returncode == 0, captured.stderr
    agree = run_cli("reconcile", "--db", str(db), "--base-url", sim.url, "--json")
    assert agree.returncode == 0, agree.stdout + agree.stderr
    payload = json.loads(agree.stdout)
    assert payload["differences"] == 0 and len(payload["positions"]) == len(sim.market.net_positions())
    net = {str(a): p for a, p in sim.market.net_positions().items()}
    assert {r["account"]: r["tt"] for r in payload["positions"]} == net

    row = payload["positions"][0]
    with Store.open(db) as store:  # a fill TT never reported (a manual entry gone wrong)
        store.ingest([Fill("manual-1", row["account"], row["contract"], Side.BUY, 3, 7000, 2**62, "", "",
                           "fill_monitor")])
    differ = run_cli("reconcile", "--db", str(db), "--base-url", sim.url)
    assert differ.returncode == 1
    assert "DIFFERS" in differ.stdout and "1 difference(s)" in differ.stdout
    with Store.open(db) as store:
        entry = store.audit_entries("reconciliation_difference")[0]
    assert entry.detail["difference"] == 3 and entry.detail["account"] == row["account"]


def test_monitor_stops_on_sigint_and_resumes_from_its_cursor(sim, sim_env, store_url) -> None:
    db = store_url
    cmd = [sys.executable, "-m", "zn_ladder", "monitor", "--db", str(db), "--base-url", sim.url,
           "--interval", "0.05", "--plan", "high"]
    first = subprocess.Popen(cmd, env=sim_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert "from the start of the day" in first.stdout.readline()
    while "fills" not in first.stdout.readline():  # SOD line, then the first fills
        pass
    first.send_signal(signal.SIGINT)
    out, err = first.communicate(timeout=30)
    assert first.returncode == 0, err
    assert "stopped:" in out
    with Store.open(db, readonly=True) as store:
        before = store.fill_count()
    assert before == len(sim.market.published_fills())
    sim.market.step_until_fills(5)
    second = subprocess.run([*cmd, "--once"], env=sim_env, capture_output=True, text=True, timeout=60)
    assert second.returncode == 0, second.stderr
    assert "resuming from the stored cursor" in second.stdout
    with Store.open(db, readonly=True) as store:
        assert store.fill_count() == len(sim.market.published_fills()) >= before + 5


def test_monitor_refuses_a_bad_interval(sim_env, run_cli, tmp_path: Path) -> None:
    result = run_cli("monitor", "--db", str(tmp_path / "s.sqlite3"), "--interval", "0")
    assert result.returncode == 2 and "--interval" in result.stderr


def test_tt_fills_json_imports_with_names_from_the_monitor(sim, sim_env, run_cli, tmp_path: Path, store_url,
                                                          new_store_url) -> None:
    """A TT fills JSON names instruments by id; after a monitor run the store knows their contracts,
    and the file's executions (already captured) are recognised, busts and corrections included."""
    db = store_url
    export = tmp_path / "fills.json"
    records = sim.market.published_fills() + sim.market.published_corrections()
    export.write_text(json.dumps({"status": "Ok", "lastPage": "true", "fills": records}))
    fresh = run_cli("import", str(export), "--db", new_store_url(), "--json")
    assert json.loads(fresh.stdout)["files"][0]["added"] == 0  # no names known: skipped with reasons
    assert run_cli("monitor", "--db", str(db), "--base-url", sim.url, "--once").returncode == 0
    result = run_cli("import", str(export), "--db", str(db), "--json")
    row = json.loads(result.stdout)["files"][0]
    assert (row["kind"], row["added"], row["duplicate"]) == ("tt_fills", 0, len(sim.market.published_fills()))
