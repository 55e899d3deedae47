"""The simulated market: deterministic for a seed, realistic books, fills only where price traded."""

from __future__ import annotations

from collections import defaultdict

from zn_ladder.tt.sim.config import SimConfig
from zn_ladder.tt.sim.market import ANCHOR_TICKS, Market

START = 1_790_000_000_000_000_000


def _market(**fields) -> Market:
    fields.setdefault("start_time_ns", START)
    return Market(SimConfig(**fields))


def test_same_seed_same_market_other_seed_other_market():
    a, b, c = _market(seed=5), _market(seed=5), _market(seed=6)
    for m in (a, b, c):
        m.step(400)
    assert a.published_records() == b.published_records()
    assert a.working_orders() == b.working_orders()
    assert a.price_ticks == b.price_ticks
    assert a.published_records() != c.published_records()


def test_records_are_unique_ordered_and_on_the_tick_grid():
    m = _market(correction_rate=0.05)
    m.step(3000)
    records = m.published_records()
    assert len(records) > 100
    assert len({r["execID"] for r in records}) == len(records)
    stamps = [r["timeStamp"] for r in records]
    assert stamps == sorted(stamps) and stamps[0] > START
    for r in records:
        assert (r["lastPx"] * 64).is_integer()
        assert r["lastQty"] > 0 and isinstance(r["lastQty"], float)
        assert r["side"] in ("1", "2") and r["execType"] in ("F", "G", "H")
        assert r["transactTime"] <= r["timeStamp"]


def test_cum_qty_and_status_follow_each_order():
    m = _market()
    m.step(3000)
    cum = defaultdict(float)
    for r in m.published_fills():
        cum[r["orderId"]] += r["lastQty"]
        assert r["cumQty"] == cum[r["orderId"]]
        assert r["ordStatus"] == ("2" if r["cumQty"] == r["orderQty"] else "1")
    partial = [r for r in m.published_fills() if r["ordStatus"] == "1"]
    assert partial, "some executions should leave their order partly filled"


def test_some_executions_share_a_timestamp():
    m = _market()
    m.step(3000)
    fills = m.published_fills()
    assert any(a["timeStamp"] == b["timeStamp"] for a, b in zip(fills, fills[1:]))


def test_orders_fill_only_where_the_market_traded():
    m = _market()
    seen = 0
    for _ in range(1500):
        before = len(m.ledger.records)
        m.step(1)
        price = m.price_ticks
        for r in m.ledger.records[before:]:
            if r["execType"] != "F":
                continue
            order = m.order(r["orderId"])
            px = round(r["lastPx"] * 64)
            buy = r["side"] == "1"
            if order["orderType"] == "2":  # limits fill at or better than the market
                assert px >= price if buy else px <= price
            else:  # stops trigger once the market reached them
                assert px <= price if buy else px >= price
            seen += 1
    assert seen > 50


def test_book_stays_full_and_sided():
    m = _market(orders_per_side=4)
    for _ in range(20):
        m.step(100)
        price = m.price_ticks
        orders = m.working_orders()
        for account in m._cfg.accounts:
            mine = [o for o in orders if o["accountId"] == account]
            buys = [o for o in mine if o["side"] == "1" and o["orderType"] == "2"]
            sells = [o for o in mine if o["side"] == "2" and o["orderType"] == "2"]
            assert len(buys) >= 4 and len(sells) >= 4
            assert all(o["price"] * 64 <= price for o in buys)
            assert all(o["price"] * 64 >= price for o in sells)
            assert any(o["orderType"] == "4" for o in mine)


def test_corrections_and_busts_refer_to_earlier_trades_once():
    m = _market(correction_rate=0.1)
    m.step(3000)
    records = m.published_records()
    position = {r["execID"]: i for i, r in enumerate(records)}
    amendments = m.published_corrections()
    assert {a["execType"] for a in amendments} == {"G", "H"}
    refs = [a["execRefID"] for a in amendments]
    assert len(refs) == len(set(refs))
    for a in amendments:
        original = records[position[a["execRefID"]]]
        assert original["execType"] == "F"
        assert position[a["execID"]] > position[a["execRefID"]]
        assert a["timeStamp"] > original["timeStamp"]
        assert a["orderId"] == original["orderId"] and a["accountId"] == original["accountId"]
        if a["execType"] == "G":
            changed_qty = a["lastQty"] != original["lastQty"]
            changed_px = abs(a["lastPx"] - original["lastPx"]) == 1 / 64
            assert changed_qty != changed_px


def test_net_positions_are_sod_plus_effective_trades():
    m = _market(correction_rate=0.1)
    m.step(2000)
    effective = {}
    for r in m.published_records():
        if r["execType"] == "H":
            del effective[r["execRefID"]]
        else:
            effective[r.get("execRefID", r["execID"])] = r
    for account, net in m.net_positions().items():
        sod = m.sods(account)[0]["sodNetPos"]
        trades = sum((1 if r["side"] == "1" else -1) * r["lastQty"] for r in effective.values()
                     if r["accountId"] == account)
        assert net == sod + trades


def test_price_walk_stays_around_110():
    m = _market()
    lowest = highest = m.price_ticks
    for _ in range(200):
        m.step(100)
        lowest, highest = min(lowest, m.price_ticks), max(highest, m.price_ticks)
    assert highest > lowest
    assert ANCHOR_TICKS - 3 * 64 < lowest and highest < ANCHOR_TICKS + 3 * 64


def test_history_is_published_before_the_first_request_and_ends_at_the_start():
    m = _market(history_fills=300)
    history = m.published_records()
    assert len(history) >= 300
    assert history[-1]["timeStamp"] <= START and history[0]["timeStamp"] < START - 60 * 10**9
    assert [r["timeStamp"] for r in history] == sorted(r["timeStamp"] for r in history)
    assert all(o["dateTime"] <= START for o in m.working_orders())
    count = len(history)
    m.step_until_fills(5)
    assert len(m.published_records()) >= count + 5
    assert m.published_records()[count]["timeStamp"] > START


def test_history_with_the_wall_clock_lies_in_the_past():
    import time

    m = Market(SimConfig(history_fills=50))
    now = time.time_ns()
    assert m.published_records()[-1]["timeStamp"] <= now
    m.step_until_fills(3)
    assert abs(m.published_records()[-1]["timeStamp"] - time.time_ns()) < 10 * 10**9


def test_ground_truth_is_a_copy():
    m = _market()
    m.step_until_fills(3)
    m.published_fills()[0]["lastQty"] = -1.0
    assert m.published_fills()[0]["lastQty"] > 0


def test_positions_stay_believable_over_an_hour_of_demo():
    for seed in (1, 2):
        m = _market(seed=seed)
        worst = 0
        for _ in range(12):
            m.step(600)  # 12 x 5 minutes at the default 0.5 s step
            worst = max(worst, *(abs(n) for n in m.net_positions().values()))
        assert worst < 300, f"seed {seed}: a position of {worst} lots is not a believable demo"
