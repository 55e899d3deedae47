"""What the simulator has published: fill records in time order, and the positions they make.

The fills list is append-only and ordered by `timeStamp` (the market's clock never goes back), so a
`minTimestamp` query is one bisect and a poll costs the same with 1k or 100k fills of history. Records
are stored as the JSON dicts served and never mutated after publication; callers get copies.
Positions are kept incrementally (SOD + trades, with busts and corrections applied to the execution they
name), so `GET position` is consistent with the fills a client has seen.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from zn_ladder.tt.sim import reference as ref

TRADE, CORRECT, BUST = "F", "G", "H"


@dataclass
class _Book:
    """Running totals of one account's trades in the simulated instrument (quantities, tick notionals)."""

    sod_qty: int = 0
    sod_price: int = 0
    buy_qty: int = 0
    sell_qty: int = 0
    buy_notional: int = 0
    sell_notional: int = 0
    instrument_id: str = ref.INSTRUMENT_ID
    market_id: int = ref.MARKET_ID

    def add(self, side: int, qty: int, price: int, sign: int = 1) -> None:
        if side > 0:
            self.buy_qty += sign * qty
            self.buy_notional += sign * qty * price
        else:
            self.sell_qty += sign * qty
            self.sell_notional += sign * qty * price

    @property
    def net(self) -> int:
        return self.sod_qty + self.buy_qty - self.sell_qty


@dataclass
class Ledger:
    records: list[dict[str, Any]] = field(default_factory=list)
    stamps: list[int] = field(default_factory=list)
    #: execID of a trade -> (account, side, qty, price ticks, instrument id) as it stands after corrections.
    effective: dict[str, tuple[int, int, int, int, str]] = field(default_factory=dict)
    #: execIDs of trades a later record already corrected or busted (each is changed at most once).
    amended: set[str] = field(default_factory=set)
    books: dict[int, _Book] = field(default_factory=dict)
    #: The next contract month's books (roll week: `SimConfig.next_accounts`), by account.
    next_books: dict[int, _Book] = field(default_factory=dict)

    def book(self, account: int, instrument_id: str = "") -> _Book:
        """The account's book in the next month when `instrument_id` names it; else its own instrument's."""
        if instrument_id == ref.NEXT_INSTRUMENT_ID:
            return self.next_books.setdefault(account, _Book(instrument_id=ref.NEXT_INSTRUMENT_ID))
        return self.books.setdefault(account, _Book())

    def set_sod(self, account: int, qty: int, price: int,
                instrument: tuple[str, int] = (ref.INSTRUMENT_ID, ref.MARKET_ID)) -> None:
        book = self.book(account, instrument[0])
        book.sod_qty, book.sod_price = qty, price
        book.instrument_id, book.market_id = instrument

    def publish(self, record: dict[str, Any]) -> None:
        """Append one record (trade, correction or bust) and apply it to the positions."""
        if self.stamps and record["timeStamp"] < self.stamps[-1]:
            raise ValueError("fill records must be published in timeStamp order")
        kind = record["execType"]
        account = record["accountId"]
        side = 1 if record["side"] == "1" else -1
        instrument = record.get("instrumentId", "")
        book = self.book(account, instrument)
        qty = round(record["lastQty"])
        price = round(record["lastPx"] * ref.TICKS_PER_POINT)
        if kind == TRADE:
            self.effective[record["execID"]] = (account, side, qty, price, instrument)
            book.add(side, qty, price)
        else:
            ref_id = record["execRefID"]
            old_account, old_side, old_qty, old_price, old_instrument = self.effective.pop(ref_id)
            self.amended.add(ref_id)
            self.book(old_account, old_instrument).add(old_side, old_qty, old_price, sign=-1)
            if kind == CORRECT:
                self.effective[ref_id] = (account, side, qty, price, instrument)
                book.add(side, qty, price)
        self.records.append(record)
        self.stamps.append(record["timeStamp"])

    def page(self, min_ts: int, after: int, limit: int, account: int | None = None
             ) -> tuple[list[dict[str, Any]], int | None]:
        """Records with timeStamp >= min_ts (inclusive) and index > after; and the index to resume after,
        or None when this is the last page."""
        start = max(bisect.bisect_left(self.stamps, min_ts), after + 1)
        out: list[dict[str, Any]] = []
        i = start
        n = len(self.records)
        while i < n and len(out) < limit:
            rec = self.records[i]
            if account is None or rec["accountId"] == account:
                out.append(dict(rec))
            i += 1
        if account is not None:
            while i < n and self.records[i]["accountId"] != account:
                i += 1
        return out, (i - 1 if i < n else None)

    def position(self, account: int, mark: int, instrument_id: str = "") -> dict[str, Any]:
        """TT's position record for an account in its instrument (or the next month's when
        `instrument_id` names it), marked at `mark` ticks."""
        book = self.book(account, instrument_id)
        tpp = ref.TICKS_PER_POINT
        pv = Fraction(int(ref.POINT_VALUE))
        # Cash flow P&L of the day including the SOD lot bought/sold at its SOD price.
        cash = (book.sell_notional - book.buy_notional - book.sod_qty * book.sod_price)
        pnl = Fraction(cash + book.net * mark, tpp) * pv
        all_buy_qty = book.buy_qty + max(book.sod_qty, 0)
        all_sell_qty = book.sell_qty + max(-book.sod_qty, 0)
        all_buy_notional = book.buy_notional + max(book.sod_qty, 0) * book.sod_price
        all_sell_notional = book.sell_notional + max(-book.sod_qty, 0) * book.sod_price
        realized = Fraction(0)
        if all_buy_qty and all_sell_qty:
            matched = min(all_buy_qty, all_sell_qty)
            avg_spread = Fraction(all_sell_notional, all_sell_qty) - Fraction(all_buy_notional, all_buy_qty)
            realized = matched * avg_spread / tpp * pv
        return {
            "accountId": account,
            "instrumentId": book.instrument_id,
            "marketId": book.market_id,
            "buyFillQty": float(book.buy_qty),
            "sellFillQty": float(book.sell_qty),
            "sodNetPos": float(book.sod_qty),
            "netPosition": float(book.net),
            "avgBuy": float(Fraction(book.buy_notional, book.buy_qty * tpp)) if book.buy_qty else 0.0,
            "avgSell": float(Fraction(book.sell_notional, book.sell_qty * tpp)) if book.sell_qty else 0.0,
            "pnl": round(float(pnl), 2),
            "realizedPnl": round(float(realized), 2),
            "pnlPrice": mark / tpp,
        }

    def sod(self, account: int, trade_date: str, instrument_id: str = "") -> dict[str, Any]:
        book = self.book(account, instrument_id)
        return {
            "accountId": account,
            "instrumentId": book.instrument_id,
            "marketId": book.market_id,
            "sodNetPos": float(book.sod_qty),
            "sodPrice": book.sod_price / ref.TICKS_PER_POINT,
            "tradeDate": trade_date,
        }
