"""Reading a desk file's text: missing files, BOMs, Excel's Windows encoding, binary junk, CSV rows.

TT's exports start with a UTF-8 BOM; a file saved again by Excel on a Windows desk is often cp1252;
both must read. Rows carry the line number a support engineer sees in an editor, so a warning can
point at the exact line.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterator
from pathlib import Path

from zn_ladder.domain.errors import InputError

log = logging.getLogger(__name__)

_BOM = "\ufeff"


def read_text(path: Path | str) -> str:
    """The whole file as text, BOM removed. Refuses missing, unreadable, empty and binary files."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if not data or data.isspace():
        raise InputError(f"{path}: the file is empty")
    if b"\x00" in data[:4096]:
        raise InputError(f"{path}: a binary file, not a CSV or JSON export")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        log.info("%s is not UTF-8; reading it as Windows-1252 (a file saved by Excel)", path)
        text = data.decode("cp1252", errors="replace")
    return text.lstrip(_BOM)


def first_line(text: str) -> str:
    """The first non-blank line (the header of a CSV)."""
    start = 0
    while True:
        end = text.find("\n", start)
        line = text[start:] if end < 0 else text[start:end]
        if line.strip():
            return line.rstrip("\r")
        if end < 0:
            return ""
        start = end + 1


def split_row(line: str) -> list[str]:
    """One CSV line's fields (quotes honoured)."""
    if '"' not in line:
        return line.split(",")
    return next(csv.reader([line]), [])


def csv_rows(text: str, *, skip_header: bool) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) of every non-blank row; the header (the first non-blank line) skipped on request.

    Most exports never quote a field, so the fast path splits on commas; a file with quotes goes
    through the `csv` module.
    """
    header_seen = not skip_header
    if '"' not in text:
        for number, line in enumerate(text.splitlines(), 1):
            if not line or (not line.strip(" \t,")):
                continue
            if not header_seen:
                header_seen = True
                continue
            yield number, line.split(",")
        return
    reader = csv.reader(io.StringIO(text, newline=""))
    for fields in reader:
        if not any(f.strip() for f in fields):
            continue
        if not header_seen:
            header_seen = True
            continue
        yield reader.line_num, fields


def header_index(path: Path | str, names: list[str]) -> dict[str, int]:
    """Column name -> index of a header; a name that appears twice is refused, naming it.

    Why: with two `Price` columns, which one holds the fill's price is unknowable, and taking either
    silently priced every fill of a file at the other column's value.
    """
    index: dict[str, int] = {}
    for i, name in enumerate(names):
        if not name:
            continue
        if name in index:
            raise InputError(f"{path}: the header has the column {name!r} twice (columns {index[name] + 1} and "
                             f"{i + 1}); which one to read is unknown: remove one and import again")
        index[name] = i
    return index


def cut_last_row(text: str, rows: list[tuple[int, list[str]]]) -> bool:
    """True when the file's last row looks cut off: the text does not end with a line end, and that row
    has fewer fields than most rows of the file, or its last field is shorter than that column is in
    every other row (a copy cut in the middle of an order id).

    A file whose rows all end with a line end is whole; one whose last line has no line end is still
    whole when that row looks like the others (Notepad saves without a final line end).
    """
    if len(rows) < 2 or text.endswith(("\n", "\r")):
        return False
    last = rows[-1][1]
    others = [fields for _, fields in rows[:-1]]
    widths = [len(fields) for fields in others]
    usual = max(set(widths), key=widths.count)
    if len(last) < usual:
        return True
    column = max((i for i, cell in enumerate(last) if cell.strip()), default=-1)
    if column < 0:
        return False
    lengths = [len(fields[column].strip()) for fields in others if len(fields) > column]
    return bool(lengths) and len(lengths) == len(others) and len(last[column].strip()) < min(lengths)
