import threading

import pytest

from zn_ladder.domain.errors import TTError
from zn_ladder.tt.access_token import TokenManager


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now

    def sleep(self, s):
        self.now += s


def counting_fetch(lifetime=3600.0):
    calls = []

    def fetch():
        calls.append(1)
        return f"tok{len(calls)}", lifetime

    return fetch, calls


def test_token_is_reused_then_refreshed_ahead_of_expiry():
    clock = Clock()
    fetch, calls = counting_fetch(3600)
    tm = TokenManager(fetch, min_interval=10, clock=clock, sleep=clock.sleep)
    assert tm.get() == "tok1"
    clock.now = 3500  # more than 60 s left
    assert tm.get() == "tok1"
    clock.now = 3545  # 55 s left: refresh ahead
    assert tm.get() == "tok2"
    assert len(calls) == 2


def test_short_lifetimes_refresh_at_ten_percent_left():
    clock = Clock()
    fetch, calls = counting_fetch(10)
    tm = TokenManager(fetch, min_interval=0, clock=clock, sleep=clock.sleep)
    tm.get()
    clock.now = 8.9
    assert tm.get() == "tok1"
    clock.now = 9.1
    assert tm.get() == "tok2"


def test_invalidate_only_drops_the_token_that_was_refused():
    clock = Clock()
    fetch, calls = counting_fetch()
    tm = TokenManager(fetch, min_interval=0, clock=clock, sleep=clock.sleep)
    old = tm.get()
    tm.invalidate(old)
    new = tm.get()
    assert new == "tok2"
    tm.invalidate(old)  # a second worker reporting the same stale token: no new request
    assert tm.get() == "tok2" and len(calls) == 2


def test_a_refused_key_is_not_asked_again_within_the_interval():
    clock = Clock()
    calls = []

    def fetch():
        calls.append(1)
        raise TTError("refused")

    tm = TokenManager(fetch, min_interval=10, clock=clock, sleep=clock.sleep)
    for _ in range(5):
        with pytest.raises(TTError, match="refused"):
            tm.get()
    assert len(calls) == 1
    clock.now = 10.5
    with pytest.raises(TTError):
        tm.get()
    assert len(calls) == 2


def test_refresh_after_a_401_waits_for_the_post_interval():
    clock = Clock()
    fetch, calls = counting_fetch()
    tm = TokenManager(fetch, min_interval=10, clock=clock, sleep=clock.sleep)
    first = tm.get()
    clock.now = 2.0
    tm.invalidate(first)
    assert tm.get() == "tok2"
    assert clock.now == pytest.approx(10.0)  # waited, did not POST twice within 10 s


def test_many_threads_share_one_fetch():
    gate = threading.Event()
    calls = []

    def fetch():
        calls.append(1)
        gate.wait(5)
        return "shared", 3600

    tm = TokenManager(fetch, min_interval=0)
    results = []
    threads = [threading.Thread(target=lambda: results.append(tm.get())) for _ in range(8)]
    for t in threads:
        t.start()
    gate.set()
    for t in threads:
        t.join()
    assert results == ["shared"] * 8 and len(calls) == 1
    assert "shared" not in repr(tm._token)


def test_the_wait_for_the_post_interval_is_slept_without_the_lock():
    """Issue 13 §16: a worker waiting out TT's 10 s POST interval must not hold the lock, or every other
    worker (and `invalidate` after a 401) stalls behind it."""
    clock = Clock()
    fetch, calls = counting_fetch(3600)
    held_while_sleeping = []

    def sleep(seconds):
        held_while_sleeping.append(tm._lock.locked())
        clock.sleep(seconds)

    tm = TokenManager(fetch, min_interval=10, clock=clock, sleep=sleep)
    assert tm.get() == "tok1"
    tm.invalidate("tok1")  # TT refused it: a new one only 10 s after the last POST
    clock.now = 3.0
    assert tm.get() == "tok2"
    assert held_while_sleeping == [False] and clock.now == 10.0 and len(calls) == 2


def test_other_callers_are_not_stalled_while_one_waits_for_the_interval():
    import time

    fetch, calls = counting_fetch(3600)
    release = threading.Event()
    sleeping = threading.Event()
    clock = Clock()

    def sleep(seconds):
        sleeping.set()
        release.wait(5)
        clock.sleep(seconds)

    tm = TokenManager(fetch, min_interval=10, clock=clock, sleep=sleep)
    tm.get()
    tm.invalidate("tok1")
    waiter = threading.Thread(target=tm.get)
    waiter.start()
    assert sleeping.wait(5)
    started = time.monotonic()
    tm.invalidate("nothing")  # takes the lock: must not wait for the sleeper
    assert tm.seconds_left is None
    assert time.monotonic() - started < 1.0
    release.set()
    waiter.join(5)
    assert not waiter.is_alive()
