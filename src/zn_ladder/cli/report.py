"""`zn-ladder report [--day D] [--account A] [--out FILE] [--db PATH | FILE... [--sod F]]`: a trading day's
report as a workbook (.xlsx), a CSV (.csv) or a web page (.html), chosen by the file's extension.

The fills come from the store (default: the app's own) or, like `pnl`, from fill files with an Actant
SOD file; the figures are `domain.day_report`'s and the layouts `zn_ladder.reports`'. The page's chart
is drawn with Qt offscreen (`ui.report_chart`, reached through importlib like the window, so this
package keeps no static Qt import). A day without fills is still written (the books it opened with)
and says so on stderr; an unknown day, extension or account is refused in one line (exit 2), naming
the accounts there are.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import TYPE_CHECKING

from zn_ladder.cli.inputs import add_user_argument
from zn_ladder.cli.one_line_errors import one_line_errors

if TYPE_CHECKING:
    from datetime import date

    from zn_ladder.domain.day_report import DayReport, DayRows
    from zn_ladder.domain.trading_day import TradingDayRule

ORDER = 57


def register(sub: argparse._SubParsersAction) -> None:
    p = one_line_errors(sub.add_parser(
        "report", help="a trading day's report: workbook (.xlsx), CSV (.csv) or web page (.html)",
        description="Writes the day's books, trade statistics (round trips, win rate, profit factor, drawdown, "
                    "P&L by hour), fills and realized P&L journal, with a chart of the day's P&L. The format is "
                    "the extension of --out. Fills from the store (default) or from fill FILEs."))
    p.add_argument("files", nargs="*", metavar="FILE", help="fill files instead of the store (as for pnl)")
    p.add_argument("--day", help="the trading day, YYYY-MM-DD (default: today's, by the settings' session close)")
    p.add_argument("--account", help="only this account")
    add_user_argument(p)
    p.add_argument("--out", metavar="FILE",
                   help="the file to write: .xlsx, .csv or .html (default zn-ladder-report-DAY.xlsx here)")
    p.add_argument("--method", default="lifo", type=str.lower, choices=("lifo", "fifo"),
                   help="lot matching of the journal and the realized P&L by hour (default lifo)")
    p.add_argument("--db", metavar="PATH|URL", help="the store: a SQLite file or a desk database "
                                                      "postgresql://user@host/db (default: the app's store)")
    p.add_argument("--sod", metavar="FILE", help="with fill FILEs: the Actant start-of-day file")
    p.add_argument("--kind", help="file kind of every FILE, instead of detecting it")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from zn_ladder.config.paths import output_target
    from zn_ladder.domain.alerts import money
    from zn_ladder.domain.day_report import report_for_day
    from zn_ladder.domain.errors import InputError
    from zn_ladder.domain.trading_day import parse_day, trading_day
    from zn_ladder.reports.write import report_format, write_report

    if args.files and args.db:
        raise InputError("give fill FILEs or --db, not both")
    if args.sod and not args.files:
        raise InputError("--sod goes with fill FILEs; the store keeps its own SOD (zn-ladder import SOD_FILE)")
    rule = trading_day_rule()
    day = parse_day(args.day) if args.day else today(rule)
    if day.weekday() >= 5:  # Saturday's and Sunday's fills belong to Monday's trading day
        monday = trading_day(rule.close_ns(day), rule)
        raise InputError(f"{day} is a {day:%A}, not a trading day: its fills belong to Monday {monday} "
                         f"(--day {monday})")
    out = Path(args.out or f"zn-ladder-report-{day}{'-' + args.account if args.account else ''}.xlsx")
    report_format(out)  # an unknown extension is refused before anything is read
    output_target(out)
    rows = rows_from_files(args, day, rule) if args.files else rows_from_store(args, day, rule)
    report = report_for_day(rows, day=day, rule=rule, account=args.account, method=args.method)
    written = write_report(report, out, chart_png)
    for line in report.warnings:
        print(f"warning: {line}", file=sys.stderr)
    s = report.stats
    print(f"wrote {written}: trading day {day}, {len(report.fills)} fills, {s.round_trips} round trips, "
          f"realized {report.method.upper()} {money(report.realized)}, day's P&L {money(report.total)}")
    return 0


def chart_png(report: DayReport) -> bytes:
    """The page's chart, drawn by the GUI layer offscreen (see the module docstring)."""
    return importlib.import_module("zn_ladder.ui.report_chart").pnl_chart_png(report)


def trading_day_rule() -> TradingDayRule:
    from zn_ladder.config.settings_file import load_settings

    return load_settings().settings.trading_day.rule()


def today(rule: TradingDayRule) -> date:
    import time

    from zn_ladder.domain.trading_day import trading_day

    return trading_day(time.time_ns(), rule)


def rows_from_store(args: argparse.Namespace, day: date, rule: TradingDayRule) -> DayRows:
    from zn_ladder.domain.trading_day import day_bounds_ns
    from zn_ladder.store.day import accounts, read_day
    from zn_ladder.store.db import connect, translated

    path = args.db
    if path is None:
        from zn_ladder.config.paths import default_db_path

        path = default_db_path()
    start, end = day_bounds_ns(day, rule)
    conn = connect(path, readonly=True)
    try:
        with translated(path, "read the day's report"):
            if args.account:
                on_day, every = accounts(conn, start, end)
                check_account(args.account, on_day, every, day, f"the store {path}")
            user = None
            if getattr(args, "user", None) is not None:
                from zn_ladder.store.where import trader_values

                user = trader_values(conn, args.user)
                _warn_trader(args.user)
            return read_day(conn, day, start, end, args.account, user=user)
    finally:
        conn.close()


def rows_from_files(args: argparse.Namespace, day: date, rule: TradingDayRule) -> DayRows:
    from zn_ladder.cli.inputs import read_fills, read_sod
    from zn_ladder.domain.day_report import DayRows
    from zn_ladder.domain.trading_day import day_bounds_ns

    start, end = day_bounds_ns(day, rule)
    batch = read_fills(args.files, kind=args.kind)
    for line in batch.warnings[:20]:
        print(f"warning: {line}", file=sys.stderr)
    sod, sod_warnings = read_sod(args.sod)
    for line in sod_warnings[:20]:
        print(f"warning: {line}", file=sys.stderr)
    fills = list(batch.fills)  # execution order, as read_fills merged them
    if args.account:
        check_account(args.account, sorted({f.account for f in fills if start <= f.time_ns < end}),
                      sorted({f.account for f in fills} | {lot.account for lot in sod}), day, "the files")
        fills = [f for f in fills if f.account == args.account]
        sod = tuple(lot for lot in sod if lot.account == args.account)
    if getattr(args, "user", None) is not None:
        from zn_ladder.cli.inputs import named_by

        fills = [f for f in fills if named_by(f.user, "", args.user)]
        sod = ()
        _warn_trader(args.user)
    return DayRows(tuple(f for f in fills if start <= f.time_ns < end), tuple(f for f in fills if f.time_ns < start),
                   tuple(sod))


def _warn_trader(trader: str) -> None:
    """`--user`: the report is of that trader's fills; an SOD position is an account's, never a trader's."""
    print(f"warning: --user {trader}: the report of this trader's fills only; SOD positions belong to accounts "
          "and are left out", file=sys.stderr)


def check_account(account: str, on_day: list[str], every: list[str], day: date, where: str) -> None:
    """An account nothing in `where` names is refused, naming those there are (the day's first)."""
    from zn_ladder.domain.errors import InputError

    if account in every:
        return
    if on_day:
        raise InputError(f"account {account!r} is not in {where}; accounts with fills on {day}: {', '.join(on_day)}")
    raise InputError(f"account {account!r} is not in {where}; accounts there: {', '.join(every) or 'none'}")
