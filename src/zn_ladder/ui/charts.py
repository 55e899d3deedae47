"""Two pyqtgraph charts: intraday P&L over time and projected P&L against price (the ladder's curve).

The curves are created once and fed with `setData`, so a new snapshot costs a buffer copy, not a new
plot item, and only when its data changed. The projected curve reads the domain ladder's rows (at most
`MAX_POINTS`, evenly strided) — the chart draws the domain's numbers, it never projects anything itself.

Painting is what stalls the GUI thread: a day of intraday history (thousands of points) drawn with its
filled area cost ~40 ms a redraw. The intraday curve is therefore drawn peak-decimated to `PNL_BINS`
min/max pairs, one per pixel column of its plot area (the same picture, the newest point kept as it
is; a narrower chart draws fewer: painting the antialiased curve and its fill costs in proportion), its
history converted to floats only for the new points (`PnlSeries`), and neither curve re-checks its
data for NaNs (the domain has none).
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pyqtgraph as pg
from pyqtgraph.graphicsItems.DateAxisItem import (HOUR_SPACING, MINUTE_SPACING, SECOND_SPACING, TickSpec, ZoomLevel,
                                                  makeSStepper)
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QWidget

from zn_ladder.domain.instruments import Product
from zn_ladder.ui import price_style
from zn_ladder.ui.pnl_series import PnlSeries, peak_decimate
from zn_ladder.ui.theme import DARK, Theme
from zn_ladder.workers.snapshots import LadderSnapshot, PnlSnapshot

MAX_POINTS = 600
#: The intraday curve draws one min/max pair per pixel column of its plot area, within these bounds.
PNL_BINS = 800
MIN_PNL_BINS = 100
MIN_INTERVAL_S = 0.5
#: The two charts redraw this far apart (ms), each in its own repaint of the window.
STAGGER_MS = 25


class PriceAxis(pg.AxisItem):
    """An x axis in ticks that labels itself in the product's TT price format."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.product: Product | None = None

    def tickSpacing(self, minVal: float, maxVal: float, size: float) -> list[tuple[float, float]]:
        """Ticks on round price steps (1/32, 1/8, 1/4, 1/2, 1 point...), not on round tick counts."""
        if self.product is None or not self.product.is_32nds:
            return super().tickSpacing(minVal, maxVal, size)
        per_point = self.product.ticks_per_point
        span = max(maxVal - minVal, 1.0)
        wanted = max(2.0, size / 90)  # about one label per 90 px
        for points in (1 / 32, 1 / 16, 1 / 8, 1 / 4, 1 / 2, 1, 2, 5, 10, 20):
            step = points * per_point
            if step >= 1 and span / step <= wanted:
                return [(step, 0.0), (max(1.0, step / 4), 0.0)]
        return super().tickSpacing(minVal, maxVal, size)

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        if self.product is None:
            return super().tickStrings(values, scale, spacing)
        return [price_style.ticks(round(v), self.product) for v in values]


class ClockAxis(pg.DateAxisItem):
    """A time axis that reads as a clock: HH:MM, or HH:MM:SS when the span is under two minutes.

    pyqtgraph's own zoom levels print 'SS.mmm' over a few seconds (a fresh session's chart) and
    weekday/day names around midnight; a trader wants the wall clock, in local time like the fills table.
    The level is chosen by span, then the tick step by the room for labels.
    """

    SECONDS_BELOW = 120.0
    _LABEL_PAD = 10  # as pyqtgraph pads its own labels

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        seconds = ZoomLevel([TickSpec(SECOND_SPACING, makeSStepper(SECOND_SPACING), "%H:%M:%S",
                                      autoSkip=[1, 2, 5, 10, 15, 30])], "99:99:99")
        minutes = ZoomLevel([TickSpec(MINUTE_SPACING, makeSStepper(MINUTE_SPACING), "%H:%M",
                                      autoSkip=[1, 2, 5, 10, 15, 30])], "99:99")
        hours = ZoomLevel([TickSpec(HOUR_SPACING, makeSStepper(HOUR_SPACING), "%H:%M",
                                    autoSkip=[1, 2, 3, 6, 12])], "99:99")
        self._levels = (seconds, minutes, hours)

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list[tuple[float, list[float]]]:
        span = maxVal - minVal
        if size <= 0 or span <= 0:
            return []
        seconds, minutes, hours = self._levels
        level = seconds if span < self.SECONDS_BELOW else minutes
        label = self.fontMetrics.boundingRect(level.exampleText).width() + self._LABEL_PAD
        min_spacing = span / size * label
        if level is minutes and min_spacing > 30 * MINUTE_SPACING:
            level = hours  # steps of whole hours, on local hours
        level.utcOffset = self.utcOffset
        self.zoomLevel = level
        self.minSpacing = min_spacing
        return level.tickValues(minVal, maxVal, minSpc=min_spacing)


class Charts(QWidget):
    def __init__(self, theme: Theme = DARK, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        pg.setConfigOptions(antialias=False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.time_axis = ClockAxis(orientation="bottom")
        self.intraday = pg.PlotWidget(axisItems={"bottom": self.time_axis})
        self.intraday.setObjectName("intradayChart")
        self.intraday.setTitle("Intraday P&L ($)")
        self.price_axis = PriceAxis(orientation="bottom")
        self.projected = pg.PlotWidget(axisItems={"bottom": self.price_axis})
        self.projected.setObjectName("projectedChart")
        self.projected.setTitle("Projected P&L vs price ($)")
        for plot in (self.intraday, self.projected):
            plot.setMenuEnabled(False)
            plot.setMinimumHeight(150)
            layout.addWidget(plot, 1)
        # Antialias the curves only: antialiased grid and axes are what makes pyqtgraph slow to paint.
        self.intraday_curve = self.intraday.plot([], [], antialias=True)
        self.projected_curve = self.projected.plot([], [], antialias=True)
        for curve in (self.intraday_curve, self.projected_curve):
            curve.setSkipFiniteCheck(True)
        self._series = PnlSeries()
        self._last_pnl: PnlSnapshot | None = None
        self._bins = 0
        self.intraday.getPlotItem().vb.sigResized.connect(self._plot_resized)
        self._drawn: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        # Zero lines instead of a grid: pyqtgraph's translucent grid more than doubles the paint time.
        self.zero_line = pg.InfiniteLine(pos=0, angle=0, movable=False)
        self.projected.addItem(self.zero_line)
        self.intraday_zero = pg.InfiniteLine(pos=0, angle=0, movable=False)
        self.intraday.addItem(self.intraday_zero)
        self.spot_line = pg.InfiniteLine(angle=90, movable=False)
        self.projected.addItem(self.spot_line)
        self.spot_line.hide()  # until the first ladder says where spot is
        self._pending_pnl: PnlSnapshot | None = None
        self._pending_ladder: LadderSnapshot | None = None
        self._last_render = 0.0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._draw_one)
        self.set_theme(theme)

    def set_theme(self, theme: Theme) -> None:
        for plot in (self.intraday, self.projected):
            plot.setBackground(theme.panel)
            for name in ("left", "bottom"):
                axis = plot.getAxis(name)
                axis.setPen(pg.mkPen(theme.grid))
                axis.setTextPen(pg.mkPen(theme.muted))
            plot.getPlotItem().titleLabel.setAttr("color", theme.header_text)
            plot.setTitle(plot.getPlotItem().titleLabel.text, color=theme.header_text, size="9pt")
        self.intraday_curve.setPen(pg.mkPen(theme.spot_line, width=2))
        self.intraday_curve.setFillLevel(0)
        self.intraday_curve.setBrush(pg.mkBrush(*theme.pnl_pos_rgb, 40))
        self.projected_curve.setPen(pg.mkPen("#4a90e2", width=2))
        for line in (self.zero_line, self.intraday_zero):
            line.setPen(pg.mkPen(theme.muted, width=1, style=pg.QtCore.Qt.PenStyle.DashLine))
        self.spot_line.setPen(pg.mkPen(theme.spot_line, width=1))

    # -- throttled updates ------------------------------------------------------------------------------
    def apply_pnl(self, snap: PnlSnapshot) -> None:
        self._pending_pnl = snap
        self._schedule()

    def apply_ladder(self, snap: LadderSnapshot) -> None:
        self.price_axis.product = snap.product  # at once: what the axis prints, read before any redraw
        self._pending_ladder = snap
        self._schedule()

    def _schedule(self) -> None:
        """At most one redraw per `MIN_INTERVAL_S`: a chart repaint (axes, auto-range) costs tens of ms,
        and spot can tick several times a second; the ladder, not the charts, must keep up with it.

        Never at once, and one chart at a time (`STAGGER_MS` apart): Qt paints every widget made dirty
        before its next repaint in one go, so a chart redrawn with the snapshot that moved the ladder,
        or both charts together, add their paint times into one stall of the event loop."""
        if self._timer.isActive():
            return
        wait = self._last_render + MIN_INTERVAL_S - time.monotonic()
        self._timer.start(max(STAGGER_MS, int(wait * 1000) + 1))

    def _draw_one(self) -> None:
        """The timer's redraw: the intraday chart, then the projected one `STAGGER_MS` later."""
        self._last_render = time.monotonic()
        if self._pending_pnl is not None:
            pnl, self._pending_pnl = self._pending_pnl, None
            self._draw_pnl(pnl)
            if self._pending_ladder is not None:
                self._timer.start(STAGGER_MS)
            return
        if self._pending_ladder is not None:
            ladder, self._pending_ladder = self._pending_ladder, None
            self._draw_ladder(ladder)

    def flush(self) -> None:
        """Draw the latest snapshots now."""
        self._timer.stop()
        self._last_render = time.monotonic()
        pnl, ladder = self._pending_pnl, self._pending_ladder
        self._pending_pnl = self._pending_ladder = None
        if pnl is not None:
            self._draw_pnl(pnl)
        if ladder is not None:
            self._draw_ladder(ladder)

    def stop(self) -> None:
        self._timer.stop()

    def _set_data(self, name: str, curve: pg.PlotDataItem, xs: np.ndarray, ys: np.ndarray) -> None:
        """`setData` only when the points changed: an unchanged curve keeps its path and the axes
        their cached pictures, so nothing is repainted."""
        drawn = self._drawn.get(name)
        if drawn is not None and np.array_equal(drawn[0], xs) and np.array_equal(drawn[1], ys):
            return
        self._drawn[name] = (xs, ys)
        curve.setData(xs, ys)

    def pnl_bins(self) -> int:
        """Min/max pairs to draw: one per pixel column of the intraday plot area, within bounds."""
        width = int(self.intraday.getPlotItem().vb.width())
        return max(MIN_PNL_BINS, min(PNL_BINS, width))

    def _plot_resized(self) -> None:
        """A wider (or narrower) plot area: the last history again, decimated to its new width."""
        if self._last_pnl is not None and self.pnl_bins() != self._bins and self._pending_pnl is None:
            self._pending_pnl = self._last_pnl
            self._schedule()

    def _draw_pnl(self, snap: PnlSnapshot) -> None:
        self._last_pnl, self._bins = snap, self.pnl_bins()
        xs, ys = peak_decimate(*self._series.arrays(snap.history), self._bins)
        self._set_data("intraday", self.intraday_curve, xs, ys)

    def _draw_ladder(self, snap: LadderSnapshot) -> None:
        ladder = snap.ladder
        self.price_axis.product = snap.product
        n = ladder.high - ladder.low + 1
        step = max(1, -(-n // MAX_POINTS))
        prices = range(ladder.low, ladder.high + 1, step)
        rows = [ladder.row_at(p) for p in prices]
        xs = np.fromiter(prices, float, len(rows))
        ys = np.fromiter((float(r.projected_pnl) for r in rows), float, len(rows))
        self._set_data("projected", self.projected_curve, xs, ys)
        spot = float(snap.spot.ticks(snap.product))
        if spot != self.spot_line.value():
            self.spot_line.setValue(spot)
        self.spot_line.show()

    def curve_data(self) -> tuple[np.ndarray, np.ndarray]:
        self.flush()
        return self.projected_curve.getData()
