from __future__ import annotations

import pytest

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.prices import parse_ticks
from zn_ladder.domain.records import Side
from zn_ladder.importers.audit_trail import read_audit_trail

from .conftest import FIXTURES

ZN = get_product("ZN")
SAMPLE = FIXTURES / "tt_audit_trail_sample.csv"


def trade(contract="ZN Sep25", exch="CME", exec_type="Trade", side="B", fill="1", exe="1", price="111'075",
          order="aaaa-1", date="3-Jul-25"):
    return (f"59:59.9,{exch},{contract},ExecutionReport,{exec_type},{side},{exe},{fill},,{exe},{price},Limit,,Day,,"
            f"Trading,,,,TT SIM,Eric,Eric,{order},,,{date}")


def test_sample_has_56_fills_oldest_first_with_account_and_contract():
    result = read_audit_trail(SAMPLE)  # the fixture starts with a UTF-8 BOM
    assert result.rows == 400
    assert len(result.fills) == 56
    assert result.warnings == ()
    first, last = result.fills[0], result.fills[-1]
    # The file is newest first: its last trade row (line 401, 30-Jun-25) is the first execution.
    assert (first.order_id, first.side, first.qty, first.price) == (
        "4090e33f-1ee6-49cf-97a0-d942ea2ebcc0", Side.BUY, 5, parse_ticks("111'285", ZN))
    assert last.order_id == "e26cf880-c539-434f-ac5a-263372fedb87" and last.cum_qty == 772
    assert {(f.account, f.contract, f.source) for f in result.fills} == {("Trading", "ZN Sep25", "audit_trail")}


def test_time_comes_from_date_and_row_order_not_the_mangled_time():
    fills = read_audit_trail(SAMPLE).fills
    times = [f.time_ns for f in fills]
    assert times == sorted(times) and len(set(times)) == len(times)
    # 30-Jun-25 midnight UTC is 1751241600 s; the first execution is the 0th of the file.
    assert times[0] == 1751241600 * 10**9
    days = sorted({t // (86400 * 10**9) for t in times})
    assert len(days) == 4  # 30 Jun .. 3 Jul


def test_exe_qty_names_each_partial_fill_in_execution_order():
    fills = [f for f in read_audit_trail(SAMPLE).fills if f.order_id.startswith("e26cf880")]
    # Lines 5, 4, 3 (newest first in the file): fills 727, 44, 1 -> cumulative 727, 771, 772.
    assert [(f.qty, f.cum_qty, f.key) for f in fills] == [
        (727, 727, "e26cf880-c539-434f-ac5a-263372fedb87#727"),
        (44, 771, "e26cf880-c539-434f-ac5a-263372fedb87#771"),
        (1, 772, "e26cf880-c539-434f-ac5a-263372fedb87#772"),
    ]
    two_prices = [f for f in read_audit_trail(SAMPLE).fills if f.order_id.startswith("ae9ecfb0")]
    assert [(f.qty, f.price, f.cum_qty) for f in two_prices] == [
        (13, parse_ticks("111'245", ZN), 13), (987, parse_ticks("111'240", ZN), 1000)]


def test_identical_looking_fills_of_one_order_are_both_kept(fixture_text, write):
    header = fixture_text("tt_audit_trail_sample.csv").splitlines()[0]
    rows = [trade(order="same", fill="1", exe="2"), trade(order="same", fill="1", exe="1")]  # newest first
    fills = read_audit_trail(write("at.csv", "\n".join([header, *rows]))).fills
    assert [(f.qty, f.price, f.cum_qty, f.key) for f in fills] == [
        (1, parse_ticks("111'075", ZN), 1, "same#1"), (1, parse_ticks("111'075", ZN), 2, "same#2")]


def test_junk_other_products_spreads_algo_parents_and_busts_are_skipped_with_warnings(fixture_text, write):
    lines = fixture_text("tt_audit_trail_sample.csv").splitlines()
    extra = [
        trade(contract="ES Sep25", price="6200.25"),            # line 2: another product
        trade(contract="ZN Sep25-ZN Dec25", price="0'160"),     # line 3: a calendar spread
        trade(contract="#N/A"),                                 # line 4: junk typed by hand
        trade(exch="CME*", order="parent"),                     # line 5: algo parent's fill
        trade(exec_type="Trade Cancel", order="busted"),        # line 6: a bust
        trade(price="111'074"),                                 # line 7: not a ZN price
        trade()[:30],                                           # line 8: cut off
    ]
    path = write("at.csv", "\n".join([lines[0], *extra, *lines[1:]]), bom=True)
    result = read_audit_trail(path)
    assert len(result.fills) == 56
    reasons = {w.row: w.reason for w in result.warnings}
    assert sorted(reasons) == [2, 3, 4, 5, 6, 7, 8]
    assert "ES Sep25" in reasons[2] and "Treasury" in reasons[2]
    assert "not an outright" in reasons[3]
    assert "#N/A" in reasons[4]
    assert "synthetic" in reasons[5]
    assert "Trade Cancel" in reasons[6] and "busted" in reasons[6]
    assert "111'074" in reasons[7]
    assert "cut-off" in reasons[8]


def test_a_file_resorted_oldest_first_gives_the_same_fills(fixture_text, write):
    lines = fixture_text("tt_audit_trail_sample.csv").splitlines()
    resorted = write("old_first.csv", "\n".join([lines[0], *reversed(lines[1:])]))
    original = read_audit_trail(SAMPLE).fills
    again = read_audit_trail(resorted).fills
    assert [(f.key, f.qty, f.price, f.time_ns) for f in again] == [(f.key, f.qty, f.price, f.time_ns) for f in original]


def test_other_kinds_are_refused():
    with pytest.raises(InputError) as err:
        read_audit_trail(FIXTURES / "fill_monitor_sample.csv")
    assert "fill_monitor_sample.csv" in str(err.value)
    assert "not a TT Audit Trail export" in str(err.value)
    assert "fill-monitor CSV" in str(err.value)
    with pytest.raises(InputError, match="not a TT Audit Trail export"):
        read_audit_trail(FIXTURES / "tt_working_orders_response.json")
