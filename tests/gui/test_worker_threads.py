"""Workers on QThreads: started on their own thread, stopped there, and never destroyed while running."""

from __future__ import annotations

import time

from PySide6.QtCore import QThread

from zn_ladder.workers.threads import Worker, WorkerThread, orphans, stop_all, wait_orphans


class Slow(Worker):
    def __init__(self, stop_takes: float) -> None:
        super().__init__("slow")
        self.stop_takes = stop_takes
        self.started_on: object = None
        self.stopped_on: object = None

    def start(self) -> None:
        self.started_on = QThread.currentThread()

    def on_stop(self) -> None:
        self.stopped_on = QThread.currentThread()
        time.sleep(self.stop_takes)


def test_start_and_stop_run_on_the_workers_thread(qtbot) -> None:
    worker = Slow(0.0)
    wt = WorkerThread(worker)
    wt.start()
    qtbot.waitUntil(lambda: worker.started_on is not None, timeout=3000)
    assert worker.started_on is wt.thread and worker.started_on is not QThread.currentThread()
    assert stop_all([wt], 3.0) and not wt.running
    assert worker.stopped_on is wt.thread and worker.stop_event.is_set()


def test_a_worker_missing_its_deadline_is_kept_until_it_ends(qtbot) -> None:
    worker = Slow(0.6)
    wt = WorkerThread(worker)
    wt.start()
    qtbot.waitUntil(lambda: worker.started_on is not None, timeout=3000)
    started = time.monotonic()
    assert stop_all([wt], 0.1) is False  # bounded: the owner does not wait for it
    assert time.monotonic() - started < 0.5
    assert orphans() == 1 and wt.running
    assert wait_orphans(5.0) and orphans() == 0 and not wt.running
