"""The intraday P&L history as float arrays for the chart, converted incrementally.

Why: every P&L snapshot carries the whole history (a trading day at one point per 5 s is thousands of
exact (datetime, Fraction) pairs). Converting all of them to floats on each redraw cost ~10 ms of the
GUI thread; the history only grows at its end (plus the live point, replaced each time) and, once
full, drops points from its front, so the points already converted are reused and only the new ones
are converted. Anything else (a reset, a new contract) is simply converted in full.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from datetime import datetime
from fractions import Fraction
from operator import itemgetter

import numpy as np

History = Sequence[tuple[datetime, Fraction]]

_first = itemgetter(0)


class PnlSeries:
    """Caches the arrays of the last history it converted; `arrays` reuses their common run."""

    def __init__(self) -> None:
        self._source: History = ()
        self._xs = np.empty(0)
        self._ys = np.empty(0)

    def arrays(self, history: History) -> tuple[np.ndarray, np.ndarray]:
        """(epoch seconds, dollars) for `history`, oldest first."""
        if history is not self._source:
            start, shared = self._common_run(history)
            new = history[shared:]
            xs = np.fromiter((t.timestamp() for t, _ in new), float, len(new))
            ys = np.fromiter((float(v) for _, v in new), float, len(new))
            if shared:
                xs = np.concatenate((self._xs[start:start + shared], xs))
                ys = np.concatenate((self._ys[start:start + shared], ys))
            self._source, self._xs, self._ys = history, xs, ys
        return self._xs, self._ys

    def _common_run(self, history: History) -> tuple[int, int]:
        """(index in the old history where `history` starts, how many leading points they share).

        The old history's last point may be the live one that the new snapshot replaced, so the run
        is allowed to stop a point or two short of the old end; its two ends are checked for equality.
        """
        old = self._source
        if not old or not history:
            return 0, 0
        start = bisect_left(old, history[0][0], key=_first)
        if start >= len(old) or old[start] != history[0]:
            return 0, 0
        longest = min(len(old) - start, len(history))
        for shared in range(longest, max(0, longest - 3), -1):
            if old[start + shared - 1] == history[shared - 1]:
                return start, shared
        return 0, 0


def peak_decimate(xs: np.ndarray, ys: np.ndarray, bins: int) -> tuple[np.ndarray, np.ndarray]:
    """At most `bins` (start x, min y), (start x, max y) pairs plus the last point, unchanged.

    A chart a few hundred pixels wide cannot show more than a min and a max per column, so this draws
    the same picture as the full series at a bounded cost. Unlike pyqtgraph's own peak downsampling,
    the tail is never dropped: the newest point, the one a trader looks at, is always drawn as it is.
    """
    n = len(xs)
    if n <= 2 * bins + 1:
        return xs, ys
    body = n - 1
    step = -(-body // bins)
    count = -(-body // step)
    padded = np.concatenate((ys[:body], np.full(count * step - body, ys[body - 1])))
    blocks = padded.reshape(count, step)
    out_x = np.append(np.repeat(xs[:body:step], 2), xs[-1])
    out_y = np.append(np.column_stack((blocks.min(axis=1), blocks.max(axis=1))).ravel(), ys[-1])
    return out_x, out_y
