"""The fills of a regular fill-monitor file read column by column: the fast path of `fill_monitor.scan`.

Why: a desk's fill-monitor file is hundreds of thousands of rows and `zn-ladder pnl` must read, match
and print one in well under half a second. Row by row, Python pays a call, a list and a dozen
lookups per row. Here the text is split by `grid` (cells of a column are a slice; an ASCII file is read
straight from its bytes, piece by piece), and each column is converted through a dict of its distinct
texts with `map`, which runs at C speed: prices, quantities and sides repeat, so each distinct text is
parsed once, exactly, by the same rules as the row reader.

Same answer as the row reader or no answer: rows of a contract this app does not know are skipped with
the same warning, and anything else unusual (an irregular line, a cell that does not parse, a missing
optional column) returns None, so the caller reads the rows one by one and warns about each bad row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import compress, islice
from operator import le
from pathlib import Path
from typing import Any, NamedTuple

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.instruments import Product, canonical_market
from zn_ladder.domain.records import Side
from zn_ladder.domain.values import ERA_END_NS, ERA_START_NS
from zn_ladder.importers.cells import SIDES, PriceBook, Quantities
from zn_ladder.importers.contracts import ContractTable
from zn_ladder.importers.grid import Grid, file_grids, grids
from zn_ladder.importers.result import ImportWarning

_COLUMNS = ("TimeStamp", "AccountId", "Contract", "Side", "Quantity", "Price", "ExecId", "Exchange")
_IDS = ("OrderId", "CurrentUser")


class FillColumns(NamedTuple):
    """The good rows of a fill-monitor file as parallel lists, in execution order (stable by TimeStamp).

    `time_ns`, `line`, `order_id` and `user` are empty lists unless asked for (`full`): lot matching
    needs none of them, and 200,000 int conversions of 19-digit stamps are a tenth of its time (the
    order is checked on the stamp texts when they are all digits of one length).
    """

    account: list[str]
    contract: list[str]
    side: list[Side]
    qty: list[int]
    price: list[int]
    exec_id: list[str]
    time_ns: list[int]
    line: list[int]
    order_id: list[str]
    user: list[str]
    #: Canonical market names (`instruments.canonical_market`) from the Exchange column.
    market: list[str]
    warnings: list[ImportWarning]
    #: Data rows in the file (good and skipped).
    rows: int
    #: The distinct contracts and accounts of the good rows, noted while each piece of the file was
    #: still in the CPU cache (a pass over 200,000 cells afterwards costs more than the whole pass here).
    contracts: frozenset[str] = frozenset()
    accounts: frozenset[str] = frozenset()
    markets: frozenset[str] = frozenset()


def read_columns(text: str, header: list[str], *, full: bool = True) -> FillColumns | None:
    """The fills of `text` (a fill-monitor file whose first line is `header`), or None when the row
    reader must do it. `full`: also the times, line numbers, order ids and users (for `RawFill` rows)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    body = text.find("\n") + 1
    if not body or text[:body].strip(" \t\r\n,") == "":
        return None
    return read_grids(lambda width: grids(text, body, width, first_line=2), header, full=full)


def read_file_columns(path: Path | str, header: list[str], *, full: bool = False) -> FillColumns | None:
    """`read_columns` straight from the file's bytes (ASCII files only), read piece by piece: reading and
    decoding 40 MB at once costs more than splitting it into cells."""
    return read_grids(lambda width: file_grids(path, width), header, full=full)


def read_grids(grids_of: Callable[[int], Iterable[Grid | None]], header: list[str], *,
               full: bool) -> FillColumns | None:
    """The fills in the grids that `grids_of(width)` yields for the rows after `header`, or None."""
    index = {name: i for i, name in enumerate(header) if name}
    if len(index) != len(header):
        return None  # an unnamed or repeated column
    if "TimeStamp" not in index:
        index["TimeStamp"] = index.get("TransactTime", -1)
    names = _COLUMNS + _IDS if full else _COLUMNS
    if any(index.get(name, -1) < 0 for name in names):
        return None  # a missing column: the row reader pads it
    reader = _Reader([index[name] for name in names], full)
    for grid in grids_of(len(header)):
        if grid is None or not reader.add(grid):
            return None
    return reader.result()


class _Reader:
    """Converts grids into the output columns, with the parse caches shared across grids."""

    def __init__(self, columns: list[int], full: bool) -> None:
        self._columns = columns
        self._full = full
        self._contracts = ContractTable()
        self._prices = PriceBook("decimal")
        self._kinds: dict[str, Product | str] = {}
        self._ticks: dict[str, dict[str, int]] = {}  # product symbol -> price text -> ticks
        self._pair_ticks: dict[tuple[str, str], int] = {}  # (contract, price text) -> ticks
        self._qty: dict[str, int] = {}
        self._side: dict[str, Side] = {}
        self._texts: dict[bytes, str] = {}  # cells of a file read as bytes -> text
        # stamps, accounts, contracts, sides, qtys, prices, exec ids[, order ids, users], line numbers
        self._out: list[list] = [[] for _ in range(len(columns) + 1)]
        self._warnings: list[ImportWarning] = []
        self._rows = 0
        self._stamp_width = 0  # the length of every stamp so far when all are plain digits, else -1
        self._in_order = True  # the stamps so far are in order (known while `_stamp_width` >= 0)
        self._last_stamp: str | bytes | None = None
        self._contract_names: set[str] = set()
        self._account_names: set[str] = set()
        self._market_names: set[str] = set()
        self._canonical: dict[str, str] = {}  # contract as written -> its one spelling
        self._markets: dict[str, str] = {}  # Exchange cell -> canonical market

    def add(self, grid: Grid) -> bool:
        """Convert one grid's rows into the output; False when a cell does not parse."""
        cells = [grid.column(i) for i in self._columns]
        if cells[0] and cells[0][0].__class__ is bytes:  # text columns as text; the others are parsed
            texts = self._texts
            cells[1:3] = [_decoded(texts, column) for column in cells[1:3]]
            cells[6:] = [_decoded(texts, column) for column in cells[6:]]
        lines: list[int] | range = range(grid.first_line, grid.first_line + grid.rows)
        self._rows += grid.rows
        contracts = cells[2]
        kinds = {name: self._kind(name) for name in _distinct(contracts)}
        if any(kind.__class__ is str for kind in kinds.values()):
            keep = [kinds[name].__class__ is not str for name in contracts]
            self._warnings.extend(ImportWarning(line, f"{kinds[name]}: skipped")
                                  for line, name, ok in zip(lines, contracts, keep) if not ok)
            cells = [list(compress(column, keep)) for column in cells]
            lines = compress(lines, keep)  # type: ignore[assignment]
        stamps, accounts, contracts, sides, qtys, prices, exec_ids, exchanges, *rest = cells
        try:
            names = _mapped(self._canonical, contracts, self._contracts.name)
            markets = _mapped(self._markets, exchanges, canonical_market)
            converted = [stamps, accounts, names, _mapped(self._side, sides, _text(SIDES.__getitem__)),
                         _mapped(self._qty, qtys, _text(Quantities._parse)),
                         self._price_ticks(contracts, prices, kinds), exec_ids, markets, *rest]
        except (InputError, KeyError):  # KeyError: not an exact side text; the row reader decides
            return False
        if stamps:  # every stamp plain ASCII digits (`values.timestamp_ns`: no "1_7...", " 17...", "١٧...")
            joined = stamps[0][:0].join(stamps)
            if not joined.isascii() or not (joined if joined.__class__ is bytes else joined.encode("ascii")).isdigit():
                return False
        if self._stamp_width >= 0:
            self._check_stamps(stamps)
        self._contract_names.update(_distinct(names))
        self._account_names.update(_distinct(accounts))
        self._market_names.update(_distinct(markets))
        for out, column in zip(self._out, converted):
            out.extend(column)
        if self._full:
            self._out[-1].extend(lines)
        return True

    def result(self) -> FillColumns | None:
        """The columns in execution order, or None when a stamp is not a number."""
        stamps, accounts, contracts, sides, qtys, prices, exec_ids, *rest = columns = self._out
        by_text = self._stamp_width >= 0  # digits of one length: text order is number order
        try:
            times = list(map(int, stamps)) if self._full or not by_text else stamps
            # Every stamp in the trading era (`values.timestamp_ns`), else the row reader warns per row.
            if stamps and not (ERA_START_NS <= int(min(stamps if by_text else times))
                               and int(max(stamps if by_text else times)) < ERA_END_NS):
                return None
        except ValueError:
            return None
        in_order = self._in_order if by_text else all(map(le, times, islice(times, 1, None)))
        if not in_order:  # a stable sort
            order = sorted(range(len(times)), key=times.__getitem__)
            times = list(map(times.__getitem__, order))
            accounts, contracts, sides, qtys, prices, exec_ids, *rest = (
                list(map(column.__getitem__, order)) if column else column for column in columns[1:])
        markets, *rest = rest
        order_ids, users, lines = rest if self._full else ([], [], [])
        return FillColumns(accounts, contracts, sides, qtys, prices, exec_ids, times if self._full else [], lines,
                           order_ids, users, markets, self._warnings, self._rows, frozenset(self._contract_names),
                           frozenset(self._account_names), frozenset(self._market_names))

    def _check_stamps(self, stamps: list) -> None:
        """Keep `_stamp_width` only while every stamp is ASCII digits of one length (text order is then
        number order, checked here while the grid is in the CPU cache); anything else (even what `int`
        accepts, like " 12") is compared as numbers at the end."""
        if not stamps:
            return
        widths = set(map(len, stamps))
        digits = stamps[0][:0].join(stamps)
        width = widths.pop() if len(widths) == 1 else -1
        # bytes.isdigit is ASCII-only and fast; str.isdigit would also accept other scripts' digits.
        if (width <= 0 or self._stamp_width not in (0, width) or not digits.isascii()
                or not (digits if digits.__class__ is bytes else digits.encode("ascii")).isdigit()):
            self._stamp_width = -1
        else:
            self._stamp_width = width
            if self._in_order:
                last = self._last_stamp
                self._in_order = ((last is None or last <= stamps[0])
                                  and all(map(le, stamps, islice(stamps, 1, None))))
            self._last_stamp = stamps[-1]

    def _kind(self, contract: str) -> Product | str:
        kind = self._kinds.get(contract)
        if kind is None:
            kind = self._kinds[contract] = self._contracts.product(contract)
        return kind

    def _price_ticks(self, contracts: list[str], texts: list[str], kinds: dict[str, Product | str]) -> list[int]:
        """Ticks of each price, parsed by its contract's product: keyed by the text alone when the
        grid's rows are all of one product (the norm), else by (contract, text)."""
        products = {kind.symbol: kind for kind in kinds.values() if kind.__class__ is not str}
        if len(products) == 1:
            product: Product = products.popitem()[1]  # type: ignore[assignment]
            return _mapped(self._ticks.setdefault(product.symbol, {}), texts,
                           _text(self._prices.for_product(product)))
        prices = self._prices
        return _mapped(self._pair_ticks, list(zip(contracts, texts)),
                       lambda key: _text(prices.for_product(kinds[key[0]]))(key[1]))  # type: ignore[arg-type]


def _distinct(cells: list[str]) -> Iterable[str]:
    """The distinct cells of a column (files run in long stretches of one contract and one account)."""
    if not cells:
        return ()
    first = cells[0]
    return (first,) if cells.count(first) == len(cells) else set(cells)


def _text(parse: Callable[[str], Any]) -> Callable[[str | bytes], Any]:
    """`parse` for a cell that may be bytes (a file read as bytes: ASCII, so decoding cannot fail)."""
    return lambda cell: parse(cell.decode() if cell.__class__ is bytes else cell)


def _decoded(texts: dict[bytes, str], cells: list[bytes]) -> list[str]:
    """The cells as text; a column of one value (one account, one contract, no exec ids: the norm)
    costs one comparison per cell instead of a lookup."""
    first = cells[0]
    if cells.count(first) == len(cells):
        return [first.decode()] * len(cells)
    return _mapped(texts, cells, bytes.decode)


def _mapped(known: dict, texts: list, parse: Callable[[Any], Any]) -> list:
    """`[known[t] for t in texts]` at C speed, parsing (once) each text not seen before."""
    try:
        return list(map(known.__getitem__, texts))
    except KeyError:
        for text in set(texts).difference(known):
            known[text] = parse(text)
        return list(map(known.__getitem__, texts))
