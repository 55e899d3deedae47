"""A trading day's report written as a workbook, a CSV or a self-contained web page (issue 15 §3).

The figures come from `domain.day_report` (computed once, exact); `tables` declares the tables and
each writer lays them out for its format. No Qt here: the page's chart image is drawn by the caller
(`ui.report_chart`, offscreen) and handed in as PNG bytes, so the CLI and the services stay headless.
"""
