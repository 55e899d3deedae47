"""The column-by-column reader of fill-monitor files (`fill_columns`, `grid`) must give exactly what the
row reader (`fill_monitor.scan_rows`) gives, or nothing (None) so that the row reader runs.

Small pieces (`grid.PIECE`) put piece boundaries everywhere in these small files.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zn_ladder.importers import fill_monitor, grid
from zn_ladder.importers.text import read_text

from .conftest import FIXTURES

HEADER = ("Date,Time,InstrumentId,InstrumentName,Side,SideName,Quantity,Price,OrderId,AccountId,MarketId,"
          "TransactTime,TimeStamp,ExecId,OrderStatus,Exchange,Contract,Originator,CurrentUser")


def row(i: int, *, side="1", qty="1.0", price="111.0", stamp=None, exec_id="", contract="ZN Sep25", account="A1",
        user="Eric") -> str:
    stamp = 1_746_721_886_405_773_994 + i if stamp is None else stamp
    return (f"2025-05-08,12:31:26.405,1375333834396392980,Unknown_1,{side},{'BUY' if side == '1' else 'SELL'},"
            f"{qty},{price},ord{i % 5},{account},7,{stamp},{stamp},{exec_id},3,CME,{contract},,{user}")


def generated(n: int, seed: int, **choices) -> list[str]:
    rng = random.Random(seed)
    lines = []
    for i in range(n):
        contract = rng.choice(choices.get("contracts", ["ZN Sep25"]))
        tick = rng.randint(0, 40) / (32 if contract.startswith("ZB") else 64)
        lines.append(row(i, side=rng.choice("12"), qty=f"{rng.randint(1, 9)}.0", price=repr(110 + tick),
                         contract=contract, account=rng.choice(choices.get("accounts", ["A1"])),
                         exec_id=f"E{rng.randint(0, 30)}" if rng.random() < choices.get("exec_share", 0) else "",
                         stamp=(rng.randint(10**18, 10**18 + 10**6) if choices.get("shuffled") else None)))
    return lines


@pytest.fixture(params=[40, 200, 1 << 16], ids=["tiny-pieces", "small-pieces", "default-pieces"])
def piece(request, monkeypatch):
    monkeypatch.setattr(grid, "PIECE", request.param)
    return request.param


def both(path: Path):
    text = read_text(path)
    return fill_monitor.columns(path, text), fill_monitor.scan(path, text), fill_monitor.scan_rows(path, text)


REGULAR = {
    "one contract in order": (generated(300, 1), "\n"),
    "ES rows and two ZN contracts": (generated(300, 2, contracts=["ZN Sep25", "ZN Jun25", "ES Jun25"]), "\n"),
    "two products, spread rows": (generated(300, 3, contracts=["ZN Sep25", "ZB Sep25", "ZN Sep25-Dec25"]), "\n"),
    "out of time order, accounts, exec ids": (generated(300, 4, accounts=["A1", "B2", "C3"], exec_share=0.3,
                                                        shuffled=True), "\n"),
    "windows line ends": (generated(100, 5), "\r\n"),
    "stamps of different lengths": ([row(0, stamp=999_999_999_999_999_999), row(1, stamp=1_000_000_000_000_000_000),
                                                    row(2, stamp=990_000_000_000_000_000)], "\n"),
}


@pytest.mark.parametrize("name", REGULAR)
@pytest.mark.parametrize("tail", ["\n", "", "\n\n\n"])
def test_regular_files_are_read_by_columns_exactly_as_row_by_row(write, piece, name, tail):
    lines, newline = REGULAR[name]
    path = write("fm.csv", newline.join([HEADER, *lines]) + tail.replace("\n", newline))
    columns, scanned, reference = both(path)
    assert columns is not None
    assert scanned == reference
    # Straight from the file's bytes: the same columns (a carriage return sends it to the text reader).
    assert fill_monitor.file_columns(path, full=True) == (None if newline == "\r\n" else columns)
    raw, warnings, rows = reference
    assert rows == len(lines) and len(raw) + len(warnings) == rows
    assert columns.rows == rows and columns.warnings == warnings
    assert columns.contracts == {r[3] for r in raw} and columns.accounts == {r[2] for r in raw}


def test_fixture_is_read_by_columns_exactly_as_row_by_row(piece):
    columns, scanned, reference = both(FIXTURES / "fill_monitor_sample.csv")
    assert columns is not None and scanned == reference
    assert fill_monitor.file_columns(FIXTURES / "fill_monitor_sample.csv", full=True) == columns
    assert [w.row for w in scanned[1]] == [73, 74, 75] and len(scanned[0]) == 297


def test_lot_matching_columns_skip_times_lines_and_ids(write):
    path = write("fm.csv", "\n".join([HEADER, *generated(50, 6, shuffled=True)]) + "\n")
    text = read_text(path)
    full, lean = fill_monitor.columns(path, text), fill_monitor.columns(path, text, full=False)
    assert lean.time_ns == lean.line == lean.order_id == lean.user == []
    assert (lean.account, lean.contract, lean.side, lean.qty, lean.price, lean.exec_id) == (
        full.account, full.contract, full.side, full.qty, full.price, full.exec_id)
    assert full.time_ns == sorted(full.time_ns)


IRREGULAR = {
    "cut-off row": lambda lines: lines[:5] + [lines[5][:40]] + lines[6:],
    "long row": lambda lines: lines[:5] + [lines[5] + ",extra"] + lines[6:],
    "blank line inside": lambda lines: lines[:5] + [""] + lines[5:],
    "whitespace line at the end": lambda lines: lines + ["  "],
    "quoted field": lambda lines: lines[:5] + [lines[5].replace(",Eric", ',"Smith, J"')] + lines[6:],
    "off-tick price": lambda lines: lines[:5] + [lines[5].replace(",111.0,", ",111.001,")] + lines[6:],
    "fractional qty": lambda lines: lines[:5] + [lines[5].replace(",1.0,", ",1.5,")] + lines[6:],
    "unknown side": lambda lines: lines[:5] + [lines[5].replace(",1,BUY,", ",7,BUY,")] + lines[6:],
    "side by name only": lambda lines: lines[:5] + [lines[5].replace(",1,BUY,", ",,BUY,")] + lines[6:],
    "stamp not a number": lambda lines: lines[:5] + [lines[5].replace(_STAMPS, ",x,x,")] + lines[6:],
    "no stamp (time from Date and Time)": lambda lines: lines[:5] + [lines[5].replace(_STAMPS, ",,,")] + lines[6:],
}
_STAMPS = ",1746721886405773999,1746721886405773999,"  # TransactTime and TimeStamp of row 5


@pytest.mark.parametrize("name", IRREGULAR)
def test_irregular_files_go_to_the_row_reader_with_its_warnings(write, piece, name):
    regular = [row(i) for i in range(12)]
    lines = IRREGULAR[name](regular)
    assert lines != regular
    path = write("fm.csv", "\n".join([HEADER, *lines]) + "\n")
    for full in (True, False):
        assert fill_monitor.columns(path, read_text(path), full=full) is None
        assert fill_monitor.file_columns(path, full=full) is None
    _, scanned, reference = both(path)
    assert scanned == reference


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_a_file_that_is_not_ascii_is_read_as_text(write, piece, encoding):
    lines = [row(i, user="Jos\u00e9" if i == 7 else "Eric") for i in range(12)]
    path = write("fm.csv", "\n".join([HEADER, *lines]) + "\n", encoding=encoding)
    assert fill_monitor.file_columns(path) is None
    columns, scanned, reference = both(path)
    assert columns is not None and scanned == reference and scanned[0][7][9] == "Jos\u00e9"


def test_file_columns_of_other_files_is_none(write, tmp_path):
    assert fill_monitor.file_columns(FIXTURES / "tt_audit_trail_sample.csv") is None
    assert fill_monitor.file_columns(tmp_path / "missing.csv") is None
    assert fill_monitor.file_columns(write("empty.csv", "")) is None


def test_missing_optional_column_goes_to_the_row_reader(write):
    header = HEADER.replace(",ExecId", "")
    lines = [row(i).replace(",,3,CME", ",3,CME") for i in range(5)]
    path = write("fm.csv", "\n".join([header, *lines]) + "\n")
    columns, scanned, reference = both(path)
    assert columns is None and scanned == reference and len(scanned[0]) == 5


def test_grid_columns_first_inner_and_last():
    text = "h1,h2,h3\na,b,c\nd,e,f\ng,h,i\n"
    (only,) = list(grid.grids(text, text.find("\n") + 1, 3, first_line=2))
    assert only.rows == 3 and only.first_line == 2
    assert [only.column(i) for i in range(3)] == [["a", "d", "g"], ["b", "e", "h"], ["c", "f", "i"]]
    pieces = list(grid.grids(text, text.find("\n") + 1, 3, first_line=2, piece=1))
    assert [(g.first_line, g.rows, g.column(2)) for g in pieces] == [(2, 1, ["c"]), (3, 1, ["f"]), (4, 1, ["i"])]


@pytest.mark.parametrize("body", ["a,b,c\nd,e\nf,g,h,i\n", "a,b,c,d\ne,f\n", "a,b,c\n\nd,e,f\n", "a,b\nc,d\n"])
def test_grid_refuses_lines_of_another_width_even_when_commas_add_up(body):
    assert None in list(grid.grids(body, 0, 3, first_line=2))


# --- any file: the columns, when they answer, answer what the row reader answers ----------------------

_LINES = [row(1), row(2, side="2", qty="3.0", price="110.5"), row(3, contract="ES Jun25", price="5000.25"),
          row(4, exec_id="X1"), row(5, account="B7", stamp=17), row(6, contract="ZB Sep25", price="118.5"),
          row(7, price="111.001"), row(8)[:30], row(9) + ",", "", "  ", row(10).replace(",Eric", ',"E, J"'),
          row(11, user="Jos\u00e9"), row(12, side="")]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.lists(st.sampled_from(range(6)), min_size=1, max_size=25),  # regular lines only
                 st.lists(st.sampled_from(range(len(_LINES))), min_size=1, max_size=25)),
       st.sampled_from(["\n", "\r\n"]),
       st.sampled_from(["", "\n", "\n\n"]), st.integers(1, 400))
def test_any_file_columns_agree_with_the_row_reader(tmp_path, monkeypatch, picks, newline, tail, piece):
    monkeypatch.setattr(grid, "PIECE", piece)
    path = tmp_path / "fm.csv"
    path.write_bytes(newline.join([HEADER, *(_LINES[i] for i in picks)]).encode() + tail.encode())
    text = read_text(path)
    reference = fill_monitor.scan_rows(path, text)
    assert fill_monitor.scan(path, text) == reference
    columns = fill_monitor.columns(path, text)
    by_file = fill_monitor.file_columns(path, full=True)
    if by_file is not None:
        assert by_file == columns
    if columns is not None:
        raw = list(zip(columns.time_ns, columns.line, columns.account, columns.contract, columns.side, columns.qty,
                       columns.price, columns.order_id, columns.exec_id, columns.user, columns.market))
        assert (raw, columns.warnings, columns.rows) == reference
