"""Reference data the simulator serves (instrument, markets, users, orderdata code tables).

Shapes imitate TT's: `instrument` and `user` answers are lists of one record, codes are strings, ids of
instruments are long decimal strings and ids of markets and users are ints. Kept as plain data here so the
market and the routes share one source of truth.
"""

from __future__ import annotations

from typing import Any

#: The instrument the simulated market trades.
INSTRUMENT_ID = "8092262517946017060"
INSTRUMENT_ALIAS = "ZN Dec26"
PRODUCT_SYMBOL = "ZN"
MARKET_ID = 7  # TT's market id of CME
#: The same contract on TT SIM's delayed CME market (SimConfig.delayed_accounts trade it): a second
#: instrument with its own id and market, as in the desk's fill-monitor file, never the same book.
DELAYED_INSTRUMENT_ID = "14868446001769503902"
DELAYED_MARKET_ID = 183
#: The next contract month, traded alongside the front in roll week (SimConfig.next_accounts): its own
#: instrument, book, SOD, orders and fills, priced `ROLL_SPREAD_TICKS` under the front (the calendar
#: spread a desk rolls at), so the two ladders never share a price.
NEXT_INSTRUMENT_ID = "3916420398563457711"
NEXT_ALIAS = "ZN Mar27"
ROLL_SPREAD_TICKS = 22
TICKS_PER_POINT = 64  # ZN trades in halves of a 32nd
TICK_SIZE = 1 / 64
TICK_VALUE = 15.625
POINT_VALUE = 1000.0

USER_ID = 1168910
COMPANY_NAME = "Demo Capital LLC"
#: The desk's TT users: (id, alias). The first is the demo trader; each account's orders belong to one
#: of them (`trader_of`), and the desk's clerk (the demo trader) enters some orders that another trader
#: then owns (`originator_of`), so userId and currUserId differ as they do on a real desk.
USERS: tuple[tuple[int, str], ...] = ((USER_ID, "DEMO TRADER"), (1168911, "Eric"), (1168912, "SPatoliya"))
BROKER_ID = 1055384

MARKETS: tuple[dict[str, Any], ...] = (
    {"id": 7, "name": "CME"},
    {"id": 8, "name": "CBOT"},
    {"id": 183, "name": "CME_Delayed"},
    {"id": 1001, "name": "TT Algo"},
)

#: code -> name tables, as `GET /ttledger/<env>/orderdata` returns them.
ORDER_DATA: dict[str, dict[str, str]] = {
    "side": {"1": "Buy", "2": "Sell"},
    "orderType": {"1": "Market", "2": "Limit", "3": "Stop", "4": "Stop Limit", "K": "Market Limit"},
    "orderStatus": {"0": "New", "1": "Working", "2": "Filled", "4": "Canceled", "8": "Rejected"},
    "timeInForce": {"0": "Day", "1": "GTC", "2": "IOC", "3": "FOK", "6": "GTD"},
    "execType": {"0": "New", "4": "Canceled", "F": "Trade", "G": "Trade Correct", "H": "Trade Cancel"},
}


def instrument_record(instrument_id: str) -> dict[str, Any] | None:
    """The one instrument record for an id, or None when the simulator does not know it."""
    if instrument_id not in (INSTRUMENT_ID, DELAYED_INSTRUMENT_ID, NEXT_INSTRUMENT_ID):
        return None
    following = instrument_id == NEXT_INSTRUMENT_ID
    alias = NEXT_ALIAS if following else INSTRUMENT_ALIAS
    return {
        "id": instrument_id,
        "alias": alias,
        "name": alias,
        "productSymbol": PRODUCT_SYMBOL,
        "productName": "10-Year T-Note",
        "productTypeId": 34,
        "marketId": DELAYED_MARKET_ID if instrument_id == DELAYED_INSTRUMENT_ID else MARKET_ID,
        "securityExchangeId": "XCBT",
        "tickSize": TICK_SIZE,
        "tickValue": TICK_VALUE,
        "pointValue": POINT_VALUE,
        "expirationDate": "20270319" if following else "20261219",
        "maturityMonthYear": "202703" if following else "202612",
        "isTradable": True,
    }


def instrument_of(delayed: bool) -> tuple[str, int]:
    """(instrumentId, marketId) an account trades: CME, or the delayed market's instrument."""
    return (DELAYED_INSTRUMENT_ID, DELAYED_MARKET_ID) if delayed else (INSTRUMENT_ID, MARKET_ID)


def trader_of(account: int, accounts: tuple[int, ...]) -> int:
    """The TT user who owns an account's orders (currUserId): the desk's users in turn, by account."""
    return USERS[accounts.index(account) % len(USERS)][0] if account in accounts else USER_ID


def originator_of(seq: int, trader: int) -> int:
    """Who entered order number `seq` (userId): the demo trader enters every fifth order of the other
    traders for them; the rest they enter themselves."""
    return USER_ID if seq % 5 == 0 else trader


def user_record(user_id: str, accounts: tuple[int, ...]) -> dict[str, Any] | None:
    found = [(uid, alias) for uid, alias in USERS if user_id.strip() == str(uid)]
    if not found:
        return None
    uid, alias = found[0]
    first_name, _, last_name = ("Demo Trader" if uid == USER_ID else alias).partition(" ")
    return {
        "id": uid,
        "alias": alias,
        "firstName": first_name,
        "lastName": last_name,
        "email": f"{alias.replace(' ', '.').lower()}@example.invalid",
        "company": {"id": 70001, "name": COMPANY_NAME},
        "accounts": [{"id": a, "name": f"DEMO{a}"} for a in accounts if trader_of(a, accounts) == uid],
    }
