"""`monitor`'s sleep outside the capture window: wall-clock slices of at most a second, so a stop or
a clock jump (the PC slept) is noticed at once. A fake clock and event stand in for time itself."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from zn_ladder.cli.monitor import SLICE_S, sleep_until

T0 = datetime(2026, 12, 5, 20, 0, tzinfo=timezone.utc)


class FakeTime:
    """`now()` and an event whose `wait` advances the clock by the time waited (plus any jump)."""

    def __init__(self, jumps: dict[int, timedelta] | None = None, stop_after: int | None = None) -> None:
        self.at = T0
        self.waits: list[float] = []
        self.jumps = jumps or {}
        self.stop_after = stop_after
        self._set = False

    def now(self) -> datetime:
        return self.at

    def is_set(self) -> bool:
        return self._set

    def wait(self, timeout: float) -> bool:
        self.waits.append(timeout)
        self.at += timedelta(seconds=timeout) + self.jumps.get(len(self.waits), timedelta())
        if self.stop_after is not None and len(self.waits) >= self.stop_after:
            self._set = True
        return self._set


def test_sleeps_in_slices_until_the_wall_clock_reaches_the_opening():
    fake = FakeTime()
    assert sleep_until(T0 + timedelta(seconds=3.5), fake, fake.now) is False
    assert fake.waits == [SLICE_S, SLICE_S, SLICE_S, 0.5] and fake.at == T0 + timedelta(seconds=3.5)


def test_a_stop_ends_the_sleep_within_a_slice():
    fake = FakeTime(stop_after=2)
    assert sleep_until(T0 + timedelta(hours=20), fake, fake.now) is True
    assert fake.waits == [SLICE_S, SLICE_S]


def test_a_clock_jump_wakes_it_at_once():
    fake = FakeTime(jumps={1: timedelta(hours=3)})  # the PC slept through the opening
    assert sleep_until(T0 + timedelta(hours=2), fake, fake.now) is False
    assert fake.waits == [SLICE_S]


def test_an_opening_already_passed_does_not_wait():
    fake = FakeTime()
    assert sleep_until(T0 - timedelta(seconds=1), fake, fake.now) is False and fake.waits == []
