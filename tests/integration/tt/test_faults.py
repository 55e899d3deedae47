"""Rate limits, server errors, timeouts and garbled bodies over real HTTP; every attempt is budgeted."""

import pytest

from zn_ladder.tt.budget import Plan, RequestBudget
from zn_ladder.tt.client import BODY_RETRIES
from zn_ladder.tt.errors import TTBodyError, TTBudgetError, TTRequestError

from .conftest import log_entries


def data_calls(sim):
    return [e for e in log_entries(sim) if e[0] == "GET"]


@pytest.mark.parametrize("retry_after", [True, False])
def test_429_is_retried_until_it_succeeds(sim_server, make_client, retry_after):
    with sim_server(rate_limit=2, retry_after=retry_after) as sim:
        client = make_client(sim, retries=8, backoff_factor=0.1, backoff_max=1.0)
        for _ in range(6):
            client.orders()
        statuses = [s for m, p, s in log_entries(sim)]
        assert 429 in statuses, "the burst must have hit the simulator's rate limit"
        assert statuses.count(200) == 8  # token, instrument lookup, six orders answers
        # every attempt, retries included, was counted
        assert client.budget.usage().used_today == len(statuses)


def test_server_error_storm_is_survived_with_backoff(sim_server, make_client):
    with sim_server(fault_rate=0.5, fault_kinds=("500", "502", "503")) as sim:
        client = make_client(sim, retries=8)
        for _ in range(10):
            client.orders()
        statuses = [s for m, p, s in data_calls(sim)]
        assert {500, 502, 503} & set(statuses)
        assert statuses.count(200) == 11  # ten orders answers and one instrument lookup
        assert client.budget.usage().used_today == len(log_entries(sim))


def test_persistent_5xx_gives_up_after_the_configured_attempts(sim_server, make_client):
    with sim_server(fault_rate=1.0, fault_kinds=("503",)) as sim:
        client = make_client(sim, retries=3)
        with pytest.raises(TTRequestError, match=r"ttledger/orders with HTTP 503 after 4 attempts") as info:
            client.orders()
        assert info.value.status == 503 and info.value.endpoint == "ttledger/orders"
        assert len(data_calls(sim)) == 4


def test_hanging_server_times_out_and_is_retried_then_reported(sim_server, make_client):
    with sim_server(fault_rate=1.0, fault_kinds=("hang",), hang_seconds=3.0) as sim:
        client = make_client(sim, retries=2, timeout=(1.0, 0.3))
        with pytest.raises(TTRequestError, match="ttledger/orders") as info:
            client.orders()
        assert info.value.status is None
        assert client.budget.usage().used_today == 1 + 3  # token + three attempts


def test_non_json_body_is_asked_again_then_reported_with_endpoint_and_status(sim_server, make_client):
    with sim_server(fault_rate=1.0, fault_kinds=("non_json",)) as sim:
        client = make_client(sim)
        with pytest.raises(TTBodyError, match=r"ttledger/orders.*not a JSON object \(HTTP 200") as info:
            client.orders()
        assert (info.value.endpoint, info.value.status) == ("ttledger/orders", 200)
        assert len(data_calls(sim)) == BODY_RETRIES + 1


def test_client_budget_keeps_under_the_per_second_limit(sim_server, make_client):
    with sim_server(rate_limit=3) as sim:
        client = make_client(sim, budget=RequestBudget(Plan("free-like", 3, 10_000)), retries=0)
        for _ in range(9):
            client.orders()
        assert [s for m, p, s in log_entries(sim)].count(429) == 0
        assert client.budget.usage().used_today == 11  # token, instrument, nine orders


def test_daily_budget_stops_requests_before_tt_would_refuse_them(sim_server, make_client):
    with sim_server() as sim:
        client = make_client(sim, budget=RequestBudget(Plan("tiny", 100, 4)))
        client.orders()  # token, instrument lookup, orders
        client.orders()
        with pytest.raises(TTBudgetError, match="4 of 4"):
            client.orders()
        assert len(log_entries(sim)) == 4
        assert client.budget.usage().exhausted


def test_connection_refused_is_retried_then_reported_without_an_http_status(sim_server, make_client):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again when the block ends: nothing listens there
    with sim_server() as sim:
        client = make_client(sim, base_url=f"http://127.0.0.1:{port}", retries=2)
        with pytest.raises(TTRequestError, match=rf"could not be reached at http://127.0.0.1:{port} for ttid/token"
                           ) as info:
            client.orders()
        assert info.value.status is None and info.value.endpoint == "ttid/token"
        assert client.budget.usage().used_today == 3
