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
the CPU cache when its columns are converted make the whole read twice as fast as 1 MB pieces.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import repeat
from operator import contains

#: Characters of text per piece: small enough for the cells to stay in cache, big enough to amortize calls.
PIECE = 1 << 16


class Grid:
    """The cells of consecutive CSV rows of one width; `first_line` is the line number of row 0."""

    __slots__ = ("first_line", "rows", "_cells", "_stride", "_ends")

    def __init__(self, cells: list[str], width: int, rows: int, first_line: int) -> None:
        self.first_line = first_line
        self.rows = rows
        self._cells = cells
        self._stride = width - 1
        self._ends: list[str] | None = None

    def column(self, index: int) -> list[str]:
        """The cells of column `index` (0-based), one per row."""
        stride = self._stride
        if 0 < index < stride:
            return self._cells[index::stride]
        if self._ends is None:  # the first and last cells share a glued cell: split those apart
            self._ends = "\n".join(self._cells[::stride]).split("\n")
        return self._ends[0:2 * self.rows:2] if index == 0 else self._ends[1:2 * self.rows:2]


def grids(text: str, start: int, width: int, first_line: int, piece: int | None = None) -> Iterator[Grid | None]:
    """Grids of `text[start:]`, a piece of whole lines each; a None means the text is not regular there
    (the caller stops and reads the rows one by one)."""
    piece = piece or PIECE
    end = len(text)
    while start < end:
        stop = text.find("\n", min(start + piece, end - 1))
        stop = end if stop < 0 else stop + 1
        chunk = text[start:stop]
        start = stop
        if chunk[0] == "\n" and start == end and chunk.count("\n") == len(chunk):
            break  # blank lines at the end of the file
        grid = split_regular(chunk, width, first_line)
        yield grid
        if grid is None:
            return
        first_line += grid.rows


def split_regular(chunk: str, width: int, first_line: int) -> Grid | None:
    """One piece of rows as a `Grid`, or None unless every line of it has exactly `width` fields."""
    if width < 2 or '"' in chunk or "\r" in chunk or chunk[0] == "\n":
        return None
    cells = chunk.split(",")
    stride = width - 1
    if (len(cells) - 1) % stride:
        return None
    rows = (len(cells) - 1) // stride
    if not rows:  # a line without a comma: a cut-off row or a blank line, for the row reader
        return None
    last = cells[-1]
    body = last.rstrip("\n")
    if "\n" in body:
        return None
    glued = cells[stride:-1:stride]  # rows - 1 cells "last\nfirst"
    if chunk.count("\n") != len(glued) + len(last) - len(body):
        return None
    if not all(map(contains, glued, repeat("\n"))):
        return None
    if len(body) != len(last):
        cells[-1] = body
    return Grid(cells, width, rows, first_line)
