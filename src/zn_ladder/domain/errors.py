"""The one small exception family of zn_ladder.

Messages are written for a trader or a support engineer: what was wrong, where, and what to do.
The CLI turns any `ZnLadderError` into exit code 2 and one line on stderr; the window into a banner.
It lives in `domain` because the domain raises it and the domain may import nothing else.
"""

from __future__ import annotations


class ZnLadderError(Exception):
    """Base of every error the app expects and explains to its user."""


class InputError(ZnLadderError, ValueError):
    """Input that cannot be used: a malformed price, a broken file, an unknown product."""


class TTError(ZnLadderError):
    """TT (or the simulator) answered with an error, or could not be reached."""


class StoreError(ZnLadderError):
    """The store (a SQLite file or the desk's database) cannot be opened, read or written."""


class StoreUnreachable(StoreError):
    """The desk database's server cannot be reached (down, wrong host or port, the network): unlike a
    refused login or a full disk, waiting may cure it, so a desk capture buffers locally meanwhile."""


class ConfigError(ZnLadderError):
    """Settings or credentials are missing or invalid."""


class SpotError(ZnLadderError):
    """No usable spot price could be read."""
