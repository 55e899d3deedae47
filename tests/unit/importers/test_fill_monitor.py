from __future__ import annotations

from collections import Counter

import pytest

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.prices import parse_ticks
from zn_ladder.domain.records import Side
from zn_ladder.importers.fill_monitor import read_fill_monitor
from zn_ladder.importers.result import FileKind

from .conftest import FIXTURES

ZN = get_product("ZN")
SAMPLE = FIXTURES / "fill_monitor_sample.csv"
HEADER = ("Date,Time,InstrumentId,InstrumentName,Side,SideName,Quantity,Price,OrderId,AccountId,MarketId,"
          "TransactTime,TimeStamp,ExecId,OrderStatus,Exchange,Contract,Originator,CurrentUser")


def row(side="1", qty="1.0", price="111.0", order="o-1", stamp=1746721886405773994, exec_id="",
        contract="ZN Sep25", user="Eric"):
    name = "BUY" if side == "1" else "SELL"
    return (f"2025-05-08,12:31:26.405,1375333834396392980,Unknown_1,{side},{name},{qty},{price},{order},1334000,7,"
            f"{stamp},{stamp},{exec_id},3,CME,{contract},,{user}")


def test_sample_counts_contracts_and_es_rows_skipped_with_warnings():
    result = read_fill_monitor(SAMPLE)
    assert result.kind is FileKind.FILL_MONITOR
    assert result.rows == 300
    assert len(result.fills) == 297
    assert Counter(f.contract for f in result.fills) == {"ZN Jun25": 175, "ZN Sep25": 122}
    # ES Jun25 is an equity index future: not supported, each row skipped with a warning naming it.
    assert [w.row for w in result.warnings] == [73, 74, 75]
    assert all("ES Jun25" in w.reason for w in result.warnings)
    assert result.skipped == 3


def test_sample_first_fill_exact_and_in_execution_order():
    fills = read_fill_monitor(SAMPLE).fills
    first = fills[0]
    assert (first.side, first.qty, first.price) == (Side.BUY, 1, parse_ticks("111'090", ZN))  # 111.28125
    assert first.account == "1334000" and first.user == "SPatoliya" and first.source == "fill_monitor"
    assert first.time_ns == 1746557449648991866
    assert [f.time_ns for f in fills] == sorted(f.time_ns for f in fills)
    assert len({f.key for f in fills}) == len(fills)


def test_identical_looking_fills_of_one_order_are_both_kept():
    # Lines 53 and 54 of the sample: order d0bea4d5 buys 1 @ 110.46875 twice within 23:22:10.1.
    fills = [f for f in read_fill_monitor(SAMPLE).fills if f.order_id.startswith("d0bea4d5")]
    assert [f.qty for f in fills] == [1] * 8 + [7]
    assert {f.price for f in fills} == {parse_ticks("110.46875", ZN)}
    assert [f.cum_qty for f in fills] == [1, 2, 3, 4, 5, 6, 7, 8, 15]
    assert [f.key for f in fills] == [f"d0bea4d5-0413-4f21-bdf2-528ce20ab6da#{n}" for n in (1, 2, 3, 4, 5, 6, 7, 8, 15)]


def test_exact_duplicate_rows_without_exec_id_are_two_executions(write):
    same = row(order="ord-7", qty="2.0", price="110.5")
    result = read_fill_monitor(write("fm.csv", "\n".join([HEADER, same, same]) + "\n"))
    assert [f.key for f in result.fills] == ["ord-7#2", "ord-7#4"]
    assert [f.cum_qty for f in result.fills] == [2, 4]


def test_exec_id_is_the_key_when_present(write):
    result = read_fill_monitor(write("fm.csv", "\n".join([HEADER, row(exec_id="EX1"), row(exec_id="EX2")])))
    assert [f.key for f in result.fills] == ["EX1", "EX2"]
    assert [f.exec_id for f in result.fills] == ["EX1", "EX2"]
    assert [f.cum_qty for f in result.fills] == [1, 2]


def test_rows_out_of_time_order_are_sorted_and_cum_follows_execution_order(write):
    t0 = 1_751_900_000_000_000_000  # in the trading era
    later = row(order="o", qty="3.0", stamp=t0 + 2_000)
    earlier = row(order="o", qty="1.0", stamp=t0 + 1_000)
    result = read_fill_monitor(write("fm.csv", "\n".join([HEADER, later, earlier])))
    assert [(f.time_ns - t0, f.qty, f.cum_qty) for f in result.fills] == [(1_000, 1, 1), (2_000, 3, 4)]


def test_bad_rows_are_skipped_with_a_warning_each(write):
    lines = [
        HEADER,
        row(price="111.0"),                       # 2: good
        row(price="111.001"),                     # 3: off the ZN tick
        row(qty="1.5"),                           # 4: fractional quantity
        row(qty="0.0"),                           # 5: zero
        row(side="7"),                            # 6: no such side
        row(contract="ZN Sep25-Dec25"),           # 7: a spread, not an outright
        row(contract="FOO Sep25"),                # 8: unknown product
        row(price="abc"),                         # 9: garbage
        row()[:40],                               # 10: cut-off row
        "",                                       # blank: ignored
        row(price="110.984375"),                  # 12: good
    ]
    result = read_fill_monitor(write("fm.csv", "\n".join(lines) + "\n"))
    assert [f.price for f in result.fills] == [parse_ticks("111'000", ZN), parse_ticks("110'315", ZN)]
    reasons = {w.row: w.reason for w in result.warnings}
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8, 9, 10]
    assert "tick" in reasons[3]
    assert "whole number" in reasons[4]
    assert "not positive" in reasons[5]
    assert "side" in reasons[6]
    assert "not an outright" in reasons[7]
    assert "FOO Sep25" in reasons[8]
    assert "fields" in reasons[10]
    assert result.rows == 10


def test_quoted_fields_are_read(write):
    text = HEADER + "\n" + row(user='"Smith, J"').replace('"Smith, J"', '"Smith, J"') + "\n"
    result = read_fill_monitor(write("fm.csv", text))
    assert [f.user for f in result.fills] == ["Smith, J"]


def test_windows_1252_file_saved_by_excel_is_read(write):
    text = "\r\n".join([HEADER, row(user="Jos\u00e9")]) + "\r\n"
    result = read_fill_monitor(write("fm.csv", text, encoding="cp1252"))
    assert [f.user for f in result.fills] == ["Jos\u00e9"]


def test_file_of_another_kind_is_refused_naming_file_and_expectation():
    with pytest.raises(InputError) as err:
        read_fill_monitor(FIXTURES / "tt_audit_trail_sample.csv")
    message = str(err.value)
    assert "tt_audit_trail_sample.csv" in message
    assert "not a fill-monitor CSV" in message
    assert "Audit Trail" in message


def test_missing_and_empty_files_are_refused(tmp_path, write):
    with pytest.raises(InputError, match="no such file"):
        read_fill_monitor(tmp_path / "nope.csv")
    with pytest.raises(InputError, match="empty"):
        read_fill_monitor(write("empty.csv", "\n\n"))
    with pytest.raises(InputError, match="binary"):
        read_fill_monitor(write("bin.csv", "PK\x03\x04\x00\x00junk"))
