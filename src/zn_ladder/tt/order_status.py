"""Working orders with their status named, as a trader reads it ("Working", not TT's code "1").

TT sends each order's `orderStatus` as a code and the names in its `orderdata` table. `OrdersFetch` reads
that table once per client and names every order's status; a window's orders poll and the desk's
capture (whose snapshot the desk's windows show) both fetch through it, so both show the same words.
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
