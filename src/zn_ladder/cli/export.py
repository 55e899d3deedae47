"""`zn-ladder export --db PATH --what fills|pnl [--format csv] [--out FILE]`: the store, for spreadsheets.

The fills CSV has the old fill monitor's exact columns (Date, Time, InstrumentId, ... CurrentUser) so
the desk's spreadsheets keep working: fills as they stand (busts left out, corrections applied), oldest
first, Date and Time in this computer's local time as the old monitor wrote them, Price in decimal
points as Python printed TT's float (`111.0`, `111.28125`; exact for 1/64ths), Quantity as `1.0`. Exchange is the fill's market,
InstrumentId TT's id when the source named it, MarketId TT's id of a known market; OrderStatus is empty. `--out` is written to a temporary file and renamed, so an open copy is never
left half-written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

ORDER = 55

FILL_MONITOR_COLUMNS = ("Date", "Time", "InstrumentId", "InstrumentName", "Side", "SideName", "Quantity", "Price",
                        "OrderId", "AccountId", "MarketId", "TransactTime", "TimeStamp", "ExecId", "OrderStatus",
                        "Exchange", "Contract", "Originator", "CurrentUser")
PNL_COLUMNS = ("account", "market", "contract", "method", "position", "realized", "average_open_price", "open_lots", "fills",
               "sod_date")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="write the store's fills (fill-monitor CSV layout) or P&L as CSV")
    p.add_argument("--db", metavar="PATH|URL", help="the store: a SQLite file or a desk database "
                                                      "postgresql://user@host/db (default: the app's store)")
    p.add_argument("--what", required=True, choices=("fills", "pnl"), help="fills, or P&L per account/contract/method")
    p.add_argument("--format", default="csv", choices=("csv",), help="output format (csv)")
    p.add_argument("--out", metavar="FILE", help="write here instead of standard output")
    p.add_argument("--contract", help="only this contract")
    p.add_argument("--market", help="only this market (e.g. CME)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from zn_ladder.store.db import connect, translated

    path = args.db
    if path is None:
        from zn_ladder.config.paths import default_db_path

        path = default_db_path()
    if args.out:
        from zn_ladder.config.paths import output_target

        output_target(args.out)  # refused before the store is read (a device, a symlink, a missing folder)
    conn = connect(path, readonly=True)
    try:
        with translated(path, "export"):
            if args.out:
                _write_atomically(Path(args.out), lambda out: _export(conn, args, out))
            else:
                _export(conn, args, sys.stdout)
    finally:
        conn.close()
    return 0


def _export(conn, args: argparse.Namespace, out: TextIO) -> None:
    from zn_ladder.domain.instruments import canonical_contract, canonical_market

    contract = canonical_contract(args.contract) if args.contract else None
    market = canonical_market(args.market) if args.market else None
    if args.what == "fills":
        write_fills_csv(conn, out, contract, market)
    else:
        write_pnl_csv(conn, out, contract, market)


def _write_atomically(target: Path, write) -> None:
    from zn_ladder.config.paths import output_target
    from zn_ladder.domain.errors import InputError

    target = output_target(target)
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        with tmp.open("w", newline="", encoding="utf-8") as f:
            write(f)
        tmp.replace(target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(f"cannot write {target}: {exc}") from exc


def write_fills_csv(conn, out: TextIO, contract: str | None = None, market: str | None = None) -> int:
    import csv
    import datetime as dt

    from zn_ladder.domain.errors import InputError
    from zn_ladder.domain.instruments import TT_MARKET_IDS, product_of_contract
    from zn_ladder.domain.prices import Price
    from zn_ladder.cli.spreadsheet_safe import safe_cell
    from zn_ladder.store.fills import live_fills

    market_ids = {name: ident for ident, name in TT_MARKET_IDS.items()}

    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FILL_MONITOR_COLUMNS)
    products: dict[str, object] = {}
    count = 0
    for f in live_fills(conn, contract, market=market):
        product = products.get(f.contract)
        if product is None:
            try:
                product = products[f.contract] = product_of_contract(f.contract)
            except InputError:
                continue  # the store only holds known products; be safe with old rows
        local = dt.datetime.fromtimestamp(f.time_ns / 1e9)
        price = repr(float(Price.from_ticks(f.price, product).value))  # as the old monitor wrote it: 111.0
        buy = int(f.side) > 0
        writer.writerow((local.strftime("%Y-%m-%d"), local.strftime("%H:%M:%S.") + f"{local.microsecond // 1000:03d}",
                         safe_cell(f.instrument_id), "", "1" if buy else "2", "BUY" if buy else "SELL", f"{f.qty}.0",
                         price, safe_cell(f.order_id), safe_cell(f.account), market_ids.get(f.market, ""), f.time_ns,
                         f.time_ns, safe_cell(f.exec_id), "", safe_cell(f.market), safe_cell(f.contract), "",
                         safe_cell(f.user)))
        count += 1
    return count


def write_pnl_csv(conn, out: TextIO, contract: str | None = None, market: str | None = None) -> int:
    import csv
    from fractions import Fraction

    from zn_ladder.domain.errors import InputError
    from zn_ladder.domain.instruments import product_of_contract
    from zn_ladder.domain.prices import Price, format_price
    from zn_ladder.cli.spreadsheet_safe import safe_cell
    from zn_ladder.store.snapshot import read_books

    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(PNL_COLUMNS)
    rows = 0
    for b in read_books(conn, contract, market=market):
        try:
            product = product_of_contract(b.contract)
        except InputError:
            continue
        realized = b.realized_units * product.tick_value
        average = ""
        if b.position and all((q > 0) == (b.position > 0) for q, _ in b.open_lots):
            ticks = Fraction(sum(q * p for q, p in b.open_lots), b.position)
            average = format_price(Price.from_ticks(ticks, product), product, "decimal")
        writer.writerow((safe_cell(b.account), safe_cell(b.market), safe_cell(b.contract), b.method, b.position,
                         f"{float(realized):.2f}", average,
                         len(b.open_lots), b.fills_applied, b.sod_date))
        rows += 1
    return rows
