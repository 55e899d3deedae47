"""The store on a PostgreSQL desk database: what only a server has (logins, passwords, other tables, two
PCs at once), and the adapter's translations. The store's behaviour itself is tested on both backends
by the other store tests (`store_url`)."""

from __future__ import annotations

import threading
import uuid

import keyring
import psycopg
import pytest

from zn_ladder.domain.errors import StoreError
from zn_ladder.store import backend, db, pg
from zn_ladder.store.schema import APPLICATION_ID, SCHEMA_VERSION
from zn_ladder.store.store import Store
from tests.unit.config.keyrings import MemoryKeyring

from .conftest import make_fill, store_digest

PASSWORD = "s3cret-Pw"


@pytest.fixture
def password_login(pg_cluster, pg_url):
    """A login that must give a password (scram), owning a fresh database: the test cluster trusts every
    other login on loopback, so this one gets its own pg_hba line, first in the file."""
    user = f"zn_pw_{uuid.uuid4().hex[:8]}"
    hba = pg_cluster.data_dir / "pg_hba.conf"
    hba.write_text(f"host all {user} 127.0.0.1/32 scram-sha-256\n" + hba.read_text())
    dbname = pg_url.rsplit("/", 1)[1]
    with psycopg.connect(pg_cluster.url(), autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {user} LOGIN PASSWORD '{PASSWORD}'")
        admin.execute(f'ALTER DATABASE "{dbname}" OWNER TO {user}')
        admin.execute("SELECT pg_reload_conf()")
    with psycopg.connect(pg_url, autocommit=True) as owner_db:
        owner_db.execute(f"ALTER SCHEMA public OWNER TO {user}")
    return f"postgresql://{user}@127.0.0.1:{pg_cluster.port}/{dbname}"


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(previous)


@pytest.fixture
def no_pgpass(tmp_path, monkeypatch):
    for var in ("PGPASSWORD", "PGPASSFILE", "PGSERVICEFILE", "PGSERVICE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none.pgpass"))


def _one_line(exc: pytest.ExceptionInfo) -> str:
    text = str(exc.value)
    assert "\n" not in text
    return text


def test_a_wrong_password_is_one_line_naming_the_url_and_never_the_password(
        password_login, memory_keyring, no_pgpass) -> None:
    memory_keyring.set_password(backend.KEYRING_SERVICE, backend.locate(password_login).keyring_user, "wrong-one")
    with pytest.raises(StoreError) as caught:
        Store.open(password_login)
    text = _one_line(caught)
    assert text.startswith(f"the desk database {password_login} refused the login")
    assert "wrong-one" not in text and PASSWORD not in text


def test_no_password_anywhere_says_where_to_put_it(password_login, memory_keyring, no_pgpass) -> None:
    with pytest.raises(StoreError, match="wrong or missing password; store it with `zn-ladder credentials set-db"):
        Store.open(password_login)


def test_the_password_comes_from_the_keyring(password_login, memory_keyring, no_pgpass) -> None:
    backend.store_keyring_password(backend.locate(password_login), PASSWORD)
    with Store.open(password_login) as store:
        assert store.ingest([make_fill("e1")]).added == 1
        assert str(store.path) == password_login  # what messages and logs print: no password in it


def test_the_password_comes_from_libpqs_pgpass_file(password_login, memory_keyring, tmp_path, monkeypatch) -> None:
    loc = backend.locate(password_login)
    pgpass = tmp_path / "desk.pgpass"
    pgpass.write_text(f"{loc.host}:{loc.port}:{loc.dbname}:{loc.user}:{PASSWORD}\n")
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    with Store.open(password_login) as store:
        assert store.fill_count() == 0


def test_an_unreachable_server_is_one_line(pg_cluster) -> None:
    with __import__("socket").socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"postgresql://desk@127.0.0.1:{port}/desk"
    with pytest.raises(StoreError) as caught:
        Store.open(url, busy_timeout_s=2)
    assert _one_line(caught).startswith(f"the desk database {url} cannot be reached")


@pytest.mark.parametrize("what, why", [("database", "does not exist on that server"), ("role", "has no login")])
def test_a_missing_database_or_login_is_named(pg_cluster, what, why) -> None:
    url = (pg_cluster.url("no_such_desk_db") if what == "database"
           else pg_cluster.url("postgres", user="no_such_trader"))
    with pytest.raises(StoreError) as caught:
        Store.open(url)
    assert _one_line(caught).startswith(f"the desk database {url} {why}")


def test_a_database_of_other_tables_is_refused_and_untouched(pg_url) -> None:
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE notes (x TEXT)")
        conn.execute("INSERT INTO notes VALUES ('keep me')")
    before = store_digest(pg_url)
    with pytest.raises(StoreError, match="holds tables that are not a zn_ladder store; it was left untouched"):
        Store.open(pg_url)
    assert store_digest(pg_url) == before


def test_another_applications_meta_row_is_refused(pg_url) -> None:
    Store.open(pg_url).close()
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("UPDATE zn_ladder_store SET application_id = %s", (APPLICATION_ID + 1,))
    before = store_digest(pg_url)
    with pytest.raises(StoreError, match="belongs to another application"):
        Store.open(pg_url)
    assert store_digest(pg_url) == before


def test_a_reader_of_an_empty_database_creates_nothing(pg_url) -> None:
    with pytest.raises(StoreError, match="no store in the database"):
        Store.open(pg_url, readonly=True)
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0] == 0


def test_a_reader_cannot_write(pg_url) -> None:
    with Store.open(pg_url) as store:
        store.ingest([make_fill("e1")])
    conn = db.connect(pg_url, readonly=True)
    try:
        with pytest.raises(StoreError, match="failed"):
            with db.translated(conn.location, "write"):
                conn.execute("DELETE FROM fills")
    finally:
        conn.close()
    with Store.open(pg_url) as store:
        assert store.fill_count() == 1


def test_two_pcs_opening_a_fresh_database_at_once_migrate_it_once(pg_url) -> None:
    results: list[object] = []

    def open_it() -> None:
        try:
            with Store.open(pg_url) as store:
                results.append(store.fill_count())
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            results.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert results == [0, 0, 0, 0]
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT application_id, schema_version FROM zn_ladder_store").fetchall() == [
            (APPLICATION_ID, SCHEMA_VERSION)]


def test_the_user_column_is_the_fills_not_postgresqls_current_user(pg_url) -> None:
    """`user` unquoted is CURRENT_USER in PostgreSQL: reading it would give every fill the login's name."""
    with Store.open(pg_url) as store:
        store.ingest([make_fill("e1")])
        assert [f.user for f in store.fills()] == ["trader"]  # make_fill's user; the login is `postgres`


def test_time_ns_needs_and_gets_64_bits(pg_url) -> None:
    """1.75e18 ns overflows PostgreSQL's 32-bit INTEGER: the translation makes every integer BIGINT."""
    with Store.open(pg_url) as store:
        store.ingest([make_fill("e1", t=0)])
        assert store.fills()[0].time_ns == 1_751_500_000_000_000_000
    with psycopg.connect(pg_url) as conn:
        types = dict(conn.execute("SELECT column_name, data_type FROM information_schema.columns "
                                  "WHERE table_name = 'fills'").fetchall())
    assert types["time_ns"] == types["qty"] == types["id"] == "bigint"


def test_ddl_translation() -> None:
    sql = ("CREATE TABLE t (\n    id INTEGER PRIMARY KEY,\n    user TEXT NOT NULL,\n    n INTEGER\n) WITHOUT ROWID;")
    assert pg.pg_ddl(sql) == ('CREATE TABLE t (\n    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,\n'
                              '    "user" TEXT COLLATE "C" NOT NULL,\n    n BIGINT\n);')


def test_ddl_translation_of_what_other_migrations_may_write() -> None:
    sql = "CREATE TABLE j (id INTEGER PRIMARY KEY AUTOINCREMENT, mark REAL, raw BLOB)"
    assert pg.pg_ddl(sql) == ('CREATE TABLE j (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, '
                              'mark DOUBLE PRECISION, raw BYTEA)')


def test_placeholders_outside_quotes_only() -> None:
    assert pg.to_pyformat("SELECT '?', \"a?\" FROM t WHERE x = ? AND y LIKE 'a%'") == (
        "SELECT '?', \"a?\" FROM t WHERE x = %s AND y LIKE 'a%%'")


def test_a_write_by_another_process_drops_the_cached_books(store_url) -> None:
    """Two processes write one store (the capture and an import): each sees the other's fills in its
    books, on SQLite through `data_version`, on PostgreSQL through the meta row's `write_seq`."""
    with Store.open(store_url) as app, Store.open(store_url) as other:
        app.ingest([make_fill("a", 1, 2, 7000, 0)])
        other.ingest([make_fill("b", -1, 1, 7008, 1)])
        app.ingest([make_fill("c", -1, 1, 7004, 2)])
        app.audit("noop")  # another write of app's own: its cache stays valid
        other.ingest([make_fill("d", 1, 3, 7002, 3)])
        app.ingest([make_fill("e", -1, 1, 7006, 4)])
    with Store.open(store_url) as store:
        assert store.audit_entries("matching_repaired") == []  # what was written equals a recompute
        from zn_ladder.store.snapshot import pnl_view
        lifo = pnl_view(store.conn, "ZN Sep25", "lifo")
        # by hand: +2@7000, -1@7008 (+8), -1@7004 (+4), +3@7002, -1@7006 closes a 7002 lot (+4): 16 ticks
        assert (lifo.position, lifo.realized) == (2, 16 * lifo.product.tick_value)


def test_a_lost_session_fails_one_write_in_one_line_and_the_next_reconnects(pg_url, pg_cluster) -> None:
    """The server ends the store's session (a restart, a dropped network): the write under way rolls back
    with a one-line error, and the next write opens a new session instead of failing for ever."""
    with Store.open(pg_url) as store:
        store.ingest([make_fill("e1", t=1)])
        pid = store.conn.raw.info.backend_pid
        with psycopg.connect(pg_cluster.url(), autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        with pytest.raises(StoreError) as caught:
            store.ingest([make_fill("e2", t=2)])
        assert _one_line(caught).startswith(f"the desk database {pg_url} cannot be reached")
        assert store.ingest([make_fill("e2", t=2), make_fill("e3", t=3)]).added == 2
        assert store.conn.raw.info.backend_pid != pid
        assert [f.key for f in store.fills()] == ["e1", "e2", "e3"]
    with Store.open(pg_url) as store:
        assert store.audit_entries("matching_repaired") == []
