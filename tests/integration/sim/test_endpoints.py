"""Every endpoint answers TT's shapes, and what it answers agrees with the simulator's ground truth."""

from __future__ import annotations

import json
from fractions import Fraction

from zn_ladder.domain.instruments import product_of_contract
from zn_ladder.domain.prices import ticks_from_number


def test_orders_look_like_the_desks_real_answer(tt, sim, fixtures_dir):
    real = json.loads((fixtures_dir / "tt_working_orders_response.json").read_text())
    real_order = real["orders"][0]
    body = tt.get("ttledger/orders").json()
    assert body["status"] == "Ok" and body["lastPage"] == "true"
    orders = body["orders"]
    assert len(orders) >= 2 * 2 * sim.config.orders_per_side
    for order in orders:
        missing = set(real_order) - set(order) - {"parentOrderId", "userParameters"}
        assert not missing, missing
        for field in ("accountId", "dateTime", "marketId", "currUserId"):
            assert type(order[field]) is type(real_order[field]), field
        for field in ("orderQty", "leavesQuantity", "cumulatedQuantity", "price"):
            assert isinstance(order[field], float), field
        for field in ("side", "orderType", "orderStatus", "timeInForce", "instrumentId", "userId"):
            assert isinstance(order[field], str), field
        assert order["dateTime"] > 10**18  # nanoseconds
        assert order["leavesQuantity"] + order["cumulatedQuantity"] == order["orderQty"]


def test_book_is_realistic_buys_below_sells_above_with_stops(tt, sim):
    product = product_of_contract("ZN")
    market = sim.market.price_ticks
    orders = tt.get("ttledger/orders").json()["orders"]
    limits = [o for o in orders if o["orderType"] == "2"]
    stops = [o for o in orders if o["orderType"] == "4"]
    assert stops and all("stopPrice" in o for o in stops)
    for o in limits:
        ticks = ticks_from_number(o["price"], product)  # on the 1/64 grid, or this raises
        assert ticks < market if o["side"] == "1" else ticks > market
    for o in stops:
        ticks = ticks_from_number(o["stopPrice"], product)
        assert ticks > market if o["side"] == "1" else ticks < market
    assert {o["accountId"] for o in orders} == set(sim.config.accounts)
    assert 109 <= market / 64 <= 112


def test_order_by_id_and_unknown_order(tt):
    first = tt.get("ttledger/orders").json()["orders"][0]
    body = tt.get(f"ttledger/orders/{first['orderId']}").json()
    assert body["status"] == "Ok" and body["order"] == first
    missing = tt.get("ttledger/orders/00000000-0000-4000-8000-000000000000")
    assert missing.status_code == 404 and missing.json()["status"] != "Ok"


def test_filled_order_is_still_readable_by_id(tt, sim):
    sim.market.step_until_fills(30)
    filled = [f for f in sim.market.published_fills() if f["ordStatus"] == "2"]
    order = tt.get(f"ttledger/orders/{filled[0]['orderId']}").json()["order"]
    assert order["orderStatus"] == "2" and order["leavesQuantity"] == 0.0


def test_orderdata_tables(tt):
    data = tt.get("ttledger/orderdata").json()["orderData"]
    assert data["side"] == {"1": "Buy", "2": "Sell"}
    assert data["orderType"]["2"] == "Limit" and data["orderType"]["4"] == "Stop Limit"
    assert {"F", "G", "H"} <= set(data["execType"])


def test_reference_data(tt, sim):
    order = tt.get("ttledger/orders").json()["orders"][0]
    body = tt.get(f"ttpds/instrument/{order['instrumentId']}").json()
    assert body["status"] == "Ok" and len(body["instrument"]) == 1
    instrument = body["instrument"][0]
    assert instrument["alias"] == "ZN Dec26" and instrument["productSymbol"] == "ZN"
    product = product_of_contract(instrument["alias"])
    assert Fraction(instrument["tickSize"]) == product.tick
    assert Fraction(instrument["tickValue"]) == product.tick_value
    markets = tt.get("ttpds/markets").json()["markets"]
    assert {"id": instrument["marketId"], "name": "CME"} in markets
    user = tt.get(f"ttuser/user/{order['userId']}").json()["user"]
    assert len(user) == 1 and user[0]["alias"] and user[0]["company"]["name"]
    assert tt.get("ttpds/instrument/123").status_code == 404
    assert tt.get("ttuser/user/42").status_code == 404


def _net_from_records(records, accounts):
    """Net position per account from the fills list alone, applying corrections and busts."""
    effective = {}
    for rec in records:
        if rec["execType"] == "F":
            effective[rec["execID"]] = rec
        elif rec["execType"] == "H":
            del effective[rec["execRefID"]]
        else:
            effective[rec["execRefID"]] = rec
    net = {a: 0 for a in accounts}
    for rec in effective.values():
        net[rec["accountId"]] += round(rec["lastQty"]) * (1 if rec["side"] == "1" else -1)
    return net


def test_position_is_sod_plus_fills_with_corrections(start_sim):
    from tests.integration.sim.conftest import TTCaller

    sim = start_sim(correction_rate=0.2)
    tt = TTCaller(sim)
    tt.login()
    sim.market.step(1500)
    records = tt.all_fills()
    assert any(r["execType"] == "H" for r in records) and any(r["execType"] == "G" for r in records)
    fills_net = _net_from_records(records, sim.config.accounts)
    for account in sim.config.accounts:
        sod = tt.get(f"ttmonitor/sod/{account}").json()["sods"]
        assert len(sod) == 1 and sod[0]["accountId"] == account
        (pos,) = tt.get(f"ttmonitor/position/{account}").json()["positions"]
        assert pos["netPosition"] == sod[0]["sodNetPos"] + fills_net[account]
        assert pos["sodNetPos"] == sod[0]["sodNetPos"]
        assert pos["netPosition"] == pos["sodNetPos"] + pos["buyFillQty"] - pos["sellFillQty"]
        assert pos["netPosition"] == sim.market.net_positions()[account]
    every = tt.get("ttmonitor/position").json()["positions"]
    assert sorted(p["accountId"] for p in every) == sorted(sim.config.accounts)


def test_position_pnl_is_cash_flow_marked_at_the_market(tt, sim):
    sim.market.step(800)
    records = tt.all_fills()
    mark = sim.market.price_ticks
    for account in sim.config.accounts:
        sod = tt.get(f"ttmonitor/sod/{account}").json()["sods"][0]
        (pos,) = tt.get(f"ttmonitor/position/{account}").json()["positions"]
        effective = {}
        for rec in records:
            if rec["accountId"] != account:
                continue
            if rec["execType"] == "H":
                effective.pop(rec["execRefID"])
            else:
                effective[rec.get("execRefID", rec["execID"])] = rec
        cash = -Fraction(sod["sodNetPos"]) * Fraction(sod["sodPrice"])
        for rec in effective.values():
            sign = 1 if rec["side"] == "1" else -1
            cash -= sign * Fraction(rec["lastQty"]) * Fraction(rec["lastPx"])
        expected = (cash + Fraction(pos["netPosition"]) * Fraction(mark, 64)) * 1000
        assert abs(Fraction(pos["pnl"]) - expected) <= Fraction(1, 100)
        assert pos["pnlPrice"] == mark / 64


def test_sod_needs_a_known_account(tt):
    assert tt.get("ttmonitor/sod").status_code == 400
    assert tt.get("ttmonitor/sod/999").status_code == 404
    assert tt.get("ttmonitor/position/abc").status_code == 400
