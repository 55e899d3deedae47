"""Actant's start-of-day position file: the lots the day starts with, per account and underlying.

Quirks handled: LONG_SHORT is L/S (quantities are unsigned); QUANTITY is a float (``1.0``);
PRICE_TODAY is in TT format (``111'280``); blank lines at the end; zero-quantity rows (a position
closed out) are skipped with a warning; option rows (PUT_CALL set) are skipped with a warning, the
ladder holds futures only.

Actant names the product (UNDERLYING "ZN"), not the contract: a row belongs to the contract of that
product whose month is the row's EXPIRE_DATE month (ZN, 09/19/2025 -> "ZN Sep25", TT's alias). RUN_DATE
is the trading day the file is for; a row whose contract expired before it (EXPIRE_DATE < RUN_DATE,
e.g. a month that rolled off but is still in Actant's export) is not applied, and neither is a row
whose EXPIRE_DATE or RUN_DATE is not a date: each gets a warning naming the row. The ACCOUNT is
Actant's own account number; `domain.sod_accounts.map_sod_accounts` maps it to TT's later.
"""

from __future__ import annotations

from pathlib import Path

from zn_ladder.domain.contract_months import contract_for_expiry, parse_day
from zn_ladder.domain.errors import InputError
from zn_ladder.domain.records import SodLot
from zn_ladder.domain.values import signed_lots
from zn_ladder.importers.cells import PriceBook, parse_side
from zn_ladder.importers.contracts import ContractTable
from zn_ladder.importers.result import FileKind, ImportResult, ImportWarning
from zn_ladder.importers.sniff import require
from zn_ladder.importers.text import csv_rows, first_line, header_index, read_text, split_row


def read_actant_sod(path: Path | str, *, text: str | None = None) -> ImportResult:
    """SOD lots of an Actant file, with a warning for every skipped row."""
    path = Path(path)
    text = read_text(path) if text is None else text
    require(path, FileKind.ACTANT_SOD, text)
    header = [h.strip().upper() for h in split_row(first_line(text))]
    col = header_index(path, header)
    width = len(header)
    contracts = ContractTable(allow_bare_product=True)
    prices = PriceBook("text")
    lots: list[SodLot] = []
    warnings: list[ImportWarning] = []
    rows = 0

    def cell(f: list[str], name: str) -> str:
        i = col.get(name, -1)
        return f[i].strip() if 0 <= i < len(f) else ""

    for line, f in csv_rows(text, skip_header=True):
        rows += 1
        # Fewer: `...,111'280,` cut to `...,111` would read as an SOD price of 111. More: a column lost
        # from the header shifts the cells after it (LOT_SIZE 50.0 read as PRICE_TODAY).
        if len(f) != width:
            warnings.append(ImportWarning(line, f"{len(f)} fields where the header has {width}: a broken or "
                                                "cut-off row: skipped"))
            continue
        underlying = cell(f, "UNDERLYING") or cell(f, "ASSET")
        if cell(f, "PUT_CALL"):
            warnings.append(ImportWarning(line, f"option on {underlying} ({cell(f, 'PUT_CALL')} "
                                                f"{cell(f, 'STRIKE_PRICE')}): the ladder holds futures only: skipped"))
            continue
        product = contracts.product(underlying)
        if isinstance(product, str):
            warnings.append(ImportWarning(line, f"{product}: skipped"))
            continue
        try:
            expiry = parse_day(cell(f, "EXPIRE_DATE"))
            contract = contract_for_expiry(product.symbol, expiry)
        except InputError as exc:
            warnings.append(ImportWarning(line, f"EXPIRE_DATE {exc}: the {underlying} contract month is unknown: "
                                                f"not applied"))
            continue
        try:
            trading_day = parse_day(cell(f, "RUN_DATE"))
        except InputError as exc:
            warnings.append(ImportWarning(line, f"RUN_DATE {exc}: the trading day of {contract} is unknown: "
                                                f"not applied"))
            continue
        if expiry < trading_day:
            warnings.append(ImportWarning(line, f"{contract} of account {cell(f, 'ACCOUNT')!r} expired on "
                                                f"{expiry.isoformat()}, before the trading day "
                                                f"{trading_day.isoformat()}: not applied"))
            continue
        try:
            qty = _signed_qty(cell(f, "QUANTITY"), cell(f, "LONG_SHORT"))
            price = prices.for_product(product)(cell(f, "PRICE_TODAY"))
        except InputError as exc:
            warnings.append(ImportWarning(line, f"{exc}: skipped"))
            continue
        if qty == 0:
            warnings.append(ImportWarning(line, f"zero quantity for {contract} in account "
                                                f"{cell(f, 'ACCOUNT')!r}: skipped"))
            continue
        lots.append(SodLot(cell(f, "ACCOUNT"), contract, qty, price, cell(f, "RUN_DATE")))
    return ImportResult(path, FileKind.ACTANT_SOD, sod=tuple(lots), warnings=tuple(warnings), rows=rows)


def _signed_qty(quantity: str, long_short: str) -> int:
    """The lot count (bounded by `values.signed_lots`) signed by LONG_SHORT."""
    value = signed_lots(quantity, "QUANTITY")
    side = parse_side(long_short)
    if value < 0 and side > 0:
        raise InputError(f"QUANTITY {quantity!r} is negative but LONG_SHORT says long")
    return int(side) * abs(value)
