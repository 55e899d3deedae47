"""Source health: ok, stale after its allowance, failing since the first failure, recovery."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from zn_ladder.workers.health import HealthBoard, connection_text

T0 = datetime(2026, 11, 26, 14, 0, 0, tzinfo=timezone.utc)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


def test_a_source_goes_ok_stale_failing_and_back() -> None:
    clock = Clock()
    board = HealthBoard(clock)
    board.configure("orders", 5.0)  # allowance 2 x 5 + 5 = 15 s
    assert board.health("orders").state == "ok"
    clock.now = T0 + timedelta(seconds=16)
    stale = board.health("orders")
    assert (stale.state, stale.last_error) == ("stale", "no data yet")
    board.ok("orders")
    good = board.health("orders")
    assert good.state == "ok" and good.last_ok_at == T0 + timedelta(seconds=16)
    clock.now = T0 + timedelta(seconds=20)
    assert board.failed("orders", "HTTP 503") is True
    clock.now = T0 + timedelta(seconds=30)
    assert board.failed("orders", "HTTP 502") is False  # the failure continues; `since` stays
    bad = board.health("orders")
    assert (bad.state, bad.since, bad.last_error) == ("failing", T0 + timedelta(seconds=20), "HTTP 502")
    assert bad.last_ok_at == T0 + timedelta(seconds=16)  # the last good data is still named
    assert board.ok("orders") is True  # recovered
    assert board.health("orders").state == "ok"


def test_a_slow_source_turns_stale_with_its_age() -> None:
    clock = Clock()
    board = HealthBoard(clock)
    board.configure("fills", 1.0)
    board.ok("fills")
    clock.now = T0 + timedelta(seconds=7.5)
    h = board.health("fills")
    assert h.state == "stale" and "no answer for 7s" in h.last_error
    assert h.since == T0 + timedelta(seconds=7)


def test_connection_text_names_the_time_tt_became_unreachable() -> None:
    clock = Clock()
    board = HealthBoard(clock)
    for name in ("orders", "fills", "positions"):
        board.configure(name, 5.0)
    assert connection_text(board.snapshot()) == "connecting"
    for name in ("orders", "fills", "positions"):
        board.ok(name)
    assert connection_text(board.snapshot()) == "connected"
    board.failed("fills", "timeout")
    assert connection_text(board.snapshot()) == "degraded"
    board.failed("orders", "timeout")
    board.failed("positions", "timeout")
    text = connection_text(board.snapshot())
    assert text == f"unreachable since {T0.astimezone().strftime('%H:%M:%S')}"
    assert connection_text(board.snapshot(), has_credentials=False) == "no credentials"
