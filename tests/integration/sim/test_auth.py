"""ttid tokens: issued only for the right key and secret, refused when missing, wrong, expired or revoked."""

from __future__ import annotations

import time

from tests.integration.sim.conftest import TTCaller


def test_token_answer_has_tt_shape(sim):
    answer = TTCaller(sim).post_token()
    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == "Ok"
    assert body["token_type"] == "bearer"
    assert body["seconds_until_expiry"] == 3600
    assert isinstance(body["access_token"], str) and len(body["access_token"]) >= 20
    assert sim.tokens_issued == 1


def test_wrong_secret_or_key_in_form_is_401(sim):
    assert TTCaller(sim, secret="not-the-secret").post_token().status_code == 401
    wrong = TTCaller(sim)
    answer = wrong.post_token(data={"grant_type": "user_app", "app_key": f"{wrong.key}:{wrong.key}"})
    assert answer.status_code == 401
    assert answer.json()["status"] != "Ok" and answer.json()["status_message"]
    assert sim.tokens_issued == 0


def test_unknown_api_key_header_is_403(sim):
    answer = TTCaller(sim, key="someone-elses-key").post_token()
    assert answer.status_code == 403


def test_token_request_must_be_a_user_app_form(sim):
    caller = TTCaller(sim)
    assert caller.post_token(data={"grant_type": "client_credentials",
                                   "app_key": f"{caller.key}:{caller.secret}"}).status_code == 400
    as_json = caller.session.post(f"{sim.url}/ttid/{sim.config.env}/token",
                                  params={"requestId": "znladder-tests--0b5c0a8e-3b8e-4e0f-9a3c-2f1d6f1d2e3a"},
                                  headers={"x-api-key": caller.key},
                                  json={"grant_type": "user_app", "app_key": f"{caller.key}:{caller.secret}"})
    assert as_json.status_code == 400


def test_data_call_without_or_with_wrong_token_is_401(sim):
    caller = TTCaller(sim)
    assert caller.get("ttledger/orders").status_code == 401
    caller.token = "forged-token"
    answer = caller.get("ttledger/orders")
    assert answer.status_code == 401
    assert "invalid" in answer.json()["status_message"]
    caller.login()
    assert caller.get("ttledger/orders").status_code == 200


def test_expire_tokens_makes_the_next_call_401_and_a_new_token_works(tt, sim):
    assert tt.get("ttpds/markets").status_code == 200
    sim.expire_tokens()
    answer = tt.get("ttpds/markets")
    assert answer.status_code == 401
    assert "expired" in answer.json()["status_message"]
    tt.login()
    assert tt.get("ttpds/markets").status_code == 200


def test_token_lifetime_is_enforced(start_sim):
    sim = start_sim(token_lifetime=0.2)
    caller = TTCaller(sim)
    caller.login()
    assert caller.get("ttpds/markets").status_code == 200
    deadline = time.monotonic() + 5
    status = 200
    while status == 200 and time.monotonic() < deadline:
        time.sleep(0.05)
        status = caller.get("ttpds/markets").status_code
    assert status == 401


def test_revoked_key_refuses_tokens_and_data_until_restored(tt, sim):
    sim.revoke_key()
    assert tt.get("ttledger/orders").status_code == 401
    assert tt.post_token().status_code == 401
    sim.restore_key()
    tt.login()
    assert tt.get("ttledger/orders").status_code == 200


def test_one_token_post_per_interval_when_tt_rule_is_on(start_sim):
    sim = start_sim(token_post_interval=10.0)
    caller = TTCaller(sim)
    assert caller.post_token().status_code == 200
    second = caller.post_token()
    assert second.status_code == 429
    assert int(second.headers["Retry-After"]) >= 9
    assert sim.tokens_issued == 1


def test_token_posts_unlimited_by_default(sim):
    caller = TTCaller(sim)
    assert [caller.post_token().status_code for _ in range(3)] == [200, 200, 200]
