"""TT's gateway is strict about paths, headers and request ids; so is the simulator."""

from __future__ import annotations

import uuid

import pytest

from tests.integration.sim.conftest import TTCaller, request_id
from zn_ladder.tt.sim.server import GATEWAY_MESSAGE


@pytest.mark.parametrize("path", ["/TTLEDGER/ext_prod_sim/orders", "/ttledger/EXT_PROD_SIM/orders",
                                  "/TtLedger/ext_prod_sim/fills"])
def test_upper_case_service_or_env_is_403_with_gateway_message(tt, sim, path):
    answer = tt.session.get(sim.url + path, params={"requestId": request_id()},
                            headers={"x-api-key": tt.key, "Authorization": f"Bearer {tt.token}"})
    assert answer.status_code == 403
    assert answer.json()["message"] == GATEWAY_MESSAGE
    assert answer.json()["status"] != "Ok"


def test_get_with_content_type_is_403(tt):
    answer = tt.get("ttledger/orders", headers={"Content-Type": "application/json"})
    assert answer.status_code == 403
    assert answer.json()["status_message"] == GATEWAY_MESSAGE
    assert tt.get("ttledger/orders").status_code == 200


@pytest.mark.parametrize("value", [
    None,
    "",
    f"znladder--{uuid.uuid4()}",  # no company
    f"zn_ladder-desk--{uuid.uuid4()}",  # underscore
    f"znladder-desk-{uuid.uuid4()}",  # single hyphen before the uuid
    f"znladder-desk--{uuid.uuid1()}",  # not a uuid4
    "znladder-desk--not-a-uuid",
    f"znladder-desk--{uuid.uuid4()} ",
])
def test_missing_or_malformed_request_id_is_403(tt, value):
    answer = tt.get("ttledger/orders", request_id_value=value)
    assert answer.status_code == 403
    assert "requestId" in answer.json()["status_message"]


def test_request_id_with_hyphenated_company_is_accepted(tt):
    assert tt.get("ttledger/orders", request_id_value=f"znladder-acme-capital--{uuid.uuid4()}").status_code == 200


def test_other_environment_is_refused(tt, sim):
    answer = tt.session.get(f"{sim.url}/ttledger/ext_prod_live/orders", params={"requestId": request_id()},
                            headers={"x-api-key": tt.key, "Authorization": f"Bearer {tt.token}"})
    assert answer.status_code == 403
    assert "ext_prod_live" in answer.json()["status_message"]
    assert TTCaller(sim).post_token(env="ext_uat_cert").status_code == 403


def test_missing_api_key_header_is_403(tt, sim):
    answer = tt.session.get(f"{sim.url}/ttledger/{sim.config.env}/orders", params={"requestId": request_id()},
                            headers={"Authorization": f"Bearer {tt.token}"})
    assert answer.status_code == 403


def test_unknown_endpoint_and_service(tt, sim):
    assert tt.get("ttledger/trades").status_code == 404
    answer = tt.session.get(f"{sim.url}/ttfoo/{sim.config.env}/orders", params={"requestId": request_id()},
                            headers={"x-api-key": tt.key})
    assert answer.status_code == 403


def test_data_endpoints_are_read_only(tt, sim):
    answer = tt.session.post(f"{sim.url}/ttledger/{sim.config.env}/orders", params={"requestId": request_id()},
                             headers={"x-api-key": tt.key, "Authorization": f"Bearer {tt.token}"}, data={})
    assert answer.status_code == 405


def test_request_log_and_records_see_every_request(tt, sim):
    tt.get("ttpds/markets")
    tt.get("ttledger/orders", headers={"Content-Type": "text/plain"})
    methods = [(m, p, s) for m, p, s, _ in sim.request_log]
    assert methods == [("POST", "/ttid/ext_prod_sim/token", 200), ("GET", "/ttpds/ext_prod_sim/markets", 200),
                       ("GET", "/ttledger/ext_prod_sim/orders", 403)]
    record = sim.requests[1]
    assert record.headers["x-api-key"] == tt.key
    assert "content-type" not in record.headers
    assert record.query["requestId"].startswith("znladder-tests--")


def test_a_simulator_bug_answers_500_and_keeps_serving(tt, sim, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(sim._routes, "answer", broken)
    answer = tt.get("ttledger/orders")
    assert answer.status_code == 500 and answer.json()["status"] != "Ok"
    monkeypatch.undo()
    assert tt.get("ttledger/orders").status_code == 200
