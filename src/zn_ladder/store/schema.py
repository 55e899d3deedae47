"""The store's tables, as an ordered list of migrations.

The same migrations serve a PostgreSQL desk database: `pg.pg_ddl` translates each statement
mechanically (INTEGER -> BIGINT, `INTEGER PRIMARY KEY` -> an identity, TEXT sorted bytewise, no
`WITHOUT ROWID`, the `user` column quoted), so write plain CREATE TABLE / CREATE INDEX / ALTER TABLE ADD
COLUMN that reads the same on both. `PRAGMA user_version` (PostgreSQL: the `zn_ladder_store` row) holds the
number of migrations applied. A migration is appended, never edited:
a desk's file written by version N of the app is upgraded step by step by any later version, and a
file whose version is higher than `SCHEMA_VERSION` was written by a newer app and is refused (an
older app could silently misread columns it does not know).

Fills are stored as they arrived (the original qty/price is never rewritten); a correction or bust
is its own row in `corrections` and marks the fill (`busted`, `corr_qty`, `corr_price`), so the
audit keeps both the original and what it became.

Fill identity (see `fills.py`): `key` is unique (TT's exec id, or the importer's composite), and the
partial unique index `fills_execution` makes `(order_id, contract, cum_qty)` unique too whenever the source
knows the order's cumulative filled quantity: the same execution arriving from the TT API (exec id)
and from an Audit Trail export (no exec id, ExeQty) is then recognised as one.

Matching state: one `books` row per account/contract/method with the totals, and the open lots as
rows of `book_lots` (no pickle, no blobs): a new fill changes O(1) rows amortized.
"""

from __future__ import annotations

#: sqlite `application_id` of a zn_ladder store ("ZNLD"), so another app's SQLite file is recognised.
APPLICATION_ID = 0x5A4E4C44

_V1 = """
CREATE TABLE fills (
    id          INTEGER PRIMARY KEY,
    key         TEXT    NOT NULL UNIQUE,
    account     TEXT    NOT NULL,
    contract    TEXT    NOT NULL,
    side        INTEGER NOT NULL CHECK (side IN (1, -1)),
    qty         INTEGER NOT NULL CHECK (qty > 0),
    price       INTEGER NOT NULL,
    time_ns     INTEGER NOT NULL,
    order_id    TEXT    NOT NULL DEFAULT '',
    exec_id     TEXT    NOT NULL DEFAULT '',
    source      TEXT    NOT NULL DEFAULT '',
    user        TEXT    NOT NULL DEFAULT '',
    cum_qty     INTEGER NOT NULL DEFAULT 0,
    stored_ns   INTEGER NOT NULL,
    busted      INTEGER NOT NULL DEFAULT 0,
    corr_qty    INTEGER,
    corr_price  INTEGER
);
CREATE UNIQUE INDEX fills_execution ON fills (order_id, cum_qty) WHERE cum_qty > 0 AND order_id <> '';
CREATE INDEX fills_book ON fills (contract, account, time_ns);

CREATE TABLE corrections (
    key        TEXT    PRIMARY KEY,
    ref_key    TEXT    NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('bust', 'correct')),
    time_ns    INTEGER NOT NULL,
    qty        INTEGER,
    price      INTEGER,
    source     TEXT    NOT NULL DEFAULT '',
    stored_ns  INTEGER NOT NULL,
    applied    INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX corrections_ref ON corrections (ref_key);
CREATE INDEX corrections_pending ON corrections (ref_key) WHERE applied = 0;

CREATE TABLE sod_lots (
    date       TEXT    NOT NULL,
    account    TEXT    NOT NULL,
    contract   TEXT    NOT NULL,
    seq        INTEGER NOT NULL,
    qty        INTEGER NOT NULL,
    price      INTEGER NOT NULL,
    source     TEXT    NOT NULL DEFAULT '',
    stored_ns  INTEGER NOT NULL,
    PRIMARY KEY (account, contract, date, seq)
) WITHOUT ROWID;

CREATE TABLE cursors (
    source      TEXT    PRIMARY KEY,
    value       TEXT    NOT NULL,
    updated_ns  INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE refdata (
    kind        TEXT    NOT NULL,
    id          TEXT    NOT NULL,
    value       TEXT    NOT NULL,
    fetched_ns  INTEGER NOT NULL,
    PRIMARY KEY (kind, id)
) WITHOUT ROWID;

CREATE TABLE books (
    id                INTEGER PRIMARY KEY,
    account           TEXT    NOT NULL,
    contract          TEXT    NOT NULL,
    method            TEXT    NOT NULL CHECK (method IN ('lifo', 'fifo')),
    position          INTEGER NOT NULL,
    realized_units    INTEGER NOT NULL,
    fills_applied     INTEGER NOT NULL,
    last_time_ns      INTEGER NOT NULL,
    session_start_ns  INTEGER NOT NULL,
    sod_date          TEXT    NOT NULL,
    next_seq          INTEGER NOT NULL,
    UNIQUE (account, contract, method)
);

CREATE TABLE book_lots (
    book_id  INTEGER NOT NULL,
    seq      INTEGER NOT NULL,
    qty      INTEGER NOT NULL,
    price    INTEGER NOT NULL,
    PRIMARY KEY (book_id, seq)
) WITHOUT ROWID;

CREATE TABLE audit (
    id       INTEGER PRIMARY KEY,
    time_ns  INTEGER NOT NULL,
    who      TEXT    NOT NULL,
    event    TEXT    NOT NULL,
    detail   TEXT    NOT NULL
);
CREATE INDEX audit_event ON audit (event, time_ns);
"""

#: Instrument identity (issue 12): a fill, an SOD lot and a book belong to a market as well as a
#: contract, since ZN Sep25 on CME and on CME_Delayed are two instruments. What a version-1 file holds
#: came from the old single-market assumption, so it is taken as CME (the old tool kept CME only).
#: A fill record TT keeps sending in an unreadable form is set aside in `quarantine` with its raw text
#: (never marked seen without being stored or quarantined); it is resolved when the fill arrives whole.
#: Each fill keeps a checksum of what was received (SQLite has none of its own): the check on open
#: names a row changed outside the app (a flipped bit, a hand edit); rows of a v1 file get theirs then.
#: A fill from TT also records the environment (UAT, LIVE...) that sent it: TT's accounts belong to one
#: environment, and a window shows the accounts of its own, so one store can serve both runs.
#: Books are derived state (verified against a recompute on every open); they are copied, not rebuilt.
_V2 = """
ALTER TABLE fills ADD COLUMN market TEXT NOT NULL DEFAULT 'CME';
ALTER TABLE fills ADD COLUMN instrument_id TEXT NOT NULL DEFAULT '';
ALTER TABLE fills ADD COLUMN environment TEXT NOT NULL DEFAULT '';
ALTER TABLE fills ADD COLUMN checksum TEXT NOT NULL DEFAULT '';

CREATE TABLE quarantine (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL,
    time_ns      INTEGER NOT NULL,
    environment  TEXT    NOT NULL DEFAULT '',
    raw          TEXT    NOT NULL,
    reason       TEXT    NOT NULL,
    stored_ns    INTEGER NOT NULL,
    resolved_ns  INTEGER,
    UNIQUE (environment, name, time_ns)
);
DROP INDEX fills_book;
CREATE INDEX fills_book ON fills (contract, market, account, time_ns);

CREATE TABLE sod_lots_v2 (
    date       TEXT    NOT NULL,
    account    TEXT    NOT NULL,
    market     TEXT    NOT NULL,
    contract   TEXT    NOT NULL,
    seq        INTEGER NOT NULL,
    qty        INTEGER NOT NULL,
    price      INTEGER NOT NULL,
    source     TEXT    NOT NULL DEFAULT '',
    stored_ns  INTEGER NOT NULL,
    checksum   TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (account, market, contract, date, seq)
) WITHOUT ROWID;
INSERT INTO sod_lots_v2 (date, account, market, contract, seq, qty, price, source, stored_ns)
    SELECT date, account, 'CME', contract, seq, qty, price, source, stored_ns FROM sod_lots;
DROP TABLE sod_lots;
ALTER TABLE sod_lots_v2 RENAME TO sod_lots;

CREATE TABLE books_v2 (
    id                INTEGER PRIMARY KEY,
    account           TEXT    NOT NULL,
    market            TEXT    NOT NULL,
    contract          TEXT    NOT NULL,
    method            TEXT    NOT NULL CHECK (method IN ('lifo', 'fifo')),
    position          INTEGER NOT NULL,
    realized_units    INTEGER NOT NULL,
    fills_applied     INTEGER NOT NULL,
    last_time_ns      INTEGER NOT NULL,
    session_start_ns  INTEGER NOT NULL,
    sod_date          TEXT    NOT NULL,
    next_seq          INTEGER NOT NULL,
    UNIQUE (account, market, contract, method)
);
INSERT INTO books_v2 (id, account, market, contract, method, position, realized_units, fills_applied, last_time_ns,
                      session_start_ns, sod_date, next_seq)
    SELECT id, account, 'CME', contract, method, position, realized_units, fills_applied, last_time_ns,
           session_start_ns, sod_date, next_seq FROM books;
DROP TABLE books;
ALTER TABLE books_v2 RENAME TO books;
"""

#: Trading days (issue 15 §2). `pnl_curve`: the intraday P&L curve as the window computed it, one row per
#: account's book per point (written by the store's writer on each fill and every few seconds while the
#: mark moves), so the chart survives a restart; money as exact fractions in text ("-2375/2"), never floats,
#: and the mark (price in points, exact) with where it came from. `closed_days`: each closed trading day
#: of each book (`domain.day_history`): realized per method in tick-contracts (as `books`), the closing
#: position, the mark used for the close and the open lots' value there per method, fills and volume, and
#: the trading-day rule it was closed under (rows of another rule are closed again).
#: Derived rows: dropped when a fill of the day changes (bust, correction, late fill) and computed again.
#: Portable DDL (no rowid tricks, no reserved names): a PostgreSQL backend runs the same statements.
_V3 = """
CREATE TABLE pnl_curve (
    account        TEXT    NOT NULL,
    market         TEXT    NOT NULL,
    contract       TEXT    NOT NULL,
    time_ns        INTEGER NOT NULL,
    trading_day    TEXT    NOT NULL,
    position       INTEGER NOT NULL,
    realized_lifo  TEXT    NOT NULL,
    realized_fifo  TEXT    NOT NULL,
    total          TEXT    NOT NULL,
    mark           TEXT    NOT NULL,
    mark_source    TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (account, market, contract, time_ns)
);
CREATE INDEX pnl_curve_day ON pnl_curve (contract, trading_day, time_ns);

CREATE TABLE closed_days (
    account              TEXT    NOT NULL,
    market               TEXT    NOT NULL,
    contract             TEXT    NOT NULL,
    trading_day          TEXT    NOT NULL,
    realized_lifo_units  INTEGER NOT NULL,
    realized_fifo_units  INTEGER NOT NULL,
    position             INTEGER NOT NULL,
    mark                 TEXT    NOT NULL,
    mark_source          TEXT    NOT NULL,
    unrealized_lifo      TEXT    NOT NULL,
    unrealized_fifo      TEXT    NOT NULL,
    fills                INTEGER NOT NULL,
    volume               INTEGER NOT NULL,
    closed_ns            INTEGER NOT NULL,
    day_rule             TEXT    NOT NULL,
    PRIMARY KEY (account, market, contract, trading_day)
);
CREATE INDEX closed_days_day ON closed_days (trading_day);
"""

#: The realized P&L journal (issue 15 §1): one row per lot match of a book, in the order it happened
#: (`n`), with the session the book covered when it wrote the row (a book is rebuilt for its current
#: session on a bust or correction; earlier sessions' rows stay as history). An open lot remembers
#: the trade that opened it (`open_*`: fill key or "SOD <date>", time, whole signed qty), so a match
#: made after a restart still names its opening fill. Derived state, verified on open like the books.
_V4 = """
ALTER TABLE book_lots ADD COLUMN open_key TEXT NOT NULL DEFAULT '';
ALTER TABLE book_lots ADD COLUMN open_time_ns INTEGER NOT NULL DEFAULT 0;
ALTER TABLE book_lots ADD COLUMN open_qty INTEGER NOT NULL DEFAULT 0;

CREATE TABLE journal (
    book_id           INTEGER NOT NULL,
    n                 INTEGER NOT NULL,
    session_start_ns  INTEGER NOT NULL,
    time_ns           INTEGER NOT NULL,
    open_key          TEXT    NOT NULL,
    open_time_ns      INTEGER NOT NULL,
    open_qty          INTEGER NOT NULL,
    open_price        INTEGER NOT NULL,
    close_key         TEXT    NOT NULL,
    close_qty         INTEGER NOT NULL,
    close_price       INTEGER NOT NULL,
    matched_qty       INTEGER NOT NULL,
    realized_units    INTEGER NOT NULL,
    cumulative_units  INTEGER NOT NULL,
    PRIMARY KEY (book_id, n)
);
CREATE INDEX journal_time ON journal (time_ns);
"""

#: The desk's filters (issue 15 §4): every field TT sends with a fill that the old fill CSV carried.
#: `market_id` and `order_status` are TT's codes as sent (marketId, ordStatus); `originator` is who
#: submitted the order (TT userId, a file's Originator), next to `user`, who owns it now (currUserId,
#: CurrentUser). User ids stay ids here: the `refdata` rows of kind 'user' name them. Rows stored before
#: this version keep '' (TT did not send them again); their `user` is what they were stored with.
#: `survival_log` (issue 15 §5) keeps the survival curve the window computed after each fill, as the
#: old `r_survival_streaming.csv` did: exact numbers as fraction text ("-1250", "6250/3"), prices in
#: ticks, levels in points; `curve` is JSON [[level, risk], ...]. A log: a later bust does not rewrite it.
_V5 = """
ALTER TABLE fills ADD COLUMN market_id TEXT NOT NULL DEFAULT '';
ALTER TABLE fills ADD COLUMN order_status TEXT NOT NULL DEFAULT '';
ALTER TABLE fills ADD COLUMN originator TEXT NOT NULL DEFAULT '';

CREATE TABLE survival_log (
    id             INTEGER PRIMARY KEY,
    fill_key       TEXT    NOT NULL UNIQUE,
    time_ns        INTEGER NOT NULL,
    account        TEXT    NOT NULL,
    market         TEXT    NOT NULL,
    contract       TEXT    NOT NULL,
    side           INTEGER NOT NULL,
    qty            INTEGER NOT NULL,
    price          INTEGER NOT NULL,
    order_id       TEXT    NOT NULL DEFAULT '',
    trader         TEXT    NOT NULL DEFAULT '',
    position       INTEGER NOT NULL,
    risk           TEXT    NOT NULL,
    pnl            TEXT    NOT NULL,
    stop_loss      TEXT    NOT NULL,
    nbm            TEXT    NOT NULL,
    extreme_level  TEXT    NOT NULL,
    to_extreme     TEXT    NOT NULL,
    curve          TEXT    NOT NULL,
    logged_ns      INTEGER NOT NULL
);
CREATE INDEX survival_log_time ON survival_log (contract, market, time_ns);
"""

#: One execution is of one instrument: the two leg fills of a calendar spread share the spread order's id
#: and its cumulative quantity, so (order_id, cum_qty) alone took the second leg for the first (issue
#: 14 §15, roll week). The identity of an execution across sources is (order_id, contract, cum_qty).
_V6 = """
DROP INDEX fills_execution;
CREATE UNIQUE INDEX fills_execution ON fills (order_id, contract, cum_qty) WHERE cum_qty > 0 AND order_id <> '';
"""

#: The desk's capture service (issue 16), in the same schema on both backends so one set of
#: migrations serves SQLite and PostgreSQL. One capture per TT app key and environment holds the lease
#: (a PostgreSQL advisory lock; `capture_lease` only says who holds it and since when, for people and
#: windows). `capture_feeds` is its heartbeat: per feed the last successful poll, the last attempt, the
#: poll interval and the last error, so a window reading the desk knows each feed's age and a dead
#: capture (no attempt for two intervals) is shown STALE. `capture_snapshots` holds the latest working
#: orders and positions the capture read (JSON), once for the whole desk, one row per account so
#: that row-level security shows a trader the orders of their own accounts only. `desk_budget` counts TT
#: requests per app key (a hash, never the key) and UTC day for every process of the desk: each adds
#: what it spent (an atomic upsert), so the count is the desk's, not one PC's. `desk_accounts` lists the
#: accounts each database login may see (enforced by row-level security on PostgreSQL).
_V7 = """
CREATE TABLE capture_lease (
    environment  TEXT    NOT NULL,
    lease_key    TEXT    NOT NULL,
    holder       TEXT    NOT NULL,
    started_ns   INTEGER NOT NULL,
    beat_ns      INTEGER NOT NULL,
    PRIMARY KEY (environment, lease_key)
);

CREATE TABLE capture_feeds (
    environment  TEXT    NOT NULL,
    feed         TEXT    NOT NULL,
    last_ok_ns   INTEGER,
    last_try_ns  INTEGER NOT NULL,
    interval_ms  INTEGER NOT NULL,
    last_error   TEXT    NOT NULL DEFAULT '',
    holder       TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (environment, feed)
);

CREATE TABLE capture_snapshots (
    environment  TEXT    NOT NULL,
    kind         TEXT    NOT NULL CHECK (kind IN ('orders', 'positions')),
    account      TEXT    NOT NULL,
    taken_ns     INTEGER NOT NULL,
    body         TEXT    NOT NULL,
    PRIMARY KEY (environment, kind, account)
);

CREATE TABLE desk_budget (
    source  TEXT    NOT NULL,
    day     TEXT    NOT NULL,
    used    INTEGER NOT NULL,
    PRIMARY KEY (source, day)
);

CREATE TABLE desk_accounts (
    login    TEXT NOT NULL,
    account  TEXT NOT NULL,
    PRIMARY KEY (login, account)
);
"""

#: Ordered migrations; entry i takes a file from user_version i to i + 1. Append only.
MIGRATIONS: tuple[str, ...] = (_V1, _V2, _V3, _V4, _V5, _V6, _V7)

SCHEMA_VERSION = len(MIGRATIONS)
