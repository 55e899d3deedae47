"""What the orders and positions polls fetch from TT, on a poller's call thread.

Each is a small callable object, like `FillsFetch`, so the little state a fetch carries across polls
(the status names read once, whether TT's start-of-day is still wanted) lives with the fetch and not in
the GUI-thread `Session`. Nothing here touches Qt: a fetch returns a value or raises, and the `Poller`
turns that into a signal.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

log = logging.getLogger(__name__)


class OrdersFetch:
    """Working orders, their status codes named from TT's orderdata table (fetched once)."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self._status_names: dict[str, str] | None = None

    def __call__(self) -> Any:
        result = self._client.orders()
        names = self._status_names
        if names is None:
            try:
                names = self._status_names = dict(self._client.order_data().get("orderStatus", {}))
            except Exception as exc:  # the codes stay as they are; asked again next poll
                log.info("TT's orderdata could not be read (%s); order statuses shown as codes", exc)
                names = {}
        if names:
            orders = tuple(replace(o, status=names.get(o.status, o.status)) for o in result.orders)
            result = replace(result, orders=orders)
        return result


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
