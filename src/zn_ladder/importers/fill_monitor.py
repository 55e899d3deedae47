"""The seed's fill-monitor CSV: one row per fill as TT's ledger returned it, with decimal prices.

Quirks handled: ExecId is usually empty (the key is then the order id and its running cumulative
quantity, see `identity`); quantities are floats (``10.0``); prices are decimals (``111.28125``), checked
to be on the product's tick; several contracts share a file. Rows of a product this app does not know
(ES Jun25, an equity index future) are **skipped with a warning naming the contract** rather than
half-supported: their prices are not in Treasury ticks. Rows are put in execution order by their
nanosecond `TimeStamp` (stable, so equal stamps keep the file's order).

This is the biggest file a desk has (hundreds of thousands of rows). A regular file (no quotes, every
line the header's width) is read column by column (`fill_columns`); any other goes through the row
reader (`scan_rows`), whose loop is tight: columns are found once from the header, cells are parsed
once per distinct text (`cells`), and the cyclic garbage collector is paused while the (acyclic) rows
are built. Both give the same fills and warnings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import count, repeat
from operator import itemgetter
from pathlib import Path

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.instruments import DEFAULT_MARKET, canonical_market
from zn_ladder.domain.records import Fill, FillSource
from zn_ladder.domain.values import ERA_START_NS, ERA_END_NS, MAX_TEXT, timestamp_ns
from zn_ladder.importers.cells import SIDES, PriceBook, Prices, Quantities, parse_side
from zn_ladder.importers.contracts import ContractTable
from zn_ladder.importers.fill_columns import FillColumns, read_columns, read_file_columns
from zn_ladder.importers.gc_pause import gc_paused
from zn_ladder.domain.identity import Occurrences, RunningCum, fill_key
from zn_ladder.importers.result import FileKind, ImportResult, ImportWarning
from zn_ladder.importers.sniff import require, sniff_text
from zn_ladder.importers.text import csv_rows, first_line, header_index, read_text, split_row
from zn_ladder.importers.timestamps import Dates

#: A fill as read, before its key is known: (time_ns, line, account, contract, side, qty, price ticks,
#: order id, exec id, user, market).
RawFill = tuple[int, int, str, str, int, int, int, str, str, str, str]

_SOURCE = FillSource.FILL_MONITOR.value

_TIME_OF_DAY = re.compile(r"([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,9}))?", re.ASCII)

#: Bytes read to find a file's header line and kind before reading it piece by piece.
HEAD_BYTES = 1 << 16


def read_fill_monitor(path: Path | str, *, text: str | None = None) -> ImportResult:
    """Fills of a fill-monitor CSV, oldest first, with a warning for every skipped row."""
    path = Path(path)
    text = read_text(path) if text is None else text
    with gc_paused():
        raw, warnings, rows = scan(path, text)
        fills = tuple(to_fills(raw, path, desk_fields(path, text)))
    return ImportResult(path, FileKind.FILL_MONITOR, fills=fills, warnings=tuple(warnings), rows=rows)


def _header(path: Path, text: str) -> list[str]:
    """The header's names; a file with a repeated column is refused (`text.header_index`)."""
    require(path, FileKind.FILL_MONITOR, text)
    names = [h.strip() for h in split_row(first_line(text))]
    header_index(path, names)
    return names


def columns(path: Path, text: str, *, full: bool = True) -> FillColumns | None:
    """The fills of a regular file as columns in execution order, or None: then use `scan_rows`.
    `full`: also times, line numbers, order ids and users (a caller that only matches lots needs none)."""
    return read_columns(text, _header(path, text), full=full)


def file_columns(path: Path, *, full: bool = False) -> FillColumns | None:
    """`columns` read straight from the file as bytes, or None (not an ASCII fill-monitor file, or not
    regular): then read its text. The fastest way through the biggest file (no 40 MB text)."""
    if not path.is_file():
        return None  # the text reader says what is wrong with it (a device or a pipe never ends)
    try:
        with path.open("rb") as file:
            head = file.read(HEAD_BYTES)
    except OSError:
        return None  # the text reader says what is wrong with the file
    end = head.find(b"\n")
    if end < 0 or not head.isascii() or b"\x00" in head:
        return None
    text = head.decode("ascii")
    if sniff_text(text) is not FileKind.FILL_MONITOR:
        return None
    return read_file_columns(path, _header(path, text), full=full)


def scan(path: Path, text: str) -> tuple[list[RawFill], list[ImportWarning], int]:
    """Parse every row into a `RawFill` in execution order; (fills, warnings, data rows)."""
    found = columns(path, text)
    if found is None:
        return scan_rows(path, text)
    raw = list(zip(found.time_ns, found.line, found.account, found.contract, found.side, found.qty, found.price,
                   found.order_id, found.exec_id, found.user, found.market))
    return raw, found.warnings, found.rows


def scan_rows(path: Path, text: str) -> tuple[list[RawFill], list[ImportWarning], int]:
    """`scan` row by row, for any file: the hot loop splits rows by C-level `map`, picks the cells by
    one `itemgetter`, and parses each distinct price/quantity/side text once (dict hits after that).
    """
    header = _header(path, text)
    col = {name: i for i, name in enumerate(header) if name}
    width = len(header)  # every row of a whole file has exactly the header's fields
    optional = [col.get(name, -1) for name in ("AccountId", "OrderId", "ExecId", "CurrentUser", "Exchange")]
    stamp_col = col.get("TimeStamp", col.get("TransactTime", -1))
    pad = -1 in optional or stamp_col < 0
    if pad:  # a missing optional column reads as the empty field appended to every row
        optional = [width if i < 0 else i for i in optional]
        stamp_col = width if stamp_col < 0 else stamp_col
    if "Exchange" not in col:
        warnings_first = [ImportWarning(1, f"no Exchange column: every fill taken as on {DEFAULT_MARKET}")]
    else:
        warnings_first = []
    pick = itemgetter(col["Contract"], col["Side"], col["Quantity"], col["Price"], stamp_col, *optional)
    i_side_name, i_date, i_time = col.get("SideName", -1), col.get("Date", -1), col.get("Time", -1)

    contracts = ContractTable()
    markets: dict[str, str] = {}
    prices = PriceBook("decimal")
    by_contract: dict[str, tuple[dict[str, int], Prices] | str] = {}
    qty_of = Quantities()
    qty_seen: dict[str, int] = {}
    qty_get, side_get = qty_seen.get, SIDES.get
    dates = Dates()
    warnings: list[ImportWarning] = warnings_first
    warn = warnings.append
    raw: list[RawFill] = []
    add = raw.append
    rows = 0
    sorted_so_far, last_ns = True, -1
    last_contract: str | None = None
    price_seen: dict[str, int] = {}
    price_get = price_seen.get
    parse_price: Prices | None = None
    era_start, era_end = ERA_START_NS, ERA_END_NS
    expected = width + pad  # a padded row has the empty field appended
    for line, f in _rows(text, pad):
        rows += 1
        if len(f) != expected:
            if len(f) == 1 + pad and not f[0].strip(" \t\r"):
                rows -= 1  # a blank line is not a row
                continue
            # Fewer: cut off. More: the header does not describe the row (a column lost from the header
            # would shift every cell after it: LOT_SIZE read as the price).
            warn(ImportWarning(line, f"{len(f) - pad} fields where the header has {width}: a broken or cut-off "
                                     "row: skipped"))
            continue
        contract, side_text, qty_text, price_text, stamp, account, order_id, exec_id, user, exchange = pick(f)
        if contract != last_contract:  # files run in long stretches of one contract
            per = by_contract.get(contract)
            if per is None:
                product = contracts.product(contract)
                per = by_contract[contract] = product if isinstance(product, str) else ({}, prices.for_product(product))
            if per.__class__ is str:
                warn(ImportWarning(line, f"{per}: skipped"))
                continue
            last_contract, price_seen, parse_price = contract, per[0], per[1]
            price_get = price_seen.get
        price = price_get(price_text)
        qty = qty_get(qty_text)
        side = side_get(side_text)
        if price is None or qty is None or side is None or not stamp:  # first sight of a text, or a bad row
            try:
                if price is None:
                    price = price_seen[price_text] = parse_price(price_text)
                if qty is None:
                    qty = qty_seen[qty_text] = qty_of(qty_text)
                if side is None:
                    side = parse_side(side_text or (f[i_side_name] if i_side_name >= 0 else ""))
                if stamp:
                    time_ns = timestamp_ns(stamp, "TimeStamp")
                elif i_date >= 0 and f[i_date]:
                    time_ns = dates(f[i_date]) + _time_of_day_ns(f[i_time] if i_time >= 0 else "")
                else:
                    raise InputError("no TimeStamp and no Date")
            except (InputError, ValueError) as exc:
                warn(ImportWarning(line, f"{exc}: skipped"))
                continue
        else:
            try:  # `int` alone also takes "1_746...", " 1746..." and other scripts' digits
                time_ns = int(stamp) if stamp.isascii() and stamp.isdigit() else -1
            except ValueError:
                time_ns = -1
            if not era_start <= time_ns < era_end:  # the bounds of `values.timestamp_ns`, inline: hot loop
                try:
                    time_ns = timestamp_ns(stamp, "TimeStamp")
                except InputError as exc:
                    warn(ImportWarning(line, f"{exc}: skipped"))
                    continue
        if time_ns < last_ns:
            sorted_so_far = False
        last_ns = time_ns
        market = markets.get(exchange)
        if market is None:
            market = markets[exchange] = canonical_market(exchange)
        add((time_ns, line, account, contracts.name(contract), side, qty, price, order_id, exec_id, user, market))
    if not sorted_so_far:
        raw.sort(key=itemgetter(0))  # stable: equal stamps keep the file's order
    return raw, warnings, rows


def _rows(text: str, pad: bool) -> Iterable[tuple[int, list[str]]]:
    """(line number, fields) of the data rows. Unquoted files (the norm) are split at C speed."""
    if '"' in text:
        return ((n, f + [""] if pad else f) for n, f in csv_rows(text, skip_header=True))
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    header = next(i for i, line in enumerate(lines) if line.strip(" \t,"))
    body = lines[header + 1:]
    if pad:
        body = [line + "," for line in body]
    return zip(count(header + 2), map(str.split, body, repeat(",")))


#: The columns TT sent with each fill that lot matching never reads, kept on the records (`desk_fields`).
DESK_COLUMNS = ("InstrumentId", "MarketId", "OrderStatus", "Originator")
_NO_DESK_FIELDS = ("", "", "", "")


def desk_fields(path: Path, text: str) -> dict[int, tuple[str, ...]]:
    """Line number -> the row's `DESK_COLUMNS` cells (stripped, "" where the file has no such column),
    for the records `import` stores and `export` writes back. A pass of its own, so the scan that lot
    matching runs on 200,000 rows (`scan`, `columns`) stays as lean as it was."""
    header = _header(path, text)
    col = {name: i for i, name in enumerate(header) if name}
    wanted = [col.get(name, -1) for name in DESK_COLUMNS]
    if all(i < 0 for i in wanted):
        return {}
    out: dict[int, tuple[str, ...]] = {}
    for line, f in _rows(text, False):
        if len(f) == len(header):
            out[line] = tuple(f[i].strip() if i >= 0 else "" for i in wanted)
    return out


def to_fills(raw: list[RawFill], path: Path, desk: dict[int, tuple[str, ...]] | None = None) -> list[Fill]:
    """`Fill` records with their keys: exec id, else order id + running cumulative quantity, else the
    row's content (never the file's name: see `identity`); `desk`: each line's `desk_fields`."""
    cum = RunningCum()
    occurrences = Occurrences()
    fills = []
    add = fills.append
    desk = desk or {}
    for time_ns, line, account, contract, side, qty, price, order_id, exec_id, user, market in raw:
        cum_qty = cum.add(order_id, qty) if order_id else 0
        key = occurrences(fill_key(exec_id, order_id, cum_qty,
                                   content=(account, market, contract, time_ns, side, qty, price)))
        instrument_id, market_id, status, originator = desk.get(line, _NO_DESK_FIELDS)
        add(Fill(key, account, contract, side, qty, price, time_ns, order_id, exec_id, _SOURCE, user, cum_qty,
                 market, instrument_id, market_id, status, originator))
    return fills


def _time_of_day_ns(text: str) -> int:
    """``14:50:49.648`` -> ns since midnight (only used when a row has no TimeStamp)."""
    if not text:
        return 0
    match = _TIME_OF_DAY.fullmatch(text.strip()) if len(text) <= MAX_TEXT else None
    if match is None:
        raise InputError(f"time {text[:MAX_TEXT]!r} is not HH:MM:SS.fff")
    hours, minutes, seconds, fraction = match.groups()
    if int(hours) > 23 or int(minutes) > 59 or int(seconds) > 59:
        raise InputError(f"time {text!r} is not a time of day")
    return (int(hours) * 3600 + int(minutes) * 60 + int(seconds)) * 1_000_000_000 + int(
        (fraction or "").ljust(9, "0")[:9] or 0)
