"""The report as one self-contained web page: the tables, and the day's P&L chart as an embedded PNG
(`data:image/png;base64,...`), so the file can be mailed or opened anywhere with nothing beside it.

Every text from the store (accounts, order ids, users) is escaped; money reads as the window shows it
(`$51,734.38`, losses in red).
"""

from __future__ import annotations

import base64
import html
from datetime import datetime
from fractions import Fraction
from typing import Any

from zn_ladder.domain.alerts import money
from zn_ladder.domain.day_report import DayReport
from zn_ladder.reports.tables import Kind, Table, all_tables, percent

_STYLE = """
body { font-family: "Segoe UI", "DejaVu Sans", Arial, sans-serif; margin: 24px; color: #1b1f24; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 15px; margin: 22px 0 6px; }
p.note { color: #57606a; margin: 0 0 12px; font-size: 13px; }
table { border-collapse: collapse; font-size: 12.5px; }
th { text-align: left; border-bottom: 2px solid #8c959f; padding: 3px 10px 3px 0; white-space: nowrap; }
td { border-bottom: 1px solid #d0d7de; padding: 2px 10px 2px 0; white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; } td.neg { color: #cf222e; }
img.chart { border: 1px solid #d0d7de; margin: 8px 0; max-width: 100%; }
"""


def html_page(report: DayReport, chart_png: bytes) -> str:
    who = html.escape(report.account or "all accounts")
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        f"<title>zn_ladder report {report.day}</title><style>{_STYLE}</style></head><body>",
        f"<h1>zn_ladder report: trading day {report.day}, {who}</h1>",
        f'<p class="note">Session close {html.escape(report.rule)}; times in {html.escape(report.zone)}.</p>',
    ]
    parts += (f'<p class="note">{html.escape(w)}</p>' for w in report.warnings)
    src = "data:image/png;base64," + base64.b64encode(chart_png).decode("ascii")
    for table in all_tables(report):
        parts.append(f"<h2>{html.escape(table.name)}</h2>")
        if table.name == "P&L curve":  # the picture instead of its hundreds of points
            parts.append(f'<img class="chart" alt="The day\'s P&amp;L over time" src="{src}">')
            continue
        parts.append(_table(table))
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _table(table: Table) -> str:
    head = "".join(f"<th>{html.escape(t)}</th>" for t in table.titles)
    rows = []
    for cells in table.cells():
        rows.append("<tr>" + "".join(_cell(value, kind) for value, kind in cells) + "</tr>")
    if not rows:
        rows.append(f'<tr><td colspan="{len(table.columns)}">none</td></tr>')
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _cell(value: Any, kind: Kind) -> str:
    if value is None:
        return "<td>n/a</td>"
    if kind is Kind.MONEY and isinstance(value, Fraction | int):
        return f'<td class="num{" neg" if value < 0 else ""}">{html.escape(money(value))}</td>'
    if kind is Kind.PERCENT and isinstance(value, Fraction):
        return f'<td class="num">{percent(value)}</td>'
    if kind is Kind.RATIO and isinstance(value, Fraction):
        return f'<td class="num">{float(value):.2f}</td>'
    if kind is Kind.TIME and isinstance(value, datetime):
        return f"<td>{value.strftime('%Y-%m-%d %H:%M:%S')}</td>"
    if kind is Kind.INT:
        return f'<td class="num">{value}</td>'
    return f"<td>{html.escape(str(value))}</td>"
