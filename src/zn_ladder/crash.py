"""Crash reports: an unhandled exception anywhere writes a report file instead of vanishing.

Why: the packaged app runs without a console, so an exception that escapes a thread would leave no
trace at all and a trader would only see a frozen pane or a window that closed. `install()` hooks
`sys.excepthook` (the main thread and, through PySide6, exceptions raised in Qt slots),
`threading.excepthook` (worker threads) and `faulthandler` (a native crash in Qt still dumps the Python
stacks to `faults.log`). Each report is one text file in the log folder: version, platform, thread,
traceback and the last lines of the app log, every line through `redaction.redact` (never a key, secret
or token), and no environment variables. The GUI registers a notifier (`zn_ladder.ui.crash_dialog`)
that shows where the report is; headless commands print one line on stderr.

No Qt here: the CLI installs the same hooks.
"""

from __future__ import annotations

import faulthandler
import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from zn_ladder.config.redaction import redact, redact_argv

log = logging.getLogger(__name__)

REPORT_PREFIX = "crash-"
FAULTS_FILE = "faults.log"
LOG_TAIL_LINES = 60


@dataclass(frozen=True)
class CrashReport:
    """What a notifier is told: where the report is and a one-line summary (already redacted)."""

    path: Path | None
    summary: str
    thread: str


Notifier = Callable[[CrashReport], None]

_notifiers: list[Notifier] = []
_state: dict[str, Any] = {"installed": False, "faults": None, "sys": None, "threading": None}
_lock = threading.Lock()


def install(*, folder: Path | None = None, faults: bool = False) -> None:
    """Hook sys/threading exceptions (idempotent). `folder`: where reports go (default: the log folder,
    resolved when a crash happens). `faults`: also enable faulthandler into faults.log (the window does;
    a headless command does not keep a file open for it)."""
    with _lock:
        if folder is not None:
            _state["folder"] = folder
        if faults and _state.get("faults") is None:
            _enable_faulthandler()
        if _state["installed"]:
            return
        _state["installed"] = True
        _state["sys"] = sys.excepthook
        _state["threading"] = threading.excepthook
    sys.excepthook = _sys_hook
    threading.excepthook = _thread_hook


def uninstall() -> None:
    """Put the previous hooks back (tests, and a clean interpreter exit of embedding code)."""
    with _lock:
        if not _state["installed"]:
            return
        sys.excepthook = _state["sys"] or sys.__excepthook__
        threading.excepthook = _state["threading"] or threading.__excepthook__
        _state.update(installed=False)
        _state.pop("folder", None)
        faults: IO[str] | None = _state.pop("faults", None)
    if faults is not None:
        faulthandler.disable()
        faults.close()


def add_notifier(notifier: Notifier) -> None:
    """Called (from the crashing thread) after each report is written."""
    with _lock:
        _notifiers.append(notifier)


def remove_notifier(notifier: Notifier) -> None:
    with _lock:
        if notifier in _notifiers:
            _notifiers.remove(notifier)


def report_folder() -> Path:
    folder = _state.get("folder")
    if folder is not None:
        return Path(folder)
    from zn_ladder.config.paths import log_dir

    return log_dir()


def write_report(exc_type: type[BaseException], exc: BaseException | None, tb: TracebackType | None,
                 *, thread: str | None = None) -> Path:
    """Write one report file and return its path (unique per crash, never overwritten)."""
    import platform  # imported here, not at start-up: every CLI command installs these hooks
    import traceback

    from zn_ladder import __version__

    folder = report_folder()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = folder / f"{REPORT_PREFIX}{stamp}-{os.getpid()}-{threading.get_ident() % 100000}.txt"
    n = 1
    while path.exists():
        path = path.with_name(f"{path.stem}-{n}.txt")
        n += 1
    lines = [
        "zn_ladder crash report",
        f"time: {time.strftime('%Y-%m-%d %H:%M:%S %z')}",
        f"version: {__version__}",
        f"python: {sys.version.split()[0]} ({platform.python_implementation()})",
        f"platform: {platform.platform()}",
        f"frozen: {bool(getattr(sys, 'frozen', False))}",
        f"command: {' '.join(os.path.basename(a) if i == 0 else a for i, a in enumerate(redact_argv(sys.argv)))}",
        f"thread: {thread or threading.current_thread().name}",
        "",
        "traceback:",
        "".join(traceback.format_exception(exc_type, exc, tb)).rstrip(),
        "",
        f"last {LOG_TAIL_LINES} lines of the app log:",
        *_log_tail(),
    ]
    text = redact("\n".join(lines)) + "\n"
    with open(path, "x", encoding="utf-8") as out:
        out.write(text)
    return path


def handle(exc_type: type[BaseException], exc: BaseException | None, tb: TracebackType | None,
           *, thread: str | None = None) -> CrashReport:
    """Write the report, log it, tell the notifiers. Never raises: a failing crash handler must not
    hide the original error."""
    name = thread or threading.current_thread().name
    summary = redact(f"{exc_type.__name__}: {exc}" if str(exc) else exc_type.__name__)
    path: Path | None
    try:
        path = write_report(exc_type, exc, tb, thread=name)
    except Exception as failure:  # disk full, folder not writable...
        path = None
        summary += f" (the crash report could not be written: {failure})"
    try:
        log.critical("unhandled %s in thread %s; crash report %s", summary, name, path,
                     exc_info=(exc_type, exc, tb) if exc is not None else None)
    except Exception:
        pass
    report = CrashReport(path, summary, name)
    with _lock:
        notifiers = list(_notifiers)
    for notifier in notifiers:
        try:
            notifier(report)
        except Exception:
            pass
    return report


def _sys_hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if issubclass(exc_type, (KeyboardInterrupt, SystemExit)):
        (_state["sys"] or sys.__excepthook__)(exc_type, exc, tb)
        return
    report = handle(exc_type, exc, tb)
    _tell_stderr(report)
    previous = _state["sys"]
    if previous is not None and previous is not sys.__excepthook__:
        previous(exc_type, exc, tb)


def _thread_hook(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:
        return
    name = args.thread.name if args.thread is not None else None
    report = handle(args.exc_type, args.exc_value, args.exc_traceback, thread=name)
    _tell_stderr(report)


def _tell_stderr(report: CrashReport) -> None:
    """One line for a console user (the windowed exe has no stderr: sys.stderr is None there)."""
    stream = sys.stderr
    if stream is None:
        return
    try:
        where = f"; crash report {report.path}" if report.path else ""
        stream.write(f"zn-ladder: unexpected error in {report.thread}: {report.summary}{where}\n")
        stream.flush()
    except Exception:
        pass


def _log_tail() -> list[str]:
    try:
        from zn_ladder.config.logging_setup import log_file

        path = log_file()
        if not path.exists():
            return ["(no log file)"]
        with open(path, encoding="utf-8", errors="replace") as f:
            return [line.rstrip("\n") for line in f.readlines()[-LOG_TAIL_LINES:]]
    except Exception as exc:
        return [f"(the log could not be read: {exc})"]


def _enable_faulthandler() -> None:
    """Native crashes (a segfault in a Qt plugin) dump every thread's Python stack to faults.log."""
    try:
        folder = report_folder()
        folder.mkdir(parents=True, exist_ok=True)
        faults = open(folder / FAULTS_FILE, "a", encoding="utf-8")  # noqa: SIM115 (open while the app runs)
        faulthandler.enable(file=faults, all_threads=True)
        _state["faults"] = faults
    except Exception as exc:
        log.warning("faulthandler not enabled: %s", exc)
