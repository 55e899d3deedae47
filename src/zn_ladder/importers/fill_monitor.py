"""The seed's fill-monitor CSV: one row per fill as TT's ledger returned it, with decimal prices.

Quirks handled: ExecId is usually empty (the key is then the order id and its running cumulative
quantity, see `identity`); quantities are floats (``10.0``); prices are decimals (``111.28125``), checked
to be on the product's tick; several contracts share a file. Rows of a product this app does not know
(ES Jun25, an equity index future) are **skipped with a warning naming the contract** rather than
half-supported: their prices are not in Treasury ticks. Rows are put in execution order by their
nanosecond `TimeStamp` (stable, so equal stamps keep the file's order).

This is the biggest file a desk has (hundreds of thousands of rows), so the loop is tight: columns
are found once from the header, cells are parsed once per distinct text (`cells`), and the cyclic
garbage collector is paused while the (acyclic) rows are built.
"""

from __future__ import annotations

from pathlib import Path

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.records import Fill, FillSource
from zn_ladder.importers.cells import PriceBook, Quantities, parse_side
from zn_ladder.importers.contracts import ContractTable
from zn_ladder.importers.gc_pause import gc_paused
from zn_ladder.importers.identity import RunningCum, fill_key
from zn_ladder.importers.result import FileKind, ImportResult, ImportWarning
from zn_ladder.importers.sniff import require
from zn_ladder.importers.text import csv_rows, first_line, read_text, split_row
from zn_ladder.importers.timestamps import Dates

#: A fill as read, before its key is known: (time_ns, line, account, contract, side, qty, price ticks,
#: order id, exec id, user).
RawFill = tuple[int, int, str, str, int, int, int, str, str, str]

_SOURCE = FillSource.FILL_MONITOR.value


def read_fill_monitor(path: Path | str, *, text: str | None = None) -> ImportResult:
    """Fills of a fill-monitor CSV, oldest first, with a warning for every skipped row."""
    path = Path(path)
    text = read_text(path) if text is None else text
    with gc_paused():
        raw, warnings, rows = scan(path, text)
        fills = tuple(to_fills(raw, path))
    return ImportResult(path, FileKind.FILL_MONITOR, fills=fills, warnings=tuple(warnings), rows=rows)


def _columns(path: Path, text: str) -> dict[str, int]:
    require(path, FileKind.FILL_MONITOR, text)
    header = [h.strip() for h in split_row(first_line(text))]
    return {name: i for i, name in enumerate(header) if name}


def scan(path: Path, text: str) -> tuple[list[RawFill], list[ImportWarning], int]:
    """Parse every row into a `RawFill` in execution order; (fills, warnings, data rows)."""
    col = _columns(path, text)
    width = len(col)
    i_side, i_qty, i_price = col["Side"], col["Quantity"], col["Price"]
    i_order, i_contract = col["OrderId"], col["Contract"]
    i_side_name = col.get("SideName", -1)
    i_account = col.get("AccountId", -1)
    i_exec = col.get("ExecId", -1)
    i_user = col.get("CurrentUser", -1)
    i_stamp = col.get("TimeStamp", col.get("TransactTime", -1))
    i_date, i_time = col.get("Date", -1), col.get("Time", -1)
    need = 1 + max(i for i in col.values())

    contracts = ContractTable()
    prices = PriceBook("decimal")
    price_of: dict[str, object] = {}  # contract -> Prices | reason
    qty_of = Quantities()
    dates = Dates()
    warnings: list[ImportWarning] = []
    warn = warnings.append
    raw: list[RawFill] = []
    add = raw.append
    rows = 0
    for line, f in csv_rows(text, skip_header=True):
        rows += 1
        if len(f) < need:
            warn(ImportWarning(line, f"{len(f)} fields where the header has {width}: a broken or cut-off row: skipped"))
            continue
        contract = f[i_contract]
        parse_price = price_of.get(contract)
        if parse_price is None:
            product = contracts.product(contract)
            parse_price = price_of[contract] = (product if isinstance(product, str)
                                                else prices.for_product(product))
        if isinstance(parse_price, str):
            warn(ImportWarning(line, f"{parse_price}: skipped"))
            continue
        try:
            side_text = f[i_side] or (f[i_side_name] if i_side_name >= 0 else "")
            side = parse_side(side_text)
            qty = qty_of(f[i_qty])
            price = parse_price(f[i_price])
            stamp = f[i_stamp] if i_stamp >= 0 else ""
            if stamp:
                time_ns = int(stamp)
            elif i_date >= 0 and f[i_date]:
                time_ns = dates(f[i_date]) + _time_of_day_ns(f[i_time] if i_time >= 0 else "")
            else:
                raise InputError("no TimeStamp and no Date")
        except (InputError, ValueError) as exc:
            warn(ImportWarning(line, f"{exc}: skipped"))
            continue
        add((time_ns, line, f[i_account] if i_account >= 0 else "", contract, side, qty, price,
             f[i_order], f[i_exec] if i_exec >= 0 else "", f[i_user] if i_user >= 0 else ""))
    if any(raw[i][0] > raw[i + 1][0] for i in range(len(raw) - 1)):
        raw.sort(key=lambda r: r[0])  # stable: equal stamps keep the file's order
    return raw, warnings, rows


def to_fills(raw: list[RawFill], path: Path) -> list[Fill]:
    """`Fill` records with their keys: exec id, else order id + running cumulative quantity."""
    cum = RunningCum()
    name = path.name
    fills = []
    add = fills.append
    for time_ns, line, account, contract, side, qty, price, order_id, exec_id, user in raw:
        cum_qty = cum.add(order_id, qty) if order_id else 0
        key = fill_key(exec_id, order_id, cum_qty, fallback=f"{name}:{line}")
        add(Fill(key, account, contract, side, qty, price, time_ns, order_id, exec_id, _SOURCE, user, cum_qty))
    return fills


def _time_of_day_ns(text: str) -> int:
    """``14:50:49.648`` -> ns since midnight (only used when a row has no TimeStamp)."""
    if not text:
        return 0
    try:
        hours, minutes, seconds = text.split(":")
        return round((int(hours) * 3600 + int(minutes) * 60 + float(seconds)) * 1e9)
    except ValueError:
        raise InputError(f"time {text!r} is not HH:MM:SS.fff") from None
