"""SpotReaderThread with the real browser: reads from other threads, callbacks, crash, clean stop."""

from __future__ import annotations

import threading
from concurrent.futures import Future

import pytest

from tests.integration.spot.conftest import browser_processes, kill_browser, reader_settings
from zn_ladder.spot.board import SpotBoard
from zn_ladder.spot.errors import SpotValueError
from zn_ladder.spot.service import SpotReaderStopped, SpotReaderThread
from zn_ladder.spot.snapshot import SpotSnapshot


def test_reads_from_many_threads_through_one_browser(pages, tmp_path):
    with SpotReaderThread(reader_settings(pages, tmp_path)) as service:
        service.open().result(30)  # warm: browser up and page loaded before the first read
        assert len(browser_processes(tmp_path)) == 1
        results: list[SpotSnapshot] = []
        lock = threading.Lock()

        def worker() -> None:
            for _ in range(3):
                snapshot = service.read(timeout=30)
                with lock:
                    results.append(snapshot)

        threads = [threading.Thread(target=worker) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert len(results) == 12 and {s.raw for s in results} == {"110-08.5"}
        assert 1 <= service.reads_done <= 12  # reads queued together are answered together
    assert not service.is_alive()
    assert browser_processes(tmp_path) == []


def test_callback_feeds_the_board_and_failures_keep_the_last_good(pages, tmp_path):
    board = SpotBoard(reader_settings(pages, tmp_path).product)
    done = threading.Event()

    def on_done(future: Future) -> None:
        if future.exception() is None:
            board.record_read(future.result())
        else:
            board.record_failure(future.exception())
        done.set()

    with SpotReaderThread(reader_settings(pages, tmp_path)) as service:
        service.submit_read(on_done)
        assert done.wait(30)
        assert board.current().source == "pricing_monkey"
        done.clear()
        service.configure(reader_settings(pages, tmp_path, "/garbage", read_timeout_s=0.3)).result(10)
        service.submit_read(on_done)
        assert done.wait(30)
    current = board.current()
    assert current.source == "last_good" and current.raw == "110-08.5"
    assert "'#N/A'" in current.error


def test_browser_killed_while_the_service_runs(pages, tmp_path):
    with SpotReaderThread(reader_settings(pages, tmp_path)) as service:
        assert service.read(timeout=30).raw == "110-08.5"
        kill_browser(tmp_path)
        assert service.read(timeout=30).raw == "110-08.5"
    assert browser_processes(tmp_path) == []


def test_stopped_service_refuses_reads(pages, tmp_path):
    service = SpotReaderThread(reader_settings(pages, tmp_path))
    service.start()
    service.stop()
    assert not service.is_alive()
    with pytest.raises(SpotReaderStopped):
        service.read(timeout=5)


def test_sanity_limit_applies_across_reads_of_the_service(pages, tmp_path):
    with SpotReaderThread(reader_settings(pages, tmp_path)) as service:
        service.read(timeout=30)
        service.configure(reader_settings(pages, tmp_path, "/grid?zn=107-00")).result(10)
        with pytest.raises(SpotValueError, match="'107-00'"):
            service.read(timeout=30)
        service.reset_reference().result(10)
        assert service.read(timeout=30).raw == "107-00"
