"""Fuzz the JSON parser of every TT endpoint (issue 13): fills, orders, positions, SOD, instruments,
markets, users and the paged list answers, in process and over loopback HTTP through the real client
and `zn-ladder monitor` into a real store.

Reference: the numbers of a record are converted by the independent `ref_*` functions below (the
rules of `values.py`, restated): a record whose numbers are all valid must parse to exactly those
values; one with an invalid number must be refused (a `FieldError`/`InputError`, a warning for that
record), never a crash and never a value outside its bounds.
"""

from __future__ import annotations

import json
import math
import re
from fractions import Fraction
from http.server import BaseHTTPRequestHandler

from tests.loopback import serve, stop, url_of
from urllib.parse import parse_qs, urlsplit

from hypothesis import given
from hypothesis import strategies as st

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.prices import parse_price
from zn_ladder.domain.records import Fill
from zn_ladder.tt.fields import FieldError
from zn_ladder.tt.fills import parse_fill
from zn_ladder.tt.orders import parse_order
from zn_ladder.tt.records import (Instrument, parse_instrument, parse_market, parse_position, parse_sod,
                                  parse_user)

from .conftest import RAN, Stores, assert_one_line_refusal, fuzz_settings, run_cli, store_digest, stored

ZN = get_product("ZN")
ERA = (946_684_800 * 10 ** 9, 4_102_444_800 * 10 ** 9)
INSTRUMENT = Instrument("77", "ZN Dec26", product_symbol="ZN")
REFUSED = (FieldError, InputError, ValueError)


# ------------------------------------------------------------------ the reference conversions
def ref_whole(v, pattern: str) -> int | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        return int(v) if math.isfinite(v) and v.is_integer() and abs(v) <= 2 ** 63 else None
    if isinstance(v, str) and len(v.strip()) <= 40 and re.fullmatch(pattern, v.strip(), re.ASCII):
        return int(v.strip().split(".")[0] or "0")
    return None


def ref_lots(v, *, zero: bool = False) -> int | None:
    n = ref_whole(v, r"[0-9]{1,7}(?:\.0*)?")
    return n if n is not None and (1 if not zero else 0) <= n <= 1_000_000 else None


def ref_signed(v) -> int | None:
    n = ref_whole(v, r"-?[0-9]{1,7}(?:\.0*)?")
    return n if n is not None and abs(n) <= 1_000_000 else None


def ref_time(v) -> int | None:
    n = ref_whole(v, r"[0-9]{1,19}")
    return n if n is not None and ERA[0] <= n < ERA[1] else None


def ref_ticks(v) -> int | None:
    if isinstance(v, bool) or not isinstance(v, (int, float, str)):
        return None
    if isinstance(v, float):
        if not math.isfinite(v):
            return None
        value = Fraction(repr(v))
    elif isinstance(v, int):
        if abs(v) > 10 ** 12:
            return None
        value = Fraction(v)
    else:
        t = v.strip()
        if not t or len(t) > 40:
            return None
        if re.fullmatch(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)", t, re.ASCII):
            value = Fraction(t)
        else:
            try:
                value = parse_price(t, ZN, allow_negative=True).value
            except InputError:
                return None
    ticks = value * ZN.ticks_per_point
    if ticks.denominator != 1 or not ZN.min_price < value < ZN.max_price:
        return None
    return int(ticks)


# ------------------------------------------------------------------ hostile JSON values
JSON_SCALAR = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
    st.sampled_from([1e20, 2 ** 63, 2 ** 64, -1, 0, "1_000", "1e2", "nan", "inf", "", " ", "1" * 5000, "110'160",
                     "110-16+", "1746557449648991866", "-110.5", "5000", 1e300, 10 ** 400, "1e999999999", 110.5,
                     "110.515625", 1.0, 80.0, "80.0", 1_751_900_000_000_000_000, "1751900000000000000"]))
JSON_VALUE = st.recursive(JSON_SCALAR, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                               st.dictionaries(st.text(max_size=8), inner, max_size=3)),
                          max_leaves=6)
NUMBERISH = st.one_of(JSON_SCALAR, st.integers(1, 1_000_000), st.integers(1, 1_000_000).map(str),
                      st.integers(ERA[0], ERA[1] - 1), st.integers(0, 64_000).map(lambda t: t / 64),
                      st.integers(0, 64_000).map(lambda t: str(Fraction(t, 64).numerator / Fraction(t, 64).denominator)))


def _mutated(base: dict, fields: list[str], data) -> dict:
    raw = dict(base)
    for field in data.draw(st.lists(st.sampled_from(fields), max_size=3, unique=True), label="fields"):
        value = data.draw(st.one_of(NUMBERISH, JSON_VALUE), label=field)
        raw[field] = value
    for field in data.draw(st.lists(st.sampled_from(fields), max_size=1), label="removed"):
        raw.pop(field, None)
    return raw


BASE_FILL = {"execID": "E1", "orderId": "o1", "accountId": "A", "instrumentId": "77", "side": "1", "lastQty": 2.0,
             "lastPx": 110.5, "timeStamp": 1_751_900_000_000_000_000, "cumQty": 2, "execType": "F"}


@fuzz_settings
@given(data=st.data())
def test_fill_records_parse_to_the_reference_or_are_refused(data):
    raw = _mutated(BASE_FILL, ["lastQty", "lastPx", "timeStamp", "cumQty", "side"], data)
    RAN["tt json/fills (ledger fills record)"] += 1
    want_qty, want_px, want_ts = ref_lots(raw.get("lastQty")), ref_ticks(raw.get("lastPx")), ref_time(raw.get("timeStamp"))
    want_cum = 0 if raw.get("cumQty") in (None, "") else ref_lots(raw.get("cumQty"), zero=True)
    side = raw.get("side")
    want_side = {"1": 1, "B": 1, "BUY": 1, "L": 1, "LONG": 1, "2": -1, "S": -1, "SELL": -1, "SHORT": -1}.get(
        str(side).strip().upper() if isinstance(side, (str, int)) and not isinstance(side, bool) else None)
    try:
        fill = parse_fill(raw, lambda _id: INSTRUMENT)
    except REFUSED:
        assert None in (want_qty, want_px, want_ts, want_cum, want_side), raw
        return
    assert isinstance(fill, Fill)
    assert (fill.qty, fill.price, fill.time_ns, fill.cum_qty, int(fill.side)) == (
        want_qty, want_px, want_ts, want_cum or 0, want_side), raw


BASE_ORDER = {"orderId": "o1", "accountId": "A", "instrumentId": "77", "side": "2", "orderType": "2", "price": 110.5,
              "orderQty": 5, "leavesQuantity": 3, "dateTime": 1_751_900_000_000_000_000}


@fuzz_settings
@given(data=st.data())
def test_order_records_parse_to_the_reference_or_are_refused(data):
    raw = _mutated(BASE_ORDER, ["price", "orderQty", "leavesQuantity", "dateTime", "orderType", "stopPrice"], data)
    RAN["tt json/orders (ledger orders record)"] += 1
    try:
        order = parse_order(raw, lambda _id: INSTRUMENT)
    except REFUSED:
        return
    if order is None:
        return  # nothing left to work
    assert 1 <= order.quantity <= 1_000_000 and 0 < order.price < 64_000
    assert order.time_ns == 0 or ERA[0] <= order.time_ns < ERA[1]
    stop = str(raw.get("orderType", "")).strip() in ("3", "4") and raw.get("stopPrice") not in (None, "")
    assert order.price == ref_ticks(raw["stopPrice"] if stop else raw["price"]), raw
    leaves = raw.get("leavesQuantity")
    if leaves not in (None, ""):
        assert order.quantity == ref_lots(leaves), raw


BASE_POSITION = {"accountId": "A", "instrumentId": "77", "netPosition": -3, "buyFillQty": 2, "sellFillQty": 5,
                 "sodNetPos": 0, "pnl": "12.5", "avgBuy": 110.5}
BASE_SOD = {"accountId": "A", "instrumentId": "77", "sodNetPos": 4, "sodPrice": 110.5, "tradeDate": "2025-07-03"}


@fuzz_settings
@given(data=st.data())
def test_position_and_sod_records_parse_to_the_reference_or_are_refused(data):
    raw = _mutated(BASE_POSITION, ["netPosition", "buyFillQty", "sellFillQty", "sodNetPos", "pnl", "avgBuy"], data)
    RAN["tt json/positions and sod (monitor records)"] += 1
    try:
        position = parse_position(raw, lambda _id: "ZN Dec26")
    except REFUSED:
        pass
    else:
        assert abs(position.net_position) <= 3_000_000
        if raw.get("netPosition") not in (None, ""):
            assert position.net_position == ref_signed(raw["netPosition"]), raw
    raw = _mutated(BASE_SOD, ["sodNetPos", "sodPrice"], data)
    try:
        lot = parse_sod(raw, lambda _id: INSTRUMENT)
    except REFUSED:
        return
    assert lot.qty == ref_signed(raw["sodNetPos"]), raw
    if lot.qty:
        assert 0 < lot.price < 64_000


@fuzz_settings
@given(raw=st.dictionaries(st.sampled_from(["id", "alias", "name", "marketId", "productSymbol", "tickSize",
                                            "tickValue", "userId", "company", "companyName", "instrumentId"]),
                           JSON_VALUE, max_size=8))
def test_reference_data_records_parse_or_are_refused(raw):
    RAN["tt json/instrument, market, user (reference data)"] += 1
    for parse in (parse_instrument, parse_market, parse_user):
        try:
            record = parse(raw)
        except REFUSED:
            continue
        assert all(isinstance(getattr(record, f), str) for f in ("alias", "name", "company", "market_id")
                   if hasattr(record, f))


# ------------------------------------------------------------------ over HTTP: the client and `monitor`
class PagedTT:
    """A loopback TT serving a page of fills set by the test (and an instrument for every id)."""

    def __init__(self) -> None:
        self.fills: list = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def _send(self, body) -> None:
                data = json.dumps(body).encode() if not isinstance(body, bytes) else body
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):  # noqa: N802
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self._send({"status": "Ok", "access_token": "t", "seconds_until_expiry": 3600})

            def do_GET(self):  # noqa: N802
                url = urlsplit(self.path)
                if "/instrument/" in url.path:
                    return self._send({"status": "Ok", "instrument": [{"id": url.path.rsplit("/", 1)[1],
                                                                        "alias": "ZN Dec26", "productSymbol": "ZN"}]})
                if url.path.endswith("/fills"):
                    since = int(parse_qs(url.query)["minTimestamp"][0])
                    if isinstance(owner.fills, bytes):  # not even JSON
                        return self._send(owner.fills)
                    if not isinstance(owner.fills, list):  # a garbled answer: served as it is
                        return self._send({"status": "Ok", "lastPage": "true", "fills": owner.fills})
                    page = [f for f in owner.fills if not isinstance(f, dict) or ref_time(f.get("timeStamp")) is None
                            or ref_time(f.get("timeStamp")) >= since]
                    return self._send({"status": "Ok", "lastPage": "true", "fills": page})
                self._send({"status": "Ok", "lastPage": "true", "positions": [], "sods": [], "orders": []})

            def log_message(self, *args):
                pass

        self.server = serve(Handler)
        self.url = url_of(self.server)

    def close(self) -> None:
        stop(self.server)


def _good_fill(i: int) -> dict:
    return dict(BASE_FILL, execID=f"G{i}", orderId=f"g{i}", cumQty=2, timeStamp=1_751_900_000_000_000_000 + i * 1000)


@fuzz_settings
@given(data=st.data())
def test_monitor_stores_the_good_fills_of_a_poisoned_page_and_nothing_out_of_bounds(monkeypatch, baseline_store, data):
    """One poisoned record (lastQty 1e20 made `monitor` exit 1 on every start) among good ones: the good
    ones are stored exactly, the poisoned one never, and the command exits 0."""
    tt = PagedTT()
    stores = Stores(baseline_store)
    monkeypatch.setenv("ZN_LADDER_TT_KEY", "fuzz-key-123")
    monkeypatch.setenv("ZN_LADDER_TT_SECRET", "fuzz-secret-456")
    poisoned = [_mutated(dict(BASE_FILL, execID=f"P{i}", timeStamp=1_751_900_000_000_000_500 + i * 1000),
                         ["lastQty", "lastPx", "timeStamp", "cumQty", "side"], data) for i in range(2)]
    poisoned += data.draw(st.lists(JSON_VALUE, max_size=2), label="junk records")
    good = [_good_fill(i) for i in range(4)]
    tt.fills = data.draw(st.permutations(good + poisoned), label="page")
    RAN["tt json/fills page over HTTP into the store (monitor)"] += 1
    db = stores.fresh()
    try:
        code, out, err = run_cli("monitor", "--once", "--no-sod", "--db", str(db), "--base-url", tt.url,
                                 "--env", "sim", "--plan", "high")
        assert "Traceback" not in err
        assert code == 0, err
        fills, _ = stored(db)
        keys = {f[0] for f in fills}
        assert {f"G{i}" for i in range(4)} <= keys
        for key, account, contract, side, qty, price, time_ns, *_ in fills:
            assert 1 <= qty <= 1_000_000 and 0 < price < 64_000 and ERA[0] <= time_ns < ERA[1]
        for record in poisoned:
            if isinstance(record, dict) and record.get("execID") in keys:
                row = next(f for f in fills if f[0] == record["execID"])
                assert (row[4], row[5]) == (ref_lots(record.get("lastQty")), ref_ticks(record.get("lastPx")))
    finally:
        stores.drop(db)
        tt.close()


@fuzz_settings
@given(body=st.one_of(JSON_VALUE, st.binary(max_size=200)))
def test_a_garbled_answer_is_a_one_line_refusal_or_a_clean_read(monkeypatch, baseline_store, body):
    """Whatever TT's fills endpoint answers (any JSON, any bytes), `monitor --once` exits 0 or 2 with one
    line, and a refusal leaves the store's bytes unchanged."""
    tt = PagedTT()
    stores = Stores(baseline_store)
    monkeypatch.setenv("ZN_LADDER_TT_KEY", "fuzz-key-123")
    monkeypatch.setenv("ZN_LADDER_TT_SECRET", "fuzz-secret-456")
    tt.fills = body
    RAN["tt json/garbled fills answer over HTTP (monitor)"] += 1
    db = stores.fresh()
    before = store_digest(db)
    try:
        code, _, err = run_cli("monitor", "--once", "--no-sod", "--db", str(db), "--base-url", tt.url,
                               "--env", "sim", "--plan", "high")
        assert "Traceback" not in err
        if code != 0:
            assert_one_line_refusal(code, err)
            fills_now, _ = stored(db)
            assert store_digest(db) == before or len(fills_now) == 3
    finally:
        stores.drop(db)
        tt.close()
