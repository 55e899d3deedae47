"""File › Write today's report: the day's workbook written off the GUI thread.

Two steps on two threads, neither the GUI's: the store's writer thread (the one owner of the SQLite
connection) reads the day's rows, a short-lived thread of its own builds the report and writes the
file. The writer thread only reads, so a poll's fills wait for a few milliseconds of SELECTs, never for
a workbook being laid out. `written(path)` or `failed(message)` comes back on the GUI thread (queued),
where the window shows it and opens the folder.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from zn_ladder.domain.trading_day import TradingDayRule, day_bounds_ns, trading_day
from zn_ladder.workers.poller import error_text

log = logging.getLogger(__name__)


def report_name(day: Any, account: str | None) -> str:
    return f"zn-ladder-report-{day}{'-' + account if account else ''}.xlsx"


class ReportJob(QObject):
    #: The report was written: its path.
    written = Signal(object)
    #: It was not: one line saying why.
    failed = Signal(str)

    def __init__(self, submit: Callable[[Callable[[Any], Any]], Future], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._submit = submit
        self._threads: list[threading.Thread] = []
        #: The threads that did the reading and the writing (for the tests: never the GUI's).
        self.threads_used: list[str] = []

    def write_today(self, folder: Path, rule: TradingDayRule, account: str | None = None,
                    now_ns: int | None = None) -> Future:
        """Write the report of the trading day of `now_ns` (default: now) into `folder`."""
        from zn_ladder.store.day import read_day

        day = trading_day(time.time_ns() if now_ns is None else now_ns, rule)
        start, end = day_bounds_ns(day, rule)
        path = Path(folder) / report_name(day, account)

        def read(store: Any) -> Any:  # the writer's thread
            self.threads_used.append(threading.current_thread().name)
            return read_day(store.conn, day, start, end, account)

        future = self._submit(read)
        future.add_done_callback(lambda f: self._then_write(f, day, rule, account, path))
        return future

    def _then_write(self, future: Future, day: Any, rule: TradingDayRule, account: str | None, path: Path) -> None:
        exc = future.exception()
        if exc is not None:
            self.failed.emit(f"the day's fills could not be read: {error_text(exc)}")
            return
        thread = threading.Thread(target=self._write, args=(future.result(), day, rule, account, path),
                                  name="zn-report-writer", daemon=True)
        self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()

    def _write(self, rows: Any, day: Any, rule: TradingDayRule, account: str | None, path: Path) -> None:
        from zn_ladder.domain.day_report import report_for_day
        from zn_ladder.reports.write import write_report

        self.threads_used.append(threading.current_thread().name)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            report = report_for_day(rows, day=day, rule=rule, account=account)
            write_report(report, path)
        except Exception as exc:  # a message for the window, never a crash of the app
            log.warning("report not written: %s", exc)
            self.failed.emit(f"report not written: {error_text(exc)}")
            return
        log.info("report written: %s", path)
        self.written.emit(path)

    def wait(self, timeout_s: float = 10.0) -> bool:
        """Wait for the writing threads (at shutdown, in tests); True when none is left running."""
        deadline = time.monotonic() + timeout_s
        for thread in list(self._threads):
            thread.join(max(0.0, deadline - time.monotonic()))
        return not any(t.is_alive() for t in self._threads)
