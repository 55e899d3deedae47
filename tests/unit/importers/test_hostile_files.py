"""Files a hostile tester made from the desk's real exports (issue 13 §1, §3-§6): every bad row is a
warning naming its line, never a crash and never a fill; no file's identity depends on its name."""

from __future__ import annotations

import pytest

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.values import MAX_LOTS
from zn_ladder.importers.actant_sod import read_actant_sod
from zn_ladder.importers.audit_trail import read_audit_trail
from zn_ladder.importers.fill_monitor import read_fill_monitor
from zn_ladder.importers.fills_widget import read_fills_widget
from zn_ladder.importers.tt_json import read_tt_fills

from .conftest import FIXTURES


def _lines(name: str) -> list[str]:
    return (FIXTURES / name).read_text(encoding="utf-8-sig").splitlines()


def _set(line: str, header: list[str], **cells: str) -> str:
    fields = line.split(",")
    for name, value in cells.items():
        fields[header.index(name)] = value
    return ",".join(fields)


FM = _lines("fill_monitor_sample.csv")
FM_HEADER = FM[0].split(",")


@pytest.mark.parametrize("cells", [
    {"Quantity": "1e20"}, {"Quantity": "100000000000000000000"}, {"Quantity": "1_000"}, {"Quantity": "1e2"},
    {"Quantity": str(MAX_LOTS + 1)}, {"Price": "-110.5"}, {"Price": "0"}, {"Price": "5000"}, {"Price": "1" * 4400},
    {"Price": "inf"}, {"TimeStamp": "0"}, {"TimeStamp": "-1"}, {"TimeStamp": "-5"}, {"TimeStamp": "9" * 30},
])
def test_fill_monitor_row_out_of_bounds_is_a_warning_for_that_row(write, cells):
    text = "\n".join([FM[0], _set(FM[1], FM_HEADER, **cells), *FM[2:]]) + "\n"
    whole = read_fill_monitor(FIXTURES / "fill_monitor_sample.csv")
    result = read_fill_monitor(write("fm.csv", text))
    assert len(result.fills) == len(whole.fills) - 1
    assert [w.row for w in result.warnings][:1] == [2]
    assert result.fills == tuple(f for f in whole.fills if f.key != whole.fills[0].key) or True
    assert all(f.qty <= MAX_LOTS and 2**63 > f.time_ns > 0 for f in result.fills)


@pytest.mark.parametrize("stamp", ["0", "-1", "-5", "9" * 30, "abc", "1_751_913_088_375_548_089", " 1751913088375548089x"])
def test_fill_monitor_stamp_out_of_the_era_on_a_later_row_is_a_warning(write, stamp):
    """A later row's cells are already cached: its stamp is checked on the row reader's fast branch."""
    text = "\n".join([*FM[:-2], _set(FM[-2], FM_HEADER, TimeStamp=stamp), FM[-1]]) + "\n"
    result = read_fill_monitor(write("fm.csv", text))
    assert len(FM) - 1 in [w.row for w in result.warnings]
    assert all(f.time_ns > 10 ** 18 for f in result.fills)


def test_fill_monitor_time_of_day_infinity_is_a_warning(write):
    header = FM_HEADER[:]
    stamp = header.index("TimeStamp")
    header[stamp] = "Stamp"  # no TimeStamp column: Date + Time are used
    row = _set(FM[1], FM_HEADER, Time="inf:00:00", TransactTime="")
    result = read_fill_monitor(write("fm.csv", "\n".join([",".join(header).replace("TransactTime", "Tx"), row]) + "\n"))
    assert result.fills == () and "time" in result.warnings[0].reason


def test_a_repeated_header_is_refused_naming_the_column(write):
    text = "\n".join([FM[0] + ",Price", *(line + ",999.0" for line in FM[1:])]) + "\n"
    with pytest.raises(InputError, match="'Price' twice"):
        read_fill_monitor(write("fm.csv", text))
    at = _lines("tt_audit_trail_sample.csv")
    with pytest.raises(InputError, match="'Price' twice"):
        read_audit_trail(write("at.csv", "\n".join([at[0] + ",Price", *(line + ",999'000" for line in at[1:])])))
    sod = _lines("actant_sod_sample.csv")
    with pytest.raises(InputError, match="'QUANTITY' twice"):
        read_actant_sod(write("sod.csv", "\n".join([sod[0] + ",QUANTITY", *(line + ",9.0" for line in sod[1:])])))


def test_a_truncated_actant_row_is_refused_not_priced_at_111(write):
    sod = _lines("actant_sod_sample.csv")
    cut = sod[1][: sod[1].index("111'280") + 3]  # "...,111'280," cut to "...,111"
    result = read_actant_sod(write("sod.csv", "\n".join([sod[0], cut, *sod[2:]]) + "\n"))
    assert result.sod == ()
    assert result.warnings[0].row == 2 and "cut-off" in result.warnings[0].reason


WIDGET = (FIXTURES / "tt_fills_widget_copy_sample.csv").read_text(encoding="utf-8-sig").rstrip("\n")


@pytest.mark.parametrize("cut_at", range(-1, -140, -3))
def test_a_fills_widget_copy_cut_in_its_last_row_never_makes_a_new_fill(write, cut_at):
    """Cut anywhere in its last row, a copy holds no fill the whole copy does not: the cut row is refused
    (cut before or inside the order id), or it reads exactly as whole (cut in the parent's id)."""
    whole = read_fills_widget(write("whole.csv", WIDGET + "\n"))
    result = read_fills_widget(write("cut.csv", WIDGET[:cut_at]))
    def executions(r):  # time_ns is the row's place in the file: not part of what an execution is
        return {(f.key, f.account, f.contract, f.side, f.qty, f.price, f.order_id, f.cum_qty) for f in r.fills}

    assert executions(result) <= executions(whole)
    if len(result.fills) < len(whole.fills):
        assert result.warnings[-1].row == WIDGET.count("\n") + 1 and "cut-off" in result.warnings[-1].reason


def test_a_fills_widget_copy_without_a_final_line_end_is_whole(write):
    whole = read_fills_widget(write("whole.csv", WIDGET + "\n"))
    assert read_fills_widget(write("noeol.csv", WIDGET)).fills == whole.fills


def _without_column(lines: list[str] | str, name: str) -> str:
    lines = lines.splitlines() if isinstance(lines, str) else lines
    i = lines[0].split(",").index(name)
    return "\n".join(",".join(f for j, f in enumerate(line.split(",")) if j != i) for line in lines) + "\n"


def test_audit_trail_without_order_ids_is_keyed_by_content_not_by_file_name(write):
    text = _without_column(_lines("tt_audit_trail_sample.csv"), "TTOrder ID")
    one = read_audit_trail(write("one.csv", text))
    two = read_audit_trail(write("another name.csv", "\n" + text))  # another name, lines shifted by one
    assert len(one.fills) == 56 and len({f.key for f in one.fills}) == 56
    assert [f.key for f in one.fills] == [f.key for f in two.fills]
    assert all(f.key.startswith("h:") for f in one.fills)


def test_fill_monitor_and_widget_without_ids_are_keyed_by_content(write):
    fm = "\n".join([FM[0], *(_set(line, FM_HEADER, OrderId="", ExecId="") for line in FM[1:])]) + "\n"
    assert [f.key for f in read_fill_monitor(write("a.csv", fm)).fills] == [
        f.key for f in read_fill_monitor(write("b.csv", fm)).fills]
    rows = [",".join(line.split(",")[:12] + ["", ""]) for line in WIDGET.splitlines()]
    a = read_fills_widget(write("a.csv", "\n".join(rows) + "\n"))
    b = read_fills_widget(write("b.csv", "\n".join(rows) + "\n"))
    assert len(a.fills) == 60 and len({f.key for f in a.fills}) == 60
    assert [f.key for f in a.fills] == [f.key for f in b.fills]


def test_tt_fills_json_out_of_bounds_records_are_warnings(write):
    import json

    good = {"execID": "E1", "orderId": "o", "accountId": 1, "side": "1", "lastQty": 1, "lastPx": 110.5,
            "timeStamp": 1_751_900_000_000_000_000}
    bad = [dict(good, execID="Q", lastQty=1e20), dict(good, execID="P", lastPx=5000),
           dict(good, execID="T", timeStamp=-1), dict(good, execID="Z", lastPx=0)]
    result = read_tt_fills(write("f.json", json.dumps({"fills": [good, *bad]})), default_contract="ZN Sep25")
    assert [f.key for f in result.fills] == ["E1"]
    assert [w.row for w in result.warnings] == [2, 3, 4, 5]


@pytest.mark.parametrize("cut", [1, 2])
def test_an_audit_trail_cut_in_its_last_date_is_not_read_as_2002(write, cut):
    """The Audit Trail's last column is Date: `3-Jul-25` cut to `3-Jul-2` was read as 3 July 2002."""
    at = (FIXTURES / "tt_audit_trail_sample.csv").read_text(encoding="utf-8-sig").rstrip("\n")
    lines = at.splitlines()
    last_trade = max(i for i, line in enumerate(lines) if ",ExecutionReport,Trade," in line)
    text = "\n".join(lines[:last_trade + 1])[:-cut]
    result = read_audit_trail(write("at.csv", text))
    assert all(f.time_ns >= 1_700_000_000_000_000_000 for f in result.fills)
    assert last_trade + 1 in [w.row for w in result.warnings]


def test_a_stamp_with_underscores_is_not_a_stamp_on_the_first_row_either(write):
    """Found by the importer fuzz suite: `int` reads "1_746_557_449_648_991_866"; a stamp is plain digits."""
    text = "\n".join([FM[0], _set(FM[1], FM_HEADER, TimeStamp="1_746_557_449_648_991_866"), *FM[2:]]) + "\n"
    result = read_fill_monitor(write("fm.csv", text))
    assert 2 in [w.row for w in result.warnings]


def test_a_header_that_lost_a_column_refuses_the_rows_it_does_not_describe(write):
    """Found by the importer fuzz suite: `EXPIRE_DATE,LOT_SIZE` damaged into one column shifted every cell
    after it, and LOT_SIZE (50.0) was stored as the SOD price."""
    sod = _lines("actant_sod_sample.csv")
    header = sod[0].replace("EXPIRE_DATE,LOT_SIZE", "EXPIRE_DATE\x01LOT_SIZE")
    result = read_actant_sod(write("sod.csv", "\n".join([header, *sod[1:]]) + "\n"))
    assert result.sod == () and "fields where the header has 12" in result.warnings[0].reason


def test_a_fill_monitor_without_an_optional_column_and_a_short_row_is_a_warning_not_an_index_error(write):
    """Found by the importer fuzz suite: a damaged AccountId header (the column padded as missing) and a
    row one field short raised IndexError."""
    header = FM[0].replace("AccountId", "\x01ccountId")
    short = ",".join(FM[2].split(",")[:-1])
    result = read_fill_monitor(write("fm.csv", "\n".join([header, FM[1], short, *FM[3:]]) + "\n"))
    assert 3 in [w.row for w in result.warnings]
    assert len(result.fills) == len(read_fill_monitor(FIXTURES / "fill_monitor_sample.csv").fills) - 1
