"""`StoreWorker`: the app's one writer of the SQLite file, seen from Qt.

A `StoreWriter` thread owns the `Store` (SQLite connections belong to one thread); this object hands it
work and turns the Futures into signals. Order matters and the writer keeps it: a fills page is
persisted together with its cursor in one transaction, *then* a snapshot of the contract is read and
emitted, so the window never shows a fill that a crash could lose, and a restart resumes from the
persisted cursor with no gap and no duplicate. The GUI thread only ever enqueues.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Iterable
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from operator import attrgetter
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from zn_ladder.domain.records import Fill, SodLot
from zn_ladder.domain.trading_day import DEFAULT_RULE, TradingDayRule, trading_day
from zn_ladder.store.fill_pages import newest_fill_ns
from zn_ladder.store.refdata import USER, named_fill, user_names
from zn_ladder.store.snapshot import read_journal, take_snapshot
from zn_ladder.store.writer import StoreWriter
from zn_ladder.tt.budget import budget_source
from zn_ladder.tt.fills_cursor import FillCursor, cursor_source
from zn_ladder.workers.poller import error_text
from zn_ladder.workers.snapshots import FillsQuery
from zn_ladder.workers.window_cursor import load_window_cursor

log = logging.getLogger(__name__)
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def _now_ns() -> int:
    return time.time_ns()

#: An incremental read goes back this far (ns) before the newest fill it has, for late arrivals.
OVERLAP_NS = 60_000_000_000
#: Every so many reads is a full one, whatever happened.
FULL_EVERY = 300
#: The snapshots hold the fills this close (ns) to the newest: what the ladder (the last fill's price)
#: and the order netting (fills since an orders poll, less a margin) use. The day's fills stay in the
#: store, whose fills table pages them (ui/fills_model.py): memory is flat in the day's fills.
KEEP_NS = 30 * 60 * 1_000_000_000
#: The status strip's note on a store opened read-only (a trader's login on a desk database), and its detail.
READ_ONLY_NOTE = "Read-only desk"
READ_ONLY_DETAIL = ("read-only desk login: the desk's capture stores the fills, orders, positions and closed days; "
                    "this window writes nothing (its P&L curve and survival log are not kept, the start-of-day "
                    "file is support's: zn-ladder import --db)")


@dataclass
class _Reads:
    """One contract's fills as last read, by key, in time order (touched under the worker's lock only),
    and where its next incremental read starts."""

    by_key: dict[str, Any] = field(default_factory=dict)
    max_ns: int = 0
    need_full: bool = True
    reads: int = 0


class StoreWorker(QObject):
    #: A `ContractSnapshot` (fills, SOD, P&L per method) read after the last write, one per contract
    #: read (the ladder's, and in roll week each other contract open: `add_contract`).
    snapshotReady = Signal(object)
    #: Roll week (several contracts read): every contract's fills in time order, emitted just before
    #: each `snapshotReady` (the fills table and the orders' netting show them all).
    fillsMerged = Signal(object)
    #: A write or read failed (message); the data already on screen stays.
    failed = Signal(str)
    #: The store is open: the persisted fills cursor (`FillCursor`, or None on a fresh file).
    opened = Signal(object)
    #: A write succeeded (after a failure the banner clears on this).
    stored = Signal()
    #: The start-of-day import at start finished (`sod_import.SodImport`, ok or with its error).
    sodImported = Signal(object)
    #: (contract, market) of each SOD lot stored (latest date per book): a ladder for them from the first
    #: paint, before any order or fill arrives.
    sodContracts = Signal(object)
    #: Fill records of this environment set aside as unreadable (`store.quarantine` entries), when any.
    setAside = Signal(object)
    #: (contract, ((time, total P&L), ...)): the stored intraday curve of today's trading day, summed
    #: over the accounts shown, read when the contract is chosen (the chart survives a restart).
    curveLoaded = Signal(object, object)
    #: (contract, (store.days.ClosedDay, ...)): the closed trading days of the contract for the accounts
    #: shown, read when the contract is chosen and again when a trading day has ended since.
    daysLoaded = Signal(object, object)
    #: The store opened read-only (a trader's desk login, `pg.may_write`): the note's detail, once.
    readOnly = Signal(str)

    def __init__(self, path: Path | str | None, *, account: str | None = None, market: str | None = None,
                 env: str = "ext_prod_sim", base_url: str = "", scoped: bool = False,
                 day_rule: TradingDayRule = DEFAULT_RULE, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # readonly None: as the login may. A trader's login on a desk database may only read; the window
        # then writes nothing (`_unless_readonly`) and says so once (`readOnly`).
        self._writer = StoreWriter(path, name="zn-store-writer", day_rule=day_rule, readonly=None)
        #: What a read-only store skipped (logged once each).
        self._skipped: set[str] = set()
        self._day_rule = day_rule
        #: The trading day the closed days shown were read on (read again once it is over).
        self._days_read_on: Any = None
        #: TT environment segment and address of the fills poll: the cursor is theirs (as in `monitor`).
        self._env, self._base_url = env, base_url
        self.cursor_source = cursor_source(env, base_url)
        self._account = account
        #: The instrument is the contract on this market (None: every market, for tools and tests).
        self._market = market
        #: `scoped`: the snapshots hold the accounts of this TT environment only (those whose fills it
        #: sent, those its answers name, and the desk's SOD accounts), so a store that served UAT and
        #: then LIVE never mixes their books. None until read from the store.
        self._scoped = scoped
        self._env_accounts: set[str] | None = None
        #: The TT client's request budget, whose day's count the store keeps across restarts.
        self._budget: Any = None
        self._pending_accounts: set[str] = set()  # named by TT before the store was first read
        self._contract: str | None = None
        self._lock = threading.Lock()
        self.path = path
        self.writes = 0
        #: Each contract read (the ladder's first, then the others open in roll week) and its reads.
        self._reads: dict[str, _Reads] = {}
        #: The store's file once open, and the accounts the last snapshot read (`fills_query`).
        self.db_path: Path | None = None
        self._last_account: Any = account

    # -- life cycle ---------------------------------------------------------------------------------------
    def start(self) -> Future:
        """Open the store on its thread; `opened(cursor)` or `failed(message)` follows."""
        opened = self._writer.start()
        opened.add_done_callback(self._after_open)
        return opened

    def track_budget(self, budget: Any) -> None:
        """Keep `budget`'s day's request count in the store: read back when the store opens (a restart
        loop must not reset what TT counts), saved with each stored page and at stop."""
        self._budget = budget

    def track_users(self, client: Any) -> None:
        """Give `client` the TT users the store has named before, when it opens (before the first fills
        poll): a restart never asks TT for a user again."""
        self._users_client = client

    def _report_set_aside(self) -> None:
        env = self._env
        future = self._writer.submit(lambda store: tuple(store.quarantined(env)))
        future.add_done_callback(lambda f: self.setAside.emit(f.result())
                                 if f.exception() is None and f.result() else None)

    def _save_budget(self) -> None:
        budget = self._budget
        if budget is not None:
            name = budget_source(self._env, self._base_url)
            self._writer.submit(self._unless_readonly("the TT request count",
                                                      lambda store: store.put_cursor(name, budget.saved())))

    @property
    def readonly(self) -> bool:
        """The store was opened read-only (known once open)."""
        return bool(self._writer.readonly) and self.db_path is not None

    def _unless_readonly(self, what: str, fn: Any) -> Any:
        """`fn` as a job for the writer's thread that is skipped (None) when the store is read-only: a
        trader's desk login may not write, and the capture (or support) keeps what matters. Decided
        on the writer's thread, so a write queued before the store opened is judged too."""
        def job(store: Any) -> Any:
            if not store.readonly:
                return fn(store)
            if what not in self._skipped:
                self._skipped.add(what)
                log.info("read-only desk login: %s not written by this window", what)
            return None
        return job

    def submit_write(self, what: str, fn: Any) -> Future:
        """A write on the writer's thread (e.g. an audit entry), skipped on a read-only store."""
        return self._writer.submit(self._unless_readonly(what, fn))

    def _after_open(self, future: Future) -> None:
        exc = future.exception()
        if exc is not None:
            self.failed.emit(f"the local store cannot be opened: {error_text(exc)}")
            return
        self.db_path = future.result()
        if self._writer.readonly:
            log.info("%s", READ_ONLY_DETAIL)
            self.readOnly.emit(READ_ONLY_DETAIL)
            self._writer.submit(lambda store: tuple(store.differences)).add_done_callback(self._report_differences)
        budget, name = self._budget, budget_source(self._env, self._base_url)
        if budget is not None:
            self._writer.submit(lambda store: budget.carry_over(store.get_cursor(name)))
        client = getattr(self, "_users_client", None)
        if client is not None and hasattr(client, "know_users"):
            self._writer.submit(lambda store: client.know_users(store.all_refdata(USER).items()))
        self._report_set_aside()
        self._writer.submit(self._unless_readonly("closed days", lambda store: store.close_days())).add_done_callback(
            lambda f: log.warning("closing the past trading days failed: %s", f.exception()) if f.exception() else None)
        env, base_url = self._env, self._base_url
        self._writer.submit(lambda store: load_window_cursor(store, env, base_url)).add_done_callback(
            self._after_cursor)

    def _report_differences(self, future: Future) -> None:
        """Books a read-only open found different from their recompute: said in the banner (the store
        shows what is stored; the capture repairs them when it next opens the store)."""
        found = future.result() if future.exception() is None else ()
        if found:
            names = ", ".join(sorted({f"{d.account} {d.contract}" for d in found}))
            self.failed.emit(f"the desk's stored P&L books of {names} differ from a recompute of their fills "
                             "(read-only login: not repaired; restarting the desk's capture repairs them)")

    def _after_cursor(self, future: Future) -> None:
        cursor: FillCursor | None = None
        exc = future.exception()
        if exc is None and future.result() is not None:
            try:
                cursor = FillCursor.from_dict(future.result())
            except Exception as bad:  # a cursor we cannot read: start from the day's beginning (dedupe holds)
                log.warning("persisted fills cursor ignored: %s", bad)
        elif exc is not None:
            log.warning("persisted fills cursor unreadable: %s", exc)
        self.opened.emit(cursor)

    def stop(self, timeout_s: float = 5.0) -> None:
        if self._writer.alive:
            self._save_budget()
        self._writer.stop(timeout_s)

    def note_accounts(self, accounts: Iterable[str]) -> None:
        """Accounts TT's answers name in this environment (orders, fills, positions): in the scope."""
        new = set(accounts)
        with self._lock:
            if self._env_accounts is None:
                self._pending_accounts |= new
                return
            if new <= self._env_accounts:
                return
            self._env_accounts |= new
            for reads in self._reads.values():
                reads.need_full = True

    def _scope(self, store: Any) -> frozenset[str]:
        """The accounts this window shows (the writer's thread): this environment's and the SOD's."""
        from zn_ladder.store.fills import environment_accounts

        with self._lock:
            if self._env_accounts is None:
                self._env_accounts = set(environment_accounts(store.conn, self._env))
                self._env_accounts |= self._pending_accounts
            known = frozenset(self._env_accounts)
        return known | {lot.account for lot in store.sod_lots()}

    def read_sod_contracts(self) -> None:
        """Emit `sodContracts` with the (contract, market) of every stored SOD lot (writer's thread)."""
        future = self._writer.submit(lambda store: tuple((lot.contract, lot.market) for lot in store.sod_lots()))
        future.add_done_callback(lambda f: self.sodContracts.emit(f.result()) if f.exception() is None else None)

    @property
    def alive(self) -> bool:
        return self._writer.alive

    def fills_query(self) -> FillsQuery | None:
        """Where the fills of the snapshots are stored and which (every contract read, the accounts of the
        last read): the window's fills table pages them from there. None until the store is open."""
        if self.db_path is None or not self.contracts:
            return None
        contracts = self.contracts
        contract: str | frozenset[str] = contracts[0] if len(contracts) == 1 else frozenset(contracts)
        with self._lock:
            account = self._last_account
        return FillsQuery(str(self.db_path), contract, account, self._market)

    # -- what the snapshots cover ----------------------------------------------------------------------
    @property
    def contract(self) -> str | None:
        with self._lock:
            return self._contract

    @property
    def contracts(self) -> tuple[str, ...]:
        """Every contract read, the ladder's first."""
        with self._lock:
            return tuple(self._reads)

    def set_contract(self, contract: str | None) -> None:
        """The ladder's contract (read first); another contract added before stays read."""
        with self._lock:
            changed = contract != self._contract
            if changed and self._contract is not None:
                self._reads.pop(self._contract, None)
            self._contract = contract
            if changed and contract:
                self._reads = {contract: self._reads.get(contract) or _Reads(),
                               **{c: r for c, r in self._reads.items() if c != contract}}
        if changed and contract:
            self.load_curve(contract)
            self.load_days(contract)
            self.refresh(contract=contract)

    def add_contract(self, contract: str) -> None:
        """Read `contract` too (roll week: the next month beside the front); its snapshots follow."""
        with self._lock:
            if contract in self._reads:
                return
            self._reads[contract] = _Reads()
        self.refresh(contract=contract)

    # -- the intraday P&L curve -------------------------------------------------------------------------
    def put_curve(self, points: tuple[Any, ...]) -> Future:
        """Store curve points (`store.curve.CurvePoint`) on the writer thread; a failure is logged and
        reported like any write, the chart itself is unaffected."""
        future = self._writer.submit(self._unless_readonly("the P&L curve", lambda store: store.put_curve(points)))
        future.add_done_callback(lambda f: self._after_write(f, "store the P&L curve", refresh=False))
        return future

    def load_days(self, contract: str) -> Future:
        """Read the contract's closed trading days for the accounts shown; `daysLoaded` follows."""
        account, market = self._account, self._market
        self._days_read_on = trading_day(_now_ns(), self._day_rule)

        def read(store: Any) -> tuple:
            scope = account if account is not None or not self._scoped else self._scope(store)
            return tuple(store.closed_days(scope, contract, market))

        future = self._writer.submit(read)
        future.add_done_callback(lambda f: self.daysLoaded.emit(contract, f.result())
                                 if f.exception() is None else log.warning("closed days unreadable: %s",
                                                                           f.exception()))
        return future

    def load_curve(self, contract: str) -> Future:
        """Read today's stored curve of `contract` for the accounts shown; `curveLoaded` follows."""
        from zn_ladder.store.curve import summed

        account, market = self._account, self._market

        def read(store: Any) -> tuple:
            scope = account if account is not None or not self._scoped else self._scope(store)
            today = trading_day(store.clock(), store.day_rule)
            points = summed(store.curve(today, contract, scope, market))
            return tuple((_EPOCH + timedelta(microseconds=t // 1000), total) for t, total in points)

        future = self._writer.submit(read)
        future.add_done_callback(lambda f: self.curveLoaded.emit(contract, f.result())
                                 if f.exception() is None else log.warning("stored P&L curve unreadable: %s",
                                                                           f.exception()))
        return future

    # -- work -------------------------------------------------------------------------------------------
    def ingest(self, page: Any) -> Future:
        """Persist a `FillsPage` (fills, corrections, cursor) in one transaction, then refresh."""
        self.note_accounts(f.account for f in page.fills)
        future = self._writer.ingest(page.fills, page.corrections, source="tt_api",
                                     cursor=(self.cursor_source, page.cursor.to_dict()), environment=self._env,
                                     quarantined=getattr(page, "quarantined", ()),
                                     users=[(u.user_id, u.refdata()) for u in getattr(page, "users", ())])
        corrections = tuple(page.corrections)
        future.add_done_callback(lambda f: self._after_write(f, "store the new fills", corrections))
        self._save_budget()
        if getattr(page, "quarantined", ()):
            self._report_set_aside()
        return future

    def put_sod(self, lots: tuple[SodLot, ...]) -> Future:
        lots = tuple(lots)
        future = self._writer.submit(self._unless_readonly(
            "TT's start-of-day positions", lambda store: store.put_sod(lots, source="tt_api")))
        future.add_done_callback(lambda f: self._after_write(f, "store the start-of-day positions"))
        return future

    def import_sod(self, setting: str, account_map: tuple[tuple[str, str], ...] = ()) -> Future:
        """Import the Actant SOD file (or the newest of a folder) on the writer thread, its accounts
        mapped by `account_map`; queued before any fills page, so the books start from it.
        `sodImported(SodImport)` follows."""
        from zn_ladder.workers.sod_import import SodImport, import_sod

        future = self._writer.submit(self._unless_readonly("the start-of-day file",
                                                           lambda store: import_sod(store, setting, account_map)))

        def done(f: Future) -> None:  # the writer's thread
            exc = f.exception()
            if exc is None and f.result() is None:
                return  # read-only: the desk's SOD is support's (the note says so)
            result = SodImport(setting, error=error_text(exc)) if exc is not None else f.result()
            self.sodImported.emit(result)
            if result.ok and (result.added or result.replaced):
                self.writes += 1
                self.stored.emit()
                self.refresh(full=True)

        future.add_done_callback(done)
        return future

    def submit(self, fn: Any) -> Future:
        """Any other work on the writer thread (e.g. an audit entry)."""
        return self._writer.submit(fn)

    def _after_write(self, future: Future, what: str, corrections: tuple[Any, ...] = (), *,
                     refresh: bool = True) -> None:
        exc = future.exception()
        if exc is not None:
            log.error("could not %s: %s", what, exc)
            self.failed.emit(f"could not {what}: {error_text(exc)}")
            return
        if not refresh:
            return
        contract = self.contract
        if contract and self._days_read_on != trading_day(_now_ns(), self._day_rule):
            self.load_days(contract)  # a day ended: the write closed it
        self.writes += 1
        since: dict[str, int] = {}
        if corrections:
            since = self._forget_changed(corrections)
        self.stored.emit()
        for contract in self.contracts:
            self.refresh(since=since.get(contract), contract=contract)

    def _forget_changed(self, corrections: tuple[Any, ...]) -> dict[str, int]:
        """Busted fills leave the list now; corrected ones are re-read from their own time on (a
        correction keeps the original's time), per contract. A reference no contract holds means a full
        read of each (it may be of any of them)."""
        from zn_ladder.domain.records import CorrectionKind

        since: dict[str, int] = {}
        with self._lock:
            for corr in corrections:
                found = [(c, r) for c, r in self._reads.items() if corr.ref_key in r.by_key]
                if not found:
                    for reads in self._reads.values():
                        reads.need_full = True
                    continue
                for contract, reads in found:
                    ref = reads.by_key[corr.ref_key]
                    if corr.kind == CorrectionKind.BUST or corr.qty == 0:
                        del reads.by_key[corr.ref_key]
                    else:
                        since[contract] = min(since.get(contract, ref.time_ns), ref.time_ns)
        return since

    def refresh(self, full: bool = False, since: int | None = None, contract: str | None = None) -> None:
        """Read a contract's snapshot (every contract read when None). Fills are read incrementally (the
        last minute again, or from the oldest corrected fill, merged by key); a full read when a
        correction names a fill we do not hold, and every `FULL_EVERY`th read anyway (a late fill older
        than the overlap)."""
        if contract is None:
            for each in self.contracts:
                self.refresh(full, since, each)
            return
        with self._lock:
            reads = self._reads.get(contract)
            if reads is None:
                return
            reads.reads += 1
            full = full or reads.need_full or not reads.by_key or reads.reads % FULL_EVERY == 0
            start = max(0, reads.max_ns - OVERLAP_NS)
            since = None if full else start if since is None else max(0, min(since, start))
        account = self._account
        # Read and merge in one job on the writer's thread: the Future then holds the merged snapshot
        # (shared with the list kept here), never a second copy of every fill as read from SQLite.
        future = self._writer.submit(lambda store: self._read_merged(store, contract, account, since))
        future.add_done_callback(self._after_snapshot)

    def _after_snapshot(self, future: Future) -> None:  # the writer's thread
        exc = future.exception()
        if exc is not None:
            self.failed.emit(f"could not read the local store: {error_text(exc)}")
            return
        if future.result() is not None:
            with self._lock:
                parts = [tuple(r.by_key.values()) for r in self._reads.values()] if len(self._reads) > 1 else []
            if parts:  # roll week: merged here, on the writer's thread, never on the GUI's (100k fills: ~20 ms)
                self.fillsMerged.emit(tuple(sorted((f for part in parts for f in part), key=attrgetter("time_ns"))))
            self.snapshotReady.emit(future.result())

    def _read_merged(self, store: Any, contract: str, account: str | None, since: int | None) -> Any:
        """`since` None: a full read, of the fills within `KEEP_NS` of the newest (the day's list is
        the store's, paged by the window's fills table; this keeps what the ladder and the order
        netting use: the newest fill and the recent ones)."""
        if account is None and self._scoped:
            account = self._scope(store)
        full = since is None
        if since is None:
            since = max(0, newest_fill_ns(store.conn, contract, account, self._market) - KEEP_NS)
        snap = take_snapshot(store.conn, contract, account, since, self._market)
        journal = read_journal(store.conn, contract, account, self._market, rule=store.day_rule)  # here, off the GUI thread
        names = user_names(store.conn)  # a few rows: the users TT has named
        if names:
            snap = replace(snap, fills=tuple(named_fill(f, names) for f in snap.fills))
        with self._lock:
            self._last_account = account
            reads = self._reads.get(contract)
            if reads is None:
                return None  # the ladder moved to another contract meanwhile
            by_key = reads.by_key
            if full:
                old = by_key
                by_key = reads.by_key = {}
                for fill in snap.fills:  # unchanged fills keep their object: the table diff stays cheap
                    kept = old.get(fill.key)
                    by_key[fill.key] = kept if kept == fill else _compact(fill)
                reads.need_full = False
            else:
                ordered = True
                for fill in snap.fills:
                    kept = by_key.get(fill.key)
                    if kept is None:
                        ordered = ordered and fill.time_ns >= reads.max_ns
                        by_key[fill.key] = _compact(fill)
                    elif kept != fill:
                        by_key[fill.key] = _compact(fill)
                if not ordered:  # a late fill older than the newest: keep the time order
                    reads.by_key = by_key = dict(sorted(by_key.items(), key=lambda kv: kv[1].time_ns))
            if by_key:
                reads.max_ns = max(reads.max_ns if not full else 0, next(reversed(by_key.values())).time_ns)
            cut = reads.max_ns - KEEP_NS
            while by_key and next(iter(by_key.values())).time_ns < cut:  # time order: the oldest first
                del by_key[next(iter(by_key))]
            fills = tuple(by_key.values())
        return replace(snap, fills=fills, journal=journal)


def _compact(fill: Fill) -> Fill:
    """The same fill sharing its repeated strings: a busy day holds 100,000+ fills in memory, and each
    read from SQLite makes a fresh string of the account, contract, source and user of every row."""
    intern = sys.intern
    return replace(fill, account=intern(fill.account), contract=intern(fill.contract), source=intern(fill.source),
                   user=intern(fill.user), exec_id=fill.key if fill.exec_id == fill.key else fill.exec_id)
