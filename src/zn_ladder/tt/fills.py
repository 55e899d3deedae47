"""TT ledger fill records -> the domain's `Fill` and `FillCorrection`.

The fill JSON convention (shared with the simulator): `execID, orderId, accountId, instrumentId,
marketId, side ("1"/"2"), lastQty, lastPx, timeStamp (ns), transactTime, ordStatus, userId, currUserId,
cumQty, execType`. Every field the desk's fill CSV carries is kept: marketId, ordStatus, userId (who submitted
the order: the Originator) and currUserId (who owns it now: the CurrentUser the desk filters on); user ids
are kept as ids here and resolved to TT's user names through the cached user lookup (`TTClient.users_for`). where execType is FIX tag 150: "F" trade, "G" trade correct, "H" trade cancel (bust).
A correction or bust names the execution it changes in `execRefID` and is a later record with its own
execID; the store applies it to that fill rather than adding a second one.

Identity: the one rule of `domain.identity`: TT's execID; some older records have none, then
`<orderId>#<cumQty>` (the order's cumulative quantity after the execution), or, without cumQty, a digest
of the record's account, instrument, timeStamp, side, lastQty and lastPx: stable across polls.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.identity import fill_key
from zn_ladder.domain.values import price_ticks
from zn_ladder.domain.records import CorrectionKind, Fill, FillCorrection, FillSource, Side
from zn_ladder.tt.fields import FieldError, first, optional_exact, optional_lots, required_text, text, timestamp
from zn_ladder.tt.records import Instrument

TRADE_TYPES = frozenset({"F", "1", "2", "TRADE"})
KINDS = {"G": CorrectionKind.CORRECT, "TRADECORRECT": CorrectionKind.CORRECT, "TRADE CORRECT": CorrectionKind.CORRECT,
         "H": CorrectionKind.BUST, "TRADECANCEL": CorrectionKind.BUST, "TRADE CANCEL": CorrectionKind.BUST}


def record_time(raw: Mapping[str, Any]) -> int | None:
    """The record's timeStamp in ns (the cursor's clock), or None if it has none usable: a stamp outside
    the trading era is none (it must never move the cursor to 1970 or past 2100)."""
    value = first(raw, "timeStamp", "transactTime")
    if value is None:
        return None
    try:
        return timestamp(value, "timeStamp")
    except FieldError:
        return None


def record_key(raw: Mapping[str, Any]) -> str | None:
    """The identity of a fill record by the one rule of `domain.identity`: execID, else order id and
    cumQty, else a digest of the record's own fields."""
    exec_id = text(raw, "execID", "execId", "uniqueExecId")
    if exec_id:
        return exec_id
    order_id = text(raw, "orderId")
    if not order_id:
        return None
    try:
        cum = optional_lots(raw, "cumQty", allow_zero=True) or 0
        qty = optional_lots(raw, "lastQty", allow_zero=True)
        px = optional_exact(raw, "lastPx")
    except FieldError:
        return None
    # Numbers are normalised so that 5, 5.0 and "5.0" give the same key on every poll.
    return fill_key(exec_id, order_id, cum, content=(text(raw, "accountId"), text(raw, "instrumentId"),
                                                     record_time(raw), text(raw, "side"), qty, px))


def execution_kind(raw: Mapping[str, Any]) -> CorrectionKind | None:
    """None for a trade; BUST or CORRECT for a record that changes an earlier execution."""
    code = text(raw, "execType", "executionType").upper()
    if not code or code in TRADE_TYPES:
        return None
    if code in KINDS:
        return KINDS[code]
    raise FieldError(f"execType {code!r} is not a trade, trade correct or trade cancel")


def parse_fill(raw: Mapping[str, Any], instrument_of: Callable[[str], Instrument]) -> Fill | FillCorrection:
    key = record_key(raw)
    if key is None:
        raise FieldError("no execID and no orderId")
    time_ns = record_time(raw)
    if time_ns is None:
        raise FieldError("no timeStamp")
    kind = execution_kind(raw)
    instrument_id = text(raw, "instrumentId")
    if kind is not None:
        ref_key = required_text(raw, "execRefID", "execRefId")
        if kind is CorrectionKind.BUST:
            return FillCorrection(key=key, ref_key=ref_key, kind=kind, time_ns=time_ns)
        qty = optional_lots(raw, "lastQty")
        px = first(raw, "lastPx")
        price = None
        if px is not None:
            if not instrument_id:
                raise FieldError("no instrumentId for the corrected price")
            price = _price(px, instrument_of(instrument_id))
        if qty is None and price is None:
            raise FieldError("a trade correction without lastQty or lastPx")
        return FillCorrection(key=key, ref_key=ref_key, kind=kind, time_ns=time_ns, qty=qty, price=price)
    if not instrument_id:
        raise FieldError("no instrumentId")
    instrument = instrument_of(instrument_id)
    px = first(raw, "lastPx", "price")
    if px is None:
        raise FieldError("no lastPx")
    qty = optional_lots(raw, "lastQty", "qty")
    if qty is None:
        raise FieldError("no lastQty")
    try:
        side = Side.parse(required_text(raw, "side"))
    except ValueError as exc:
        raise FieldError(str(exc)) from None
    return Fill(
        key=key, account=required_text(raw, "accountId"), contract=instrument.contract, side=side, qty=qty,
        price=_price(px, instrument), time_ns=time_ns,
        order_id=text(raw, "orderId"), exec_id=text(raw, "execID", "execId"), source=FillSource.TT_API.value,
        user=text(raw, "currUserId", "userId"), cum_qty=optional_lots(raw, "cumQty", allow_zero=True) or 0,
        market=instrument.market, instrument_id=instrument.instrument_id,
        market_id=text(raw, "marketId") or instrument.market_id, order_status=text(raw, "ordStatus"),
        originator=text(raw, "userId"))


def _price(value: Any, instrument: Instrument) -> int:
    """lastPx in ticks: on the product's tick and inside its limits (`values.price_ticks`)."""
    try:
        return price_ticks(value, instrument.product, "lastPx")
    except InputError as exc:
        raise FieldError(str(exc)) from None
