"""Rows copied out of TT's Fills widget and pasted into a file.

Quirks handled: no header (a header row, if the copy included one, is skipped); a UTF-8 BOM; newest
first (returned oldest first, the file's order reversed); `Time` mangled to mm:ss.s, so `time_ns` comes
from the date and the row's place in execution order (`timestamps`); prices in TT format; the last
columns are the TT order id and, for an algo's child, the parent's id. There is no exec id and no
cumulative quantity: the key is the order id with the running sum of that order's fills in execution
order (`identity`), which matches the Audit Trail's ExeQty when the copy holds all of the order's fills.

Columns: Date, Time, Exch, Contract, B/S, Qty, Price, fill type (F full / P partial), Route, Account,
Originator, CurrentUser, TT order id[, parent id].
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.instruments import canonical_market
from zn_ladder.domain.records import Fill, FillSource
from zn_ladder.importers.cells import PriceBook, Quantities, parse_side
from zn_ladder.importers.contracts import ContractTable
from zn_ladder.importers.gc_pause import gc_paused
from zn_ladder.domain.identity import Occurrences, RunningCum, fill_key
from zn_ladder.importers.result import FileKind, ImportResult, ImportWarning
from zn_ladder.importers.sniff import WIDGET_MIN_FIELDS, require
from zn_ladder.importers.text import csv_rows, cut_last_row, header_index, read_text
from zn_ladder.importers.timestamps import Dates

_SOURCE = FillSource.FILLS_WIDGET.value
DATE, TIME, EXCH, CONTRACT, SIDE, QTY, PRICE, FILL_TYPE, ROUTE, ACCOUNT, ORIGINATOR, USER, ORDER_ID = range(13)


def read_fills_widget(path: Path | str, *, text: str | None = None) -> ImportResult:
    """Fills of a Fills-widget copy, oldest first, with a warning for every skipped row."""
    path = Path(path)
    text = read_text(path) if text is None else text
    require(path, FileKind.FILLS_WIDGET, text)
    rows = list(csv_rows(text, skip_header=False))
    if rows and rows[0][1][0].strip().lower() == "date":
        header_index(path, [name.strip() for name in rows[0][1]])
        rows = rows[1:]  # the copy included the widget's column titles
    cut: list[ImportWarning] = []
    if cut_last_row(text, rows):  # a copy cut in the middle of its last row: another order id, another qty
        line = rows.pop()[0]
        cut.append(ImportWarning(line, "the file ends in the middle of this row (no line end, fewer or shorter "
                                       "fields than the other rows): a cut-off copy: skipped"))
    with gc_paused():
        result = _read(path, rows)
    return replace(result, warnings=result.warnings + tuple(cut), rows=result.rows + len(cut)) if cut else result


def _read(path: Path, rows: list[tuple[int, list[str]]]) -> ImportResult:
    contracts = ContractTable()
    prices = PriceBook("text")
    qty_of = Quantities()
    dates = Dates()
    cum = RunningCum()
    occurrences = Occurrences()
    warnings: list[ImportWarning] = []
    fills: list[Fill] = []
    for seq, (line, f) in enumerate(reversed(rows)):
        if len(f) < WIDGET_MIN_FIELDS:
            warnings.append(ImportWarning(line, f"{len(f)} fields where a Fills-widget row has "
                                                f"{WIDGET_MIN_FIELDS}: a broken or cut-off row: skipped"))
            continue
        contract = f[CONTRACT].strip()
        product = contracts.product(contract)
        if isinstance(product, str):
            warnings.append(ImportWarning(line, f"{product}: skipped"))
            continue
        try:
            side = parse_side(f[SIDE])
            qty = qty_of(f[QTY].strip())
            price = prices.for_product(product)(f[PRICE].strip())
            time_ns = dates(f[DATE].strip()) + seq
        except InputError as exc:
            warnings.append(ImportWarning(line, f"{exc}: skipped"))
            continue
        order_id = f[ORDER_ID].strip()
        cum_qty = cum.add(order_id, qty) if order_id else 0
        market = canonical_market(f[EXCH])
        contract = contracts.name(contract)
        account = f[ACCOUNT].strip()
        key = occurrences(fill_key("", order_id, cum_qty, content=(account, market, contract, f[DATE].strip(),
                                                                   f[TIME].strip(), side, qty, price)))
        fills.append(Fill(key, account, contract, side, qty, price, time_ns, order_id, "", _SOURCE,
                          f[USER].strip() or f[ORIGINATOR].strip(), cum_qty, market,
                          originator=f[ORIGINATOR].strip()))
    warnings.sort(key=lambda w: w.row)
    return ImportResult(path, FileKind.FILLS_WIDGET, fills=tuple(fills), warnings=tuple(warnings),
                        rows=len(rows))
