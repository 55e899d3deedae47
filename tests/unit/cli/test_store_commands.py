"""`zn-ladder import`, `pnl --db` and `export`, run as real processes against real stores: SQLite files and
PostgreSQL desk databases (`store_url`)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.actant import live_sample
from tests.unit.store.conftest import store_digest

IMPORT_KEYS = {"path", "kind", "added", "duplicate", "skipped", "warnings"}


def _json(result) -> dict:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_import_every_fixture_then_again_adds_nothing(run_cli, fixtures_dir: Path, tmp_path: Path, store_url) -> None:
    db = store_url
    files = [str(fixtures_dir / n) for n in ("fill_monitor_sample.csv", "tt_audit_trail_sample.csv",
                                             "tt_fills_widget_copy_sample.csv")]
    files.append(str(live_sample(tmp_path / "actant_sod.csv")))  # the sample's rows, for a live contract
    first = _json(run_cli("import", *files, "--db", str(db), "--json"))
    rows = first["files"]
    assert [set(r) for r in rows] == [IMPORT_KEYS] * 4
    assert [r["kind"] for r in rows] == ["fill_monitor", "audit_trail", "fills_widget", "actant_sod"]
    monitor, audit_trail, widget, sod = rows
    # 300 rows, 3 ES Jun25 rows skipped with a warning naming the contract
    assert (monitor["added"], monitor["duplicate"], monitor["skipped"]) == (297, 0, 3)
    assert all("ES Jun25" in w for w in monitor["warnings"])
    # the Audit Trail and the Fills widget hold the same executions as the fill monitor (same order
    # ids and cumulative quantities): recognised, not added twice
    assert (audit_trail["added"], audit_trail["duplicate"]) == (0, 56)
    assert (widget["added"], widget["duplicate"]) == (0, 60)
    assert (sod["added"], sod["skipped"]) == (1, 1)
    assert all(isinstance(r["warnings"], list) for r in rows)

    again = _json(run_cli("import", *files, "--db", str(db), "--json"))["files"]
    assert [r["added"] for r in again] == [0, 0, 0, 0]
    assert [r["duplicate"] for r in again] == [297, 56, 60, 1]
    text = run_cli("import", files[0], "--db", str(db))
    assert text.returncode == 0
    assert "nothing new, all 297 were already in the store" in text.stdout
    # The desk's own sample is for ZN Jun22, expired before its trading day: read, nothing stored.
    expired = _json(run_cli("import", str(fixtures_dir / "actant_sod_sample.csv"), "--db", str(db), "--json"))
    assert [(r["added"], r["skipped"]) for r in expired["files"]] == [(0, 2)]
    assert all("ZN Jun22" in w and "expired" in w for w in expired["files"][0]["warnings"])


def test_import_of_a_bad_file_exits_2_and_leaves_the_store_unchanged(run_cli, fixtures_dir: Path,
                                                                     tmp_path: Path, store_url) -> None:
    db = store_url
    _json(run_cli("import", str(fixtures_dir / "fill_monitor_sample.csv"), "--db", str(db), "--json"))
    bad = tmp_path / "notes.txt"
    bad.write_text("hello\nthis is not a fill file\n")
    digest = store_digest(db)
    result = run_cli("import", str(fixtures_dir / "tt_audit_trail_sample.csv"), str(bad), "--db", str(db))
    assert result.returncode == 2
    assert "notes.txt" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert store_digest(db) == digest


def test_corrupt_store_exits_2_with_a_clear_message(run_cli, fixtures_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite3"
    db.write_bytes(b"\x00garbage" * 500)
    result = run_cli("import", str(fixtures_dir / "fill_monitor_sample.csv"), "--db", str(db))
    assert result.returncode == 2
    assert "damaged or is not a zn_ladder database" in result.stderr
    assert db.read_bytes() == b"\x00garbage" * 500


def test_pnl_from_the_store_equals_pnl_from_the_file(run_cli, fixtures_dir: Path, store_url) -> None:
    db = store_url
    fills = str(fixtures_dir / "fill_monitor_sample.csv")
    _json(run_cli("import", fills, "--db", str(db), "--json"))
    for method in ("lifo", "fifo"):
        args = ("--contract", "ZN Sep25", "--market", "CME_Delayed", "--product", "ZN", "--method", method,
                "--mark", "111'08", "--json")
        from_file = _json(run_cli("pnl", fills, *args))
        from_db = _json(run_cli("pnl", "--db", str(db), *args))
        assert set(from_db) == set(from_file)
        for key in ("method", "contract", "position", "realized", "unrealized", "mark", "average_open_price",
                    "open_lots", "fills"):
            assert from_db[key] == from_file[key], key
        assert from_db["position"] == 55 and isinstance(from_db["realized"], (int, float))


def test_pnl_db_refuses_files_and_a_missing_store(run_cli, fixtures_dir: Path, tmp_path: Path) -> None:
    missing = run_cli("pnl", "--db", str(tmp_path / "none.sqlite3"), "--contract", "ZN Sep25")
    assert missing.returncode == 2 and "no store at" in missing.stderr
    db = tmp_path / "s.sqlite3"
    _json(run_cli("import", str(fixtures_dir / "fill_monitor_sample.csv"), "--db", str(db), "--json"))
    both = run_cli("pnl", str(fixtures_dir / "fill_monitor_sample.csv"), "--db", str(db), "--contract", "ZN Sep25")
    assert both.returncode == 2 and "not both" in both.stderr


def test_export_fills_keeps_the_fill_monitor_layout(run_cli, cli_env, fixtures_dir: Path, tmp_path: Path,
                                                    store_url) -> None:
    db = store_url
    sample = fixtures_dir / "fill_monitor_sample.csv"
    _json(run_cli("import", str(sample), "--db", str(db), "--json"))
    out = tmp_path / "fills.csv"
    cli_env["TZ"] = "America/New_York"  # the old monitor wrote the desk's local time
    result = run_cli("export", "--db", str(db), "--what", "fills", "--out", str(out))
    assert result.returncode == 0, result.stderr
    with sample.open(newline="") as f:
        original = list(csv.DictReader(f))
    with out.open(newline="") as f:
        reader = csv.DictReader(f)
        exported = list(reader)
    assert reader.fieldnames == list(original[0].keys())
    assert len(exported) == 297
    by_stamp = {(r["TimeStamp"], r["OrderId"]): r for r in original}
    for row in exported:
        src = by_stamp[(row["TimeStamp"], row["OrderId"])]
        for column in ("Date", "Time", "Side", "SideName", "Quantity", "Price", "OrderId", "AccountId",
                       "TransactTime", "ExecId", "Contract", "CurrentUser"):
            assert row[column] == src[column], (column, row, src)
    # and what was exported imports back as the same executions
    again = _json(run_cli("import", str(out), "--db", str(db), "--json"))["files"][0]
    assert (again["added"], again["duplicate"]) == (0, 297)


def test_export_pnl_csv_to_stdout(run_cli, fixtures_dir: Path, store_url) -> None:
    db = store_url
    _json(run_cli("import", str(fixtures_dir / "fill_monitor_sample.csv"), "--db", str(db), "--json"))
    result = run_cli("export", "--db", str(db), "--what", "pnl", "--contract", "ZN Sep25")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(result.stdout.splitlines()))
    # One contract on two markets: two instruments, two books each (83 CME rows net +3, 39 CME_Delayed +55).
    assert [(r["market"], r["method"], r["position"]) for r in rows] == [
        ("CME", "fifo", "3"), ("CME", "lifo", "3"), ("CME_DELAYED", "fifo", "55"), ("CME_DELAYED", "lifo", "55")]
    lifo = _json(run_cli("pnl", "--db", str(db), "--contract", "ZN Sep25", "--market", "CME", "--method", "lifo",
                         "--json"))
    assert float(rows[1]["realized"]) == pytest.approx(lifo["realized"], abs=0.01)


def test_import_without_db_uses_the_users_store(run_cli, cli_env, fixtures_dir: Path) -> None:
    result = run_cli("import", str(fixtures_dir / "tt_fills_widget_copy_sample.csv"), "--json")
    assert _json(result)["files"][0]["added"] == 60
    assert (Path(cli_env["ZN_LADDER_HOME"]) / "data" / "zn_ladder.sqlite3").exists()


@pytest.mark.parametrize("command", [("import", "FILE"), ("pnl", "--contract", "ZN Sep25"), ("export", "--what", "fills"),
                                     ("doctor",), ("monitor", "--once")])
@pytest.mark.parametrize("location, why", [("mysql://desk@db/zn", "is a mysql URL, which zn_ladder cannot use"),
                                           ("postgres:/zn", "is not a PostgreSQL URL")])
def test_a_store_url_the_app_cannot_use_is_refused_in_one_line_and_nothing_is_created(
        run_cli, cli_env, fixtures_dir: Path, tmp_path: Path, command, location, why) -> None:
    """Issue 16's first symptom: `--db postgresql://...` was taken for a folder `postgresql:` and `import`
    reported success. Every command taking --db refuses an unknown or malformed URL: exit 2, one line."""
    work = tmp_path / "cwd"
    work.mkdir()
    args = [str(fixtures_dir / "fill_monitor_sample.csv") if a == "FILE" else a for a in command]
    result = run_cli(args[0], *args[1:], "--db", location, cwd=work)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert why in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert list(work.iterdir()) == []


def test_a_desk_database_that_is_missing_or_down_is_one_line_naming_it(run_cli, fixtures_dir: Path,
                                                                        pg_cluster) -> None:
    with __import__("socket").socket() as sock:  # a loopback port nobody listens on
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    missing = pg_cluster.url("no_such_desk")
    down = f"postgresql://desk@127.0.0.1:{closed}/zn_desk"
    for url, why in ((missing, "does not exist on that server"), (down, "cannot be reached")):
        result = run_cli("import", str(fixtures_dir / "fill_monitor_sample.csv"), "--db", url)
        assert result.returncode == 2
        assert len(result.stderr.strip().splitlines()) == 1
        assert result.stderr.startswith(f"zn-ladder: the desk database {url} {why}")
