"""Roll week: a ladder per contract. `ContractLane` is one more contract's scenario and spot beside the
session's first (the ladder's) contract; `Lanes` opens them and routes each input to its lane.

Why lanes and not one scenario over several contracts: each contract walks from its own spot (the next
month trades the roll spread under the front), has its own working orders, fills, SOD and what-ifs,
and its ladder is recomputed only when one of those changes. A lane's scenario runs on its own thread
like the first one (`ScenarioWorker`); its spot on another (`SpotWorker`): the simulator's price of
that contract in the DEMO, a typed spot in every mode (Pricing Monkey's sheet holds one cell, the
front's: the other months walk from their last fill, then their SOD price, until a spot is typed).

What opens a lane: orders or fills of another outright month of the window's product on its market
(the roll), or the trader choosing a contract from the window's "+" menu (those with orders, fills or a
SOD). A calendar spread's own instrument ("ZN Dec26-Mar27") never gets a ladder: its price is a
difference, and TT reports its executions as fills on each leg, which the legs' ladders already hold.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from zn_ladder.domain.instruments import contract_month
from zn_ladder.workers.health import utc_now
from zn_ladder.workers.scenario import HISTORY_EVERY_S, HISTORY_POINTS, ScenarioWorker
from zn_ladder.workers.spot_worker import SpotWorker
from zn_ladder.workers.threads import WorkerThread
from zn_ladder.workers.totals import total_of

log = logging.getLogger(__name__)


def is_outright(contract: str) -> bool:
    """A month of a product ("ZN Mar27"), not a spread or a label: the contracts a ladder opens for."""
    return contract_month(contract) is not None


def by_month(contracts: Iterable[str]) -> list[str]:
    """Contracts front month first (outrights by expiry; anything else after, by name)."""
    return sorted(set(contracts), key=lambda c: (contract_month(c) or (9999, 99), c))


class ContractLane(QObject):
    """One contract's scenario and spot workers, fed through queued signals from the GUI thread."""

    orders = Signal(object)
    what_if = Signal(object)
    store = Signal(object)
    spot = Signal(object, str)
    window = Signal(int, int)

    def __init__(self, product: Any, contract: str, spot_mode: str, spot_s: float,
                 read_price: Callable[[], Any] | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.contract = contract
        self.scenario = ScenarioWorker(product, contract)
        self.spot_worker = SpotWorker(product, spot_mode, spot_s, read_price=read_price)
        self.threads = [WorkerThread(self.scenario), WorkerThread(self.spot_worker)]
        self.orders.connect(self.scenario.set_orders)
        self.what_if.connect(self.scenario.set_what_if)
        self.store.connect(self.scenario.set_store)
        self.spot.connect(self.scenario.set_spot)
        self.window.connect(self.scenario.set_window)
        self.spot_worker.spotReady.connect(self._on_spot)
        #: The spot in force on this contract (a `SpotSnapshot`), or None.
        self.last_spot: Any = None

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    @Slot(object)
    def _on_spot(self, snap: Any) -> None:  # the GUI thread (this object's)
        self.last_spot = snap
        if snap is None:
            self.spot.emit(None, "")
        else:
            self.spot.emit(snap.price, snap.source)


class RollWeek(QObject):
    """The session's other contracts: opens their lanes, routes inputs to them, and adds the contracts'
    P&L into the total. Lives on the GUI thread with its session; does no I/O (routing and sums)."""

    def __init__(self, session: Any) -> None:
        super().__init__(session)
        self._s = session
        self.lanes: dict[str, ContractLane] = {}
        #: Outrights of the window's product and market with orders, fills or a SOD.
        self.known: set[str] = set()
        #: Each lane's last `ScenarioResult` (the ladder's own is the session's `last_result`).
        self.results: dict[str, Any] = {}
        #: Every shown contract's fills in time order, as the store last merged them (`on_merged`).
        self._merged: tuple[Any, ...] | None = None
        self._pnl_of: dict[str, Any] = {}
        self._history: deque[tuple[datetime, Any]] = deque(maxlen=HISTORY_POINTS)
        self._history_at = 0.0

    def shown(self) -> tuple[str, ...]:
        """The contracts with a ladder, the session's (first) one first."""
        first = self._s.contract
        return ((first,) if first else ()) + tuple(self.lanes)

    @property
    def threads(self) -> list[WorkerThread]:
        return [t for lane in self.lanes.values() for t in lane.threads]

    def start(self) -> None:
        for lane in self.lanes.values():
            lane.start()

    def open(self, contract: str) -> None:
        """A ladder for `contract` too (the first contract opened is the session's). Idempotent."""
        s = self._s
        if contract in self.shown() or s.stopped:
            return
        if s.contract is None:
            s._set_contract(contract)
            return
        cfg = s.config
        live_sim = cfg.spot_mode == "simulator" and cfg.sim_price_of is not None
        read = (lambda c=contract: cfg.sim_price_of(c)) if live_sim else None
        lane = ContractLane(cfg.product, contract, "simulator" if live_sim else "manual", cfg.spot_s, read, self)
        lane.scenario.ladderReady.connect(s.ladderReady)
        lane.scenario.pnlReady.connect(self.on_contract_pnl)
        lane.scenario.computed.connect(self._on_computed)
        self.lanes[contract] = lane
        log.info("roll: a ladder for %s beside %s", contract, s.contract)
        if s._ladder_orders is not None:
            lane.orders.emit(s._ladder_orders)
        s.store.add_contract(contract)
        if s.started:
            lane.start()
        s.contractOpened.emit(contract)

    def seen(self, instruments: Iterable[tuple[str, str]], *, open_them: bool = True) -> None:
        """(contract, market) of orders or fills (`open_them`: a ladder each, the roll) or of a SOD
        (listed in the window's "+" menu only)."""
        s = self._s
        ours = {c for c, market in instruments if is_outright(c) and s._ours(c, market)
                and (not s._contracts or c in s._contracts)}
        if not ours <= self.known:
            self.known |= ours
            s.contractsKnown.emit(tuple(by_month(self.known)))
        if open_them and s.contract is not None:
            for contract in by_month(ours):
                self.open(contract)

    def lane(self, contract: str) -> ContractLane | None:
        return self.lanes.get(contract)

    # -- from the window (ui/contract_tabs.py): one contract's what-ifs, typed spot, visible rows ------
    def set_what_if(self, contract: str, orders: Iterable[Any]) -> None:
        lane = self.lanes.get(contract)
        if lane is None:
            self._s.set_what_if(orders)
        else:
            lane.what_if.emit(tuple(orders))

    def set_spot(self, contract: str, price: Any) -> None:
        """A spot typed for one contract's ladder (None: cleared)."""
        lane = self.lanes.get(contract)
        worker = lane.spot_worker if lane is not None else self._s.spot_worker
        if price is None:
            worker.clearRequested.emit()
        else:
            worker.manualRequested.emit(price)

    def set_window(self, contract: str, high: int, low: int) -> None:
        lane = self.lanes.get(contract)
        if lane is None:
            self._s.set_window(high, low)
        else:
            lane.window.emit(high, low)

    def orders(self, working: tuple[Any, ...]) -> None:
        for lane in self.lanes.values():
            lane.orders.emit(working)  # each scenario keeps its own contract's

    @Slot(object)
    def on_merged(self, fills: tuple[Any, ...]) -> None:
        """The store's merge of every contract's fills (its writer thread sorts them, not this one)."""
        self._merged = fills

    def store_fills(self, snap: Any) -> tuple[Any, ...] | None:
        """With a contract's new store snapshot, every shown contract's fills in time order (the fills
        table and the orders' netting); None when `snap` is of a contract no longer shown."""
        if snap.contract not in self.shown():
            return None
        if not self.lanes:
            return snap.fills
        return self._merged if self._merged is not None else snap.fills

    @Slot(object)
    def on_contract_pnl(self, snap: Any) -> None:
        """A contract's P&L: its own out as `contractPnlReady`, the total across the shown ones as
        `pnlReady` (one contract shown: its own numbers and history, as before roll week)."""
        s = self._s
        self._pnl_of[snap.contract] = snap
        # Before the first contract is chosen a scenario walks with none: that snapshot is the total.
        parts = [self._pnl_of[c] for c in self.shown() if c in self._pnl_of] or [snap]
        history: tuple[tuple[datetime, Any], ...] = ()
        if len(parts) > 1:
            total = sum((p.total for p in parts), parts[0].total * 0)
            first = self._pnl_of.get(s.contract)
            if not self._history and first is not None:  # the chart goes on from the first contract's
                self._history.extend(first.history[:-1])
            now, at = time.monotonic(), utc_now()
            if now - self._history_at >= HISTORY_EVERY_S and self._all_read():
                self._history.append((at, total))
                self._history_at = now
            history = (*self._history, (at, total))
        s.contractPnlReady.emit(snap)
        s.pnlReady.emit(total_of(parts, history))

    def _all_read(self) -> bool:
        """Whether every contract's scenario has read a store holding its fills or SOD (the scenario's own
        rule for its history): before, a total would be a fiction (a contract's 0 not yet written) and
        the intraday chart must not draw it. A month with working orders only waits for its first fill."""
        results = [self._s.last_result, *(self.results.get(c) for c in self.lanes)]
        return all(r is not None and r.inputs.store is not None and bool(r.inputs.store.fills or r.inputs.store.sod)
                   for r in results)

    @Slot(object)
    def _on_computed(self, result: Any) -> None:
        self.results[result.inputs.contract] = result
