"""The survival log (issue 15 §5): one row per fill with the survival curve computed after it.

What the desk's `r_survival_streaming.csv` held, in the store: the fill (time, side, quantity, price,
order, market, contract, trader), the position it left and the curve's inputs and answer. Exact
numbers are kept as fraction text (`str(Fraction)`: "-1250", "6250/3"), never floats; the curve is
JSON `[[level, risk], ...]` of such texts. Written by the window (`workers.survival_log`), read by
`zn-ladder export --what survival`. A row per fill key, once: logging the same fill again is ignored.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from zn_ladder.store.where import Filter, conditions
from zn_ladder.store.backend import Connection


@dataclass(frozen=True, slots=True)
class SurvivalRow:
    fill_key: str
    time_ns: int
    account: str
    market: str
    contract: str
    side: int
    qty: int
    #: The fill's price, ticks.
    price: int
    order_id: str
    trader: str
    #: The position the fill left (lots, summed over the accounts shown) and R0 ($ per 1/16 point).
    position: int
    risk: Fraction
    pnl: Fraction
    stop_loss: Fraction
    nbm: Fraction
    #: Points, and sixteenths of a point away.
    extreme_level: Fraction
    to_extreme: Fraction
    #: (level in points, risk to hold after it), from the fill's price towards the extreme level.
    curve: tuple[tuple[Fraction, Fraction], ...]


_FIELDS = ("fill_key, time_ns, account, market, contract, side, qty, price, order_id, trader, position, risk, pnl, "
           "stop_loss, nbm, extreme_level, to_extreme, curve")


def put_rows(conn: Connection, rows: Iterable[SurvivalRow], logged_ns: int) -> int:
    """Insert rows (the caller holds the write transaction); a fill already logged is left as it is."""
    cur = conn.executemany(
        f"INSERT INTO survival_log ({_FIELDS}, logged_ns) VALUES ({','.join('?' * 19)}) "
        "ON CONFLICT (fill_key) DO NOTHING",
        [(r.fill_key, r.time_ns, r.account, r.market, r.contract, r.side, r.qty, r.price, r.order_id, r.trader,
          r.position, str(r.risk), str(r.pnl), str(r.stop_loss), str(r.nbm), str(r.extreme_level),
          str(r.to_extreme), json.dumps([[str(lv), str(rk)] for lv, rk in r.curve]), logged_ns) for r in rows])
    return max(cur.rowcount, 0)  # rows inserted (both backends count an executemany's rows)


def logged_keys(conn: Connection, contract: str, market: Filter = None) -> set[str]:
    where, args = conditions(contract=contract, market=market)
    return {k for (k,) in conn.execute(f"SELECT fill_key FROM survival_log WHERE {' AND '.join(where)}", args)}


def read_rows(conn: Connection, contract: str | None = None, market: str | None = None,
              trader: Filter = None) -> list[SurvivalRow]:
    """The log in time order (of `contract`, `market` and the trader's user values when given)."""
    where, args = conditions(contract=contract, market=market, trader=trader)
    sql = (f"SELECT {_FIELDS} FROM survival_log" + (f" WHERE {' AND '.join(where)}" if where else "")
           + " ORDER BY time_ns, id")
    return [_row(r) for r in conn.execute(sql, args)]


def _row(r: Sequence) -> SurvivalRow:
    curve = tuple((Fraction(lv), Fraction(rk)) for lv, rk in json.loads(r[17]))
    return SurvivalRow(*r[:11], *(Fraction(x) for x in r[11:17]), curve)
