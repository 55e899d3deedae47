"""TT's Audit Trail export: every order message of the day; the fills are a few rows among them.

Quirks handled:
- UTF-8 BOM before the header (and cp1252 if Excel saved it again: see `text`).
- Newest first. Fills are returned oldest first: the file's own order, reversed. The mangled `Time`
  (mm:ss.s, the hour lost to a spreadsheet) cannot order anything, so `time_ns` is built from `Date`
  and the row's place in execution order (`timestamps`). A file someone re-sorted oldest first (its
  dates increase down the file) is read in its own order instead.
- Fills are `ExecutionReport` rows with ExecType `Trade`; quantity `FillQty`, price in TT format
  (`111'075`); `ExeQty` is the order's cumulative filled quantity after the fill, which names the
  execution (key ``"{TTOrder ID}#{ExeQty}"``, see `identity`). Account and Contract are kept.
- Rows whose contract is not an outright of a known product (other products, spreads, junk names) are
  skipped with a warning naming the contract.
- Trades reported on a synthetic exchange (``CME*``, ``ALGO``: an algo's parent order) are skipped with
  a warning: the child orders' fills on the real exchange are the executions, counting both would
  double the position.
- Trade corrections and busts are skipped with a warning: the export does not say which execution they
  change. `PositionModification` rows (manual position changes) are not fills and are ignored.
"""

from __future__ import annotations

from pathlib import Path

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.instruments import DEFAULT_MARKET, canonical_market
from zn_ladder.domain.records import Fill, FillSource
from zn_ladder.importers.cells import PriceBook, Quantities, parse_side
from zn_ladder.importers.contracts import ContractTable
from zn_ladder.importers.gc_pause import gc_paused
from zn_ladder.domain.identity import Occurrences, RunningCum, fill_key
from zn_ladder.importers.result import FileKind, ImportResult, ImportWarning
from zn_ladder.importers.sniff import require
from zn_ladder.importers.text import csv_rows, first_line, header_index, read_text, split_row
from zn_ladder.importers.timestamps import Dates

_SOURCE = FillSource.AUDIT_TRAIL.value
_REQUIRED = ("Contract", "Message Type", "ExecType", "B/S", "FillQty", "Price", "Date")


def read_audit_trail(path: Path | str, *, text: str | None = None) -> ImportResult:
    """Fills of an Audit Trail export, oldest first, with a warning for every skipped trade row."""
    path = Path(path)
    text = read_text(path) if text is None else text
    require(path, FileKind.AUDIT_TRAIL, text)
    header = [h.strip() for h in split_row(first_line(text))]
    col = header_index(path, header)
    missing = [name for name in _REQUIRED if name not in col]
    if missing:
        raise InputError(f"{path}: the Audit Trail header lacks {', '.join(missing)}")
    with gc_paused():
        return _read(path, text, col, len(header))


def _read(path: Path, text: str, col: dict[str, int], width: int) -> ImportResult:
    i_contract, i_msg, i_exec = col["Contract"], col["Message Type"], col["ExecType"]
    i_side, i_qty, i_price, i_date = col["B/S"], col["FillQty"], col["Price"], col["Date"]
    i_cum, i_exch = col.get("ExeQty", -1), col.get("Exch", -1)
    i_order, i_account = col.get("TTOrder ID", -1), col.get("Account", -1)
    i_user = col.get("CurrentUser", col.get("Originator", -1))
    i_originator = col.get("Originator", -1)

    def cell(f: list[str], i: int) -> str:
        return f[i].strip() if 0 <= i < len(f) else ""

    contracts = ContractTable()
    prices = PriceBook("text")
    qty_of = Quantities()
    dates = Dates()
    warnings: list[ImportWarning] = []
    trades: list[tuple[int, list[str]]] = []
    first_date = last_date = None
    rows = 0
    for line, f in csv_rows(text, skip_header=True):
        rows += 1
        if len(f) != width:  # every row of a whole export has exactly the header's fields
            warnings.append(ImportWarning(line, f"{len(f)} fields where the header has {width}: a broken or "
                                                "cut-off row: skipped"))
            continue
        date = cell(f, i_date)
        if date:
            first_date = first_date or date
            last_date = date
        if cell(f, i_msg) != "ExecutionReport":
            continue
        exec_type = cell(f, i_exec)
        if exec_type == "Trade":
            trades.append((line, f))
        elif exec_type.startswith("Trade"):
            warnings.append(ImportWarning(line, f"ExecType {exec_type!r} of order {cell(f, i_order)!r} is not "
                                                "applied: the export does not say which fill it changes; "
                                                "import the TT fills (API) for corrections: skipped"))
    if not _oldest_first(dates, first_date, last_date):
        trades.reverse()

    cum = RunningCum()
    occurrences = Occurrences()
    fills: list[Fill] = []
    for seq, (line, f) in enumerate(trades):
        contract = cell(f, i_contract)
        product = contracts.product(contract)
        if isinstance(product, str):
            warnings.append(ImportWarning(line, f"{product}: skipped"))
            continue
        exch = cell(f, i_exch)
        if exch.endswith("*") or exch.upper() == "ALGO":
            warnings.append(ImportWarning(line, f"trade on the synthetic exchange {exch!r} (an algo's parent "
                                                "order; its child orders' fills are counted): skipped"))
            continue
        try:
            side = parse_side(cell(f, i_side))
            qty = qty_of(cell(f, i_qty))
            price = prices.for_product(product)(cell(f, i_price))
            time_ns = dates(cell(f, i_date)) + seq
            order_id = cell(f, i_order)
            exe_qty = cell(f, i_cum)
            cum_qty = qty_of(exe_qty) if exe_qty else 0
        except InputError as exc:
            warnings.append(ImportWarning(line, f"{exc}: skipped"))
            continue
        if order_id:
            cum_qty = cum.set(order_id, cum_qty) if cum_qty else cum.add(order_id, qty)
        market = canonical_market(exch)
        contract = contracts.name(contract)
        account = cell(f, i_account)
        key = occurrences(fill_key("", order_id, cum_qty, content=(account, market, contract, cell(f, i_date),
                                                                   cell(f, col.get("Time", -1)), side, qty, price)))
        fills.append(Fill(key, account, contract, side, qty, price, time_ns, order_id, "", _SOURCE,
                          cell(f, i_user), cum_qty, market, originator=cell(f, i_originator)))
    if i_exch < 0 and fills:
        warnings.append(ImportWarning(1, f"no Exch column: every fill taken as on {DEFAULT_MARKET}"))
    warnings.sort(key=lambda w: w.row)
    return ImportResult(path, FileKind.AUDIT_TRAIL, fills=tuple(fills), warnings=tuple(warnings), rows=rows)


def _oldest_first(dates: Dates, first: str | None, last: str | None) -> bool:
    """True when the file was re-sorted oldest first (its dates increase down the file).

    TT writes newest first; when every row has the same date the file's order cannot be checked and
    TT's order is assumed.
    """
    if not first or not last:
        return False
    try:
        return dates(first) < dates(last)
    except InputError:
        return False
