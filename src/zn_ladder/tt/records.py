"""TT-specific records (instruments, markets, users, positions) and their tolerant parsers.

Orders and fills become the domain's `WorkingOrder`/`Fill` (see `orders.py`, `fills.py`); what is
only TT's lives here. Parsers take one raw JSON object and raise `FieldError` naming what is wrong;
`parse_many` turns those into warnings that name the record, so one bad record never hides the rest.
Unknown fields are ignored.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, TypeVar

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.instruments import (Product, canonical_contract, canonical_market, get_product, market_of_id,
                                          product_of_contract)
from zn_ladder.domain.records import SodLot
from zn_ladder.domain.values import check_ticks
from zn_ladder.tt.fields import FieldError, optional_exact, optional_lots, optional_position, required_text, text

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Instrument:
    instrument_id: str
    #: TT's alias, e.g. "ZN Dec26": the app's contract name everywhere.
    alias: str
    name: str = ""
    market_id: str = ""
    product_symbol: str = ""
    tick_size: Fraction | None = None
    tick_value: Fraction | None = None
    #: The market's name from TT's market list, when the client has it.
    market_name: str = ""

    @property
    def contract(self) -> str:
        """The alias in its one spelling (`canonical_contract`)."""
        return canonical_contract(self.alias)

    @property
    def market(self) -> str:
        """The canonical market: TT's name for the market id, else the built-in table's."""
        return canonical_market(self.market_name or market_of_id(self.market_id))

    @property
    def product(self) -> Product:
        """The domain product: from the alias ("ZN Dec26"), else from TT's product symbol."""
        try:
            return product_of_contract(self.alias)
        except InputError:
            if self.product_symbol:
                return get_product(self.product_symbol)
            raise


@dataclass(frozen=True, slots=True)
class Market:
    market_id: str
    name: str


@dataclass(frozen=True, slots=True)
class User:
    user_id: str
    alias: str
    company: str = ""

    def refdata(self) -> dict[str, str]:
        """What the store keeps of the user (reference data kind "user"), read back by `from_refdata`."""
        return {"alias": self.alias, "company": self.company}

    @classmethod
    def from_refdata(cls, user_id: str, value: Any) -> User:
        value = value if isinstance(value, Mapping) else {}
        return cls(str(user_id), str(value.get("alias") or ""), str(value.get("company") or ""))


@dataclass(frozen=True, slots=True)
class Position:
    """TT's view of one account's position in one instrument today (ttmonitor), for reconciliation:
    the app's net position must equal `net_position`."""

    account: str
    instrument_id: str
    contract: str
    net_position: int
    buy_qty: int = 0
    sell_qty: int = 0
    sod_net: int = 0
    #: Dollars and average prices (points) as TT computed them; exact values of TT's decimals.
    pnl: Fraction | None = None
    realized_pnl: Fraction | None = None
    avg_buy: Fraction | None = None
    avg_sell: Fraction | None = None


def parse_instrument(raw: Mapping[str, Any]) -> Instrument:
    alias = required_text(raw, "alias", "name")
    return Instrument(
        instrument_id=required_text(raw, "id", "instrumentId"),
        alias=alias,
        name=text(raw, "name", default=alias),
        market_id=text(raw, "marketId"),
        product_symbol=text(raw, "productSymbol"),
        tick_size=optional_exact(raw, "tickSize"),
        tick_value=optional_exact(raw, "tickValue"),
    )


def parse_market(raw: Mapping[str, Any]) -> Market:
    return Market(required_text(raw, "id", "marketId"), text(raw, "name"))


def parse_user(raw: Mapping[str, Any]) -> User:
    company = raw.get("company")
    company_name = text(company, "name") if isinstance(company, Mapping) else text(raw, "companyName")
    return User(required_text(raw, "id", "userId"), text(raw, "alias", "name"), company_name)


def parse_position(raw: Mapping[str, Any], contract_of: Callable[[str], str]) -> Position:
    instrument_id = required_text(raw, "instrumentId")
    net = optional_position(raw, "netPosition")
    buy = optional_lots(raw, "buyFillQty", allow_zero=True) or 0
    sell = optional_lots(raw, "sellFillQty", allow_zero=True) or 0
    sod = optional_position(raw, "sodNetPos") or 0
    if net is None:
        net = sod + buy - sell
    return Position(
        account=required_text(raw, "accountId"), instrument_id=instrument_id, contract=contract_of(instrument_id),
        net_position=net, buy_qty=buy, sell_qty=sell, sod_net=sod,
        pnl=optional_exact(raw, "pnl"), realized_pnl=optional_exact(raw, "realizedPnl"),
        avg_buy=optional_exact(raw, "avgBuy"), avg_sell=optional_exact(raw, "avgSell"))


def parse_sod(raw: Mapping[str, Any], instrument_of: Callable[[str], Instrument]) -> SodLot:
    """A start-of-day record as a `SodLot`. TT's SOD price is an average, which may lie between ticks:
    it is kept to the nearest tick (the ladder and lot matching work in ticks) with a log line."""
    instrument = instrument_of(required_text(raw, "instrumentId"))
    product = instrument.product
    qty = optional_position(raw, "sodNetPos", "netPosition", "quantity", "qty")
    if qty is None:
        raise FieldError("no sodNetPos")
    price = optional_exact(raw, "sodPrice", "price", "avgPrice")
    if price is None:
        if qty != 0:
            raise FieldError("no sodPrice")
        price = Fraction(0)
    exact_ticks = price * product.ticks_per_point
    ticks = round(exact_ticks)
    if qty != 0:
        try:
            check_ticks(ticks, product, "sodPrice", price)
        except InputError as exc:
            raise FieldError(str(exc)) from None
    if exact_ticks != ticks:
        log.info("SOD price %s of %s is between ticks; using the nearest tick", float(price), instrument.alias)
    return SodLot(account=required_text(raw, "accountId"), contract=instrument.contract, qty=qty, price=ticks,
                  date=text(raw, "tradeDate", "date"), market=instrument.market)


def record_name(raw: Any, *id_keys: str) -> str:
    """How a warning names a record: its id if it has one, else its position."""
    if isinstance(raw, Mapping):
        for key in id_keys:
            value = raw.get(key)
            if value not in (None, ""):
                return f"{key} {value}"
    return "a record without an id"


def parse_many(items: Iterable[Any], parse: Callable[[Mapping[str, Any]], T], what: str,
               *id_keys: str) -> tuple[list[T], list[str]]:
    """Parse each item; an item that fails is skipped with a warning naming it."""
    out: list[T] = []
    warnings: list[str] = []
    for raw in items:
        try:
            if not isinstance(raw, Mapping):
                raise FieldError(f"not an object: {type(raw).__name__}")
            out.append(parse(raw))
        except (FieldError, InputError, ValueError) as exc:
            message = f"skipped {what} {record_name(raw, *id_keys)}: {exc}"
            log.warning(message)
            warnings.append(message)
    return out, warnings
