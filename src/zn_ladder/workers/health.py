"""How each data source is doing, for the status strip and the banner.

Why a board and not flags on the workers: health is a judgement across time ("the last good orders
poll was 3 minutes ago"), not a property of one poll, so every poll result is recorded here (from any
thread) and the status timer asks the board for `SourceHealth` values. A source is `failing` while
its last attempt failed, `stale` when its last good read is older than its allowance (a slow or hung
TT answers nothing at all, which is not an error yet but must not look live), `ok` otherwise.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from zn_ladder.workers.snapshots import SourceHealth

TT_SOURCES = ("orders", "fills", "positions")
#: Grace added to twice the interval before a source counts as stale (a poll takes time too).
STALE_GRACE_S = 5.0


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(slots=True)
class _Source:
    interval_s: float
    started_at: datetime
    last_ok_at: datetime | None = None
    failing_since: datetime | None = None
    last_error: str = ""
    grace_s: float = STALE_GRACE_S

    @property
    def allowance(self) -> timedelta:
        return timedelta(seconds=2 * self.interval_s + self.grace_s)


class HealthBoard:
    """Thread-safe record of every source's last good read and last failure."""

    def __init__(self, clock: Callable[[], datetime] = utc_now) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._sources: dict[str, _Source] = {}

    def configure(self, name: str, interval_s: float) -> None:
        """Declare a source (or change its interval); its staleness allowance follows the interval."""
        with self._lock:
            source = self._sources.get(name)
            if source is None:
                self._sources[name] = _Source(float(interval_s), self._clock())
            else:
                source.interval_s = float(interval_s)

    def ok(self, name: str, at: datetime | None = None) -> bool:
        """A good read; True when the source was failing before (the banner should clear now)."""
        at = at or self._clock()
        with self._lock:
            source = self._sources.setdefault(name, _Source(0.0, at))
            recovered = source.failing_since is not None
            source.last_ok_at = at
            source.failing_since = None
            source.last_error = ""
            return recovered

    def failed(self, name: str, error: str, at: datetime | None = None) -> bool:
        """A failed read; True when this starts a failure (it was not failing before)."""
        at = at or self._clock()
        with self._lock:
            source = self._sources.setdefault(name, _Source(0.0, at))
            started = source.failing_since is None
            if started:
                source.failing_since = at
            source.last_error = error
            return started

    def observed(self, name: str, interval_s: float, last_ok_at: datetime | None, failing_since: datetime | None,
                 error: str = "", grace_s: float = 0.0) -> None:
        """A source polled by someone else (the desk's capture), as its heartbeat reports it: its
        interval, last success and current failure replace what the board held. `grace_s`: the
        heartbeat is read every so often, so a live source's beat can be that much older than its
        interval; the desk reads often enough that two intervals stay the limit the issue sets."""
        with self._lock:
            source = self._sources.setdefault(name, _Source(float(interval_s), self._clock()))
            source.interval_s, source.grace_s = float(interval_s), float(grace_s)
            source.last_ok_at = last_ok_at
            source.failing_since = failing_since
            source.last_error = error if failing_since is not None else ""

    def health(self, name: str, now: datetime | None = None) -> SourceHealth:
        now = now or self._clock()
        with self._lock:
            source = self._sources.get(name)
            if source is None:
                return SourceHealth(name)
            return _judge(name, source, now)

    def snapshot(self, names: Iterable[str] | None = None, now: datetime | None = None) -> tuple[SourceHealth, ...]:
        now = now or self._clock()
        with self._lock:
            keys = list(self._sources) if names is None else [n for n in names if n in self._sources]
            return tuple(_judge(n, self._sources[n], now) for n in keys)


def _judge(name: str, s: _Source, now: datetime) -> SourceHealth:
    if s.failing_since is not None:
        return SourceHealth(name, "failing", s.last_ok_at, s.failing_since, s.last_error, s.interval_s)
    if s.interval_s > 0:
        reference = s.last_ok_at or s.started_at
        if now - reference > s.allowance:
            why = (f"no answer for {int((now - reference).total_seconds())}s (polled every {s.interval_s:g}s)"
                   if s.last_ok_at else "no data yet")
            return SourceHealth(name, "stale", s.last_ok_at, reference + s.allowance, why, s.interval_s)
    return SourceHealth(name, "ok", s.last_ok_at, s.last_ok_at, interval_s=s.interval_s)


def connection_text(health: Iterable[SourceHealth], *, has_credentials: bool = True) -> str:
    """"connected", "degraded" or "unreachable since HH:MM:SS" (local time), from the TT sources."""
    tt = [h for h in health if h.name in TT_SOURCES]
    if not has_credentials:
        return "no credentials"
    if not tt:
        return "starting"
    failing = [h for h in tt if h.state == "failing"]
    if failing and len(failing) == len(tt):
        since = min((h.since for h in failing if h.since is not None), default=None)
        when = since.astimezone().strftime("%H:%M:%S") if since else "now"
        return f"unreachable since {when}"
    if failing or any(h.state == "stale" for h in tt):
        return "degraded"
    if all(h.last_ok_at is None for h in tt):
        return "connecting"
    return "connected"
