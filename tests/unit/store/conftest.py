"""Shared helpers for the store tests: real SQLite files in tmp_path, fills built the way sources do."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from zn_ladder.domain.records import Fill, Side

T0 = 1_751_500_000_000_000_000  # 2025-07-03 around 00:00 UTC, in ns


def make_fill(key: str, side: int = 1, qty: int = 1, price: int = 7000, t: int = 0, *, account: str = "A1",
              contract: str = "ZN Sep25", order_id: str = "", cum_qty: int = 0, exec_id: str | None = None,
              source: str = "tt_api") -> Fill:
    return Fill(key, account, contract, Side(side), qty, price, T0 + t, order_id,
                key if exec_id is None else exec_id, source, "trader", cum_qty)


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "store" / "zn_ladder.sqlite3"


# --- either backend (`store_url`: a SQLite path or a postgresql:// database) -----------------------


def raw_conn(location: str):
    """A plain connection to the store, as another program would have (`?` placeholders on both backends):
    what a test uses to change rows behind the app's back."""
    from zn_ladder.store import db

    return db.connect(location, busy_timeout_s=2)


def schema_version(conn) -> int:
    """The schema version the store records: SQLite's `user_version`, PostgreSQL's meta row."""
    if conn.dialect == "sqlite":
        return conn.execute("PRAGMA user_version").fetchone()[0]
    return conn.execute("SELECT schema_version FROM zn_ladder_store").fetchone()[0]


def set_schema_version(location: str, version: int) -> None:
    conn = raw_conn(location)
    try:
        if conn.dialect == "sqlite":
            conn.execute(f"PRAGMA user_version = {version}")
        else:
            conn.execute("UPDATE zn_ladder_store SET schema_version = ?", (version,))
    finally:
        conn.close()


def store_digest(location: str) -> str:
    """What the store holds, hashed: the SQLite file's bytes (and its WAL), or every row of every table of
    the PostgreSQL database (meta row included): equal before and after means nothing was written."""
    if not location.startswith("postgresql://"):
        path = Path(location)
        wal = Path(f"{location}-wal")
        return file_digest(path) + (file_digest(wal) if wal.exists() and wal.stat().st_size else "")
    import psycopg

    digest = hashlib.sha256()
    with psycopg.connect(location, autocommit=True) as conn:
        tables = [r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                                             "ORDER BY tablename")]
        for table in tables:
            digest.update(table.encode())
            for (row,) in conn.execute(f'SELECT t::text FROM "{table}" t ORDER BY 1'):
                digest.update(row.encode())
    return digest.hexdigest()
