"""The writer thread owns the store: work runs there in order, results come back as Futures."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from zn_ladder.domain.errors import StoreError
from zn_ladder.store.writer import StoreWriter

from .conftest import make_fill


def test_work_runs_on_the_writer_thread_in_submission_order(store_url: str) -> None:
    with StoreWriter(store_url) as writer:
        threads: list[str] = []
        first = writer.ingest([make_fill("e1", 1, 2, 7000, 0)], source="tt_api")
        second = writer.ingest([make_fill("e2", -1, 1, 7004, 1), make_fill("e1", 1, 2, 7000, 0)])
        seen = writer.submit(lambda store: threads.append(threading.current_thread().name) or store.fill_count())
        snap = writer.snapshot("ZN Sep25")
        assert first.result(10).added == 1
        assert (second.result(10).added, second.result(10).duplicate) == (1, 1)
        assert seen.result(10) == 2
        assert threads == ["store-writer"]
        snapshot = snap.result(10)
        assert [f.key for f in snapshot.fills] == ["e1", "e2"]
        assert snapshot.pnl["lifo"].position == 1
        assert snapshot.pnl["fifo"].realized == 4 * snapshot.pnl["fifo"].product.tick_value
    assert not writer.alive


def test_callbacks_fire_with_the_result(store_url: str) -> None:
    got: list[int] = []
    done = threading.Event()
    with StoreWriter(store_url) as writer:
        future = writer.ingest([make_fill("e1")])
        future.add_done_callback(lambda f: (got.append(f.result().added), done.set()))
        assert done.wait(10)
    assert got == [1]


def test_errors_reach_the_caller_and_the_thread_lives_on(store_url: str) -> None:
    with StoreWriter(store_url) as writer:
        def boom(store):
            raise StoreError("disk on fire")

        with pytest.raises(StoreError, match="disk on fire"):
            writer.submit(boom).result(10)
        assert writer.ingest([make_fill("e1")]).result(10).added == 1
        writer.audit("settings_changed", {"key": "spot.source", "old": "manual", "new": "pricing_monkey"},
                     who="support@desk").result(10)
        entries = writer.submit(lambda s: s.audit_entries("settings_changed")).result(10)
        assert entries[0].who == "support@desk" and entries[0].detail["new"] == "pricing_monkey"


def test_a_store_that_cannot_open_fails_start_and_queued_work(tmp_path: Path) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"not sqlite at all" * 20)
    writer = StoreWriter(bad)
    opened = writer.start()
    with pytest.raises(StoreError, match="damaged"):
        opened.result(10)
    with pytest.raises(StoreError):
        writer.ingest([make_fill("e1")]).result(10)
    writer.stop()
    assert not writer.alive


def test_work_after_stop_is_refused(store_url: str) -> None:
    writer = StoreWriter(store_url)
    writer.start().result(10)
    writer.stop()
    with pytest.raises(StoreError, match="not running"):
        writer.ingest([make_fill("e1")]).result(10)
