"""Fills: inclusive minTimestamp and paging with string lastPage flags; orders page the same way."""

from __future__ import annotations

from tests.integration.sim.conftest import TTCaller


def _caller(start_sim, **fields):
    sim = start_sim(**fields)
    caller = TTCaller(sim)
    caller.login()
    return sim, caller


def test_paging_returns_every_record_once_in_order(start_sim):
    sim, tt = _caller(start_sim, page_size=7)
    sim.market.step_until_fills(60)
    first = tt.get("ttledger/fills", minTimestamp=0).json()
    assert first["lastPage"] == "false" and len(first["fills"]) == 7 and first["nextPageKey"]
    records = tt.all_fills()
    assert records == sim.market.published_records()
    assert len({r["execID"] for r in records}) == len(records)
    stamps = [r["timeStamp"] for r in records]
    assert stamps == sorted(stamps)
    last_pages = [r for r in sim.request_log if r.path.endswith("/fills")]
    assert len(last_pages) >= len(records) // 7


def test_last_page_has_no_next_key(start_sim):
    sim, tt = _caller(start_sim, page_size=1000)
    sim.market.step_until_fills(10)
    body = tt.get("ttledger/fills", minTimestamp=0).json()
    assert body["lastPage"] == "true" and "nextPageKey" not in body


def test_min_timestamp_is_inclusive(tt, sim):
    sim.market.step_until_fills(40)
    records = sim.market.published_records()
    boundary = records[20]
    got = tt.all_fills(boundary["timeStamp"])
    assert got[0]["timeStamp"] == boundary["timeStamp"]
    assert boundary in got
    assert got == [r for r in records if r["timeStamp"] >= boundary["timeStamp"]]
    after_last = tt.all_fills(records[-1]["timeStamp"] + 1)
    assert after_last == []


def test_two_fills_sharing_a_timestamp_both_come_back(tt, sim):
    sim.market.step_until_fills(400)
    records = sim.market.published_records()
    pairs = [(a, b) for a, b in zip(records, records[1:]) if a["timeStamp"] == b["timeStamp"]]
    assert pairs, "the market should publish executions that share a timeStamp"
    a, b = pairs[0]
    got = tt.all_fills(a["timeStamp"])
    assert got[:2] == [a, b]


def test_incremental_cursor_sees_new_fills_without_gap(tt, sim):
    seen: dict[str, dict] = {}
    cursor = 0
    for _ in range(6):
        sim.market.step(150)
        batch = tt.all_fills(cursor)
        for rec in batch:
            seen[rec["execID"]] = rec
        if batch:
            cursor = batch[-1]["timeStamp"]
    assert list(seen.values()) == sim.market.published_records()


def test_paging_with_a_cursor_and_page_boundaries(start_sim):
    sim, tt = _caller(start_sim, page_size=3)
    sim.market.step_until_fills(25)
    records = sim.market.published_records()
    cursor = records[10]["timeStamp"]
    assert tt.all_fills(cursor) == [r for r in records if r["timeStamp"] >= cursor]


def test_account_filter(tt, sim):
    sim.market.step_until_fills(30)
    account = sim.config.accounts[1]
    body = tt.get("ttledger/fills", minTimestamp=0, accountId=account).json()
    assert body["fills"] and {r["accountId"] for r in body["fills"]} == {account}
    assert body["fills"] == [r for r in sim.market.published_records() if r["accountId"] == account]


def test_bad_page_key_or_timestamp_is_400(tt):
    assert tt.get("ttledger/fills", minTimestamp=0, nextPageKey="garbage!").status_code == 400
    assert tt.get("ttledger/fills", minTimestamp="yesterday").status_code == 400
    orders_key = "b3JkZXJzOjQ"  # an orders key is no fills key
    assert tt.get("ttledger/fills", nextPageKey=orders_key).status_code == 400


def test_orders_page(start_sim):
    sim, tt = _caller(start_sim, page_size=4)
    orders, key, pages = [], None, 0
    while True:
        params = {"nextPageKey": key} if key else {}
        body = tt.get("ttledger/orders", **params).json()
        pages += 1
        orders.extend(body["orders"])
        if body["lastPage"] == "true":
            break
        key = body["nextPageKey"]
    assert pages > 1
    assert orders == sim.market.working_orders()
