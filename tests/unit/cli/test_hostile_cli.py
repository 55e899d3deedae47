"""Commands against hostile files and targets (issue 13 §9, §11, §12, §14): exit 2 with one line, the
store unchanged (its bytes hashed), no traceback, no formula in an export."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
FM = (FIXTURES / "fill_monitor_sample.csv").read_text(encoding="utf-8")


def _one_line_refusal(done: subprocess.CompletedProcess) -> None:
    assert done.returncode == 2, (done.returncode, done.stdout[-300:], done.stderr[-300:])
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _fm_with(header_cells: dict[str, str]) -> str:
    lines = FM.splitlines()
    header = lines[0].split(",")
    out = [lines[0]]
    for line in lines[1:4]:
        fields = line.split(",")
        for name, value in header_cells.items():
            fields[header.index(name)] = value
        out.append(",".join(fields))
    return "\n".join(out) + "\n"


def test_export_neutralises_formulas_and_keeps_numbers(run_cli, tmp_path: Path) -> None:
    db, src, out = tmp_path / "s.sqlite3", tmp_path / "evil.csv", tmp_path / "out.csv"
    src.write_text(_fm_with({"AccountId": "=HYPERLINK(\"http://x\")", "CurrentUser": "@SUM(A1)",
                             "OrderId": "-2+3"}))
    assert run_cli("import", str(src), "--db", str(db)).returncode == 0
    done = run_cli("export", "--db", str(db), "--what", "fills", "--out", str(out))
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert rows and all(r["AccountId"] == "'=HYPERLINK(\"http://x\")" for r in rows)
    assert all(r["CurrentUser"] == "'@SUM(A1)" and r["OrderId"] == "'-2+3" for r in rows)
    assert all(float(r["Price"]) > 100 and r["Quantity"].endswith(".0") for r in rows)  # numbers stay numbers
    pnl = run_cli("export", "--db", str(db), "--what", "pnl")
    assert pnl.returncode == 0 and "'=HYPERLINK" in pnl.stdout


def test_export_and_config_export_refuse_symlinks_devices_and_missing_folders(run_cli, tmp_path: Path) -> None:
    db, src = tmp_path / "s.sqlite3", tmp_path / "fm.csv"
    src.write_text(FM)
    assert run_cli("import", str(src), "--db", str(db)).returncode == 0
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me")
    link = tmp_path / "link.csv"
    link.symlink_to(precious)
    for target in (link, Path(os.devnull), tmp_path / "no" / "such" / "folder" / "out.csv", tmp_path):
        _one_line_refusal(run_cli("export", "--db", str(db), "--what", "fills", "--out", str(target)))
        _one_line_refusal(run_cli("config", "export", str(target)))
    assert precious.read_text() == "keep me" and link.is_symlink()
    assert not (tmp_path / "no").exists()


def test_a_refused_import_neither_creates_nor_changes_the_store(run_cli, tmp_path: Path) -> None:
    db, bad = tmp_path / "s.sqlite3", tmp_path / "bad.csv"
    bad.write_text("not,a,fill,file\n1,2,3,4\n")
    _one_line_refusal(run_cli("import", str(bad), "--db", str(db)))
    assert not db.exists()
    good = tmp_path / "fm.csv"
    good.write_text(FM)
    assert run_cli("import", str(good), "--db", str(db)).returncode == 0
    before = _digest(db)
    _one_line_refusal(run_cli("import", str(good), str(bad), "--db", str(db)))
    assert _digest(db) == before


@pytest.mark.parametrize("name, data", [
    ("dev-zero", None),
    ("quoted-field-over-128k", ("Date,Time,Contract,B/S\n" + '"' + "x" * 200_000 + '",1,2,3\n').encode()),
    ("nul-late-in-file", FM.encode() + b"\x00" * 10 + b"\n"),
    ("unclosed-quote", (FM + '"2025-05-06,14:50:49.648,1,x,1,BUY\n').encode()),
])
def test_broken_files_are_one_line_refusals(run_cli, tmp_path: Path, name: str, data: bytes | None) -> None:
    path = Path("/dev/zero") if data is None else tmp_path / f"{name}.csv"
    if data is not None:
        path.write_bytes(data)
    db = tmp_path / "s.sqlite3"
    done = run_cli("import", str(path), "--db", str(db))
    if done.returncode == 0:  # read with warnings for the bad rows: fine, never a traceback
        assert "Traceback" not in done.stderr
    else:
        _one_line_refusal(done)
        assert not db.exists()


@pytest.mark.parametrize("encoding, ends", [("utf-16", "\n"), ("utf-16-le", "\r\n"), ("utf-8", "\r")])
def test_utf16_and_cr_only_files_read_like_the_original(run_cli, tmp_path: Path, encoding: str, ends: str) -> None:
    import json

    original, copy = tmp_path / "fm.csv", tmp_path / "copy.csv"
    original.write_text(FM)
    copy.write_bytes(FM.replace("\n", ends).encode(encoding))
    a = json.loads(run_cli("import", str(original), "--db", str(tmp_path / "a.sqlite3"), "--json").stdout)
    done = run_cli("import", str(copy), "--db", str(tmp_path / "b.sqlite3"), "--json")
    assert done.returncode == 0, done.stderr
    b = json.loads(done.stdout)
    assert [(r["added"], r["skipped"]) for r in a["files"]] == [(r["added"], r["skipped"]) for r in b["files"]]
    assert b["files"][0]["added"] == 297


def test_export_into_a_closed_pipe_is_not_blamed_on_the_store(cli_env, tmp_path: Path, run_cli) -> None:
    db, src = tmp_path / "s.sqlite3", tmp_path / "fm.csv"
    src.write_text(FM * 1)
    assert run_cli("import", str(src), "--db", str(db)).returncode == 0
    proc = subprocess.Popen([sys.executable, "-m", "zn_ladder", "export", "--db", str(db), "--what", "fills"],
                            env=cli_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()
    _, err = proc.communicate(timeout=60)
    assert b"store" not in err and b"Traceback" not in err
    assert proc.returncode != 2


@pytest.mark.parametrize("args", [
    ("config", "import", "/dev/zero"), ("config", "import", "x\x00y"), ("config", "export", "x\x00y"),
    ("config", "set", "ladder.font_size", "1" * 5000), ("price", "110'165", "--product=--"),
    ("pnl", "--contract", "ZN Sep25", "--db", "1" * 5000), ("ladder", "--orders", "a\nb", "--spot", "110'090"),
    ("export", "--what", "fills", "--db", "x\x00y"),
])
def test_hostile_arguments_found_by_the_flag_fuzz_suite_are_one_line_refusals(run_cli, args) -> None:
    """Each of these was a traceback, a crash report, two lines on stderr or (config import /dev/zero)
    a process that read until the machine ran out of memory."""
    if any("\x00" in a for a in args):  # a NUL cannot cross exec(): the suite passes it in process
        from tests.fuzz.conftest import run_cli as in_process

        code, _, err = in_process(*args)
        _one_line_refusal(subprocess.CompletedProcess(args, code, "", err))
        return
    _one_line_refusal(run_cli(*args, timeout=60))
