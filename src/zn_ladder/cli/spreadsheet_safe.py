"""Cells a spreadsheet will not run: text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is a formula to Excel, LibreOffice and Google Sheets (OWASP "CSV injection").

An account, a user or an order id comes from TT or from a file someone else wrote; exported as is, an
account named ``=HYPERLINK(...)`` becomes a live formula on the desk's PC. Such a text cell is
prefixed with a single quote, which spreadsheets show as text and never evaluate. Numbers stay numbers:
a cell that is a plain number (``-12.50``, ``110.5``) is left alone, so sums and charts keep working.
"""

from __future__ import annotations

import re

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)", re.ASCII)


def safe_cell(value: object) -> object:
    """`value` itself, or for a text that a spreadsheet would run as a formula, that text behind a quote."""
    if isinstance(value, str) and value.startswith(_TRIGGERS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_row(row: tuple | list) -> list:
    return [safe_cell(cell) for cell in row]
