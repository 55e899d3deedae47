"""`zn-ladder export --what survival`: the survival log as the desk's `r_survival_streaming.csv`.

The old script's columns first, in its order (Date, Time, SideName, Quantity, Price, OrderId, Exchange,
Contract, CurrentUser, risk_curve, extreme_level, ticks_to_extreme), then what it left implicit:
AccountId, Position (lots), R0 ($ per 1/16 point), PnL (the P&L so far the curve started from),
StopLoss and NBM (sixteenths). `risk_curve` reads as the old one did, `{level: risk, ...}` from the
fill's price towards the extreme level, with exact decimals (10 places where a risk does not end)
instead of floats; `ticks_to_extreme` is in sixteenths of a point, as the old script computed it.
"""

from __future__ import annotations

from typing import TextIO

SURVIVAL_COLUMNS = ("Date", "Time", "SideName", "Quantity", "Price", "OrderId", "Exchange", "Contract", "CurrentUser",
                    "risk_curve", "extreme_level", "ticks_to_extreme", "AccountId", "Position", "R0", "PnL",
                    "StopLoss", "NBM")


def write_survival_csv(conn, out: TextIO, contract: str | None = None, market: str | None = None,
                       user: str | None = None) -> int:
    """The survival log (of `contract`, `market` and trader `user` when given), oldest first."""
    import csv
    import datetime as dt

    from zn_ladder.cli.export import TT_MARKET_SPELLING
    from zn_ladder.cli.spreadsheet_safe import safe_cell
    from zn_ladder.domain.errors import InputError
    from zn_ladder.domain.instruments import product_of_contract
    from zn_ladder.domain.prices import Price, decimal_text
    from zn_ladder.store.refdata import user_names
    from zn_ladder.store.survival_log import read_rows
    from zn_ladder.store.where import trader_values

    names = user_names(conn)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(SURVIVAL_COLUMNS)
    count = 0
    for r in read_rows(conn, contract, market, trader_values(conn, user)):
        try:
            product = product_of_contract(r.contract)
        except InputError:
            continue
        local = dt.datetime.fromtimestamp(r.time_ns / 1e9)
        curve = "{" + ", ".join(f"{decimal_text(level)}: {decimal_text(risk)}" for level, risk in r.curve) + "}"
        writer.writerow((local.strftime("%Y-%m-%d"), local.strftime("%H:%M:%S.") + f"{local.microsecond // 1000:03d}",
                         "BUY" if r.side > 0 else "SELL", f"{r.qty}.0",
                         repr(float(Price.from_ticks(r.price, product).value)), safe_cell(r.order_id),
                         safe_cell(TT_MARKET_SPELLING.get(r.market, r.market)), safe_cell(r.contract),
                         safe_cell(names.get(r.trader, r.trader)), curve, decimal_text(r.extreme_level),
                         decimal_text(r.to_extreme), safe_cell(r.account), r.position, decimal_text(r.risk),
                         decimal_text(r.pnl), decimal_text(r.stop_loss), decimal_text(r.nbm)))
        count += 1
    return count
