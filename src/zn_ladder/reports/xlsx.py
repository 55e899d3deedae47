"""The report as an Excel workbook: a summary sheet with a native chart of the day's P&L, and one
sheet each for the round trips, the P&L curve, the fills and the journal.

Written with XlsxWriter: it only writes (a report is never read back by the app), it draws native
Excel charts that stay live in Excel (the chart reads the 'P&L curve' sheet's cells, so a trader can
restyle or extend it), and it streams rows without building a document tree in memory. openpyxl reads
and writes, but its charts are thinner and a whole workbook lives in memory while it is written.

Cells: money is a number with a currency format (exact in the file: every tick value of the products
is a binary fraction, so the dollar amounts are exact doubles), times are Excel date-times in the
trading day's zone, prices are TT's text ("110'165"). Strings are never read as formulas, numbers or
links (an account named "=HYPERLINK(...)" stays text).
"""

from __future__ import annotations

import io
from datetime import datetime
from fractions import Fraction
from typing import Any

from zn_ladder.domain.day_report import DayReport
from zn_ladder.reports import tables
from zn_ladder.reports.tables import Kind, Table

MONEY_FORMAT = '"$"#,##0.00;[Red]-"$"#,##0.00'
TIME_FORMAT = "yyyy-mm-dd hh:mm:ss.000"
HOUR_FORMAT = "yyyy-mm-dd hh:mm"
CURVE_SHEET = "P&L curve"
#: Where the chart sits on the summary sheet (right of the summary figures) and its size in pixels.
CHART_CELL = "D2"
CHART_SIZE = (760, 380)


def workbook_bytes(report: DayReport) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
                                     "strings_to_urls": False})
    formats = {
        Kind.MONEY: book.add_format({"num_format": MONEY_FORMAT}),
        Kind.TIME: book.add_format({"num_format": TIME_FORMAT}),
        Kind.PERCENT: book.add_format({"num_format": "0.0%"}),
        Kind.RATIO: book.add_format({"num_format": "0.00"}),
        "hour": book.add_format({"num_format": HOUR_FORMAT}),
        "header": book.add_format({"bold": True, "bottom": 1}),
        "title": book.add_format({"bold": True, "font_size": 13}),
    }
    summary = book.add_worksheet("Summary")
    row = _table(summary, 0, tables.summary(report), formats, title=f"zn_ladder report, trading day {report.day}")
    row = _table(summary, row + 1, tables.books(report), formats, title="Books")
    _table(summary, row + 1, tables.hours(report), formats, title="P&L by hour", time_format="hour")
    summary.set_column(0, 0, 34)
    summary.set_column(1, 1, 22)
    summary.set_column(2, 12, 16)
    for table in (tables.trips(report), tables.curve(report), tables.fills(report), tables.journal(report)):
        sheet = book.add_worksheet(table.name)
        _table(sheet, 0, table, formats)
        sheet.freeze_panes(1, 0)
        if table.rows:
            sheet.autofilter(0, 0, len(table.rows), len(table.columns) - 1)
        sheet.set_column(0, len(table.columns) - 1, 16)
        sheet.set_column(0, 0, 24)
    summary.insert_chart(CHART_CELL, _chart(book, report), {"x_scale": CHART_SIZE[0] / 480,
                                                            "y_scale": CHART_SIZE[1] / 288})
    for sheet in book.worksheets():  # printed (or made a PDF) the way it reads: landscape, one page wide
        sheet.set_landscape()
        sheet.fit_to_pages(1, 0)
        sheet.repeat_rows(0)
    summary.activate()
    book.close()
    return out.getvalue()


def _chart(book: Any, report: DayReport) -> Any:
    """A native scatter chart with straight lines over the 'P&L curve' sheet (time, P&L): the points
    come at the fills' times, so a scatter (not a category line) keeps the time axis to scale."""
    last = len(report.curve)  # rows 1..last hold the points, row 0 the titles
    chart = book.add_chart({"type": "scatter", "subtype": "straight"})
    chart.add_series({
        "name": "Day's P&L",
        "categories": [CURVE_SHEET, 1, 0, last, 0],
        "values": [CURVE_SHEET, 1, 1, last, 1],
        "line": {"color": "#1f6feb", "width": 1.75},
    })
    chart.set_title({"name": f"P&L, trading day {report.day} ({report.zone})"})
    first, end = (tables.local_time(report.curve[i].time_ns, report.zone) for i in (0, -1))
    chart.set_x_axis({"num_format": "hh:mm", "major_gridlines": {"visible": False}, "label_position": "low",
                      "min": excel_days(first), "max": excel_days(end) if end > first else None})
    chart.set_y_axis({"num_format": '"$"#,##0', "major_gridlines": {"visible": True}})
    chart.set_legend({"none": True})
    return chart


def excel_days(at: datetime) -> float:
    """An Excel date-time serial (days since 1899-12-30) of an aware time's wall clock."""
    return (at.replace(tzinfo=None) - datetime(1899, 12, 30)).total_seconds() / 86_400


def _table(sheet: Any, row: int, table: Table, formats: dict, *, title: str | None = None,
           time_format: str | None = None) -> int:
    """Write `table` from `row` (an optional title line first); the row after it."""
    if title:
        sheet.write_string(row, 0, title, formats["title"])
        row += 1
    for col, name in enumerate(table.titles):
        sheet.write_string(row, col, name, formats["header"])
    row += 1
    for cells in table.cells():
        for col, (value, kind) in enumerate(cells):
            _cell(sheet, row, col, value, kind, formats, time_format)
        row += 1
    return row


def _cell(sheet: Any, row: int, col: int, value: Any, kind: Kind, formats: dict, time_format: str | None) -> None:
    if value is None:
        sheet.write_string(row, col, "n/a")
    elif kind is Kind.TIME and isinstance(value, datetime):
        sheet.write_datetime(row, col, value.replace(tzinfo=None), formats[time_format or Kind.TIME])
    elif kind in (Kind.MONEY, Kind.PERCENT, Kind.RATIO) and isinstance(value, Fraction | int):
        sheet.write_number(row, col, float(value), formats[kind])
    elif kind is Kind.INT and isinstance(value, int):
        sheet.write_number(row, col, value)
    else:
        sheet.write_string(row, col, str(value))
