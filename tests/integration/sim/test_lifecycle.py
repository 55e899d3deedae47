"""Start, serve, stop: no thread left behind, an auto-running market, and the `zn-ladder sim` command."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading

import pytest
import requests

from tests.integration.sim.conftest import TTCaller
from zn_ladder.tt.sim import SimConfig, SimulatorServer


def test_stop_closes_keep_alive_connections_and_joins_threads():
    before = set(threading.enumerate())
    sim = SimulatorServer(SimConfig(step_interval=0.01)).start()
    callers = [TTCaller(sim) for _ in range(3)]
    for caller in callers:
        caller.login()
        assert caller.get("ttledger/orders").status_code == 200  # connections stay open in the pools
    assert len(sim._conns) == 3
    url = sim.url
    sim.stop()
    assert set(threading.enumerate()) - before == set()
    sim.stop()  # idempotent
    with pytest.raises(requests.exceptions.ConnectionError):
        callers[0].session.get(f"{url}/ttpds/ext_prod_sim/markets", timeout=2)


def test_auto_running_market_moves_and_publishes(start_sim):
    sim = start_sim(step_interval=0.005, start_time_ns=None)
    caller = TTCaller(sim)
    caller.login()
    while sim.market.steps < 200:
        threading.Event().wait(0.02)
    assert sim.market.steps >= 200
    fills = caller.all_fills()
    assert fills == sim.market.published_records()[: len(fills)]


def test_wall_clock_timestamps_when_no_start_is_given(start_sim):
    import time

    sim = start_sim(start_time_ns=None)
    sim.market.step_until_fills(3)
    stamp = sim.market.published_records()[-1]["timeStamp"]
    assert abs(stamp - time.time_ns()) < 60 * 10**9


def test_context_manager_and_url():
    sim = SimulatorServer(SimConfig(step_interval=None))
    with pytest.raises(RuntimeError):
        _ = sim.url
    with sim as running:
        assert running.url.startswith("http://127.0.0.1:")
    with pytest.raises(RuntimeError):
        _ = sim.url


def test_sim_command_prints_url_serves_and_stops_on_sigterm(cli_env):
    proc = subprocess.Popen([sys.executable, "-m", "zn_ladder", "sim", "--port", "0", "--seed", "3",
                             "--page-size", "5", "--step-interval", "0.05"],
                            env=cli_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        sim_view = type("View", (), {"url": url, "config": SimConfig()})()
        caller = TTCaller(sim_view)  # type: ignore[arg-type]
        caller.login()
        body = caller.get("ttledger/orders").json()
        assert body["status"] == "Ok" and len(body["orders"]) == 5 and body["lastPage"] == "false"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_sim_command_stops_on_sigint(cli_env):
    proc = subprocess.Popen([sys.executable, "-m", "zn_ladder", "sim", "--api-key", "k1", "--api-secret", "s1",
                             "--tt-post-rule", "--no-retry-after", "--history-fills", "20"],
                            env=cli_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = proc.stdout.readline().strip()
        answer = requests.post(f"{url}/ttid/ext_prod_sim/token",
                               params={"requestId": "znladder-tests--0b5c0a8e-3b8e-4e0f-9a3c-2f1d6f1d2e3a"},
                               headers={"x-api-key": "k1"}, data={"grant_type": "user_app", "app_key": "k1:s1"},
                               timeout=10)
        assert answer.status_code == 200
        again = requests.post(f"{url}/ttid/ext_prod_sim/token",
                              params={"requestId": "znladder-tests--0b5c0a8e-3b8e-4e0f-9a3c-2f1d6f1d2e3b"},
                              headers={"x-api-key": "k1"}, data={"grant_type": "user_app", "app_key": "k1:s1"},
                              timeout=10)
        assert again.status_code == 429 and "Retry-After" not in again.headers
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.mark.parametrize("args, words", [
    (["--api-key", "only-key"], "--api-secret"),
    (["--fault-rate", "2"], "--fault-rate"),
    (["--env", "EXT_PROD_SIM"], "lower-case"),
])
def test_sim_command_refuses_bad_settings(run_cli, args, words):
    done = run_cli("sim", *args, timeout=60)
    assert done.returncode == 2
    assert words in done.stderr and done.stderr.count("\n") == 1


def test_concurrent_callers_while_the_market_runs(start_sim):
    sim = start_sim(step_interval=0.001, page_size=50)
    results: list[int] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            caller = TTCaller(sim)
            caller.login()
            for _ in range(20):
                results.append(caller.get("ttledger/orders").status_code)
                fills = caller.all_fills()
                stamps = [f["timeStamp"] for f in fills]
                assert stamps == sorted(stamps)
                assert len({f["execID"] for f in fills}) == len(fills)
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    workers = [threading.Thread(target=work) for _ in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert not errors, errors
    assert results == [200] * 80
