"""The main window: the ladder in the centre, orders, fills, summary, charts and status around it.

The window is a pure renderer driven through slots with immutable snapshots (`apply_ladder`,
`apply_orders`, `apply_fills`, `apply_pnl`, `apply_status`); it never opens a socket, a file (other
than its own QSettings ini) or a browser, and never computes a ladder number. What the trader asks for
goes out as signals: what-if orders to project, a manual spot, a recenter, the settings dialog. The
owner (app.py) wires those to the workers. It is read-only: nothing here can send an order to TT.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractSpinBox, QApplication, QLabel, QLineEdit, QMainWindow,
                               QMessageBox, QPlainTextEdit, QSizePolicy, QTextEdit, QVBoxLayout, QWidget)

from zn_ladder import __version__
from zn_ladder.ui import persist, price_style
from zn_ladder.ui.accounts_table import AccountsTable
from zn_ladder.ui.alerts import AlertBanner, AlertCenter
from zn_ladder.ui.charts import Charts
from zn_ladder.ui.contract_tabs import ContractLadders
from zn_ladder.ui.docks import PaneDocks
from zn_ladder.ui.fills_model import PagedFillsModel
from zn_ladder.ui.instrument_note import InstrumentNote
from zn_ladder.ui.ladder.model import LadderModel
from zn_ladder.ui.ladder_pane import LadderPane
from zn_ladder.ui.layouts import NamedLayouts, WindowLayouts
from zn_ladder.ui.notify import FillNotifier
from zn_ladder.ui.spot_entry import SpotEntry
from zn_ladder.ui.report_menu import ReportAction
from zn_ladder.ui.status import StatusBanner, StatusStrip, problem_line
from zn_ladder.ui.steady import BannerSlot, set_tag
from zn_ladder.ui.summary import SummaryStrip
from zn_ladder.ui.table_columns import DAY_COLUMNS, JOURNAL_COLUMNS, day_key, journal_key
from zn_ladder.ui.ladder.survival import SurvivalOverlay
from zn_ladder.ui.tables import FILL_COLUMNS, ORDER_COLUMNS, RecordTable, fill_key, order_key
from zn_ladder.ui.theme import Theme, get_theme, style_sheet, with_colours
from zn_ladder.workers.snapshots import (FillsQuery, FillsSnapshot, JournalSnapshot, LadderSnapshot, OrdersSnapshot,
                                        PnlSnapshot, StatusSnapshot)

log = logging.getLogger(__name__)

READ_ONLY = "READ-ONLY · zn_ladder never sends, changes or cancels orders in TT"
#: Which panes show data from which source, for STALE marking.
_PANES_OF = {"orders": ("ladder", "orders"), "fills": ("fills", "summary", "accounts"),
             "positions": ("summary", "accounts"), "spot": ("ladder", "summary", "accounts")}


class MainWindow(QMainWindow):
    whatIfChanged = Signal(object)  # tuple[WorkingOrder(what_if=True), ...]
    manualSpotEntered = Signal(object)  # Price
    manualSpotCleared = Signal()
    settingsRequested = Signal()
    recenterRequested = Signal()
    #: The ladder's visible price window moved: (high tick, low tick). Project at least this range.
    ladderWindowChanged = Signal(int, int)
    #: The trader changed a display setting from the window (View menu, zoom keys, units button, Alerts
    #: menu): (settings key, value as text), e.g. ("ladder.font_size", "13"). The owner saves it to the
    #: settings file, the one source of truth for them; the window's own ini keeps only the layout.
    displaySettingChanged = Signal(str, str)
    #: An alert fired or was acknowledged: (audit event, detail) for the store's audit log (ui/alerts.py).
    alertAudit = Signal(str, object)

    def __init__(self, settings: Any = None, *, ui_state: QSettings | Path | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle("zn_ladder — scenario ladder (read-only)")
        self._state = ui_state if isinstance(ui_state, QSettings) else persist.window_settings(ui_state)
        self._theme_name = "dark"
        self._colours: dict[str, str] = {}
        self.notifier = FillNotifier(self)
        self._seen_fills: set[str] | None = None
        self._applying = False  # apply_settings is not the trader changing a setting
        self._shown_once = False
        self._restored_docks = False
        price_style.set_current("tt")  # a new window starts from its settings, not a previous window's
        self._build()
        self._build_actions()
        self.set_theme(self._theme_name)
        if settings is not None:
            self.apply_settings(settings)
        self._restore()
        self.ladder_view.setFocus()

    # -- construction ---------------------------------------------------------------------------------
    def _build(self) -> None:
        self.ladder_model = LadderModel(parent=self)
        self.orders = RecordTable("Working orders", ORDER_COLUMNS, order_key, sort_column=0)
        self.orders.setObjectName("ordersTable")
        self.fills = RecordTable("Today's fills", FILL_COLUMNS, fill_key, sort_column=0)
        self.fills.setObjectName("fillsTable")
        self.journal = RecordTable("Realized P&L journal", JOURNAL_COLUMNS, journal_key, sort_column=0)
        self.journal.setObjectName("journalTable")
        self.summary = SummaryStrip()
        self.accounts = AccountsTable()
        self.accounts.setObjectName("accountsTable")
        self.charts = Charts()
        self.days = RecordTable("Closed trading days", DAY_COLUMNS, day_key, sort_column=0)
        self.days.setObjectName("daysTable")
        self.banner = StatusBanner()
        self.mismatch = InstrumentNote()
        self.status_strip = StatusStrip()
        self.alert_banner = AlertBanner()
        self.alerts = AlertCenter(self.alert_banner, self.notifier, self.status_strip, self)
        self.alerts.auditRequested.connect(self.alertAudit)
        self.statusBar().addWidget(self.status_strip, 1)
        self.statusBar().setSizeGripEnabled(False)

        self.ladder_pane = LadderPane(self.ladder_model)
        self.ladder_view, self.what_if = self.ladder_pane.view, self.ladder_pane.what_if
        self.ladder_title, self.ladder_stale = self.ladder_pane.title, self.ladder_pane.stale
        self.paused_label = self.ladder_pane.paused
        self.survival = SurvivalOverlay(self.ladder_view)  # the survival curve's marks (issue 15 §5)
        self.recenter_button, self.units_button = self.ladder_pane.recenter_button, self.ladder_pane.units_button
        self.docks = PaneDocks({"ladder": self.ladder_pane, "summary": self.summary, "orders": self.orders,
                                "fills": self.fills, "journal": self.journal, "accounts": self.accounts,
                                "charts": self.charts, "days": self.days})
        # Each pane's title (with its row count) is its dock's title, not a second heading inside it.
        for table, name in ((self.orders, "orders"), (self.fills, "fills"), (self.journal, "journal"),
                            (self.accounts, "accounts"), (self.days, "days")):
            table.title.hide()
            # A dock's title reads "&" as a mnemonic: "P&L" must be "P&&L" to show as written.
            table.titleChanged.connect(lambda text, d=self.docks.docks[name]: d.setWindowTitle(text.replace("&", "&&")))
            self.docks.docks[name].setWindowTitle(table.title.text().replace("&", "&&"))
        self.ladder_title.hide()
        self.contracts = ContractLadders(self)  # roll week: a ladder tab per contract
        self.layouts = NamedLayouts(self._state)
        self.window_layouts = WindowLayouts(self, self.layouts)
        # The status strip shrinks with the window (a compact layout is 400 px): the ages clip, the
        # environment and DEMO badges keep their size.
        self.status_strip.setMinimumWidth(0)
        self.status_strip.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        strip = self.status_strip
        for badge in (strip.env_badge, strip.demo_badge, strip.alerts):
            badge.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        for label in (strip.connection, *strip.ages.values(), strip.budget, strip.spot, strip.note):
            label.setMinimumWidth(8)  # their natural width when there is room, clipped when not

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(4)
        # The banners sit in a slot of reserved height: one shown, hidden or re-worded never re-lays out
        # the docks below it (ui/steady.py).
        self.banner_slot = BannerSlot([self.alert_banner, self.banner, self.mismatch])
        layout.addWidget(self.banner_slot)
        layout.addWidget(self.docks, 1)
        self.setCentralWidget(central)
        self.resize(1560, 980)

        self.ladder_view.whatIfRequested.connect(self.what_if.add_request)
        self.ladder_view.whatIfRemoveRequested.connect(self.what_if.remove_at)
        self.what_if.changed.connect(self.whatIfChanged)
        self.ladder_view.recenterRequested.connect(self.recenterRequested)
        self.ladder_model.windowChanged.connect(self.ladderWindowChanged)
        self.recenter_button.clicked.connect(self.recenter)
        self.units_button.toggled.connect(lambda on: self._user_units("ticks" if on else "dollars"))
        self.ladder_view.zoomChanged.connect(lambda size: self._user_changed("ladder.font_size", str(size)))

    def _build_actions(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.settings_action = file_menu.addAction("&Settings...")
        self.settings_action.setObjectName("settingsAction")
        self.settings_action.triggered.connect(self.settingsRequested)
        self.report_action = ReportAction(self, file_menu)
        file_menu.addSeparator()
        file_menu.addAction("&Quit", self.close)
        view = bar.addMenu("&View")
        self.recenter_action = view.addAction("&Recenter on spot\tSpace", self.recenter)
        view.addAction("Zoom &in\tCtrl++", lambda: self.ladder_view.zoom(+1))
        view.addAction("Zoom &out\tCtrl+-", lambda: self.ladder_view.zoom(-1))
        self.auto_recenter_action = view.addAction("&Auto-recenter")
        self.auto_recenter_action.setCheckable(True)
        self.auto_recenter_action.setChecked(True)
        self.auto_recenter_action.toggled.connect(lambda on: setattr(self.ladder_view, "auto_recenter", on))
        units = view.addMenu("&P&&L units")
        group = QActionGroup(self)
        self.units_actions: dict[str, QAction] = {}
        for key, label in (("dollars", "&Dollars"), ("ticks", "&Ticks")):
            action = units.addAction(label)
            action.setCheckable(True)
            action.setChecked(key == "dollars")
            group.addAction(action)
            action.triggered.connect(lambda _=False, k=key: self._user_units(k))
            self.units_actions[key] = action
        self.survival_action = view.addAction("&Survival curve on the ladder")
        self.survival_action.setObjectName("survivalAction")
        self.survival_action.setCheckable(True)
        self.survival_action.setChecked(True)
        self.survival_action.toggled.connect(self.survival.setVisible)
        themes = view.addMenu("T&heme")
        for name in ("dark", "light"):
            themes.addAction(name.capitalize(), lambda n=name: self._user_theme(n))
        alerts = bar.addMenu("&Alerts")
        self.sound_action = alerts.addAction("&Sound on new fill")
        self.desktop_action = alerts.addAction("&Desktop notification on new fill")
        for action, attr in ((self.sound_action, "sound"), (self.desktop_action, "desktop")):
            action.setCheckable(True)
            action.setChecked(True)
            action.toggled.connect(lambda on, a=attr: setattr(self.notifier, a, on))
            action.toggled.connect(lambda on, a=attr: self._user_changed(f"notifications.{a}", "true" if on
                                                                        else "false"))
        alerts.addSeparator()
        self.acknowledge_action = alerts.addAction("&Acknowledge all alerts", self.alerts.acknowledge_all)
        self.acknowledge_action.setObjectName("acknowledgeAlerts")
        # Space recenters wherever the focus is in the window, as the menu says, except in a text field:
        # a line edit claims Space for itself (Qt's shortcut override), so typing a filter or a spot
        # with a space in it never moves the ladder.
        self.recenter_shortcut = QShortcut(QKeySequence(Qt.Key.Key_Space), self)
        self.recenter_shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        self.recenter_shortcut.activated.connect(self._space)
        # Zoom works wherever the focus is in the window.
        self.zoom_shortcuts = []
        for keys, step in (("Ctrl++", 1), ("Ctrl+=", 1), ("Ctrl+-", -1)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(lambda s=step: self.ladder_view.zoom(s))
            self.zoom_shortcuts.append(shortcut)
        view.addSeparator()
        panes = view.addMenu("&Panes")
        for dock in self.docks.docks.values():
            panes.addAction(dock.toggleViewAction())
        self.layouts_menu = view.addMenu("&Layouts")
        self.layouts_menu.aboutToShow.connect(lambda: self.window_layouts.fill_menu(self.layouts_menu))
        help_menu = bar.addMenu("&Help")
        help_menu.addAction("&About zn_ladder", self.show_about)

        tools = self.addToolBar("Main")
        tools.setObjectName("mainToolbar")
        tools.setMovable(False)
        tools.addAction(self.settings_action)  # first, so a narrow window never pushes it off-screen
        self.spot_entry = SpotEntry()
        self.contracts.connect_spot_entry(self.spot_entry)  # the ladder in front's spot
        tools.addWidget(self.spot_entry)
        tools.addWidget(self.contracts.button)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        spacer.setStyleSheet("background: transparent;")
        tools.addWidget(spacer)
        note = QLabel(READ_ONLY)
        note.setObjectName("readOnly")
        tools.addWidget(note)

    # -- preferences ----------------------------------------------------------------------------------
    def theme(self) -> Theme:
        return with_colours(get_theme(self._theme_name), self._colours)

    def set_theme(self, name: str) -> None:
        self._theme_name = name if name in ("dark", "light") else "dark"
        theme = self.theme()
        self.setStyleSheet(style_sheet(theme))
        self.ladder_view.set_theme(theme)
        for pane in (self.summary, self.charts, self.status_strip, self.banner, self.alert_banner):
            pane.set_theme(theme)
        for table in (self.orders, self.fills):
            table.set_side_colors(theme.buy_cell, theme.sell_cell)
        self.accounts.set_sign_colors(theme.positive, theme.negative)
        self.contracts.sync()

    def set_pnl_units(self, units: str) -> None:
        self.ladder_model.set_pnl_units(units)
        self.units_button.blockSignals(True)
        self.units_button.setChecked(units == "ticks")
        self.units_button.setText("P&&L in ticks" if units == "ticks" else "P&&L in $")
        self.units_button.blockSignals(False)
        if units in self.units_actions:
            self.units_actions[units].setChecked(True)
        self.contracts.sync()

    def set_price_format(self, style: str) -> None:
        """One price format for every place: ladder, tables, cards, charts, what-ifs and tooltips."""
        self.ladder_model.set_price_style(style)
        if price_style.set_current(style):
            for table in (self.orders, self.fills, self.accounts):
                table.model.refresh_texts()
            self.summary.reprint()
            self.what_if.reprint()
            self.charts.price_axis.picture = None  # pyqtgraph caches the axis' drawn labels
            self.charts.price_axis.update()
            self.contracts.sync()

    def _user_changed(self, key: str, text: str) -> None:
        if not self._applying:
            self.displaySettingChanged.emit(key, text)

    def _user_theme(self, name: str) -> None:
        self.set_theme(name)
        self._user_changed("ladder.theme", self._theme_name)

    def _user_units(self, units: str) -> None:
        self.set_pnl_units(units)
        self._user_changed("ladder.pnl_units", self.ladder_model.pnl_units)

    def apply_settings(self, settings: Any) -> None:
        """Take the ladder and notification preferences from the app's typed settings (`config.settings`)."""
        self._applying = True
        try:
            self._apply_settings(settings)
        finally:
            self._applying = False

    def _apply_settings(self, settings: Any) -> None:
        ladder = getattr(settings, "ladder", None)
        if ladder is not None:
            self._colours = {k: getattr(ladder, f"{k}_colour", "") for k in ("buy", "sell", "spot", "profit", "loss")}
            self.set_theme(getattr(ladder, "theme", self._theme_name))
            self.ladder_view.set_font_size(getattr(ladder, "font_size", self.ladder_view.font_size))
            self.ladder_view.recenter_band = getattr(ladder, "recenter_band_ticks", self.ladder_view.recenter_band)
            self.set_pnl_units(getattr(ladder, "pnl_units", self.ladder_model.pnl_units))
            self.set_price_format(getattr(ladder, "price_format", "tt"))
        spot = getattr(settings, "spot", None)
        if spot is not None:  # the Pricing Monkey reader's limit applies to a typed spot too
            from fractions import Fraction

            from zn_ladder.spot.sanity import SpotSanity

            self.spot_entry.sanity = SpotSanity(Fraction(spot.max_jump_points))
        notes = getattr(settings, "notifications", None)
        if notes is not None:
            self.sound_action.setChecked(bool(getattr(notes, "sound", True)))
            self.desktop_action.setChecked(bool(getattr(notes, "desktop", True)))
        alerts = getattr(settings, "alerts", None)
        if alerts is not None:
            self.alerts.set_limits(alerts.limits(), bool(alerts.sound))
        survival = getattr(settings, "survival", None)
        if survival is not None:
            self.survival.set_settings(survival)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            if not self._restored_docks:  # dock sizes take effect only in a shown window
                self.docks.full_layout(self.ladder_view.minimumWidth())

    def _restore(self) -> None:
        """Geometry, splitters and columns only: every display setting comes from the settings file
        (`apply_settings`), so `zn-ladder config set ladder.font_size 14` is what the next launch shows."""
        s = self._state
        geometry = s.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        self._restored_docks = self.docks.restore(s.value("window/docks"))
        for key, table in (("orders/header", self.orders), ("fills/header", self.fills),
                           ("journal/header", self.journal), ("accounts/header", self.accounts)):
            state = s.value(key)
            if state is not None:
                table.view.horizontalHeader().restoreState(state)
        self.ladder_view.set_dense(str(s.value("window/ladder_dense", "0")) in ("1", "true"))
        columns = s.value("window/ladder_columns")
        if columns:
            try:
                self.ladder_view.set_columns([int(c) for c in str(columns).split()])
            except ValueError:
                log.warning("ignoring the saved ladder columns %r", columns)

    def save_state(self) -> None:
        s = self._state
        for stale in ("ladder", "alerts", "window/main_split", "window/right_split"):  # an older version's
            s.remove(stale)
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/docks", self.docks.state())
        s.setValue("orders/header", self.orders.view.horizontalHeader().saveState())
        s.setValue("fills/header", self.fills.view.horizontalHeader().saveState())
        s.setValue("journal/header", self.journal.view.horizontalHeader().saveState())
        s.setValue("accounts/header", self.accounts.view.horizontalHeader().saveState())
        s.setValue("window/ladder_columns", " ".join(map(str, self.ladder_view.columns())))
        s.setValue("window/ladder_dense", "1" if self.ladder_view.dense else "0")
        s.sync()

    # -- layouts (ui/layouts.py) ---------------------------------------------------------------------
    def save_layout(self, name: str) -> str:
        """Keep the current panes, ladder columns and window size under `name` (ValueError: bad name)."""
        return self.window_layouts.save(name)

    def apply_layout(self, name: str) -> bool:
        """A built-in layout (Full, Compact ladder) or a saved one; False when there is none by that name."""
        return self.window_layouts.apply(name)

    # -- slots: snapshots in --------------------------------------------------------------------------
    @Slot(object)
    def apply_ladder(self, snap: LadderSnapshot) -> None:
        if self.contracts.apply_ladder(snap):
            return  # another contract's ladder (roll week), on its own tab
        self.ladder_view.apply_snapshot(snap)
        self.spot_entry.product = snap.product
        self.spot_entry.last_good = snap.spot  # a typed spot far from this one asks first
        if snap.contract:
            self.what_if.contract = snap.contract
            self.ladder_title.setText(f"{snap.contract} scenario ladder")
            self.docks.docks["ladder"].setWindowTitle(self.contracts.first_title(snap.contract))
            self.mismatch.set_ladder_contract(snap.contract)
            self.accounts.set_contract(snap.contract)
        self.charts.apply_ladder(snap)

    @Slot(object)
    def apply_orders(self, snap: OrdersSnapshot) -> None:
        self.orders.set_records(snap.orders)
        self.mismatch.set_orders(snap.orders)

    @Slot(object)
    def apply_fills(self, snap: FillsSnapshot) -> None:
        if snap.query is not None:
            self._page_fills(snap.query)
        else:
            self.fills.set_records(snap.fills)
        keys = {f.key for f in snap.fills}
        if snap.new_keys:
            new = set(snap.new_keys)
        elif self._seen_fills is None:
            new = set()  # the first snapshot is history, not news
        else:
            new = keys - self._seen_fills
        if self._seen_fills is None:
            self._seen_fills = keys
        else:
            self._seen_fills.update(keys)
            if len(self._seen_fills) > 2 * len(keys) + 1000:  # a snapshot holds the newest fills only
                self._seen_fills = keys  # (store_worker.KEEP_NS): keep memory flat in the day's fills
        if new:
            self.notifier.notify([f for f in snap.fills if f.key in new])
            self.alerts.on_new_fills([f for f in snap.fills if f.key in new])

    def _page_fills(self, query: FillsQuery) -> None:
        """The fills table reads its rows from the store `query` names, a page at a time (a busy day's
        fills are never all in memory); the store changed, so it reads again what changed."""
        model = self.fills.model
        if isinstance(model, PagedFillsModel) and model.query.path == query.path:
            model.set_query(query)
            return
        paged = PagedFillsModel(FILL_COLUMNS, query, parent=self.fills)
        self.fills.set_model(paged)
        if isinstance(model, PagedFillsModel):
            model.close()

    @Slot(object)
    def apply_days(self, days: tuple) -> None:
        """The store's closed trading days of the window's contract (`store.days.ClosedDay`), newest first."""
        self.days.set_records(sorted(days, key=lambda d: (d.day, d.account), reverse=True))
    def apply_journal(self, snap: JournalSnapshot) -> None:
        """The store's journal rows as read on the store's thread (`store.snapshot.read_journal`)."""
        self.journal.set_records(snap.entries)

    @Slot(object)
    def apply_pnl(self, snap: PnlSnapshot) -> None:
        self.survival.apply_pnl(snap)
        self.summary.apply(snap)
        self.accounts.apply_pnl(snap)
        self.charts.apply_pnl(snap)
        self.alerts.on_pnl(snap)

    @Slot(object)
    def apply_status(self, snap: StatusSnapshot) -> None:
        self.status_strip.apply(snap)
        now = snap.at or datetime.now(timezone.utc)
        problems = self.banner.apply(snap, now)
        self.alerts.on_status(snap, now)
        marks: dict[str, list[str]] = {"ladder": [], "orders": [], "fills": [], "summary": [], "accounts": []}
        for health in problems:
            for pane in _PANES_OF.get(health.name, ()):
                marks[pane].append(problem_line(health, now))
        self.ladder_view.set_stale("\n".join(marks["ladder"]))
        set_tag(self.ladder_stale, "\n".join(marks["ladder"]))
        self.contracts.set_stale("\n".join(marks["ladder"]))
        self.orders.set_stale("\n".join(marks["orders"]))
        self.fills.set_stale("\n".join(marks["fills"]))
        self.journal.set_stale("\n".join(marks["fills"]))
        self.summary.set_stale("\n".join(marks["summary"]))
        self.accounts.set_stale("\n".join(marks["accounts"]))
        self.summary.set_position_differences(snap.position_differences, snap.positions_checked_at)
        live = snap.env == "LIVE"
        self.setWindowTitle(f"zn_ladder — {snap.env}{' DEMO' if snap.demo else ''} — scenario ladder (read-only)"
                            + ("  ⚠ LIVE" if live else ""))

    # -- actions --------------------------------------------------------------------------------------
    def _space(self) -> None:
        focus = QApplication.focusWidget()
        if isinstance(focus, (QLineEdit, QTextEdit, QPlainTextEdit, QAbstractSpinBox)):
            return  # typing, not a command (a text field normally keeps Space before it gets here)
        self.recenter()

    def recenter(self) -> None:
        self.ladder_view.recenter()
        self.contracts.recenter()
        self.recenterRequested.emit()

    @staticmethod
    def about_text() -> str:
        return (f"zn_ladder {__version__}\n\nA scenario ladder for Treasury futures traded through Trading "
                f"Technologies.\n\nRead-only: zn_ladder reads orders, fills and positions from TT. It never "
                f"sends, changes or cancels an order. What-if orders exist only on this screen.")

    def show_about(self) -> None:
        QMessageBox.about(self, "About zn_ladder", self.about_text())

    def timers(self) -> list[QTimer]:
        return self.findChildren(QTimer)

    def closeEvent(self, event: QCloseEvent) -> None:
        try:
            self.save_state()
        except Exception:  # a read-only config dir must not stop the window closing
            log.exception("could not save the window layout")
        self.status_strip.stop()
        self.charts.stop()
        if isinstance(self.fills.model, PagedFillsModel):
            self.fills.model.close()
        self.notifier.close()
        super().closeEvent(event)
