"""TT REST answers saved to a file: working orders (`/ttledger/orders`) and fills (`/ttledger/fills`).

Tolerant like the client must be (TT_API.md): numbers may be strings, quantities floats (``80.0``),
unknown fields are ignored. Orders quirks handled: an order with no price or no quantity (an algo's
parent, seen in real answers) is skipped with a warning naming its orderId; orderType "4" (stop limit)
and "3" (stop) sit on the ladder at their `stopPrice` as `OrderType.STOP`, the limit price kept beside
it; market orders have no price and are skipped with a warning. Fills: execType "F" (or none) is a
trade, "G" a correction and "H" a bust, both referring to `execRefID`.

TT's records carry an `instrumentId`, not a contract name. The name comes from a field of the record
when present (`alias`, `instrumentAlias`, `contract`), else from the `instruments` map a caller built
from TT's instrument lookups, else from `default_contract` (the CLI passes the product or contract the
user asked for). A record whose contract cannot be named is skipped with a warning naming it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.instruments import Product, canonical_market, market_of_id
from zn_ladder.domain.records import (CorrectionKind, Fill, FillCorrection, FillSource, OrderType, Side,
                                      WorkingOrder)
from zn_ladder.domain.values import lots, price_ticks, timestamp_ns
from zn_ladder.importers.cells import parse_side
from zn_ladder.importers.contracts import ContractTable
from zn_ladder.domain.identity import Occurrences, RunningCum, fill_key
from zn_ladder.importers.result import FileKind, ImportResult, ImportWarning
from zn_ladder.importers.sniff import refuse
from zn_ladder.importers.text import read_text

_NAME_FIELDS = ("alias", "instrumentAlias", "contract", "instrumentName")
_STOP_TYPES = {"3", "4"}
_PRICED_TYPES = {"2"} | _STOP_TYPES
_CORRECTIONS = {"G": CorrectionKind.CORRECT, "H": CorrectionKind.BUST}


def read_tt_orders(path: Path | str, *, instruments: Mapping[str, str] | None = None,
                   default_contract: str | None = None, text: str | None = None) -> ImportResult:
    """Working orders of a saved `/ttledger/orders` answer (or a list of orders, or one `order`)."""
    path = Path(path)
    text = read_text(path) if text is None else text
    records = _records(path, text, FileKind.TT_ORDERS, ("orders", "order"))
    names = _Names(instruments, default_contract)
    orders: list[WorkingOrder] = []
    warnings: list[ImportWarning] = []
    for row, record in enumerate(records, 1):
        try:
            orders.append(_order(record, names))
        except (InputError, ValueError, TypeError) as exc:
            warnings.append(ImportWarning(row, f"order {_id(record, 'orderId')}: {exc}: skipped"))
    return ImportResult(path, FileKind.TT_ORDERS, orders=tuple(orders), warnings=tuple(warnings),
                        rows=len(records))


def read_tt_fills(path: Path | str, *, instruments: Mapping[str, str] | None = None,
                  default_contract: str | None = None, text: str | None = None) -> ImportResult:
    """Fills, corrections and busts of a saved `/ttledger/fills` answer, in execution order."""
    path = Path(path)
    text = read_text(path) if text is None else text
    records = _records(path, text, FileKind.TT_FILLS, ("fills", "fill"))
    names = _Names(instruments, default_contract)
    occurrences = Occurrences()
    fills: list[Fill] = []
    corrections: list[FillCorrection] = []
    warnings: list[ImportWarning] = []
    for row, record in enumerate(records, 1):
        try:
            item = _fill(record, names)
            if isinstance(item, Fill) and item.key.startswith("h:"):
                item = replace(item, key=occurrences(item.key))
        except (InputError, ValueError, TypeError) as exc:
            warnings.append(ImportWarning(row, f"fill {_id(record, 'execID')}: {exc}: skipped"))
            continue
        (corrections if isinstance(item, FillCorrection) else fills).append(item)
    fills.sort(key=lambda f: f.time_ns)  # stable: TT's order kept for equal stamps
    corrections.sort(key=lambda c: c.time_ns)
    fills = _keyed(fills)
    return ImportResult(path, FileKind.TT_FILLS, fills=tuple(fills), corrections=tuple(corrections),
                        warnings=tuple(warnings), rows=len(records))


def _keyed(fills: list[Fill]) -> list[Fill]:
    """Keys for fills with neither exec id nor cumQty: the order's running sum in execution order."""
    cum = RunningCum()
    out = []
    for fill in fills:
        if fill.order_id and fill.cum_qty:
            cum.set(fill.order_id, fill.cum_qty)
        elif fill.order_id:
            cum_qty = cum.add(fill.order_id, fill.qty)
            key = fill.key if fill.exec_id else fill_key("", fill.order_id, cum_qty)
            fill = replace(fill, key=key, cum_qty=cum_qty)
        out.append(fill)
    return out


def _records(path: Path, text: str, kind: FileKind, keys: tuple[str, str]) -> list[Any]:
    try:
        body = json.loads(text)
    except json.JSONDecodeError as exc:
        if text.lstrip()[:1] in ("{", "["):
            raise InputError(f"{path}: broken JSON at line {exc.lineno} column {exc.colno} ({exc.msg})") from None
        raise refuse(path, kind, text) from None
    many, one = keys
    if isinstance(body, dict) and isinstance(body.get(many), list):
        return body[many]
    if isinstance(body, dict) and isinstance(body.get(one), dict):
        return [body[one]]
    if isinstance(body, dict) and isinstance(body.get(one), list):  # TT answers some lookups with a list of one
        return body[one]
    if isinstance(body, list) and all(isinstance(r, dict) for r in body):
        probe = "lastPx" if kind is FileKind.TT_FILLS else "orderId"
        if not body or any(probe in r for r in body):
            return body
    raise refuse(path, kind, text)


def _id(record: object, field: str) -> str:
    return repr(record.get(field)) if isinstance(record, dict) and record.get(field) else "(no id)"


class _Names:
    """Contract name of a record, and its product, cached per instrument id."""

    def __init__(self, instruments: Mapping[str, str] | None, default_contract: str | None) -> None:
        self._instruments = {str(k): v for k, v in (instruments or {}).items()}
        self._default = default_contract
        #: The one instrument id the default contract has been given to: never two.
        self._defaulted: str | None = None
        self._contracts = ContractTable(allow_bare_product=True)

    @staticmethod
    def market(record: dict[str, Any]) -> str:
        """The record's market: a name field when present, else its `marketId` (see `market_of_id`)."""
        name = next((str(record[f]) for f in ("market", "exchange", "marketName") if record.get(f)), None)
        return canonical_market(name) if name else canonical_market(market_of_id(record.get("marketId")))

    def of(self, record: dict[str, Any]) -> tuple[str, Product]:
        name = next((str(record[f]) for f in _NAME_FIELDS if record.get(f)), None)
        instrument = str(record.get("instrumentId") or "")
        if name is None:
            name = self._instruments.get(instrument)
        if name is None and self._default:
            if self._defaulted is None:
                self._defaulted = instrument
            elif instrument != self._defaulted:
                raise InputError(f"instrument {instrument or '(none)'} has no contract name and the file's other "
                                 f"unnamed instrument {self._defaulted} was taken as {self._default!r}; "
                                 "give an instrument map")
            name = self._default
        if not name:
            raise InputError(f"instrument {instrument or '(none)'} has no contract name "
                             "(give an instrument map or a default contract)")
        product = self._contracts.product(name)
        if isinstance(product, str):
            raise InputError(product)
        return self._contracts.name(name), product


def _quantity(record: dict[str, Any], field: str, *, allow_zero: bool = False) -> int | None:
    """A bounded whole number of lots (`values.lots`), or None when the field is absent."""
    value = record.get(field)
    if value is None or value == "":
        return None
    return lots(value, field, allow_zero=allow_zero)


def _ticks(record: dict[str, Any], field: str, product: Product) -> int | None:
    value = record.get(field)
    if value is None or value == "":
        return None
    return price_ticks(value, product, field)


def _time(record: dict[str, Any], *fields: str) -> int:
    """The record's time in ns (`values.timestamp_ns`: inside the trading era), 0 when it has none."""
    for field in fields:
        value = record.get(field)
        if value not in (None, "", 0):
            return timestamp_ns(value, field)
    return 0


def _side(record: dict[str, Any]) -> Side:
    return parse_side(str(record.get("side", "")))


def _order(record: Any, names: _Names) -> WorkingOrder:
    if not isinstance(record, dict):
        raise InputError("not a JSON object")
    order_type = str(record.get("orderType", "")).strip()
    leaves = _quantity(record, "leavesQuantity", allow_zero=True)
    if leaves is None:
        leaves = _quantity(record, "orderQty")
    if leaves is None:
        has_price = record.get("price") not in (None, "") or record.get("stopPrice") not in (None, "")
        raise InputError(("no quantity" if has_price else "no price and no quantity")
                         + " (an algo's parent order?)")
    if leaves == 0:
        raise InputError("nothing left to fill (leavesQuantity 0)")
    contract, product = names.of(record)
    price = _ticks(record, "price", product)
    stop = _ticks(record, "stopPrice", product)
    if order_type in _STOP_TYPES or (stop is not None and order_type not in _PRICED_TYPES):
        if stop is None:
            raise InputError(f"stop order (orderType {order_type!r}) without a stopPrice")
        kind, at, limit = OrderType.STOP, stop, price
    else:
        if price is None:
            raise InputError("no price (a market order or an algo's parent order?)")
        kind, at, limit = OrderType.LIMIT, price, None
    return WorkingOrder(
        order_id=str(record.get("orderId") or ""), account=str(record.get("accountId") or ""), contract=contract,
        side=_side(record), order_type=kind, price=at, quantity=leaves,
        order_qty=_quantity(record, "orderQty") or leaves, limit_price=limit if limit != at else None,
        status=str(record.get("orderStatus") or ""), time_ns=_time(record, "dateTime"),
        market=names.market(record), instrument_id=str(record.get("instrumentId") or ""))


def _fill(record: Any, names: _Names) -> Fill | FillCorrection:
    if not isinstance(record, dict):
        raise InputError("not a JSON object")
    exec_id = str(record.get("execID") or record.get("execId") or "")
    time_ns = _time(record, "timeStamp", "transactTime")
    exec_type = str(record.get("execType") or "F").strip()
    kind = _CORRECTIONS.get(exec_type)
    if kind is not None:
        ref = str(record.get("execRefID") or record.get("execRefId") or "")
        if not ref:
            raise InputError(f"execType {exec_type!r} without execRefID")
        product = names.of(record)[1] if kind is CorrectionKind.CORRECT else None
        return FillCorrection(key=exec_id or f"{ref}@{time_ns}", ref_key=ref, kind=kind, time_ns=time_ns,
                              qty=_quantity(record, "lastQty") if product else None,
                              price=_ticks(record, "lastPx", product) if product else None)
    if exec_type not in ("F", "1", "2", "Trade"):
        raise InputError(f"execType {exec_type!r} is not a trade")
    contract, product = names.of(record)
    if not time_ns:
        raise InputError("no timeStamp")
    qty = _quantity(record, "lastQty")
    if not qty:
        raise InputError("no lastQty")
    price = _ticks(record, "lastPx", product)
    if price is None:
        raise InputError("no lastPx")
    order_id = str(record.get("orderId") or "")
    cum_qty = _quantity(record, "cumQty", allow_zero=True) or 0
    account, market, side = str(record.get("accountId") or ""), names.market(record), _side(record)
    # Without exec id and cumQty: re-keyed by _keyed from the order's running quantity.
    key = fill_key(exec_id, order_id, cum_qty, content=(account, market, contract, time_ns, side, qty, price))
    user = str(record.get("currUserId") or record.get("userId") or "")
    return Fill(key, account, contract, side, qty, price, time_ns, order_id, exec_id, FillSource.ORDERS_JSON.value,
                user, cum_qty, market, str(record.get("instrumentId") or ""),
                market_id=str(record.get("marketId") or ""), order_status=str(record.get("ordStatus") or ""),
                originator=str(record.get("userId") or ""))
