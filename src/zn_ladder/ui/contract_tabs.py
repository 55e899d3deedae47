"""Roll week in the window: a ladder per contract, as tabs over the ladder dock.

A desk holding the front and the next month (ZN Dec26 and ZN Mar27) reads each on its own ladder: its
own working orders, fills, what-ifs, spot and P&L. Each further contract's ladder is a dock of its own,
tabified with the first ladder's, the tab strip on top; a tab's title is the contract with its position
and P&L ("ZN Mar27  +12  $1,234.38"), so the other month is read without switching to it. Being docks,
a trader who wants them side by side drags a tab out beside the other (or onto another screen), and
the arrangement is saved with the window. The cards, the accounts table and the alerts show the total
across the contracts (`workers/totals.py`).

The "+" button in the toolbar lists the contracts of the product with orders, fills or a SOD; choosing
one brings its ladder to the front, or opens one (a contract with only a SOD is not opened by itself).
The session opens one by itself when orders or fills of another month arrive (the roll).

Typed spot, what-ifs and the visible price window are per contract: the toolbar's spot entry sets the
spot of the ladder in front. Space recenters every ladder. Nothing here computes a number: each pane
draws its contract's `LadderSnapshot`, routed by `LadderSnapshot.contract`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QDockWidget, QMenu, QTabWidget, QToolButton

from zn_ladder.ui import price_style
from zn_ladder.ui.ladder.model import LadderModel
from zn_ladder.ui.ladder_pane import LadderPane
from zn_ladder.ui.money import dollars
from zn_ladder.ui.steady import set_tag
from zn_ladder.workers.snapshots import LadderSnapshot, PnlSnapshot


def tab_title(contract: str, pnl: PnlSnapshot | None) -> str:
    """A ladder's tab: the contract, and once known its position and P&L."""
    if pnl is None:
        return contract
    position = f"{pnl.position:+d}" if pnl.position else "0"
    return f"{contract}  {position}  {dollars(pnl.total)}"


class ContractLadders(QObject):
    """The other contracts' ladder panes of one `MainWindow` (the first contract's is the window's own)."""

    #: To the session (`wire`): a contract's what-ifs, visible price window, typed spot (None: cleared)
    #: and the trader asking for a contract's ladder.
    whatIfChanged = Signal(str, object)
    windowChanged = Signal(str, int, int)
    spotEntered = Signal(str, object)
    openRequested = Signal(str)

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.w = window
        #: The first ladder's contract (the window's own pane), once its first snapshot is drawn.
        self.first = ""
        self.panes: dict[str, LadderPane] = {}
        self.docks: dict[str, QDockWidget] = {}
        self.pnl: dict[str, PnlSnapshot] = {}
        self.known: tuple[str, ...] = ()
        #: The contract whose ladder is in front ("" : the first one), for the toolbar's spot entry.
        self.active = ""
        window.docks.setTabPosition(Qt.DockWidgetArea.AllDockWidgetAreas, QTabWidget.TabPosition.North)
        window.docks.docks["ladder"].visibilityChanged.connect(lambda on: on and self._activate(""))
        window.ladder_view.zoomChanged.connect(lambda size: [p.view.set_font_size(size) for p in self.panes.values()])
        self.button = QToolButton()
        self.button.setObjectName("contractsButton")
        self.button.setText("+ Contract")
        self.button.setToolTip("A ladder for another contract of the product (those with orders, fills or a SOD)")
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu = QMenu(self.button)
        self.menu.aboutToShow.connect(self._fill_menu)
        self.button.setMenu(self.menu)

    # -- session ------------------------------------------------------------------------------------------
    def wire(self, session: Any) -> None:
        """Both ways between these panes and `session` (GUI thread; the session routes to its lanes)."""
        session.contractOpened.connect(self.open)
        session.contractsKnown.connect(self.set_known)
        session.contractPnlReady.connect(self.apply_pnl)
        roll = session.roll
        self.whatIfChanged.connect(roll.set_what_if)
        self.windowChanged.connect(roll.set_window)
        self.spotEntered.connect(roll.set_spot)
        self.openRequested.connect(roll.open)
        for contract in roll.lanes:  # opened before the window was wired
            self.open(contract)

    def connect_spot_entry(self, entry: Any) -> None:
        """The toolbar's typed spot goes to the ladder in front: the first one's through the window's
        own signals (as before roll week), another's through `spotEntered`."""
        entry.spotEntered.connect(lambda price: self.spotEntered.emit(self.active, price) if self.active
                                  else self.w.manualSpotEntered.emit(price))
        entry.spotCleared.connect(lambda: self.spotEntered.emit(self.active, None) if self.active
                                  else self.w.manualSpotCleared.emit())

    # -- panes --------------------------------------------------------------------------------------------
    def open(self, contract: str) -> None:
        """A ladder pane for `contract`, tabbed with the first ladder (or where the saved layout had it)."""
        if contract in self.panes or contract == self.first:
            return
        w = self.w
        model = LadderModel(parent=w)
        pane = LadderPane(model)
        pane.setObjectName(f"ladderPane_{contract.replace(' ', '_')}")
        pane.title.hide()
        pane.what_if.contract = contract
        view = pane.view
        view.whatIfRequested.connect(pane.what_if.add_request)
        view.whatIfRemoveRequested.connect(pane.what_if.remove_at)
        pane.what_if.changed.connect(lambda orders, c=contract: self.whatIfChanged.emit(c, orders))
        model.windowChanged.connect(lambda high, low, c=contract: self.windowChanged.emit(c, high, low))
        pane.recenter_button.clicked.connect(view.recenter)
        pane.units_button.toggled.connect(lambda on: w.units_button.setChecked(on))
        self.panes[contract] = pane
        self._sync(pane)
        docks = w.docks
        dock = QDockWidget(contract, docks)
        dock.setObjectName(f"dock_ladder_{contract.replace(' ', '_')}")
        dock.setWidget(pane)
        dock.setFeatures(docks.docks["ladder"].features())
        self.docks[contract] = dock
        docks.extra_ladders.append(dock)
        if not docks.restoreDockWidget(dock):  # no saved place: a tab beside the first ladder
            docks.tabifyDockWidget(docks.docks["ladder"], dock)
        dock.setWindowTitle(tab_title(contract, self.pnl.get(contract)))
        dock.visibilityChanged.connect(lambda on, c=contract: on and self._activate(c))
        dock.show()
        self._retitle_first()
        w.mismatch.set_other_ladders(tuple(self.panes))

    def _sync(self, pane: LadderPane) -> None:
        """A pane drawn as the first ladder is: theme, font, columns, units, price format."""
        first = self.w.ladder_view
        pane.view.set_theme(self.w.theme())
        pane.view.set_font_size(first.font_size)
        pane.view.set_dense(first.dense)
        pane.view.set_columns(first.columns())
        pane.view.recenter_band = first.recenter_band
        pane.view.auto_recenter = first.auto_recenter
        units = self.w.ladder_model.pnl_units
        pane.view.model.set_pnl_units(units)
        pane.view.model.set_price_style(price_style.current())
        pane.units_button.blockSignals(True)
        pane.units_button.setChecked(units == "ticks")
        pane.units_button.setText(self.w.units_button.text())
        pane.units_button.blockSignals(False)
        pane.what_if.reprint()

    def sync(self) -> None:
        """The display settings changed (theme, units, price format): every other pane follows."""
        for pane in self.panes.values():
            self._sync(pane)

    def _activate(self, contract: str) -> None:
        self.active = contract
        pane = self.panes.get(contract)
        snap = pane.view.model.snapshot if pane is not None else self.w.ladder_model.snapshot
        entry = self.w.spot_entry
        entry.setToolTip(f"Manual spot for {contract or self.first or 'the ladder'}")
        if snap is not None:
            entry.last_good = snap.spot

    # -- snapshots ----------------------------------------------------------------------------------------
    def apply_ladder(self, snap: LadderSnapshot) -> bool:
        """Draw `snap` on its contract's pane; False when it is the first ladder's (the window draws it)."""
        pane = self.panes.get(snap.contract)
        if pane is None:
            if snap.contract and not self.first:
                self.first = snap.contract
            return False
        pane.view.apply_snapshot(snap)
        if self.active == snap.contract:
            self.w.spot_entry.last_good = snap.spot
        return True

    def apply_pnl(self, snap: PnlSnapshot) -> None:
        """A contract's own P&L: its tab's title."""
        self.pnl[snap.contract] = snap
        dock = self.docks.get(snap.contract)
        if dock is not None:
            dock.setWindowTitle(tab_title(snap.contract, snap))
        elif snap.contract == self.first:
            self._retitle_first()

    def first_title(self, contract: str) -> str:
        """The first ladder's dock title: as before roll week, or a tab's title beside other contracts."""
        if not self.panes:
            return f"{contract} scenario ladder"
        return tab_title(contract, self.pnl.get(contract))

    def _retitle_first(self) -> None:
        if self.first:
            self.w.docks.docks["ladder"].setWindowTitle(self.first_title(self.first))

    def set_known(self, contracts: tuple[str, ...]) -> None:
        self.known = tuple(contracts)

    def _fill_menu(self) -> None:
        self.menu.clear()
        shown = {self.first, *self.panes}
        for contract in self.known or tuple(c for c in shown if c):
            action = self.menu.addAction(contract, lambda c=contract: self.show(c))
            action.setCheckable(True)
            action.setChecked(contract in shown and self._dock_of(contract).isVisible())
        if self.menu.isEmpty():
            self.menu.addAction("No other contract has orders, fills or a SOD").setEnabled(False)
        if self.panes:
            self.menu.addSeparator()
            self.menu.addAction("Ladders side by side", lambda: self.arrange(True))
            self.menu.addAction("Ladders as tabs", lambda: self.arrange(False))

    def arrange(self, side_by_side: bool) -> None:
        """Every contract's ladder beside the first one's (front month on the left), or back as tabs."""
        docks = self.w.docks
        first = docks.docks["ladder"]
        if not side_by_side:
            docks.tab_ladders()
            return
        left = first
        for dock in self.docks.values():
            dock.setFloating(False)
            docks.splitDockWidget(left, dock, Qt.Orientation.Horizontal)
            dock.show()
            left = dock

    def _dock_of(self, contract: str) -> QDockWidget:
        return self.docks.get(contract) or self.w.docks.docks["ladder"]

    def show(self, contract: str) -> None:
        """Bring `contract`'s ladder to the front, opening one when it has none yet."""
        if contract != self.first and contract not in self.panes:
            self.openRequested.emit(contract)
            return
        dock = self._dock_of(contract)
        dock.show()
        dock.raise_()
        self._activate("" if contract == self.first else contract)

    def recenter(self) -> None:
        for pane in self.panes.values():
            pane.view.recenter()

    def set_stale(self, text: str) -> None:
        for pane in self.panes.values():
            pane.view.set_stale(text)
            set_tag(pane.stale, text)
