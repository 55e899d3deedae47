"""The simulator's small parts: ledger pages, fault transforms, rate limiter, tokens, page keys."""

from __future__ import annotations

import pytest

from zn_ladder.tt.sim import faults
from zn_ladder.tt.sim.config import SimConfig
from zn_ladder.tt.sim.ledger import Ledger
from zn_ladder.tt.sim.ratelimit import RateLimiter
from zn_ladder.tt.sim.routes import BadRequest, decode_key, encode_key
from zn_ladder.tt.sim.tokens import TokenStore


def _trade(i: int, ts: int, account: int = 1) -> dict:
    return {"execID": f"e{i}", "accountId": account, "side": "1", "lastQty": 1.0, "lastPx": 110.5,
            "timeStamp": ts, "execType": "F"}


def test_ledger_pages_resume_and_filter():
    ledger = Ledger()
    for i, ts in enumerate([10, 20, 20, 30, 40, 50]):
        ledger.publish(_trade(i, ts, account=1 + i % 2))
    rows, resume = ledger.page(20, -1, 2)
    assert [r["execID"] for r in rows] == ["e1", "e2"] and resume == 2
    rows, resume = ledger.page(20, resume, 2)
    assert [r["execID"] for r in rows] == ["e3", "e4"] and resume == 4
    rows, resume = ledger.page(20, resume, 2)
    assert [r["execID"] for r in rows] == ["e5"] and resume is None
    rows, resume = ledger.page(0, -1, 2, account=2)
    assert [r["execID"] for r in rows] == ["e1", "e3"] and resume is not None
    rows, resume = ledger.page(0, resume, 2, account=2)
    assert [r["execID"] for r in rows] == ["e5"] and resume is None
    rows, resume = ledger.page(0, -1, 3, account=2)
    assert len(rows) == 3 and resume is None  # a full last page says it is last


def test_ledger_refuses_out_of_order_records():
    ledger = Ledger()
    ledger.publish(_trade(0, 10))
    with pytest.raises(ValueError):
        ledger.publish(_trade(1, 9))


def test_fault_transforms():
    body = {"status": "Ok", "lastPage": "true", "fills": [{"lastQty": 5.0, "timeStamp": 12, "ok": True}]}
    assert faults.numbers_as_strings(body)["fills"] == [{"lastQty": "5.0", "timeStamp": "12", "ok": True}]
    assert "lastPage" not in faults.drop_a_field(body) and "lastPage" in body
    assert "status" not in faults.drop_a_field({"status": "Ok", "markets": []})


def test_fault_plan_rate_and_determinism():
    plan = faults.FaultPlan(3, 0.25, ("500", "hang"))
    draws = [plan.draw() for _ in range(400)]
    again = faults.FaultPlan(3, 0.25, ("500", "hang"))
    assert draws == [again.draw() for _ in range(400)]
    hits = [d for d in draws if d]
    assert 60 <= len(hits) <= 140 and set(hits) == {"500", "hang"}
    assert faults.FaultPlan(3, 0.0, ("500",)).draw() is None


def test_rate_limiter_bucket_and_post_interval():
    limiter = RateLimiter(2.0, post_interval=10.0)
    assert limiter.admit() is None and limiter.admit() is None
    wait = limiter.admit()
    assert wait is not None and 0 < wait <= 0.5
    assert RateLimiter.retry_after_header(0.01) == "1" and RateLimiter.retry_after_header(2.2) == "3"
    posts = RateLimiter(None, post_interval=10.0)
    assert posts.admit(is_post=True) is None
    assert posts.admit(is_post=True) > 9
    assert posts.admit() is None  # GETs are not held by the POST rule


def test_token_store():
    store = TokenStore(3600)
    token, lifetime = store.issue()
    assert lifetime == 3600 and store.problem(token) is None
    assert store.problem(None) == "missing" and store.problem("x") == "invalid"
    store.expire_all()
    assert store.problem(token) == "expired"
    fresh, _ = store.issue()
    assert store.problem(fresh) is None
    store.revoke_key()
    assert store.problem(fresh) == "revoked"


def test_page_keys_round_trip_and_refuse_strangers():
    assert decode_key("fills", encode_key("fills", 41)) == 41
    assert decode_key("fills", None) == -1
    with pytest.raises(BadRequest):
        decode_key("fills", encode_key("orders", 3))
    with pytest.raises(BadRequest):
        decode_key("fills", "%%%")


@pytest.mark.parametrize("fields", [{"fault_rate": 1.5}, {"fault_kinds": ("teapot",)}, {"page_size": 0},
                                    {"rate_limit": 0}, {"accounts": ()}, {"env": "EXT_PROD_SIM"}])
def test_config_refuses_nonsense(fields):
    with pytest.raises(ValueError):
        SimConfig(**fields)
