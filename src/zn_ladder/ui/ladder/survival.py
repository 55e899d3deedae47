"""The survival curve drawn on the ladder (issue 15 §5): the risk to hold after each technical level.

A layer the `LadderView` paints over its rows (the ladder's model and painter stay as they are):
each technical level of the curve that is on screen gets an amber band across its row and, in the
rightmost column, a tag with the target risk after that level is crossed ($ per 1/16 of a point, as
the desk's script gave it); the extreme level, the farthest the stop loss allows, is banded red and
tagged "END". The curve is recomputed from every P&L snapshot (the window gets one after every fill
and every spot change): R0 = the position x $ per 1/16 point per lot (`domain.survival.risk_per_lot`),
at the spot, with the day's P&L so far (realized + unrealized, the same under LIFO and FIFO) and the
desk's survival settings. It costs ~0.2 ms, so it runs on the GUI thread from the snapshot it is given.

Why a layer and not a transparent child widget: a child over the whole ladder that asked for a repaint
whenever its marks changed (every P&L snapshot) made Qt paint the ladder under it a second time in the
same frame; painted by the ladder's own paint event, the marks cost one pass (issue 14 §18). It takes
no mouse or key events: the ladder works as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from PySide6.QtCore import QObject, QRect, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen

from zn_ladder.domain.survival import (DEFAULT_NBM_SIXTEENTHS, DEFAULT_STOP_LOSS, SEED_LEVELS, SurvivalCurve,
                                       risk_per_lot, survival_curve)


@dataclass(frozen=True, slots=True)
class SurvivalMark:
    """One level of the curve as the ladder marks it: the row's price (ticks), the risk to hold after
    it, and whether it is the extreme level."""

    price: int
    risk: Fraction
    extreme: bool


def curve_marks(curve: SurvivalCurve | None, ticks_per_point: int) -> tuple[SurvivalMark, ...]:
    """The curve's technical levels (not the starting price) as ladder rows. Levels are on whole
    32nds, so on a tick of every Treasury product; one between ticks would have no row and is left out."""
    if curve is None or len(curve.points) < 2:
        return ()
    marks = []
    for point in curve.points[1:]:
        ticks = point.level * ticks_per_point
        if ticks.denominator == 1:
            marks.append(SurvivalMark(int(ticks), point.risk, point.level == curve.extreme_level))
    return tuple(marks)


def risk_text(risk: Fraction) -> str:
    """A tag's risk: whole dollars per 1/16 with separators (a tag is one narrow column wide)."""
    text = f"{float(risk):,.0f}"
    return "0" if text == "-0" else text


class SurvivalOverlay(QObject):
    """Marks the survival curve on `view` (a `LadderView`, which paints it); `apply_pnl` takes each P&L
    snapshot."""

    def __init__(self, view: Any) -> None:
        super().__init__(view)
        self.setObjectName("survivalOverlay")
        self._view = view
        self.levels: tuple[Fraction, ...] = SEED_LEVELS
        self.stop_loss = DEFAULT_STOP_LOSS
        self.nbm = DEFAULT_NBM_SIXTEENTHS
        self.curve: SurvivalCurve | None = None
        self._marks: tuple[SurvivalMark, ...] = ()
        self._last: Any = None
        self._visible = True
        view.layers.append(self)

    def setVisible(self, visible: bool) -> None:  # noqa: N802 - the toggle action's slot, named as Qt's
        """Shown or hidden by View › Survival curve (the curve keeps being computed)."""
        if visible != self._visible:
            self._visible = visible
            self._view.update()

    def isVisible(self) -> bool:  # noqa: N802 - as Qt's
        return self._visible

    # -- inputs ---------------------------------------------------------------------------------------
    def set_settings(self, survival: Any) -> None:
        """The desk's `SurvivalSettings` (levels, stop loss, NBM); the curve follows at once."""
        self.levels = tuple(survival.levels)
        self.stop_loss = Fraction(survival.stop_loss)
        self.nbm = Fraction(survival.nbm_sixteenths)
        if self._last is not None:
            self.apply_pnl(self._last)

    def apply_pnl(self, snap: Any) -> None:
        """Recompute from a `PnlSnapshot` (position, total P&L, spot, product)."""
        self._last = snap
        product, spot = getattr(snap, "product", None), getattr(snap, "spot", None)
        if product is None or spot is None:
            self.curve, marks = None, ()
        else:
            risk = snap.position * risk_per_lot(product)
            self.curve = survival_curve(spot.value, risk, self.levels, pnl=snap.total, stop_loss=self.stop_loss,
                                        nbm_sixteenths=self.nbm)
            marks = curve_marks(self.curve, product.ticks_per_point)
        if marks != self._marks:
            self._marks = marks
            self._view.update()

    @property
    def marks(self) -> tuple[SurvivalMark, ...]:
        return self._marks

    # -- painting -------------------------------------------------------------------------------------
    def mark_rects(self) -> list[tuple[SurvivalMark, QRect]]:
        """Each mark on screen and its row's rectangle (what `paint` draws; tests read it)."""
        view, model = self._view, self._view.model
        header, row_h = view.header_height, view.row_height
        out = []
        for mark in self._marks:
            row = model.row_of(mark.price)
            if row is not None:
                out.append((mark, QRect(0, header + row * row_h, view.width(), row_h)))
        return out

    def paint(self, p: QPainter) -> None:
        """Draw the marks with the ladder's painter, after its rows (`LadderView.paintEvent`)."""
        shown = self.mark_rects() if self._visible else []
        if not shown:
            return
        theme = self._view.theme  # the ladder's colours: the marks follow the theme
        tag_col = self._view.tag_column_rect()
        font = self._view.ladder_font
        font.setPointSizeF(max(6.0, self._view.font_size * 0.8))
        font.setBold(True)
        fm = QFontMetrics(font)
        p.save()  # the ladder's painter: its pen and font are the ladder's again after the marks
        try:
            p.setFont(font)
            for mark, rect in shown:
                colour = QColor(theme.negative if mark.extreme else theme.warning)
                band = QColor(colour)
                band.setAlpha(70 if mark.extreme else 40)
                p.fillRect(rect, band)
                p.setPen(QPen(colour, 2 if mark.extreme else 1))
                p.drawLine(rect.left(), rect.top(), rect.right(), rect.top())
                p.drawLine(rect.left(), rect.bottom(), rect.right(), rect.bottom())
                text = ("END " if mark.extreme else "R ") + risk_text(mark.risk)
                width = fm.horizontalAdvance(text) + 8
                tag = QRect(tag_col.right() - width, rect.top() + 1, width, rect.height() - 2)
                p.fillRect(tag, colour)
                p.setPen(QColor(theme.window))
                p.drawText(tag, int(Qt.AlignmentFlag.AlignCenter), text)
        finally:
            p.restore()
