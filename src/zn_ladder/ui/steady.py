"""Widgets whose size does not follow every text change: the window stays still while numbers tick.

Why: a QLabel whose text gets wider (``$9,990.00`` -> ``$10,010.00``) or a banner that appears asks
its layout again; inside the docks that re-lays out the whole dock area, every pane is resized and
repainted, and the GUI thread stalls for tens of milliseconds (issue 14 §18, measured by
bench/bench_event_loop_stall.py). So:

- `SteadyLabel` reports the widest/tallest size it has needed so far (it grows when a text needs
  more room, never shrinks back), so a card's layout is asked again only when a text is wider than
  any before it;
- `BannerSlot` holds the banners above the docks at a reserved height: a banner shown or hidden
  inside it, or whose text changes, resizes the slot only when it needs more room than reserved.
  Once a banner has been seen, one line stays reserved while all are hidden, so a feed that fails
  and recovers over and over never moves the panes.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget


class SteadyLabel(QLabel):
    """A label whose size hint only grows (the widest text it has shown, the most lines)."""

    def __init__(self, text: str = "", parent: QWidget | None = None, *, reserve: str = "") -> None:
        super().__init__(text, parent)
        self._most = QSize(0, 0)
        #: A text as wide as the usual widest (e.g. "-$88,888.88"): room kept from the first paint.
        self.reserve = reserve

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        hint = super().sizeHint()
        if self.reserve:  # in the font the style sheet gives, known only once polished
            margins = self.contentsMargins()
            hint.setWidth(max(hint.width(), self.fontMetrics().horizontalAdvance(self.reserve)
                              + margins.left() + margins.right() + 2 * self.margin()))
        self._most = self._most.expandedTo(hint)
        return QSize(self._most)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return super().minimumSizeHint().expandedTo(QSize(self.sizeHint().width(), 0))

    def forget_size(self) -> None:
        """Fit the current text again (a font or theme change: the old widths mean nothing)."""
        self._most = QSize(0, 0)
        self.updateGeometry()


class BannerSlot(QWidget):
    """The banners' row above the docks, at a reserved height (see the module docstring)."""

    def __init__(self, banners: list[QWidget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bannerSlot")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        for banner in banners:
            layout.addWidget(banner)
        layout.addStretch(1)  # banners at the top of the reserved room; the rest is empty
        self.banners = banners
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._reserved = 0
        self._line = 0

    def _content_height(self) -> int:
        layout = self.layout()
        shown = [b for b in self.banners if not b.isHidden()]
        if not shown:
            return 0
        width = self.width()
        heights = [b.heightForWidth(width) if b.hasHeightForWidth() and width > 0
                   else max(b.sizeHint().height(), b.minimumSizeHint().height()) for b in shown]
        self._line = max(self._line, min(heights))
        return sum(heights) + layout.spacing() * (len(shown) - 1)

    def reserved_height(self) -> int:
        """The slot's height now: what its banners need, never less than was reserved; with every
        banner hidden, one banner line once one has been seen (0 before)."""
        needed = self._content_height()
        self._reserved = max(needed, self._reserved) if needed else min(self._reserved, self._line)
        return self._reserved

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(super().sizeHint().width(), self.reserved_height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(0, self.reserved_height())

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        return False  # its height is the reserved one (the wrapped banners' own is in `reserved_height`)
