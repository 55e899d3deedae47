"""Telling the kind of a desk file from its content, and refusing a file of the wrong kind.

Desks rename files freely ("fills (3).csv"), so the name says nothing; the header does. The Fills
widget copy has no header at all: it is recognised by its first row (a date like 3-Jul-25, then
time, exchange, contract and B/S).
"""

from __future__ import annotations

import re
from pathlib import Path

from zn_ladder.domain.errors import InputError
from zn_ladder.importers.result import FileKind
from zn_ladder.importers.text import first_line, split_row

#: Header columns that identify each CSV kind (a subset must be present).
HEADERS: dict[FileKind, frozenset[str]] = {
    FileKind.AUDIT_TRAIL: frozenset({"Message Type", "ExecType", "FillQty", "Price", "Contract"}),
    FileKind.FILL_MONITOR: frozenset({"InstrumentId", "OrderId", "Quantity", "Price", "Contract", "Side"}),
    FileKind.ACTANT_SOD: frozenset({"ACCOUNT", "UNDERLYING", "LONG_SHORT", "QUANTITY", "PRICE_TODAY"}),
}

#: What each kind looks like, for the message that refuses a file.
EXPECTED: dict[FileKind, str] = {
    FileKind.AUDIT_TRAIL: "a header with Time, Contract, Message Type, ExecType, B/S, FillQty, ExeQty, Price, ...",
    FileKind.FILL_MONITOR: "a header with Date, Time, InstrumentId, Side, Quantity, Price, OrderId, AccountId, ..., "
                           "Contract",
    FileKind.ACTANT_SOD: "a header with ACCOUNT, UNDERLYING, LONG_SHORT, QUANTITY, PRICE_TODAY, ...",
    FileKind.FILLS_WIDGET: "rows without a header: Date (3-Jul-25), Time, Exch, Contract, B/S, Qty, Price, "
                           "fill type, Route, Account, Originator, CurrentUser, TT order id",
    FileKind.TT_ORDERS: 'TT\'s JSON answer with an "orders" list',
    FileKind.TT_FILLS: 'TT\'s JSON answer with a "fills" list',
}

_WIDGET_DATE = re.compile(r"^\d{1,2}-[A-Za-z]{3}-\d{2,4}$")
WIDGET_MIN_FIELDS = 13


def sniff_text(text: str) -> FileKind | None:
    """The kind of file `text` is, or None when it is none of ours."""
    stripped = text.lstrip()
    if stripped[:1] in ("{", "["):
        if '"lastPx"' in text or '"fills"' in text:
            return FileKind.TT_FILLS
        if '"orders"' in text or '"orderType"' in text or '"leavesQuantity"' in text or '"order"' in text:
            return FileKind.TT_ORDERS
        return None
    fields = [f.strip() for f in split_row(first_line(text))]
    names = set(fields)
    for kind, needed in HEADERS.items():
        if needed <= names:
            return kind
    if fields and fields[0] == "Date" and {"Contract", "B/S"} <= names:
        return FileKind.FILLS_WIDGET  # a copy that included the widget's column titles
    if (len(fields) >= WIDGET_MIN_FIELDS and _WIDGET_DATE.match(fields[0])
            and fields[4].upper() in ("B", "S", "BUY", "SELL")):
        return FileKind.FILLS_WIDGET
    return None


def refuse(path: Path | str, expected: FileKind, text: str) -> InputError:
    """The error for a file that is not of the `expected` kind, saying what it looks like instead."""
    found = sniff_text(text)
    if found is not None and found is not expected:
        hint = f"it looks like {found.a_label}"
    else:
        line = first_line(text).strip()
        hint = f"its first line is {line[:80]!r}" if line else "it has no rows"
    return InputError(f"{path}: not {expected.a_label} (expected {EXPECTED[expected]}); {hint}")


def require(path: Path | str, expected: FileKind, text: str) -> None:
    """Raise `refuse(...)` unless `text` is of the `expected` kind."""
    if sniff_text(text) is not expected:
        raise refuse(path, expected, text)
