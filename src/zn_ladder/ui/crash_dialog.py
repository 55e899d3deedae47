"""The window's side of crash reports: a dialog that says an error happened and where its report is.

Why: the packaged app has no console, so without this an exception in a slot or a worker thread is
invisible: a pane stops updating and nobody knows why. `zn_ladder.crash` writes the report from the
crashing thread and calls our notifier there; the notifier only emits a signal, which Qt queues to the
GUI thread, where the dialog is shown. While the event loop runs the dialog is modeless (the ladder keeps
updating behind it; several crashes reuse one dialog and count); when no loop runs any more (the window
already gone) it is shown modally so the message is read before the process ends.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QThread, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMessageBox

from zn_ladder import crash

log = logging.getLogger(__name__)

TITLE = "zn_ladder - unexpected error"


class CrashDialogs(QObject):
    """Lives in the GUI thread; `notify` may be called from any thread."""

    reported = Signal(object)  # crash.CrashReport

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.dialog: QMessageBox | None = None
        self.count = 0
        self.reported.connect(self._show)

    def notify(self, report: crash.CrashReport) -> None:
        self.reported.emit(report)

    @staticmethod
    def text_for(report: crash.CrashReport, count: int = 1) -> str:
        where = (f"A crash report was written to:\n{report.path}" if report.path
                 else "The crash report could not be written.")
        again = f" ({count} errors so far)" if count > 1 else ""
        return (f"zn_ladder hit an unexpected error in {report.thread}{again}:\n{report.summary}\n\n{where}\n\n"
                "Send this file to support. The numbers on screen may be stale: restart the app if a pane "
                "stops updating.")

    @Slot(object)
    def _show(self, report: crash.CrashReport) -> None:
        app = QApplication.instance()
        if app is None:  # the process is already tearing Qt down: the report and stderr line must do
            return
        self.count += 1
        parent = QApplication.activeWindow()
        if self.dialog is None:
            box = QMessageBox(QMessageBox.Icon.Critical, TITLE, "", QMessageBox.StandardButton.Close, parent)
            box.setObjectName("crashDialog")
            self.open_folder = box.addButton("Open folder", QMessageBox.ButtonRole.ActionRole)
            self.open_folder.clicked.connect(self._open_folder)
            box.finished.connect(self._closed)
            self.dialog = box
        self.report = report
        self.dialog.setText(self.text_for(report, self.count))
        if QThread.currentThread().loopLevel() > 0 or app.platformName() in ("offscreen", "minimal"):
            self.dialog.show()  # nobody could click a modal box offscreen (CI, selftest): never block there
            self.dialog.raise_()
        else:
            self.dialog.exec()

    def _open_folder(self) -> None:
        path = getattr(self, "report", None) and self.report.path
        if path:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))

    def _closed(self, _result: int) -> None:
        self.dialog = None


def install_crash_dialog(app: QApplication) -> CrashDialogs:
    """Install the crash hooks (if not yet) and show a dialog for every report from now on."""
    crash.install(faults=True)
    dialogs = CrashDialogs(app)
    crash.add_notifier(dialogs.notify)
    app.aboutToQuit.connect(lambda: crash.remove_notifier(dialogs.notify))
    return dialogs
