"""Injected faults: each kind as a client sees it, deterministic for a seed, and a hang ends at stop()."""

from __future__ import annotations

import threading

import pytest
import requests

from tests.integration.sim.conftest import TTCaller


def _faulty(start_sim, kind, **fields):
    sim = start_sim(fault_rate=1.0, fault_kinds=(kind,), **fields)
    tt = TTCaller(sim)
    tt.login()  # the token POST is spared by default
    return sim, tt


@pytest.mark.parametrize("kind", ["500", "502", "503"])
def test_server_errors(start_sim, kind):
    sim, tt = _faulty(start_sim, kind)
    answer = tt.get("ttledger/orders")
    assert answer.status_code == int(kind)
    assert answer.json()["status"] != "Ok"
    assert sim.faults_drawn == {kind: 1}


def test_non_json_body(start_sim):
    sim, tt = _faulty(start_sim, "non_json")
    answer = tt.get("ttledger/fills", minTimestamp=0)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "text/html"
    with pytest.raises(ValueError):
        answer.json()


def test_missing_field(start_sim):
    sim, tt = _faulty(start_sim, "missing_field")
    sim.market.step_until_fills(3)
    page = tt.get("ttledger/fills", minTimestamp=0).json()
    assert "lastPage" not in page and page["status"] == "Ok" and page["fills"]
    single = tt.get("ttpds/markets").json()
    assert "status" not in single and single["markets"]


def test_numbers_as_strings(start_sim):
    sim, tt = _faulty(start_sim, "string_numbers")
    sim.market.step_until_fills(3)
    fills = tt.get("ttledger/fills", minTimestamp=0).json()["fills"]
    truth = sim.market.published_records()
    assert fills[0]["lastPx"] == repr(truth[0]["lastPx"])
    assert fills[0]["timeStamp"] == str(truth[0]["timeStamp"])
    assert fills[0]["accountId"] == str(truth[0]["accountId"])
    assert fills[0]["side"] == truth[0]["side"]


def test_hang_outlasts_a_client_timeout_then_answers_504(start_sim):
    sim, tt = _faulty(start_sim, "hang", hang_seconds=0.6)
    with pytest.raises(requests.exceptions.ReadTimeout):
        tt.get("ttledger/orders", timeout=0.2)
    # A patient client gets the gateway's 504 once the hang is over.
    answer = tt.get("ttledger/orders", timeout=10)
    assert answer.status_code == 504


def test_hang_ends_when_the_server_stops(start_sim):
    sim, tt = _faulty(start_sim, "hang", hang_seconds=600)
    outcome: dict[str, object] = {}

    def call() -> None:
        try:
            outcome["status"] = tt.get("ttledger/orders", timeout=60).status_code
        except requests.exceptions.RequestException as exc:
            outcome["error"] = exc

    caller = threading.Thread(target=call)
    caller.start()
    while not sim.faults_drawn and caller.is_alive():  # the fault is drawn before the hang begins
        caller.join(0.02)
    stopper = threading.Thread(target=sim.stop)
    stopper.start()
    stopper.join(10)
    caller.join(10)
    assert not stopper.is_alive(), "stop() did not end a hanging request"
    assert not caller.is_alive()
    assert "error" in outcome  # the connection was closed without an answer


def test_token_post_spared_unless_asked(start_sim):
    sim = start_sim(fault_rate=1.0, fault_kinds=("503",), fault_token=True)
    assert TTCaller(sim).post_token().status_code == 503


def test_latency_delays_answers(start_sim):
    import time

    sim = start_sim(latency_ms=150)
    tt = TTCaller(sim)
    tt.login()
    began = time.monotonic()
    assert tt.get("ttpds/markets").status_code == 200
    assert time.monotonic() - began >= 0.15


def _statuses(start_sim, seed):
    sim = start_sim(seed=seed, fault_rate=0.4, fault_kinds=("500", "502", "503", "non_json", "missing_field"))
    tt = TTCaller(sim)
    tt.login()
    out = []
    for _ in range(40):
        answer = tt.get("ttpds/markets")
        kind = answer.status_code if answer.status_code != 200 else (
            "html" if answer.headers["Content-Type"] == "text/html" else sorted(answer.json()))
        out.append(kind)
    return out, sim.faults_drawn


def test_faults_are_deterministic_for_a_seed(start_sim):
    first, drawn = _statuses(start_sim, seed=7)
    again, _ = _statuses(start_sim, seed=7)
    other, _ = _statuses(start_sim, seed=8)
    assert first == again
    assert first != other
    assert 5 <= sum(drawn.values()) <= 30  # about 40 % of 40


def test_504_on_request(start_sim):
    sim, tt = _faulty(start_sim, "504")
    assert tt.get("ttpds/markets").status_code == 504


def test_redirect_is_a_303_that_a_client_follows(start_sim):
    sim, tt = _faulty(start_sim, "redirect")
    answer = tt.get("ttpds/markets")
    assert answer.status_code == 200 and answer.json()["markets"]
    assert [r.status_code for r in answer.history] == [303]
    assert [r.status for r in sim.request_log][-2:] == [303, 200]
    no_follow = tt.session.get(answer.history[0].url, allow_redirects=False, timeout=5,
                               headers={"x-api-key": tt.key, "Authorization": f"Bearer {tt.token}"})
    assert no_follow.status_code == 303 and "ttsimRedirected=1" in no_follow.headers["Location"]


def test_status_not_ok_in_a_200(start_sim):
    sim, tt = _faulty(start_sim, "not_ok")
    answer = tt.get("ttledger/orders")
    assert answer.status_code == 200
    assert answer.json()["status"] == "Failed" and answer.json()["status_message"]


def test_null_field(start_sim):
    sim, tt = _faulty(start_sim, "null_field")
    sim.market.step_until_fills(3)
    fills = tt.get("ttledger/fills", minTimestamp=0).json()["fills"]
    assert fills[0]["lastPx"] is None and fills[1]["lastPx"] is not None
    instrument = tt.get(f"ttpds/instrument/{fills[1]['instrumentId']}").json()["instrument"][0]
    assert instrument["tickSize"] is None


def test_broken_content_length_is_400(sim):
    import socket
    from urllib.parse import urlsplit

    host, port = urlsplit(sim.url).hostname, urlsplit(sim.url).port
    with socket.create_connection((host, port), timeout=5) as conn:
        conn.sendall(b"POST /ttid/ext_prod_sim/token?requestId=a-b--0b5c0a8e-3b8e-4e0f-9a3c-2f1d6f1d2e3a "
                     b"HTTP/1.1\r\nHost: x\r\nContent-Length: many\r\n\r\n")
        reply = conn.recv(4096)
    assert reply.startswith(b"HTTP/1.1 400")
