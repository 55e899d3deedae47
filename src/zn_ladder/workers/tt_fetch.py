"""What the positions poll fetches from TT, on a poller's call thread (the orders poll's fetch is
`tt.order_status.OrdersFetch`, which the desk's capture uses too).

Each is a small callable object, like `FillsFetch`, so the little state a fetch carries across polls
(whether TT's start-of-day is still wanted) lives with the fetch and not in the GUI-thread `Session`.
Nothing here touches Qt: a fetch returns a value or raises, and the `Poller` turns that into a signal.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)


class PositionsFetch:
    """TT's positions, with its start-of-day lots for their accounts on the first poll when asked.

    Returns `(positions, sod)`; `sod` is None on every poll but the first one that wanted it.
    """

    def __init__(self, client: Any, *, with_sod: bool) -> None:
        self._client = client
        self._need_sod = with_sod

    def __call__(self) -> tuple[Any, Any]:
        positions = self._client.positions()
        sod = None
        if self._need_sod:
            lots: list[Any] = []
            for account in sorted({p.account for p in positions}):
                lots.extend(self._client.sod(account))
            sod = tuple(lots)
            self._need_sod = False
        return positions, sod
