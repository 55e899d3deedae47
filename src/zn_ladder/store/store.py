"""`Store`: the one object that writes the SQLite file, and the reads the commands need.

Every write is one `BEGIN IMMEDIATE` transaction holding the fills, the corrections, the matching
state they change, the poll cursor and the audit entry together: after a crash (kill -9, power loss)
the file holds all of a batch or none of it, never fills without their cursor or P&L without its fills.

The matching books are cached in memory between writes (that is what makes a poll's cost flat). Another
process may write the same file (an `import` while the app runs); `PRAGMA data_version` tells us, and
the cache is dropped and reloaded from the file. A failed write also drops it: memory never runs ahead
of the file. In the app a `StoreWriter` thread owns the `Store`; the GUI thread never touches it.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from zn_ladder.domain.errors import StoreError
from zn_ladder.domain.records import Fill, FillCorrection, SodLot
from zn_ladder.domain.trading_day import DEFAULT_RULE, TradingDayRule, day_start_ns
from zn_ladder.store import (audit, corrections, cursors, db, fills, matching, quarantine, refdata, sod,
                              survival_log)
from zn_ladder.store.backend import Connection
from zn_ladder.store.store_days import TradingDays
from zn_ladder.store.sod import normalise_date

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class IngestResult:
    """What one batch did. `added + duplicate + skipped` == fills offered."""

    added: int = 0
    duplicate: int = 0
    skipped: int = 0
    warnings: tuple[str, ...] = ()
    corrections_added: int = 0
    corrections_duplicate: int = 0
    corrections_applied: int = 0
    books_recomputed: int = 0


@dataclass(frozen=True, slots=True)
class SodResult:
    added: int = 0
    duplicate: int = 0
    replaced: int = 0
    warnings: tuple[str, ...] = ()


@dataclass(slots=True)
class _Batch:
    #: (account, market, contract) of the books to replay from their definition.
    recompute: set[matching.Key] = field(default_factory=set)
    #: Book -> earliest time of a fill the batch added or changed (None: unknown): closed days to drop.
    changed: dict[matching.Key, int | None] = field(default_factory=dict)

    def touch(self, key: matching.Key, time_ns: int | None) -> None:
        if key not in self.changed:
            self.changed[key] = time_ns
        elif self.changed[key] is not None:
            self.changed[key] = None if time_ns is None else min(time_ns, self.changed[key])


class Store(TradingDays):
    """Open with `Store.open(path)`; use from one thread at a time (the writer thread in the app)."""

    def __init__(self, conn: Connection, path: db.Location, readonly: bool,
                 day_rule: TradingDayRule = DEFAULT_RULE) -> None:
        self.conn = conn
        self.path = path
        self.readonly = readonly
        #: The desk's trading-day rule (settings' `trading_day.close`): where a book's session starts and
        #: which day a fill, a curve point and a closed day belong to.
        self.day_rule = day_rule
        #: The trading day whose earlier days were last closed (`close_days`), and the clock it reads
        #: (a test sets another).
        self._days_closed_before: date | None = None
        #: A batch dropped closed days (a late fill, bust or correction of theirs): computed again on the
        #: next read of the closed days or `close_days`, not per batch (a catch-up of yesterday's fills in
        #: pages would otherwise replay the day once per page).
        self._days_stale = False
        self.clock = time.time_ns
        self._books: dict[tuple[matching.Key, str], matching.PersistedBook] = {}
        self._data_version: int | None = None
        #: Books that differed from their recompute when a read-only store was verified (not repaired:
        #: the capture, which may write, repairs them when it opens the store).
        self.differences: list[matching.BookDifference] = []

    # --- life cycle --------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str | None = None, *, readonly: bool | None = False, verify: bool = True,
             busy_timeout_s: float = db.DEFAULT_BUSY_TIMEOUT_S, day_rule: TradingDayRule = DEFAULT_RULE) -> Store:
        """Open (create if absent), migrate and, for writing, check the file and the matching state.

        `verify` runs SQLite's quick_check and recomputes every book from the fills (DESIGN §3.5:
        the persisted state must equal a recompute); a difference is logged and audited and the
        recompute is written.

        `readonly` None: as the login may (the window's choice). A desk login that may not write (a
        trader's: `pg.may_write`) opens read-only and is still verified, read-only: a changed row is
        refused as for a writer, a book that differs from its recompute is reported (`differences`)
        and left for the capture to repair. A SQLite file, or a login that may write, opens as before.
        """
        if path is None:
            from zn_ladder.config.paths import default_db_path

            path = default_db_path()
        path = db.locate(path)
        conn = db.connect(path, readonly=readonly, busy_timeout_s=busy_timeout_s)
        chosen = readonly is None
        store = cls(conn, path, bool(getattr(conn, "readonly", False)) if chosen else bool(readonly), day_rule)
        try:
            if verify and (not store.readonly or chosen):
                problem = db.integrity_problem(conn, path)
                if problem:
                    raise StoreError(f"the store {path} is damaged ({problem}); it was left untouched: move it "
                                     f"aside (or restore a backup) and start again")
                store.verify_rows()
                store.verify_matching()
        except BaseException:
            conn.close()
            raise
        return store

    def close(self) -> None:
        self._books.clear()
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _write(self, action: str) -> Iterator[Connection]:
        if self.readonly:
            raise StoreError(f"the store {self.path} was opened read-only ({action})")
        try:
            with db.write_transaction(self.conn, self.path, action) as conn:
                with db.translated(self.path, action):
                    version = conn.data_version()
                    if version != self._data_version:
                        self._books.clear()  # another process wrote: reload books from the file
                    self._data_version = version
                    yield conn
        except BaseException:
            self._books.clear()  # the transaction rolled back: memory must not run ahead of the file
            raise

    def transaction(self, action: str):
        """One write transaction for a caller that composes its own writes (`store.copy`), with the
        guarantees of every write here: one writer, all or nothing, the book cache kept honest."""
        return self._write(action)

    # --- matching ----------------------------------------------------------------------------

    def book_count(self) -> int:
        """Books (account, market, contract, method) held in memory since the last verify/ingest."""
        return len(self._books)

    def verify_rows(self) -> None:
        """Every fill the books count, and every SOD lot, still holds what was received (its checksum):
        SQLite keeps none of its own, so a flipped bit or a hand edit would otherwise change a position
        silently. Refused, naming the rows. The books count the fills of their session (from the SOD's
        day; all of them for a book with no SOD), so older days' fills are not read on every open: at
        200k fills, reading them all doubled the open's CPU."""
        with self._verifying("verify fills") as conn:
            since = conn.execute("SELECT coalesce(min(session_start_ns), 0) FROM books").fetchone()[0]
            changed = fills.changed_fills(conn, since) + sod.changed_lots(conn)
            if changed:  # refused inside the transaction: it rolls back, nothing is written
                self._refuse_changed(changed)

    @contextlib.contextmanager
    def _verifying(self, action: str) -> Iterator[Connection]:
        """The write transaction of a check on open; on a read-only store one snapshot read instead
        (a trader's desk login: it checks what it can see and writes nothing)."""
        if not self.readonly:
            with self._write(action) as conn:
                yield conn
            return
        with db.translated(self.path, action), db.read_transaction(self.conn) as conn:
            yield conn

    def _refuse_changed(self, changed: list[str]) -> None:
        more = f" and {len(changed) - 3} more" if len(changed) > 3 else ""
        raise StoreError(f"the store {self.path} holds {len(changed)} fill(s) or SOD lot(s) changed since they were "
                         f"received: {'; '.join(changed[:3])}{more}; it was left as it is: restore a backup, or move "
                         f"it aside and import the fills again")

    def verify_matching(self) -> list[matching.BookDifference]:
        if self.readonly:
            with self._verifying("verify matching state") as conn:
                _, differences = matching.verify_books(conn, self.day_rule)
            self.differences = [d for d in differences if not d.journal_only]
            for d in self.differences:
                log.warning("store %s: matching state of %s %s %s %s differs from a recompute (stored: %s; "
                            "recomputed: %s); read-only: not repaired", self.path, d.account, d.market, d.contract,
                            d.method, d.stored, d.recomputed)
            return differences
        with self._write("verify matching state") as conn:
            books, differences = matching.verify_books(conn, self.day_rule)
            for book in books.values():
                book.flush(conn)
            for d in differences:
                self._report_difference(conn, d)
            self._books = books
        return differences

    def _report_difference(self, conn: Connection, d: matching.BookDifference) -> None:
        """Log and audit what the recompute on open replaced. A journal rebuilt under a book that agreed is
        its own, quieter event: every book of a store written before the journal existed has one."""
        detail = {"account": d.account, "market": d.market, "contract": d.contract, "method": d.method,
                  "stored": d.stored, "recomputed": d.recomputed}
        if d.journal_only:
            log.info("store %s: the realized P&L journal of %s %s %s %s was rebuilt from the fills (stored: %s; "
                     "recomputed: %s)", self.path, d.account, d.market, d.contract, d.method, d.stored, d.recomputed)
            audit.record(conn, audit.JOURNAL_REBUILT, detail)
            return
        log.warning("store %s: matching state of %s %s %s %s differed from a recompute (stored: %s; recomputed: %s); "
                    "the recompute was kept", self.path, d.account, d.market, d.contract, d.method, d.stored,
                    d.recomputed)
        audit.record(conn, audit.MATCHING_REPAIRED, detail)

    def _book(self, conn: Connection, key: matching.Key, method: str) -> matching.PersistedBook | None:
        book = self._books.get((key, method))
        if book is None:
            book = matching.load_book(conn, key, method)
            if book is not None:
                self._books[(key, method)] = book
        return book

    def _match(self, conn: Connection, added: Sequence[tuple[int, Fill]], batch: _Batch) -> None:
        """Apply new fills to their books incrementally, or mark the account/contract for recompute."""
        recompute = batch.recompute
        methods = matching.METHODS
        cache: dict[matching.Key, list[matching.PersistedBook] | None] = {}
        for _, fill in added:
            ac = (fill.account, fill.market, fill.contract)
            if ac in recompute:
                continue
            books = cache.get(ac)
            if books is None:
                found = [self._book(conn, ac, m) for m in methods]
                if any(b is None for b in found):
                    # A new book: no fill of it is stored but this batch's (every stored fill has a
                    # book: ingest creates them, and open verifies), so its books start from its SOD
                    # and take the batch's fills like any other book.
                    found = self._new_books(conn, ac)
                books = cache[ac] = found
            time_ns = fill.time_ns
            if time_ns < books[0].session_start_ns:
                continue  # an earlier session's fill: stored, not in today's books
            if time_ns < books[0].last_time_ns or time_ns < books[1].last_time_ns:
                recompute.add(ac)  # out of time order: LIFO/FIFO depend on order, so replay
                continue
            qty = fill.qty if fill.side > 0 else -fill.qty
            for book in books:
                book.apply(qty, fill.price, time_ns, fill.key)

    def _new_books(self, conn: Connection, key: matching.Key) -> list[matching.PersistedBook]:
        sod_date, lots = matching.latest_sod(conn, key)
        books = []
        for method in matching.METHODS:
            book = matching.PersistedBook(*key, method, sod_date=sod_date, rule=self.day_rule)
            for qty, price in lots:
                book.open_lot(qty, price)
            self._books[(key, method)] = book
            books.append(book)
        return books

    def _finish(self, conn: Connection, batch: _Batch) -> int:
        for key in batch.recompute:
            for method in matching.METHODS:
                old = self._book(conn, key, method)
                book = matching.recompute_book(conn, key, method, old.id if old else None, self.day_rule)
                self._books[(key, method)] = book
        for book in self._books.values():
            book.flush(conn)
        return len(batch.recompute)

    # --- writes ------------------------------------------------------------------------------

    def ingest(self, new_fills: Sequence[Fill] = (), new_corrections: Sequence[FillCorrection] = (), *,
               source: str = "", cursor: tuple[str, Any] | None = None,
               audit_detail: Mapping[str, Any] | None = None, who: str | None = None,
               environment: str = "", quarantined: Sequence[Any] = (),
               users: Sequence[tuple[str, Any]] = ()) -> IngestResult:
        """Store a batch of fills and corrections (and a poll cursor) in one durable transaction.

        `users`: (TT user id, record) of the users the batch's fills name that TT was just asked about
        (reference data kind "user"), kept with the fills so their names survive a restart.

        `audit_detail`, when given, writes an `import` audit entry (files); polls pass none, since
        every fill row records its source and arrival time already.
        """
        now = time.time_ns()
        batch = _Batch()
        with self._write("store fills") as conn:
            ins = fills.insert_fills(conn, new_fills, now, source, environment)
            for ident, record in users:
                refdata.put_refdata(conn, refdata.USER, ident, record, fetched_ns=now)
            if quarantined:
                quarantine.put(conn, quarantined, environment, now)
            if ins.added and conn.execute("SELECT 1 FROM quarantine WHERE resolved_ns IS NULL LIMIT 1").fetchone():
                quarantine.resolve(conn, (f.key for _, f in ins.added), now)
            new_corr, corr_dup = corrections.insert_corrections(conn, new_corrections, now, source)
            refs = {c.ref_key for c in new_corr}
            if ins.added:
                pending = corrections.pending_refs(conn)
                if pending:
                    refs.update(f.key for _, f in ins.added if f.key in pending)
            applied = corrections.apply_for(conn, refs) if refs else []
            for a in applied:
                batch.recompute.add((a.account, a.market, a.contract))
                batch.touch((a.account, a.market, a.contract), fills.time_of(conn, a.fill_key))
                audit.record(conn, audit.CORRECTION_APPLIED,
                             {"fill": a.fill_key, "account": a.account, "contract": a.contract,
                              "corrections": list(a.corrections), "before": _state(a.before),
                              "after": _state(a.after)}, who)
            for key, time_ns, book in ins.retimed:
                fills.retime(conn, key, time_ns)
                batch.recompute.add(book)
                batch.touch(book, None)  # its old time is gone: any day may have held it
            for _, fill in ins.added:
                batch.touch((fill.account, fill.market, fill.contract), fill.time_ns)
            for conflict in ins.conflicts:
                audit.record(conn, audit.FILL_CONFLICT, {**conflict, "source": source}, who)
            self._match(conn, ins.added, batch)
            recomputed = self._finish(conn, batch)
            self._close_days(conn, batch)
            if cursor is not None:
                cursors.put_cursor(conn, cursor[0], cursor[1])
            if audit_detail is not None:
                audit.record(conn, audit.IMPORT, {**audit_detail, "added": len(ins.added),
                                                  "duplicate": ins.duplicate, "skipped": ins.skipped,
                                                  "corrections_added": len(new_corr)}, who)
        return IngestResult(len(ins.added), ins.duplicate, ins.skipped, tuple(ins.warnings), len(new_corr),
                            corr_dup, len(applied), recomputed)

    def put_sod(self, lots: Sequence[SodLot], *, source: str = "",
                audit_detail: Mapping[str, Any] | None = None, who: str | None = None) -> SodResult:
        batch = _Batch()
        with self._write("store SOD") as conn:
            out = sod.put_sod(conn, lots, time.time_ns(), source)
            batch.recompute |= out.affected
            for group in out.groups:  # an SOD restarts its day's book: that day and the later ones change
                when = normalise_date(group["date"]) if group["date"] else ""
                start = day_start_ns(date.fromisoformat(when), self.day_rule) if when else None
                batch.touch((group["account"], group["market"], group["contract"]), start)
            self._finish(conn, batch)
            self._close_days(conn, batch)
            if out.groups or audit_detail is not None:
                audit.record(conn, audit.SOD_IMPORT, {**(audit_detail or {}), "groups": out.groups,
                                                      "added": out.added, "duplicate": out.duplicate}, who)
        return SodResult(out.added, out.duplicate, out.replaced)

    def put_cursor(self, source: str, value: Any) -> None:
        with self._write("store cursor") as conn:
            cursors.put_cursor(conn, source, value)

    def move_cursor(self, source: str, to: str | None, event: str, detail: Mapping[str, Any]) -> None:
        """Rename cursor `source` to `to` (replacing any there), or drop it when `to` is None, in one
        transaction with its audit entry. Nothing happens when there is no such cursor."""
        with self._write("move cursor") as conn:
            value = cursors.get_cursor(conn, source)
            if value is None:
                return
            if to is not None:
                cursors.put_cursor(conn, to, value)
            cursors.delete_cursor(conn, source)
            audit.record(conn, event, {"cursor": source, "to": to, **detail})

    def audit(self, event: str, detail: Mapping[str, Any] | None = None, who: str | None = None) -> None:
        """Record a settings/environment change or any other event in the audit log."""
        with self._write("write audit log") as conn:
            audit.record(conn, event, detail, who)

    def log_survival(self, rows: Sequence[Any]) -> int:
        """Keep the survival curves computed after fills (`survival_log.SurvivalRow`); rows of fills
        already logged are ignored. Returns the rows added."""
        if not rows:
            return 0
        with self._write("log the survival curve") as conn:
            return survival_log.put_rows(conn, rows, time.time_ns())

    def survival_logged(self, contract: str, market: str | None = None) -> set[str]:
        with db.translated(self.path, "read the survival log"):
            return survival_log.logged_keys(self.conn, contract, market)

    def put_refdata(self, kind: str, ident: str, value: Any) -> None:
        with self._write("cache reference data") as conn:
            refdata.put_refdata(conn, kind, ident, value)

    # --- reads -------------------------------------------------------------------------------

    def get_cursor(self, source: str) -> Any | None:
        with db.translated(self.path, "read cursor"):
            return cursors.get_cursor(self.conn, source)

    def cursor_updated_ns(self, source: str) -> int | None:
        with db.translated(self.path, "read cursor"):
            return cursors.cursor_updated_ns(self.conn, source)

    def all_refdata(self, kind: str) -> dict[str, Any]:
        with db.translated(self.path, "read reference data"):
            return refdata.all_refdata(self.conn, kind)

    def get_refdata(self, kind: str, ident: str, *, max_age_s: float | None = None) -> Any | None:
        with db.translated(self.path, "read reference data"):
            return refdata.get_refdata(self.conn, kind, ident, max_age_s=max_age_s)

    def fills(self, contract: str | None = None, account: str | None = None, market: str | None = None) -> list[Fill]:
        with db.translated(self.path, "read fills"):
            return fills.live_fills(self.conn, contract, account, market=market)

    def fill_count(self) -> int:
        with db.translated(self.path, "count fills"):
            return fills.fill_count(self.conn)

    def quarantined(self, environment: str | None = None) -> list[quarantine.QuarantineEntry]:
        """Fill records TT sent unreadable and still set aside (see `store.quarantine`)."""
        with db.translated(self.path, "read quarantine"):
            return quarantine.open_entries(self.conn, environment)

    def corrections(self) -> list[FillCorrection]:
        with db.translated(self.path, "read corrections"):
            return corrections.all_corrections(self.conn)

    def sod_lots(self, account: str | None = None, contract: str | None = None) -> list[SodLot]:
        with db.translated(self.path, "read SOD"):
            return sod.sod_lots(self.conn, account, contract)

    def audit_entries(self, event: str | None = None, limit: int = 1000) -> list[audit.AuditEntry]:
        with db.translated(self.path, "read audit log"):
            return audit.entries(self.conn, event, limit)


def _state(state: tuple[int, int | None, int | None]) -> dict[str, Any]:
    busted, qty, price = state
    return {"busted": bool(busted), "qty": qty, "price": price}
