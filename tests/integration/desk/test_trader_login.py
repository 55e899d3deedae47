"""A trader's login on the desk database (`desk allow`: SELECT only, row-level security on) opens the store
read-only, as the window does (`Store.open(readonly=None)`), still checks it, reports a book that differs
from its recompute instead of repairing it, and the read commands work for it showing its accounts only."""

from __future__ import annotations

import csv
import io
import json

import psycopg
import pytest
from psycopg import sql

from zn_ladder.domain.errors import StoreError
from zn_ladder.domain.records import Fill, Side, SodLot
from zn_ladder.store.desk.security import POLICIES, PLAIN_READ, allow, secure
from zn_ladder.store.pg import META_TABLE
from zn_ladder.store.store import Store

ACCOUNTS = ("A1", "A2", "A3")
C = "ZN Mar27"
ENV = "ext_prod_sim"
BASE_NS = 1_796_000_000_000_000_000  # 2026-11-30
DAY = "2026-11-30"


def _fills() -> list[Fill]:
    """Per account: buy 5, sell 2, buy 1, each at its own price and order."""
    out = []
    for n, account in enumerate(ACCOUNTS):
        for i, (side, qty) in enumerate(((Side.BUY, 5), (Side.SELL, 2), (Side.BUY, 1))):
            out.append(Fill(f"{account}-x{i}", account, C, side, qty, 7040 + 4 * i + n, BASE_NS + n * 1000 + i,
                            f"{account}-o{i}", f"{account}-x{i}", "tt_api", "", qty))
    return out


def _role(url: str, name: str) -> str:
    return f"{name}_{url.rsplit('/', 1)[1]}"


@pytest.fixture
def desk(desk_url: str) -> str:
    with Store.open(desk_url) as store:
        store.put_sod([SodLot(a, C, 2, 7030, DAY) for a in ACCOUNTS], source="test")
        store.ingest(_fills(), source="tt_api", environment=ENV)
    with psycopg.connect(desk_url, autocommit=True) as conn:
        for login in ("alice", "bob"):
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(_role(desk_url, login))))
        secure(conn)
        allow(conn, _role(desk_url, "alice"), ["A1"])
        allow(conn, _role(desk_url, "bob"), ["A2", "A3"])
    return desk_url


def _as(pg_cluster, url: str, login: str) -> str:
    return pg_cluster.url(url.rsplit("/", 1)[1], user=_role(url, login))



def _owner_books(url: str, account: str) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT method, position, realized_units FROM books WHERE account = %s ORDER BY method",
                            (account,)).fetchall()


def test_the_owner_opens_for_writing_and_a_trader_read_only(desk, pg_cluster, tmp_path) -> None:
    with Store.open(desk, readonly=None) as store:
        assert not store.readonly
    with Store.open(_as(pg_cluster, desk, "alice"), readonly=None) as store:
        assert store.readonly and store.differences == []
        assert {f.account for f in store.fills()} == {"A1"}
        with pytest.raises(StoreError, match="read-only"):
            store.put_curve(())
    with Store.open(tmp_path / "pc.sqlite3", readonly=None) as store:  # one PC's file: as before
        assert not store.readonly


def test_a_login_granted_writes_is_still_read_only_under_row_level_security(desk, pg_cluster) -> None:
    """The README's `zn_traders` group grants writes (the desk before `desk secure`): once row-level
    security filters what a login sees, it must not write books or days from its part of the desk."""
    login = _role(desk, "carol")
    with psycopg.connect(desk, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(login)))
        conn.execute(sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}").format(
            sql.Identifier(login)))
        allow(conn, login, ["A2"])
    with Store.open(pg_cluster.url(desk.rsplit("/", 1)[1], user=login), readonly=None) as store:
        assert store.readonly
        assert {f.account for f in store.fills()} == {"A2"}


def test_a_read_only_open_reports_a_differing_book_and_leaves_it_to_the_capture(desk, pg_cluster) -> None:
    with psycopg.connect(desk, autocommit=True) as conn:  # a stored book no longer equal to its fills
        conn.execute("UPDATE books SET realized_units = realized_units + 7 WHERE account = 'A1' AND method = 'lifo'")
    tampered = _owner_books(desk, "A1")
    with Store.open(_as(pg_cluster, desk, "alice"), readonly=None) as store:
        assert [(d.account, d.method) for d in store.differences] == [("A1", "lifo")]
    assert _owner_books(desk, "A1") == tampered  # reported, not repaired
    with Store.open(_as(pg_cluster, desk, "bob"), readonly=None) as store:
        assert store.differences == []  # bob cannot see A1's book
    with Store.open(desk) as store:  # the capture's open repairs it
        assert [e.detail["account"] for e in store.audit_entries("matching_repaired")] == ["A1"]
    # the repaired book is the unit-by-unit book of A1: SOD 2 @ 7030, buy 5 @ 7040, sell 2 @ 7044 (LIFO
    # closes two of the 7040s: 2 x 4 ticks; FIFO the SOD's two: 2 x 14), buy 1 @ 7048: long 6
    assert _owner_books(desk, "A1") == [("fifo", 6, 28), ("lifo", 6, 8)]


def test_a_read_only_open_refuses_a_changed_fill_as_a_writer_does(desk, pg_cluster) -> None:
    with psycopg.connect(desk, autocommit=True) as conn:
        conn.execute("UPDATE fills SET qty = 4 WHERE key = 'A1-x0'")
    with pytest.raises(StoreError, match="changed since they were received") as caught:
        Store.open(_as(pg_cluster, desk, "alice"), readonly=None)
    assert "A1-x0" in str(caught.value)


def test_every_table_a_trader_may_read_is_filtered_or_plumbing(desk) -> None:
    """A table added later must be given a policy (or named plumbing) before a trader reads it."""
    with psycopg.connect(desk) as conn:
        tables = {r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")}
        readable = {r[0] for r in conn.execute(
            "SELECT table_name FROM information_schema.role_table_grants WHERE grantee = 'zn_ladder_trader' "
            "AND privilege_type = 'SELECT'")}
    assert META_TABLE in PLAIN_READ
    assert tables == set(POLICIES) | set(PLAIN_READ) | {"audit"}  # the audit log: support's only
    assert readable == set(POLICIES) | set(PLAIN_READ)


@pytest.mark.parametrize("login, mine", [("alice", ("A1",)), ("bob", ("A2", "A3"))])
def test_the_read_commands_work_for_a_trader_and_show_its_accounts(desk, pg_cluster, run_cli, tmp_path,
                                                                   login, mine) -> None:
    url = _as(pg_cluster, desk, login)
    # each account: SOD long 2, +5 -2 +1 = long 6; LIFO realizes 2 x 4 ticks of $15.625 = $125.00
    pnl = run_cli("pnl", "--db", url, "--contract", C, "--day", DAY, "--json")
    assert pnl.returncode == 0, pnl.stderr
    shown = json.loads(pnl.stdout)
    assert (shown["position"], shown["fills"]) == (6 * len(mine), 3 * len(mine))
    assert shown["realized"] == 125 * len(mine)
    export = run_cli("export", "--db", url, "--what", "fills")
    assert export.returncode == 0, export.stderr
    rows = list(csv.DictReader(io.StringIO(export.stdout)))
    assert {r["ExecId"] for r in rows} == {f.key for f in _fills() if f.account in mine}
    report = run_cli("report", "--db", url, "--day", DAY, "--out", str(tmp_path / "r.xlsx"))
    assert report.returncode == 0, report.stderr
    assert f"{3 * len(mine)} fills" in report.stdout and f"realized LIFO ${125 * len(mine)}.00" in report.stdout
    assert "permission" not in pnl.stderr + export.stderr + report.stderr
