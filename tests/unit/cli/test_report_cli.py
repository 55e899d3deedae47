"""`zn-ladder report` run as a real process on a real store: the workbook read back with openpyxl (and
its chart's XML), the CSV parsed, the page's embedded PNG decoded; bad input refused in one line."""

from __future__ import annotations

import base64
import csv
import io
import re
import struct
import zipfile
from fractions import Fraction
from pathlib import Path

import pytest

from tests.journal_model import model_journal
from tests.report_store import DAY, sample_day
from tests.trade_model import model_trips, opening_from_sod, tick_value
from zn_ladder.domain.records import SodLot
from zn_ladder.domain.trading_day import DEFAULT_RULE, day_bounds_ns
from zn_ladder.store.db import connect
from zn_ladder.store.snapshot import read_books


@pytest.fixture(scope="module")
def day(tmp_path_factory):
    return sample_day(tmp_path_factory.mktemp("store") / "s.sqlite3")


def _books(path: Path, method: str) -> dict:
    conn = connect(path, readonly=True)
    try:
        return {(b.account, b.contract): b for b in read_books(conn, method=method)}
    finally:
        conn.close()


def _write(run_cli, day, out: Path, *more: str):
    result = run_cli("report", "--db", str(day.path), "--day", DAY.isoformat(), "--out", str(out), *more)
    assert result.returncode == 0, result.stderr
    return result


def _money(value) -> Fraction:
    return Fraction(value)  # a double in the file; every amount is a binary fraction (ticks x 1/64 dollars...)


def test_workbook(run_cli, day, tmp_path: Path) -> None:
    import openpyxl

    out = tmp_path / "day.xlsx"
    result = _write(run_cli, day, out)
    assert str(out) in result.stdout
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Summary", "Round trips", "P&L curve", "Fills", "Journal"]
    # the fills as they stand (busts gone, corrections applied): their keys, quantities and times' order
    fills = list(book["Fills"].iter_rows(min_row=2, values_only=True))
    assert [(r[9], r[5]) for r in fills] == [(f.key, f.qty) for f in day.fills]
    # the journal: every lot match of an independent journal, with its dollars
    sod = [SodLot(l.account, l.contract, l.qty, l.price, DAY.isoformat(), l.market) for l in day.sod]
    expected = model_journal(day.fills, "lifo", sod)
    journal = list(book["Journal"].iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[3], r[9], r[12], _money(r[13])) for r in journal] == [
        (e[0], e[2], e[9], e[12], e[13] * tick_value(e[2])) for e in expected]
    # the summary's figures are the store's books
    summary = {r[0]: r[1] for r in book["Summary"].iter_rows(min_row=3, max_row=28, values_only=True)}
    lifo = _books(day.path, "lifo")
    assert summary["Fills"] == len(day.fills) == sum(b.fills_applied for b in lifo.values())
    assert _money(summary["Realized P&L (LIFO)"]) == sum(b.realized_units * tick_value(c) for (_, c), b in lifo.items())
    closed, _ = model_trips(day.fills, opening_from_sod(day.sod), day_bounds_ns(DAY, DEFAULT_RULE)[0])
    assert summary["Round trips"] == len(closed)
    assert _money(summary["Net of round trips"]) == sum(c[4] for c in closed)
    rows = list(book["Summary"].iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r[0] == "Account" and r[3] == "Opening position")
    fifo = _books(day.path, "fifo")
    for r in rows[header + 1:header + 1 + len(lifo)]:
        key = (r[0], r[2])
        assert (r[7], _money(r[8]), _money(r[9])) == (
            lifo[key].position, lifo[key].realized_units * tick_value(r[2]),
            fifo[key].realized_units * tick_value(r[2]))
    # a native chart over the curve sheet's cells
    points = book["P&L curve"].max_row - 1
    with zipfile.ZipFile(out) as z:
        chart = z.read("xl/charts/chart1.xml").decode()
    assert f"<c:f>'P&amp;L curve'!$B$2:$B${points + 1}</c:f>" in chart
    assert f"<c:f>'P&amp;L curve'!$A$2:$A${points + 1}</c:f>" in chart
    assert points == len(day.fills) + 1


def test_csv_parses_into_its_tables(run_cli, day, tmp_path: Path) -> None:
    out = tmp_path / "day.csv"
    _write(run_cli, day, out)
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    tables, current = {}, None
    for row in rows:
        if not row:
            current = None
        elif current is None:
            current = tables.setdefault(row[0], [])
        else:
            current.append(row)
    assert list(tables) == ["Summary", "Books", "P&L by hour", "Round trips", "P&L curve", "Fills", "Journal"]
    assert [r[9] for r in tables["Fills"][1:]] == [f.key for f in day.fills]
    figures = dict(tables["Summary"][1:])
    lifo = _books(day.path, "lifo")
    realized = sum(b.realized_units * tick_value(c) for (_, c), b in lifo.items())
    assert Fraction(figures["Realized P&L (LIFO)"]) == realized
    hours = tables["P&L by hour"][1:]
    assert sum(Fraction(h[3]) for h in hours) == Fraction(figures["Realized P&L (LIFO)"])
    assert sum(Fraction(h[4]) for h in hours) == Fraction(figures["Day's P&L (at last traded prices)"])


def test_html_is_self_contained_with_the_chart(run_cli, day, tmp_path: Path) -> None:
    out = tmp_path / "day.html"
    _write(run_cli, day, out, "--account", "ACC1")
    page = out.read_text(encoding="utf-8")
    (png,) = re.findall(r'<img class="chart" alt="[^"]*" src="data:image/png;base64,([A-Za-z0-9+/=]+)">', page)
    data = base64.b64decode(png)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])  # IHDR
    assert (width, height) == (1000, 420)
    assert "ACC2" not in page and "ACC1" in page
    assert "http" not in page.replace("https://", "")  # nothing fetched from elsewhere


def test_a_day_without_fills_is_written_and_says_so(run_cli, day, tmp_path: Path) -> None:
    out = tmp_path / "empty.xlsx"
    result = run_cli("report", "--db", str(day.path), "--day", "2025-07-21", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "warning: no fills on trading day 2025-07-21" in result.stderr
    assert out.exists()


@pytest.mark.parametrize("args, message", [
    (["--day", "2025-13-01"], "day '2025-13-01': expected a date as YYYY-MM-DD"),
    (["--day", "2025-07-15", "--out", "x.pdf"], "has extension '.pdf': name it .xlsx, .csv or .html"),
    (["--day", "2025-07-19"], "2025-07-19 is a Saturday, not a trading day: its fills belong to Monday 2025-07-21"),
    (["--day", "2025-07-15", "--account", "NOPE"], "account 'NOPE' is not in the store"),
])
def test_bad_input_one_line(run_cli, day, tmp_path: Path, args, message) -> None:
    result = run_cli("report", "--db", str(day.path), *args, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == "" and len(result.stderr.splitlines()) == 1
    assert message in result.stderr
    if "NOPE" in args:
        assert "accounts with fills on 2025-07-15: ACC1, ACC2" in result.stderr
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_fill_files_give_the_report_the_store_gives(run_cli, fixtures_dir: Path, tmp_path: Path) -> None:
    """`report FILE...` (like `pnl FILE...`) and `report --db` after importing the same file agree line for
    line; the day holds the file's rows of trading day 2025-05-22: 2025-05-21 21:00 UTC (16:00 Chicago,
    CDT) to 2025-05-22 21:00 UTC, counted here from the file's own TransactTime column."""
    source = fixtures_dir / "fill_monitor_sample.csv"
    db = tmp_path / "s.sqlite3"
    assert run_cli("import", str(source), "--db", str(db)).returncode == 0
    from_file, from_store = tmp_path / "file.csv", tmp_path / "store.csv"
    assert run_cli("report", str(source), "--day", "2025-05-22", "--out", str(from_file)).returncode == 0
    assert run_cli("report", "--db", str(db), "--day", "2025-05-22", "--out", str(from_store)).returncode == 0
    assert from_file.read_text() == from_store.read_text()
    start, end = 1_747_861_200 * 10**9, 1_747_947_600 * 10**9
    with source.open(newline="") as f:
        expected = [r for r in csv.DictReader(f)
                    if start <= int(r["TransactTime"]) < end and r["Contract"].startswith("ZN")]
    rows = list(csv.reader(io.StringIO(from_file.read_text())))
    fills = rows[rows.index(["Fills"]) + 2:]
    fills = fills[:fills.index([])]
    assert len(fills) == len(expected) == 42


def test_user_keeps_one_traders_fills(run_cli, tmp_path: Path) -> None:
    """`--user Eric` (any case): the report of the fills whose CurrentUser TT names Eric, by the store's cached
    user lookup; the SOD, an account's position, is left out and the warning says so."""
    import random
    from dataclasses import replace

    from tests.report_store import make_fills
    from zn_ladder.store.refdata import USER
    from zn_ladder.store.store import Store

    fills = [replace(f, user="101" if i % 3 else "102") for i, f in enumerate(make_fills(random.Random(7), 30))]
    path = tmp_path / "users.sqlite3"
    with Store.open(path) as store:
        store.ingest(fills)
        store.put_refdata(USER, "101", {"alias": "Eric", "company": "Demo Capital LLC"})
        store.put_refdata(USER, "102", {"alias": "Sam", "company": "Demo Capital LLC"})
    out = tmp_path / "eric.csv"
    result = run_cli("report", "--db", str(path), "--day", DAY.isoformat(), "--out", str(out), "--user", "eric")
    assert result.returncode == 0, result.stderr
    assert "SOD positions belong to accounts" in result.stderr
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    start = next(i for i, r in enumerate(rows) if r == ["Fills"])
    table = rows[start + 2:rows.index([], start) if [] in rows[start:] else None]
    assert [r[9] for r in table] == [f.key for f in fills if f.user == "101"]
