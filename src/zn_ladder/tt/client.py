"""`TTClient`: the one object the app, the CLI and the doctor use to read TT.

Thread-safe: the UI's workers share one client (one token, one budget, one reference-data cache).
Each call returns immutable records; a failure raises a `TTError` that says what, where and what to do.
Read-only by design: nothing here sends, changes or cancels an order.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from zn_ladder.domain.errors import ConfigError, InputError, TTError
from zn_ladder.domain.instruments import TT_MARKET_IDS
from zn_ladder.domain.records import Fill, FillCorrection, SodLot, WorkingOrder
from zn_ladder.tt.budget import RequestBudget
from zn_ladder.tt.connection import TTConnection
from zn_ladder.tt.errors import TTAuthError, TTBodyError, TTRequestError
from zn_ladder.tt.fields import FieldError, text, truthy
from zn_ladder.tt.fills import parse_fill, record_key, record_time
from zn_ladder.tt.fills_cursor import FillCursor
from zn_ladder.tt.orders import parse_orders
from zn_ladder.tt.records import (Instrument, Market, Position, User, parse_instrument, parse_many, parse_market,
                                  parse_position, parse_sod, parse_user, record_name)
from zn_ladder.tt.refdata import RefCache
from zn_ladder.tt.access_token import TokenManager
from zn_ladder.tt.transport import Answer, Transport

log = logging.getLogger(__name__)

T = TypeVar("T")

#: A list answer longer than this many pages is refused (a nextPageKey that never ends).
MAX_PAGES = 10_000
#: A garbled answer (not JSON, a list missing) is asked again this many times before giving up.
BODY_RETRIES = 2


@dataclass(frozen=True, slots=True)
class OrdersResult:
    orders: tuple[WorkingOrder, ...]
    warnings: tuple[str, ...]
    received_ns: int


@dataclass(frozen=True, slots=True)
class Quarantined:
    """A fill record TT kept sending in a form that cannot be read: set aside with its raw text (the
    store keeps it, the window and `doctor` show it), never dropped, and asked for again later."""

    name: str
    time_ns: int
    raw: str
    reason: str


@dataclass(frozen=True, slots=True)
class FillsPage:
    """What one incremental poll brought: new fills and corrections (never one already delivered
    since `cursor`'s predecessor), and the cursor to pass to the next poll (or to persist)."""

    fills: tuple[Fill, ...]
    corrections: tuple[FillCorrection, ...]
    cursor: FillCursor
    warnings: tuple[str, ...] = ()
    pages: int = 1
    received_ns: int = 0
    #: Records set aside this poll (see `Quarantined`); stored with the page, in one transaction.
    quarantined: tuple[Quarantined, ...] = ()
    #: TT's records of the users this page names that the client had not looked up before (one request
    #: per user per process at most): the store keeps them, so a restart asks for none of them again.
    users: tuple[User, ...] = ()


def _one(body: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    """TT answers `instrument` and `user` as a list of one; accept a bare object too."""
    value = body.get(key)
    if isinstance(value, list) and value and isinstance(value[0], Mapping):
        return value[0]
    if isinstance(value, Mapping):
        return value
    raise FieldError(f"no {key!r} record in the answer")


def _list(body: Mapping[str, Any], key: str) -> list[Any]:
    value = body.get(key)
    if value is None:
        value = []  # TT omits an empty list on some endpoints
    if not isinstance(value, list):
        raise FieldError(f"{key!r} is not a list")
    return value


class TTClient:
    def __init__(self, conn: TTConnection, *, budget: RequestBudget | None = None) -> None:
        self.conn = conn
        self.budget = budget or RequestBudget(conn.plan)
        self._transport = Transport(conn, self.budget)
        self.tokens = TokenManager(self._fetch_token, min_interval=conn.token_min_interval)
        self._instruments: RefCache[Instrument] = RefCache(self._fetch_instrument)
        self._users: RefCache[User] = RefCache(self._fetch_user)
        self._lock = threading.Lock()
        self._markets: tuple[Market, ...] | None = None
        self._order_data: dict[str, dict[str, str]] | None = None

    # ------------------------------------------------------------------ plumbing
    def close(self) -> None:
        self._transport.close()

    def __enter__(self) -> TTClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def last_answer(self) -> Answer | None:
        """The last successful answer (its Date header gives the doctor the clock skew)."""
        return self._transport.last_answer

    def _fetch_token(self) -> tuple[str, float]:
        if not self.conn.has_credentials:
            raise ConfigError(f"no TT app key and secret are configured for {self.conn.env}: set them in the "
                              "settings (or ZN_LADDER_TT_KEY / ZN_LADDER_TT_SECRET)")
        try:
            answer = self._transport.post_token()
        except TTRequestError as exc:
            if exc.status in (401, 403):
                raise TTAuthError(
                    f"TT refused the app key and secret for {self.conn.env} (HTTP {exc.status}): check that they "
                    "belong to this environment and have not been revoked", endpoint=exc.endpoint,
                    status=exc.status) from None
            raise
        token = text(answer.body, "access_token")
        if not token:
            raise TTBodyError("TT's token answer has no access_token", endpoint=answer.endpoint, status=answer.status)
        try:
            lifetime = float(answer.body.get("seconds_until_expiry") or answer.body.get("expires_in") or 3600)
        except (TypeError, ValueError):
            lifetime = 3600.0
        return token, lifetime

    def _get_authorized(self, service: str, endpoint: str, params: dict[str, Any] | None) -> Answer:
        """One GET with the current token; on a 401 exactly one fresh token and one more try."""
        token = self.tokens.get()
        try:
            return self._transport.get(service, endpoint, token=token, params=params)
        except TTRequestError as exc:
            if exc.status != 401:
                raise
        self.tokens.invalidate(token)
        token = self.tokens.get()
        try:
            return self._transport.get(service, endpoint, token=token, params=params)
        except TTRequestError as exc:
            if exc.status == 401:
                raise TTAuthError(
                    f"TT refused a fresh token for {exc.endpoint} (HTTP 401 twice): the app key may have been revoked "
                    f"or belong to another environment than {self.conn.env}", endpoint=exc.endpoint,
                    status=401) from None
            raise

    def _get(self, service: str, endpoint: str, params: dict[str, Any] | None,
             read: Callable[[Mapping[str, Any]], T]) -> T:
        """GET and `read` the body; a garbled body (or one `read` cannot use) is asked again a few times."""
        for attempt in range(BODY_RETRIES + 1):
            try:
                answer = self._get_authorized(service, endpoint, params)
                try:
                    return read(answer.body)
                except (FieldError, InputError) as exc:
                    raise TTBodyError(f"TT's answer to {service}/{endpoint} cannot be used: {exc}",
                                      endpoint=f"{service}/{endpoint}", status=answer.status) from None
            except TTBodyError as exc:
                if attempt == BODY_RETRIES:
                    raise
                log.info("%s; asking again", exc)
        raise AssertionError("unreachable")

    def _pages(self, service: str, endpoint: str, key: str, params: dict[str, Any] | None = None
               ) -> tuple[list[Any], int]:
        """Every record of a paged list answer, following nextPageKey until lastPage is "true"."""
        items: list[Any] = []
        page_key: str | None = None
        seen_keys: set[str] = set()

        def read(body: Mapping[str, Any]) -> tuple[list[Any], str | None]:
            records = _list(body, key)
            last, nxt = body.get("lastPage"), text(body, "nextPageKey") or None
            if last is None:
                if nxt is None:
                    return records, None  # no paging fields at all: one page
            elif truthy(last):
                return records, None
            if nxt is None:
                raise FieldError('lastPage is "false" but there is no nextPageKey')
            return records, nxt

        for pages in range(1, MAX_PAGES + 1):
            query = dict(params or {})
            if page_key:
                query["nextPageKey"] = page_key
            records, page_key = self._get(service, endpoint, query, read)
            items.extend(records)
            if page_key is None:
                return items, pages
            if page_key in seen_keys:
                raise TTBodyError(f"TT repeated the nextPageKey of {service}/{endpoint}", endpoint=f"{service}/{endpoint}")
            seen_keys.add(page_key)
        raise TTBodyError(f"TT's {service}/{endpoint} did not end after {MAX_PAGES} pages",
                          endpoint=f"{service}/{endpoint}")

    # ------------------------------------------------------------------ reference data (cached)
    def _fetch_instrument(self, instrument_id: str) -> Instrument:
        instrument = self._get("ttpds", f"instrument/{instrument_id}", None,
                               lambda b: parse_instrument(_one(b, "instrument")))
        if instrument.market_id and instrument.market_id not in TT_MARKET_IDS:
            # A market the built-in table does not name: TT's market list does (one cached request).
            try:
                names = {m.market_id: m.name for m in self.markets()}
            except TTRequestError:
                names = {}
            if instrument.market_id in names:
                instrument = replace(instrument, market_name=names[instrument.market_id])
        return instrument

    def _fetch_user(self, user_id: str) -> User:
        return self._get("ttuser", f"user/{user_id}", None, lambda b: parse_user(_one(b, "user")))

    def instrument(self, instrument_id: str) -> Instrument:
        return self._instruments.get(str(instrument_id))

    def user(self, user_id: str) -> User:
        return self._users.get(str(user_id))

    def know_users(self, records: Iterable[tuple[str, Any]]) -> None:
        """Users looked up earlier, as (id, `User.refdata()`) pairs (the store's reference data, kind
        "user"): never asked of TT again."""
        for user_id, value in records:
            self._users.put(str(user_id), User.from_refdata(user_id, value))

    def users_for(self, fills: Iterable[Fill]) -> tuple[tuple[User, ...], list[str]]:
        """The users (`user`, `originator`) of `fills` not looked up yet, one request each, and a warning
        per user TT cannot name. A user that cannot be named is remembered as such (an empty alias) for
        this process, so a poll never repeats a failed lookup; the fills are stored either way, with
        the id, and named once a later process succeeds."""
        ids = sorted({value for f in fills for value in (f.user, f.originator) if value} - {""})
        found: list[User] = []
        warnings: list[str] = []
        for user_id in ids:
            if self._users.cached(user_id) is not None:
                continue
            try:
                found.append(self.user(user_id))
            except (TTError, FieldError) as exc:  # the fills are stored all the same
                warnings.append(f"TT user {user_id} cannot be named ({exc}): shown as its id")
                log.warning(warnings[-1])
                if getattr(exc, "status", None) == 404 or isinstance(exc, (TTBodyError, FieldError)):
                    self._users.put(user_id, User(user_id, ""))
        return tuple(found), warnings

    def markets(self) -> tuple[Market, ...]:
        with self._lock:
            if self._markets is None:
                def read(body: Mapping[str, Any]) -> tuple[Market, ...]:
                    markets, _ = parse_many(_list(body, "markets"), parse_market, "market", "id")
                    return tuple(markets)
                self._markets = self._get("ttpds", "markets", None, read)
            return self._markets

    def order_data(self) -> dict[str, dict[str, str]]:
        """TT's code -> name tables (side, orderType, orderStatus...), fetched once."""
        with self._lock:
            if self._order_data is None:
                def read(body: Mapping[str, Any]) -> dict[str, dict[str, str]]:
                    data = body.get("orderData")
                    if not isinstance(data, Mapping):
                        raise FieldError("no orderData")
                    return {str(k): _code_table(v) for k, v in data.items()}
                self._order_data = self._get("ttledger", "orderdata", None, read)
            return self._order_data

    def _instrument_of_record(self, instrument_id: str) -> Instrument:
        """Instrument lookup for the record parsers: an id TT does not know skips that record (with a
        warning) instead of failing the whole answer; a dead link still fails the call."""
        try:
            return self.instrument(instrument_id)
        except TTRequestError as exc:
            if exc.status == 404 or isinstance(exc, TTBodyError):
                raise FieldError(f"instrument {instrument_id} cannot be looked up ({exc})") from None
            raise

    def _contract_of(self, instrument_id: str) -> str:
        try:
            return self._instrument_of_record(instrument_id).alias
        except FieldError:
            return str(instrument_id)

    def _prefetch_instruments(self, records: list[Any]) -> None:
        """One lookup per distinct, not yet cached instrument of an answer (never one per record)."""
        ids = {text(r, "instrumentId") for r in records if isinstance(r, Mapping)} - {""}
        for instrument_id in sorted(ids):
            if self._instruments.cached(instrument_id) is None:
                try:
                    self._instrument_of_record(instrument_id)
                except FieldError:
                    pass  # reported per record by the parser

    # ------------------------------------------------------------------ ledger and monitor
    def orders(self) -> OrdersResult:
        """Every working order (all pages)."""
        items, _ = self._pages("ttledger", "orders", "orders")
        self._prefetch_instruments(items)
        orders, warnings = parse_orders(items, self._instrument_of_record)
        return OrdersResult(tuple(orders), tuple(warnings), time.time_ns())

    def fills_since(self, cursor: FillCursor | None = None) -> FillsPage:
        """Fills and corrections since `cursor` (None: every fill TT has for today, from timestamp 0)."""
        cursor = cursor or FillCursor()
        items, pages = self._pages("ttledger", "fills", "fills", {"minTimestamp": cursor.min_timestamp})
        self._prefetch_instruments(items)
        fills: list[Fill] = []
        corrections: list[FillCorrection] = []
        warnings: list[str] = []
        delivered: list[tuple[int, str]] = []
        this_poll: set[tuple[int, str]] = set()
        hold_at: int | None = None
        quarantined: list[Quarantined] = []
        for raw in items:
            ts = record_time(raw) if isinstance(raw, Mapping) else None
            key = record_key(raw) if isinstance(raw, Mapping) else None
            ident = (ts, key) if ts is not None and key is not None else None
            if ident is not None and (cursor.is_seen(*ident) or ident in this_poll):
                continue
            try:
                if not isinstance(raw, Mapping):
                    raise FieldError(f"not an object: {type(raw).__name__}")
                record = parse_fill(raw, self._instrument_of_record)
            except (FieldError, InputError, ValueError) as exc:
                name = record_name(raw, "execID", "orderId")
                if not cursor.should_give_up:
                    at = ts if ts is not None else cursor.min_timestamp
                    hold_at = at if hold_at is None else min(hold_at, at)
                    log.info("fill %s cannot be read yet (%s); it will be fetched again", name, exc)
                    continue
                message = f"fill {name} set aside (quarantined): {exc}"
                log.warning(message)
                warnings.append(message)
                quarantined.append(Quarantined(str(key or name), ts if ts is not None else cursor.min_timestamp,
                                               _raw_text(raw), str(exc)))
                if ident is not None:
                    delivered.append(ident)
                continue
            ident = (record.time_ns, record.key)
            this_poll.add(ident)
            delivered.append(ident)
            (corrections if isinstance(record, FillCorrection) else fills).append(record)
        users, unnamed = self.users_for(fills)
        warnings.extend(unnamed)
        return FillsPage(tuple(fills), tuple(corrections), cursor.advance(delivered, hold_at=hold_at),
                         tuple(warnings), pages, time.time_ns(), tuple(quarantined), users)

    def positions(self, account_id: str | int | None = None) -> tuple[Position, ...]:
        endpoint = "position" if account_id is None else f"position/{account_id}"
        items, _ = self._pages("ttmonitor", endpoint, "positions")
        self._prefetch_instruments(items)
        positions, _ = parse_many(items, lambda r: parse_position(r, self._contract_of), "position",
                                  "accountId", "instrumentId")
        return tuple(positions)

    def sod(self, account_id: str | int) -> tuple[SodLot, ...]:
        items, _ = self._pages("ttmonitor", f"sod/{account_id}", "sods")
        self._prefetch_instruments(items)
        lots, _ = parse_many(items, lambda r: parse_sod(r, self._instrument_of_record), "SOD record",
                             "accountId", "instrumentId")
        return tuple(lots)


def _raw_text(raw: Any) -> str:
    """The record as TT sent it, for the quarantine (bounded: a record is never megabytes)."""
    try:
        text = json.dumps(raw, sort_keys=True, default=str)
    except (TypeError, ValueError):
        text = repr(raw)
    return text[:20_000]


def _code_table(value: Any) -> dict[str, str]:
    """orderdata tables come as {code: name} or as a list of {"code"/"id", "name"/"value"}."""
    if isinstance(value, Mapping):
        return {str(k): str(v) for k, v in value.items()}
    table: dict[str, str] = {}
    if isinstance(value, list):
        for item in value:
            if isinstance(item, Mapping):
                table[text(item, "code", "id", "value")] = text(item, "name", "description", "value")
    return table
