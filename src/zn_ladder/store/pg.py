"""The store on a PostgreSQL desk database: a thin connection adapter, the schema, errors a trader can act on.

Why an adapter and no ORM: the store's SQL is plain and shared by both backends (`?` placeholders,
`ON CONFLICT`, `RETURNING`, `"user"` quoted); `PgConnection` offers the few `sqlite3.Connection`
methods the store uses (`execute`, `executemany`, `in_transaction`, `close`) and turns `?` into
psycopg's `%s`. psycopg 3 runs the connection in autocommit mode and the store opens its own
transactions, exactly as it does on SQLite (`isolation_level=None`).

Guarantees, as on SQLite:
- One writer at a time: every write transaction starts by updating the one row of `zn_ladder_store`
  (`write_seq + 1`); the row lock is held to COMMIT, so a second writer (a capture, an import) waits,
  up to `lock_timeout`, like `BEGIN IMMEDIATE` waits on `busy_timeout`. `write_seq` also plays
  `PRAGMA data_version`: a jump by more than our own write means another process wrote.
- Identity and version: the same row holds the application id and the schema version (SQLite keeps
  them in `PRAGMA application_id` / `user_version`); a database with other tables and no such row is
  not ours, one written by a newer app is refused, and neither is changed.
- Migrations are SQLite's (`schema.MIGRATIONS`), translated mechanically (`pg_ddl`), under an advisory
  lock so two PCs opening a fresh database at once migrate it once.
"""

from __future__ import annotations

import functools
import logging
import re
from typing import Any

import psycopg
from psycopg import errors as pg_errors
from psycopg.pq import TransactionStatus

from zn_ladder.domain.errors import StoreError, StoreUnreachable
from zn_ladder.store.backend import NoStore, PgLocation, keyring_password
from zn_ladder.store import db
from zn_ladder.store.schema import APPLICATION_ID

log = logging.getLogger(__name__)

#: The advisory lock (two-int form: APPLICATION_ID, n) taken while migrating. Other users of advisory
#: locks in this database (the desk capture's lease) use other second numbers.
MIGRATION_LOCK = (APPLICATION_ID, 0)
META_TABLE = "zn_ladder_store"
_META_DDL = (f"CREATE TABLE IF NOT EXISTS {META_TABLE} (one BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one), "
             "application_id BIGINT NOT NULL, schema_version BIGINT NOT NULL, write_seq BIGINT NOT NULL DEFAULT 0)")


@functools.lru_cache(maxsize=512)
def to_pyformat(sql: str) -> str:
    """`?` placeholders as psycopg's `%s` (a literal `%` doubled), outside quoted strings and names."""
    out, quote = [], ""
    for ch in sql:
        if quote:
            out.append("%%" if ch == "%" else ch)
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
            out.append(ch)
        elif ch == "?":
            out.append("%s")
        elif ch == "%":
            out.append("%%")
        else:
            out.append(ch)
    return "".join(out)


#: Up to this many parameters an INSERT's executemany is one multi-row VALUES; above, a COPY.
VALUES_PARAMS = 20_000
_INSERT_VALUES = re.compile(r"\s*INSERT\s+INTO\s+(\w+)\s*\(([^)]*)\)\s*VALUES\s*\([?,\s]*\)(.*)\Z", re.S | re.I)


class PgConnection:
    """What the store needs of a connection, on psycopg 3. `raw` is the psycopg connection (LISTEN/NOTIFY,
    advisory locks, COPY); `location` the database (printable, no password)."""

    dialect = "postgresql"

    def __init__(self, raw: psycopg.Connection, location: PgLocation, readonly: bool = False,
                 reopen: Any = None) -> None:
        self.raw = raw
        self._reopen = reopen
        self.location = location
        self.readonly = readonly
        self._seen_seq: int | None = None
        self._foreign = 0
        self._trace: Any = None

    def set_trace_callback(self, trace: Any) -> None:
        """Called with each statement run, as `sqlite3.Connection.set_trace_callback` (support, tests)."""
        self._trace = trace

    def execute(self, sql: str, params: Any = None) -> psycopg.Cursor:
        if self.raw.broken:
            self._revive()
        if self._trace is not None:
            self._trace(sql)
        if not params:
            return self.raw.execute(sql)  # no placeholders: the text goes as written (a `%` stays one)
        return self.raw.execute(to_pyformat(sql), params)

    def executemany(self, sql: str, rows: Any) -> psycopg.Cursor:
        """As sqlite3's, but a plain `INSERT ... VALUES (?...)` [ON CONFLICT DO NOTHING] of several rows goes as
        ONE statement: a multi-row VALUES for a poll-sized batch, a COPY into a temporary table for an import.
        A row per statement (even pipelined) made a poll 2.5x and a 20k-fill import 4x slower. Rows keep
        their order (ids follow arrival; of two rows with one key the first is kept); the rowcount is the
        rows inserted, as sqlite3's executemany reports."""
        rows = list(rows)
        if self._trace is not None:
            for _ in rows:
                self._trace(sql)
        cur = self.raw.cursor()
        if not rows:
            return cur
        bulk = _INSERT_VALUES.match(sql) if len(rows) > 1 else None
        if bulk is None or "DO UPDATE" in bulk.group(3).upper():
            cur.executemany(to_pyformat(sql), rows)
        elif len(rows) * len(rows[0]) <= VALUES_PARAMS:
            table, columns, rest = bulk.groups()
            one = "(" + ",".join(["%s"] * len(rows[0])) + ")"
            cur.execute(f"INSERT INTO {table} ({columns}) VALUES {','.join([one] * len(rows))}{to_pyformat(rest)}",
                        [value for row in rows for value in row])
        else:
            self._copy_insert(cur, *bulk.groups(), rows)
        return cur

    def _copy_insert(self, cur: psycopg.Cursor, table: str, columns: str, rest: str, rows: list) -> None:
        stage = f"zn_stage_{table}_{abs(hash(columns)) % 10**8}"
        cur.execute(f"CREATE TEMP TABLE IF NOT EXISTS {stage} AS SELECT {columns}, 0::bigint AS zn_seq FROM {table} "
                    "WITH NO DATA")
        with cur.copy(f"COPY {stage} ({columns}, zn_seq) FROM STDIN") as copy:
            for seq, row in enumerate(rows):
                copy.write_row((*row, seq))
        cur.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {stage} ORDER BY zn_seq{to_pyformat(rest)}")
        self.raw.execute(f"TRUNCATE {stage}")  # empty files again: a temporary table is never vacuumed

    @property
    def in_transaction(self) -> bool:
        """A lost session holds no transaction (the server rolled it back): nothing to roll back here."""
        return not self.raw.broken and self.raw.info.transaction_status != TransactionStatus.IDLE

    @property
    def closed(self) -> bool:
        return self.raw.closed

    def close(self) -> None:
        self.raw.close()

    # --- one writer, and who else wrote --------------------------------------------------------

    def begin_write(self) -> None:
        """BEGIN and take the store's write lock (the meta row): the `BEGIN IMMEDIATE` of SQLite."""
        self._revive()
        self.raw.execute("BEGIN")
        seq = self.raw.execute(f"UPDATE {META_TABLE} SET write_seq = write_seq + 1 RETURNING write_seq").fetchone()[0]
        self._observe(seq - 1)
        self._seen_seq = seq

    def data_version(self) -> int:
        """Changes when another connection has committed a write since we last looked (SQLite's
        `PRAGMA data_version`); our own writes do not change it."""
        if not self.in_transaction:
            self._observe(self.raw.execute(f"SELECT write_seq FROM {META_TABLE}").fetchone()[0])
        return self._foreign

    def _revive(self) -> None:
        """A new session when the last one was lost (the server restarted, the network dropped): the write
        that failed rolled back with it and said so; the next one must not fail for ever. Another process
        may have written meanwhile, so the cached books are dropped (`_foreign` moves)."""
        if (self.raw.closed or self.raw.broken) and self._reopen is not None:
            log.warning("store %s: the connection was lost; connecting again", self.location)
            self.raw = self._reopen()
            self._foreign += 1

    def _observe(self, seq: int) -> None:
        if seq != self._seen_seq:
            self._foreign += 1
            self._seen_seq = seq


def may_write(raw: psycopg.Connection) -> bool:
    """Whether this login may write the store: it holds the write lock's and the fills' write privileges
    and row-level security does not filter what it sees (`row_security_active`). A trader's login
    (`desk allow`: SELECT only, its accounts only) may not; the capture's (the tables' owner) may.

    Why privileges and row-level security rather than a role's name: support may grant a login in
    other ways (the README's `zn_traders` group has write grants from before `desk secure`); a login
    that sees only some accounts must never write derived state (books, closed days) from its part of
    the desk, whatever it was granted. A database without the store's tables yet: True (opening
    creates them, or says which permission is missing)."""
    row = raw.execute(
        f"SELECT to_regclass('{META_TABLE}') IS NULL OR to_regclass('fills') IS NULL OR "
        f"(has_table_privilege('{META_TABLE}', 'UPDATE') AND has_table_privilege('fills', 'INSERT') "
        "AND NOT row_security_active('fills'))").fetchone()
    return bool(row[0])


def connect(location: PgLocation, *, readonly: bool | None = False, busy_timeout_s: float = 10.0) -> PgConnection:
    """Connect, check what the database holds, migrate it (unless read-only); autocommit connection.
    `readonly` None: as the login may (`may_write`), decided once on the first session."""
    kwargs: dict[str, Any] = {"autocommit": True, "application_name": "zn_ladder"}
    password = keyring_password(location)
    if password:
        kwargs["password"] = password
    if "connect_timeout" not in location.url:
        kwargs["connect_timeout"] = max(2, int(busy_timeout_s))

    mode = {"readonly": readonly}

    def session() -> psycopg.Connection:
        try:
            raw = psycopg.connect(location.url, **kwargs)
            raw.execute(f"SET lock_timeout = {int(busy_timeout_s * 1000)}")
            raw.execute("SET synchronous_commit = on")  # durable at COMMIT, whatever the server's default
            if mode["readonly"] is None:
                mode["readonly"] = not may_write(raw)
            if mode["readonly"]:
                raw.execute("SET default_transaction_read_only = on")
            return raw
        except psycopg.Error as exc:
            raise describe_error(exc, location, "connect") from None

    first = session()
    readonly = bool(mode["readonly"])
    conn = PgConnection(first, location, readonly, session)
    try:
        with translated(location, "open"):
            _check_identity(conn, readonly)
            if not readonly:
                _migrate(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def _meta(conn: PgConnection) -> tuple[int, int] | None:
    if conn.raw.execute("SELECT to_regclass(%s)", (META_TABLE,)).fetchone()[0] is None:
        return None
    row = conn.raw.execute(f"SELECT application_id, schema_version FROM {META_TABLE}").fetchone()
    return (row[0], row[1]) if row else None


def _check_identity(conn: PgConnection, readonly: bool) -> None:
    where = conn.location
    meta = _meta(conn)
    if meta is None:
        tables = conn.raw.execute("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() "
                                  "AND tablename <> %s", (META_TABLE,)).fetchone()[0]
        if tables:
            raise StoreError(f"the database {where} holds tables that are not a zn_ladder store; it was left "
                             f"untouched: give an empty database (or another schema) for the desk store")
        if readonly:
            raise NoStore(f"no store in the database {where}: import fills first (zn-ladder import FILE --db {where})")
        return
    app_id, version = meta
    if app_id != APPLICATION_ID:
        raise StoreError(f"the database {where} belongs to another application, not zn_ladder; it was left untouched")
    if version > db.SCHEMA_VERSION:
        raise StoreError(f"the store {where} was written by a newer zn_ladder (schema version {version}, this app "
                         f"knows up to {db.SCHEMA_VERSION}); update zn_ladder. The database was not changed.")
    if readonly and version < db.SCHEMA_VERSION:
        raise StoreError(f"the store {where} uses an older schema; open it once for writing "
                         f"(e.g. zn-ladder import or monitor) to upgrade it")


def _migrate(conn: PgConnection) -> None:
    meta = _meta(conn)
    if meta is not None and meta[1] == db.SCHEMA_VERSION:
        return
    raw = conn.raw
    with write_block(conn, "upgrade schema"):
        raw.execute("SELECT pg_advisory_xact_lock(%s, %s)", MIGRATION_LOCK)
        raw.execute(_META_DDL)
        _check_identity(conn, False)  # re-read under the lock: another PC may have migrated meanwhile
        meta = _meta(conn)
        version = 0 if meta is None else meta[1]
        for number in range(version, db.SCHEMA_VERSION):
            log.info("store %s: migrating schema %d -> %d", conn.location, number, number + 1)
            for statement in db.split_statements(db.MIGRATIONS[number]):
                raw.execute(pg_ddl(statement))
        _realign_identities(raw)
        raw.execute(f"INSERT INTO {META_TABLE} (one, application_id, schema_version) VALUES (TRUE, %s, %s) "
                    "ON CONFLICT (one) DO UPDATE SET schema_version = excluded.schema_version",
                    (APPLICATION_ID, db.SCHEMA_VERSION))


def write_block(conn: PgConnection, action: str):
    """BEGIN ... COMMIT / ROLLBACK without the write lock (the schema has no meta row yet)."""
    return db._transaction(conn, conn.location, action, "BEGIN")


_DDL_RULES = (
    (re.compile(r"\bINTEGER\s+PRIMARY\s+KEY(\s+AUTOINCREMENT)?\b", re.I),
     "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"),
    (re.compile(r"\bREAL\b", re.I), "DOUBLE PRECISION"),
    (re.compile(r"\bBLOB\b", re.I), "BYTEA"),
    (re.compile(r"\bINTEGER\b", re.I), "BIGINT"),  # time_ns and realized units need 64 bits
    (re.compile(r"\bTEXT\b", re.I), 'TEXT COLLATE "C"'),  # byte order, as SQLite's BINARY sorts
    (re.compile(r"\)\s*WITHOUT\s+ROWID", re.I), ")"),
    (re.compile(r"^(\s*)user(\s)", re.M), r'\1"user"\2'),  # a reserved word in PostgreSQL
)


def pg_ddl(statement: str) -> str:
    """One statement of a SQLite migration, as PostgreSQL DDL (see the rules above)."""
    for pattern, replacement in _DDL_RULES:
        statement = pattern.sub(replacement, statement)
    return statement


def _realign_identities(raw: psycopg.Connection) -> None:
    """After a migration copied rows with their ids (`INSERT INTO t_v2 (id, ...) SELECT id ...`), move each
    identity past the largest id, or the next insert would collide."""
    rows = raw.execute("SELECT table_name, column_name FROM information_schema.columns WHERE is_identity = 'YES' "
                       "AND table_schema = current_schema()").fetchall()
    for table, column in rows:
        raw.execute(f'SELECT setval(pg_get_serial_sequence(%s, %s), coalesce(max("{column}"), 0) + 1, false) '
                    f'FROM "{table}"', (table, column))


# --- errors a trader can act on ----------------------------------------------------------------


def describe_error(exc: BaseException, location: PgLocation, action: str) -> StoreError:
    """One line naming the database (no password) and what to do."""
    text = " ".join(str(exc).split())
    where = f"the desk database {location}"
    lowered = text.lower()
    if "password authentication failed" in lowered or "no password supplied" in lowered:
        why = (f"refused the login of {location.user or 'this user'}: wrong or missing password; store it with "
               f"`zn-ladder credentials set-db {location}` or in the .pgpass file")
    elif "role" in lowered and "does not exist" in lowered:
        why = f"has no login {location.user!r}: ask support to create it (README: desk database)"
    elif "database" in lowered and "does not exist" in lowered:
        why = "does not exist on that server: ask support to create it (README: desk database)"
    elif "no pg_hba.conf entry" in lowered:
        why = "does not accept connections from this PC for this login (the server's pg_hba.conf)"
    elif isinstance(exc, pg_errors.LockNotAvailable) or "lock timeout" in lowered:
        why = ("is busy: another zn-ladder process (a capture, an import) is writing to it; wait for it to "
               "finish, then try again")
    elif isinstance(exc, pg_errors.InsufficientPrivilege):
        why = "refused this login the permission it needs; ask support to grant it (README: desk database)"
    elif isinstance(exc, pg_errors.DiskFull):
        why = "could not be written: the server's disk is full; tell support"
    elif isinstance(exc, psycopg.OperationalError) or isinstance(exc, psycopg.InterfaceError):
        return StoreUnreachable(f"{where} cannot be reached (server down, wrong host or port, or the network): "
                                f"check the URL and that the server is running, then try again "
                                f"({action}: {_redact_detail(text)})")
    else:
        why = "failed"
    return StoreError(f"{where} {why} ({action}: {_redact_detail(text)})")


def _redact_detail(text: str) -> str:
    return re.sub(r"password=\S+", "password=***", text)[:300]


class translated:
    """Turn any psycopg error raised inside into a `StoreError` naming the database and the action."""

    def __init__(self, location: PgLocation, action: str) -> None:
        self.location, self.action = location, action

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, exc, tb) -> bool:
        if exc is not None and isinstance(exc, psycopg.Error):
            raise describe_error(exc, self.location, self.action) from exc
        return False
