"""A TT-compatible REST simulator on loopback: the desktop's DEMO mode and the client's test double.

`SimulatorServer(SimConfig(...))` serves TT's paths, headers, status codes and body shapes (shared
TT_API.md) from a seeded `Market`; it is strict like TT's gateway and rate-limited and faulty on demand.

What it answers (every body has "status": "Ok", or an error status and "status_message"):
- POST /ttid/<env>/token -> access_token, token_type "bearer", seconds_until_expiry.
- GET /ttledger/<env>/orders[?accountId=&nextPageKey=] -> orders (paged), shaped like the desk's real
  answer; /orders/{orderId} -> order (working, or recently filled/cancelled); /orderdata -> orderData,
  {table: {code: name}} for side, orderType, orderStatus ("1" Working, "2" Filled, "4" Canceled),
  timeInForce, execType.
- GET /ttledger/<env>/fills?minTimestamp=<ns>[&accountId=&nextPageKey=] -> fills (paged, inclusive,
  in timeStamp order). A record: execID, orderId, accountId (int), instrumentId (str), marketId (int),
  side "1"/"2", lastQty and lastPx (floats), timeStamp and transactTime (ns ints), ordStatus ("1" order
  still working, "2" filled), userId (str), currUserId (int), cumQty (the order's filled quantity after
  this execution), orderQty, tradeDate, execType "F" trade / "G" trade correct / "H" trade cancel (bust).
  G and H records are new records with their own execID and a later timeStamp, and name the execution
  they change in execRefID; a G carries the corrected lastQty/lastPx. Each trade is changed at most once.
- GET /ttmonitor/<env>/position[/{accountId}] -> positions: accountId, instrumentId, marketId, buyFillQty,
  sellFillQty, sodNetPos, netPosition (= sodNetPos + buys - sells after corrections), avgBuy, avgSell,
  pnl (cash flow incl. the SOD lot, marked at pnlPrice), realizedPnl (average-price), pnlPrice.
- GET /ttmonitor/<env>/sod/{accountId} -> sods: accountId, instrumentId, marketId, sodNetPos, sodPrice,
  tradeDate.
- GET /ttpds/<env>/instrument/{id} -> instrument: [one record] (alias "ZN Dec26", productSymbol, tickSize,
  tickValue, pointValue, marketId); /markets -> markets [{id, name}]; GET /ttuser/<env>/user/{id} -> user:
  [one record] (alias, company.name, accounts) of the desk's users (`reference.USERS`: each account's
  orders belong to one of them, currUserId; every fifth order of another trader was entered by the demo
  trader, userId).
Paged answers carry lastPage "true"/"false" and, when not last, an opaque nextPageKey.

In-process controls for tests: `sim.market.step(n)`, `step_until_fills(k)`, `published_fills()` (trades),
`published_corrections()`, `published_records()` (all, in order), `net_positions()`, and in roll week
(`SimConfig.next_accounts`: ZN Mar27 beside ZN Dec26) `next_positions()` and `price_of(instrument)`; `sim.revoke_key()`,
`restore_key()`, `expire_tokens()`; `sim.request_log` (method, path, status, time) and `sim.requests`
(with query and headers); `sim.faults_drawn`, `sim.tokens_issued`.
"""

from __future__ import annotations

from zn_ladder.tt.sim.config import DEMO_API_KEY, DEMO_API_SECRET, EXTRA_FAULT_KINDS, FAULT_KINDS, SimConfig
from zn_ladder.tt.sim.market import Market
from zn_ladder.tt.sim.server import SimulatorServer

__all__ = ["DEMO_API_KEY", "DEMO_API_SECRET", "EXTRA_FAULT_KINDS", "FAULT_KINDS", "Market", "SimConfig",
           "SimulatorServer"]
