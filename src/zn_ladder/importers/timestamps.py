"""Times for fills from exports whose clock was mangled.

A spreadsheet turned the Audit Trail's and the Fills widget's `Time` into mm:ss.s: the hour is gone,
so it cannot order fills. Only the date and the file's own row order can. Such fills get
`time_ns = midnight UTC of the date + their place in execution order (ns)`: stable, increasing in
execution order, and never pretending to know the hour. The real time is in the API fills and the
fill monitor, which carry nanosecond stamps.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.values import MAX_TEXT, check_time_ns

_FORMATS = ("%d-%b-%y", "%d-%b-%Y", "%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%Y%m%d")
#: The shapes those formats may match. `strptime` alone reads a cut-off `3-Jul-2` as 2002 (a one-digit
#: %y) and `2025-7-3` too: a date cell must have a whole year (two or four digits).
_SHAPE = re.compile(r"[0-9]{1,2}-[A-Za-z]{3}-(?:[0-9]{2}|[0-9]{4})|[0-9]{4}-[0-9]{2}-[0-9]{2}"
                    r"|[0-9]{1,2}/[0-9]{1,2}/(?:[0-9]{2}|[0-9]{4})|[0-9]{8}", re.ASCII)
_NS = 1_000_000_000


class Dates:
    """Date cells (``3-Jul-25``, ``2025-05-06``, ``08/11/2022``, ``20250706``) -> ns at midnight UTC, cached."""

    __slots__ = ("_seen",)

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def __call__(self, text: str) -> int:
        ns = self._seen.get(text)
        if ns is None:
            ns = self._seen[text] = self._parse(text)
        return ns

    @staticmethod
    def _parse(text: str) -> int:
        value = text.strip()
        if len(value) > MAX_TEXT:
            raise InputError(f"date {value[:MAX_TEXT]!r}... is not a date (expected e.g. 3-Jul-25 or 2025-07-03)")
        if not _SHAPE.fullmatch(value):
            raise InputError(f"date {text!r} is not a date (expected e.g. 3-Jul-25 or 2025-07-03)")
        for fmt in _FORMATS:
            try:
                day = datetime.strptime(value, fmt)
            except ValueError:
                continue
            # The last ns of the day must lie in the era too: fills are stamped midnight + their order.
            ns = int(day.replace(tzinfo=timezone.utc).timestamp()) * _NS
            check_time_ns(ns + 86_400 * _NS - 1, f"date {value!r}")
            return ns
        raise InputError(f"date {text!r} is not a date (expected e.g. 3-Jul-25 or 2025-07-03)")
