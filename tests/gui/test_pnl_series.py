"""The intraday history's float arrays: the same numbers as a full conversion, whether the history grew,
dropped points from its front, replaced its live point, or was reset."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from fractions import Fraction

import numpy as np

from zn_ladder.ui.pnl_series import PnlSeries, peak_decimate

START = datetime(2026, 11, 26, 14, 0, tzinfo=timezone.utc)


def _point(i: int, value: int | None = None) -> tuple[datetime, Fraction]:
    return START + timedelta(seconds=5 * i), Fraction(value if value is not None else 1000 + 37 * i, 8)


def _full(history):
    return (np.array([t.timestamp() for t, _ in history], float), np.array([float(v) for _, v in history], float))


def _check(series: PnlSeries, history) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = series.arrays(history)
    want_x, want_y = _full(history)
    np.testing.assert_array_equal(xs, want_x)
    np.testing.assert_array_equal(ys, want_y)
    return xs, ys


def test_growing_and_rolling_history_matches_a_full_conversion():
    series = PnlSeries()
    stable = [_point(i) for i in range(50)]
    _check(series, tuple(stable) + (_point(50, 9),))  # stored points + the live point
    for i in range(50, 80):
        stable.append(_point(i))  # the live point became a stored one...
        stable = stable[-60:]  # ...and a full history drops its oldest
        _check(series, tuple(stable) + (_point(i + 1, -i),))  # a new live point with another value


def test_unchanged_history_returns_the_same_arrays():
    series = PnlSeries()
    history = tuple(_point(i) for i in range(10))
    xs, ys = series.arrays(history)
    again = series.arrays(history)
    assert again[0] is xs and again[1] is ys


def test_a_reset_or_rewritten_history_is_converted_in_full():
    series = PnlSeries()
    _check(series, tuple(_point(i) for i in range(20)))
    _check(series, tuple(_point(i, 5) for i in range(20)))  # same times, other values
    _check(series, tuple(_point(i) for i in range(100, 103)))  # a later start (new contract)
    _check(series, ())
    _check(series, (_point(0),))


def test_peak_decimation_keeps_every_bins_extremes_and_the_last_point():
    rng = np.random.default_rng(4)
    xs = np.arange(1001, dtype=float)
    ys = rng.normal(size=1001).cumsum()
    out_x, out_y = peak_decimate(xs, ys, 40)
    assert len(out_x) == len(out_y) <= 81
    assert (out_x[-1], out_y[-1]) == (xs[-1], ys[-1])
    assert out_y.max() == ys.max() and out_y.min() == ys.min()
    step = 25  # ceil(1000 / 40)
    for b in range(40):
        block = ys[b * step:(b + 1) * step]
        assert (out_x[2 * b], out_y[2 * b], out_y[2 * b + 1]) == (xs[b * step], block.min(), block.max())
    short_x, short_y = peak_decimate(xs[:50], ys[:50], 40)
    np.testing.assert_array_equal(short_y, ys[:50])
