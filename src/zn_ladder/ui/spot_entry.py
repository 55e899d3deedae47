"""Manual spot entry: type a price in any desk format; it stays in force until cleared.

The parser is the domain's (`parse_price(..., spot=True)`, so a mid between ticks is fine). Before a
typed value is used it passes the Pricing Monkey reader's sanity rule (`spot.manual.check_manual_spot`):
outside the product's range it is refused with the expected form, shown inline; further than the limit
(default 2 points) from the spot the ladder walks from now, a dialog asks for confirmation. A typed
spot is not overwritten by the live source (which stands by, as the status strip says) until the
trader presses Clear.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPushButton, QSizePolicy, QWidget

from zn_ladder.domain.instruments import Product, get_product
from zn_ladder.domain.prices import Price, format_price
from zn_ladder.spot.manual import check_manual_spot
from zn_ladder.spot.sanity import SpotSanity


class SpotEntry(QWidget):
    spotEntered = Signal(object)  # Price
    spotCleared = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.product: Product = get_product("ZN")
        #: The spot the ladder walks from now: a typed value far from it needs confirmation.
        self.last_good: Price | None = None
        self.sanity = SpotSanity()
        #: Asks the trader to confirm a far-away spot (replaced in tests); True: use it.
        self.confirm: Callable[[str], bool] = self._ask
        #: The typed spot in force, or None.
        self.in_force: Price | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(QLabel(" Manual spot "))
        self.edit = QLineEdit()
        self.edit.setObjectName("spotEdit")
        self.edit.setPlaceholderText("110-16.5, 110'165, 110-16+ or 110.515625")
        self.edit.setToolTip("Manual spot in any format; stays in force until cleared")
        self.edit.setFixedWidth(190)
        self.edit.returnPressed.connect(self.submit)
        self.button = QPushButton("Set")
        self.button.setObjectName("spotSet")
        self.button.clicked.connect(self.submit)
        self.clear_button = QPushButton("Clear")
        self.clear_button.setObjectName("spotClear")
        self.clear_button.setToolTip("Stop using the typed spot: back to the live spot source")
        self.clear_button.clicked.connect(self.clear)
        self.clear_button.setEnabled(False)
        self.error = QLabel()
        self.error.setObjectName("spotError")
        self.error.setStyleSheet("color: #ff5a5f;")
        self.error.hide()
        self.button.setFixedWidth(48)
        self.clear_button.setFixedWidth(52)
        self.error.setMaximumWidth(520)
        layout.addWidget(self.edit)
        layout.addWidget(self.button)
        layout.addWidget(self.clear_button)
        layout.addWidget(self.error)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)

    def _ask(self, message: str) -> bool:
        answer = QMessageBox.question(self, "Manual spot far from the last good spot", message,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _say(self, text: str) -> None:
        self.error.setText(text)
        self.error.setToolTip(text)
        self.error.setVisible(bool(text))

    def submit(self) -> Price | None:
        check = check_manual_spot(self.edit.text(), self.product, self.last_good, self.sanity)
        if check.verdict == "refuse":
            self._say(check.message)
            return None
        if check.verdict == "confirm" and not self.confirm(check.message):
            self._say("Not used: the typed spot was not confirmed.")
            return None
        price = check.price
        assert price is not None
        self._say("")
        self.in_force = price
        self.clear_button.setEnabled(True)
        self.edit.setToolTip(f"Manual spot {format_price(price, self.product, 'pricing_monkey')} "
                             f"({format_price(price, self.product, 'decimal')}) in force until cleared")
        self.spotEntered.emit(price)
        return price

    def clear(self) -> None:
        """Stop using the typed spot."""
        self.in_force = None
        self.edit.clear()
        self._say("")
        self.clear_button.setEnabled(False)
        self.edit.setToolTip("Manual spot in any format; stays in force until cleared")
        self.spotCleared.emit()
