"""Paints the ladder: header, cells, spot line, markers. The hot path of the window.

Why custom painting and not a delegate per cell: a Python delegate costs ~15 us per cell, and 200 rows
x 7 columns would blow the 16 ms frame budget. Here one `paintEvent` walks the model's cached cells and
issues a few integer-coordinate fill/text calls per row; colours, brushes and pens are built once per
theme or zoom change, never per cell.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QLineF, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import (QBrush, QColor, QFont, QFontMetrics, QPainter, QPen, QPixmap, QPolygonF, QStaticText,
                           QTransform)

from zn_ladder.ui.ladder.model import NCOLS, SHADES, Col, LadderModel
from zn_ladder.ui.theme import Theme

_CENTER = int(Qt.AlignmentFlag.AlignCenter)
#: Text codes: bit 0 = bold font, bit 1 = right-aligned (else centred).
_C_FONT, _C_BOLD, _R_FONT = 0, 1, 2
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
#: Sample texts that size each column (widest plausible content).
_SAMPLES = ("8888+88", "188'888", "8888+88", "+88888", "-8,888,888", "-888,888", "-8888.8")
#: The dense ladder of the compact layout (a 400 px column): a little less room for rare widths.
_DENSE_SAMPLES = ("888+88", "188'888", "888+88", "+8888", "-8,888,888", "-88,888", "-888.8")


def _total_qty(text: str) -> int:
    """The quantity a buy/sell cell shows ("12", or "10+2" with what-ifs)."""
    try:
        return sum(int(part) for part in text.split("+"))
    except ValueError:
        return 0


@dataclass(frozen=True, slots=True)
class Geometry:
    row_h: int
    header_h: int
    xs: tuple[int, ...]
    widths: tuple[int, ...]

    @property
    def width(self) -> int:
        return sum(self.widths)

    def column_at(self, x: int) -> int | None:
        for col, (left, w) in enumerate(zip(self.xs, self.widths)):
            if left <= x < left + w:
                return col
        return None


ALL_COLUMNS: tuple[int, ...] = tuple(range(NCOLS))


def geometry_for(font: QFont, bold: QFont, shown: tuple[int, ...] = ALL_COLUMNS, dense: bool = False) -> Geometry:
    """Row height and each column's x and width, for the columns `shown` in that order (a hidden
    column has width 0 and is not painted); `dense` trims the padding and the samples."""
    fm = QFontMetrics(bold)
    row_h = fm.height() + 5
    digit = fm.horizontalAdvance("0")
    pad = max(6, digit) if dense else max(10, digit * 2)
    natural = [fm.horizontalAdvance(s) + pad for s in (_DENSE_SAMPLES if dense else _SAMPLES)]
    xs, widths = [0] * NCOLS, [0] * NCOLS
    x = 0
    for col in shown:
        xs[col], widths[col] = x, natural[col]
        x += natural[col]
    return Geometry(row_h, row_h + 6, tuple(xs), tuple(widths))


class LadderPainter:
    """Holds the paint resources of one theme and font size."""

    def __init__(self, theme: Theme, font: QFont, shown: tuple[int, ...] = ALL_COLUMNS) -> None:
        self.shown = shown
        self.dense = False
        self.set_style(theme, font)

    def set_style(self, theme: Theme, font: QFont) -> None:
        self.theme = theme
        self.font = QFont(font)
        self.bold = QFont(font)
        self.bold.setBold(True)
        self.small = QFont(font)
        self.small.setPointSizeF(max(6.0, font.pointSizeF() * 0.75))
        self.small.setBold(True)
        self.geometry = geometry_for(self.font, self.bold, self.shown, self.dense)
        c = QColor
        t = theme
        self.c = {name: c(getattr(t, name)) for name in (
            "window", "grid", "header", "header_text", "price_bg", "price_text", "spot_price_bg", "spot_line",
            "buy_bg", "buy_cell", "buy_text", "sell_bg", "sell_cell", "sell_text", "value_bg", "text", "muted",
            "positive", "negative", "avg_marker", "what_if", "warning", "stale")}
        self.shade_pos = [self._shade(t.pnl_pos_rgb, i) for i in range(SHADES + 1)]
        self.shade_neg = [self._shade(t.pnl_neg_rgb, i) for i in range(SHADES + 1)]
        self.what_if_pen = QPen(self.c["what_if"], 1.5, Qt.PenStyle.DashLine)
        self.warning_pen = QPen(self.c["warning"], 2)
        self.spot_pen = QPen(self.c["spot_line"], 2)
        self.grid_pen = QPen(self.c["window"], 1)
        self._bg: QPixmap | None = None
        self._bg_key: tuple[object, ...] = ()
        self._static: dict[tuple[str, int], tuple[QStaticText, int]] = {}
        h = self.geometry.row_h - 1
        self._text_offsets = tuple((h - QFontMetrics(f).height()) // 2 for f in (self.font, self.bold))
        self.col_bg = [self.c["buy_bg"], self.c["price_bg"], self.c["sell_bg"]] + [self.c["value_bg"]] * 4
        self._stop_tag_w = QFontMetrics(self.small).horizontalAdvance("S") + 4

    def _shade(self, rgb: tuple[int, int, int], level: int) -> QColor:
        base = QColor(self.theme.value_bg)
        a = 0.12 + 0.78 * level / SHADES if level else 0.0
        return QColor(round(base.red() + (rgb[0] - base.red()) * a), round(base.green() + (rgb[1] - base.green()) * a),
                      round(base.blue() + (rgb[2] - base.blue()) * a))

    def paint(self, p: QPainter, model: LadderModel, width: int, height: int, first_row: int = 0,
              stale: str = "") -> None:
        g = self.geometry
        c = self.c
        rh = g.row_h
        xs, ws = g.xs, g.widths
        n = model.rowCount()
        bottom = min(height, g.header_h + (n - first_row) * rh)
        if model.snapshot is None:  # no ladder yet: prices around nothing would only mislead
            p.drawPixmap(0, 0, self._background(model, width, height, g.header_h, stale))
            p.setPen(c["muted"])
            p.setFont(self.font)
            p.drawText(0, g.header_h, g.width, max(0, min(height, 400) - g.header_h), _CENTER,
                       "Waiting for spot and working orders…")
            return
        p.drawPixmap(0, 0, self._background(model, width, height, bottom, stale))
        y = g.header_h
        texts: list[tuple[int, int, str, QColor, int]] = []  # (x, y, text, colour, align/font code)
        h = rh - 1
        for r in range(first_row, n):
            if y >= height:
                break
            cells = model.cells(r)
            row_texts, decor = cells.texts, cells.decor
            # buy / sell working quantity
            for col, cell_color, text_color in ((Col.BUY, c["buy_cell"], c["buy_text"]),
                                               (Col.SELL, c["sell_cell"], c["sell_text"])):
                d = decor[col]
                if d is None or not ws[col]:
                    continue
                what_if, mark, stop = d
                x, w = xs[col], ws[col] - 1
                pure_what_if = what_if and row_texts[col].isdigit()
                # Only stops here: an outlined cell, not a filled one (a stop is not a resting bid/offer).
                stops_only = bool(stop) and not pure_what_if and stop >= _total_qty(row_texts[col])
                if not pure_what_if and not stops_only:
                    p.fillRect(x + 1, y + 1, w - 2, h - 2, cell_color)
                if stop:
                    self._stop_mark(p, x, y, w, h, cell_color)
                if what_if:
                    p.setPen(self.what_if_pen)
                    p.drawRect(x + 2, y + 2, w - 5, h - 5)
                if mark == "through":
                    self._through_flag(p, x, y, w, h)
                elif mark:
                    self._at_spot_mark(p, x, y, w, h, mark)
                color = c["what_if"] if pure_what_if else cell_color if stops_only else text_color
                texts.append((x + w // 2, y, row_texts[col], color, _C_BOLD))
            # price
            is_spot, is_avg = decor[Col.PRICE]
            x, w = xs[Col.PRICE], ws[Col.PRICE] - 1
            if w > 0:
                if is_spot:
                    p.fillRect(x, y, w, h, c["spot_price_bg"])
                if is_avg:
                    p.fillRect(x, y, 4, h, c["avg_marker"])
                    p.fillRect(x + w - 4, y, 4, h, c["avg_marker"])
                texts.append((x + w // 2, y, row_texts[Col.PRICE], c["price_text"], _C_BOLD if is_spot else _C_FONT))
            # values
            shade = decor[Col.PNL]
            if shade and ws[Col.PNL]:
                p.fillRect(xs[Col.PNL], y, ws[Col.PNL] - 1, h,
                           self.shade_pos[shade] if shade > 0 else self.shade_neg[-shade])
            for col in (Col.POSITION, Col.PNL, Col.RISK, Col.BREAKEVEN):
                text = row_texts[col]
                if not text or not ws[col]:
                    continue
                if col == Col.PNL:
                    color = c["text"] if shade else c["muted"]
                else:
                    sign = decor[col]
                    color = c["positive"] if sign and sign > 0 else c["negative"] if sign and sign < 0 else c["muted"]
                texts.append((xs[col] + ws[col] - 7, y, text, color, _R_FONT))
            y += rh
        self._spot_line(p, model, g, first_row, width, height)
        self._texts(p, texts, h)

    def _background(self, model: LadderModel, width: int, height: int, bottom: int, stale: str) -> QPixmap:
        """Header, column backgrounds and row separators, rendered once per size/units/stale state."""
        title = model.headerData(Col.PNL, Qt.Orientation.Horizontal)
        key = (width, height, bottom, title, bool(stale))
        if self._bg_key == key and self._bg is not None:
            return self._bg
        g = self.geometry
        rh = g.row_h
        pixmap = QPixmap(max(1, width), max(1, height))
        pixmap.fill(self.c["window"])
        p = QPainter(pixmap)
        try:
            self._header(p, model, g, width, stale)
            for col in self.shown:
                p.fillRect(g.xs[col], g.header_h, g.widths[col] - 1, bottom - g.header_h, self.col_bg[col])
            p.setPen(self.grid_pen)
            p.drawLines([QLineF(0, y + rh - 0.5, g.width, y + rh - 0.5) for y in range(g.header_h, bottom, rh)])
        finally:
            p.end()
        self._bg, self._bg_key = pixmap, key
        return pixmap

    def _texts(self, p: QPainter, texts: list[tuple[int, int, str, QColor, int]], h: int) -> None:
        """Draw cached static texts: no text layout per cell per frame (the expensive part of drawText)."""
        cache = self._static
        # P&L values churn with spot; keep the cache bounded. A prepared QStaticText costs ~1.6 KB of
        # native memory, so 20,000 entries were ~32 MB: 3,000 is a few screens of cells (~5 MB).
        if len(cache) > 3000:
            cache.clear()
        fonts = (self.font, self.bold)
        offsets = self._text_offsets
        current_font = -1
        current_color = None
        draw = p.drawStaticText
        for x, y, text, color, code in texts:
            bold = code & 1
            key = (text, bold)
            entry = cache.get(key)
            if entry is None:
                st = QStaticText(text)
                st.setTextFormat(Qt.TextFormat.PlainText)
                st.prepare(QTransform(), fonts[bold])
                entry = cache[key] = (st, round(st.size().width()))
            if bold != current_font:
                p.setFont(fonts[bold])
                current_font = bold
            if color is not current_color:
                p.setPen(color)
                current_color = color
            st, w = entry
            left = x - w if code & 2 else x - w // 2
            draw(left, y + offsets[bold], st)

    def _header(self, p: QPainter, model: LadderModel, g: Geometry, width: int, stale: str) -> None:
        c = self.c
        p.fillRect(0, 0, width, g.header_h - 1, c["header"])
        p.setFont(self.small)
        for col in self.shown:
            title = model.headerData(col, Qt.Orientation.Horizontal)
            color = c["buy_cell"] if col == Col.BUY else c["sell_cell"] if col == Col.SELL else c["header_text"]
            p.setPen(c["header_text"])
            p.drawText(g.xs[col], 0, g.widths[col] - (8 if col > Col.SELL else 0), g.header_h - 1,
                       _RIGHT if col > Col.SELL else _CENTER, title)
            if col in (Col.BUY, Col.SELL):
                p.fillRect(g.xs[col] + 3, g.header_h - 4, g.widths[col] - 7, 2, color)
        if stale:
            p.setPen(Qt.PenStyle.NoPen)
            p.fillRect(0, g.header_h - 2, width, 2, c["stale"])

    def _stop_mark(self, p: QPainter, x: int, y: int, w: int, h: int, color: QColor) -> None:
        """A stop order at the level: the cell outlined in its side's colour and a small "S" at its left,
        so a stop never reads as a resting limit."""
        p.setPen(QPen(color, 2))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(x + 2, y + 2, w - 5, h - 5)
        p.setFont(self.small)
        p.setPen(self.c["text"])
        p.fillRect(x + 2, y + 2, self._stop_tag_w, h - 4, color)
        p.drawText(x + 2, y + 2, self._stop_tag_w, h - 4, _CENTER, "S")

    def _through_flag(self, p: QPainter, x: int, y: int, w: int, h: int) -> None:
        """An orange corner triangle plus outline: 'this order cannot fill from here' (tooltip says why)."""
        p.setPen(self.warning_pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(x + 1, y + 1, w - 3, h - 3)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QBrush(self.c["warning"]))
        s = min(9, h - 4)
        p.drawPolygon(QPolygonF([QPointF(x + 1, y + 1), QPointF(x + 1 + s, y + 1), QPointF(x + 1, y + 1 + s)]))
        p.setBrush(Qt.BrushStyle.NoBrush)

    def _at_spot_mark(self, p: QPainter, x: int, y: int, w: int, h: int, mark: str) -> None:
        """An order resting exactly at spot: a spot-coloured outline and a small arrow at the cell's
        edge pointing the way it fills (down: counted on the rows below spot; up: above)."""
        p.setPen(self.spot_pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(x + 1, y + 1, w - 3, h - 3)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QBrush(self.c["spot_line"]))
        s = max(3, min(5, (h - 6) // 2))
        cx = x + w - 4 - s
        mid = y + h / 2
        if mark in ("at_spot_up", "at_spot_both"):
            tip = mid - s - 1 if mark == "at_spot_both" else mid - s
            p.drawPolygon(QPolygonF([QPointF(cx - s, tip + s), QPointF(cx + s, tip + s), QPointF(cx, tip)]))
        if mark in ("at_spot_down", "at_spot_both"):
            tip = mid + s + 1 if mark == "at_spot_both" else mid + s
            p.drawPolygon(QPolygonF([QPointF(cx - s, tip - s), QPointF(cx + s, tip - s), QPointF(cx, tip)]))
        p.setBrush(Qt.BrushStyle.NoBrush)

    def _spot_line(self, p: QPainter, model: LadderModel, g: Geometry, first_row: int, width: int,
                   height: int) -> None:
        """Where spot is. On a tick: the spot row is framed (a line through it would strike out its
        numbers). Between ticks: a line at the exact fraction between the two rows, with arrows in the
        price column, drawn under the texts."""
        mark = self._spot_mark(model, g, first_row, height)
        if mark is None:
            return
        on_tick, y = mark
        if on_tick:
            p.setPen(self.spot_pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(QRectF(1, y, g.width - 3, g.row_h - 1))
            self._arrows(p, g, y + (g.row_h - 1) / 2)
            return
        p.setPen(self.spot_pen)
        p.drawLine(QPointF(0, y), QPointF(g.width - 1, y))
        self._arrows(p, g, y)

    def _spot_mark(self, model: LadderModel, g: Geometry, first_row: int,
                   height: int) -> tuple[bool, float] | None:
        """(on a tick, y): the framed row's top, or the line's y between rows; None when off screen."""
        spot = model.spot_ticks()
        if spot is None:
            return None
        if spot.denominator == 1:
            row_top = g.header_h + (model.top - first_row - math.floor(spot)) * g.row_h
            return (True, float(row_top)) if g.header_h <= row_top < height else None
        y = g.header_h + float(model.top - first_row - spot) * g.row_h + g.row_h / 2 - 0.5
        return None if y < g.header_h or y > height else (False, y)

    def spot_rect(self, model: LadderModel, width: int, height: int, first_row: int = 0) -> QRect | None:
        """The area the spot mark (frame or line, arrows, pen) covers, to repaint when spot moves: the
        rows under the old mark may have no cell that changed, and would keep showing it."""
        mark = self._spot_mark(model, self.geometry, first_row, height)
        if mark is None:
            return None
        on_tick, y = mark
        extent = self.geometry.row_h if on_tick else 0
        pad = 7  # arrows reach 5 px either side of the line; the 2 px pen and rounding the rest
        return QRect(0, math.floor(y) - pad, width, extent + 2 * pad + 1)

    def _arrows(self, p: QPainter, g: Geometry, y: float) -> None:
        if not g.widths[Col.PRICE]:
            return
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QBrush(self.c["spot_line"]))
        x = g.xs[Col.PRICE]
        p.drawPolygon(QPolygonF([QPointF(x, y - 5), QPointF(x + 7, y), QPointF(x, y + 5)]))
        x2 = x + g.widths[Col.PRICE] - 1
        p.drawPolygon(QPolygonF([QPointF(x2, y - 5), QPointF(x2 - 7, y), QPointF(x2, y + 5)]))
        p.setBrush(Qt.BrushStyle.NoBrush)
