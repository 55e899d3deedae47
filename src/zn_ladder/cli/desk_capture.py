"""`zn-ladder monitor --db postgresql://...`: the desk's one TT capture.

A monitor on a desk database first takes the capture lease of its app key and environment
(`store.desk.lease`). While another process holds it, this one stands by (and says so), trying every
`RETRY_S`; when the holder dies its connection ends, the server drops the lock and this one takes
over, opens the store, reads the cursor its predecessor committed and polls on: a poll is one
transaction with its cursor, so nothing is lost or doubled across the handover.

While it holds the lease it also polls working orders and positions for the whole desk, keeps the
latest snapshot of each, writes a heartbeat per feed, adds its TT requests to the desk's count, and
NOTIFYs the windows after each change. If the lease is taken from it (its session was ended) it
stands by again.

If the database cannot be reached (the server is down or the network to it), the capture that held
the lease goes on polling TT into its local buffer (`store.desk.buffer`, a SQLite store in the app's
data folder) from the last cursor it committed, asks the database again every `PROBE_S`, and uploads
the buffer as soon as it answers: the windows show the last data marked STALE meanwhile, and nothing
is lost. A monitor started while the server is down buffers too (it may be the only capture); a
standby does not (the capture it stands by for buffers). A buffer that was not uploaded (the process
was killed) is uploaded at the next start; the upload is idempotent.

This composes `tt` and `store` (sibling layers), hence the CLI package.
"""

from __future__ import annotations

import argparse
import logging
import threading
import time
from dataclasses import asdict
from fractions import Fraction
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zn_ladder.domain.schedule import CaptureWindow
    from zn_ladder.store.desk.lease import CaptureLease

log = logging.getLogger(__name__)
#: Seconds between a buffering capture's attempts to reach the desk database again.
PROBE_S = 2.0


def _hms() -> str:
    return time.strftime("%H:%M:%S")


def run_desk(args: argparse.Namespace, stop: threading.Event, window: CaptureWindow | None) -> int:
    from zn_ladder.cli.tt_connection import open_connection, require_credentials
    from zn_ladder.domain.errors import StoreUnreachable
    from zn_ladder.store.desk.connection import safe_url
    from zn_ladder.store.desk.lease import CaptureLease
    from zn_ladder.store.store import Store

    where = safe_url(args.db)
    reachable = True
    try:
        Store.open(args.db, verify=False).close()  # a bad URL, login or schema is refused now
    except StoreUnreachable as exc:
        if args.once:
            raise
        print(f"{_hms()} {exc}", flush=True)
        reachable = False  # the server is down at start: capture into the local buffer meanwhile
    with open_connection(args) as conn:
        require_credentials(conn)
        lease = CaptureLease(args.db, conn.env, conn.app_key)
        log.info("desk capture of %s (lease %s) on %s as %s", conn.env, lease.name, where, lease.holder)
        try:
            _serve(_Desk(args, conn, lease, where), stop, window, buffering=not reachable)
        finally:
            lease.release()
    return 0


class _Desk:
    """What one desk capture process works with: its arguments, TT connection, lease and buffer."""

    def __init__(self, args: argparse.Namespace, conn: Any, lease: CaptureLease, where: str) -> None:
        from zn_ladder.cli.monitor import cursor_source
        from zn_ladder.config.paths import data_dir
        from zn_ladder.store.desk.buffer import buffer_path

        self.args, self.conn, self.lease, self.where = args, conn, lease, where
        self.buffer = buffer_path(data_dir(), args.db, lease.name)
        self.fills_source = cursor_source(conn)
        #: The desk's count of this app key's requests (every capture process adds to this one row).
        self.budget_source = f"tt_budget:{conn.env}:{lease.name}"
        #: The last fills cursor this process committed (in the desk or the buffer): a buffer goes on from it.
        self.cursor: dict[str, Any] | None = None
        #: The desk's request count as last read (day, total): a buffering client counts on from it.
        self.shared: tuple[str, int] | None = None
        #: Requests (day, count) a capture spent but could not add to the desk's count (its database went
        #: away mid-poll): the next capture, or buffer, adds them.
        self.unshared: list[tuple[str, int]] = []
        #: The buffer could not be uploaded (not for want of the server): left for the next start.
        self.buffer_kept = False

    def drain_unshared(self) -> list[tuple[str, int]]:
        taken, self.unshared = self.unshared, []
        return taken


def _serve(desk: _Desk, stop: threading.Event, window: CaptureWindow | None, *, buffering: bool) -> None:
    """Capture while holding the lease; stand by while another holds it; buffer while the database
    cannot be reached (only a process that was capturing, or that started with the server down: a
    standby stays a standby); upload the buffer as soon as the database answers again."""
    from zn_ladder.cli.arg_types import desk_day_rule
    from zn_ladder.cli.monitor import _capture
    from zn_ladder.domain.errors import StoreError
    from zn_ladder.store.store import Store

    args, conn, lease = desk.args, desk.conn, desk.lease
    while not stop.is_set():
        if buffering:
            _capture_buffered(desk, stop, window)
            buffering = False
            continue
        if desk.buffer.exists() and not desk.buffer_kept and _upload(desk) == "unreachable":
            buffering = True
            continue
        # an upload that failed otherwise keeps its file for the next try (the next start, or after a
        # lost lease) and the capture goes on from the desk's own cursor: TT sends those fills again
        if not lease.held:
            if not lease.wait(stop, lambda who: print(f"{_hms()} standing by: {who} holds the capture lease of "
                                                      f"{conn.env} (lease {lease.name})", flush=True)):
                break
            continue  # from the top: a buffer a killed capture left on this PC is uploaded first
        hooks = DeskHooks(desk)
        try:
            with Store.open(args.db, day_rule=desk_day_rule()) as store:
                _capture(store, conn, args, stop, window, desk=hooks)
        except StoreError as exc:
            log.warning("desk capture: %s", exc)
            print(f"{_hms()} desk database unreachable: {exc}", flush=True)
            hooks.lost = True
        hooks.finish(desk)
        if not hooks.lost:
            break
        lease.release()
        lost = f"{_hms()} lost the capture lease of {conn.env}"
        if lease.try_acquire():  # the database is there and the lease free again (a dropped session)
            print(f"{lost}: it was free again, capturing on", flush=True)
        elif lease.unreachable is not None:
            print(f"{lost}: the desk database cannot be reached", flush=True)
            buffering = not stop.is_set()
        else:
            print(f"{lost}: standing by", flush=True)
            stop.wait(1.0)


def _capture_buffered(desk: _Desk, stop: threading.Event, window: CaptureWindow | None) -> None:
    """Poll TT into the local buffer until the desk database answers again (or the stop)."""
    from zn_ladder.cli.arg_types import desk_day_rule
    from zn_ladder.cli.monitor import _capture
    from zn_ladder.store.desk.buffer import open_buffer, seed_cursor

    print(f"{_hms()} the desk database cannot be reached: capturing into the local buffer {desk.buffer} "
          f"until it can; the buffer is uploaded then", flush=True)
    with open_buffer(desk.buffer, day_rule=desk_day_rule()) as store:
        desk.buffer_kept = False  # what it holds now is uploaded when the server answers
        seed_cursor(store, desk.fills_source, desk.cursor)
        hooks = BufferHooks(desk, store)
        _capture(store, desk.conn, desk.args, stop, window, desk=hooks)
        hooks.finish(desk)


def _upload(desk: _Desk) -> str:
    """Upload the buffer into the desk database ("uploaded"), or say why not and keep it ("unreachable",
    "failed")."""
    from zn_ladder.domain.errors import StoreError, StoreUnreachable
    from zn_ladder.store.desk.buffer import upload

    try:
        done = upload(desk.buffer, desk.args.db, cursor_source=desk.fills_source, who=desk.lease.holder)
    except StoreUnreachable as exc:
        print(f"{_hms()} the local buffer is kept: {exc}", flush=True)
        return "unreachable"
    except StoreError as exc:
        print(f"{_hms()} the local buffer {desk.buffer} could not be uploaded; it is kept and uploaded again at "
              f"the next start, and the capture goes on from the desk's cursor: {exc}", flush=True)
        desk.buffer_kept = True
        return "failed"
    print(f"{_hms()} {done.text()}", flush=True)
    return "uploaded"


class BufferHooks:
    """A capture into the local buffer: the requests it spends are kept there for the desk's count, and
    every `PROBE_S` it asks the desk database for the lease; it ends when the database answers."""

    def __init__(self, desk: _Desk, store: Any) -> None:
        self.desk, self.store = desk, store
        self.where = f"the local buffer {desk.buffer}"
        self.cursor: dict[str, Any] | None = None
        self.client: Any | None = None
        self._probe_due = time.monotonic() + PROBE_S

    def start(self, client: Any) -> None:
        """Count on from the desk's total as last read, plus what this buffer spent already."""
        from zn_ladder.store.desk.buffer import PENDING_BUDGET

        from zn_ladder.store.desk.buffer import add_pending_budget

        self.client = client
        for day, spent in self.desk.drain_unshared():
            add_pending_budget(self.store, self.desk.budget_source, day, spent)
        if self.desk.shared is not None:
            client.budget.share(*self.desk.shared)
        pending = (self.store.get_cursor(PENDING_BUDGET) or {}).get(self.desk.budget_source, {})
        day, _ = client.budget.take_spent()
        if pending.get(day):
            client.budget.carry_over({"day": day, "used": int(pending[day])})
            client.budget.take_spent()  # already in the buffer's pending count

    def finish(self, desk: _Desk) -> None:
        """What the capture leaves for the next: its cursor, and requests it spent but did not count."""
        desk.cursor = self.cursor if self.cursor is not None else desk.cursor
        if self.client is not None:
            from zn_ladder.store.desk.buffer import add_pending_budget

            day, spent = self.client.budget.take_spent()
            add_pending_budget(self.store, self.desk.budget_source, day, spent)

    def after_fills(self, client: Any, failure: str, changed: int) -> bool:
        from zn_ladder.store.desk.buffer import add_pending_budget

        day, spent = client.budget.take_spent()
        add_pending_budget(self.store, self.desk.budget_source, day, spent)
        if time.monotonic() < self._probe_due:
            return True
        self._probe_due = time.monotonic() + PROBE_S
        lease = self.desk.lease
        taken = lease.try_acquire()
        return not taken and lease.unreachable is not None  # answered: held by us or another; upload now


class DeskHooks:
    """What a desk capture does besides storing fills: heartbeat, orders/positions, budget, NOTIFY."""

    def __init__(self, desk: _Desk) -> None:
        args = desk.args
        self.desk = desk
        self.lease = desk.lease
        self.where = desk.where
        self.interval = float(args.interval)
        orders_s, positions_s = _default_intervals()
        self.orders_s = float(args.orders_interval or orders_s)
        self.positions_s = float(args.positions_interval or positions_s)
        self._orders_due = self._positions_due = 0.0
        self.lost = False
        #: The last fills cursor committed in the desk (set by the capture loop).
        self.cursor: dict[str, Any] | None = None
        #: The desk's request count as last read (day, total).
        self.shared: tuple[str, int] | None = None
        self.client: Any | None = None
        self._orders: Any = None  # the orders fetch of `client` (`start`)
        self._source = desk.budget_source

    def start(self, client: Any) -> None:
        """Count on from the desk's requests of today (every process of this app key). Called once the
        store is open and `monitoring ...` printed (a single-PC monitor's first line stays the first)."""
        from zn_ladder.store.desk.budget import add_spent

        print(f"{_hms()} took the capture lease of {self.lease.environment} (lease {self.lease.name}, "
              f"{self.lease.holder}): capturing", flush=True)
        from zn_ladder.tt.order_status import OrdersFetch

        self.client = client
        self._orders = OrdersFetch(client)  # statuses by name, as a window's own orders poll shows them
        for day, spent in self.desk.drain_unshared():  # a lost capture's last poll
            add_spent(self.lease.connection, self._source, day, spent)
        day, spent = client.budget.take_spent()
        self.shared = (day, add_spent(self.lease.connection, self._source, day, spent))
        client.budget.share(*self.shared)

    def finish(self, desk: _Desk) -> None:
        """What the capture leaves for the next: its cursor, the desk's count, requests it could not add."""
        desk.cursor = self.cursor if self.cursor is not None else desk.cursor
        desk.shared = self.shared or desk.shared
        if self.client is not None:
            day, spent = self.client.budget.take_spent()
            if spent:
                desk.unshared.append((day, spent))

    def after_fills(self, client: Any, failure: str, changed: int) -> bool:
        """After each fills poll (whose fills are committed): orders and positions when due, the
        heartbeat, the shared budget and the notification. False when the lease is gone."""
        import psycopg

        from zn_ladder.store.desk import heartbeat
        from zn_ladder.store.desk.budget import add_spent

        if not self.lease.still_held():
            self.lost = True
            return False
        conn, env, holder = self.lease.connection, self.lease.environment, self.lease.holder
        try:
            heartbeat.beat(conn, env, "fills", ok=not failure, error=failure, interval_s=self.interval, holder=holder)
            if changed:
                heartbeat.notify(conn, env, "fills", changed=changed)
            now = time.monotonic()
            if now >= self._orders_due:
                self._orders_due = now + self.orders_s
                self._poll(client, "orders", self.orders_s)
            if now >= self._positions_due:
                self._positions_due = now + self.positions_s
                self._poll(client, "positions", self.positions_s)
            day, spent = client.budget.take_spent()
            self.shared = (day, add_spent(conn, self._source, day, spent))
            client.budget.share(*self.shared)
        except psycopg.Error as exc:
            log.warning("desk capture: the lease's connection failed (%s)", exc)
            self.lost = True
            return False
        return True

    def _poll(self, client: Any, feed: str, interval_s: float) -> None:
        from zn_ladder.domain.errors import TTError
        from zn_ladder.store.desk import heartbeat
        from zn_ladder.store.desk.orders import order_row

        conn, env, holder = self.lease.connection, self.lease.environment, self.lease.holder
        try:
            if feed == "orders":
                result = self._orders()
                rows, taken = [order_row(o) for o in result.orders], result.received_ns
            else:
                rows, taken = [_position_row(p) for p in client.positions()], time.time_ns()
        except TTError as exc:
            heartbeat.beat(conn, env, feed, ok=False, error=str(exc), interval_s=interval_s, holder=holder)
            return
        with conn.transaction():  # the snapshot and its beat together: a window never sees one without the other
            heartbeat.put_snapshot(conn, env, feed, rows, taken)
            heartbeat.beat(conn, env, feed, ok=True, interval_s=interval_s, holder=holder)
            heartbeat.notify(conn, env, feed, rows=len(rows))


def _position_row(position: Any) -> dict[str, Any]:
    """A TT position as JSON: exact decimals kept as fraction text ("-1234375/32")."""
    return {k: (str(v) if isinstance(v, Fraction) else v) for k, v in asdict(position).items()}


def _default_intervals() -> tuple[float, float]:
    """The settings' orders and positions intervals (what one window would use)."""
    try:
        from zn_ladder.config.settings_file import load_settings

        polling = load_settings().settings.polling
        return float(polling.orders_s), float(polling.positions_s)
    except Exception as exc:  # noqa: BLE001 - a settings problem must not stop the capture
        log.warning("settings could not be read (%s): orders every 30 s, positions every 120 s", exc)
        return 30.0, 120.0
