"""The spot worker with the real Pricing Monkey reader (headless Chromium) on a local page."""

from __future__ import annotations

from pathlib import Path

from tests.integration.spot.conftest import ZN, browser_processes, reader_settings
from tests.integration.spot.pages import PagesServer
from zn_ladder.domain.prices import parse_price
from zn_ladder.workers.spot_worker import SpotWorker
from zn_ladder.workers.threads import WorkerThread, stop_all


def test_reads_keeps_the_last_good_value_takes_a_typed_spot_and_closes_the_browser(qtbot, tmp_path: Path) -> None:
    pages = PagesServer().start()
    profile = tmp_path / "profile"
    thread = None
    try:
        pages.zn_mid = "110-08.5"
        worker = SpotWorker(ZN, "pricing_monkey", 0.3, reader_settings=reader_settings(pages, profile))
        seen = []
        worker.spotReady.connect(lambda snap: seen.append(snap))
        failures = []
        worker.failed.connect(lambda msg: failures.append(msg))
        thread = WorkerThread(worker)
        thread.start()
        qtbot.waitUntil(lambda: any(s.source == "pricing_monkey" for s in seen) or bool(failures), timeout=30_000)
        assert not failures, failures
        good = next(s for s in seen if s.source == "pricing_monkey")
        assert good.price == parse_price("110-08.5", ZN, spot=True) and good.raw == "110-08.5"
        worker._reader.configure(reader_settings(pages, profile, path="/garbage"))  # the page shows #N/A now
        qtbot.waitUntil(lambda: bool(failures) and seen[-1].source == "last_good", timeout=30_000)
        assert seen[-1].price == good.price and failures[0].startswith("Pricing Monkey:")
        typed = parse_price("110-16+", ZN, spot=True)
        worker.manualRequested.emit(typed)
        qtbot.waitUntil(lambda: seen[-1].source == "manual", timeout=5000)
        assert seen[-1].price == typed
        # The page recovers with another value: the typed spot stays in force, the reads stand by.
        standby = []
        worker.standby.connect(lambda snap: standby.append(snap))
        pages.zn_mid = "110-09"
        worker._reader.configure(reader_settings(pages, profile))
        qtbot.waitUntil(lambda: len(standby) >= 2, timeout=30_000)
        assert standby[-1].price == parse_price("110-09", ZN) and seen[-1].price == typed
        worker.clearRequested.emit()  # Clear: back to the live value at once
        qtbot.waitUntil(lambda: seen[-1].source == "pricing_monkey", timeout=5000)
        assert seen[-1].price == parse_price("110-09", ZN)
        assert browser_processes(profile)
        assert stop_all([thread], 15.0)
        assert not thread.running
        qtbot.waitUntil(lambda: not browser_processes(profile), timeout=10_000)
    finally:
        if thread is not None:
            stop_all([thread], 15.0)
        pages.stop()
