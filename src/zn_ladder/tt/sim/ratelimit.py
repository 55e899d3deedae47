"""The usage-plan limits TT's gateway enforces: requests per second, per day, and one POST per 10 s.

A token bucket of `rate` tokens per second holding at most one second's worth (at least one) lets a short
burst through as TT's gateway does, and tells a refused caller how long to wait (Retry-After).
Refused requests do not consume budget.
"""

from __future__ import annotations

import math
import threading
import time


class RateLimiter:
    def __init__(self, rate: float | None, daily: int | None = None, post_interval: float | None = None) -> None:
        self._rate = rate
        self._daily = daily
        self._post_interval = post_interval
        self._capacity = max(1.0, rate or 1.0)
        self._tokens = self._capacity
        self._stamp = time.monotonic()
        self._today = 0
        self._last_post: float | None = None
        self._lock = threading.Lock()

    def admit(self, is_post: bool = False) -> float | None:
        """None when the request may proceed; else the seconds after which it would be admitted."""
        with self._lock:
            now = time.monotonic()
            if self._daily is not None and self._today >= self._daily:
                return 3600.0
            if is_post and self._post_interval is not None and self._last_post is not None:
                wait = self._last_post + self._post_interval - now
                if wait > 0:
                    return wait
            if self._rate is not None:
                self._tokens = min(self._capacity, self._tokens + (now - self._stamp) * self._rate)
                self._stamp = now
                if self._tokens < 1.0:
                    return (1.0 - self._tokens) / self._rate
                self._tokens -= 1.0
            self._today += 1
            if is_post:
                self._last_post = now
            return None

    @staticmethod
    def retry_after_header(wait: float) -> str:
        """Whole seconds, rounded up (the header takes an integer), at least 1."""
        return str(max(1, math.ceil(wait)))
