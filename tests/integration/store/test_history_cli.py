"""`zn-ladder history`, `export --what days|fills --day D` and `pnl --db --day D` on a real store.

Five fills of ZN Jun26 (a tick is 1/64 point = $15.625), Chicago time:
  Mon 9 Mar 2026 09:00 buy 3 @7000; 15:59 sell 1 @7008            -> Monday's day (closes 16:00)
  Mon 9 Mar 17:00 sell 1 @7004 (Globex evening: Tuesday's); Tue 10:00 buy 2 @7002; 11:00 sell 2 @7006
Monday: +8 ticks ($125) both methods; closes long 2 @7000, marked at its last fill 7008 (7008/64 = 109.5):
16 ticks ($250). Tuesday's mark is 7006 (109.46875).
Tuesday opens long 2 @7000: the 7004 sell closes one (+4). Lots 1 @7000, 2 @7002; the last sell of 2:
  LIFO closes 2 @7002 (+8): 12 ticks ($187.50), left 1 @7000, marked at 7006: +6 ($93.75);
  FIFO closes 1 @7000 (+6) and 1 @7002 (+4): 14 ticks ($218.75), left 1 @7002: +4 ($62.50).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.unit.store.conftest import raw_conn
from zn_ladder.domain.records import Fill, Side
from zn_ladder.store.store import Store

CHI = ZoneInfo("America/Chicago")
FILLS = [((2026, 3, 9, 9, 0), 1, 3, 7000), ((2026, 3, 9, 15, 59), -1, 1, 7008), ((2026, 3, 9, 17, 0), -1, 1, 7004),
         ((2026, 3, 10, 10, 0), 1, 2, 7002), ((2026, 3, 10, 11, 0), -1, 2, 7006)]


def _ns(parts) -> int:
    return int(datetime(*parts, tzinfo=CHI).timestamp()) * 10**9


@pytest.fixture
def db(store_url):
    """The five fills in a store on each backend (a SQLite file, the desk's PostgreSQL database)."""
    path = store_url
    with Store.open(path) as store:
        store.ingest([Fill(f"x{i}", "A1", "ZN Jun26", Side(side), qty, price, _ns(when), source="tt_api")
                      for i, (when, side, qty, price) in enumerate(FILLS)])
    return path


def test_history_json_has_each_closed_day(run_cli, db):
    out = run_cli("history", "--db", str(db), "--json")
    assert out.returncode == 0, out.stderr
    payload = json.loads(out.stdout)
    assert payload["trading_day_close"] == "16:00 America/Chicago"
    common = {"account": "A1", "market": "CME", "contract": "ZN Jun26", "mark_source": "last fill"}
    assert payload["days"] == [
        {"day": "2026-03-09", **common, "realized_lifo": 125, "realized_fifo": 125, "position": 2,
         "mark": "109.5", "unrealized_lifo": 250, "unrealized_fifo": 250, "fills": 2, "volume": 4},
        {"day": "2026-03-10", **common, "realized_lifo": 187.5, "realized_fifo": 218.75, "position": 1,
         "mark": "109.46875", "unrealized_lifo": 93.75, "unrealized_fifo": 62.5, "fills": 3, "volume": 5}]
    text = run_cli("history", "--db", str(db), "--day", "2026-03-10")
    assert text.returncode == 0 and "$187.50" in text.stdout and "$218.75" in text.stdout
    assert "2026-03-09" not in text.stdout


def test_export_days_and_one_days_fills(run_cli, db):
    assert run_cli("history", "--db", str(db)).returncode == 0  # closes the days (the store did on ingest too)
    days = list(csv.DictReader(io.StringIO(run_cli("export", "--db", str(db), "--what", "days").stdout)))
    assert [(d["day"], d["realized_lifo"], d["realized_fifo"], d["mark"]) for d in days] == [
        ("2026-03-09", "125", "125", "109.5"), ("2026-03-10", "187.5", "218.75", "109.46875")]
    tuesday = run_cli("export", "--db", str(db), "--what", "fills", "--day", "2026-03-10")
    assert tuesday.returncode == 0, tuesday.stderr
    rows = list(csv.DictReader(io.StringIO(tuesday.stdout)))
    assert [int(r["TransactTime"]) for r in rows] == [_ns(w) for w, *_ in FILLS[2:]]  # Monday 17:00 included
    monday = list(csv.DictReader(io.StringIO(run_cli("export", "--db", str(db), "--what", "fills", "--day",
                                                     "2026-03-09").stdout)))
    assert [int(r["TransactTime"]) for r in monday] == [_ns(w) for w, *_ in FILLS[:2]]  # up to 16:00 only


def test_pnl_of_one_trading_day(run_cli, db):
    for method, realized, lots in (("lifo", 187.5, [{"qty": 1, "price": "109'120"}]),
                                   ("fifo", 218.75, [{"qty": 1, "price": "109'130"}])):
        out = run_cli("pnl", "--db", str(db), "--contract", "ZN Jun26", "--method", method, "--day", "2026-03-10",
                      "--mark", "109'030", "--json")
        assert out.returncode == 0, out.stderr
        payload = json.loads(out.stdout)
        assert (payload["trading_day"], payload["realized"], payload["position"], payload["fills"]) == \
            ("2026-03-10", realized, 1, 3)
        assert payload["open_lots"] == lots


def test_another_rule_after_a_rebuild(run_cli, db):
    """The old tool's 15:00 in London (GMT until 29 March; Chicago is 5 hours behind that week): Monday
    09:00 Chicago is 14:00 GMT (Monday's); 15:59 and 17:00 are 20:59 and 22:00 GMT (Tuesday's: +8 +4 ticks,
    $187.50, left long 1 @7000); Tuesday 10:00 and 11:00 are 15:00 and 16:00 GMT (Wednesday's: LIFO closes
    2 @7002, +8 = $125; FIFO 1 @7000 and 1 @7002, +10 = $156.25)."""
    assert run_cli("config", "set", "trading_day.close", "15:00 Europe/London").returncode == 0
    payload = json.loads(run_cli("history", "--db", str(db), "--rebuild", "--json").stdout)
    assert payload["trading_day_close"] == "15:00 Europe/London"
    assert [(d["day"], d["fills"], d["realized_lifo"], d["realized_fifo"]) for d in payload["days"]] == [
        ("2026-03-09", 1, 0, 0), ("2026-03-10", 2, 187.5, 187.5), ("2026-03-11", 2, 125, 156.25)]


@pytest.mark.parametrize("argv, words", [
    (("history", "--day", "10/03/2026"), "expected a date as YYYY-MM-DD"),
    (("export", "--what", "pnl", "--day", "2026-03-10"), "--day: the books (--what pnl) are the position now"),
    (("pnl", "--contract", "ZN Jun26", "--day", "2026-03-10"), "--day reads the store's trading days"),
])
def test_bad_day_input_is_one_line_and_exit_2(run_cli, db, argv, words):
    out = run_cli(*argv, "--db", str(db)) if argv[0] != "pnl" else run_cli(*argv)
    assert out.returncode == 2 and words in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_history_refuses_a_store_whose_fills_were_changed_outside_the_app(run_cli, db):
    """`history` writes closed days, so it opens the store as every writer does: a fill edited behind the
    app's back is named (exit 2, one line) and no day is closed from it."""
    raw = raw_conn(db)  # autocommit, as another program would write
    raw.execute("UPDATE fills SET qty = qty + 1 WHERE id = (SELECT min(id) FROM fills)")
    raw.close()
    out = run_cli("history", "--db", str(db), "--json")
    assert out.returncode == 2 and out.stdout == ""
    assert "changed since" in out.stderr and len(out.stderr.strip().splitlines()) == 1
