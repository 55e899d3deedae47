"""Access tokens of the simulated `ttid`: issued for the right key and secret, expiring, revocable.

Tokens are random (not seeded): nothing deterministic depends on them, and a client must treat them as
opaque. Expiry uses the monotonic clock so a test can shorten `token_lifetime` to a fraction of a second.
"""

from __future__ import annotations

import secrets
import threading
import time


class TokenStore:
    def __init__(self, lifetime: float) -> None:
        self._lifetime = lifetime
        self._lock = threading.Lock()
        self._expiry: dict[str, float] = {}
        self._revoked = False
        self.issued = 0

    @property
    def key_revoked(self) -> bool:
        return self._revoked

    def issue(self) -> tuple[str, float]:
        """A new bearer token and its lifetime in seconds."""
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._expiry[token] = time.monotonic() + self._lifetime
            self.issued += 1
            # Forget long-expired tokens so a long demo run does not grow without bound.
            if len(self._expiry) > 1_000:
                now = time.monotonic()
                self._expiry = {t: e for t, e in self._expiry.items() if e > now}
        return token, self._lifetime

    def problem(self, token: str | None) -> str | None:
        """Why a token is refused ("missing", "revoked", "expired", "invalid"), or None if it is good."""
        if not token:
            return "missing"
        if self._revoked:
            return "revoked"
        with self._lock:
            expiry = self._expiry.get(token)
        if expiry is None:
            return "invalid"
        if time.monotonic() >= expiry:
            return "expired"
        return None

    def expire_all(self) -> None:
        """Every token issued so far is expired from now on (a token dying mid-run)."""
        with self._lock:
            now = time.monotonic()
            self._expiry = {t: min(e, now) for t, e in self._expiry.items()}

    def revoke_key(self) -> None:
        """The app key was revoked: tokens stop working and no new one is issued."""
        self._revoked = True

    def restore_key(self) -> None:
        self._revoked = False
