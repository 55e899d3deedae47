"""The store's trading days (issue 15 §2): closing the days that ended, the P&L curve, the closed days.

A mixin of `Store` (its own module to keep the store's file to its writes and reads): it uses the
store's connection, write transaction, rule (`day_rule`) and clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from zn_ladder.domain.trading_day import trading_day
from zn_ladder.store import audit, curve, days, db
from zn_ladder.store.backend import Connection


class TradingDays:
    """`Store`'s trading-day methods. `_close_days` runs inside each batch's transaction."""

    def _close_days(self, conn: Connection, batch: Any) -> None:
        """Drop the closed days the batch changed, and close the days that ended (a query per book,
        once per trading day)."""
        now = self.clock()
        today = trading_day(now, self.day_rule)
        if days.invalidate_changed(conn, batch.changed, self.day_rule, today):
            self._days_stale = True
        if self._days_closed_before != today:
            days.close_days(conn, self.day_rule, today, now)
            self._days_closed_before, self._days_stale = today, False

    def close_days(self, *, rebuild: bool = False) -> int:
        """Close every trading day before today's that has fills and no row yet (all of them again
        with `rebuild`); the number of rows written."""
        now = self.clock()
        today = trading_day(now, self.day_rule)
        with self._write("close trading days") as conn:
            if rebuild:
                written = days.rebuild(conn, self.day_rule, today, now)
                audit.record(conn, audit.DAYS_REBUILT, {"rows": written, "rule": str(self.day_rule)})
            else:
                written = days.close_days(conn, self.day_rule, today, now)
        self._days_closed_before, self._days_stale = today, False
        return written

    def put_curve(self, points: Sequence[curve.CurvePoint]) -> int:
        """Store intraday P&L curve points (the window's, as it computed them)."""
        with self._write("store the P&L curve") as conn:
            return curve.put_points(conn, points, self.day_rule)

    def curve(self, day: date, contract: str | None = None, account: Any = None,
              market: str | None = None) -> list[curve.CurvePoint]:
        with db.translated(self.path, "read the P&L curve"):
            return curve.read_points(self.conn, day, contract, account, market)

    def closed_days(self, account: Any = None, contract: str | None = None, market: str | None = None,
                    day: date | None = None) -> list[days.ClosedDay]:
        """The closed days (those a batch dropped computed again first)."""
        if self._days_stale and not self.readonly:
            self.close_days()
        with db.translated(self.path, "read closed days"):
            return days.read_days(self.conn, account, contract, market, day)
