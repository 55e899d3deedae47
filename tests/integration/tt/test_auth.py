"""Tokens over real HTTP: expiry mid-run with exactly one refresh-and-retry, a revoked key, a wrong secret."""

import pytest

from zn_ladder.tt.errors import TTAuthError

from .conftest import log_entries as entries
from .conftest import requests_to


def test_first_call_fetches_one_token_and_reuses_it(sim_server, make_client):
    with sim_server() as sim:
        client = make_client(sim)
        client.orders()
        client.orders()
        client.markets()
        assert client.tokens.refreshes == 1
        assert len(requests_to(sim, "/ttid/")) == 1


def test_token_expired_mid_run_is_refreshed_once_and_the_call_retried(sim_server, make_client):
    with sim_server() as sim:
        client = make_client(sim)
        before = client.orders()
        sim.expire_tokens()
        start = len(sim.request_log)
        after = client.orders()
        assert {o.order_id for o in after.orders} == {o.order_id for o in before.orders}
        tail = [(m, s) for m, p, s in entries(sim)[start:]]
        assert tail == [("GET", 401), ("POST", 200), ("GET", 200)]
        assert client.tokens.refreshes == 2


def test_revoked_key_gives_one_clear_error_and_no_loop(sim_server, make_client):
    with sim_server() as sim:
        # TT allows one token POST per interval: the refresh after the 401 waits for it, then no more POSTs
        client = make_client(sim, token_min_interval=3.0)
        client.orders()
        sim.revoke_key()
        start = len(sim.request_log)
        with pytest.raises(TTAuthError, match="refused the app key and secret for ext_prod_sim") as info:
            client.orders()
        assert info.value.status == 401
        assert [(m, s) for m, p, s in entries(sim)[start:]] == [("GET", 401), ("POST", 401)]
        # Polling again right away asks TT nothing: the refusal is remembered.
        for _ in range(3):
            with pytest.raises(TTAuthError):
                client.orders()
        assert len(sim.request_log) == start + 2


def test_wrong_secret_is_refused_with_the_environment_named(sim_server, make_client):
    with sim_server() as sim:
        client = make_client(sim, app_secret="not-the-secret")
        with pytest.raises(TTAuthError, match="ext_prod_sim"):
            client.orders()
        assert [s for m, p, s in entries(sim)] == [401]


def test_no_secret_or_token_in_error_messages(sim_server, make_client):
    with sim_server() as sim:
        client = make_client(sim, app_secret="sekret-value-123")
        with pytest.raises(TTAuthError) as info:
            client.orders()
        assert "sekret-value-123" not in str(info.value)
        assert "sekret-value-123" not in repr(client.conn)



def test_workers_sharing_a_client_refresh_an_expired_token_once(sim_server, make_client):
    import threading

    with sim_server() as sim:
        client = make_client(sim)
        client.orders()
        sim.expire_tokens()
        errors, results = [], []

        def work():
            try:
                for _ in range(3):
                    results.append(len(client.orders().orders))
            except Exception as exc:  # collected and asserted below
                errors.append(exc)

        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert errors == [] and len(results) == 12
        assert sim.tokens_issued == 2 and client.tokens.refreshes == 2
        assert len(requests_to(sim, "/ttid/")) == 2
