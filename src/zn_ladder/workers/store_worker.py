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
from collections.abc import Iterable
from concurrent.futures import Future
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from zn_ladder.domain.records import Fill, SodLot
from zn_ladder.store.fill_pages import newest_fill_ns
from zn_ladder.store.snapshot import take_snapshot
from zn_ladder.store.writer import StoreWriter
from zn_ladder.tt.budget import budget_source
from zn_ladder.tt.fills_cursor import FillCursor, cursor_source
from zn_ladder.workers.poller import error_text
from zn_ladder.workers.snapshots import FillsQuery
from zn_ladder.workers.window_cursor import load_window_cursor

log = logging.getLogger(__name__)

#: An incremental read goes back this far (ns) before the newest fill it has, for late arrivals.
OVERLAP_NS = 60_000_000_000
#: Every so many reads is a full one, whatever happened.
FULL_EVERY = 300
#: The snapshots hold the fills this close (ns) to the newest: what the ladder (the last fill's price)
#: and the order netting (fills since an orders poll, less a margin) use. The day's fills stay in the
#: store, whose fills table pages them (ui/fills_model.py): memory is flat in the day's fills.
KEEP_NS = 30 * 60 * 1_000_000_000


class StoreWorker(QObject):
    #: A `ContractSnapshot` (fills, SOD, P&L per method) read after the last write.
    snapshotReady = Signal(object)
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

    def __init__(self, path: Path | str | None, *, account: str | None = None, market: str | None = None,
                 env: str = "ext_prod_sim", base_url: str = "", scoped: bool = False,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._writer = StoreWriter(path, name="zn-store-writer")
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
        # The contract's fills as last read, by key, in time order (touched under the lock only).
        self._by_key: dict[str, Any] = {}
        self._max_ns = 0
        self._need_full = True
        self._reads = 0
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

    def _report_set_aside(self) -> None:
        env = self._env
        future = self._writer.submit(lambda store: tuple(store.quarantined(env)))
        future.add_done_callback(lambda f: self.setAside.emit(f.result())
                                 if f.exception() is None and f.result() else None)

    def _save_budget(self) -> None:
        budget = self._budget
        if budget is not None:
            name = budget_source(self._env, self._base_url)
            self._writer.submit(lambda store: store.put_cursor(name, budget.saved()))

    def _after_open(self, future: Future) -> None:
        exc = future.exception()
        if exc is not None:
            self.failed.emit(f"the local store cannot be opened: {error_text(exc)}")
            return
        self.db_path = future.result()
        budget, name = self._budget, budget_source(self._env, self._base_url)
        if budget is not None:
            self._writer.submit(lambda store: budget.carry_over(store.get_cursor(name)))
        self._report_set_aside()
        env, base_url = self._env, self._base_url
        self._writer.submit(lambda store: load_window_cursor(store, env, base_url)).add_done_callback(
            self._after_cursor)

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
            self._need_full = True

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

    def fills_query(self, contract: str) -> FillsQuery | None:
        """Where the fills of the snapshots are stored and which (the accounts of the last read): the
        window's fills table pages them from there. None until the store is open."""
        if self.db_path is None:
            return None
        with self._lock:
            account = self._last_account
        return FillsQuery(str(self.db_path), contract, account, self._market)

    # -- what the snapshots cover ----------------------------------------------------------------------
    @property
    def contract(self) -> str | None:
        with self._lock:
            return self._contract

    def set_contract(self, contract: str | None) -> None:
        with self._lock:
            changed = contract != self._contract
            self._contract = contract
            if changed:
                self._by_key, self._max_ns, self._need_full = {}, 0, True
        if changed and contract:
            self.refresh()

    # -- work -------------------------------------------------------------------------------------------
    def ingest(self, page: Any) -> Future:
        """Persist a `FillsPage` (fills, corrections, cursor) in one transaction, then refresh."""
        self.note_accounts(f.account for f in page.fills)
        future = self._writer.ingest(page.fills, page.corrections, source="tt_api",
                                     cursor=(self.cursor_source, page.cursor.to_dict()), environment=self._env,
                                     quarantined=getattr(page, "quarantined", ()))
        corrections = tuple(page.corrections)
        future.add_done_callback(lambda f: self._after_write(f, "store the new fills", corrections))
        self._save_budget()
        if getattr(page, "quarantined", ()):
            self._report_set_aside()
        return future

    def put_sod(self, lots: tuple[SodLot, ...]) -> Future:
        future = self._writer.put_sod(lots, source="tt_api")
        future.add_done_callback(lambda f: self._after_write(f, "store the start-of-day positions"))
        return future

    def import_sod(self, setting: str, account_map: tuple[tuple[str, str], ...] = ()) -> Future:
        """Import the Actant SOD file (or the newest of a folder) on the writer thread, its accounts
        mapped by `account_map`; queued before any fills page, so the books start from it.
        `sodImported(SodImport)` follows."""
        from zn_ladder.workers.sod_import import SodImport, import_sod

        future = self._writer.submit(lambda store: import_sod(store, setting, account_map))

        def done(f: Future) -> None:  # the writer's thread
            exc = f.exception()
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

    def _after_write(self, future: Future, what: str, corrections: tuple[Any, ...] = ()) -> None:
        exc = future.exception()
        if exc is not None:
            log.error("could not %s: %s", what, exc)
            self.failed.emit(f"could not {what}: {error_text(exc)}")
            return
        self.writes += 1
        since = None
        if corrections:
            since = self._forget_changed(corrections)
        self.stored.emit()
        self.refresh(since=since)

    def _forget_changed(self, corrections: tuple[Any, ...]) -> int | None:
        """Busted fills leave the list now; corrected ones are re-read from their own time on (a
        correction keeps the original's time). A reference we do not hold means a full read."""
        from zn_ladder.domain.records import CorrectionKind

        since: int | None = None
        with self._lock:
            for corr in corrections:
                ref = self._by_key.get(corr.ref_key)
                if ref is None:
                    self._need_full = True
                    continue
                if corr.kind == CorrectionKind.BUST or corr.qty == 0:
                    del self._by_key[corr.ref_key]
                else:
                    since = ref.time_ns if since is None else min(since, ref.time_ns)
        return since

    def refresh(self, full: bool = False, since: int | None = None) -> None:
        """Read the contract's snapshot. Fills are read incrementally (the last minute again, or from the
        oldest corrected fill, merged by key); a full read when a correction names a fill we do not
        hold, and every `FULL_EVERY`th read anyway (a late fill older than the overlap)."""
        contract = self.contract
        if not contract:
            return
        with self._lock:
            self._reads += 1
            full = full or self._need_full or not self._by_key or self._reads % FULL_EVERY == 0
            start = max(0, self._max_ns - OVERLAP_NS)
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
        with self._lock:
            self._last_account = account
            if contract != self._contract:
                return None  # the ladder moved to another contract meanwhile
            by_key = self._by_key
            if full:
                old = by_key
                by_key = self._by_key = {}
                for fill in snap.fills:  # unchanged fills keep their object: the table diff stays cheap
                    kept = old.get(fill.key)
                    by_key[fill.key] = kept if kept == fill else _compact(fill)
                self._need_full = False
            else:
                ordered = True
                for fill in snap.fills:
                    kept = by_key.get(fill.key)
                    if kept is None:
                        ordered = ordered and fill.time_ns >= self._max_ns
                        by_key[fill.key] = _compact(fill)
                    elif kept != fill:
                        by_key[fill.key] = _compact(fill)
                if not ordered:  # a late fill older than the newest: keep the time order
                    self._by_key = by_key = dict(sorted(by_key.items(), key=lambda kv: kv[1].time_ns))
            if by_key:
                self._max_ns = max(self._max_ns if not full else 0, next(reversed(by_key.values())).time_ns)
            cut = self._max_ns - KEEP_NS
            while by_key and next(iter(by_key.values())).time_ns < cut:  # time order: the oldest first
                del by_key[next(iter(by_key))]
            fills = tuple(by_key.values())
        return replace(snap, fills=fills)


def _compact(fill: Fill) -> Fill:
    """The same fill sharing its repeated strings: a busy day holds 100,000+ fills in memory, and each
    read from SQLite makes a fresh string of the account, contract, source and user of every row."""
    intern = sys.intern
    return replace(fill, account=intern(fill.account), contract=intern(fill.contract), source=intern(fill.source),
                   user=intern(fill.user), exec_id=fill.key if fill.exec_id == fill.key else fill.exec_id)
