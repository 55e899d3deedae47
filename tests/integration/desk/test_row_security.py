"""Per-user accounts on a desk database, enforced by PostgreSQL row-level security: a trader's login
sees only its accounts' fills, books, lots, SOD, corrections and orders, whatever SQL it runs, and
can neither write nor read the audit log. The owner (the capture) sees everything."""

from __future__ import annotations

import psycopg
import pytest
from psycopg import sql

from zn_ladder.domain.records import CorrectionKind, Fill, FillCorrection, Side, SodLot
from zn_ladder.store.desk import heartbeat
from zn_ladder.store.desk.security import allow, revoke, secure
from zn_ladder.store.store import Store

BASE_NS = 1_796_000_000_000_000_000
ACCOUNTS = ("A1", "A2", "A3")
ENV = "ext_prod_sim"


def _fills() -> list[Fill]:
    """Three fills per account (a buy, a sell, a buy), each key naming its account."""
    out = []
    for n, account in enumerate(ACCOUNTS):
        for i, (side, qty) in enumerate(((Side.BUY, 5), (Side.SELL, 2), (Side.BUY, 1))):
            out.append(Fill(f"{account}-x{i}", account, "ZN Sep26", side, qty, 35_200 + i, BASE_NS + n * 100 + i,
                            f"{account}-o{i}", f"{account}-x{i}", "test", "", qty))
    return out


def _role(url: str, name: str) -> str:
    """Roles belong to the whole cluster, which the run shares: one name per test database."""
    return f"{name}_{url.rsplit('/', 1)[1]}"


@pytest.fixture
def desk(desk_url: str, pg_cluster) -> str:
    with Store.open(desk_url) as store:
        store.put_sod([SodLot(a, "ZN Sep26", 3, 35_100, "2026-12-03") for a in ACCOUNTS], source="test")
        store.ingest(_fills(), [FillCorrection("A2-bust", "A2-x1", CorrectionKind.BUST, BASE_NS + 500)],
                     source="test", environment=ENV)
    with psycopg.connect(desk_url, autocommit=True) as conn:
        heartbeat.put_snapshot(conn, ENV, "orders", [{"order_id": f"{a}-w", "account": a} for a in ACCOUNTS], 7)
        for login in ("alice", "bob"):
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(_role(desk_url, login))))
        secure(conn)
        assert allow(conn, _role(desk_url, "alice"), ["A1"]) == 1
        assert allow(conn, _role(desk_url, "bob"), ["A2", "A3"]) == 2
    return desk_url


def _as(pg_cluster, url: str, login: str) -> psycopg.Connection:
    return psycopg.connect(pg_cluster.url(url.rsplit("/", 1)[1], user=_role(url, login)), autocommit=True)


def _owner_count(url: str, query: str, accounts: tuple[str, ...]) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute(query, (list(accounts),)).fetchone()[0]


@pytest.mark.parametrize("login, mine", [("alice", ("A1",)), ("bob", ("A2", "A3"))])
def test_a_login_sees_only_its_accounts_even_with_raw_sql(desk, pg_cluster, login, mine) -> None:
    with _as(pg_cluster, desk, login) as conn:
        seen = lambda q: {r[0] for r in conn.execute(q).fetchall()}
        assert seen("SELECT account FROM fills") == set(mine)
        assert seen("SELECT key FROM fills") == {f.key for f in _fills() if f.account in mine}
        assert seen("SELECT account FROM books") == set(mine)
        assert seen("SELECT account FROM sod_lots") == set(mine)
        assert seen("SELECT ref_key FROM corrections") == ({"A2-x1"} if "A2" in mine else set())
        lots = conn.execute("SELECT count(*) FROM book_lots").fetchone()[0]
        orders = heartbeat.read_snapshot(conn, ENV, "orders")
        assert seen("SELECT account FROM desk_accounts") == set(mine)
        assert seen("SELECT login FROM desk_accounts") == {_role(desk, login)}
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT count(*) FROM audit")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE fills SET qty = 1")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO desk_accounts (login, account) VALUES (%s, 'A3')", (_role(desk, login),))
    # the owner counts the same rows by account, without any policy
    assert lots == _owner_count(desk, "SELECT count(*) FROM book_lots WHERE book_id IN "
                                      "(SELECT id FROM books WHERE account = ANY(%s))", mine) > 0
    assert orders is not None and [o["account"] for o in orders[1]] == sorted(mine)


def test_the_owner_sees_every_account_and_a_revoked_account_disappears(desk, pg_cluster) -> None:
    with psycopg.connect(desk) as conn:
        assert {r[0] for r in conn.execute("SELECT account FROM fills")} == set(ACCOUNTS)
        assert revoke(conn, _role(desk, "bob"), ["A3"]) == 1
        conn.commit()
    with _as(pg_cluster, desk, "bob") as conn:
        assert {r[0] for r in conn.execute("SELECT account FROM fills")} == {"A2"}


def test_a_login_with_no_accounts_sees_no_fills(desk, pg_cluster) -> None:
    with psycopg.connect(desk, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN IN ROLE zn_ladder_trader").format(
            sql.Identifier(_role(desk, "carol"))))
    with _as(pg_cluster, desk, "carol") as conn:
        assert conn.execute("SELECT count(*) FROM fills").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM books").fetchone()[0] == 0


def test_support_secures_and_allows_from_the_command_line(desk_url: str, pg_cluster, run_cli) -> None:
    with Store.open(desk_url) as store:
        store.ingest(_fills(), source="test", environment=ENV)
    login = _role(desk_url, "dave")
    with psycopg.connect(desk_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(login)))
    assert run_cli("desk", "secure", "--db", desk_url).returncode == 0
    done = run_cli("desk", "allow", "--db", desk_url, "--login", login, "--account", "A1", "--account", "A3")
    assert done.returncode == 0, done.stderr
    with _as(pg_cluster, desk_url, "dave") as conn:
        assert {r[0] for r in conn.execute("SELECT account FROM fills")} == {"A1", "A3"}
    assert run_cli("desk", "revoke", "--db", desk_url, "--login", login, "--account", "A1").returncode == 0
    with _as(pg_cluster, desk_url, "dave") as conn:
        assert {r[0] for r in conn.execute("SELECT account FROM fills")} == {"A3"}


def test_desk_commands_refuse_a_file_store(tmp_path, run_cli) -> None:
    done = run_cli("desk", "allow", "--db", str(tmp_path / "s.sqlite3"), "--login", "x", "--account", "A1")
    assert done.returncode == 2
    assert "postgresql://" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "s.sqlite3").exists()
