"""`zn-ladder export --db PATH|URL --what fills|pnl|days|journal|survival [--day D] [--user TRADER] [--out FILE]`:
the store, for spreadsheets.

The journal (`--what journal [--method lifo|fifo] [--day D]`) is written by `cli.export_journal`.

The fills CSV has the old fill monitor's exact columns (Date, Time, InstrumentId, ... CurrentUser) so
the desk's spreadsheets keep working: fills as they stand (busts left out, corrections applied), oldest
first, Date and Time in this computer's local time as the old monitor wrote them, Price in decimal
points as Python printed TT's float (`111.0`, `111.28125`; exact for 1/64ths), Quantity as `1.0`. Every
column is filled from what the source sent with the fill, so the desk's filters (`Exchange == "CME"`,
`CurrentUser == "<trader>"`) work: InstrumentId, MarketId and OrderStatus as TT sent them (MarketId
from the built-in table for a file that did not name it), InstrumentName the contract (TT's instrument
alias), Exchange the fill's market, Originator and CurrentUser TT's user names (TT sends ids: the
store's cached user lookup names them; an id TT could not name is written as the id). `--user` keeps one
trader's fills (by name or TT user id; `store.where.trader_values`). `--what survival` writes the survival
curve logged after each fill (`export_survival`). `--out` is written to a temporary
file and renamed, so an open copy is never left half-written.


`--what days` is the history of closed trading days (`zn-ladder history`'s rows, as stored: run
`history` to close the days an import left open). `--day D` keeps the fills of trading day D (the
settings' `trading_day.close` rule: from the previous weekday's close to D's) or D's closed days; the
books (`--what pnl`) are the position now and take no day.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from zn_ladder.cli.arg_types import trading_day_arg
from zn_ladder.cli.inputs import add_user_argument

ORDER = 55

FILL_MONITOR_COLUMNS = ("Date", "Time", "InstrumentId", "InstrumentName", "Side", "SideName", "Quantity", "Price",
                        "OrderId", "AccountId", "MarketId", "TransactTime", "TimeStamp", "ExecId", "OrderStatus",
                        "Exchange", "Contract", "Originator", "CurrentUser")
DAY_COLUMNS = ("day", "account", "market", "contract", "realized_lifo", "realized_fifo", "position", "mark",
               "mark_source", "unrealized_lifo", "unrealized_fifo", "fills", "volume")

#: TT's own spelling of the markets whose canonical (upper-case) name differs: the old monitor wrote
#: TT's name, and the desk's sheets compare it exactly (`Exchange == "CME_Delayed"`).
TT_MARKET_SPELLING = {"CME_DELAYED": "CME_Delayed", "TT ALGO": "TT Algo"}
PNL_COLUMNS = ("account", "market", "contract", "method", "position", "realized", "average_open_price", "open_lots", "fills",
               "sod_date")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="write the store's fills (fill-monitor CSV layout) or P&L as CSV")
    p.add_argument("--db", metavar="PATH|URL", help="the store: a SQLite file or a desk database "
                                                      "postgresql://user@host/db (default: the app's store)")
    p.add_argument("--what", required=True, choices=("fills", "pnl", "days", "journal", "survival"),
                   help="fills, P&L per account/contract/method, closed trading days, the realized P&L "
                        "journal (one row per lot match), or the survival curve logged after each fill")
    p.add_argument("--day", type=trading_day_arg, metavar="YYYY-MM-DD",
                   help="only this trading day (fills, days, journal)")
    p.add_argument("--format", default="csv", choices=("csv",), help="output format (csv)")
    p.add_argument("--out", metavar="FILE", help="write here instead of standard output")
    p.add_argument("--contract", help="only this contract")
    p.add_argument("--market", help="only this market (e.g. CME)")
    p.add_argument("--method", choices=("lifo", "fifo"), help="journal: only this matching method (default both)")
    add_user_argument(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from zn_ladder.domain.errors import InputError
    from zn_ladder.store.db import connect, translated

    if args.day is not None and args.what == "pnl":
        raise InputError("--day: the books (--what pnl) are the position now; a past day's P&L is "
                         "--what days --day D (or zn-ladder pnl --db PATH --day D)")

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
        bounds = None
        if args.day is not None:
            from zn_ladder.cli.arg_types import desk_day_rule
            from zn_ladder.domain.trading_day import day_bounds_ns

            bounds = day_bounds_ns(args.day, desk_day_rule())
        write_fills_csv(conn, out, contract, market, bounds, getattr(args, "user", None))
    elif args.what == "days":
        write_days_csv(conn, out, contract, market, args.day)
    elif args.what == "journal":
        from zn_ladder.cli.export_journal import write_journal_csv

        from zn_ladder.cli.arg_types import desk_day_rule

        write_journal_csv(conn, out, method=args.method, day=args.day, contract=contract, market=market,
                          rule=desk_day_rule())
    elif args.what == "survival":
        from zn_ladder.cli.export_survival import write_survival_csv

        write_survival_csv(conn, out, contract, market, getattr(args, "user", None))
    else:
        if getattr(args, "user", None):
            from zn_ladder.domain.errors import InputError

            raise InputError("--user: the P&L export is per account (books); use zn-ladder pnl --db PATH --user "
                             "for one trader's P&L")
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


def write_fills_csv(conn, out: TextIO, contract: str | None = None, market: str | None = None,
                    bounds: tuple[int, int] | None = None, user: str | None = None) -> int:
    """The fills (of [start, end) ns when `bounds` are given: one trading day's; of trader `user` when given)
    in the fill monitor's layout."""
    import csv
    import datetime as dt

    from zn_ladder.domain.errors import InputError
    from zn_ladder.domain.instruments import TT_MARKET_IDS, product_of_contract
    from zn_ladder.domain.prices import Price
    from zn_ladder.cli.spreadsheet_safe import safe_cell
    from zn_ladder.store.fills import live_fills
    from zn_ladder.store.refdata import user_names
    from zn_ladder.store.where import trader_values

    market_ids = {name: ident for ident, name in TT_MARKET_IDS.items()}
    names = user_names(conn)

    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FILL_MONITOR_COLUMNS)
    products: dict[str, object] = {}
    count = 0
    fills = live_fills(conn, contract, market=market, since_ns=bounds[0] if bounds else 0,
                       user=trader_values(conn, user))
    for f in fills:
        if bounds is not None and f.time_ns >= bounds[1]:
            break  # time order: the day is over
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
                         safe_cell(f.instrument_id), safe_cell(f.contract), "1" if buy else "2",
                         "BUY" if buy else "SELL", f"{f.qty}.0", price, safe_cell(f.order_id), safe_cell(f.account),
                         safe_cell(f.market_id or market_ids.get(f.market, "")), f.time_ns, f.time_ns,
                         safe_cell(f.exec_id), safe_cell(f.order_status), safe_cell(TT_MARKET_SPELLING.get(f.market, f.market)),
                         safe_cell(f.contract),
                         safe_cell(names.get(f.originator, f.originator)), safe_cell(names.get(f.user, f.user))))
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


def write_days_csv(conn, out: TextIO, contract: str | None = None, market: str | None = None, day=None) -> int:
    """The stored closed trading days, oldest first: dollars and the mark exact in decimal."""
    import csv

    from zn_ladder.cli.spreadsheet_safe import safe_cell
    from zn_ladder.domain.prices import decimal_text
    from zn_ladder.store.days import read_days

    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(DAY_COLUMNS)
    rows = read_days(conn, None, contract, market, day)
    for d in rows:
        writer.writerow((d.day.isoformat(), safe_cell(d.account), safe_cell(d.market), safe_cell(d.contract),
                         decimal_text(d.realized("lifo")), decimal_text(d.realized("fifo")), d.position,
                         decimal_text(d.mark), d.mark_source, decimal_text(d.unrealized_lifo),
                         decimal_text(d.unrealized_fifo), d.fills, d.volume))
    return len(rows)
