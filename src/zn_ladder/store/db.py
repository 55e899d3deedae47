"""Opening the store safely: a SQLite file (pragmas, schema migrations, errors a trader can act on) or,
through `store.pg`, a PostgreSQL desk database; `connect`, `translated`, `write_transaction` and
`read_transaction` serve both, so the store's modules never ask which one they have.

Why each choice:
- WAL with `synchronous=FULL`: a commit is on disk (fsynced) before `commit()` returns, so a fill is
  durable before anything else is told about it; readers never block the writer.
- `BEGIN IMMEDIATE` for every write: the write lock is taken up front, so a second process waits up
  to `busy_timeout` and then gets a clear "busy" error instead of failing halfway through a batch.
- A file that is not ours, is corrupt, was written by a newer app, or sits in a read-only folder
  is refused with a message and never touched: we open existing files with `mode=rw` (never
  `rwc`), so SQLite cannot replace them, and we only create a file that does not exist yet.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from zn_ladder.domain.errors import StoreError
from zn_ladder.store.backend import Connection, Location, NoStore, PgLocation, locate
from zn_ladder.store.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
DEFAULT_BUSY_TIMEOUT_S = 10.0
#: Page cache per connection: index inserts of a 200k-fill batch stay in memory (SQLite's default is 2 MiB).
CACHE_KIB = 65536


class SqliteConnection(sqlite3.Connection):
    """`sqlite3.Connection` (its C methods untouched: no cost per statement) plus what the store asks of
    either backend: the dialect, the write lock and `data_version` (see `pg.PgConnection`)."""

    dialect = "sqlite"
    location: Path

    def begin_write(self) -> None:
        """The write lock up front: a second writer waits `busy_timeout`, then gets a clear "busy"."""
        self.execute("BEGIN IMMEDIATE")

    def data_version(self) -> int:
        """Changes when another connection committed (`PRAGMA data_version`)."""
        return self.execute("PRAGMA data_version").fetchone()[0]




def describe_error(exc: sqlite3.Error, path: Path | str, action: str) -> StoreError:
    """A `StoreError` that says what happened to which file and what to do about it."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc)
    where = f"the store {path}"
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text:
        why = ("is busy: another zn-ladder process (the app, a monitor or an import) is writing to it; "
               "wait for it to finish or close it, then try again")
    elif name.startswith("SQLITE_FULL") or "full" in text:
        why = "could not be written: the disk (or the store's size limit) is full; free space and try again"
    elif name.startswith(("SQLITE_READONLY", "SQLITE_PERM")) or "readonly" in text:
        why = "is read-only (the file or its folder cannot be written); fix the permissions or choose another path"
    elif name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in text or "not a database" in text:
        why = ("is damaged or is not a zn_ladder database; it was left untouched: move it aside (or restore "
               "a backup) and start again")
    elif name.startswith("SQLITE_CANTOPEN") or "unable to open" in text:
        why = "cannot be opened (missing folder, no permission, or a read-only folder); check the path"
    elif name.startswith("SQLITE_IOERR") or "I/O" in text:
        why = "hit a disk I/O error; check the disk and try again"
    else:
        why = "failed"
    return StoreError(f"{where} {why} ({action}: {text})")


def _pg_errors() -> tuple[type[BaseException], ...]:
    """psycopg's base error when it is loaded (a desk database is open), else nothing: the SQLite-only
    CLI never pays psycopg's import."""
    import sys

    module = sys.modules.get("psycopg")
    return (module.Error,) if module is not None else ()


@contextlib.contextmanager
def translated(path: Location | str, action: str) -> Iterator[None]:
    """Turn any database error raised inside into a `StoreError` naming the store and the action."""
    try:
        yield
    except StoreError:
        raise
    except BrokenPipeError:
        raise  # the reader of our output went away (`export | head`): not the store's fault
    except sqlite3.Error as exc:
        raise describe_error(exc, path, action) from exc
    except _pg_errors() as exc:
        from zn_ladder.store import pg

        raise pg.describe_error(exc, path if isinstance(path, PgLocation) else locate(str(path)), action) from exc
    except OSError as exc:
        raise StoreError(f"the store {path} cannot be used ({action}: {exc})") from exc


@contextlib.contextmanager
def write_transaction(conn: Connection, path: Location | str, action: str) -> Iterator[Connection]:
    """The write lock, then all or nothing: COMMIT (durable), or ROLLBACK on any error. SQLite: `BEGIN
    IMMEDIATE`; PostgreSQL: BEGIN and the store's meta row locked (`pg.PgConnection.begin_write`)."""
    with _transaction(conn, path, action, None) as c:
        yield c


@contextlib.contextmanager
def _transaction(conn: Connection, path: Location | str, action: str, begin: str | None) -> Iterator[Connection]:
    with translated(path, action):
        if begin is None:
            conn.begin_write()
        else:
            conn.execute(begin)
    try:
        yield conn
        with translated(path, action):
            conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            try:
                conn.execute("ROLLBACK")
            except Exception:  # noqa: BLE001 - the connection may be unusable (disk or server gone); the txn is void
                log.exception("rollback failed on %s", path)
        raise


@contextlib.contextmanager
def read_transaction(conn: Connection) -> Iterator[Connection]:
    """Several reads that see one committed state (a snapshot), unless a transaction is already open.
    SQLite's WAL gives that to any BEGIN; PostgreSQL needs REPEATABLE READ (READ COMMITTED takes a new
    snapshot per statement)."""
    if conn.in_transaction:
        yield conn
        return
    pg = getattr(conn, "dialect", "sqlite") == "postgresql"
    conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" if pg else "BEGIN")
    try:
        yield conn
    finally:
        if conn.in_transaction:
            conn.execute("COMMIT")


def data_version(conn: Connection) -> int:
    """A number that changes when another process wrote the store since this connection last looked."""
    return conn.data_version()


def _check_file(path: Path) -> bool:
    """True if the file exists. Refuses a file that is plainly not SQLite before SQLite touches it."""
    try:
        if "\x00" in str(path):
            raise ValueError("a NUL character in the name")
        if not path.exists():
            return False
    except (OSError, ValueError) as exc:  # a name too long, a NUL in it
        raise StoreError(f"the store path {str(path)[:200]!r} cannot be used ({getattr(exc, 'strerror', None) or exc}); "
                         "give the path of a .sqlite3 file") from None
    if path.is_dir():
        raise StoreError(f"the store path {path} is a folder, not a file; give the path of a .sqlite3 file")
    try:
        with path.open("rb") as f:
            head = f.read(100)
    except OSError as exc:
        raise StoreError(f"the store {path} cannot be read ({exc}); check its permissions") from exc
    if head and (len(head) < 100 or not head.startswith(SQLITE_HEADER)):
        raise StoreError(f"the store {path} is damaged or is not a zn_ladder database (bad header); it was left "
                         f"untouched: move it aside (or restore a backup) and start again")
    return True


def store_path(location: Path | str) -> Path:
    """The SQLite file a store location names: a path, or `sqlite:PATH`; a desk database URL or any
    other URL is refused (`backend.locate` takes both)."""
    found = locate(location)
    if isinstance(found, PgLocation):
        raise StoreError(f"the store {found} is a desk database, not a SQLite file; this needs a SQLite file")
    return found


def connect(location: Location | str, *, readonly: bool | None = False,
            busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S) -> Connection:
    """Open (creating only if absent and writable) and migrate the store; return an autocommit connection.

    A `postgresql://` location opens the desk database (`pg.connect`). Transactions are explicit
    (`write_transaction`), so `isolation_level=None`. `readonly` None: as the login may (a desk
    database; `pg.may_write`); a SQLite file is then opened for writing, as before.
    """
    found = locate(location)
    if isinstance(found, PgLocation):
        from zn_ladder.store import pg

        return pg.connect(found, readonly=readonly, busy_timeout_s=busy_timeout_s)
    return _connect_sqlite(found, bool(readonly), busy_timeout_s)


def open_existing(location: Location | str) -> Connection | None:
    """A read-only connection to the store, or None when there is none yet (no file, or a database without
    the store's tables): for readers that have nothing to say about an absent store (`import` looking up
    known instruments, `doctor` listing quarantined records). Any other problem is raised."""
    try:
        return connect(location, readonly=True)
    except NoStore:
        return None


def _connect_sqlite(path: Path, readonly: bool, busy_timeout_s: float) -> SqliteConnection:
    exists = _check_file(path)
    if readonly and not exists:
        raise NoStore(f"no store at {path}: import fills first (zn-ladder import FILE --db {path})")
    if not exists:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the folder for the store {path} ({exc}); choose another path") from exc
    mode = "ro" if readonly else ("rw" if exists else "rwc")
    uri = f"{path.resolve().as_uri()}?mode={mode}"
    with translated(path, "open"):
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False,
                               timeout=busy_timeout_s, factory=SqliteConnection)
    if readonly:
        with translated(path, "open read-only"):
            conn = _readable(conn, path, uri, busy_timeout_s)
    try:
        with translated(path, "open"):
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
            conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            _check_identity(conn, path)
            if not readonly:
                if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0].lower()
                    if mode != "wal":  # SQLite answers the mode it kept: a share without WAL support
                        raise StoreError(
                            f"the store {path} cannot use write-ahead logging (its folder stays in {mode!r} "
                            "mode, e.g. a network share); keep the store on a local disk")
                conn.execute("PRAGMA synchronous = FULL")
                _migrate(conn, path)
            elif conn.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
                raise StoreError(f"the store {path} uses an older schema; open it once for writing "
                                 f"(e.g. zn-ladder import or monitor) to upgrade it")
    except BaseException:
        conn.close()
        raise
    conn.location = path
    return conn


def _readable(conn: sqlite3.Connection, path: Path, uri: str, busy_timeout_s: float) -> sqlite3.Connection:
    """A read-only connection that can actually read. A WAL store in a read-only folder (a copy on a
    share, a support engineer's snapshot) cannot get its `-shm` file; when the folder cannot be
    written and no `-wal` or `-journal` file holds pages, nobody can be writing it, so it is read as
    immutable.

    Never otherwise: `immutable=1` ignores locks and a hot journal, so a store that is busy (a writer
    holds its lock) or was left mid-transaction would be read half-written (191 of 297 fills).
    """
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError as exc:
        conn.close()
        name = getattr(exc, "sqlite_errorname", "") or ""
        busy = name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in str(exc)
        if (busy or Path(f"{path}-wal").exists() or Path(f"{path}-journal").exists()
                or os.access(path.parent, os.W_OK)):
            raise
    return sqlite3.connect(f"{uri}&immutable=1", uri=True, isolation_level=None, check_same_thread=False,
                           timeout=busy_timeout_s, factory=SqliteConnection)


def _check_identity(conn: sqlite3.Connection, path: Path) -> None:
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if app_id not in (0, APPLICATION_ID):
        raise StoreError(f"{path} is an SQLite file of another application, not a zn_ladder store; "
                         f"it was left untouched: choose another path")
    if app_id == 0 and conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
        raise StoreError(f"{path} is an SQLite file that is not a zn_ladder store; it was left untouched: "
                         f"choose another path")
    if version > SCHEMA_VERSION:
        raise StoreError(f"the store {path} was written by a newer zn_ladder (schema version {version}, this app "
                         f"knows up to {SCHEMA_VERSION}); update zn_ladder. The file was not changed.")


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    if conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
        return
    with write_transaction(conn, path, "upgrade schema"):
        version = conn.execute("PRAGMA user_version").fetchone()[0]  # re-read under the write lock
        if version > SCHEMA_VERSION:
            raise StoreError(f"the store {path} was written by a newer zn_ladder (schema version {version})")
        for number in range(version, SCHEMA_VERSION):
            log.info("store %s: migrating schema %d -> %d", path, number, number + 1)
            for statement in split_statements(MIGRATIONS[number]):
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def split_statements(script: str) -> list[str]:
    """Split a migration into statements (executescript would COMMIT our open transaction)."""
    out, buf = [], ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        raise ValueError(f"incomplete statement in migration: {buf[:60]!r}")
    return out


def integrity_problem(conn: Connection, path: Location | str) -> str | None:
    """`PRAGMA quick_check`: None when the file is sound, else SQLite's first complaint. A PostgreSQL
    server checks its own pages (and the store checks every row's checksum on open either way)."""
    if getattr(conn, "dialect", "sqlite") != "sqlite":
        return None
    with translated(path, "check"):
        rows = conn.execute("PRAGMA quick_check(5)").fetchall()
    messages = [r[0] for r in rows]
    return None if messages == ["ok"] else "; ".join(messages)
