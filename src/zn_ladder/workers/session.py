"""`Session`: the live data behind the window — TT pollers, spot, store and scenario, wired together.

It lives on the GUI thread but does no I/O there: every poll runs on a worker QThread, every write
on the store's thread, every projection on the scenario thread. What it does on the GUI thread is
routing (a few tuple filters per poll) and judging health once a second. The window is driven only
through the snapshot signals (`ladderReady`, `ordersReady`, `fillsReady`, `pnlReady`,
`statusReady`), so it can be swapped for a test or a headless self-test.

A failing or slow TT never clears what is on screen: the last good snapshots stay, the health board
marks the source stale or failing, and the status strip and banner say since when and why.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.instruments import product_of_contract
from zn_ladder.domain.prices import Price
from zn_ladder.domain.working import net_orders
from zn_ladder.tt.order_status import OrdersFetch
from zn_ladder.workers.desk_feed import attach as attach_desk
from zn_ladder.workers.fills_fetch import FillsFetch
from zn_ladder.workers.health import TT_SOURCES, HealthBoard, utc_now
from zn_ladder.workers.lanes import RollWeek
from zn_ladder.workers.poller import Poller
from zn_ladder.workers.position_check import PositionCheck
from zn_ladder.workers.scenario import ScenarioWorker
from zn_ladder.workers.session_config import SessionConfig
from zn_ladder.workers.session_status import SOURCES, SPOT_LABELS, build_status
from zn_ladder.workers.snapshots import FillsSnapshot, JournalSnapshot, OrdersSnapshot, StatusSnapshot
from zn_ladder.workers.sod_choice import SodChoice
from zn_ladder.workers.spot_worker import SpotWorker
from zn_ladder.workers.store_worker import StoreWorker
from zn_ladder.workers.survival_log import SurvivalLog
from zn_ladder.workers.threads import WorkerThread, stop_all
from zn_ladder.workers.tt_fetch import PositionsFetch

log = logging.getLogger(__name__)

#: How long closing waits for TT requests still in flight before leaving them to finish alone.
CALL_JOIN_S = 1.0
#: Fills this much older than the orders snapshot cannot change its leaves (a clock-skew margin; the
#: netting reads the newest stored fills only, never the whole day on the GUI thread).
NETTING_LOOKBACK_NS = 600 * 1_000_000_000
#: Importable from here as before the split (`SessionConfig`, the status labels).
__all__ = ["CALL_JOIN_S", "SOURCES", "SPOT_LABELS", "Session", "SessionConfig"]


class Session(QObject):
    #: Each contract's ladder (`LadderSnapshot.contract` says whose).
    ladderReady = Signal(object)
    ordersReady = Signal(object)
    fillsReady = Signal(object)
    #: The contract's realized P&L journal as stored (`JournalSnapshot`), after every store read.
    journalReady = Signal(object)
    #: The total across the contracts open (`workers.totals`): the cards, accounts table and alerts.
    pnlReady = Signal(object)
    #: One contract's own P&L (its tab's title): `PnlSnapshot.contract` says whose.
    contractPnlReady = Signal(object)
    #: Roll week: another contract's ladder opened (its name), and every outright of the window's
    #: product and market with orders, fills or a SOD, front month first (the window's "+" menu).
    contractOpened = Signal(str)
    contractsKnown = Signal(object)
    statusReady = Signal(object)
    computed = Signal(object)  # ScenarioResult, for the self-test and benchmarks
    spotReady = Signal(object)  # SpotSnapshot
    daysReady = Signal(object)  # the closed trading days of the ladder's contract (store.days.ClosedDay, ...)
    # to the scenario thread (queued):
    _orders_out = Signal(object)
    _what_if_out = Signal(object)
    _store_out = Signal(object)
    _spot_out = Signal(object, str)
    _window_out = Signal(int, int)
    _contract_out = Signal(object)
    _curve_out = Signal(object, object)

    def __init__(self, config: SessionConfig, *, client: Any = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from zn_ladder.tt.client import TTClient

        self.config = config
        self.client = client or TTClient(config.conn)
        self.health = HealthBoard()
        self._accounts = set(config.accounts)
        self._contracts = tuple(config.contracts)
        self.contract: str | None = config.contracts[0] if config.contracts else None
        self.spot = None
        self.live_spot = None
        self.messages: tuple[str, ...] = ()
        self.last_result: Any = None
        #: The orders as the grid shows them: the last poll net of the fills stored since (domain.working).
        self.last_orders: OrdersSnapshot | None = None
        #: The last orders poll as TT answered it, and when it was received (ns).
        self._polled_orders: OrdersSnapshot | None = None
        self._orders_taken_ns = 0
        self._store_fills: tuple[Any, ...] = ()
        #: Fills of polled orders on another instrument than the ladder's, by key, from the fills pages
        #: (the store snapshot holds the ladder's instrument only): the grid nets those orders too.
        self._other_fills: dict[str, Any] = {}
        self._ladder_orders: tuple[Any, ...] | None = None
        self.last_fills: FillsSnapshot | None = None
        #: Roll week (workers/lanes.py): the other contracts' ladders, each its own scenario and spot.
        self.roll = RollWeek(self)
        self.started = self.stopped = False

        self.fills_fetch = FillsFetch(self.client)
        self.orders_poller = Poller("orders", OrdersFetch(self.client), config.orders_s)
        self.fills_poller = Poller("fills", self.fills_fetch, config.fills_s)
        self.positions_poller = Poller("positions", PositionsFetch(self.client, with_sod=config.fetch_sod),
                                       config.positions_s)
        #: Problems found by the session itself (e.g. a bad SOD file), shown with `messages`.
        self._notes: tuple[str, ...] = ()
        self.spot_worker = SpotWorker(config.product, config.spot_mode, config.spot_s,
                                      read_price=config.sim_price, reader_settings=config.reader_settings)
        self.scenario = ScenarioWorker(config.product, self.contract or "", config.day_rule)
        account = config.accounts[0] if len(config.accounts) == 1 else None
        self.store = StoreWorker(config.db_path, account=account, market=config.market, env=config.conn.env,
                                 base_url=config.conn.base_url, scoped=True, day_rule=config.day_rule, parent=self)
        self.store.track_budget(self.client.budget)
        self.store.track_users(self.client)
        #: The survival curve after each fill of the ladder's contract, logged on the store's thread.
        self.survival_log = SurvivalLog(config.survival)
        self.sod = SodChoice(config.product.symbol, demo=config.demo, put=self.store.put_sod)
        #: The store's positions against TT's after each positions poll and store change (store thread).
        self.position_check = PositionCheck(self.store.submit, include=self._reconciled, parent=self)
        self.last_position_check: Any = None
        self._threads = [WorkerThread(w) for w in (self.orders_poller, self.fills_poller, self.positions_poller,
                                                    self.spot_worker, self.scenario)]
        self._status_timer = QTimer(self)
        self._status_timer.setInterval(int(config.status_interval_s * 1000))
        self._status_timer.timeout.connect(self.emit_status)
        self._wire()
        #: On a desk database the capture polls TT for the desk and this window follows it (desk_feed).
        self.desk = attach_desk(self)

    # -- wiring -----------------------------------------------------------------------------------------
    def _wire(self) -> None:
        # Bound methods of this (GUI-thread) object only: PySide runs a lambda on the emitting thread.
        self.orders_poller.failed.connect(self._orders_failed)
        self.fills_poller.failed.connect(self._fills_failed)
        self.positions_poller.failed.connect(self._positions_failed)
        self.orders_poller.result.connect(self._on_orders)
        self.fills_poller.result.connect(self._on_fills_page)
        self.positions_poller.result.connect(self._on_positions)
        self.spot_worker.spotReady.connect(self._on_spot)
        self.spot_worker.standby.connect(self._on_spot_standby)
        self.spot_worker.failed.connect(self._spot_failed)
        self.store.opened.connect(self._on_store_opened)
        self.store.fillsMerged.connect(self.roll.on_merged)  # before each snapshot: both queued, in order
        self.store.snapshotReady.connect(self._on_store_snapshot)
        self.store.failed.connect(self._store_failed)
        self.store.stored.connect(self._store_ok)
        self.store.sodImported.connect(self._on_sod_imported)
        self.store.sodContracts.connect(self._on_sod_contracts)
        self.store.setAside.connect(self._on_set_aside)
        self.store.curveLoaded.connect(self._on_curve_loaded)
        self.store.daysLoaded.connect(self._on_days_loaded)
        self.position_check.checked.connect(self._on_position_check)
        sc = self.scenario
        self._orders_out.connect(sc.set_orders)
        self._what_if_out.connect(sc.set_what_if)
        self._store_out.connect(sc.set_store)
        self._spot_out.connect(sc.set_spot)
        self._window_out.connect(sc.set_window)
        self._contract_out.connect(sc.set_contract)
        self._curve_out.connect(sc.seed_history)
        sc.curvePoints.connect(self._on_curve_points)
        sc.ladderReady.connect(self.ladderReady)
        sc.pnlReady.connect(self.roll.on_contract_pnl)
        sc.computed.connect(self._on_computed)
        sc.failed.connect(self._scenario_failed)

    def start(self) -> None:
        if self.started:
            return
        self.started = True
        cfg = self.config
        for name, interval in (("orders", cfg.orders_s), ("fills", cfg.fills_s), ("positions", cfg.positions_s),
                               ("spot", cfg.spot_s if cfg.spot_mode != "manual" else 0.0)):
            self.health.configure(name, interval)
        self.store.start()
        if cfg.sod_path:
            self.store.import_sod(cfg.sod_path, cfg.sod_account_map)  # queued before any fills page: the books start from it
        # Without credentials TT cannot answer: its pollers stay off (each poll would only wait out the
        # token retry interval on a call thread) and the three TT sources say why; store, spot and
        # scenario still run, so stored fills and a typed spot still make a ladder.
        tt_pollers = (self.orders_poller, self.fills_poller, self.positions_poller)
        no_tt = not cfg.demo and not cfg.conn.has_credentials
        if self.desk is not None:
            self.desk.start()
        for wt in self._threads:
            if (no_tt or self.desk is not None) and wt.worker in tt_pollers:
                continue
            wt.start()
        self.roll.start()
        if no_tt and self.desk is None:
            for name in ("orders", "fills", "positions"):
                self.health.failed(name, f"no TT credentials for {cfg.env}")
        self._status_timer.start()
        self.emit_status()

    def stop(self, timeout_s: float | None = None, *, then: Callable[[], None] | None = None) -> bool:
        """Stop every worker within `timeout_s` (bounded even when a request hangs); True when all ended.

        `then` runs once the worker threads have ended, before waiting for requests still in flight
        (the demo stops its simulator there, which ends those requests at once).
        """
        if self.stopped or not self.started:
            self.stopped = True
            return True
        self.stopped = True
        import time

        timeout_s = self.config.stop_timeout_s if timeout_s is None else timeout_s
        deadline = time.monotonic() + timeout_s
        self._status_timer.stop()
        if self.desk is not None:
            self.desk.stop(timeout_s)
        ok = stop_all(self.threads, timeout_s)
        if then is not None:
            then()
        # An abandoned call is a daemon thread that ends with its request: worth a short wait only.
        calls_deadline = min(deadline, time.monotonic() + CALL_JOIN_S)
        for poller in (self.orders_poller, self.fills_poller, self.positions_poller):
            poller.calls.join(max(0.0, calls_deadline - time.monotonic()))
        self.store.stop(max(0.5, deadline - time.monotonic()))
        ok = ok and not self.store.alive
        try:
            self.client.close()
        except Exception:  # closing a pooled session must not stop the shutdown
            log.exception("closing the TT client")
        return ok

    @property
    def threads(self) -> list[WorkerThread]:
        return list(self._threads) + self.roll.threads

    # -- inputs from the window -----------------------------------------------------------------------
    @Slot(object)
    def set_what_if(self, orders: Iterable[Any]) -> None:
        self._what_if_out.emit(tuple(orders))

    @Slot(object)
    def set_manual_spot(self, price: Price) -> None:
        self.spot_worker.manualRequested.emit(price)

    @Slot()
    def clear_manual_spot(self) -> None:
        self.spot_worker.clearRequested.emit()

    @Slot(int, int)
    def set_window(self, high: int, low: int) -> None:
        self._window_out.emit(high, low)

    def apply_settings(self, settings: Any, intervals: dict[str, float] | None = None) -> None:
        """What can change without a restart: intervals (not in the demo; `intervals` overrides the
        settings', e.g. after a budget check) and the account/contract filters."""
        if not self.config.demo:
            p = settings.polling
            iv = intervals or {"orders_s": p.orders_s, "fills_s": p.fills_s, "positions_s": p.positions_s,
                               "spot_s": p.spot_s}
            for name, poller in (("orders", self.orders_poller), ("fills", self.fills_poller),
                                 ("positions", self.positions_poller)):
                seconds = float(iv[f"{name}_s"])
                self.health.configure(name, seconds)
                poller.intervalRequested.emit(seconds)
            self.spot_worker.intervalRequested.emit(float(iv["spot_s"]))
        self._accounts = set(settings.tt.accounts)
        self.survival_log.settings = getattr(settings, "survival", self.survival_log.settings)
        contracts = tuple(settings.tt.contracts)
        if contracts != self._contracts:
            self._contracts = contracts
            if contracts:
                self._set_contract(contracts[0])

    # -- results from the workers (GUI thread) ------------------------------------------------------------
    def _failed(self, name: str, message: str) -> None:
        if self.health.failed(name, message):
            log.warning("%s failing: %s", name, message)
            self.emit_status()

    @Slot(str)
    def _orders_failed(self, message: str) -> None:
        self._failed("orders", message)

    @Slot(str)
    def _fills_failed(self, message: str) -> None:
        self._failed("fills", message)

    @Slot(str)
    def _positions_failed(self, message: str) -> None:
        self._failed("positions", message)

    @Slot(str)
    def _spot_failed(self, message: str) -> None:
        self._failed("spot", message)

    @Slot(str)
    def _store_failed(self, message: str) -> None:
        self._failed("store", message)

    @Slot()
    def _store_ok(self) -> None:
        self._ok("store")

    @Slot(str)
    def _scenario_failed(self, message: str) -> None:
        log.warning("%s", message)

    def _ok(self, name: str) -> None:
        if self.desk is not None and name in TT_SOURCES:
            return  # the capture's heartbeat says how the TT feeds are (desk_feed)
        first = self.health.health(name).last_ok_at is None
        if self.health.ok(name):
            log.info("%s recovered", name)
            self.emit_status()
        elif first:
            self.emit_status()  # the first data of a source: "connecting" becomes "connected" at once

    def _account_ok(self, account: str) -> bool:
        return not self._accounts or account in self._accounts

    def _ours(self, contract: str, market: str | None = None) -> bool:
        """The window's product, and its market when one is named (an instrument on another market is
        another book: ZN Sep25 on CME_Delayed never mixes into ZN Sep25 on CME)."""
        if market is not None and market != self.config.market:
            return False
        try:
            return product_of_contract(contract) is self.config.product
        except InputError:
            return False

    def _choose_contract(self, contracts: Iterable[tuple[str, str]]) -> None:
        """The contract with most (contract, market) records of the window's product and market."""
        if self.contract is not None:
            return
        counts: dict[str, int] = {}
        for c, market in contracts:
            if self._ours(c, market):
                counts[c] = counts.get(c, 0) + 1
        if counts:
            self._set_contract(max(counts, key=lambda c: counts[c]))

    def _set_contract(self, contract: str) -> None:
        self.contract = contract
        log.info("ladder contract: %s", contract)
        self._contract_out.emit(contract)
        self.store.set_contract(contract)

    @Slot(object)
    def _on_orders(self, result: Any) -> None:
        self._ok("orders")
        self.store.note_accounts(o.account for o in result.orders)
        orders = tuple(o for o in result.orders if self._account_ok(o.account) and o.market == self.config.market
                       and (not self._contracts or o.contract in self._contracts))
        self._choose_contract((o.contract, o.market) for o in orders)
        self.roll.seen((o.contract, o.market) for o in orders)
        self._polled_orders = OrdersSnapshot(
            orders, datetime.fromtimestamp(result.received_ns / 1e9, tz=utc_now().tzinfo), tuple(result.warnings))
        self._orders_taken_ns = result.received_ns
        self._ladder_orders = None
        ids = {o.order_id for o in orders}
        self._other_fills = {k: f for k, f in self._other_fills.items() if f.order_id in ids}
        self._publish_orders()

    def _publish_orders(self) -> None:
        """The last orders poll net of the fills stored since it (DESIGN §3.4, issue 12): the grid shows
        an order filled since the poll as filled, and the ladder applies only what is still working, so
        no contract is counted both in POSITION and in a working order."""
        polled = self._polled_orders
        if polled is None:
            return
        bound = self._orders_taken_ns - NETTING_LOOKBACK_NS
        recent = []
        for fill in reversed(self._store_fills):  # time order: the newest are at the end
            if fill.time_ns < bound:
                break
            recent.append(fill)
        recent.extend(self._other_fills.values())
        nets = net_orders(polled.orders, recent, self._orders_taken_ns)
        working = tuple(w for n in nets if (w := n.working) is not None)
        if self._ladder_orders is not None and working == self._ladder_orders:
            return  # nothing new filled of an order since the last publication
        self._ladder_orders = working
        self.last_orders = OrdersSnapshot(tuple(n.shown for n in nets), polled.received_at, polled.warnings)
        self.ordersReady.emit(self.last_orders)
        self._orders_out.emit(working)
        self.roll.orders(working)

    @Slot(object)
    def _on_fills_page(self, page: Any) -> None:
        self._ok("fills")
        self._choose_contract((f.contract, f.market) for f in page.fills if self._account_ok(f.account))
        self.roll.seen((f.contract, f.market) for f in page.fills if self._account_ok(f.account))
        self._note_other_fills(page.fills)
        if not page.fills and not page.corrections:
            if self.last_fills is None:  # no fill today so far: say so, so the first one is news
                self.last_fills = FillsSnapshot((), utc_now())
                self.fillsReady.emit(self.last_fills)
            return  # nothing to persist; a restart re-reads from the stored cursor (the store dedupes)
        future = self.store.ingest(page)
        fetch = self.fills_fetch

        def done(f: Any) -> None:
            if f.exception() is None:
                fetch.persisted(page.cursor)
            else:
                fetch.rewind()

        future.add_done_callback(done)

    def _note_other_fills(self, fills: Iterable[Any]) -> None:
        """Fills of polled orders on another instrument than the ladder's: the store snapshot never
        brings them, so the grid takes them from the page (the ladder's own come with POSITION)."""
        polled = self._polled_orders
        if polled is None:
            return
        shown = self.roll.shown()
        ids = {o.order_id for o in polled.orders if o.contract not in shown or o.market != self.config.market}
        new = {f.key: f for f in fills if f.order_id in ids and f.key not in self._other_fills}
        if new:
            self._other_fills.update(new)
            self._publish_orders()

    @Slot(object)
    def _on_positions(self, result: tuple[Any, Any]) -> None:
        self._ok("positions")
        positions, sod = result
        self.store.note_accounts([p.account for p in positions] + [lot.account for lot in sod or ()])
        if sod:
            self.sod.tt_read(tuple(lot for lot in sod if self._account_ok(lot.account) and lot.qty))
        self.tt_positions = positions
        self.position_check.tt_polled(positions)

    @Slot(object)
    def _on_set_aside(self, entries: tuple[Any, ...]) -> None:
        """TT fill records kept unreadable: said in the banner until the fill arrives whole (never a
        silent log line; the store keeps their raw text)."""
        names = ", ".join(e.name for e in entries[:3]) + (f" and {len(entries) - 3} more" if len(entries) > 3 else "")
        note = (f"{len(entries)} TT fill record(s) set aside as unreadable ({names}): kept in the store's "
                "quarantine and asked for again at the next start")
        self._notes = tuple(n for n in self._notes if "set aside as unreadable" not in n) + (note,)
        self.emit_status()

    @Slot(object)
    def _on_sod_contracts(self, held: tuple[tuple[str, str], ...]) -> None:
        """Before the first order or fill: the stored SOD names the ladder's contract (a trader at 06:59
        sees the start-of-day position, not a flat book)."""
        self._choose_contract(held)
        self.roll.seen(held, open_them=False)

    @Slot(object)
    def _on_sod_imported(self, result: Any) -> None:
        self.store.read_sod_contracts()
        problem = self.sod.file_read(result)
        if problem is not None:
            self._notes += (problem,)
            self.emit_status()

    @property
    def _sod_imported(self) -> bool:
        """Whether the desk's SOD file was imported for this product (TT's SOD is then not stored)."""
        return self.sod.file_imported

    def _reconciled(self, account: str, contract: str) -> bool:
        """The positions the window reconciles: its accounts and its product (any thread)."""
        return self._account_ok(account) and self._ours(contract)

    @Slot(object)
    def _on_position_check(self, result: Any) -> None:
        changed = (self.last_position_check is None
                   or result.differences != self.last_position_check.differences)
        self.last_position_check = result
        if changed:
            self.emit_status()

    @Slot(object)
    def _on_store_opened(self, cursor: Any) -> None:
        self.fills_fetch.set_start(cursor)
        self.store.read_sod_contracts()

    @Slot(object)
    def _on_store_snapshot(self, snap: Any) -> None:
        self._ok("store")
        shown = self.roll.store_fills(snap)  # every shown contract's fills, in time order
        if shown is None:
            return  # a contract no longer shown
        if snap.contract == self.contract:
            self.sod.store_read(snap)
        self.position_check.store_changed()
        self._store_fills = shown
        fills = tuple(reversed(shown))
        self._log_survival(snap)
        self._publish_orders()  # before the store snapshot reaches the scenario: one projection of both
        lane = self.roll.lane(snap.contract)
        if lane is None:
            self._store_out.emit(snap)
        else:
            lane.store.emit(snap)
        if not fills and self.last_fills is None:
            # Nothing stored yet (the contract was chosen before the first fills page was written): an
            # empty first snapshot would make the window announce every fill of the day as new.
            return
        self.last_fills = FillsSnapshot(fills, utc_now(), query=self.store.fills_query())
        self.fillsReady.emit(self.last_fills)
        if snap.contract == self.contract:
            self.journalReady.emit(JournalSnapshot(tuple(snap.journal), utc_now()))

    def _log_survival(self, snap: Any) -> None:
        """The survival curve after each new fill, into the store (its thread: `workers.survival_log`)."""
        survival = self.survival_log
        future = self.store.submit_write("the survival log", lambda store: survival.update(store, snap))
        future.add_done_callback(lambda f: log.warning("survival log not written: %s", f.exception())
                                 if f.exception() is not None else None)

    @Slot(object)
    def _on_spot(self, snap: Any) -> None:
        if snap is None:  # a typed spot cleared with no live spot: the ladder walks from the last fill
            self.spot = None
            self._spot_out.emit(None, "")
            self.emit_status()
            return
        if snap.source == "last_good":
            self._failed("spot", snap.error or "the live spot source failed")
        elif snap.source != "manual" or self.config.spot_mode == "manual":
            self._ok("spot")
        self.spot = snap
        self.spotReady.emit(snap)
        self._spot_out.emit(snap.price, snap.source)
        if snap.source == "manual":
            self.emit_status()  # MANUAL on the strip at once

    @Slot(object)
    def _on_spot_standby(self, snap: Any) -> None:
        """A live read while a typed spot is in force: the source is healthy, its value not used."""
        self._ok("spot")
        self.live_spot = snap

    @Slot(object, object)
    def _on_curve_loaded(self, contract: str, points: Any) -> None:
        self._curve_out.emit(contract, points)

    @Slot(object, object)
    def _on_days_loaded(self, contract: str, days: Any) -> None:
        if contract == self.contract:
            self.daysReady.emit(days)

    @Slot(object)
    def _on_curve_points(self, points: Any) -> None:
        """The scenario's curve points, handed to the store's writer (never written here)."""
        self.store.put_curve(points)

    @Slot(object)
    def _on_computed(self, result: Any) -> None:
        self.last_result = result
        self.computed.emit(result)

    # -- status -----------------------------------------------------------------------------------------
    def status(self) -> StatusSnapshot:
        return build_status(self.config, self.health, self.client, result=self.last_result, spot=self.spot,
                            check=self.last_position_check, messages=self.messages + self._notes,
                            orders=self.last_orders,
                            desk_requests=self.desk.requests_today if self.desk is not None else None)

    @Slot()
    def emit_status(self) -> None:
        self.statusReady.emit(self.status())
