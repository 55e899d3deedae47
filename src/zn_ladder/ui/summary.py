"""The summary strip: position and P&L at the current spot, one glance above the ladder.

Realized P&L is shown by LIFO (the desk's method) and FIFO (the clearing house's) side by side because
they differ intraday and a trader reconciling against a statement needs both; total does not depend on
the method. Dollars print to the cent, exact values from the domain; the average open price prints as a
desk reads it (see `average_price`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from zn_ladder.domain.reconcile import PositionDifference
from zn_ladder.ui.average_price import accounts_differ_in_sign, average_text, average_tooltip, per_account_lines
from zn_ladder.ui.money import dollars
from zn_ladder.ui.position_marks import position_tooltip
from zn_ladder.ui.steady import SteadyLabel, set_tag, stale_tag
from zn_ladder.ui.theme import DARK, Theme
from zn_ladder.workers.snapshots import PnlSnapshot

FIELDS = (
    ("position", "Position"), ("sod", "SOD"), ("realized_lifo", "Realized LIFO"),
    ("unrealized", "Unrealized LIFO"), ("realized_fifo", "Realized FIFO"), ("unrealized_fifo", "Unrealized FIFO"),
    ("total", "Total P&L"), ("average", "Avg open"), ("risk", "Risk / tick"),
)
#: The text each card keeps room for from the start (wider values grow the card once).
RESERVE = {"position": "-888", "sod": "-888", "average": "110'175 (110-17.58)"}
#: AVG OPEN per account shows at most this many lines (the rest in its tooltip and the accounts table).
AVERAGE_LINES = 3
#: Each method's pair of cards adds up to TOTAL, which does not depend on the method (DESIGN §3.4).
_SPLIT_TIP = ("{method}: realized {realized} + unrealized at spot {unrealized} = total {total}.\n"
              "Realized and unrealized depend on how closing fills are matched to open lots (LIFO: newest "
              "first, the desk's method; FIFO: oldest first, the clearing house's); their sum does not.")


class SummaryStrip(QFrame):
    def __init__(self, theme: Theme = DARK, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("summaryStrip")
        self._theme = theme
        self._last: PnlSnapshot | None = None
        self.values: dict[str, QLabel] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(4)
        for key, title in FIELDS:
            box = QFrame()
            box.setObjectName("summaryBox")
            col = QVBoxLayout(box)
            col.setContentsMargins(10, 3, 10, 3)
            col.setSpacing(0)
            caption = QLabel(title.upper())
            caption.setObjectName("summaryCaption")
            # A wider number, or AVG OPEN switching to per-account lines and back, re-lays out the
            # docks once at most (ui/steady.py): the room a card needed is kept.
            value = SteadyLabel("—", reserve=RESERVE.get(key, "-$88,888.88"))
            value.setObjectName(f"summary_{key}")
            # Styled as "no sign, one line" from the start: the first P&L re-polishes only the cards
            # whose sign it sets, not all of them (a polish is ~0.3 ms a label, in the first-data burst).
            value.setProperty("sign", "")
            value.setProperty("small", False)
            if key == "position":  # the caption row also holds the "differs from TT" marker
                row = QHBoxLayout()
                row.setSpacing(6)
                row.addWidget(caption)
                row.addWidget(self._position_marker())
                row.addStretch(1)
                col.addLayout(row)
                self.position_box = box
            else:
                col.addWidget(caption)
            col.addWidget(value)
            layout.addWidget(box, 1)
            self.values[key] = value
        self._contracts_box(layout)
        self.stale_tag = stale_tag()  # drawn or not, its room always kept (ui/steady.py)
        layout.addWidget(self.stale_tag)
        self.set_theme(theme)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)  # a strip, not a pane to fill

    def _contracts_box(self, layout: QHBoxLayout) -> None:
        """Roll week: each contract's position and P&L beside the cards, which show their total."""
        box = QFrame()
        box.setObjectName("summaryBox")
        col = QVBoxLayout(box)
        col.setContentsMargins(10, 3, 10, 3)
        col.setSpacing(0)
        caption = QLabel("BY CONTRACT")
        caption.setObjectName("summaryCaption")
        self.by_contract = QLabel("")
        self.by_contract.setObjectName("summary_by_contract")
        self.by_contract.setProperty("small", True)
        col.addWidget(caption)
        col.addWidget(self.by_contract)
        layout.addWidget(box, 1)
        self.contracts_box = box
        box.hide()

    def _position_marker(self) -> QLabel:
        self.position_marker = QLabel("≠ TT")
        self.position_marker.setObjectName("positionDiffersTag")
        self.position_marker.hide()
        return self.position_marker

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        t = theme
        self.setStyleSheet(
            f"QFrame#summaryBox {{ background: {t.panel}; border: 1px solid {t.grid}; border-radius: 3px; }}"
            f"QFrame#summaryBox[differs='true'] {{ border: 2px solid {t.failing}; }}"
            f"QFrame#summaryBox QLabel#positionDiffersTag {{ color: white; background: {t.failing}; "
            f"font-size: 8pt; font-weight: 700; padding: 0 4px; border-radius: 2px; }}"
            f"QLabel#summaryCaption {{ color: {t.muted}; font-size: 8pt; font-weight: 600; }}"
            f"QLabel[sign='pos'] {{ color: {t.positive}; }} QLabel[sign='neg'] {{ color: {t.negative}; }}"
            f"QFrame#summaryBox QLabel {{ font-size: 12pt; font-weight: 600; }}"
            f"QFrame#summaryBox QLabel#summaryCaption {{ font-size: 8pt; }}"
            f"QFrame#summaryBox QLabel[small='true'] {{ font-size: 9pt; }}")

    def text(self, key: str) -> str:
        return self.values[key].text()

    def _set(self, key: str, text: str, sign: int = 0) -> None:
        label = self.values[key]
        label.setText(text)
        wanted = "pos" if sign > 0 else "neg" if sign < 0 else ""
        if label.property("sign") != wanted:
            label.setProperty("sign", wanted)
            label.style().unpolish(label)
            label.style().polish(label)

    @staticmethod
    def _set_small(label: QLabel, small: bool) -> None:
        """A card of several lines (AVG OPEN per account) in a smaller font, so the strip stays low."""
        if label.property("small") != small:
            label.setProperty("small", small)
            label.style().unpolish(label)
            label.style().polish(label)

    def reprint(self) -> None:
        """Show the last snapshot again (the price format changed)."""
        if self._last is not None:
            self.apply(self._last)

    def apply(self, snap: PnlSnapshot) -> None:
        self._last = snap
        self._set("position", f"{snap.position:+d}" if snap.position else "0", snap.position)
        self._set("sod", f"{snap.sod_position:+d}" if snap.sod_position else "0", snap.sod_position)
        # FIFO's unrealized is the rest of the same total (the snapshot carries it when its producer does).
        fifo_unrealized = getattr(snap, "unrealized_fifo", None)
        if fifo_unrealized is None:
            fifo_unrealized = snap.total - snap.realized_fifo
        values = {"realized_lifo": snap.realized_lifo, "unrealized": snap.unrealized,
                  "realized_fifo": snap.realized_fifo, "unrealized_fifo": fifo_unrealized, "total": snap.total}
        for key, value in values.items():
            self._set(key, dollars(value), (value > 0) - (value < 0))
        lifo = _SPLIT_TIP.format(method="LIFO", realized=dollars(snap.realized_lifo),
                                 unrealized=dollars(snap.unrealized), total=dollars(snap.total))
        fifo = _SPLIT_TIP.format(method="FIFO", realized=dollars(snap.realized_fifo),
                                 unrealized=dollars(fifo_unrealized), total=dollars(snap.total))
        for key in ("realized_lifo", "unrealized"):
            self.values[key].setToolTip(lifo)
        for key in ("realized_fifo", "unrealized_fifo"):
            self.values[key].setToolTip(fifo)
        self.values["total"].setToolTip(lifo.split("\n")[0] + "\n" + fifo.split("\n")[0])
        avg = snap.average_open_price
        # Per account (account, position, average_open_price), when the snapshot's producer gives it.
        by_account = getattr(snap, "by_account", ()) or ()
        # Roll week: one account's books of two months are not one position, nor is any average of them.
        several = (snap.product is not None and accounts_differ_in_sign(by_account)
                   and len({getattr(a, "contract", "") for a in by_account}) == 1)
        self._set_small(self.values["average"], several)
        if several:
            lines = per_account_lines(by_account, snap.product)
            shown = lines if len(lines) <= AVERAGE_LINES else [
                *lines[:AVERAGE_LINES - 1], f"+{len(lines) - AVERAGE_LINES + 1} more: see the tooltip"]
            self._set("average", "\n".join(shown))
            self.values["average"].setToolTip(
                "Accounts are long and short at once: netting them would give an average that never traded, "
                "so each account's own average open price is shown (also in Position & P&L by account).\n"
                + "\n".join(lines))
        elif avg is None or snap.product is None:
            self._set("average", "—")
            self.values["average"].setToolTip("")
        else:
            self._set("average", average_text(avg, snap.product))
            self.values["average"].setToolTip(average_tooltip(avg, snap.product))
        self._set("risk", dollars(snap.risk), (snap.risk > 0) - (snap.risk < 0))
        parts = getattr(snap, "by_contract", ()) or ()
        several = len(parts) > 1
        self.contracts_box.setVisible(several)
        if several:
            self.by_contract.setText("\n".join(
                f"{p.contract}  {p.position:+d}  {dollars(p.total)}" if p.position
                else f"{p.contract}  0  {dollars(p.total)}" for p in parts))
            self.by_contract.setToolTip("The cards are the total across these contracts; each has its own "
                                        "ladder tab (a calendar spread shows as its two legs here).")
            self.values["average"].setToolTip("Several contracts: each trades at its own price, so there is no "
                                              "average across them (see each contract's row in the accounts "
                                              "table).")

    def set_position_differences(self, diffs: Sequence[PositionDifference], checked_at: datetime | None) -> None:
        """Mark the POSITION card while the app's position differs from TT's (tooltip: which, by how
        much, and why a difference shows only after two polls); unmarked when they agree."""
        differs = bool(diffs)
        self.position_marker.setVisible(differs)
        tip = position_tooltip(diffs, checked_at)
        self.position_marker.setToolTip(tip)
        self.values["position"].setToolTip(tip)
        if self.position_box.property("differs") != differs:
            self.position_box.setProperty("differs", differs)
            self.position_box.style().unpolish(self.position_box)
            self.position_box.style().polish(self.position_box)

    def set_stale(self, text: str) -> None:
        set_tag(self.stale_tag, text)
