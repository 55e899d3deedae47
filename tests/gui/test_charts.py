"""The intraday P&L chart's time axis reads as a clock: HH:MM, or HH:MM:SS over spans under two minutes
(never pyqtgraph's 'SS.mmm' of a short span)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from fractions import Fraction

import pytest
from PySide6.QtGui import QImage, QPainter

from tests.gui.conftest import ZN
from zn_ladder.ui.charts import PNL_BINS, Charts
from zn_ladder.workers.snapshots import PnlSnapshot

START = datetime(2026, 11, 26, 14, 41, 30, tzinfo=timezone.utc)


def _pnl(span: timedelta, points: int = 12) -> PnlSnapshot:
    history = tuple((START + span * i / (points - 1), Fraction(27_000 + 150 * i)) for i in range(points))
    return PnlSnapshot(position=70, sod_position=-20, realized_lifo=Fraction(0), realized_fifo=Fraction(0),
                       unrealized=Fraction(0), total=history[-1][1], average_open_price=None, risk=Fraction(0),
                       product=ZN, history=history)


def _labels(charts: Charts) -> list[str]:
    """The labels the axis draws, from its own draw specs (what paint() renders)."""
    axis = charts.intraday.getAxis("bottom")
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        _, _, texts = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return [text for _, _, text in texts]


@pytest.mark.parametrize(("span", "pattern"), [
    (timedelta(seconds=6), r"\d\d:\d\d:\d\d"),
    (timedelta(seconds=100), r"\d\d:\d\d:\d\d"),
    (timedelta(minutes=5), r"\d\d:\d\d"),
    (timedelta(minutes=40), r"\d\d:\d\d"),
    (timedelta(hours=7), r"\d\d:\d\d"),
])
def test_intraday_axis_labels_are_clock_times(qtbot, span, pattern):
    charts = Charts()
    qtbot.addWidget(charts)
    charts.resize(900, 260)
    charts.show()
    qtbot.waitExposed(charts)
    charts.apply_pnl(_pnl(span))
    charts.flush()
    charts.intraday.getPlotItem().vb.autoRange(padding=0)
    labels = _labels(charts)
    assert len(labels) >= 2, labels
    assert all(re.fullmatch(pattern, text) for text in labels), labels
    # the local clock times of the data's span (the fills table shows local times too)
    first, last = START.astimezone(), (START + span).astimezone()
    if first.date() == last.date():
        width = len(labels[0])
        low, high = first.strftime("%H:%M:%S")[:width], last.strftime("%H:%M:%S")[:width]
        assert all(low <= text <= high for text in labels), (labels, low, high)


def test_a_day_of_history_is_drawn_decimated_with_its_extremes_and_newest_point(qtbot):
    """Thousands of points are drawn as min/max pairs: fewer points, same peaks, same ends."""
    charts = Charts()
    qtbot.addWidget(charts)
    snap = _pnl(timedelta(hours=8), points=6000)
    charts.apply_pnl(snap)
    charts.flush()
    xs, ys = charts.intraday_curve.getData()
    full = [float(v) for _, v in snap.history]
    assert len(xs) <= 2 * PNL_BINS + 1 < len(full)
    assert max(ys) == max(full) and min(ys) == min(full)
    assert (xs[0], xs[-1]) == (snap.history[0][0].timestamp(), snap.history[-1][0].timestamp())
    assert ys[-1] == full[-1]


def test_an_unchanged_snapshot_does_not_touch_the_curve(qtbot):
    charts = Charts()
    qtbot.addWidget(charts)
    snap = _pnl(timedelta(minutes=5))
    charts.apply_pnl(snap)
    charts.flush()
    changes = []
    charts.intraday_curve.sigPlotChanged.connect(lambda *_: changes.append(1))
    charts.apply_pnl(snap)
    charts.flush()
    assert changes == []
    charts.apply_pnl(_pnl(timedelta(minutes=6)))
    charts.flush()
    assert changes


def test_the_day_is_decimated_to_the_plot_width_and_drawn_again_when_it_widens(qtbot):
    """One min/max pair per pixel column of the plot area: a narrow chart paints fewer points (what its
    antialiased curve and fill cost), and a chart made wider is drawn again at its new width."""
    charts = Charts()
    qtbot.addWidget(charts)
    charts.resize(700, 200)
    charts.show()
    qtbot.waitExposed(charts)
    snap = _pnl(timedelta(hours=8), points=6000)
    full = [float(v) for _, v in snap.history]
    charts.apply_pnl(snap)
    charts.flush()
    narrow_px = charts.intraday.getPlotItem().vb.width()  # the plot area, after axes and margins
    xs, ys = charts.intraday_curve.getData()
    assert 100 < narrow_px < PNL_BINS
    # at most a min and a max per column, plus the newest point; whole steps of the history per pair
    # (e.g. 6000 points over 311 columns: 20 a pair, 300 pairs), so never fewer than one pair per 2 columns
    assert narrow_px <= len(xs) - 1 <= 2 * narrow_px
    assert max(ys) == max(full) and min(ys) == min(full) and ys[-1] == full[-1]

    charts.resize(1800, 200)  # no new snapshot: the resize alone redraws the last one, wider
    qtbot.waitUntil(lambda: len(charts.intraday_curve.getData()[0]) > len(xs), timeout=5000)
    wide_px = charts.intraday.getPlotItem().vb.width()
    wide_xs, wide_ys = charts.intraday_curve.getData()
    assert min(wide_px, PNL_BINS) <= len(wide_xs) - 1 <= 2 * min(wide_px, PNL_BINS)
    assert max(wide_ys) == max(full) and min(wide_ys) == min(full) and wide_ys[-1] == full[-1]
