"""A feed's staleness from the capture's heartbeat: STALE once the capture has neither tried nor
succeeded for two of its intervals (a dead capture stops trying; a failing one stops succeeding)."""

from zn_ladder.store.desk.heartbeat import FeedBeat

S = 1_000_000_000


def _beat(last_ok_s, last_try_s, interval_ms=1000):
    return FeedBeat("ext_prod_sim", "fills", None if last_ok_s is None else last_ok_s * S, last_try_s * S,
                    interval_ms, "", "pc:1")


def test_a_live_capture_is_fresh_until_two_intervals_pass():
    beat = _beat(100, 100)  # 1 s interval: STALE after 2 s
    assert not beat.stale(101 * S)
    assert not beat.stale(102 * S)
    assert beat.stale(102 * S + 1)


def test_a_capture_that_tries_but_fails_goes_stale_from_its_last_success():
    beat = _beat(100, 110)  # still trying at 110, last success at 100
    assert beat.stale(110 * S)


def test_a_feed_that_never_succeeded_is_stale():
    assert _beat(None, 100).stale(100 * S)


def test_the_interval_is_the_captures_own():
    slow = _beat(100, 100, interval_ms=30_000)  # orders every 30 s: STALE after 60 s, not 2 s
    assert not slow.stale(159 * S)
    assert slow.stale(161 * S)
    assert slow.age_s(130 * S) == 30.0
