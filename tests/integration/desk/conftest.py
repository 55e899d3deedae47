"""A desk database for the desk tests: a fresh PostgreSQL database per test with the store's schema."""

from __future__ import annotations

import pytest


@pytest.fixture
def desk_url(pg_url: str) -> str:
    from zn_ladder.store.schema import MIGRATIONS

    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(MIGRATIONS[2].replace("INTEGER", "BIGINT"))
    return pg_url
