"""What can go wrong reading a spot price, one class per thing a support engineer would do differently.

All are `SpotError`s (exit code 2 in the CLI, a banner in the window). The reader uses the classes to
decide what to retry: a missing browser or a bad locator will not fix themselves, a page that did not
load or a crashed browser might.
"""

from __future__ import annotations

from zn_ladder.domain.errors import SpotError


class BrowserMissingError(SpotError):
    """No usable browser: the configured executable or channel is not installed. Never retried."""


class ProfileInUseError(SpotError):
    """The persistent browser profile is locked by another running browser. Never retried."""


class BrowserCrashedError(SpotError):
    """The browser died during a read; the reader restarts it on the next attempt."""


class PageUnreachableError(SpotError):
    """The page did not load: refused, DNS, HTTP error status, or navigation timeout."""


class LocatorNotFoundError(SpotError):
    """The locator matched no element (or more than one) on the loaded page within the read timeout."""


class BadLocatorError(SpotError):
    """The locator is unusable: invalid syntax, or it matches several elements. Never retried."""


class SpotValueError(SpotError):
    """The cell was read but its text is not a usable price (garbage, out of range, too far from last good)."""

    def __init__(self, message: str, raw: str = "") -> None:
        super().__init__(message)
        self.raw = raw
