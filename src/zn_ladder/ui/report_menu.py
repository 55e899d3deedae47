"""File › Write today's report: the menu item, and what the window does when the report is written.

The writing is `workers.report_job.ReportJob`'s (the store's thread reads, a thread of its own writes);
here the window only asks for it and, on the GUI thread, says where the file went and opens its folder
with the desktop's file manager (`QDesktopServices`). The item is disabled until a session (and so a
store) is running.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMainWindow, QMenu

from zn_ladder.workers.report_job import ReportJob


class ReportAction(QObject):
    def __init__(self, window: QMainWindow, menu: QMenu) -> None:
        super().__init__(window)
        self.window = window
        self.action = menu.addAction("Write today's &report")
        self.action.setObjectName("writeReportAction")
        self.action.setToolTip("Write today's report (workbook with the day's P&L chart) and open its folder")
        self.action.setEnabled(False)
        self.action.triggered.connect(self.write)
        self.job: ReportJob | None = None
        self._rule: Callable[[], Any] | None = None
        self._account: str | None = None
        self._folder: Path | None = None

    def attach(self, submit: Callable, rule: Callable[[], Any], account: str | None, folder: Path) -> None:
        """Work through the running session's store (`submit`), under the settings' trading-day `rule`."""
        self.job = ReportJob(submit, parent=self)
        self.job.written.connect(self.written)
        self.job.failed.connect(self.failed)
        self._rule, self._account, self._folder = rule, account, Path(folder)
        self.action.setEnabled(True)

    def write(self) -> None:
        if self.job is None or self._rule is None or self._folder is None:
            return
        self.window.statusBar().showMessage("Writing today's report…", 10_000)
        self.job.write_today(self._folder, self._rule(), self._account)

    def written(self, path: Path) -> None:
        self.window.statusBar().showMessage(f"Report written: {path}", 20_000)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(path).parent)))

    def failed(self, message: str) -> None:
        self.window.statusBar().showMessage(message, 30_000)
