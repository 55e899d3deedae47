"""A read-only open never reads a store half-written (issue 13 §7): `immutable=1` ignores locks and a
hot journal, so it is only used for a store in a folder nobody can write."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from zn_ladder.domain.errors import StoreError
from zn_ladder.store import db
from zn_ladder.store.store import Store

from .conftest import make_fill


def test_a_store_locked_by_a_writer_is_busy_for_readers_not_read_half_written(db_path: Path) -> None:
    with Store.open(db_path) as store:
        store.ingest([make_fill("e1")])
    writer = sqlite3.connect(db_path, isolation_level=None)
    try:
        # A store on a share that keeps rollback mode; the writer's batch spills pages into the file.
        assert writer.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete"
        writer.execute("PRAGMA cache_size = 1")
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("CREATE TABLE spill (x BLOB)")
        writer.executemany("INSERT INTO spill VALUES (?)", [(b"x" * 4000,) for _ in range(500)])
        assert Path(f"{db_path}-journal").exists()
        with pytest.raises(StoreError, match="busy"):
            db.connect(db_path, readonly=True, busy_timeout_s=0.2)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    conn = db.connect(db_path, readonly=True)
    try:
        assert conn.execute("SELECT count(*) FROM fills").fetchone()[0] == 1
    finally:
        conn.close()


def test_a_folder_that_keeps_rollback_mode_is_refused_not_used_silently(db_path: Path, monkeypatch) -> None:
    """`PRAGMA journal_mode = WAL` answers the mode SQLite kept; on a share without WAL support it stays
    "delete", and the store must say so instead of running without WAL's guarantees."""

    class NoWal(db.SqliteConnection):
        def execute(self, sql, *args):  # type: ignore[override]
            if sql.strip().upper() == "PRAGMA JOURNAL_MODE = WAL":
                return super().execute("PRAGMA journal_mode")  # what such a folder answers: unchanged
            return super().execute(sql, *args)

    real_connect = sqlite3.connect
    monkeypatch.setattr(db.sqlite3, "connect", lambda *a, **kw: real_connect(*a, **{**kw, "factory": NoWal}))
    with pytest.raises(StoreError, match="write-ahead logging"):
        db.connect(db_path)
