"""Widgets whose size does not follow every text change: the window stays still while numbers tick.

Why: a QLabel whose text gets wider (``$9,990.00`` -> ``$10,010.00``) or a banner that appears asks
its layout again; inside the docks that re-lays out the whole dock area, every pane is resized and
repainted, and the GUI thread stalls for tens of milliseconds (issue 14 §18, measured by
bench/bench_event_loop_stall.py). So:

- `SteadyLabel` reports the widest/tallest size it has needed so far (it grows when a text needs
  more room, never shrinks back), so a card's layout is asked again only when a text is wider than
  any before it;
- `OneLineLabel` shows its text on one line, cut with "…" to the width it is given (the whole text
  in its tooltip), so a banner's height never follows its wording;
- `BannerSlot` holds the banners above the docks at a reserved height: one banner line from the
  start, so the first feed to go stale at the open (the usual first banner) only paints its line.
  Several banners at once grow the slot; it then keeps that room while any banner shows, and one
  line while none does, so a feed that fails and recovers over and over never moves the panes;
- `Tag` (the panes' STALE tags) is turned on and off without being shown or hidden, so marking a
  pane stale repaints the tag, not the pane's title row; `set_style` re-polishes only on a real change.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QPaintEvent, QResizeEvent
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


class OneLineLabel(QLabel):
    """A label of one line whatever its text: cut with "…" to its width, the whole text in its tooltip.

    Its size hint is one line high and asks no width, so a longer message neither grows the banner
    nor widens the window; `full_text` keeps the message (what `text()` would be on an uncut label)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.full_text = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def set_full_text(self, text: str) -> None:
        """Show `text` (its lines joined by " · ") cut to the width, all of it in the tooltip."""
        self.full_text = text
        self.setToolTip(text)
        self._fit()

    def _fit(self) -> None:
        line = " · ".join(part for part in self.full_text.splitlines() if part.strip())
        margins = self.contentsMargins()
        width = max(0, self.width() - margins.left() - margins.right() - 2 * self.margin())
        shown = self.fontMetrics().elidedText(line, Qt.TextElideMode.ElideRight, width) if width else line
        if shown != self.text():
            self.setText(shown)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        margins = self.contentsMargins()
        return QSize(0, self.fontMetrics().height() + margins.top() + margins.bottom() + 2 * self.margin())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return self.sizeHint()


class Tag(QLabel):
    """A small tag beside a title (STALE) that is on or off without being shown or hidden.

    Why: showing or hiding a widget inside a visible window costs ~1 ms each (show events, the
    parent's layout asked again) and a feed going stale marks six panes at once. The tag is always
    there and keeps its room; off, it paints neither its text nor its style sheet's background (Qt
    paints that for widgets marked WA_StyledBackground, which the style sheet sets on every polish),
    so turning it on or off repaints its own rect and nothing else."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self._on = False

    @property
    def on(self) -> bool:
        """Whether the tag is drawn (what the trader sees)."""
        return self._on

    def set_on(self, on: bool, tooltip: str = "") -> None:
        if on != self._on:
            self._on = on
            self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, on)
            self.update()
        tooltip = tooltip if on else ""
        if self.toolTip() != tooltip:
            self.setToolTip(tooltip)

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() in (QEvent.Type.Polish, QEvent.Type.StyleChange):  # the style sheet marked it again
            self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, self._on)
        return handled

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        if self._on:
            super().paintEvent(event)


def stale_tag() -> Tag:
    """A pane's STALE tag: drawn while a feed behind the pane is stale (see `Tag`)."""
    tag = Tag("STALE")
    tag.setObjectName("staleTag")
    return tag


def set_tag(tag: Tag, text: str) -> None:
    """Draw `tag` with `text` as its tooltip; '' turns it off."""
    tag.set_on(bool(text), text)


def set_style(widget: QWidget, css: str) -> None:
    """Set a style sheet only when it differs: each `setStyleSheet` re-polishes the widget and asks
    its layout again, even with the same text (the status strip re-states its colours every second)."""
    if widget.styleSheet() != css:
        widget.setStyleSheet(css)


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
        self._line = self.line_height()
        self._reserved = self._line

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

    def line_height(self) -> int:
        """One banner line: the tallest line any of the banners can show (a banner may say its own,
        `line_height()`; otherwise its size as built, hidden and empty)."""
        return max((b.line_height() if hasattr(b, "line_height")
                    else max(b.sizeHint().height(), b.minimumSizeHint().height()) for b in self.banners), default=0)

    def event(self, event: QEvent) -> bool:
        """Measure a line again once the window's style sheet reaches the slot (first shown) or changes
        (theme, font): it decides the banners' fonts and padding."""
        if event.type() in (QEvent.Type.Polish, QEvent.Type.StyleChange, QEvent.Type.FontChange):
            line = self.line_height()
            if line != self._line:
                self._reserved = max(self._reserved, line) if self._reserved > self._line else line
                self._line = line
                self.updateGeometry()
        return super().event(event)

    def reserved_height(self) -> int:
        """The slot's height now: what its banners need, never less than was reserved; with every
        banner hidden, one banner line."""
        needed = self._content_height()
        self._reserved = max(needed, self._reserved) if needed else min(self._reserved, self._line)
        return self._reserved

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(super().sizeHint().width(), self.reserved_height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(0, self.reserved_height())

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        return False  # its height is the reserved one (the wrapped banners' own is in `reserved_height`)
