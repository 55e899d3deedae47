"""The data endpoints: a path under a service, its query, and the market -> TT's answer.

Only shapes and status codes live here; authentication, strictness, limits and faults are the
server's job and have already passed when a route runs. Page keys are opaque to clients (base64 of a
resume point), as TT's are.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from zn_ladder.tt.sim import reference as ref
from zn_ladder.tt.sim.market import Market


@dataclass
class Answer:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


def ok(**payload: Any) -> Answer:
    return Answer(200, {"status": "Ok", **payload})


def error(status: int, label: str, message: str) -> Answer:
    return Answer(status, {"status": label, "status_message": message})


class BadRequest(Exception):
    """A query parameter that cannot be used: answered 400 with its message."""


def encode_key(kind: str, position: int) -> str:
    return base64.urlsafe_b64encode(f"{kind}:{position}".encode()).decode().rstrip("=")


def decode_key(kind: str, key: str | None) -> int:
    """The resume point of a page key (-1 for the first page); refuses a key of another list."""
    if not key:
        return -1
    try:
        text = base64.urlsafe_b64decode(key + "=" * (-len(key) % 4)).decode()
        got_kind, _, number = text.partition(":")
        if got_kind != kind:
            raise ValueError(kind)
        return int(number)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise BadRequest(f"nextPageKey {key!r} is not a key this list gave out") from None


def _int_param(query: dict[str, str], name: str, default: int | None = None) -> int | None:
    text = query.get(name)
    if text is None or text == "":
        return default
    try:
        return int(text)
    except ValueError:
        raise BadRequest(f"{name} must be an integer, got {text!r}") from None


def _page(kind: str, key: str, rows: list[dict[str, Any]], resume: int | None) -> Answer:
    body: dict[str, Any] = {"lastPage": "true" if resume is None else "false", key: rows}
    if resume is not None:
        body["nextPageKey"] = encode_key(kind, resume)
    return ok(**body)


class Routes:
    """GET endpoints of ttledger, ttmonitor, ttpds and ttuser over one market."""

    def __init__(self, market: Market, page_size: int, accounts: tuple[int, ...]) -> None:
        self._m = market
        self._page_size = page_size
        self._accounts = accounts
        self._table: dict[tuple[str, str], Callable[[list[str], dict[str, str]], Answer]] = {
            ("ttledger", "orders"): self.orders,
            ("ttledger", "orderdata"): self.orderdata,
            ("ttledger", "fills"): self.fills,
            ("ttmonitor", "position"): self.position,
            ("ttmonitor", "sod"): self.sod,
            ("ttpds", "instrument"): self.instrument,
            ("ttpds", "markets"): self.markets,
            ("ttuser", "user"): self.user,
        }

    def knows(self, service: str, endpoint: str) -> bool:
        return (service, endpoint) in self._table

    def answer(self, service: str, parts: list[str], query: dict[str, str]) -> Answer:
        """`parts` is the path after the environment: the endpoint and its ids."""
        handler = self._table.get((service, parts[0] if parts else ""))
        if handler is None:
            return error(404, "Not Found", f"no endpoint /{service}/<env>/{'/'.join(parts)}")
        try:
            return handler(parts[1:], query)
        except BadRequest as exc:
            return error(400, "Failed", str(exc))

    # ------------------------------------------------------------------ ttledger
    def orders(self, ids: list[str], query: dict[str, str]) -> Answer:
        if ids:
            found = self._m.order(ids[0])
            if found is None:
                return error(404, "Not Found", f"no order with orderId {ids[0]!r}")
            return ok(order=found)
        after = decode_key("orders", query.get("nextPageKey"))
        rows, resume = self._m.orders_page(after, self._page_size, _int_param(query, "accountId"))
        return _page("orders", "orders", rows, resume)

    def orderdata(self, ids: list[str], query: dict[str, str]) -> Answer:
        return ok(orderData={name: dict(table) for name, table in ref.ORDER_DATA.items()})

    def fills(self, ids: list[str], query: dict[str, str]) -> Answer:
        min_ts = _int_param(query, "minTimestamp", 0)
        after = decode_key("fills", query.get("nextPageKey"))
        rows, resume = self._m.fills_page(min_ts or 0, after, self._page_size, _int_param(query, "accountId"))
        return _page("fills", "fills", rows, resume)

    # ------------------------------------------------------------------ ttmonitor
    def _account(self, ids: list[str]) -> int | None | Answer:
        if not ids:
            return None
        try:
            account = int(ids[0])
        except ValueError:
            return error(400, "Failed", f"accountId {ids[0]!r} is not a number")
        if account not in self._accounts:
            return error(404, "Not Found", f"no account {account}")
        return account

    def position(self, ids: list[str], query: dict[str, str]) -> Answer:
        account = self._account(ids)
        if isinstance(account, Answer):
            return account
        return ok(lastPage="true", positions=self._m.positions(account))

    def sod(self, ids: list[str], query: dict[str, str]) -> Answer:
        account = self._account(ids)
        if isinstance(account, Answer):
            return account
        if account is None:
            return error(400, "Failed", "sod needs an account: /ttmonitor/<env>/sod/{accountId}")
        return ok(lastPage="true", sods=self._m.sods(account))

    # ------------------------------------------------------------------ ttpds, ttuser
    def instrument(self, ids: list[str], query: dict[str, str]) -> Answer:
        record = ref.instrument_record(ids[0]) if ids else None
        if record is None:
            return error(404, "Not Found", f"no instrument {ids[0] if ids else ''!r}")
        return ok(instrument=[record])

    def markets(self, ids: list[str], query: dict[str, str]) -> Answer:
        return ok(markets=[dict(m) for m in ref.MARKETS])

    def user(self, ids: list[str], query: dict[str, str]) -> Answer:
        record = ref.user_record(ids[0], self._accounts) if ids else None
        if record is None:
            return error(404, "Not Found", f"no user {ids[0] if ids else ''!r}")
        return ok(user=[record])
