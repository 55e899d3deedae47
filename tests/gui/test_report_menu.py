"""File › Write today's report in the running app (DEMO on the built-in simulator): the workbook is
written off the GUI thread into the reports folder, holds the store's fills of the day, and its folder
is opened through QDesktopServices (caught here by a URL handler instead of a file manager)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices

from zn_ladder.domain.trading_day import DEFAULT_RULE, day_bounds_ns, trading_day
from zn_ladder.store.db import connect
from zn_ladder.store.fills import live_fills

from .live_app import make_controller


class Opened(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


@pytest.fixture
def opened():
    catcher = Opened()
    QDesktopServices.setUrlHandler("file", catcher, "open")
    yield catcher
    QDesktopServices.unsetUrlHandler("file")


def test_menu_writes_todays_workbook_off_the_gui_thread_and_opens_its_folder(qtbot, tmp_path: Path, ui_home: Path,
                                                                           opened) -> None:
    import openpyxl

    controller = make_controller(tmp_path, sim={"step_interval": None, "history_fills": 12})
    w = controller.window
    qtbot.addWidget(w)
    action = w.report_action.action
    assert not action.isEnabled()  # no store before the session runs
    w.show()
    controller.start()
    try:
        qtbot.waitUntil(lambda: w.fills.model.rowCount() > 0 and action.isEnabled(), timeout=20_000)
        job = w.report_action.job
        with qtbot.waitSignal(job.written, timeout=30_000) as written:
            action.trigger()
        path = Path(written.args[0])
        from zn_ladder.app import reports_dir

        assert path.parent == reports_dir() and ui_home in path.parents
        assert job.threads_used and threading.main_thread().name not in job.threads_used
        assert job.threads_used[-1] == "zn-report-writer"
        qtbot.waitUntil(lambda: bool(opened.urls), timeout=5_000)
        assert Path(opened.urls[0].toLocalFile()) == path.parent
        assert "Report written" in w.statusBar().currentMessage()
        day = trading_day(time.time_ns(), DEFAULT_RULE)
        assert path.name == f"zn-ladder-report-{day}.xlsx"
        start, end = day_bounds_ns(day, DEFAULT_RULE)
        conn = connect(controller.session.config.db_path, readonly=True)
        try:
            stored = [f.key for f in live_fills(conn, since_ns=start, until_ns=end)]
        finally:
            conn.close()
        book = openpyxl.load_workbook(path)
        assert [r[9] for r in book["Fills"].iter_rows(min_row=2, values_only=True)] == stored
        assert stored  # the simulator's day has fills
    finally:
        w.close()
        controller.shutdown()
