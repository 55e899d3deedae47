"""`PositionCheck`: the store's positions against TT's, compared on the store's writer thread."""

from __future__ import annotations

import threading

import pytest

from zn_ladder.domain.records import Fill, Side, SodLot
from zn_ladder.domain.reconcile import PositionDifference
from zn_ladder.store.writer import StoreWriter
from zn_ladder.tt.records import Position
from zn_ladder.workers.position_check import PositionCheck

A, B = "1334000", "1334001"
DEC = "ZN Dec26"


def tt(account: str, contract: str, net: int) -> Position:
    return Position(account=account, instrument_id="123", contract=contract, net_position=net)


@pytest.fixture
def writer(store_url: str):
    w = StoreWriter(store_url, name="zn-store-writer")  # the PC's file, or a desk database
    w.start().result(10)
    w.put_sod([SodLot(A, DEC, 2, 3530)], source="test").result(10)
    w.ingest([Fill("f1", A, DEC, Side.BUY, 3, 3531, 1), Fill("f2", B, DEC, Side.SELL, 1, 3532, 2),
              Fill("f3", A, "ZB Dec26", Side.BUY, 4, 3533, 3)], source="test").result(10)
    yield w
    w.stop(10)


def test_agreeing_positions_report_nothing(qtbot, writer: StoreWriter) -> None:
    check = PositionCheck(writer.submit)
    result = check.tt_polled([tt(A, DEC, 5), tt(B, DEC, -1), tt(A, "ZB Dec26", 4)]).result(10)
    assert result.differences == () and result.seen == () and result.poll


def test_a_difference_is_reported_after_the_second_poll_only(qtbot, writer: StoreWriter) -> None:
    ran_on: list[threading.Thread] = []

    def submit(job):
        return writer.submit(lambda store: (ran_on.append(threading.current_thread()), job(store))[1])

    check = PositionCheck(submit)
    got = []
    check.checked.connect(got.append)
    positions = [tt(A, DEC, 7), tt(B, DEC, -1)]  # TT counts 2 more than the store's 5 for A
    first = check.tt_polled(positions).result(10)
    assert first.seen == (PositionDifference(A, "ZB Dec26", 4, 0), PositionDifference(A, DEC, 5, 7))
    assert first.differences == ()
    assert check.store_changed().result(10).differences == ()  # a store change is not a poll
    second = check.tt_polled(positions).result(10)
    assert second.differences == first.seen
    qtbot.waitUntil(lambda: len(got) == 3)
    assert got[-1] is second
    assert len(ran_on) == 3 and all(t.name == "zn-store-writer" for t in ran_on)  # off the GUI thread


def test_the_store_catching_up_clears_the_difference(qtbot, writer: StoreWriter) -> None:
    check = PositionCheck(writer.submit, include=lambda account, contract: contract.startswith("ZN "))
    positions = [tt(A, DEC, 7), tt(B, DEC, -1), tt(B, "ZB Dec26", 9)]  # ZB is not this window's product
    check.tt_polled(positions).result(10)
    assert check.tt_polled(positions).result(10).differences == (PositionDifference(A, DEC, 5, 7),)
    writer.ingest([Fill("f4", A, DEC, Side.BUY, 2, 3531, 4)], source="test").result(10)
    assert check.store_changed().result(10).differences == ()
    assert check.tt_polled(positions).result(10).differences == ()  # counting starts again


def test_nothing_is_compared_before_the_first_poll(qtbot, writer: StoreWriter) -> None:
    check = PositionCheck(writer.submit)
    assert check.store_changed() is None
