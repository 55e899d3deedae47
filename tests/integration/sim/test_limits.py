"""429 above the usage plan's rate, with or without Retry-After; refused requests cost no budget."""

from __future__ import annotations

import time

from tests.integration.sim.conftest import TTCaller


def test_burst_above_rate_gets_429_with_retry_after(start_sim):
    sim = start_sim(rate_limit=3.0)
    tt = TTCaller(sim)
    tt.login()  # one of the three
    statuses = [tt.get("ttpds/markets") for _ in range(12)]
    codes = [a.status_code for a in statuses]
    assert codes[:2] == [200, 200]
    assert 429 in codes
    refused = next(a for a in statuses if a.status_code == 429)
    assert int(refused.headers["Retry-After"]) >= 1
    assert refused.json()["status"] != "Ok" and refused.json()["status_message"]


def test_429_without_retry_after_when_configured(start_sim):
    sim = start_sim(rate_limit=1.0, retry_after=False)
    tt = TTCaller(sim)
    tt.login()
    refused = tt.get("ttpds/markets")
    assert refused.status_code == 429
    assert "Retry-After" not in refused.headers


def test_rate_recovers_after_waiting(start_sim):
    sim = start_sim(rate_limit=5.0)
    tt = TTCaller(sim)
    tt.login()
    while tt.get("ttpds/markets").status_code == 200:
        pass
    time.sleep(0.25)  # 5 rps: a token is back after 0.2 s
    assert tt.get("ttpds/markets").status_code == 200


def test_admitted_requests_never_exceed_the_rate(start_sim):
    rate = 4.0
    sim = start_sim(rate_limit=rate)
    tt = TTCaller(sim)
    tt.login()
    deadline = time.monotonic() + 1.5
    while time.monotonic() < deadline:
        tt.get("ttpds/markets")
    ok_times = [r.time for r in sim.request_log if r.status == 200]
    # Any one-second window holds at most the bucket (rate) plus what refills within it (rate).
    for i, start in enumerate(ok_times):
        in_window = [t for t in ok_times[i:] if t - start < 1.0]
        assert len(in_window) <= 2 * rate + 1  # +1: times are taken a moment after admission
    assert any(r.status == 429 for r in sim.request_log)


def test_daily_limit(start_sim):
    sim = start_sim(daily_limit=3)
    tt = TTCaller(sim)
    tt.login()
    codes = [tt.get("ttpds/markets").status_code for _ in range(4)]
    assert codes == [200, 200, 429, 429]
