"""`zn-ladder monitor --db postgresql://...`: the desk's one TT capture.

A monitor on a desk database first takes the capture lease of its app key and environment
(`store.desk.lease`). While another process holds it, this one stands by (and says so), trying every
`RETRY_S`; when the holder dies its connection ends, the server drops the lock and this one takes
over, opens the store, reads the cursor its predecessor committed and polls on: a poll is one
transaction with its cursor, so nothing is lost or doubled across the handover.

While it holds the lease it also polls working orders and positions for the whole desk, keeps the
latest snapshot of each, writes a heartbeat per feed, adds its TT requests to the desk's count, and
NOTIFYs the windows after each change. If the lease is lost (the database went away, a network
partition the keepalives ended) it stops capturing and stands by again.

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


def _hms() -> str:
    return time.strftime("%H:%M:%S")


def run_desk(args: argparse.Namespace, stop: threading.Event, window: CaptureWindow | None) -> int:
    from zn_ladder.cli.arg_types import desk_day_rule
    from zn_ladder.cli.monitor import _capture
    from zn_ladder.cli.tt_connection import open_connection, require_credentials
    from zn_ladder.domain.errors import StoreError
    from zn_ladder.store.desk.connection import safe_url
    from zn_ladder.store.desk.lease import CaptureLease
    from zn_ladder.store.store import Store

    where = safe_url(args.db)
    Store.open(args.db, verify=False).close()  # a bad URL or server is refused now; the schema is there
    with open_connection(args) as conn:
        require_credentials(conn)
        lease = CaptureLease(args.db, conn.env, conn.app_key)
        log.info("desk capture of %s (lease %s) on %s as %s", conn.env, lease.name, where, lease.holder)
        try:
            while not stop.is_set():
                if not lease.wait(stop, lambda who: print(f"{_hms()} standing by: {who} holds the capture lease of "
                                                          f"{conn.env} (lease {lease.name})", flush=True)):
                    break
                hooks = DeskHooks(lease, args, where)
                try:
                    with Store.open(args.db, day_rule=desk_day_rule()) as store:
                        _capture(store, conn, args, stop, window, desk=hooks)
                except StoreError as exc:
                    log.warning("desk capture: %s", exc)
                    print(f"{_hms()} desk database unreachable: {exc}", flush=True)
                    hooks.lost = True
                if not hooks.lost:
                    break
                lease.release()
                print(f"{_hms()} lost the capture lease of {conn.env}: standing by", flush=True)
                stop.wait(1.0)
        finally:
            lease.release()
    return 0


class DeskHooks:
    """What a desk capture does besides storing fills: heartbeat, orders/positions, budget, NOTIFY."""

    def __init__(self, lease: CaptureLease, args: argparse.Namespace, where: str) -> None:
        self.lease = lease
        self.where = where
        self.interval = float(args.interval)
        orders_s, positions_s = _default_intervals()
        self.orders_s = float(args.orders_interval or orders_s)
        self.positions_s = float(args.positions_interval or positions_s)
        self._orders_due = self._positions_due = 0.0
        self.lost = False
        self._source = ""

    def start(self, client: Any) -> None:
        """Count on from the desk's requests of today (every process of this app key). Called once the
        store is open and `monitoring ...` printed (a single-PC monitor's first line stays the first)."""
        from zn_ladder.store.desk.budget import add_spent

        print(f"{_hms()} took the capture lease of {self.lease.environment} (lease {self.lease.name}, "
              f"{self.lease.holder}): capturing", flush=True)
        self._source = f"tt_budget:{self.lease.environment}:{self.lease.name}"
        day, spent = client.budget.take_spent()
        client.budget.share(day, add_spent(self.lease.connection, self._source, day, spent))

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
            client.budget.share(day, add_spent(conn, self._source, day, spent))
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
                result = client.orders()
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
