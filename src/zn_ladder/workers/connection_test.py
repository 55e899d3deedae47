""""Test connection" off the GUI thread: the doctor's checks against the settings being edited.

The checks talk HTTP (token, endpoints, clock skew, budget) and can take seconds against a slow TT, so
they run on a pool thread and report back with a signal; the dialog only renders the result. The
checks callable is a parameter so the dialog can be tested with any function (and so a main window can
hand in one that shares its live client's token and budget).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from zn_ladder.config.settings import Settings

log = logging.getLogger(__name__)

#: settings -> checks, each with `name`, `ok` and `detail` (the doctor's `Check`).
ChecksFn = Callable[[Settings], Sequence[Any]]


def doctor_checks(settings: Settings) -> list[Any]:
    """The doctor's checks for the TT these settings point at: TT with the keyring's credentials, or the
    built-in simulator when the settings use it (the demo), so the test matches what the app will do."""
    from zn_ladder.config.credentials import load_credentials
    from zn_ladder.domain.errors import ConfigError
    from zn_ladder.tt.connection import TTConnection
    from zn_ladder.tt.doctor import Check, run_checks
    from zn_ladder.tt.environments import DEFAULT_BASE_URL, resolve_env

    tt = settings.tt
    common = {"env": resolve_env(tt.environment), "app_name": tt.app_name, "company": tt.company,
              "plan": tt.usage_plan}
    try:
        creds, why = load_credentials(tt.environment), "none stored"
    except ConfigError as exc:
        creds, why = None, str(exc)
    if tt.uses_simulator(has_credentials=creds is not None):
        from zn_ladder.tt.sim import DEMO_API_KEY, DEMO_API_SECRET, SimConfig, SimulatorServer

        note = Check("simulator", True, f"testing the built-in TT simulator (tt.simulator = {tt.simulator}; "
                                        f"TT credentials for {tt.environment}: {why if creds is None else 'stored'})")
        with SimulatorServer(SimConfig(env=common["env"], step_interval=None), port=0) as sim:
            conn = TTConnection(base_url=sim.url, app_key=DEMO_API_KEY, app_secret=DEMO_API_SECRET,
                                token_min_interval=0.0, **common)
            return [note, *run_checks(conn)]
    if creds is None and why != "none stored":
        return [Check("credentials", False, why)]
    conn = TTConnection(base_url=tt.base_url or DEFAULT_BASE_URL, app_key=creds.app_key if creds else "",
                        app_secret=creds.app_secret if creds else "", **common)
    return run_checks(conn)


def session_checks(conn: Any, started: Settings) -> ChecksFn:
    """Checks for the dialog of a running window: while the settings still point at the TT this window
    runs on (same environment, address and simulator choice as at start), test the window's own
    connection, so DEMO reports the embedded simulator's fills the window shows, not a second simulator's
    empty day; settings edited towards another TT are tested as `doctor` would."""

    def checks(settings: Settings) -> list[Any]:
        from zn_ladder.tt.doctor import Check, run_checks

        same = (settings.tt.environment, settings.tt.base_url, settings.tt.simulator) == (
            started.tt.environment, started.tt.base_url, started.tt.simulator)
        if not same:
            return doctor_checks(settings)
        note = Check("connection", True, f"testing this window's own connection to {conn.base_url} ({conn.env})")
        return [note, *run_checks(conn)]

    return checks


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(str)


class _Job(QRunnable):
    def __init__(self, fn: ChecksFn, settings: Settings, signals: _Signals) -> None:
        super().__init__()
        self._fn, self._settings, self._signals = fn, settings, signals
        self.setAutoDelete(True)

    def run(self) -> None:  # pool thread
        try:
            result = tuple(self._fn(self._settings))
        except Exception as exc:  # reported in the dialog, never lost in a thread
            log.exception("connection test failed")
            self._signals.failed.emit(f"{type(exc).__name__}: {exc}")
            return
        self._signals.done.emit(result)


class ConnectionTester(QObject):
    """Runs one connection test at a time; `finished(tuple_of_checks)` or `failed(message)`.

    Closing the dialog does not wait for a running test (against a dead TT the doctor can take tens of
    seconds of timeouts and retries): the test ends on its own thread and its result is dropped. The
    pool is this object's child, so destroying the tester waits for that thread: none is left behind.
    """

    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, checks: ChecksFn | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._checks = checks or doctor_checks
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._signals: _Signals | None = None

    @property
    def running(self) -> bool:
        return self._signals is not None

    def start(self, settings: Settings) -> bool:
        """Start a test; False (and nothing started) while one is still running."""
        if self._signals is not None:
            return False
        signals = _Signals(self)  # lives on this (GUI) thread: emissions from the pool arrive queued
        signals.done.connect(self._on_done)
        signals.failed.connect(self._on_failed)
        self._signals = signals
        self._pool.start(_Job(self._checks, settings, signals))
        return True

    def wait(self, msecs: int = -1) -> bool:
        """Block until the running test ends (closing the dialog must not leave a thread behind)."""
        return self._pool.waitForDone(msecs)

    def _finish(self) -> None:
        if self._signals is not None:
            self._signals.deleteLater()
            self._signals = None

    def _on_done(self, checks: tuple) -> None:
        self._finish()
        self.finished.emit(checks)

    def _on_failed(self, message: str) -> None:
        self._finish()
        self.failed.emit(message)
