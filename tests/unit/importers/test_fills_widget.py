from __future__ import annotations

import pytest

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.prices import parse_ticks
from zn_ladder.domain.records import Side
from zn_ladder.importers.audit_trail import read_audit_trail
from zn_ladder.importers.fills_widget import read_fills_widget

from .conftest import FIXTURES

ZN = get_product("ZN")
SAMPLE = FIXTURES / "tt_fills_widget_copy_sample.csv"


def widget_row(order="o1", side="B", qty="1", price="111'075", date="3-Jul-25", contract="ZN Sep25"):
    return f"{date},27:01.6,CME,{contract},{side},{qty},{price},F,TT SIM,Trading,Eric,Eric,{order},"


def test_sample_has_60_fills_oldest_first():
    result = read_fills_widget(SAMPLE)
    assert (result.rows, len(result.fills), result.warnings) == (60, 60, ())
    first, last = result.fills[0], result.fills[-1]
    # The file is newest first: its first line (3-Jul-25, order 33f120f9, B 1 @ 111'075) is the latest fill.
    assert (last.order_id, last.side, last.qty, last.price) == (
        "33f120f9-1c34-4508-a651-7a8172775e42", Side.BUY, 1, parse_ticks("111'075", ZN))
    assert first.time_ns < last.time_ns
    assert [f.time_ns for f in result.fills] == sorted(f.time_ns for f in result.fills)
    assert {(f.account, f.contract, f.source, f.user) for f in result.fills} == {
        ("Trading", "ZN Sep25", "fills_widget", "Eric")}


def test_keys_match_the_audit_trail_for_the_same_executions():
    widget = {f.key: f for f in read_fills_widget(SAMPLE).fills}
    audit = {f.key: f for f in read_audit_trail(FIXTURES / "tt_audit_trail_sample.csv").fills}
    common = widget.keys() & audit.keys()
    assert len(common) == 52  # the two exports cover overlapping but different windows
    for key in common:
        w, a = widget[key], audit[key]
        assert (w.side, w.qty, w.price, w.cum_qty) == (a.side, a.qty, a.price, a.cum_qty)
    # The order that filled 13 then 987 at two prices: running sums give the Audit Trail's ExeQty.
    assert {"ae9ecfb0-aa7a-4080-8fe3-7049e723b271#13", "ae9ecfb0-aa7a-4080-8fe3-7049e723b271#1000"} <= common


def test_identical_looking_fills_of_one_order_are_both_kept(write):
    text = "\n".join([widget_row(order="same", qty="2"), widget_row(order="same", qty="2")])
    fills = read_fills_widget(write("w.csv", text, bom=True)).fills
    assert [(f.qty, f.cum_qty, f.key) for f in fills] == [(2, 2, "same#2"), (2, 4, "same#4")]


def test_a_copied_header_row_is_skipped_and_bad_rows_warned(write):
    text = "\n".join([
        "Date,Time,Exchange,Contract,B/S,FillQty,Price,FillType,Route,Account,Originator,CurrentUser,TTOrderID",
        widget_row(order="a", price="111'074"),   # line 2: not on the ZN tick
        widget_row(order="b", contract="ES Sep25"),  # line 3: not a Treasury product
        widget_row(order="c", qty="x"),             # line 4: garbage quantity
        "3-Jul-25,27:01.6,CME",                     # line 5: cut off
        widget_row(order="d"),                      # line 6: good
    ])
    result = read_fills_widget(write("w.csv", text))
    assert [f.order_id for f in result.fills] == ["d"]
    assert [w.row for w in result.warnings] == [2, 3, 4, 5]
    assert "ES Sep25" in result.warnings[1].reason


def test_other_kinds_are_refused():
    with pytest.raises(InputError) as err:
        read_fills_widget(FIXTURES / "actant_sod_sample.csv")
    assert "not a TT Fills-widget copy" in str(err.value) and "Actant SOD" in str(err.value)
