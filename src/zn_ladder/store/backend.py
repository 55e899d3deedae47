"""Where a store lives: a SQLite file on this PC, or a desk database on a PostgreSQL server.

A store location is given as `--db` or in the settings (`storage.url`, `storage.database_path`):
- a path, `sqlite:PATH` or `file:PATH`: a SQLite file (the default, one PC);
- `postgresql://user@host[:port]/database[?service=...&sslmode=...]` (or `postgres://`): a desk
  database. The password is never part of it (a URL is printed in messages, logs and the audit
  trail): it comes from the OS keyring (`zn-ladder credentials set-db URL`) or from libpq's own
  `.pgpass` / `PGPASSFILE` / service file.
Anything else (`mysql://...`, `postgres:/x`) is refused in one line before anything is created:
before issue 16 a URL was taken for a folder name and a SQLite file was written under `postgresql:`.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any, Protocol
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from zn_ladder.domain.errors import StoreError

log = logging.getLogger(__name__)

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+):")
PG_SCHEMES = ("postgresql", "postgres")
#: Keyring service holding desk-database passwords; the entry's user name is `PgLocation.keyring_user`.
KEYRING_SERVICE = "zn_ladder/db"


class NoStore(StoreError):
    """A reader asked for a store that is not there yet (no file; a database without the store's tables)."""


@dataclass(frozen=True)
class PgLocation:
    """A desk database. `url` carries no password (refused by `locate`), so it is safe to print."""

    url: str
    user: str
    host: str
    port: int | None
    dbname: str

    def __str__(self) -> str:
        return self.url

    def __fspath__(self) -> str:  # pragma: no cover - guards against use as a file path
        raise TypeError(f"{self.url} is a database URL, not a file path")

    def exists(self) -> bool:
        """A server database is there to be asked (a missing one is named when connecting)."""
        return True

    @property
    def keyring_user(self) -> str:
        """The keyring entry's user name: one password per login, server and database."""
        return f"{self.user}@{self.host or 'localhost'}:{self.port or 5432}/{self.dbname}"


Location = Path | PgLocation


class Connection(Protocol):
    """What the store's modules use of a connection: `db.SqliteConnection` (a `sqlite3.Connection`) or
    `pg.PgConnection`. SQL is written once for both: `?` placeholders, `ON CONFLICT`, `RETURNING`."""

    dialect: str

    def execute(self, sql: str, params: Any = ..., /) -> Any: ...

    def executemany(self, sql: str, rows: Any, /) -> Any: ...

    @property
    def in_transaction(self) -> bool: ...

    def begin_write(self) -> None: ...

    def data_version(self) -> int: ...

    def close(self) -> None: ...


def is_postgres(location: object) -> bool:
    return isinstance(location, PgLocation) or (
        isinstance(location, str) and location.lower().startswith(tuple(f"{s}:" for s in PG_SCHEMES)))


def locate(location: Path | str | PgLocation) -> Location:
    """The store a location names, or `StoreError` (one line) for anything this app cannot use."""
    if isinstance(location, (PgLocation, Path)):
        return location
    text = str(location)
    match = _SCHEME.match(text)
    if match is None:
        return Path(text)
    scheme = match.group(1).lower()
    rest = text[len(match.group(0)):]
    if scheme in ("sqlite", "file"):
        return Path(rest[2:] if rest.startswith("//") else rest)
    if scheme in PG_SCHEMES:
        return _pg_location(text, scheme, rest)
    raise StoreError(f"the store location {_redacted(text)!r} is a {scheme} URL, which zn_ladder cannot use: give "
                     f"the path of a SQLite file (or sqlite:PATH), or postgresql://user@host/database")


def _pg_location(text: str, scheme: str, rest: str) -> PgLocation:
    shown = _redacted(text)
    if not rest.startswith("//"):
        raise StoreError(f"the store location {shown!r} is not a PostgreSQL URL: write "
                         f"postgresql://user@host[:port]/database")
    parts = urlsplit(text)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    if parts.password is not None or "password" in query:
        raise StoreError(f"the store URL {shown} holds a password: remove it from the URL and store it with "
                         f"`zn-ladder credentials set-db URL` (OS keyring) or in the .pgpass file")
    try:
        port = parts.port
    except ValueError:
        raise StoreError(f"the store URL {shown} has a bad port: write postgresql://user@host:5432/database") from None
    dbname = parts.path.lstrip("/")
    if not dbname and "service" not in query and "dbname" not in query:
        raise StoreError(f"the store URL {shown} names no database: write postgresql://user@host/database")
    return PgLocation(text, parts.username or "", parts.hostname or "", port, dbname or query.get("dbname", ""))


def _redacted(text: str) -> str:
    """`text` with any `user:password@` password replaced, for messages about a refused URL."""
    return re.sub(r"(//[^/@:]*:)[^@/]*@", r"\1***@", text)


def keyring_password(location: PgLocation) -> str | None:
    """The password stored for this login in the OS keyring, or None (libpq then reads `.pgpass` or its
    service file). A PC without a usable keyring is not an error here: many desks use `.pgpass`."""
    from zn_ladder.config.credentials import _keyring

    try:
        backend = _keyring()
        return backend.get_password(KEYRING_SERVICE, location.keyring_user)
    except Exception as exc:  # noqa: BLE001 - no keyring, or it cannot be read: fall back to libpq's files
        log.debug("no desk-database password from the keyring (%s)", type(exc).__name__)
        return None


def store_keyring_password(location: PgLocation, password: str) -> None:
    from zn_ladder.config.credentials import _keyring

    _keyring().set_password(KEYRING_SERVICE, location.keyring_user, password)
