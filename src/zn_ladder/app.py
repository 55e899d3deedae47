"""The GUI entry: `zn-ladder` with no command opens the window (`run_gui`).

`AppController` is the owner the window was written for: it decides DEMO or live from the settings
and the keyring, starts the built-in simulator (off the GUI thread) when there are no credentials,
builds the `Session` of workers, wires the window's requests (what-if orders, manual spot, the visible
price window, Settings...) to it and its snapshots to the window, and stops everything, within a
bounded time, when the window closes. Nothing here waits on the network, the disk or Chromium.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal, Slot

log = logging.getLogger(__name__)

LOG_FILE = "zn_ladder.log"


def setup_file_logging(level: int = logging.INFO) -> Path:
    """The rotating, redacted log in the app's log folder (see `zn_ladder.config.logging_setup`)."""
    from zn_ladder.config.logging_setup import setup_file_logging as setup

    return setup(level)


@dataclass(frozen=True)
class LaunchPlan:
    """What to connect to: the settings' environment with its credentials, or the DEMO simulator."""

    demo: bool
    env: str  # SIM | UAT | LIVE (the badge)
    credentials: Any = None
    messages: tuple[str, ...] = ()
    #: A note for the status strip, not the banner: no OS keyring on this PC (never set in DEMO).
    keyring_note: str = ""


def plan_launch(settings: Any, *, force_demo: bool = False) -> LaunchPlan:
    """DEMO or the configured environment, by `TTSettings.uses_simulator` (the one rule, shared with the
    settings dialog's "Test connection"): the simulator only on SIM without credentials (or `always`).
    A UAT or LIVE desk without credentials gets the real environment's badge and a "no credentials"
    state with what support must do, never simulated orders under a real environment's name."""
    from zn_ladder.config.credentials import KeyringUnavailable, load_credentials
    from zn_ladder.domain.errors import ConfigError
    from zn_ladder.store.desk import is_desk_url

    env = settings.tt.environment
    messages: list[str] = []
    creds = None
    no_keyring = ""
    try:
        creds = load_credentials(env)
    except KeyringUnavailable as exc:  # the PC's, not the session's: a status-strip note, not a banner
        no_keyring = str(exc)
    except ConfigError as exc:
        messages.append(str(exc))
    # A window on a desk database asks TT nothing (the desk's capture does, with the desk's key): a trader's
    # PC there needs no TT credentials, so neither the simulator nor a "no credentials" banner stands in.
    desk = is_desk_url(settings.storage.url)
    demo = force_demo or settings.tt.uses_simulator(has_credentials=creds is not None or desk)
    if not demo and creds is None and not desk:
        off = " (the built-in simulator is off: tt.simulator = never)" if env == "SIM" else ""
        messages.append(f"no credentials for {env}{off}: ask support to run "
                        f"`zn-ladder credentials set --env {env.lower()}`")
    if no_keyring:
        log.info("%s", no_keyring)
    return LaunchPlan(demo, "SIM" if demo else env, None if demo else creds, tuple(messages),
                      keyring_note="" if demo else no_keyring)


class AppController(QObject):
    """Window + workers. `start()` once; closing the window (or `shutdown()`) stops everything."""

    #: The session is running (DEMO: once the simulator listens).
    sessionStarted = Signal(object)

    def __init__(self, settings: Any, *, window: Any = None, problems: tuple[str, ...] = (),
                 force_demo: bool = False, sim_config: Any = None, db_path: Path | None = None,
                 ui_state: Path | None = None, intervals: dict[str, float] | None = None,
                 session_overrides: dict[str, Any] | None = None, settings_file: Path | None = None) -> None:
        super().__init__()
        from zn_ladder.ui.main_window import MainWindow

        self.settings = settings
        #: What the session was started with: instrument settings changed later need a restart.
        self.started_settings = settings
        self.plan = plan_launch(settings, force_demo=force_demo)
        self.problems = tuple(problems) + self.plan.messages
        self.window = window or MainWindow(settings, ui_state=ui_state)
        self._sim_config = sim_config
        self._db_path = db_path
        self._intervals = intervals
        self._overrides = dict(session_overrides or {})
        self._budget_note = ""
        self.sim: Any = None
        self.session: Any = None
        self.frame: Any = None  # ui/frame.py: the session's snapshots, once per turn of the event loop
        self.dialog: Any = None
        self.closed = False
        self._settings_file = settings_file
        #: Display settings changed from the window, saved together shortly after (a zoom is many steps).
        self._pending_display: dict[str, str] = {}
        self._display_timer = QTimer(self)
        self._display_timer.setSingleShot(True)
        self._display_timer.setInterval(400)
        self._display_timer.timeout.connect(self.save_display_settings)
        self.window.displaySettingChanged.connect(self._display_setting_changed)
        self.window.installEventFilter(self)
        self.window.settingsRequested.connect(self.open_settings)
        self.window.alertAudit.connect(self._audit_alert)
        self.window.status_strip.set_note("No keyring" if self.plan.keyring_note else "", self.plan.keyring_note)
        _preload(self.plan.demo)

    # -- start ------------------------------------------------------------------------------------------
    def start(self) -> None:
        from zn_ladder.ui.collector import freeze_long_lived

        freeze_long_lived()  # the window and its imports are built: full GC passes skip them from now on
        if self.plan.demo:
            from zn_ladder.workers.demo import ROLL_WEEK, SimulatorHost, demo_sim_config

            self.sim = SimulatorHost(self._sim_config or demo_sim_config(**ROLL_WEEK), parent=self)
            self.sim.ready.connect(self._start_demo_session)
            self.sim.failed.connect(self._sim_failed)
            self.sim.start()
        else:
            self._start_live_session()

    def _sim_failed(self, message: str) -> None:
        self.problems += (message,)
        log.error("%s", message)

    def _start_demo_session(self, url: str) -> None:
        if self.closed:
            return
        from zn_ladder.workers.demo import DEMO_INTERVALS, demo_connection

        from zn_ladder.config.paths import data_dir

        db = self._db_path or data_dir() / "demo.sqlite3"
        _fresh_demo_store(db)
        self._start_session(demo_connection(url), demo=True, db_path=db,
                            intervals=self._intervals or DEMO_INTERVALS)

    def _start_live_session(self) -> None:
        from zn_ladder.tt.connection import TTConnection
        from zn_ladder.tt.environments import DEFAULT_BASE_URL

        tt = self.settings.tt
        creds = self.plan.credentials
        conn = TTConnection(base_url=tt.base_url or DEFAULT_BASE_URL, env=tt.environment,
                            app_key=creds.app_key if creds else "", app_secret=creds.app_secret if creds else "",
                            app_name=tt.app_name, company=tt.company, plan=tt.usage_plan)
        intervals = self._intervals or self._polling_within_budget(self.settings)
        self._start_session(conn, demo=False, intervals=intervals,
                            db_path=self._db_path or self.settings.storage.resolved_store())

    def _polling_within_budget(self, settings: Any) -> dict[str, float]:
        """The settings' intervals when a trading day of them fits the usage plan's daily budget; else
        the plan's default schedule, with a banner line saying so (a budget spent by mid-afternoon
        would blind the trader until midnight UTC)."""
        from zn_ladder.tt.schedule import Schedule, default_schedule

        p, plan = settings.polling, settings.tt.usage_plan
        wanted = Schedule(fills_s=p.fills_s, orders_s=p.orders_s, positions_s=p.positions_s)
        check = wanted.check(plan)
        if not check.fits:
            chosen = default_schedule(plan)
            note = (f"polling every {p.fills_s:g}s/{p.orders_s:g}s/{p.positions_s:g}s (fills/orders/positions) "
                    f"needs {check.text()}; using the plan's schedule {chosen.fills_s:g}s/{chosen.orders_s:g}s/"
                    f"{chosen.positions_s:g}s instead")
            log.warning("%s", note)
            wanted = chosen
        else:
            note = ""
        self.problems = tuple(m for m in self.problems if m != self._budget_note) + ((note,) if note else ())
        self._budget_note = note
        return {"orders_s": wanted.orders_s, "fills_s": wanted.fills_s, "positions_s": wanted.positions_s,
                "spot_s": p.spot_s}

    def _start_session(self, conn: Any, *, demo: bool, db_path: Path, intervals: dict[str, float]) -> None:
        from zn_ladder.domain.instruments import canonical_contract, canonical_market, get_product
        from zn_ladder.workers.session import Session, SessionConfig

        s = self.settings
        spot_mode = "simulator" if demo else s.spot.source
        reader = spot_reader_settings(s) if spot_mode == "pricing_monkey" else None
        config = SessionConfig(
            conn=conn, product=get_product(s.tt.product), env=self.plan.env, demo=demo, db_path=db_path,
            contracts=() if demo else tuple(canonical_contract(c) for c in s.tt.contracts),
            accounts=() if demo else tuple(s.tt.accounts),
            market=canonical_market("CME" if demo else s.tt.market),
            spot_mode=spot_mode, reader_settings=reader, sim_price=self.sim.price if demo else None,
            sim_price_of=self.sim.price_of if demo else None,
            fetch_sod=True, sod_path=s.storage.sod_path if s.storage.sod_auto_import else "",
            sod_account_map=s.sod.account_map, day_rule=s.trading_day.rule(), survival=s.survival,
            **intervals, **self._overrides)
        self.session = session = Session(config, parent=self)
        session.messages = self.problems
        session.store.readOnly.connect(self._store_read_only)
        w = self.window
        from zn_ladder.ui.frame import Frame

        # Whole states wait for the next turn of the event loop, the newest of each kind (ui/frame.py);
        # the fills snapshot carries the fills new since the last one, so it goes straight through.
        self.frame = frame = Frame(self)
        session.ladderReady.connect(frame.latest("ladder", w.apply_ladder))
        session.ordersReady.connect(frame.latest("orders", w.apply_orders))
        session.fillsReady.connect(w.apply_fills)
        session.journalReady.connect(frame.latest("journal", w.apply_journal))
        session.pnlReady.connect(frame.latest("pnl", w.apply_pnl))
        session.daysReady.connect(frame.latest("days", w.apply_days))
        session.statusReady.connect(frame.latest("status", w.apply_status))
        w.whatIfChanged.connect(session.set_what_if)
        w.manualSpotEntered.connect(session.set_manual_spot)
        w.manualSpotCleared.connect(session.clear_manual_spot)
        w.ladderWindowChanged.connect(session.set_window)
        w.contracts.wire(session)  # roll week: a ladder per contract (ui/contract_tabs.py)
        session.start()
        from zn_ladder.ui.collector import freeze_long_lived

        freeze_long_lived()  # the session's workers, store and lazily imported modules too
        w.report_action.attach(session.store.submit, lambda: self.settings.trading_day.rule(),
                               config.accounts[0] if len(config.accounts) == 1 else None, reports_dir())
        top, rows = w.ladder_model.top, w.ladder_model.rowCount()
        if rows and w.ladder_model.snapshot is not None:  # else the first ladder centres itself on spot
            session.set_window(top, top - rows + 1)
        log.info("session started: %s%s, store %s", self.plan.env, " DEMO" if demo else "", db_path)
        self.sessionStarted.emit(session)

    @Slot(str)
    def _store_read_only(self, detail: str) -> None:
        """A trader's desk login: said once in the status strip (a standing fact, not a problem)."""
        from zn_ladder.workers.store_worker import READ_ONLY_NOTE

        note, more = READ_ONLY_NOTE, detail
        if self.plan.keyring_note:
            note, more = f"{note} · No keyring", f"{detail}\n{self.plan.keyring_note}"
        self.window.status_strip.set_note(note, more)

    # -- settings ---------------------------------------------------------------------------------------
    def open_settings(self) -> None:
        from zn_ladder.ui.settings_dialog import SettingsDialog

        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.raise_()
            return
        self.save_display_settings()  # the dialog must open on what the window shows
        checks = None
        if self.session is not None:
            from zn_ladder.workers.connection_test import session_checks

            checks = session_checks(self.session.config.conn, self.started_settings)
        self.dialog = SettingsDialog(self.settings, self.window, checks, on_audit=self._audit,
                                     path=self._settings_file)
        self.dialog.settingsApplied.connect(self.apply_settings)
        self.dialog.open()

    def apply_settings(self, settings: Any) -> None:
        """Apply what can change without a restart (the dialog says which keys need one)."""
        self.settings = settings
        self.window.apply_settings(settings)
        self.window.mismatch.set_pending_restart(instrument_change_note(self.started_settings, settings))
        if self.session is not None:
            intervals = None if self.plan.demo else self._polling_within_budget(settings)
            self.session.messages = self.problems
            self.session.apply_settings(settings, intervals)

    def _display_setting_changed(self, key: str, text: str) -> None:
        self._pending_display[key] = text
        self._display_timer.start()

    def save_display_settings(self) -> None:
        """Write the display settings changed from the window (View menu, zoom, units, sounds) to the
        settings file, the one place they live. The file is read again first so that a key changed
        meanwhile by `zn-ladder config set` is kept; only the keys the trader changed are written."""
        from zn_ladder.config.settings_file import load_settings, save_settings
        from zn_ladder.domain.errors import ZnLadderError
        from zn_ladder.store.audit import SETTINGS_CHANGED

        self._display_timer.stop()
        pending, self._pending_display = self._pending_display, {}
        if not pending:
            return
        try:
            on_disk = load_settings(self._settings_file).settings
            current, changes = self.settings, {}
            for key, text in pending.items():
                before = on_disk.text_value(key)
                on_disk = on_disk.replace_value(key, text)
                current = current.replace_value(key, text)
                if on_disk.text_value(key) != before:
                    changes[key] = [before, on_disk.text_value(key)]
            if changes:
                save_settings(on_disk, self._settings_file)
                self._audit(SETTINGS_CHANGED, {"via": "window", "changes": changes})
            self.settings = current
        except ZnLadderError as exc:  # e.g. a read-only config folder: the window keeps what it shows
            log.warning("display settings not saved: %s", exc)

    def _audit(self, event: str, detail: dict) -> None:
        """Settings/environment changes into the store's audit log (on the writer thread, not waited on)."""
        log.info("audit %s %s", event, detail)
        if self.session is not None and not self.plan.demo:
            self.session.store.submit_write("audit entries", lambda store: store.audit(event, detail))

    def _audit_alert(self, event: str, detail: dict) -> None:
        """Alerts fired and acknowledged into the audit log, on the writer thread (in DEMO too: the
        demo's own store, so what the trader was told and when is always on record)."""
        log.info("audit %s %s", event, detail)
        if self.session is not None:
            self.session.store.submit_write("audit entries", lambda store: store.audit(event, detail))

    # -- stop -------------------------------------------------------------------------------------------
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.window and event.type() == QEvent.Type.Close:
            QTimer.singleShot(0, self.shutdown)
        return False

    def shutdown(self, timeout_s: float = 4.0) -> bool:
        """Stop every worker and the simulator; True when every thread ended in time."""
        if self.closed:
            return True
        self.closed = True
        from zn_ladder.ui.collector import thaw

        thaw()  # first: whatever fails below, what the session held is collectable again
        if self.frame is not None:
            self.frame.stop()
        ok = True
        self.save_display_settings()
        if self.dialog is not None:
            self.dialog.close()
        job = self.window.report_action.job
        if job is not None:
            job.wait(timeout_s)  # a report being written is finished, not cut off
        stop_sim = self.sim.stop if self.sim is not None else None
        if self.session is not None:
            ok = self.session.stop(timeout_s, then=stop_sim)
        elif stop_sim is not None:
            stop_sim()
        log.info("stopped (%s)", "clean" if ok else "some workers were still busy")
        return ok


#: Settings that choose the instrument the session shows; the running session keeps the ones it started with.
INSTRUMENT_KEYS = {"tt.product": "Product", "tt.market": "Market", "tt.environment": "Environment"}


def reports_dir() -> Path:
    """Where File › Write today's report puts its workbooks: beside the store, in the user data folder."""
    from zn_ladder.config.paths import data_dir

    return data_dir() / "reports"


def instrument_change_note(started: Any, now: Any) -> str:
    """'' when the instrument settings are those the session started with; else what changed and that
    the window still shows the old one until a restart (never a silent mismatch)."""
    changes = [f"{label} {now.text_value(key)} (was {started.text_value(key)})"
               for key, label in INSTRUMENT_KEYS.items() if started.text_value(key) != now.text_value(key)]
    if not changes:
        return ""
    return (f"Settings now say {', '.join(changes)}: restart zn_ladder to show it. Until then this window "
            f"still shows {started.tt.product} on {started.tt.market} in {started.tt.environment}.")


def _preload(demo: bool) -> None:
    """Import what the session needs now, before the window is shown: importing it later, when the
    simulator answers, would freeze a visible window for a good half second (PySide inspects each
    module as it is imported)."""
    import importlib

    names = ["zn_ladder.workers.session", "zn_ladder.tt.client", "zn_ladder.store.writer", "zn_ladder.tt.connection",
             "zn_ladder.ui.settings_dialog"]
    if demo:
        names += ["zn_ladder.workers.demo", "zn_ladder.tt.sim"]
    for name in names:
        importlib.import_module(name)


def _fresh_demo_store(path: Path) -> None:
    """The demo's simulator starts a new day each launch, so its store starts empty too."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        candidate = path.with_name(path.name + suffix)
        if candidate.exists():
            candidate.unlink()


def spot_reader_settings(settings: Any) -> Any:
    """The Pricing Monkey reader's settings from the app's `[spot]` group, through the spot package's
    own `ReaderSettings.from_config`, so no key (e.g. `page_refresh_s`) is lost on the way."""
    from zn_ladder.domain.instruments import get_product
    from zn_ladder.spot.pricing_monkey import ReaderSettings

    return ReaderSettings.from_config(settings.spot, get_product(settings.tt.product))


NO_DISPLAY = ("no display found ({why}): the window needs a desktop session. Headless, run "
              "`zn-ladder selftest`, or set QT_QPA_PLATFORM=offscreen to open the window off-screen")


def no_display_reason(environ: Any = None, platform: str | None = None) -> str | None:
    """Why Qt could not open a window here, or None when it can.

    Checked before the QApplication exists: without a display, Qt's xcb plugin aborts the process
    (exit 134, a core dump, and a message about xcb-cursor0 that sends support down the wrong path).
    Only Linux/BSD desktops need a display server; Windows and macOS always have one.
    """
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    if platform.startswith(("win", "darwin", "cygwin")):
        return None
    wanted = environ.get("QT_QPA_PLATFORM", "").split(":", 1)[0].strip().lower()
    if wanted and wanted not in ("xcb", "wayland", "wayland-egl"):
        return None  # offscreen, vnc, eglfs...: no display server involved
    if wanted == "xcb" and not environ.get("DISPLAY"):
        return "QT_QPA_PLATFORM is xcb and DISPLAY is not set"
    if wanted.startswith("wayland") and not environ.get("WAYLAND_DISPLAY"):
        return "QT_QPA_PLATFORM is wayland and WAYLAND_DISPLAY is not set"
    if not wanted and not environ.get("DISPLAY") and not environ.get("WAYLAND_DISPLAY"):
        return "neither DISPLAY nor WAYLAND_DISPLAY is set"
    return None


def run_gui(args: argparse.Namespace | None = None) -> int:
    """Open the window; returns the process exit code."""
    why = no_display_reason()
    if why is not None:
        from zn_ladder.domain.errors import ConfigError

        raise ConfigError(NO_DISPLAY.format(why=why))  # the CLI prints it on one line, exit 2
    stop = _StopOnSignals()
    from PySide6.QtWidgets import QApplication

    from zn_ladder.config.settings_file import load_settings

    path = setup_file_logging()
    from zn_ladder.ui.app_icon import app_icon
    from zn_ladder.ui.crash_dialog import install_crash_dialog

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("zn_ladder")
    app.setWindowIcon(app_icon())
    install_crash_dialog(app)  # an unhandled exception shows where its crash report is
    loaded = load_settings()
    problems = tuple(str(p) for p in loaded.problems)
    if loaded.kept_aside is not None:
        problems += (f"the settings file could not be read and was kept aside as {loaded.kept_aside}",)
    for problem in problems:
        log.warning("settings: %s", problem)
    controller = AppController(loaded.settings, problems=problems)
    if controller.plan.credentials is not None:
        from zn_ladder.config.redaction import register_secret

        register_secret(controller.plan.credentials.app_key)
        register_secret(controller.plan.credentials.app_secret)
    controller.window.show()
    controller.start()
    log.info("window open; log file %s", path)
    stop.attach(app, controller)
    code = 0 if stop.requested else app.exec()
    controller.shutdown()
    from zn_ladder.workers.threads import wait_orphans

    if not wait_orphans(10.0):
        log.error("a worker thread is still running at exit; leaving without waiting for it")
        logging.shutdown()
        os._exit(int(code))  # never "QThread: Destroyed while thread is still running" (an abort)
    return int(code)


class _StopOnSignals:
    """Ctrl+C / SIGTERM close the window like the user would (layout saved, workers stopped).

    Installed first thing, so a signal during start-up is not lost either. Python only runs signal
    handlers between bytecodes, so a cheap timer wakes the interpreter while Qt's loop is idle."""

    def __init__(self) -> None:
        import signal

        self.requested = False
        self._app: Any = None
        self._controller: Any = None
        for name in ("SIGINT", "SIGTERM"):
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), self._handle)

    def _handle(self, signum: int, _frame: Any) -> None:
        log.info("signal %d: closing", signum)
        self.requested = True
        if self._controller is not None:
            self._controller.window.close()
        if self._app is not None:
            self._app.quit()

    def attach(self, app: Any, controller: AppController) -> None:
        self._app, self._controller = app, controller
        self._timer = QTimer(app)
        self._timer.timeout.connect(self._wake)
        self._timer.start(250)
        if self.requested:
            controller.window.close()

    def _wake(self) -> None:
        """Nothing to do: running Python code is what lets a pending signal handler run."""
