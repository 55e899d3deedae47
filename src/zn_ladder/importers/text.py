"""Reading a desk file's text: missing files, BOMs, Excel's Windows encoding, binary junk, CSV rows.

TT's exports start with a UTF-8 BOM; a file saved again by Excel on a Windows desk is often cp1252;
both must read. Rows carry the line number a support engineer sees in an editor, so a warning can
point at the exact line.
"""

from __future__ import annotations

import csv
import io
import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from zn_ladder.domain.errors import InputError

log = logging.getLogger(__name__)

_BOM = "\ufeff"


#: A desk's biggest file (a year of fill monitor) is well under this; more is not one of ours.
MAX_FILE_BYTES = 1 << 30
#: Python's csv module refuses longer fields; no cell of ours comes near it.
MAX_FIELD = 1 << 17


class RowError(InputError):
    """A row the CSV reader cannot split (a quoted field over 128 KiB, a stray quote); `read_file` adds
    the file's name."""


def read_bytes(path: Path | str) -> bytes:
    """The file's bytes. Refuses missing files, folders, devices and pipes (``/dev/zero`` would never
    end) and files over `MAX_FILE_BYTES`."""
    path = Path(path)
    try:
        if not stat.S_ISREG(os.stat(path).st_mode) and not path.is_dir():  # before opening: a pipe's open blocks
            raise InputError(f"{path}: not a regular file (a device, a pipe or a socket)")
        with path.open("rb") as file:
            info = os.fstat(file.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise InputError(f"{path}: not a regular file (a device, a pipe or a socket)")
            if info.st_size > MAX_FILE_BYTES:
                raise InputError(f"{path}: {info.st_size:,} bytes is too big for a desk export "
                                 f"(at most {MAX_FILE_BYTES:,})")
            data = file.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    except ValueError:  # a NUL in the name: no file system has such a file
        raise InputError(f"{str(path)!r} is not a file name") from None
    if len(data) > MAX_FILE_BYTES:
        raise InputError(f"{path}: too big for a desk export (over {MAX_FILE_BYTES:,} bytes)")
    return data


def _utf16(data: bytes) -> str | None:
    """`data` as text when it is UTF-16 (Excel's "Unicode text", PowerShell's default): with a BOM, or
    without one when every other byte of the start is a NUL (ASCII text in UTF-16)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        encoding = "utf-16"
    else:
        head = data[:4096]
        if len(head) < 4 or len(head) % 2:
            return None
        odd, even = head[1::2].count(0), head[0::2].count(0)
        if odd > 0.9 * (len(head) // 2) and even == 0:
            encoding = "utf-16-le"
        elif even > 0.9 * (len(head) // 2) and odd == 0:
            encoding = "utf-16-be"
        else:
            return None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def read_text(path: Path | str) -> str:
    """The whole file as text, BOM removed, line ends made ``\\n`` (Windows ``\\r\\n`` and old Mac ``\\r``
    alike). Refuses missing, unreadable, empty and binary files; reads UTF-8, UTF-16 and Windows-1252."""
    path = Path(path)
    data = read_bytes(path)
    if not data or data.isspace():
        raise InputError(f"{path}: the file is empty")
    text = _utf16(data) if b"\x00" in data[:4096] or data[:2] in (b"\xff\xfe", b"\xfe\xff") else None
    if text is None:
        if b"\x00" in data:
            raise InputError(f"{path}: a binary file, not a CSV or JSON export")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            log.info("%s is not UTF-8; reading it as Windows-1252 (a file saved by Excel)", path)
            text = data.decode("cp1252", errors="replace")
    elif "\x00" in text:
        raise InputError(f"{path}: a binary file, not a CSV or JSON export")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
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
    try:
        return next(csv.reader([line]), [])
    except csv.Error as exc:
        raise RowError(f"line {line[:40]!r} is not a CSV row ({exc})") from None


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
    rows = iter(reader)
    while True:
        try:
            fields = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:  # a quoted field over 128 KiB, an unclosed quote at the end
            raise RowError(f"line {reader.line_num} is not a CSV row ({exc}); the file is damaged") from None
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
