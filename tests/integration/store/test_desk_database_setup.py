"""The README's desk-database setup, run as written: support staff's SQL creates the logins and grants, the
capture login creates the tables (`store copy` from a PC's file), a trader's login then uses the store, and
a trader cannot create the tables in an empty database (one line saying what to ask for)."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import psycopg
import pytest

from zn_ladder.domain.errors import StoreError
from zn_ladder.store.copy import copy_store
from zn_ladder.store.store import Store
from tests.unit.store.conftest import make_fill

README = Path(__file__).resolve().parents[3] / "README.md"


def _setup_sql() -> str:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Desk database (PostgreSQL)"):]
    sql = re.search(r"```sql\n(.*?)```", section, re.S).group(1)
    return re.sub(r"--[^\n]*", "", sql)  # comments, as psql drops them


@pytest.fixture
def desk(pg_cluster):
    """The README's SQL on the run's cluster, with this test's own names (roles are cluster-wide)."""
    tag = uuid.uuid4().hex[:6]
    names = {"zn_capture": f"zn_capture_{tag}", "zn_traders": f"zn_traders_{tag}", "zn_alice": f"zn_alice_{tag}",
             "zn_desk": f"zn_desk_{tag}"}
    sql = _setup_sql()
    for old, new in names.items():
        sql = re.sub(rf"\b{old}\b", new, sql)
    before, after = sql.split("\\connect " + names["zn_desk"])
    with psycopg.connect(pg_cluster.url(), autocommit=True) as admin:
        for statement in (s for s in before.split(";") if s.strip()):
            admin.execute(statement)
    with psycopg.connect(pg_cluster.url(names["zn_desk"]), autocommit=True) as admin:
        for statement in (s for s in after.split(";") if s.strip()):
            admin.execute(statement)
    return {role: pg_cluster.url(names["zn_desk"], user=names[role]) for role in ("zn_capture", "zn_alice")}


def test_the_readme_setup_lets_the_capture_create_and_a_trader_use_the_store(desk, tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="refused this login the permission it needs") as caught:
        Store.open(desk["zn_alice"])  # a trader cannot create the tables: the capture does
    assert "\n" not in str(caught.value)
    pc = tmp_path / "pc.sqlite3"
    with Store.open(pc) as store:
        store.ingest([make_fill("E1", 1, 2, 7000, 1), make_fill("E2", -1, 1, 7004, 2)])
    assert copy_store(pc, desk["zn_capture"]).fills_added == 2
    with Store.open(desk["zn_alice"]) as store:  # opens (verifying the books), reads and writes
        assert [f.key for f in store.fills()] == ["E1", "E2"]
        assert store.ingest([make_fill(f"T{i}", t=10 + i) for i in range(30)]).added == 30
        store.audit("settings_changed", {"key": "ladder.font_size"})
    with Store.open(desk["zn_capture"]) as store:
        assert store.fill_count() == 32 and store.audit_entries("matching_repaired") == []
