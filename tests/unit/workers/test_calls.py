"""Stoppable calls: results and errors come back; a stop walks away from a hung call at once."""

from __future__ import annotations

import threading
import time

import pytest

from zn_ladder.workers.calls import Cancelled, CallRunner


def test_result_and_error_come_back_and_the_thread_ends() -> None:
    runner = CallRunner("t")
    stop = threading.Event()
    assert runner.call(lambda: 41 + 1, stop) == 42
    with pytest.raises(ZeroDivisionError):
        runner.call(lambda: 1 / 0, stop)
    assert runner.join(1.0) and runner.in_flight == 0


def test_a_stop_abandons_a_hung_call_and_join_is_bounded() -> None:
    runner = CallRunner("t")
    stop = threading.Event()
    release = threading.Event()
    threading.Timer(0.05, stop.set).start()
    started = time.monotonic()
    with pytest.raises(Cancelled):
        runner.call(lambda: release.wait(10), stop)
    assert time.monotonic() - started < 1.0
    assert runner.in_flight == 1
    assert runner.join(0.05) is False  # still hung: join gives up on time
    release.set()
    assert runner.join(2.0) is True


def test_nothing_starts_once_stopped() -> None:
    stop = threading.Event()
    stop.set()
    called = []
    with pytest.raises(Cancelled):
        CallRunner("t").call(lambda: called.append(1), stop)
    assert called == []
