"""The `--db` branch of `zn-ladder pnl`: P&L from the store's persisted books, not a replay.

The store keeps each account's LIFO and FIFO books up to date as fills arrive (and equal to a
recompute: it checks on open), so the command reads position, realized and open lots directly: the
cost does not grow with the number of fills stored. The JSON is `pnl`'s own (`pnl_payload`), over
the domain's `LotBook`s restored from the stored rows.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zn_ladder.cli.inputs import FillBatch
    from zn_ladder.domain.instruments import Product
    from zn_ladder.domain.lots import LotBook
    from zn_ladder.domain.prices import Price


def books_from_store(args: argparse.Namespace, contract: str, product: Product) -> tuple[Any, FillBatch, str]:
    """The account books of `contract` on the chosen market (see `instrument.choose_market`), the
    batch of warnings, and the market."""
    from zn_ladder.cli.inputs import FillBatch
    from zn_ladder.cli.instrument import choose_market, require_contract
    from zn_ladder.domain.errors import InputError
    from zn_ladder.domain.lots import LotBook
    from zn_ladder.store.db import connect, translated
    from zn_ladder.store.snapshot import instruments, read_books

    if args.files:
        raise InputError("give fill FILEs or --db, not both (import the files into the store first)")
    if args.sod:
        raise InputError("--sod reads a file; with --db the SOD comes from the store "
                         "(zn-ladder import SOD_FILE --db PATH first)")
    conn = connect(args.db, readonly=True)
    try:
        with translated(args.db, "read P&L"):
            held = instruments(conn)
            require_contract(contract, (c for _, c in held), found=any(c == contract for _, c in held),
                             where=f"the store {args.db}")
            market = choose_market(contract, (m for m, c in held if c == contract), args.market)
            pending = conn.execute("SELECT count(*) FROM corrections WHERE applied = 0").fetchone()[0]
            if getattr(args, "user", None) is not None:
                if getattr(args, "day", None) is not None:
                    raise InputError("--user and --day together are not supported: the per-day books are per "
                                     "account (use export --what fills --day D --user T for the trader's fills)")
                return _trader_books(conn, args, contract, product, market, pending)
            views = read_books(conn, contract, args.account, args.method, market)
            if getattr(args, "day", None) is not None:
                views = _day_views(conn, views, args.day, args.method)
    finally:
        conn.close()
    books = {v.account: LotBook.restore(product, args.method, position=v.position, realized_units=v.realized_units,
                                        lots=[(i, q, p) for i, (q, p) in enumerate(v.open_lots)],
                                        next_seq=len(v.open_lots), fills_applied=v.fills_applied, track=False)
             for v in views}
    warnings = []
    if getattr(args, "day", None) is not None and not views:
        warnings.append(f"no fills of {contract} on trading day {args.day.isoformat()} in the store {args.db}")
    elif not views:
        warnings.append(f"no fills or SOD for {contract}{' in account ' + args.account if args.account else ''} "
                        f"in the store {args.db}")
    if pending:
        warnings.append(f"{pending} busts/corrections in the store refer to fills it does not hold: not applied")
    return dict(sorted(books.items())), FillBatch((), (), tuple(warnings), 0), market


def _day_views(conn: Any, views: list[Any], day: Any, method: str) -> list[Any]:
    """The books as trading day `day` left them: realized by that day's fills only, the lots it closed
    with, its fills (`domain.day_history`, as the closed days); accounts without a fill that day are left out."""
    from dataclasses import replace

    from zn_ladder.cli.arg_types import desk_day_rule
    from zn_ladder.store.days import book_days

    rule = desk_day_rule()
    out = []
    for view in views:
        figures = [f for f in book_days(conn, (view.account, view.market, view.contract), rule, day) if f.day == day]
        if figures:
            f = figures[0]
            out.append(replace(view, position=f.position, realized_units=f.realized_units[method],
                               fills_applied=f.fills, open_lots=f.closing_lots[method]))
    return out


def _trader_books(conn: Any, args: argparse.Namespace, contract: str, product: Product, market: str,
                  pending: int) -> tuple[Any, FillBatch, str]:
    """One trader's books (`--user`): the books the store keeps are per account, so the trader's
    fills as they stand (`where.trader_values`) are matched again, each account's apart. An SOD
    position is the account's, not the trader's: it is left out, and the output says so."""
    from zn_ladder.cli.inputs import FillBatch
    from zn_ladder.cli.pnl import match
    from zn_ladder.store.fills import live_fills
    from zn_ladder.store.where import trader_values

    fills = live_fills(conn, contract, args.account, market=market, user=trader_values(conn, args.user))
    rows = FillBatch.of_fills(fills).rows
    books = match(rows, product, args.method, contract, args.account, (), market)
    warnings = [f"--user {args.user}: P&L of this trader's fills only; SOD positions belong to accounts and are "
                "left out"]
    if not fills:
        warnings.append(f"no fills of trader {args.user!r} for {contract} in the store {args.db}")
    if pending:
        warnings.append(f"{pending} busts/corrections in the store refer to fills it does not hold: not applied")
    return books.by_account, FillBatch((), (), tuple(warnings), 0), market
