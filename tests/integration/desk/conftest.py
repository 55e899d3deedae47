"""A desk database for the desk tests: a fresh PostgreSQL database per test, migrated by the store."""

from __future__ import annotations

import pytest


@pytest.fixture
def desk_url(pg_url: str) -> str:
    from zn_ladder.store.store import Store

    Store.open(pg_url).close()  # creates the schema, the desk's tables included
    return pg_url
