"""The day's P&L curve as a PNG, for the report's web page: pyqtgraph drawn offscreen, never shown.

Why here and with pyqtgraph: it is what draws the window's own intraday chart, so the page's picture
reads like the window (the same clock axis) with no plotting library added for one image. The CLI
reaches this module through importlib (as it reaches the window), so the headless commands keep no
static dependency on Qt; it needs a Qt application, and makes an offscreen one when there is none
and no display (a server, CI).

x is the wall-clock time in the trading day's zone (its seconds counted as if UTC, shown with a zero
UTC offset), so the labels are the zone's clock whatever the computer's own zone is.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime, timezone

from zn_ladder.domain.day_report import DayReport
from zn_ladder.reports.tables import local_time

#: Pixel size of the picture.
SIZE = (1000, 420)


def ensure_app() -> object:
    """The running Qt application, or a new one (offscreen when Linux has no display)."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        if sys.platform.startswith("linux") and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QApplication(sys.argv[:1])
    return app


def wall_seconds(time_ns: int, zone: str) -> float:
    """The zone's wall-clock time of `time_ns`, as seconds since the epoch read as if it were UTC."""
    local = local_time(time_ns, zone).replace(tzinfo=timezone.utc)
    return (local - datetime(1970, 1, 1, tzinfo=timezone.utc)).total_seconds()


def _dollar_axis_class() -> type:
    import pyqtgraph as pg

    class DollarAxis(pg.AxisItem):
        """A y axis labelled as money: $-1,250."""

        def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
            return [("-$" if v < 0 else "$") + f"{abs(v):,.0f}" for v in values]

    return DollarAxis


def pnl_chart_png(report: DayReport, size: tuple[int, int] = SIZE) -> bytes:
    """The PNG bytes of the day's P&L curve (a flat line at $0 on a day without fills)."""
    ensure_app()
    import pyqtgraph as pg
    import pyqtgraph.exporters  # noqa: F401 (registers ImageExporter)
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF

    from zn_ladder.ui.charts import ClockAxis

    DollarAxis = _dollar_axis_class()

    xs = [wall_seconds(p.time_ns, report.zone) for p in report.curve]
    ys = [float(p.pnl) for p in report.curve]
    if len(xs) == 1:  # no fills: the day's start to its end at zero
        xs, ys = [xs[0], wall_seconds(report.end_ns, report.zone)], [0.0, 0.0]
    axis = ClockAxis(orientation="bottom", utcOffset=0)
    plot = pg.PlotWidget(axisItems={"bottom": axis, "left": DollarAxis(orientation="left")}, background="w")
    plot.resize(*size)
    item = plot.getPlotItem()
    item.setTitle(f"Day's P&L, trading day {report.day}, {report.zone}", color="#1b1f24")
    for name in ("left", "bottom"):
        item.getAxis(name).setPen(pg.mkPen("#57606a"))
        item.getAxis(name).setTextPen(pg.mkPen("#1b1f24"))
    item.getAxis("left").setWidth(78)  # room for "-$12,345": a label that does not fit is not drawn
    item.setContentsMargins(6, 10, 18, 6)
    item.showGrid(x=False, y=True, alpha=0.25)
    item.addItem(pg.InfiniteLine(pos=0, angle=0, pen=pg.mkPen("#8c959f", width=1)))
    item.plot(xs, ys, pen=pg.mkPen("#1f6feb", width=2), antialias=True)
    item.setGeometry(QRectF(0, 0, *size))
    item.layout.activate()  # lay the axes and title out now: a widget never shown gets no layout event
    exporter = pg.exporters.ImageExporter(item)
    exporter.parameters()["width"] = size[0]
    image = exporter.export(toBytes=True)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    plot.deleteLater()
    return bytes(data.data())
