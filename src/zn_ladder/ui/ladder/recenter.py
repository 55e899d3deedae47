"""When the ladder recenters: MD Trader's rule, as pure arithmetic so it can be tested without a window.

The window of prices stays put while spot moves inside a middle band of `band` ticks either side of the
centre row; once spot leaves the band (or the screen), the window is re-anchored so spot sits in the
middle. A band wider than half the window behaves as "recenter only when spot is off screen".
"""

from __future__ import annotations


def centred_top(spot_tick: int, rows: int) -> int:
    """The top price that puts `spot_tick` on the middle row of `rows` rows."""
    return spot_tick + max(rows, 1) // 2


def effective_band(band: int, rows: int) -> int:
    return max(0, min(int(band), max(rows, 1) // 2 - 1))


def outside_band(top: int, rows: int, spot_tick: int, band: int) -> bool:
    """Whether spot has left the middle band of the window `top .. top - rows + 1`."""
    if rows <= 0:
        return False
    centre = top - rows // 2
    return abs(spot_tick - centre) > effective_band(band, rows)
