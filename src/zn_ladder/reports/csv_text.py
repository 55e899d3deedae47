"""The report as one CSV file: every table one after the other, each under a title row and followed by
an empty row, the way the desk's spreadsheets stack tables on one sheet.

Values are what a spreadsheet reads back: money as exact decimals (`-1234.375`, never rounded: the
sums stay exact), times as `YYYY-MM-DD HH:MM:SS.mmm` in the trading day's zone (named in the summary),
prices in TT's form. Text that a spreadsheet would run as a formula is quoted (`safe_cell`).
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from fractions import Fraction
from typing import Any

from zn_ladder.cli.spreadsheet_safe import safe_cell
from zn_ladder.domain.day_report import DayReport
from zn_ladder.domain.prices import decimal_text
from zn_ladder.reports.tables import Kind, all_tables, percent


def csv_text(report: DayReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for table in all_tables(report):
        writer.writerow([table.name])
        writer.writerow(table.titles)
        for cells in table.cells():
            writer.writerow([cell(value, kind) for value, kind in cells])
        writer.writerow([])
    return out.getvalue()


def cell(value: Any, kind: Kind) -> Any:
    if value is None:
        return "n/a"
    if kind is Kind.MONEY and isinstance(value, Fraction | int):
        return decimal_text(Fraction(value), 2)
    if kind is Kind.PERCENT and isinstance(value, Fraction):
        return percent(value)
    if kind is Kind.RATIO and isinstance(value, Fraction):
        return f"{float(value):.4f}"
    if kind is Kind.TIME and isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.") + f"{value.microsecond // 1000:03d}"
    return safe_cell(value)
