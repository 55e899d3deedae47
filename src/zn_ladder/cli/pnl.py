"""`zn-ladder pnl FILE... --contract "ZN Sep25" --method lifo|fifo [--mark P] [--sod F] [--account A] [--json]`.

Realized and unrealized P&L of one contract by lot matching, from fill files (fill monitor, Audit
Trail, Fills widget, TT fills JSON; see `inputs` for how several files merge). The fill source is one
function (`fills_from_files`) and the output is built by `pnl_payload`, so another source (the SQLite
store) only adds a branch that produces a `FillBatch`.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any, NamedTuple

from zn_ladder.cli.one_line_errors import one_line_errors
from zn_ladder.cli.output import json_number, print_json, print_table

if TYPE_CHECKING:
    from zn_ladder.cli.inputs import FillBatch
    from zn_ladder.domain.instruments import Product
    from zn_ladder.domain.lots import LotBook
    from zn_ladder.domain.prices import Price
    from zn_ladder.domain.records import SodLot
    from zn_ladder.importers.fill_monitor import RawFill

ORDER = 30


def register(sub: argparse._SubParsersAction) -> None:
    p = one_line_errors(sub.add_parser(
        "pnl", help="realized/unrealized P&L of one contract by LIFO or FIFO from fill files",
        description="Match the fills of one contract into lots (LIFO or FIFO) and print position, realized and "
                    "unrealized P&L and the open lots. Several files are merged; an execution present in two of "
                    "them counts once."))
    p.add_argument("files", nargs="*", metavar="FILE",
                   help="fill files: fill-monitor CSV, TT Audit Trail, Fills-widget copy or TT fills JSON")
    p.add_argument("--contract", required=True, help='the contract, as TT names it (e.g. "ZN Sep25")')
    p.add_argument("--product", help="product symbol (default: the contract's)")
    p.add_argument("--method", default="lifo", type=str.lower, choices=("lifo", "fifo"),
                   help="lot matching method (default lifo)")
    p.add_argument("--mark", help="price to mark open lots at (any form: 110'165, 110-16+, 110.515625)")
    p.add_argument("--sod", metavar="FILE", help="Actant start-of-day position file")
    p.add_argument("--account", help="only this account")
    p.add_argument("--kind", help="file kind of every FILE, instead of detecting it "
                                  "(fill_monitor, audit_trail, fills_widget, tt_fills)")
    p.add_argument("--db", metavar="PATH", help="read the local store (zn-ladder import/monitor) instead of files")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import gc

    from zn_ladder.cli.inputs import read_sod, sod_for, stream_fills
    from zn_ladder.domain.prices import parse_price

    contract = args.contract.strip()
    product = contract_product(contract, args.product)
    mark = parse_price(args.mark, product, spot=True) if args.mark else None
    if args.db:
        from zn_ladder.cli.pnl_store import books_from_store

        books, batch = books_from_store(args, contract, product)
        payload = pnl_payload(books, method=args.method, contract=contract, product=product, mark=mark, batch=batch)
        if args.json:
            print_json(payload)
        else:
            print_text(payload, books, product)
        return 0
    # A short-lived command building hundreds of thousands of acyclic rows: the cyclic collector has
    # nothing to find, and re-enabling it would make it walk every row once just before the exit.
    gc.disable()
    sod_lots, sod_warnings = read_sod(args.sod)
    sod = sod_for(sod_lots, contract, product, args.account)
    matcher = Matcher(product, args.method, contract, args.account, sod)
    batch = stream_fills(args.files, args.kind, matcher.add) if args.files else None
    if batch is None:  # not one fill-monitor file in time order: read the fills, then match them
        batch = fill_source(args)(args, contract)
        books = match(batch.rows, product, args.method, contract, args.account, sod)
    else:
        books = matcher.books()
    payload = pnl_payload(books.by_account, method=args.method, contract=contract, product=product, mark=mark,
                          batch=batch, extra_warnings=sod_warnings, fills=books.fills, duplicates=books.duplicates)
    if args.json:
        print_json(payload)
    else:
        print_text(payload, books.by_account, product)
    return 0


def fill_source(args: argparse.Namespace):
    """The function that produces the fills: files today (the store adds `--db`)."""
    return fills_from_files


def fills_from_files(args: argparse.Namespace, contract: str) -> FillBatch:
    from zn_ladder.cli.inputs import read_fills
    from zn_ladder.domain.errors import InputError

    if not args.files:
        raise InputError("give at least one fill FILE")
    return read_fills(args.files, kind=args.kind, default_contract=contract, records=False)


def contract_product(contract: str, product_symbol: str | None) -> Product:
    """The contract's product; `--product`, when given, must agree with it."""
    from zn_ladder.domain.errors import InputError
    from zn_ladder.domain.instruments import get_product, product_of_contract

    of_contract = product_of_contract(contract)
    if product_symbol:
        given = get_product(product_symbol)
        if given is not of_contract:
            raise InputError(f"contract {contract!r} is a {of_contract.symbol} contract, not {given.symbol}")
    return of_contract


class Matcher:
    """Lot matching for one contract (and optionally one account), fed one fill at a time.

    One `LotBook` per account (lots never match across accounts), created with the account's SOD lots.
    `add` is the per-fill hot path of `pnl` (200,000 fills, target 0.4 s for the whole process): it takes the
    few numbers a fill contributes, not a `Fill`, and goes straight to the book's integer matching
    (`LotBook._trade`, the step `LotBook.apply` takes after its key check, which `add` does itself:
    a non-empty key already seen for the account counts once).
    """

    __slots__ = ("add", "_books", "_counts")

    def __init__(self, product: Product, method: str, contract: str, account: str | None,
                 sod: Sequence[SodLot]) -> None:
        from zn_ladder.domain.lots import LotBook

        by_account: dict[str, list[SodLot]] = {}
        for lot in sod:
            by_account.setdefault(lot.account, []).append(lot)
        books = self._books = {acct: LotBook(product, method, lots) for acct, lots in by_account.items()}
        trade_of = {acct: book._trade for acct, book in books.items()}
        get_trade = trade_of.get
        seen: set[tuple[str, str]] = set()
        counts = self._counts = [0, 0]  # fills applied, duplicates dropped

        # A closure rather than a method: its names are cell loads, not attribute lookups (hot path).
        def add(fill_account: str, fill_contract: str, signed_qty: int, price: int, key: str) -> None:
            if fill_contract != contract or (account is not None and fill_account != account):
                return
            if key:
                seen_key = (fill_account, key)
                if seen_key in seen:
                    counts[1] += 1
                    return
                seen.add(seen_key)
            trade = get_trade(fill_account)
            if trade is None:
                book = books[fill_account] = LotBook(product, method)
                trade = trade_of[fill_account] = book._trade
            trade(signed_qty, price)
            counts[0] += 1

        #: add(account, contract, signed qty, price ticks, key): one fill, in execution order.
        self.add = add

    def books(self) -> Books:
        return Books(dict(sorted(self._books.items())), self._counts[0], self._counts[1])


class Books(NamedTuple):
    """The books of one contract by account, and the fill counts."""

    by_account: dict[str, LotBook]
    fills: int
    duplicates: int


def match(rows: Iterable[RawFill], product: Product, method: str, contract: str, account: str | None,
          sod: Sequence[SodLot]) -> Books:
    """Match `RawFill`-shaped rows (in execution order, key in the exec-id slot), SOD lots first."""
    matcher = Matcher(product, method, contract, account, sod)
    add = matcher.add
    for _, _, acct, fill_contract, side, qty, price, _, key, _ in rows:
        add(acct, fill_contract, qty if side > 0 else -qty, price, key)
    return matcher.books()


def pnl_payload(books: Mapping[str, Any], *, method: str, contract: str, product: Product, mark: Price | None,
                batch: FillBatch, extra_warnings: Sequence[str] = (), fills: int | None = None,
                duplicates: int | None = None) -> dict[str, Any]:
    """The JSON contract of `zn-ladder pnl` (issue 3 §4), whatever the fill source.

    `books` maps account -> a `LotBook` or anything with its reads (`position`, `realized`, `open_lots`,
    `unrealized(mark)`, `fills_applied`, `duplicates`); `fills`/`duplicates` override the books' counts
    when the caller matched without `LotBook.apply` (see `match`).
    """
    from zn_ladder.domain.prices import Price

    items = list(books.values())
    position = sum(b.position for b in items)
    realized = sum((b.realized for b in items), Fraction(0))
    unrealized = sum((b.unrealized(mark) for b in items), Fraction(0)) if mark is not None else None
    lots = [lot for b in items for lot in b.open_lots]
    cost = sum(lot.qty * lot.price for lot in lots)
    average = Price(Fraction(cost, position * product.ticks_per_point)) if position else None
    if duplicates is None:
        duplicates = sum(b.duplicates for b in items)
    if fills is None:
        fills = sum(b.fills_applied for b in items)
    warnings = list(batch.warnings) + list(extra_warnings)
    if duplicates:
        warnings.append(f"{duplicates} fills repeated an execution already read (same key): counted once")
    return {
        "method": method,
        "contract": contract,
        "position": position,
        "realized": json_number(realized),
        "unrealized": json_number(unrealized),
        "mark": price_text(mark, product) if mark is not None else None,
        "average_open_price": price_text(average, product) if average is not None else None,
        "open_lots": [{"qty": lot.qty, "price": price_text(Price.from_ticks(lot.price, product), product)}
                      for lot in lots],
        "fills": fills,
        "skipped": batch.skipped + duplicates,
        "warnings": warnings,
    }


def price_text(price: Price, product: Product) -> str:
    """TT format for a price on a tick; the exact decimal for one between ticks (an average, a mid)."""
    from zn_ladder.domain.prices import format_price

    if price.on_tick(product):
        return format_price(price, product, "tt")
    return format_price(price, product, "decimal")


def print_text(payload: dict[str, Any], books: Mapping[str, Any], product: Product) -> None:
    def money(value: Any) -> str:
        return "-" if value is None else f"{value:,.2f}"

    summary = [
        ("contract", payload["contract"]),
        ("method", payload["method"].upper()),
        ("accounts", ", ".join(books) or "-"),
        ("position", payload["position"]),
        ("realized $", money(payload["realized"])),
        ("mark", payload["mark"] or "-"),
        ("unrealized $", money(payload["unrealized"])),
        ("average open", payload["average_open_price"] or "-"),
        ("fills", payload["fills"]),
        ("skipped", payload["skipped"]),
    ]
    print_table(["", "value"], summary)
    if payload["open_lots"]:
        print()
        print_table(["open qty", "price"], [(lot["qty"], lot["price"]) for lot in payload["open_lots"]])
    for line in payload["warnings"][:20]:
        print(f"warning: {line}")
    if len(payload["warnings"]) > 20:
        print(f"... and {len(payload['warnings']) - 20} more warnings (--json lists them all)")
