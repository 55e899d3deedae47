"""The capture lease: one holder per app key and environment on a desk database; the standby takes it
as soon as the holder's session ends; the holder notices when its session was ended under it."""

from __future__ import annotations

import hashlib
import threading

import psycopg

from zn_ladder.store.desk.lease import CaptureLease


def test_one_holder_per_key_and_environment(desk_url: str) -> None:
    first = CaptureLease(desk_url, "ext_prod_sim", "KEY-A")
    second = CaptureLease(desk_url, "ext_prod_sim", "KEY-A")
    other_key = CaptureLease(desk_url, "ext_prod_sim", "KEY-B")
    other_env = CaptureLease(desk_url, "ext_uat_cert", "KEY-A")
    try:
        assert first.try_acquire()
        assert not second.try_acquire()
        assert other_key.try_acquire() and other_env.try_acquire()  # their own leases
        # still_held reads the lock back from pg_locks: keys of both signs (KEY-A's hash is positive,
        # KEY-B's and the UAT one negative) must be recognised as the 64-bit key they were taken with
        assert first.still_held() and other_key.still_held() and other_env.still_held()
        assert not second.still_held()
    finally:
        for lease in (first, second, other_key, other_env):
            lease.release()


def test_the_lease_names_a_hash_never_the_key(desk_url: str) -> None:
    lease = CaptureLease(desk_url, "ext_prod_live", "the-app-key-1234")
    try:
        assert lease.try_acquire()
        with psycopg.connect(desk_url, autocommit=True) as conn:
            rows = conn.execute("SELECT environment, lease_key, holder FROM capture_lease").fetchall()
            locks = conn.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'").fetchone()[0]
        digest = hashlib.sha256(b"zn_ladder capture\0ext_prod_live\0the-app-key-1234").digest()
        assert rows == [("ext_prod_live", digest[:8].hex(), lease.holder)]
        assert "the-app-key-1234" not in repr(rows)
        assert locks == 1
    finally:
        lease.release()


def test_standby_takes_over_when_the_holders_session_ends(desk_url: str) -> None:
    holder = CaptureLease(desk_url, "ext_prod_sim", "KEY")
    standby = CaptureLease(desk_url, "ext_prod_sim", "KEY")
    stop = threading.Event()
    told: list[str] = []
    got: list[bool] = []
    try:
        assert holder.try_acquire()
        waiter = threading.Thread(target=lambda: got.append(standby.wait(stop, told.append)))
        waiter.start()
        while not told:  # it has found the lease taken and is standing by
            waiter.join(0.05)
        assert told == [holder.holder] and not got
        # the server ends the holder's session (what it does when the holder's process or PC dies)
        with psycopg.connect(desk_url, autocommit=True) as conn:
            pid = holder.connection.info.backend_pid
            conn.execute("SELECT pg_terminate_backend(%s)", (pid,))
        waiter.join(30)
        assert got == [True]
        assert not holder.still_held()  # the old holder finds out on its next check and stops
        assert standby.still_held()
    finally:
        stop.set()
        holder.release()
        standby.release()


def test_a_stopped_standby_gives_up_waiting(desk_url: str) -> None:
    holder = CaptureLease(desk_url, "ext_prod_sim", "KEY")
    standby = CaptureLease(desk_url, "ext_prod_sim", "KEY")
    stop = threading.Event()
    try:
        assert holder.try_acquire()
        stop.set()
        assert standby.wait(stop) is False
        assert holder.still_held()
    finally:
        holder.release()
        standby.release()


def test_an_unreachable_database_is_a_failed_attempt_not_a_crash(pg_cluster) -> None:
    lease = CaptureLease(f"postgresql://postgres@127.0.0.1:{pg_cluster.port}/no_such_db", "ext_prod_sim", "KEY")
    assert lease.try_acquire() is False
    assert not lease.still_held()
    assert "no_such_db" in lease.unreachable
    stop, told = threading.Event(), []
    threading.Timer(1.2, stop.set).start()
    assert lease.wait(stop, told.append) is False
    assert told == []  # nobody holds it: it is not "standing by" behind another capture


def test_a_holder_whose_lock_is_gone_on_a_live_session_knows_it(desk_url: str) -> None:
    """still_held asks the server for the lock itself, not only whether the session lives."""
    lease = CaptureLease(desk_url, "ext_prod_sim", "KEY")
    try:
        assert lease.try_acquire() and lease.still_held()
        lease.connection.execute("SELECT pg_advisory_unlock(%s)", (lease.key,))
        assert not lease.still_held()
        assert not lease.held
    finally:
        lease.release()
