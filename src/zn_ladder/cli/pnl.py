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
from itertools import compress, repeat
from operator import eq, mul
from typing import TYPE_CHECKING, Any, NamedTuple

from zn_ladder.cli.one_line_errors import one_line_errors
from zn_ladder.cli.output import json_number, print_json, print_table

if TYPE_CHECKING:
    from zn_ladder.cli.inputs import FillBatch
    from zn_ladder.domain.instruments import Product
    from zn_ladder.domain.lots import LotBook
    from zn_ladder.domain.prices import Price
    from zn_ladder.domain.records import SodLot
    from zn_ladder.importers.fill_columns import FillColumns
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
    p.add_argument("--market", help="the market of the contract (e.g. CME, CME_Delayed); needed when the input "
                                    "holds the contract on several markets")
    p.add_argument("--kind", help="file kind of every FILE, instead of detecting it "
                                  "(fill_monitor, audit_trail, fills_widget, tt_fills)")
    p.add_argument("--db", metavar="PATH|URL", help="read the store (zn-ladder import/monitor; a SQLite file or "
                                                      "postgresql://user@host/db) instead of files")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import gc

    from zn_ladder.cli.inputs import fill_columns, read_sod, sod_for
    from zn_ladder.cli.instrument import choose_market, require_contract, sod_elsewhere
    from zn_ladder.domain.instruments import canonical_contract
    from zn_ladder.domain.prices import parse_price

    contract = canonical_contract(args.contract)
    product = contract_product(contract, args.product)
    mark = parse_price(args.mark, product, spot=True) if args.mark else None
    if args.db:
        from zn_ladder.cli.pnl_store import books_from_store

        books, batch, market = books_from_store(args, contract, product)
        payload = pnl_payload(books, method=args.method, contract=contract, product=product, mark=mark, batch=batch,
                              market=market)
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
    found = fill_columns(args.files, args.kind) if args.files else None
    if found is None:  # not one regular fill-monitor file: read the fills, then match them
        batch = fill_source(args)(args, contract)
        present = {row[3] for row in batch.rows}
        markets = {row[10] for row in batch.rows if row[3] == contract}
    else:
        columns, batch = found
        present = set(columns.contracts)
        markets = (set(columns.markets) if columns.contracts == {contract}
                   else {m for c, m in zip(columns.contract, columns.market) if c == contract})
    require_contract(contract, present | {lot.contract for lot in sod_lots}, found=bool(markets or sod))
    market = choose_market(contract, markets, args.market, {lot.market for lot in sod})
    sod_warnings = (*sod_warnings, *sod_elsewhere(sod, market))
    sod = [lot for lot in sod if lot.market == market]
    if found is None:
        books = match(batch.rows, product, args.method, contract, args.account, sod, market)
    else:
        matcher = Matcher(product, args.method, contract, args.account, sod, market)
        matcher.add_columns(columns)
        books = matcher.books()
    payload = pnl_payload(books.by_account, method=args.method, contract=contract, product=product, mark=mark,
                          batch=batch, extra_warnings=sod_warnings, fills=books.fills, duplicates=books.duplicates,
                          market=market)
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
    """Lot matching for one contract (and optionally one account), fed fills one by one or as columns.

    One `LotBook` per account (lots never match across accounts), created with the account's SOD lots.
    Fills come as the few numbers they contribute, never as `Fill` records: `add` takes one fill, and
    `add_columns` a whole file's columns, handing each account's fills to its book in one
    `LotBook.apply_trades` call (the hot path of `pnl`: 200,000 fills, target 0.4 s for the whole
    process). A non-empty key already seen for the account counts once (the book checks it).
    """

    __slots__ = ("add", "_books", "_new_book", "_contract", "_account", "_market")

    def __init__(self, product: Product, method: str, contract: str, account: str | None,
                 sod: Sequence[SodLot], market: str = "CME") -> None:
        from zn_ladder.domain.lots import LotBook

        by_account: dict[str, list[SodLot]] = {}
        for lot in sod:
            by_account.setdefault(lot.account, []).append(lot)
        books = self._books = {acct: LotBook(product, method, lots) for acct, lots in by_account.items()}
        self._contract, self._account, self._market = contract, account, market
        self._new_book = lambda: LotBook(product, method)
        apply_of = {acct: book.apply_trade for acct, book in books.items()}
        get_apply = apply_of.get

        # A closure rather than a method: its names are cell loads, not attribute lookups (per fill).
        def add(fill_account: str, fill_contract: str, signed_qty: int, price: int, key: str,
                fill_market: str) -> None:
            if fill_contract != contract or fill_market != market or (account is not None and fill_account != account):
                return
            apply = get_apply(fill_account)
            if apply is None:
                apply = apply_of[fill_account] = self._book(fill_account).apply_trade
            apply(signed_qty, price, key)

        #: add(account, contract, signed qty, price ticks, key, market): one fill, in execution order.
        self.add = add

    def add_columns(self, columns: FillColumns) -> None:
        """A file's fills as columns, in execution order."""
        contract, account, market = self._contract, self._account, self._market
        rows = (columns.account, columns.price, columns.exec_id, list(map(mul, columns.side, columns.qty)))
        if columns.contracts != {contract}:  # other contracts in the file: keep ours
            rows = _rows_where(columns.contract, contract, (columns.market, *rows))
            markets, rows = rows[0], rows[1:]
        else:
            markets = columns.market
        if columns.markets != {market}:  # other markets (the same contract on CME_Delayed): keep ours
            rows = _rows_where(markets, market, rows)
        if account is not None and columns.accounts != {account}:
            rows = _rows_where(rows[0], account, rows)
        if len(columns.accounts) == 1:  # one account (the norm): no pass over the rows to group them
            groups = {next(iter(columns.accounts)): rows} if rows[0] else {}
        else:
            groups = _by_account(rows)
        for name, (_, prices_of, keys_of, qtys_of) in groups.items():
            self._book(name).apply_trades(qtys_of, prices_of, keys_of if any(keys_of) else None)

    def _book(self, account: str) -> LotBook:
        book = self._books.get(account)
        if book is None:
            book = self._books[account] = self._new_book()
        return book

    def books(self) -> Books:
        books = self._books
        return Books(dict(sorted(books.items())), sum(b.fills_applied for b in books.values()),
                     sum(b.duplicates for b in books.values()))


def _by_account(columns: tuple[list, ...]) -> dict[str, tuple[list, ...]]:
    """The rows of `columns` (account first) per account, in order: a file of one or a few accounts is
    split by C-level passes, one of many by a single Python pass."""
    accounts = columns[0]
    names = set(accounts)
    if len(names) <= 1:
        return {name: columns for name in names}
    if len(names) <= 4:
        return {name: _rows_where(accounts, name, columns) for name in names}
    groups: dict[str, tuple[list, ...]] = {name: tuple([] for _ in columns) for name in names}
    for row in zip(*columns):
        for column, cell in zip(groups[row[0]], row):
            column.append(cell)
    return groups


def _rows_where(cells: Sequence[str], value: str, columns: tuple[list, ...]) -> tuple[list, ...]:
    """The rows of `columns` whose cell in `cells` equals `value` (order kept)."""
    keep = list(map(eq, cells, repeat(value)))
    return tuple(list(compress(column, keep)) for column in columns)


class Books(NamedTuple):
    """The books of one contract by account, and the fill counts."""

    by_account: dict[str, LotBook]
    fills: int
    duplicates: int


def match(rows: Iterable[RawFill], product: Product, method: str, contract: str, account: str | None,
          sod: Sequence[SodLot], market: str = "CME") -> Books:
    """Match `RawFill`-shaped rows (in execution order, key in the exec-id slot), SOD lots first."""
    matcher = Matcher(product, method, contract, account, sod, market)
    add = matcher.add
    for _, _, acct, fill_contract, side, qty, price, _, key, _, fill_market in rows:
        add(acct, fill_contract, qty if side > 0 else -qty, price, key, fill_market)
    return matcher.books()


def pnl_payload(books: Mapping[str, Any], *, method: str, contract: str, product: Product, mark: Price | None,
                batch: FillBatch, extra_warnings: Sequence[str] = (), fills: int | None = None,
                duplicates: int | None = None, market: str = "CME") -> dict[str, Any]:
    """The JSON contract of `zn-ladder pnl` (issue 3 §4), whatever the fill source.

    `books` maps account -> `LotBook`; `fills`/`duplicates` override the books' counts when the caller
    matched without `LotBook.apply` (see `match`).
    """
    from zn_ladder.domain.lots import average_open_price
    from zn_ladder.domain.prices import Price

    items = list(books.values())
    position = sum(b.position for b in items)
    realized = sum((b.realized for b in items), Fraction(0))
    unrealized = sum((b.unrealized(mark) for b in items), Fraction(0)) if mark is not None else None
    lots = [lot for b in items for lot in b.open_lots]
    average = average_open_price(lots, product)
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
        "market": market,
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
        ("market", payload["market"]),
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
