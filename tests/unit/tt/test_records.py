import json
from fractions import Fraction

import pytest

from zn_ladder.domain.records import CorrectionKind, Fill, FillCorrection, OrderType, Side
from zn_ladder.tt.fields import FieldError
from zn_ladder.tt.fills import parse_fill, record_key
from zn_ladder.tt.orders import parse_orders
from zn_ladder.tt.records import (Instrument, parse_instrument, parse_many, parse_market, parse_position, parse_sod,
                                  parse_user)

ZN = Instrument("8092262517946017060", "ZN Sep25", market_id="7", product_symbol="ZN")


def lookup(instrument_id):
    if instrument_id == ZN.instrument_id:
        return ZN
    raise FieldError(f"instrument {instrument_id} unknown")


def test_fixture_orders_become_working_orders(fixtures_dir):
    body = json.loads((fixtures_dir / "tt_working_orders_response.json").read_text())
    orders, warnings = parse_orders(body["orders"], lookup)
    assert len(orders) == 6
    assert len(warnings) == 1 and "d5474dbc-ed45-44e1-b036-60d65bc2da53" in warnings[0]
    by_id = {o.order_id: o for o in orders}
    buy = by_id["0aca0322-8ef1-4607-951d-93224663017b"]
    assert (buy.side, buy.order_type, buy.price, buy.quantity, buy.contract, buy.account) == (
        Side.BUY, OrderType.LIMIT, 110 * 64 + 11, 80, "ZN Sep25", "1334000")
    assert buy.time_ns == 1747328540354606867
    stop = by_id["86356940-9a2f-4c69-a2d6-c2ecb7db2333"]
    assert stop.order_type is OrderType.STOP and stop.side is Side.SELL
    assert stop.price == round(110.046875 * 64) and stop.limit_price is None and stop.quantity == 1


def order(**kw):
    raw = {"orderId": "o1", "accountId": 1, "instrumentId": ZN.instrument_id, "side": "2", "orderType": "4",
           "price": 110.0, "stopPrice": 110.25, "orderQty": 10.0, "leavesQuantity": 4.0, "extra": {"x": 1}}
    raw.update(kw)
    return raw


def test_stop_limit_keeps_limit_beside_trigger_and_numbers_may_be_strings():
    (o,), warnings = parse_orders([order(price="110.0", stopPrice="110.25", leavesQuantity="4.0")], lookup)
    assert not warnings
    assert (o.price, o.limit_price, o.quantity, o.order_qty) == (110 * 64 + 16, 110 * 64, 4, 10)


@pytest.mark.parametrize("change, reason", [
    ({"price": 110.01, "orderType": "2"}, "not on the ZN tick"),
    ({"leavesQuantity": 2.5}, "not a whole number"),
    ({"side": "7"}, "not buy or sell"),
    ({"instrumentId": "999"}, "instrument 999 unknown"),
    ({"price": None, "stopPrice": None}, "no price"),
])
def test_bad_orders_are_skipped_with_a_warning_naming_them(change, reason):
    orders, warnings = parse_orders([order(**change), order(orderId="o2")], lookup)
    assert [o.order_id for o in orders] == ["o2"]
    assert len(warnings) == 1 and "o1" in warnings[0] and reason in warnings[0]


def test_order_with_nothing_left_is_not_working():
    orders, warnings = parse_orders([order(leavesQuantity=0.0)], lookup)
    assert orders == [] and warnings == []


def fill(**kw):
    raw = {"execID": "E1", "orderId": "o1", "accountId": 1334000, "instrumentId": ZN.instrument_id, "marketId": 7,
           "side": "1", "lastQty": 5.0, "lastPx": 110.515625, "timeStamp": 1_700_000_000_000_000_001,
           "transactTime": 1_700_000_000_000_000_001, "ordStatus": "1", "userId": 1168910, "currUserId": 1168911,
           "cumQty": 5.0, "execType": "F"}
    raw.update(kw)
    return raw


def test_trade_record_becomes_a_fill():
    f = parse_fill(fill(), lookup)
    assert f == Fill(key="E1", account="1334000", contract="ZN Sep25", side=Side.BUY, qty=5,
                     price=110 * 64 + 33, time_ns=1_700_000_000_000_000_001, order_id="o1", exec_id="E1",
                     source="tt_api", user="1168911", cum_qty=5, market="CME",
                     instrument_id="8092262517946017060", market_id="7", order_status="1", originator="1168910")


def test_a_fill_keeps_the_market_id_tt_sent_with_it_else_its_instruments():
    assert parse_fill(fill(marketId=183), lookup).market_id == "183"
    raw = fill()
    del raw["marketId"]
    assert parse_fill(raw, lookup).market_id == ZN.market_id == "7"


def test_a_fill_without_curr_user_belongs_to_its_originator():
    raw = fill()
    del raw["currUserId"]
    f = parse_fill(raw, lookup)
    assert (f.user, f.originator) == ("1168910", "1168910")


def test_numbers_as_strings_give_the_same_fill():
    as_strings = fill(lastQty="5.0", lastPx="110.515625", timeStamp="1700000000000000001", cumQty="5",
                      accountId="1334000", side=1)
    assert parse_fill(as_strings, lookup) == parse_fill(fill(), lookup)


def test_correction_and_bust_refer_to_the_execution_they_change():
    corr = parse_fill(fill(execID="E9", execType="G", execRefID="E1", lastQty=3.0, lastPx=110.5), lookup)
    assert corr == FillCorrection(key="E9", ref_key="E1", kind=CorrectionKind.CORRECT,
                                  time_ns=1_700_000_000_000_000_001, qty=3, price=110 * 64 + 32)
    bust = parse_fill(fill(execID="E10", execType="H", execRefID="E1"), lookup)
    assert isinstance(bust, FillCorrection) and bust.kind is CorrectionKind.BUST and bust.ref_key == "E1"
    with pytest.raises(FieldError, match="execRefID"):
        parse_fill(fill(execType="H"), lookup)


def test_missing_exec_id_gets_a_stable_composite_key():
    """The one key rule (domain.identity): order id + cumQty in the format every importer uses, so an
    API fill and its Audit Trail copy (ExeQty) have the same key; without cumQty a digest of the
    record's own fields, the same on every poll whatever form its numbers took."""
    assert record_key(fill(execID="")) == "o1#5"
    no_cum = fill(execID="", cumQty=None)
    assert record_key(no_cum) == record_key(fill(execID="", cumQty=None, lastQty="5.0", lastPx="110.515625"))
    assert record_key(no_cum).startswith("h:")
    assert record_key(no_cum) != record_key(fill(execID="", cumQty=None, lastQty=4))
    assert parse_fill(no_cum, lookup).key == record_key(no_cum)


@pytest.mark.parametrize("change, reason", [
    ({"lastPx": None}, "no lastPx"), ({"lastQty": 0}, "lastQty 0 is not positive"),
    ({"timeStamp": None, "transactTime": None}, "no timeStamp"), ({"execType": "Z"}, "execType"),
    ({"lastPx": "abc"}, "'abc' is not a valid ZN price"),
])
def test_unusable_fill_records_raise_field_errors(change, reason):
    with pytest.raises((FieldError, ValueError), match=reason):
        parse_fill(fill(**change), lookup)


def test_reference_records():
    inst = parse_instrument({"id": "1", "alias": "ZN Dec26", "productSymbol": "ZN", "marketId": 7,
                             "tickSize": 0.015625, "tickValue": "15.625", "unknown": [1]})
    assert inst.contract == "ZN Dec26" and inst.product.symbol == "ZN"
    assert inst.tick_size == Fraction(1, 64) and inst.tick_value == Fraction(125, 8)
    assert parse_market({"id": 7, "name": "CME"}).market_id == "7"
    user = parse_user({"id": 1168910, "alias": "DEMO", "company": {"name": "Demo Capital"}})
    assert (user.user_id, user.alias, user.company) == ("1168910", "DEMO", "Demo Capital")


def test_position_and_sod():
    pos = parse_position({"accountId": 1, "instrumentId": ZN.instrument_id, "buyFillQty": 12.0, "sellFillQty": "5",
                          "sodNetPos": -3.0, "netPosition": 4.0, "pnl": 1234.5, "avgBuy": 110.5}, lambda i: "ZN Sep25")
    assert (pos.contract, pos.net_position, pos.buy_qty, pos.sell_qty, pos.sod_net) == ("ZN Sep25", 4, 12, 5, -3)
    assert pos.pnl == Fraction(24690, 20)
    derived = parse_position({"accountId": 1, "instrumentId": "x", "buyFillQty": 2, "sodNetPos": 1}, str)
    assert derived.net_position == 3
    lot = parse_sod({"accountId": 1, "instrumentId": ZN.instrument_id, "sodNetPos": -25.0, "sodPrice": 110.25,
                     "tradeDate": "20261126"}, lookup)
    assert (lot.account, lot.contract, lot.qty, lot.price, lot.date) == ("1", "ZN Sep25", -25, 110 * 64 + 16,
                                                                          "20261126")


def test_parse_many_names_each_skipped_record():
    items = [{"id": 1, "name": "CME"}, "junk", {"name": "no id"}]
    markets, warnings = parse_many(items, parse_market, "market", "id")
    assert [m.name for m in markets] == ["CME"]
    assert len(warnings) == 2 and all(w.startswith("skipped market") for w in warnings)
