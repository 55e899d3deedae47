from __future__ import annotations

import json

import pytest

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.prices import parse_ticks
from zn_ladder.domain.records import CorrectionKind, OrderType, Side
from zn_ladder.importers.tt_json import read_tt_fills, read_tt_orders

from .conftest import FIXTURES

ZN = get_product("ZN")
ORDERS = FIXTURES / "tt_working_orders_response.json"
INSTRUMENT = "8092262517946017060"


def test_orders_fixture_six_orders_and_the_parent_without_price_or_qty_warned_by_id():
    result = read_tt_orders(ORDERS, instruments={INSTRUMENT: "ZN Jun25"})
    assert result.rows == 7
    assert len(result.orders) == 6
    assert len(result.warnings) == 1
    warning = result.warnings[0]
    assert warning.row == 6
    assert "d5474dbc-ed45-44e1-b036-60d65bc2da53" in warning.reason
    assert "no price and no quantity" in warning.reason
    by_id = {o.order_id[:8]: o for o in result.orders}
    buy = by_id["0aca0322"]
    assert (buy.side, buy.order_type, buy.price, buy.quantity, buy.order_qty, buy.contract, buy.account) == (
        Side.BUY, OrderType.LIMIT, parse_ticks("110.171875", ZN), 80, 80, "ZN Jun25", "1334000")
    assert buy.time_ns == 1747328540354606867


def test_stop_limit_sits_at_its_stop_price():
    stop = next(o for o in read_tt_orders(ORDERS, default_contract="ZN").orders if o.order_id.startswith("86356940"))
    assert (stop.side, stop.order_type, stop.price, stop.quantity) == (
        Side.SELL, OrderType.STOP, parse_ticks("110'015", ZN), 1)
    assert stop.contract == "ZN"


def test_orders_without_a_contract_name_are_skipped_unless_named(write):
    result = read_tt_orders(ORDERS)
    assert result.orders == ()
    assert all(INSTRUMENT in w.reason for w in result.warnings if "d5474dbc" not in w.reason)
    # A record that carries its alias needs no map.
    record = {"orderId": "x", "alias": "ZN Sep25", "side": "2", "orderType": "2", "price": "110.5",
              "orderQty": "3", "leavesQuantity": "2.0", "accountId": 9}
    one = read_tt_orders(write("o.json", json.dumps({"orders": [record]})))
    assert [(o.contract, o.quantity, o.order_qty, o.price) for o in one.orders] == [
        ("ZN Sep25", 2, 3, parse_ticks("110'160", ZN))]


def test_stop_with_different_limit_keeps_the_limit_and_bad_orders_are_warned(write):
    records = [
        {"orderId": "stop", "side": "1", "orderType": "4", "stopPrice": 111.0, "price": 111.03125,
         "leavesQuantity": 5.0},
        {"orderId": "nostop", "side": "1", "orderType": "4", "price": 111.0, "leavesQuantity": 5.0},
        {"orderId": "market", "side": "1", "orderType": "1", "leavesQuantity": 5.0},
        {"orderId": "offtick", "side": "1", "orderType": "2", "price": 111.001, "leavesQuantity": 5.0},
        {"orderId": "half", "side": "1", "orderType": "2", "price": 111.0, "leavesQuantity": 2.5},
        {"orderId": "done", "side": "1", "orderType": "2", "price": 111.0, "leavesQuantity": 0.0},
        "junk",
    ]
    result = read_tt_orders(write("o.json", json.dumps({"orders": records})), default_contract="ZN Sep25")
    assert [(o.order_id, o.order_type, o.price, o.limit_price) for o in result.orders] == [
        ("stop", OrderType.STOP, parse_ticks("111'000", ZN), parse_ticks("111'010", ZN))]
    reasons = [w.reason for w in result.warnings]
    assert [w.row for w in result.warnings] == [2, 3, 4, 5, 6, 7]
    assert "stopPrice" in reasons[0] and "'nostop'" in reasons[0]
    assert "no price" in reasons[1]
    assert "tick" in reasons[2]
    assert "whole number" in reasons[3]
    assert "leavesQuantity 0" in reasons[4]


#: Stamps are T0 + ts: in the trading era (values.ERA_START_NS..ERA_END_NS); only their order matters.
T0 = 1_751_900_000_000_000_000


def _fill(exec_id, order="o1", qty=1.0, px=110.5, ts=1, exec_type="F", **extra):
    ts = str(T0 + int(ts)) if isinstance(ts, str) else T0 + ts
    record = {"execID": exec_id, "orderId": order, "accountId": 7, "instrumentId": INSTRUMENT, "side": "1",
              "lastQty": qty, "lastPx": px, "timeStamp": ts, "execType": exec_type}
    record.update(extra)
    return record


def test_fills_json_trades_corrections_and_busts(write):
    records = [
        _fill("E2", qty="2.0", px="110.515625", ts="20", cumQty=3.0),  # numbers as strings
        _fill("E1", ts=10, cumQty=1.0),
        _fill("C1", ts=30, exec_type="G", execRefID="E1", lastQty=1.0, lastPx=110.53125),
        _fill("B1", ts=40, exec_type="H", execRefID="E2"),
    ]
    path = write("f.json", json.dumps({"status": "Ok", "lastPage": "true", "fills": records}))
    result = read_tt_fills(path, instruments={INSTRUMENT: "ZN Dec26"})
    assert [(f.key, f.time_ns, f.qty, f.price, f.cum_qty, f.contract) for f in result.fills] == [
        ("E1", T0 + 10, 1, parse_ticks("110'160", ZN), 1, "ZN Dec26"),
        ("E2", T0 + 20, 2, parse_ticks("110'165", ZN), 3, "ZN Dec26")]
    assert [(c.key, c.ref_key, c.kind, c.qty, c.price) for c in result.corrections] == [
        ("C1", "E1", CorrectionKind.CORRECT, 1, parse_ticks("110'170", ZN)),
        ("B1", "E2", CorrectionKind.BUST, None, None)]
    assert result.warnings == ()


def test_fills_without_exec_id_are_keyed_by_cum_qty_or_running_sum(write):
    records = [_fill("", order="A", ts=1), _fill("", order="A", ts=2),               # identical-looking: both kept
               _fill("", order="B", ts=3, cumQty=4.0)]
    result = read_tt_fills(write("f.json", json.dumps({"fills": records})), default_contract="ZN Sep25")
    assert [(f.key, f.cum_qty) for f in result.fills] == [("A#1", 1), ("A#2", 2), ("B#4", 4)]


def test_fill_of_an_unnamed_instrument_is_warned(write):
    result = read_tt_fills(write("f.json", json.dumps({"fills": [_fill("E1")]})))
    assert result.fills == ()
    assert INSTRUMENT in result.warnings[0].reason and "'E1'" in result.warnings[0].reason


def test_wrong_kinds_and_broken_json_are_refused(write):
    with pytest.raises(InputError, match="not a TT fills JSON"):
        read_tt_fills(ORDERS)
    with pytest.raises(InputError, match="not a TT orders JSON"):
        read_tt_orders(write("f.json", json.dumps({"fills": [_fill("E1")]})))
    with pytest.raises(InputError, match=r"broken JSON at line 1"):
        read_tt_orders(write("b.json", '{"orders": [ {"orderId": '))
    with pytest.raises(InputError, match="not a TT orders JSON"):
        read_tt_orders(FIXTURES / "actant_sod_sample.csv")


def test_default_contract_goes_to_one_unnamed_instrument_only(write):
    records = [_fill("E1"), _fill("E2", instrumentId="999", ts=2), _fill("E3", ts=3)]
    result = read_tt_fills(write("f.json", json.dumps({"fills": records})), default_contract="ZN Sep25")
    assert [(f.key, f.contract) for f in result.fills] == [("E1", "ZN Sep25"), ("E3", "ZN Sep25")]
    assert [w.row for w in result.warnings] == [2]
    assert "999" in result.warnings[0].reason and INSTRUMENT in result.warnings[0].reason
