"""The headless subscriber a window uses: woken by the capture's NOTIFY (only after its commit), told
the capture's heartbeat, and back after the database dropped it."""

from __future__ import annotations

import queue

import psycopg

from zn_ladder.store.desk import heartbeat
from zn_ladder.store.desk.subscriber import CaptureSubscriber

ENV = "ext_prod_sim"


def _next(q: queue.Queue, timeout: float = 20.0):
    """The next change the capture notified (the subscriber's start-up reads, sent_ns 0, skipped)."""
    while True:
        change = q.get(timeout=timeout)
        if getattr(change, "sent_ns", 1) != 0:
            return change


def test_a_notification_reaches_the_subscriber_of_its_environment_only(desk_url: str) -> None:
    changes: queue.Queue = queue.Queue()
    with CaptureSubscriber(desk_url, ENV, on_change=changes.put) as sub, \
            psycopg.connect(desk_url, autocommit=True) as capture:
        assert sub.wait_listening(20)
        heartbeat.notify(capture, "ext_uat_cert", "fills", changed=9)  # another desk's environment
        heartbeat.notify(capture, ENV, "fills", changed=3)
        change = _next(changes)
        assert (change.feed, change.environment, change.detail) == ("fills", ENV, {"changed": 3})
        assert change.received_ns >= change.sent_ns > 0 and change.snapshot is None
        assert changes.empty()


def test_orders_come_with_the_captures_snapshot_at_start_and_on_each_change(desk_url: str) -> None:
    rows_1 = [{"order_id": "o1", "account": "A1", "price": 35362}]
    rows_2 = [{"order_id": "o1", "account": "A1", "price": 35362}, {"order_id": "o2", "account": "A2", "price": 35370}]
    changes: queue.Queue = queue.Queue()
    with psycopg.connect(desk_url, autocommit=True) as capture:
        heartbeat.put_snapshot(capture, ENV, "orders", rows_1, 111)
        with CaptureSubscriber(desk_url, ENV, on_change=changes.put) as sub:
            assert sub.wait_listening(20)
            first = [changes.get(timeout=20) for _ in range(2)]  # what the capture held at start
            assert [c.snapshot for c in first if c.feed == "orders"] == [(111, rows_1)]
            assert [c.snapshot for c in first if c.feed == "positions"] == [None]  # none written yet
            heartbeat.put_snapshot(capture, ENV, "orders", rows_2, 222)
            heartbeat.notify(capture, ENV, "orders", rows=2)
            change = _next(changes)
    assert (change.feed, change.snapshot) == ("orders", (222, rows_2))


def test_nothing_is_delivered_before_the_capture_commits(desk_url: str) -> None:
    """The window reads the store when woken: it must never be woken before the fills are there."""
    changes: queue.Queue = queue.Queue()
    with CaptureSubscriber(desk_url, ENV, on_change=changes.put) as sub, \
            psycopg.connect(desk_url) as capture:
        assert sub.wait_listening(20)
        heartbeat.notify(capture, ENV, "fills", changed=1)  # inside the open transaction
        try:
            early = _next(changes, timeout=1.0)
        except queue.Empty:
            pass
        else:
            raise AssertionError(f"notified before the commit: {early}")
        capture.commit()
        assert _next(changes).detail == {"changed": 1}


def test_beats_come_from_the_capture_and_age(desk_url: str) -> None:
    beats: queue.Queue = queue.Queue()
    with psycopg.connect(desk_url, autocommit=True) as capture:
        heartbeat.beat(capture, ENV, "fills", ok=True, interval_s=0.5, holder="pc1:42", at_ns=1_000_000_000_000)
        heartbeat.beat(capture, ENV, "orders", ok=False, error="TT said 503", interval_s=30, holder="pc1:42",
                       at_ns=1_000_000_000_000)
        with CaptureSubscriber(desk_url, ENV, on_beats=beats.put, beat_s=0.1):
            seen = _next(beats)
    fills, orders = seen["fills"], seen["orders"]
    assert (fills.last_ok_ns, fills.last_try_ns, fills.interval_ms, fills.holder) == (10**12, 10**12, 500, "pc1:42")
    assert (orders.last_ok_ns, orders.last_error) == (None, "TT said 503")
    assert fills.age_s(10**12 + 250_000_000) == 0.25


def test_a_failed_poll_keeps_the_last_success(desk_url: str) -> None:
    with psycopg.connect(desk_url, autocommit=True) as conn:
        heartbeat.beat(conn, ENV, "fills", ok=True, interval_s=1, holder="a", at_ns=5 * 10**9)
        heartbeat.beat(conn, ENV, "fills", ok=False, error="boom", interval_s=1, holder="a", at_ns=6 * 10**9)
        beat = heartbeat.read_beats(conn, ENV)["fills"]
    assert (beat.last_ok_ns, beat.last_try_ns, beat.last_error) == (5 * 10**9, 6 * 10**9, "boom")


def test_the_subscriber_reconnects_after_the_database_dropped_it(desk_url: str) -> None:
    changes: queue.Queue = queue.Queue()
    errors: queue.Queue = queue.Queue()
    with CaptureSubscriber(desk_url, ENV, on_change=changes.put, on_error=errors.put) as sub, \
            psycopg.connect(desk_url, autocommit=True) as capture:
        assert sub.wait_listening(20)
        pid = sub._conn.info.backend_pid
        capture.execute("SELECT pg_terminate_backend(%s)", (pid,))
        assert _next(errors)  # it says the database dropped it
        while not (sub.wait_listening(20) and sub._conn.info.backend_pid != pid):
            pass
        heartbeat.notify(capture, ENV, "orders", rows=2)
        assert _next(changes).detail == {"rows": 2}


def test_beats_are_stamped_and_read_on_the_servers_clock(desk_url: str) -> None:
    """A capture PC and a window PC may disagree by seconds: both use the database server's clock."""
    with psycopg.connect(desk_url, autocommit=True) as conn:
        server = lambda: conn.execute("SELECT (extract(epoch FROM clock_timestamp()) * 1e6)::bigint").fetchone()[0]
        before = server() * 1000
        heartbeat.beat(conn, ENV, "fills", ok=True, interval_s=1, holder="a")
        after = server() * 1000
        beat = heartbeat.read_beats(conn, ENV)["fills"]
        read_after = server() * 1000
    assert before <= beat.last_ok_ns == beat.last_try_ns <= after
    assert after <= beat.read_ns <= read_after
    assert beat.age_s() == (beat.read_ns - beat.last_ok_ns) / 1e9


def test_a_snapshot_replaces_the_last_whole_even_when_empty(desk_url: str) -> None:
    with psycopg.connect(desk_url, autocommit=True) as conn:
        heartbeat.put_snapshot(conn, ENV, "orders", [{"order_id": "a", "account": "A1"},
                                                     {"order_id": "b", "account": "A2"}], 1)
        heartbeat.put_snapshot(conn, ENV, "orders", [{"order_id": "c", "account": "A2"}], 2)
        assert heartbeat.read_snapshot(conn, ENV, "orders") == (2, [{"order_id": "c", "account": "A2"}])
        heartbeat.put_snapshot(conn, ENV, "orders", [], 3)  # every order filled or cancelled
        assert heartbeat.read_snapshot(conn, ENV, "orders") == (3, [])
        assert heartbeat.read_snapshot(conn, ENV, "positions") is None
