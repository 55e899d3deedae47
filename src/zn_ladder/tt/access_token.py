"""The TT access token: in memory only, refreshed ahead of expiry, shared by every worker.

TT allows one POST (token request) every ten seconds and a revoked key answers 401 for ever, so the
manager never asks in a loop: a failed request is remembered and re-raised without a new POST until
`min_interval` has passed. A 401 on a data call invalidates exactly the token that call used; if
another worker has already replaced it, nobody asks again (see `TTClient._get`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from zn_ladder.domain.errors import TTError

log = logging.getLogger(__name__)

#: Refresh when this share of the lifetime is left, or `REFRESH_MAX_AHEAD` seconds, whichever is less.
REFRESH_SHARE = 0.1
REFRESH_MAX_AHEAD = 60.0


@dataclass(frozen=True, slots=True)
class Token:
    value: str = field(repr=False)
    lifetime: float
    obtained_at: float  # monotonic

    @property
    def expires_at(self) -> float:
        return self.obtained_at + self.lifetime

    def refresh_at(self) -> float:
        return self.expires_at - min(REFRESH_MAX_AHEAD, self.lifetime * REFRESH_SHARE)


#: Fetches a new token: returns (access token, seconds until expiry); raises TTError on refusal.
Fetch = Callable[[], tuple[str, float]]


class TokenManager:
    def __init__(self, fetch: Fetch, *, min_interval: float = 10.0,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> None:
        self._fetch = fetch
        self._min_interval = min_interval
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._token: Token | None = None
        self._last_attempt: float | None = None
        self._last_error: TTError | None = None
        self.refreshes = 0

    def get(self) -> str:
        """A valid token, fetching one if there is none or the current one is close to expiry.

        A wait for TT's POST interval is slept *without* the lock: `invalidate`, `seconds_left` and
        the other workers are never stalled behind it (they re-check when it ends, and the first one
        back fetches for all).
        """
        while True:
            with self._lock:
                now = self._clock()
                if self._token is not None and now < self._token.refresh_at():
                    return self._token.value
                wait = self._wait_before_refresh(now)
                if wait <= 0:
                    return self._refresh(now)
            self._sleep(wait)

    def invalidate(self, value: str) -> None:
        """Forget `value` after TT refused it (401), unless another caller already replaced it."""
        with self._lock:
            if self._token is not None and self._token.value == value:
                log.info("TT refused the current token; a new one will be requested")
                self._token = None

    def clear(self) -> None:
        with self._lock:
            self._token = None
            self._last_error = None

    @property
    def seconds_left(self) -> float | None:
        token = self._token
        return None if token is None else token.expires_at - self._clock()

    def _wait_before_refresh(self, now: float) -> float:
        """Seconds to wait before TT's POST interval allows a token request (0: ask now). Raises the
        last refusal again inside the interval."""
        if self._last_attempt is None:
            return 0.0
        wait = self._last_attempt + self._min_interval - now
        if wait <= 0:
            return 0.0
        if self._last_error is not None:
            # The key was refused moments ago: say so again without asking TT (no loop).
            raise self._last_error
        if self._token is not None and now < self._token.expires_at:
            return 0.0  # still valid: `_refresh` hands it back until the interval allows a new one
        return wait

    def _refresh(self, now: float) -> str:
        """Ask TT for a token (the caller holds the lock and the interval allows it), or hand back the
        current one while it is still valid and the interval does not allow asking yet."""
        if self._last_attempt is not None and self._last_attempt + self._min_interval > now:
            if self._token is not None and now < self._token.expires_at:
                return self._token.value
        self._last_attempt = now
        try:
            value, lifetime = self._fetch()
        except TTError as exc:
            self._last_error = exc
            self._token = None
            raise
        self._last_error = None
        self._token = Token(value, float(lifetime), self._clock())
        self.refreshes += 1
        log.info("TT token obtained, valid for %.0f s", lifetime)
        return value
