"""`zn-ladder export --what journal [--method] [--day]`, run as a real process against real store files."""

from __future__ import annotations

import csv
import datetime as dt
import sqlite3
from fractions import Fraction
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.journal_model import model_journal
from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.records import CorrectionKind, Fill, FillCorrection, Side
from zn_ladder.store.store import Store

ZN = get_product("ZN")
# 2025-07-03 15:00 in Chicago (20:00 UTC): an hour before CME's 16:00 close that starts trading day 2025-07-04.
T = int(dt.datetime(2025, 7, 3, 20, 0, tzinfo=dt.timezone.utc).timestamp()) * 1_000_000_000
HOUR = 3600 * 1_000_000_000


def F(key: str, side: Side, qty: int, price: int, t: int, account: str = "A1") -> Fill:
    return Fill(key, account, "ZN Sep25", side, qty, price, t, source="tt_api")


FILLS = [F("b1", Side.BUY, 3, 7000, T), F("b2", Side.BUY, 2, 7004, T + 1), F("s1", Side.SELL, 2, 7010, T + 2),
         F("s2", Side.SELL, 4, 6998, T + 2 * HOUR), F("x", Side.BUY, 1, 7001, T + 2 * HOUR + 1),
         F("c1", Side.BUY, 2, 6990, T + 3 * HOUR, account="A2"), F("c2", Side.SELL, 2, 6999, T + 3 * HOUR + 1, "A2")]
BUST = FillCorrection("bx", "x", CorrectionKind.BUST, T + 4 * HOUR)


def rows_of(text: str) -> list[dict]:
    return list(csv.DictReader(text.splitlines()))


def store_with_fills(tmp_path: Path) -> Path:
    db = tmp_path / "s.sqlite3"
    with Store.open(db) as store:
        store.ingest(FILLS)
        store.ingest([], [BUST])
    return db


def expected(method: str) -> list[tuple]:
    live = [f for f in FILLS if f.key != "x"]  # the bust removes x
    return model_journal(live, method)


def test_journal_csv_equals_the_model_and_sums_to_the_books(run_cli, tmp_path: Path) -> None:
    db = store_with_fills(tmp_path)
    for method in ("lifo", "fifo"):
        result = run_cli("export", "--db", str(db), "--what", "journal", "--method", method)
        assert result.returncode == 0, result.stderr
        rows = rows_of(result.stdout)
        got = [(r["account"], r["method"], r["open_fill"], r["close_fill"], int(r["open_qty"]), int(r["close_qty"]),
                int(r["matched_qty"]), Fraction(r["realized"]), Fraction(r["cumulative_realized"])) for r in rows]
        want = sorted(((m[0], m[3], m[5], m[9], m[7], m[10], m[12], m[13] * ZN.tick_value, m[14] * ZN.tick_value)
                       for m in expected(method)), key=lambda w: w[0])
        assert sorted(got, key=lambda g: g[0]) == want
        assert all(Fraction(r["open_price"]) * 64 == int(m[8]) for r, m in zip(
            sorted(rows, key=lambda r: r["account"]), sorted(expected(method), key=lambda m: m[0])))
        # the last cumulative figure of each book is the book's realized P&L as the store keeps it
        conn = sqlite3.connect(db)
        for account, units in conn.execute("SELECT account, realized_units FROM books WHERE method=?", (method,)):
            last = [r for r in rows if r["account"] == account][-1]
            assert Fraction(last["cumulative_realized"]) == units * ZN.tick_value
        conn.close()
    both = rows_of(run_cli("export", "--db", str(db), "--what", "journal").stdout)
    assert {r["method"] for r in both} == {"lifo", "fifo"}
    assert list(both[0]) == ["trading_day", "time", "time_ns", "account", "market", "contract", "method", "open_fill",
                             "open_time", "open_qty", "open_price", "close_fill", "close_qty", "close_price",
                             "matched_qty", "realized", "cumulative_realized"]


def test_day_selects_the_matches_of_one_trading_day(run_cli, tmp_path: Path) -> None:
    db = store_with_fills(tmp_path)
    result = run_cli("export", "--db", str(db), "--what", "journal", "--method", "lifo", "--day", "2025-07-04")
    assert result.returncode == 0, result.stderr
    rows = rows_of(result.stdout)
    # Day 2025-07-04 starts at 16:00 Chicago on 07-03: s1 (15:00) closes on 07-03, s2 (17:00), c2 (18:00) on 07-04.
    start = int(dt.datetime(2025, 7, 3, 16, tzinfo=ZoneInfo("America/Chicago")).timestamp()) * 1_000_000_000
    want = [m for m in expected("lifo") if m[4] >= start]
    assert want and len(want) < len(expected("lifo"))
    assert sorted((r["close_fill"], r["open_fill"]) for r in rows) == sorted((m[9], m[5]) for m in want)
    assert {r["trading_day"] for r in rows} == {"2025-07-04"}
    earlier = rows_of(run_cli("export", "--db", str(db), "--what", "journal", "--method", "lifo",
                              "--day", "2025-07-03").stdout)
    assert {r["close_fill"] for r in earlier} == {"s1"}


def test_a_bad_day_or_method_exits_2_with_one_line(run_cli, tmp_path: Path) -> None:
    db = store_with_fills(tmp_path)
    before = db.read_bytes()
    for flag, value in (("--day", "2025-13-01"), ("--day", "yesterday"), ("--method", "avg")):
        result = run_cli("export", "--db", str(db), "--what", "journal", flag, value)
        assert result.returncode == 2
        assert len(result.stderr.strip().splitlines()) == 1 and flag in result.stderr
    assert db.read_bytes() == before
