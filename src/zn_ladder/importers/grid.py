"""A regular CSV body split in one C-level pass, read column by column.

Why: the fill monitor writes hundreds of thousands of unquoted rows of the same width, and splitting
them line by line (one `split` call and one list per row, then picking cells in a Python loop) is most
of what `zn-ladder pnl` spends. When every row has exactly `width` fields, `text.split(",")` over a
whole piece of text gives the cells in row-major order, rows glued at their ends by the newline
("last\\nfirst"), so the cells of an inner column are one slice with a stride and cost nothing per row.

"Regular" is checked exactly, not guessed: each of the n-1 glued cells must hold a newline and the
piece must hold no other newline (apart from trailing ones), which is true only when every line has
exactly `width - 1` commas. Anything else (a quote, a carriage return, a blank or short or long line)
gives None and the caller reads the rows one by one, where each odd row gets its warning.

The text is cut into pieces of whole lines (64 KB) so that only one piece's cells are alive at a
time: the cells of 200,000 rows at once would take a quarter of a gigabyte, and a piece's cells still in
the CPU cache when its columns are converted make the whole read twice as fast as 1 MB pieces. An
ASCII file can also be read as bytes, piece by piece (`file_grids`): no 40 MB copy, no decoding.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import repeat
from operator import contains
from pathlib import Path

#: Characters of text per piece: small enough for the cells to stay in cache, big enough to amortize calls.
PIECE = 1 << 16

Cells = str | bytes


class Grid:
    """The cells of consecutive CSV rows of one width; `first_line` is the line number of row 0.
    Cells are `str` for a text, `bytes` for a file read as bytes (`file_grids`)."""

    __slots__ = ("first_line", "rows", "blank_after", "_cells", "_stride", "_ends")

    def __init__(self, cells: list, width: int, rows: int, first_line: int, blank_after: bool = False) -> None:
        self.first_line = first_line
        self.rows = rows
        #: The piece ended in blank lines: only the end of the file may follow.
        self.blank_after = blank_after
        self._cells = cells
        self._stride = width - 1
        self._ends: list | None = None

    def column(self, index: int) -> list:
        """The cells of column `index` (0-based), one per row."""
        stride = self._stride
        if 0 < index < stride:
            return self._cells[index::stride]
        if self._ends is None:  # the first and last cells share a glued cell: split those apart
            newline = "\n" if self._cells[0].__class__ is str else b"\n"
            self._ends = newline.join(self._cells[::stride]).split(newline)
        return self._ends[0:2 * self.rows:2] if index == 0 else self._ends[1:2 * self.rows:2]


def grids(text: str, start: int, width: int, first_line: int, piece: int | None = None) -> Iterator[Grid | None]:
    """Grids of `text[start:]`, a piece of whole lines each; a None means the text is not regular there
    (the caller stops and reads the rows one by one)."""
    return _grids(_text_pieces(text, start, piece or PIECE), width, first_line)


def file_grids(path: Path | str, width: int, piece: int | None = None) -> Iterator[Grid | None]:
    """Grids of the rows of a file after its first line, read as bytes piece by piece: no copy of the
    whole file, no decoding (a piece with a byte that is not ASCII gives None: read it as text)."""
    return _grids(_file_pieces(Path(path), piece or PIECE), width, 2)


def _text_pieces(text: str, start: int, piece: int) -> Iterator[str]:
    end = len(text)
    while start < end:
        stop = text.find("\n", min(start + piece, end - 1))
        stop = end if stop < 0 else stop + 1
        yield text[start:stop]
        start = stop


def _file_pieces(path: Path, piece: int) -> Iterator[bytes]:
    """Whole lines of the file after its first one, about `piece` bytes at a time."""
    with path.open("rb") as file:
        file.readline()  # the header
        carry = b""
        while block := file.read(piece):
            cut = block.rfind(b"\n") + 1
            if not cut:
                carry += block
                continue
            yield carry + block[:cut] if carry else block[:cut]
            carry = block[cut:]
        if carry:
            yield carry


def _grids(pieces: Iterable[Cells], width: int, first_line: int) -> Iterator[Grid | None]:
    blank = False  # a piece of blank lines: fine at the end of the file, not before more rows
    for chunk in pieces:
        newline = "\n" if chunk.__class__ is str else b"\n"
        if chunk[:1] == newline and not chunk.strip(newline):  # type: ignore[arg-type]
            blank = True
            continue
        grid = None if blank else split_regular(chunk, width, first_line)
        yield grid
        if grid is None:
            return
        blank = grid.blank_after
        first_line += grid.rows


def split_regular(chunk: Cells, width: int, first_line: int) -> Grid | None:
    """One piece of rows as a `Grid`, or None unless every line of it has exactly `width` fields."""
    if chunk.__class__ is str:
        newline, comma, quote, cr = "\n", ",", '"', "\r"
    elif chunk.isascii():  # type: ignore[union-attr]
        newline, comma, quote, cr = b"\n", b",", b'"', b"\r"
    else:
        return None
    if width < 2 or quote in chunk or cr in chunk or chunk[:1] == newline:
        return None
    cells = chunk.split(comma)  # type: ignore[arg-type]
    stride = width - 1
    if (len(cells) - 1) % stride:
        return None
    rows = (len(cells) - 1) // stride
    if not rows:  # a line without a comma: a cut-off row or a blank line, for the row reader
        return None
    last = cells[-1]
    body = last.rstrip(newline)
    if newline in body:
        return None
    glued = cells[stride:-1:stride]  # rows - 1 cells "last\nfirst"
    if chunk.count(newline) != len(glued) + len(last) - len(body):  # type: ignore[arg-type]
        return None
    # For bytes, `b"\n" in cell` first tries the needle as an int and handles the TypeError: 5x slower.
    if not all(map(contains, glued, repeat(newline if newline.__class__ is str else 10))):
        return None
    if len(body) != len(last):
        cells[-1] = body
    return Grid(cells, width, rows, first_line, len(last) - len(body) > 1)
