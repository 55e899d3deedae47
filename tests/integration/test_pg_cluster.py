"""The throwaway PostgreSQL cluster the desk-store tests run on: it starts, gives each test its own
database, and those databases are isolated from each other."""

from __future__ import annotations

import psycopg


def test_each_test_gets_its_own_empty_database(pg_cluster, pg_url):
    other = pg_cluster.create_database()
    assert other != pg_url
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE t (x bigint)")
        conn.execute("INSERT INTO t VALUES (9007199254740993)")  # > 2**53: exact 64-bit integers
        assert conn.execute("SELECT x FROM t").fetchone() == (9007199254740993,)
    with psycopg.connect(other, autocommit=True) as conn:
        tables = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()
        assert tables == (0,)


def test_the_server_listens_on_loopback_only(pg_cluster):
    with psycopg.connect(pg_cluster.url(), autocommit=True) as conn:
        assert conn.execute("SHOW listen_addresses").fetchone() == ("127.0.0.1",)
