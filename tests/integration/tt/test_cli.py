"""`zn-ladder tt ...` and `zn-ladder doctor` as support staff run them (subprocesses, real HTTP)."""

import json

from zn_ladder.tt.sim import DEMO_API_KEY, DEMO_API_SECRET


def test_tt_orders_fills_positions_against_a_simulator(sim_server, run_cli, cli_env):
    cli_env["ZN_LADDER_TT_KEY"] = DEMO_API_KEY
    cli_env["ZN_LADDER_TT_SECRET"] = DEMO_API_SECRET
    with sim_server(history_fills=15) as sim:
        orders = run_cli("tt", "orders", "--base-url", sim.url, "--json")
        assert orders.returncode == 0, orders.stderr
        data = json.loads(orders.stdout)
        assert {o["order_id"] for o in data["orders"]} == {o["orderId"] for o in sim.market.working_orders()}
        fills = run_cli("tt", "fills", "--base-url", sim.url, "--json")
        assert fills.returncode == 0, fills.stderr
        got = json.loads(fills.stdout)
        assert [f["key"] for f in got["fills"]] == [r["execID"] for r in sim.market.published_fills()]
        last = got["cursor"]["min_timestamp"]
        since = run_cli("tt", "fills", "--base-url", sim.url, "--since", str(last + 1))
        assert since.returncode == 0 and f"next: --since {last + 1}" in since.stdout
        positions = run_cli("tt", "positions", "--base-url", sim.url)
        assert positions.returncode == 0
        assert "ZN Dec26" in positions.stdout and "net" in positions.stdout.splitlines()[0]
        assert DEMO_API_SECRET not in orders.stdout + orders.stderr + positions.stdout + fills.stderr


def test_tt_without_credentials_says_what_to_do(run_cli):
    result = run_cli("tt", "orders", "--env", "uat")
    assert result.returncode == 2
    assert "no TT app key and secret for ext_uat_cert" in result.stderr and "--demo" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_doctor_demo_passes_every_check(run_cli):
    result = run_cli("doctor", "--demo")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    names = [line.split()[1] for line in lines]
    assert names[:2] == ["credentials", "token"] and "clock" in names and "budget" in names
    assert all(line.startswith("OK") for line in lines)


def test_doctor_reports_a_refused_key_and_exits_non_zero(sim_server, run_cli, cli_env):
    cli_env["ZN_LADDER_TT_KEY"] = DEMO_API_KEY
    cli_env["ZN_LADDER_TT_SECRET"] = "wrong-secret"
    with sim_server() as sim:
        result = run_cli("doctor", "--base-url", sim.url, "--json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    status = {c["name"]: c["status"] for c in report["checks"]}
    assert status["credentials"] == "OK" and status["token"] == "FAIL" and status["budget"] == "SKIP"
    token = next(c for c in report["checks"] if c["name"] == "token")
    assert "refused the app key and secret" in token["detail"]
    assert "wrong-secret" not in result.stdout + result.stderr


def test_tt_demo_orders_need_nothing_configured(run_cli):
    result = run_cli("tt", "orders", "--demo")
    assert result.returncode == 0, result.stderr
    assert "ZN Dec26" in result.stdout
