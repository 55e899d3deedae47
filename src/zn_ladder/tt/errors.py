"""TT errors that carry where they happened, so a support engineer can tell a bad key from a dead link.

All are `TTError`s (the app's error family): the CLI prints them on one line, the window in a banner.
"""

from __future__ import annotations

from zn_ladder.domain.errors import TTError


class TTRequestError(TTError):
    """A call to TT failed: `endpoint` is `service/endpoint` (e.g. `ttledger/orders`), `status` the HTTP
    status (None when no answer came back: refused connection, timeout)."""

    def __init__(self, message: str, *, endpoint: str, status: int | None = None) -> None:
        super().__init__(message)
        self.endpoint = endpoint
        self.status = status


class TTAuthError(TTRequestError):
    """TT refused the app key, the secret or the token even after one fresh token: not worth retrying
    until someone fixes the credentials."""


class TTBudgetError(TTError):
    """The client-side request budget for the day is spent; calling TT now would earn a 429."""


class TTBodyError(TTRequestError):
    """TT answered, but the body is not what the endpoint promises (not JSON, a list missing, a page
    without its paging fields). Usually one garbled answer: the client asks again a couple of times."""
