from __future__ import annotations

import threading
from fractions import Fraction

import pytest

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.prices import Price
from zn_ladder.spot.board import SpotBoard
from zn_ladder.spot.manual import manual_snapshot
from zn_ladder.spot.snapshot import SpotSnapshot

ZN = get_product("ZN")


def _live(raw: str = "110-08.5", at: float = 1000.0) -> SpotSnapshot:
    from dataclasses import replace
    snap = SpotSnapshot.now(Price(Fraction(110) + Fraction(17, 64)), ZN, "pricing_monkey", raw, url="http://pm/")
    return replace(snap, read_monotonic=at)


def test_snapshot_age_formats_and_last_good():
    snap = _live(at=1000.0)
    assert snap.age(1012.5) == 12.5 and snap.age(990.0) == 0.0
    assert snap.formats() == {"decimal": "110.265625", "tt": "110'085", "cme": "110-085",
                              "pricing_monkey": "110-08.5"}
    old = snap.as_last_good("page down")
    assert (old.source, old.error, old.price, old.read_at) == ("last_good", "page down", snap.price, snap.read_at)
    with pytest.raises(AttributeError):
        snap.raw = "x"  # frozen: safe to hand between threads


@pytest.mark.parametrize("text", ["110-16+", "110'165", "110-16.5", "110.515625", " 110-165 "])
def test_manual_entry_in_any_form(text):
    snap = manual_snapshot(text, ZN)
    assert snap.source == "manual" and snap.raw == text.strip() and snap.url is None
    assert snap.formats()["tt"] == "110'165"


def test_board_prefers_manual_then_live_then_last_good():
    board = SpotBoard(ZN, stale_after_s=30)
    assert board.current() is None
    board.record_read(_live(at=1000.0))
    assert board.current(1001.0).source == "pricing_monkey"
    board.record_failure("page down")
    fallback = board.current(1001.0)
    assert fallback.source == "last_good" and fallback.error == "page down" and fallback.raw == "110-08.5"
    board.set_manual("111-00")
    assert board.manual_active and board.current(1001.0).source == "manual"
    board.record_read(_live("110-09.0", at=1002.0))  # live reads continue underneath the typed spot
    assert board.current(1003.0).raw == "111-00"
    board.clear_manual()
    now = board.current(1003.0)
    assert now.source == "pricing_monkey" and now.raw == "110-09.0" and board.last_error is None


def test_board_marks_a_live_value_stale_when_reads_stop():
    board = SpotBoard(ZN, stale_after_s=30)
    board.record_read(_live(at=1000.0))
    assert board.current(1030.0).source == "pricing_monkey"
    stale = board.current(1045.0)
    assert stale.source == "last_good" and stale.error == "no Pricing Monkey read for 45s"


def test_board_refuses_a_bad_manual_entry_and_keeps_what_it_had():
    board = SpotBoard(ZN)
    board.set_manual("110-16+")
    with pytest.raises(InputError, match="'abc' is not a valid ZN price"):
        board.set_manual("abc")
    assert board.current().raw == "110-16+"
    with pytest.raises(ValueError):
        board.record_read(SpotSnapshot.now(Price(Fraction(108)), get_product("ZF"), "pricing_monkey", "108"))


def test_failure_before_any_good_read_has_no_spot_but_says_why():
    board = SpotBoard(ZN)
    board.record_failure(RuntimeError("line one\nline two"))
    assert board.current() is None and board.last_error == "line one"


def test_board_is_safe_to_feed_and_read_from_several_threads():
    board = SpotBoard(ZN)
    stop = threading.Event()
    seen: list[str] = []

    def feed() -> None:
        while not stop.is_set():
            board.record_read(_live(at=float("inf")))
            board.record_failure("x")

    feeder = threading.Thread(target=feed)
    feeder.start()
    try:
        for _ in range(2000):
            current = board.current(0.0)
            if current is not None:
                seen.append(current.source)
    finally:
        stop.set()
        feeder.join(10)
    assert seen and set(seen) <= {"pricing_monkey", "last_good"}
