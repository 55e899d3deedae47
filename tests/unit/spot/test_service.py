"""The reader thread's plumbing (queue, futures, coalescing, stop) with a scripted reader in place of
the browser; the real browser is exercised in tests/integration/spot/test_service.py."""

from __future__ import annotations

import threading
import time
from fractions import Fraction

import pytest

from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.prices import Price
from zn_ladder.spot.errors import PageUnreachableError
from zn_ladder.spot.pricing_monkey import ReaderSettings
from zn_ladder.spot.service import SpotReaderStopped, SpotReaderThread
from zn_ladder.spot.snapshot import SpotSnapshot

ZN = get_product("ZN")
SETTINGS = ReaderSettings(url="http://pm.example/sheet", locator="#zn", product=ZN)


class ScriptedReader:
    """Stands in for PricingMonkeyReader: records calls and the thread they ran on."""

    def __init__(self, settings: ReaderSettings) -> None:
        self.settings = settings
        self.calls: list[str] = []
        self.threads: set[int] = set()
        self.gate = threading.Event()
        self.gate.set()
        self.fail_next: Exception | None = None
        self.closed = False

    def _note(self, name: str) -> None:
        self.calls.append(name)
        self.threads.add(threading.get_ident())

    def read(self) -> SpotSnapshot:
        self._note("read")
        self.gate.wait(10)
        if self.fail_next is not None:
            exc, self.fail_next = self.fail_next, None
            raise exc
        n = self.calls.count("read")
        return SpotSnapshot.now(Price(Fraction(110) + Fraction(n, 64)), ZN, "pricing_monkey", f"read {n}",
                                url=self.settings.url)

    def open(self) -> None:
        self._note("open")

    def configure(self, settings: ReaderSettings) -> None:
        self._note("configure")
        self.settings = settings

    def reset_reference(self) -> None:
        self._note("reset_reference")

    def close(self) -> None:
        self._note("close")
        self.closed = True


@pytest.fixture
def scripted():
    made: list[ScriptedReader] = []

    def factory(settings: ReaderSettings) -> ScriptedReader:
        made.append(ScriptedReader(settings))
        return made[-1]

    service = SpotReaderThread(SETTINGS, reader_factory=factory)  # type: ignore[arg-type]
    service.start()
    yield service, made
    service.stop()
    assert not service.is_alive()


def test_everything_runs_on_the_one_reader_thread(scripted):
    service, made = scripted
    service.open().result(5)
    assert service.read(5).raw == "read 1"
    service.stop()
    reader = made[0]
    assert reader.calls == ["open", "read", "close"] and reader.threads == {service.ident}
    assert service.ident != threading.get_ident()


def test_reads_queued_behind_a_slow_read_are_answered_together(scripted):
    service, made = scripted
    first = service.submit_read()
    assert _wait_for(lambda: made and made[0].calls == ["read"])
    made[0].gate.clear()  # the next read blocks until released
    second = service.submit_read()
    assert _wait_for(lambda: made[0].calls == ["read", "read"])
    queued = [service.submit_read() for _ in range(5)]
    made[0].gate.set()
    assert first.result(5).raw == "read 1" and second.result(5).raw == "read 2"
    assert {f.result(5).raw for f in queued} == {"read 3"}  # one browser read for five callers
    assert made[0].calls.count("read") == 3


def test_errors_reach_the_caller_and_the_thread_survives(scripted):
    service, made = scripted
    service.open().result(5)
    made[0].fail_next = PageUnreachableError("http://pm.example/sheet did not load within 15s")
    calls: list[object] = []
    future = service.submit_read(callback=calls.append)
    with pytest.raises(PageUnreachableError, match="did not load"):
        future.result(5)
    assert calls == [future]
    made[0].fail_next = RuntimeError("bug")
    with pytest.raises(RuntimeError, match="bug"):
        service.read(5)
    assert service.read(5).source == "pricing_monkey" and service.is_alive()


def test_configure_and_reset_are_applied_in_order(scripted):
    service, made = scripted
    new = ReaderSettings(url="http://pm.example/other", locator="#zf", product=ZN)
    service.configure(new)
    service.reset_reference()
    assert service.read(5).url == "http://pm.example/other"
    assert made[0].calls == ["configure", "reset_reference", "read"]


def test_stop_closes_the_reader_and_fails_later_requests(scripted):
    service, made = scripted
    service.read(5)
    service.stop()
    assert made[0].closed and not service.is_alive()
    late = service.submit_read()
    with pytest.raises(SpotReaderStopped):
        late.result(1)
    service.stop()  # twice is fine


def _wait_for(predicate, timeout: float = 5.0) -> bool:
    """Poll until the reader thread got there (bounded); the thread's progress is the event we wait on."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.005)
    return bool(predicate())
