"""The window's crash dialog: a report from any thread shows where the file is, and the app goes on."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from zn_ladder.crash import CrashReport
from zn_ladder.ui.crash_dialog import CrashDialogs


def test_a_report_from_a_worker_thread_opens_one_dialog_with_the_path(qtbot, tmp_path: Path) -> None:
    dialogs = CrashDialogs()
    path = tmp_path / "logs" / "crash-20250101-120000-1-1.txt"
    worker = threading.Thread(target=dialogs.notify, args=(CrashReport(path, "RuntimeError: boom", "fills-poller"),))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: dialogs.dialog is not None and dialogs.dialog.isVisible())
    box = dialogs.dialog
    assert isinstance(box, QMessageBox)
    assert str(path) in box.text() and "fills-poller" in box.text() and "RuntimeError: boom" in box.text()
    dialogs.notify(CrashReport(path, "RuntimeError: again", "MainThread"))
    qtbot.waitUntil(lambda: "2 errors so far" in box.text())
    assert dialogs.dialog is box  # one dialog, not a pile of them
    box.close()
    qtbot.waitUntil(lambda: dialogs.dialog is None)


def test_a_report_that_could_not_be_written_says_so(qtbot) -> None:
    dialogs = CrashDialogs()
    dialogs.notify(CrashReport(None, "OSError: disk full", "MainThread"))
    qtbot.waitUntil(lambda: dialogs.dialog is not None and dialogs.dialog.isVisible())
    assert "could not be written" in dialogs.dialog.text()
    dialogs.dialog.close()


SCRIPT = textwrap.dedent("""
    import sys, threading
    from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot
    from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox
    from zn_ladder.config.logging_setup import setup_file_logging
    from zn_ladder.ui.crash_dialog import install_crash_dialog

    app = QApplication(sys.argv[:1])
    setup_file_logging()
    dialogs = install_crash_dialog(app)
    window = QMainWindow()
    window.show()

    def slot_bug():
        raise ZeroDivisionError("in a Qt slot, password=hunter2-not-logged")

    def thread_bug():
        raise LookupError("in a worker thread")

    class Worker(QObject):  # the app's workers: a QObject moved to a QThread, driven by signals
        poke = Signal()

        @Slot()
        def work(self):
            raise KeyError("in a QThread worker's slot")

    worker_thread = QThread()
    worker_thread.setObjectName("fills-qthread")
    worker = Worker()
    worker.moveToThread(worker_thread)
    worker.poke.connect(worker.work)
    worker_thread.start()

    def check():
        boxes = [w for w in app.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
        if boxes and dialogs.count == 3:
            print("DIALOG", boxes[0].text().replace("\\n", " | "), flush=True)
            print("WINDOW", window.isVisible(), flush=True)
            app.quit()

    QTimer.singleShot(0, slot_bug)
    QTimer.singleShot(50, lambda: threading.Thread(target=thread_bug, name="store-writer").start())
    QTimer.singleShot(100, worker.poke.emit)
    app.aboutToQuit.connect(lambda: (worker_thread.quit(), worker_thread.wait()))
    poll = QTimer()
    poll.timeout.connect(check)
    poll.start(20)
    QTimer.singleShot(20000, lambda: (print("TIMEOUT", dialogs.count, flush=True), app.exit(3)))
    sys.exit(app.exec())
""")


def test_exceptions_in_a_slot_a_thread_and_a_qthread_worker_show_the_dialog_and_keep_the_window(cli_env) -> None:
    home = Path(cli_env["ZN_LADDER_HOME"])
    cli_env["QT_QPA_PLATFORM"] = "offscreen"
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=cli_env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    reports = sorted((home / "logs").glob("crash-*.txt"))
    assert len(reports) == 3
    texts = "\n".join(p.read_text(encoding="utf-8") for p in reports)
    assert "ZeroDivisionError" in texts and "LookupError" in texts and "thread: store-writer" in texts
    assert "KeyError" in texts and "in a QThread worker's slot" in texts
    assert "hunter2-not-logged" not in texts
    dialog = next(line for line in done.stdout.splitlines() if line.startswith("DIALOG"))
    assert "3 errors so far" in dialog
    assert any(str(p) in dialog for p in reports)
    assert "WINDOW True" in done.stdout
    assert (home / "logs" / "faults.log").exists()  # faulthandler armed for native crashes
