"""The window's panes as Qt docks: ladder, summary, orders, fills, journal, accounts, charts, closed days.

A trader arranges them (drag a title bar to dock elsewhere, float it on another screen, close it and
bring it back from View › Panes); the arrangement is saved with the window (`window.ini`), and can be
saved under a name and recalled (View › Layouts). Two layouts are built in: *Full* (the ladder on the
left, the summary on top, orders, fills (with the realized P&L journal as a tab beside them), the accounts
table and charts stacked on the right, the closed trading days in a tab behind the charts) and *Compact ladder* (the
ladder alone, narrow enough for a 400 px column beside MD Trader).

The docks live in an inner QMainWindow so the banner above them spans the whole window whatever the
arrangement; the outer window keeps the menu, toolbar and status strip.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

PANES = ("ladder", "summary", "orders", "fills", "journal", "accounts", "charts", "days")
TITLES = {"ladder": "Ladder", "summary": "Position && P&&L", "orders": "Working orders", "fills": "Fills",
          "journal": "Realized P&&L journal", "accounts": "Position && P&&L by account", "charts": "Charts",
          "days": "Closed trading days"}
#: Bumped when the docks change, so an older saved arrangement is not forced onto new panes.
STATE_VERSION = 3
#: The panes each version added: a layout the trader saved by name under an older version is still
#: restored, with these closed (View › Panes opens them), rather than refused.
ADDED_IN = {2: ("accounts",), 3: ("journal", "days")}


class PaneDocks(QMainWindow):
    def __init__(self, panes: dict[str, QWidget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("paneDocks")
        self.setWindowFlags(Qt.WindowType.Widget)
        self.setDockNestingEnabled(True)
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowNestedDocks
                            | QMainWindow.DockOption.AllowTabbedDocks)
        # Every pane is a dock, so the central widget is an empty placeholder, hidden: the dock areas
        # share the whole space (QMainWindow needs a central widget to lay out its docks).
        placeholder = QWidget(self)
        placeholder.setObjectName("noCentralPane")
        placeholder.setMaximumSize(0, 0)
        self.setCentralWidget(placeholder)
        placeholder.hide()
        for corner in (Qt.Corner.TopLeftCorner, Qt.Corner.TopRightCorner):
            self.setCorner(corner, Qt.DockWidgetArea.TopDockWidgetArea)
        self.docks: dict[str, QDockWidget] = {}
        #: Roll week: the other contracts' ladders (ui/contract_tabs.py), kept as tabs of the ladder's.
        self.extra_ladders: list[QDockWidget] = []
        for name in PANES:
            dock = QDockWidget(TITLES[name], self)  # "&&": a dock title reads & as a mnemonic
            dock.setObjectName(f"dock_{name}")
            dock.setWidget(panes[name])
            dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                             | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                             | QDockWidget.DockWidgetFeature.DockWidgetClosable)
            self.docks[name] = dock
        self.full_layout()

    def full_layout(self, ladder_width: int | None = None) -> None:
        """Ladder left, summary across the top, orders over fills over charts on the right."""
        d = self.docks
        for dock in d.values():
            dock.setFloating(False)
            self.removeDockWidget(dock)
        self.addDockWidget(Qt.DockWidgetArea.TopDockWidgetArea, d["summary"])
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, d["ladder"])
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, d["orders"])
        self.splitDockWidget(d["orders"], d["fills"], Qt.Orientation.Vertical)
        self.splitDockWidget(d["fills"], d["accounts"], Qt.Orientation.Vertical)
        self.splitDockWidget(d["accounts"], d["charts"], Qt.Orientation.Vertical)
        self.tab_ladders()
        self.tabifyDockWidget(d["fills"], d["journal"])  # a tab beside the fills: no pane gets smaller
        self.tabifyDockWidget(d["charts"], d["days"])
        for dock in d.values():
            dock.show()
        d["fills"].raise_()
        d["charts"].raise_()  # the closed days are a tab behind the charts
        width = ladder_width or d["ladder"].widget().sizeHint().width()
        self.resizeDocks([d["ladder"]], [width + 12], Qt.Orientation.Horizontal)
        accounts = d["accounts"].widget().sizeHint().height() + 24  # + the dock's title bar
        self.resizeDocks([d["orders"], d["fills"], d["accounts"], d["charts"]], [250, 210, accounts, 180],
                         Qt.Orientation.Vertical)

    def compact_layout(self) -> None:
        """The ladder alone (every other pane closed; View › Panes brings one back)."""
        d = self.docks
        d["ladder"].setFloating(False)
        if self.dockWidgetArea(d["ladder"]) == Qt.DockWidgetArea.NoDockWidgetArea:
            self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, d["ladder"])
        for name, dock in d.items():
            dock.setVisible(name == "ladder")
        self.tab_ladders()

    def tab_ladders(self) -> None:
        """The other contracts' ladders as tabs of the ladder's dock, the first contract's in front."""
        for dock in self.extra_ladders:
            dock.setFloating(False)
            self.tabifyDockWidget(self.docks["ladder"], dock)
            dock.show()
        if self.extra_ladders:
            self.docks["ladder"].raise_()

    def visible_panes(self) -> list[str]:
        return [name for name, dock in self.docks.items() if dock.isVisibleTo(self)]

    def state(self) -> QByteArray:
        return self.saveState(STATE_VERSION)

    def restore(self, state: QByteArray | bytes | None, *, older: bool = False) -> bool:
        """The arrangement `state` describes, if it is of this version. With `older` (a layout saved by
        name), one of an older version too, the panes added since then closed."""
        if not state:
            return False
        if self.restoreState(QByteArray(state), STATE_VERSION):
            return True
        if not older:
            return False
        for version in range(STATE_VERSION - 1, 0, -1):
            if self.restoreState(QByteArray(state), version):
                for v in range(version + 1, STATE_VERSION + 1):
                    for name in ADDED_IN.get(v, ()):
                        self.docks[name].hide()
                return True
        return False
