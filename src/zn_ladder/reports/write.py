"""Write a day's report to the file the user named; its extension chooses the format.

The file is written whole to a temporary name beside it and renamed over the target, so a copy open in
Excel is never left half-written. The chart image the page needs is drawn by a callable the caller
hands in (`ui.report_chart.pnl_chart_png`, Qt offscreen), only when the page is asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from zn_ladder.domain.day_report import DayReport
from zn_ladder.domain.errors import InputError

FORMATS = (".xlsx", ".csv", ".html")


def report_format(path: Path | str) -> str:
    """The format `path`'s extension names (".htm" is ".html"); `InputError` for any other."""
    suffix = Path(path).suffix.lower()
    suffix = ".html" if suffix == ".htm" else suffix
    if suffix not in FORMATS:
        shown = f"extension {suffix!r}" if suffix else "no extension"
        raise InputError(f"report file {str(path)[:200]!r} has {shown}: name it .xlsx, .csv or .html")
    return suffix


def report_bytes(report: DayReport, fmt: str, chart_png: Callable[[DayReport], bytes] | None = None) -> bytes:
    if fmt == ".xlsx":
        from zn_ladder.reports.xlsx import workbook_bytes

        return workbook_bytes(report)
    if fmt == ".csv":
        from zn_ladder.reports.csv_text import csv_text

        return csv_text(report).encode("utf-8")
    from zn_ladder.reports.html_page import html_page

    if chart_png is None:
        raise ValueError("the page needs a chart renderer")
    return html_page(report, chart_png(report)).encode("utf-8")


def write_report(report: DayReport, path: Path | str,
                 chart_png: Callable[[DayReport], bytes] | None = None) -> Path:
    """Write `report` to `path` in the format of its extension; the path written."""
    from zn_ladder.config.paths import output_target

    fmt = report_format(path)
    target = output_target(path)  # refused before anything is built (a folder, a symlink, no such folder)
    data = report_bytes(report, fmt, chart_png)
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        tmp.write_bytes(data)
        tmp.replace(target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(f"cannot write {target}: {exc}") from exc
    return target
