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
        """A valid token, fetching one if there is none or the current one is close to expiry."""
        with self._lock:
            now = self._clock()
            if self._token is not None and now < self._token.refresh_at():
                return self._token.value
            return self._refresh(now)

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

    def _refresh(self, now: float) -> str:
        if self._last_attempt is not None:
            wait = self._last_attempt + self._min_interval - now
            if wait > 0:
                if self._last_error is not None:
                    # The key was refused moments ago: say so again without asking TT (no loop).
                    raise self._last_error
                if self._token is not None and now < self._token.expires_at:
                    return self._token.value  # still valid; refresh once the interval allows
                self._sleep(wait)
                now = self._clock()
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
