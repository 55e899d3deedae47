"""Opening the file: creation, migrations, refusals that leave the file untouched, busy, full disk."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from zn_ladder.domain.errors import StoreError
from zn_ladder.store import db
from zn_ladder.store.schema import APPLICATION_ID, SCHEMA_VERSION
from zn_ladder.store.store import Store

from .conftest import file_digest, make_fill, raw_conn, schema_version, set_schema_version, store_digest


def test_new_store_is_created_in_wal_with_the_current_schema(db_path: Path) -> None:
    with Store.open(db_path) as store:
        assert store.ingest([make_fill("e1")]).added == 1
    raw = sqlite3.connect(db_path)
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert raw.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert raw.execute("SELECT key FROM fills").fetchall() == [("e1",)]
    raw.close()


def test_reopen_keeps_data_and_connection_is_durable(store_url: str) -> None:
    """A commit is durable when it returns: SQLite's `synchronous = FULL` (2); on PostgreSQL the session's
    `synchronous_commit = on`, whatever the server's default (the test cluster's is off)."""
    durable = {"sqlite": ("PRAGMA synchronous", 2), "postgresql": ("SHOW synchronous_commit", "on")}
    with Store.open(store_url) as store:
        store.ingest([make_fill("e1"), make_fill("e2", t=1)])
        query, expected = durable[store.conn.dialect]
        assert store.conn.execute(query).fetchone()[0] == expected
    with Store.open(store_url) as store:
        assert [f.key for f in store.fills()] == ["e1", "e2"]


def _sealed(db_path: Path) -> str:
    """Write a store, checkpoint it into the main file, and return the file's hash."""
    with Store.open(db_path) as store:
        store.ingest([make_fill("e1"), make_fill("e2", t=1)])
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return file_digest(db_path)


def test_newer_schema_is_refused_and_left_unchanged(store_url: str) -> None:
    with Store.open(store_url) as store:
        store.ingest([make_fill("e1"), make_fill("e2", t=1)])
    set_schema_version(store_url, SCHEMA_VERSION + 1)
    before = store_digest(store_url)
    with pytest.raises(StoreError, match="newer zn_ladder") as caught:
        Store.open(store_url)
    assert f"schema version {SCHEMA_VERSION + 1}" in str(caught.value)
    with pytest.raises(StoreError, match="newer zn_ladder"):
        Store.open(store_url, readonly=True)
    assert store_digest(store_url) == before


def test_garbage_file_is_refused_and_untouched(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"Date,Time,Side\n" * 50)
    before = file_digest(db_path)
    with pytest.raises(StoreError, match="damaged or is not a zn_ladder database"):
        Store.open(db_path)
    assert file_digest(db_path) == before
    assert not Path(f"{db_path}-wal").exists()


def test_truncated_file_is_refused_and_untouched(db_path: Path) -> None:
    with Store.open(db_path) as store:
        store.ingest([make_fill(f"e{i}", order_id=f"order-{i}", t=i) for i in range(3000)])
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = db_path.stat().st_size
    with db_path.open("r+b") as f:
        f.truncate(size // 2)
    before = file_digest(db_path)
    with pytest.raises(StoreError, match="damaged"):
        Store.open(db_path)
    assert file_digest(db_path) == before


def test_corrupt_pages_are_refused_and_untouched(db_path: Path) -> None:
    with Store.open(db_path) as store:
        store.ingest([make_fill(f"e{i}", t=i) for i in range(3000)])
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(db_path.read_bytes())
    page = 4096
    for offset in range(3 * page, len(data) - page, 5 * page):  # scribble over interior pages
        data[offset + 8:offset + 200] = os.urandom(192)
    db_path.write_bytes(bytes(data))
    before = file_digest(db_path)
    with pytest.raises(StoreError, match="damaged"):
        Store.open(db_path)
    assert file_digest(db_path) == before


def test_sqlite_file_of_another_app_is_refused(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    raw = sqlite3.connect(db_path)
    raw.execute("CREATE TABLE notes (x TEXT)")
    raw.execute("INSERT INTO notes VALUES ('keep me')")
    raw.commit()
    raw.close()
    before = file_digest(db_path)
    with pytest.raises(StoreError, match="not a zn_ladder store"):
        Store.open(db_path)
    assert file_digest(db_path) == before


def test_readonly_open_of_a_missing_store_says_what_to_do(db_path: Path) -> None:
    with pytest.raises(StoreError, match="no store at"):
        Store.open(db_path, readonly=True)
    assert not db_path.exists()


def test_folder_instead_of_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a folder"):
        Store.open(tmp_path)


def test_second_writer_waits_then_gets_a_clear_busy_error(store_url: str) -> None:
    with Store.open(store_url) as store:
        store.ingest([make_fill("e1")])
    other = raw_conn(store_url)
    other.begin_write()  # another process in the middle of a write
    try:
        with Store.open(store_url, verify=False, busy_timeout_s=0.2) as store:
            with pytest.raises(StoreError, match="busy: another zn-ladder process"):
                store.ingest([make_fill("e2", t=1)])
    finally:
        other.execute("ROLLBACK")
        other.close()
    with Store.open(store_url) as store:
        assert [f.key for f in store.fills()] == ["e1"]
        assert store.ingest([make_fill("e2", t=1)]).added == 1


def test_full_disk_gives_a_clear_error_and_keeps_existing_data(db_path: Path) -> None:
    with Store.open(db_path) as store:
        store.ingest([make_fill(f"e{i}", t=i) for i in range(50)])
        before = [(f.key, f.qty, f.price) for f in store.fills()]
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count = {pages + 1}")  # the disk is (nearly) full
        big = [make_fill(f"x{i}" * 20, t=100 + i, order_id=f"order-{i}" * 10) for i in range(5000)]
        with pytest.raises(StoreError, match="full"):
            store.ingest(big)
        assert [(f.key, f.qty, f.price) for f in store.fills()] == before
        # the in-memory books were dropped with the failed batch: the next write is still exact
        assert store.ingest([make_fill("late", side=-1, t=10_000)]).added == 1
    with Store.open(db_path) as store:
        assert len(store.fills()) == 51
        assert store.audit_entries("matching_repaired") == []


def _is_root() -> bool:
    return getattr(os, "geteuid", lambda: -1)() == 0


def _make_read_only(*paths: Path) -> None:
    """Read-only for real: root ignores permission bits, so as root use the immutable attribute."""
    for p in paths:
        if _is_root():
            subprocess.run(["chattr", "+i", str(p)], check=True)
        else:
            os.chmod(p, 0o555 if p.is_dir() else 0o444)


def _make_writable(*paths: Path) -> None:
    for p in paths:
        if _is_root():
            subprocess.run(["chattr", "-i", str(p)], check=True)
        os.chmod(p, 0o755 if p.is_dir() else 0o644)


def test_read_only_folder_gives_a_clear_error_and_keeps_data(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    path = folder / "zn_ladder.sqlite3"
    with Store.open(path) as store:
        store.ingest([make_fill("e1")])
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for leftover in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)
    before = file_digest(path)
    _make_read_only(path, folder)
    try:
        with pytest.raises(StoreError, match="read-only|cannot be opened") as info:
            with Store.open(path) as store:
                store.ingest([make_fill("e2", t=1)])
        assert str(path) in str(info.value)
        with pytest.raises(StoreError, match="cannot create the folder"):
            Store.open(folder / "sub" / "new.sqlite3")
        with Store.open(path, readonly=True) as store:  # still readable, e.g. by `pnl --db`
            assert [f.key for f in store.fills()] == ["e1"]
    finally:
        _make_writable(folder, path)
    assert file_digest(path) == before
    with Store.open(path) as store:
        assert [f.key for f in store.fills()] == ["e1"]


def test_statements_split_keeps_every_migration_statement() -> None:
    from zn_ladder.store.schema import MIGRATIONS

    statements = db.split_statements(MIGRATIONS[0])
    assert sum(s.upper().startswith("CREATE TABLE") for s in statements) == 8
    assert all(sqlite3.complete_statement(s) for s in statements)


def test_old_schema_is_migrated_in_place(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    raw = sqlite3.connect(db_path)
    raw.execute("PRAGMA user_version = 0")  # an empty file, as a first version would leave it
    raw.close()
    with Store.open(db_path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_later_migration_upgrades_step_by_step_and_keeps_the_data(store_url: str, monkeypatch) -> None:
    """The same migration text (SQLite DDL) upgrades both backends."""
    with Store.open(store_url) as store:
        store.ingest([make_fill("e1")])
    v2 = "ALTER TABLE fills ADD COLUMN note TEXT NOT NULL DEFAULT '';\nCREATE INDEX fills_note ON fills (note);"
    monkeypatch.setattr(db, "MIGRATIONS", (*db.MIGRATIONS, v2))
    monkeypatch.setattr(db, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with Store.open(store_url) as store:
        assert schema_version(store.conn) == SCHEMA_VERSION + 1
        assert store.conn.execute("SELECT key, note FROM fills").fetchall() == [("e1", "")]
        assert store.ingest([make_fill("e2", t=1)]).added == 1
    monkeypatch.undo()
    with pytest.raises(StoreError, match="newer zn_ladder"):  # and the older app now refuses it
        Store.open(store_url)


@pytest.mark.parametrize("location, why", [
    ("mysql://me@host/desk", "is a mysql URL, which zn_ladder cannot use"),
    ("postgres:/desk", "is not a PostgreSQL URL"),
    ("postgresql:desk", "is not a PostgreSQL URL"),
    ("postgresql://me:secret@host/desk", "holds a password"),
    ("postgresql://me@host:99999/desk", "has a bad port"),
    ("postgresql://me@host", "names no database"),
])
def test_a_store_location_the_app_cannot_use_is_refused(tmp_path, monkeypatch, location, why) -> None:
    """`--db postgresql://...` was once taken for a folder named `postgresql:` (issue 16). A URL of another
    scheme, or a malformed PostgreSQL one, is refused in one line and nothing is created; a password is
    never echoed; `sqlite:PATH` and a Windows drive letter are paths."""
    from zn_ladder.store.db import store_path

    monkeypatch.chdir(tmp_path)
    with pytest.raises(StoreError, match=why) as caught:
        Store.open(location)
    assert "\n" not in str(caught.value) and "secret" not in str(caught.value)
    assert list(tmp_path.iterdir()) == []
    assert store_path("sqlite:desk.sqlite3") == Path("desk.sqlite3")
    assert store_path("sqlite:///tmp/x.sqlite3") == Path("/tmp/x.sqlite3")
    assert store_path(r"C:\Users\me\zn.sqlite3") == Path(r"C:\Users\me\zn.sqlite3")


@pytest.mark.parametrize("column, value", [("qty", 3), ("price", 7001), ("side", 1), ("time_ns", 5),
                                           ("account", "A2"), ("market", "CME_DELAYED")])
def test_a_fill_changed_outside_the_app_is_named_on_open_and_the_file_left_alone(store_url, column, value) -> None:
    """SQLite keeps no checksums: a flipped bit in a stored fill changed a position silently (issue 13 §17).
    Each fill's checksum of what was received names it on open; nothing is written. On a desk database the
    same check catches a hand edit by anyone with write access."""
    with Store.open(store_url) as store:
        store.ingest([make_fill("k1", 1, 2, 7000, 1), make_fill("k2", -1, 1, 7004, 2)])
    conn = raw_conn(store_url)
    conn.execute(f"UPDATE fills SET {column}=? WHERE key='k2'", (value,))
    conn.close()
    before = store_digest(store_url)
    with pytest.raises(StoreError, match=r"1 fill\(s\) or SOD lot\(s\) changed since they were received: fill k2 "):
        Store.open(store_url)
    assert store_digest(store_url) == before


def test_a_retimed_fill_keeps_a_true_checksum(store_url) -> None:
    """An export's fill (row-order time) later seen from the API gets the real time: not a 'change'."""
    export = make_fill("o1#1", 1, 1, 7000, 0, order_id="o1", cum_qty=1, exec_id="", source="audit_trail")
    api = make_fill("E1", 1, 1, 7000, 50, order_id="o1", cum_qty=1)
    with Store.open(store_url) as store:
        store.ingest([export], source="audit_trail")
        assert store.ingest([api], source="tt_api").duplicate == 1
        assert store.fills()[0].time_ns == api.time_ns
    with Store.open(store_url) as store:
        assert store.fill_count() == 1


def test_an_sod_lot_changed_outside_the_app_is_named_on_open(store_url) -> None:
    from zn_ladder.domain.records import SodLot

    with Store.open(store_url) as store:
        store.put_sod([SodLot("A1", "ZN Sep25", 5, 7000, "2025-08-11")], source="actant_sod")
    conn = raw_conn(store_url)
    conn.execute("UPDATE sod_lots SET qty=4")
    conn.close()
    with pytest.raises(StoreError, match=r"SOD lot A1 CME ZN Sep25 2025-08-11 \(\+4 @ 7000 ticks\)"):
        Store.open(store_url)
