"""The ladder pane: its title line (contract, STALE, "auto-recenter paused", units and Recenter
buttons), the ladder itself and the what-if list under it. One dock of the window (`docks.py`)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from zn_ladder.ui.ladder.model import LadderModel
from zn_ladder.ui.ladder.view import LadderView
from zn_ladder.ui.ladder.whatif import WhatIfPanel
from zn_ladder.ui.steady import stale_tag


class LadderPane(QWidget):
    def __init__(self, model: LadderModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ladderPane")
        self.view = LadderView(model)
        self.what_if = WhatIfPanel()
        lp = QVBoxLayout(self)
        lp.setContentsMargins(0, 0, 0, 0)
        lp.setSpacing(3)
        head = QHBoxLayout()
        self.title = QLabel("Scenario ladder")
        self.title.setObjectName("paneTitle")
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # clips when narrow
        self.title.setMinimumWidth(60)
        head.addWidget(self.title)
        self.stale = stale_tag()  # drawn or not, its room always kept (ui/steady.py)
        head.addWidget(self.stale)
        self.paused = QLabel("recenter paused · Space")
        self.paused.setToolTip("Auto-recenter is paused while you scroll: Space recenters and resumes it")
        self.paused.setObjectName("readOnly")
        self.paused.hide()
        head.addWidget(self.paused)
        head.addStretch(1)
        self.recenter_button = QPushButton("Recenter")
        self.recenter_button.setObjectName("recenterButton")
        self.recenter_button.setToolTip("Put spot in the middle of the ladder (Space)")
        self.recenter_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.units_button = QPushButton("P&&L in $")
        self.units_button.setObjectName("unitsButton")
        self.units_button.setCheckable(True)
        self.units_button.setToolTip("Show projected P&L in dollars or in ticks")
        self.units_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        head.addWidget(self.units_button)
        head.addWidget(self.recenter_button)
        lp.addLayout(head)
        lp.addWidget(self.view, 1)
        lp.addWidget(self.what_if)
        self.view.autoRecenterPausedChanged.connect(self.paused.setVisible)
        # As wide as the ladder's columns and no wider: the other panes get the rest of the window.
        self._fit()
        self.view.columnsChanged.connect(self._fit)
        self.view.zoomChanged.connect(self._fit)

    def _fit(self, *_: object) -> None:
        self.setMaximumWidth(max(self.view.minimumWidth(), 240))
