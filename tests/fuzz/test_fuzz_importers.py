"""Fuzz every importer through `zn-ladder import` (issue 13): mutated copies of the desk's real files.

Three kinds of generated input, each with its own reference:
- a row made invalid (a hostile value in one of its quantity, price, time, side or contract cells):
  the store must end up exactly as if that row had not been in the file (the reference file is the
  original without the row), and the import must warn about that row's line;
- an equivalent rewrite (other line ends, a BOM, UTF-16, no final line end, another valid form of a
  cell): the store must end up exactly as with the original file;
- arbitrary damage (bytes inserted, the file cut anywhere, a header column repeated): exit 2 with one
  stderr line and the store's bytes unchanged, or exit 0 with every stored value inside its bounds,
  the baseline untouched, and a second import adding nothing.
Never a traceback.
"""

from __future__ import annotations

import json
import re
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zn_ladder.domain.instruments import get_product

from .conftest import (FIXTURES, RAN, Stores, assert_one_line_refusal, fuzz_settings, run_cli, store_digest,
                       stored)

ZN = get_product("ZN")
ERA = (946_684_800 * 10 ** 9, 4_102_444_800 * 10 ** 9)
#: Characters a cell may hold without changing the CSV's structure.
CELL_CHARS = st.characters(blacklist_characters=',"\n\r\x00', blacklist_categories=("Cs",))


def _fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8-sig")


def _tt_fills_json() -> str:
    """The fill-monitor fixture's ZN fills as a TT fills JSON answer (numbers as TT sends them)."""
    lines = _fixture("fill_monitor_sample.csv").splitlines()
    header = lines[0].split(",")
    records = []
    for line in lines[1:60]:
        f = dict(zip(header, line.split(",")))
        if not f["Contract"].startswith("ZN"):
            continue
        records.append({"execID": f"X{len(records)}", "orderId": f["OrderId"], "accountId": f["AccountId"],
                        "side": f["Side"], "lastQty": float(f["Quantity"]), "lastPx": float(f["Price"]),
                        "timeStamp": int(f["TimeStamp"]), "alias": f["Contract"], "execType": "F"})
    return json.dumps({"status": "Ok", "lastPage": "true", "fills": records}, indent=1)


# ---------------------------------------------------------------- the kinds of file and their cells
class Kind:
    """A fixture, which of its lines are data rows that become records, and its key cells."""

    def __init__(self, name: str, text: str, header: bool, times: bool, cells: dict[str, int | str],
                 rows: list[int]) -> None:
        self.name, self.text, self.header, self.times, self.cells, self.rows = name, text, header, times, cells, rows

    def lines(self) -> list[str]:
        return self.text.split("\n")


def _csv_kind(name: str, fixture: str, cells: list[str], keep, *, header: bool = True, times: bool = True,
              widths: dict[str, int] | None = None) -> Kind:
    text = _fixture(fixture)
    lines = text.split("\n")
    names = lines[0].split(",") if header else []
    index = {c: (names.index(c) if header else widths[c]) for c in cells}  # type: ignore[index]
    rows = [i for i, line in enumerate(lines) if (i > 0 or not header) and line.strip() and keep(line)]
    return Kind(name, text, header, times, index, rows)


KINDS = {
    "fill_monitor": _csv_kind("fill_monitor", "fill_monitor_sample.csv", ["Quantity", "Price", "TimeStamp", "Contract"],
                              lambda line: ",ZN " in line),
    "audit_trail": _csv_kind("audit_trail", "tt_audit_trail_sample.csv", ["FillQty", "Price", "B/S", "Contract"],
                             lambda line: ",ExecutionReport,Trade," in line, times=False),
    "fills_widget": _csv_kind("fills_widget", "tt_fills_widget_copy_sample.csv", ["Qty", "Price", "B/S", "Contract", "Date"],
                              lambda line: True, header=False, times=False,
                              widths={"Date": 0, "Contract": 3, "B/S": 4, "Qty": 5, "Price": 6}),
    "actant_sod": _csv_kind("actant_sod", "actant_sod_sample.csv", ["QUANTITY", "PRICE_TODAY", "UNDERLYING"],
                            lambda line: ",1.0," in line),
}
JSON_TEXT = _tt_fills_json()
JSON_RECORDS = json.loads(JSON_TEXT)["fills"]

# Audit Trail: the first and last lines decide the file's order by their dates; keep them whole.
KINDS["audit_trail"].rows = [r for r in KINDS["audit_trail"].rows if 1 < r < len(KINDS["audit_trail"].lines()) - 2]


# ---------------------------------------------------------------- hostile values, invalid by construction
def _plain_lots(text: str) -> bool:
    m = re.fullmatch(r"[0-9]{1,7}(?:\.0*)?", text.strip(), re.ASCII)
    return bool(m) and 1 <= int(text.strip().split(".")[0]) <= 1_000_000


def _decimal_zn_price(text: str) -> bool:
    t = text.strip()
    if len(t) > 40 or not re.fullmatch(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)", t, re.ASCII):
        return False
    v = Fraction(t)
    return (v * 64).denominator == 1 and ZN.min_price < v < ZN.max_price


BAD_QTY = st.one_of(
    st.sampled_from(["1e20", "100000000000000000000", "1e2", "1_000", "0", "0.0", "-1", "-5", "1.5", "nan", "inf",
                     "-inf", "", " ", "0x10", "１", "٣", "+1", "1e0", "1000001", "9" * 400, "1" * 5000, "2.5",
                     "1.0.0", "None", "true"]),
    st.text(CELL_CHARS, max_size=12).filter(lambda t: not _plain_lots(t)),
    st.integers(min_value=1_000_001).map(str), st.integers(max_value=0).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr).filter(lambda t: not _plain_lots(t)))
BAD_DECIMAL_PRICE = st.one_of(
    st.sampled_from(["-110.5", "0", "0.0", "5000", "1000", "1000.0", "110.001", "1e2", "inf", "nan", "", "1" * 4400,
                     "110'160", "110-16", "-0", ".", "1_10.5", "١١٠.٥"]),
    st.text(CELL_CHARS, max_size=20).filter(lambda t: not _decimal_zn_price(t)),
    st.decimals(allow_nan=False, allow_infinity=False, places=7).map(str).filter(lambda t: not _decimal_zn_price(t)))
BAD_TT_PRICE = st.one_of(
    st.sampled_from(["-110'160", "0", "0'000", "5000", "1000'000", "110'164", "110'32", "110'0", "abc", "", "1" * 4400,
                     "110''160", "110'16a", "nan", "inf", "1e2", "110.001"]),
    st.text(st.characters(whitelist_categories=("L", "P", "S", "Z"), blacklist_characters=',"\n\r\x00'),
            max_size=12).filter(lambda t: not re.search(r"[0-9]", t)))
# (An empty TimeStamp is not invalid: the fill monitor then reads Date and Time.)
BAD_STAMP = st.one_of(st.sampled_from(["0", "-1", "-5", "9" * 30, "abc", "1e18", "1_746_557_449_648_991_866",
                                       str(ERA[0] - 1), str(ERA[1])]),
                      st.integers(max_value=ERA[0] - 1).map(str), st.integers(min_value=ERA[1]).map(str))
BAD_SIDE = st.sampled_from(["X", "BUYSELL", "3", "0", "-1", "Bu", "ß", "S S"])
BAD_CONTRACT = st.sampled_from(["ES Jun25", "ZN Sep25-Dec25", "FOO Sep25", "ZN", "ZNSep25", "ZN Sep2", "ZN Sepp25"])
BAD_DATE = st.sampled_from(["3-Jul-2", "32-Jul-25", "3-Jux-25", "", "2025-13-01", "1-Jan-1999", "1-Jan-2100",
                            "31-Dec-1969", "3-Jul-25x", "0-Jul-25"])

BAD = {"Quantity": BAD_QTY, "FillQty": BAD_QTY, "Qty": BAD_QTY, "QUANTITY": BAD_QTY,
       "Price": BAD_DECIMAL_PRICE, "TimeStamp": BAD_STAMP, "Contract": BAD_CONTRACT, "B/S": BAD_SIDE,
       "UNDERLYING": st.sampled_from(["ES", "FOO", "ZN ZN"]), "Date": BAD_DATE, "PRICE_TODAY": BAD_TT_PRICE}
TT_FORM = {"audit_trail", "fills_widget", "actant_sod"}


def _bad_value(kind: Kind, cell: str):
    if cell == "Price" and kind.name in TT_FORM:
        return BAD_TT_PRICE
    return BAD[cell]


# ---------------------------------------------------------------- running an import and comparing stores
def _write(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def _import(stores: Stores, path: Path, kind: str) -> tuple[int, str, str, Path]:
    db = stores.fresh()
    code, out, err = run_cli("import", str(path), "--db", str(db), "--kind", kind, "--json")
    assert "Traceback" not in err
    return code, out, err, db


def _row_fields(kind: Kind, line: str) -> list[str]:
    return line.split(",")


@pytest.fixture(scope="module")
def stores(baseline_store) -> Stores:
    return Stores(baseline_store)


@pytest.mark.parametrize("name", list(KINDS))
@fuzz_settings
@given(data=st.data())
def test_an_invalid_row_is_refused_and_the_rest_stored_as_without_it(stores, name, data):
    kind = KINDS[name]
    lines = kind.lines()
    row = data.draw(st.sampled_from(kind.rows), label="row")
    cell = data.draw(st.sampled_from(list(kind.cells)), label="cell")
    value = data.draw(_bad_value(kind, cell), label="value")
    fields = _row_fields(kind, lines[row])
    fields[kind.cells[cell]] = value
    broken = lines[:row] + [",".join(fields)] + lines[row + 1:]
    without = lines[:row] + lines[row + 1:]
    RAN[f"importers/{name}: invalid row"] += 1
    a = _write(stores.folder, "broken.csv", "\n".join(broken))
    b = _write(stores.folder, "without.csv", "\n".join(without))
    code, out, err, db_a = _import(stores, a, name)
    code_b, _, err_b, db_b = _import(stores, b, name)
    try:
        assert code_b == 0, err_b
        if code == 2 and name == "fills_widget" and row == kind.rows[0]:
            # A headerless copy is recognised by its first row: that row broken, the file is refused.
            assert_one_line_refusal(code, err)
            return
        assert code == 0, err
        assert stored(db_a, times=kind.times) == stored(db_b, times=kind.times)
        warned = {int(w.split(":")[0].split()[1]) for w in json.loads(out)["files"][0]["warnings"]
                  if w.startswith("row ")}
        assert row + 1 in warned, (row + 1, value, json.loads(out)["files"][0]["warnings"][:5])
    finally:
        stores.drop(db_a, db_b)


@fuzz_settings
@given(data=st.data())
def test_an_invalid_tt_fills_json_record_is_refused_and_the_rest_stored_as_without_it(stores, data):
    i = data.draw(st.integers(0, len(JSON_RECORDS) - 1), label="record")
    field = data.draw(st.sampled_from(["lastQty", "lastPx", "timeStamp", "side", "alias"]), label="field")
    hostile = {
        "lastQty": st.one_of(st.sampled_from([1e20, 2 ** 63, 2 ** 64, -1, 0, 1.5, "1_000", "1e2", True, None, [1], {},
                                              float(1_000_001), "nan", "", "-0"]),
                             st.integers(min_value=1_000_001), st.integers(max_value=0),
                             st.floats().filter(lambda x: not (x == x and x.is_integer() and 1 <= x <= 1e6))),
        "lastPx": st.one_of(st.sampled_from([-110.5, 0, 5000, 1000, 1e300, 10 ** 400, "1" * 4400, "abc", None, True,
                                             110.001, "110'164", [], "inf", ""]),
                            st.floats().filter(lambda x: not (x == x and abs(x) != float("inf") and ZN.min_price < x < ZN.max_price
                                                              and (Fraction(x) * 64).denominator == 1))),
        "timeStamp": st.one_of(st.sampled_from([0, -1, -5, 10 ** 30, 1e30, "abc", "1e18", None, True, ERA[1], ERA[0] - 1,
                                                "", [], 1.5e30]),
                               st.integers(max_value=ERA[0] - 1), st.integers(min_value=ERA[1])),
        "side": st.sampled_from(["3", "X", 0, None, "", True, [], "BUYSELL"]),
        "alias": st.sampled_from(["ES Jun25", "ZN Sep25-Dec25", "FOO Sep25", "", 7, None]),
    }[field]
    value = data.draw(hostile, label="value")
    broken = [dict(r) for r in JSON_RECORDS]
    if value is None:
        broken[i].pop(field)
    else:
        broken[i][field] = value
    if field == "alias" and not value:
        broken[i]["instrumentId"] = "99"  # unnamed: no default contract given, so it is refused
    without = JSON_RECORDS[:i] + JSON_RECORDS[i + 1:]
    RAN["importers/tt_fills json: invalid record"] += 1
    a = _write(stores.folder, "broken.json", json.dumps({"fills": broken}))
    b = _write(stores.folder, "without.json", json.dumps({"fills": without}))
    code, out, err, db_a = _import(stores, a, "tt_fills")
    code_b, _, err_b, db_b = _import(stores, b, "tt_fills")
    try:
        assert code == 0 and code_b == 0, (err, err_b)
        assert stored(db_a) == stored(db_b)
        assert any(w.startswith(f"row {i + 1}:") for w in json.loads(out)["files"][0]["warnings"])
    finally:
        stores.drop(db_a, db_b)


def _equivalents(kind: Kind, text: str):
    """Rewrites of `text` that must import exactly like it."""
    data = text.encode("utf-8")
    return st.one_of(
        st.just(("crlf", text.replace("\n", "\r\n").encode())),
        st.just(("cr only", text.replace("\n", "\r").encode())),
        st.just(("bom", b"\xef\xbb\xbf" + data)),
        st.just(("utf-16", text.encode("utf-16"))),
        st.just(("utf-16-le no bom", text.encode("utf-16-le"))),
        st.just(("utf-16-be bom", b"\xfe\xff" + text.encode("utf-16-be"))),
        st.just(("cp1252", text.encode("cp1252", errors="replace"))),
        st.just(("no final line end", text.rstrip("\n").encode())),
        st.integers(1, 5).map(lambda n: ("blank lines at the end", (text.rstrip("\n") + "\n" * (n + 1)).encode())),
    )


def _same_cell_forms(kind: Kind, data) -> str:
    """The file with some quantities and prices written in another valid form."""
    lines = kind.lines()
    for row in data.draw(st.lists(st.sampled_from(kind.rows), max_size=5, unique=True), label="rows"):
        fields = lines[row].split(",")
        for cell, i in kind.cells.items():
            text = fields[i]
            if cell in ("Quantity", "FillQty", "Qty", "QUANTITY") and _plain_lots(text):
                n = int(text.strip().split(".")[0])
                fields[i] = data.draw(st.sampled_from([str(n), f"{n}.0", f"{n}.00", f" {n} ", f"{n}."]), label="qty")
            elif cell == "Price" and kind.name == "fill_monitor" and _decimal_zn_price(text):
                fields[i] = data.draw(st.sampled_from([text, text + "0", text + "000", f" {text}"]), label="price")
        lines[row] = ",".join(fields)
    return "\n".join(lines)


@pytest.mark.parametrize("name", list(KINDS))
@fuzz_settings
@given(data=st.data())
def test_an_equivalent_rewrite_stores_exactly_what_the_original_does(stores, name, data):
    kind = KINDS[name]
    text = _same_cell_forms(kind, data)
    label, rewritten = data.draw(_equivalents(kind, text), label="rewrite")
    RAN[f"importers/{name}: equivalent rewrite"] += 1
    original = _write(stores.folder, "original.csv", kind.text)
    copy = _write(stores.folder, "copy.csv", rewritten)
    code_a, _, err_a, db_a = _import(stores, original, name)
    code_b, _, err_b, db_b = _import(stores, copy, name)
    try:
        assert code_a == 0 and code_b == 0, (label, err_a, err_b)
        assert stored(db_a) == stored(db_b), label
    finally:
        stores.drop(db_a, db_b)


def _damage(text: str):
    """Arbitrary damage to a file: bytes inserted, the file cut, a header column repeated, bytes flipped."""
    data = text.encode("utf-8")
    insert = st.tuples(st.integers(0, len(data)), st.binary(min_size=1, max_size=300)).map(
        lambda t: ("insert", data[:t[0]] + t[1] + data[t[0]:]))
    insert_text = st.tuples(st.integers(0, len(text)), st.text(max_size=60)).map(
        lambda t: ("insert text", (text[:t[0]] + t[1] + text[t[0]:]).encode("utf-8", "surrogatepass")))
    cut = st.integers(0, len(data)).map(lambda n: ("cut", data[:n]))
    flips = st.lists(st.tuples(st.integers(0, max(0, len(data) - 1)), st.integers(0, 255)), min_size=1, max_size=8).map(
        lambda fl: ("flip", bytes(_flip(bytearray(data), fl))))
    header = st.just(("repeat a header column", _repeat_column(text).encode()))
    huge_field = st.just(("quoted field over 128 KiB", (text + '"' + "x" * 140_000 + '",1\n').encode()))
    return st.one_of(insert, insert_text, cut, flips, header, huge_field)


def _flip(buf: bytearray, flips) -> bytearray:
    for at, value in flips:
        if buf:
            buf[at % len(buf)] = value
    return buf


def _repeat_column(text: str) -> str:
    lines = text.split("\n")
    first = lines[0].split(",")
    return "\n".join([",".join(first + [first[-1]])] + [line + ",x" for line in lines[1:]])


def _bounded(db: Path) -> None:
    fills, sod = stored(db)
    for key, account, contract, side, qty, price, time_ns, *_ in fills:
        assert side in (1, -1) and 1 <= qty <= 1_000_000 and 0 < price < 1000 * 256, (key, qty, price)
        assert ERA[0] <= time_ns < ERA[1], (key, time_ns)
    for *_, qty, price in sod:
        assert abs(qty) <= 1_000_000 and 0 < price < 1000 * 256


@pytest.mark.parametrize("name", [*KINDS, "tt_fills"])
@fuzz_settings
@given(data=st.data())
def test_arbitrary_damage_is_refused_in_one_line_or_stored_within_bounds(stores, name, data):
    text = JSON_TEXT if name == "tt_fills" else KINDS[name].text
    label, damaged = data.draw(_damage(text), label="damage")
    kind = data.draw(st.sampled_from([name, None]), label="--kind")
    RAN[f"importers/{name}: arbitrary damage"] += 1
    path = _write(stores.folder, "damaged.csv", damaged)
    db = stores.fresh()
    before, baseline = store_digest(db), stored(db)
    args = ["import", str(path), "--db", str(db), "--json"] + (["--kind", kind] if kind else [])
    code, out, err = run_cli(*args)
    try:
        assert "Traceback" not in err
        if code != 0:
            assert_one_line_refusal(code, err)
            assert store_digest(db) == before, label
            return
        _bounded(db)
        after = stored(db)
        assert set(baseline[0]) <= set(after[0])  # (an SOD file replaces the SOD lots of its date: by design)
        again, out2, err2 = run_cli(*args)
        assert again == 0, err2
        assert sum(f["added"] for f in json.loads(out2)["files"]) == 0  # importing again adds nothing
    finally:
        stores.drop(db)
