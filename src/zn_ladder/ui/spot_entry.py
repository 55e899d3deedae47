"""Manual spot entry: type a price in any desk format; used until a live source updates it.

The parser is the domain's (`parse_price(..., spot=True)`, so a mid between ticks is fine); a bad entry
shows the parser's own message inline, which names the input and the accepted forms.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QSizePolicy, QWidget

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.instruments import Product, get_product
from zn_ladder.domain.prices import Price, format_price, parse_price


class SpotEntry(QWidget):
    spotEntered = Signal(object)  # Price

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.product: Product = get_product("ZN")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(QLabel(" Manual spot "))
        self.edit = QLineEdit()
        self.edit.setObjectName("spotEdit")
        self.edit.setPlaceholderText("110-16.5, 110'165, 110-16+ or 110.515625")
        self.edit.setToolTip("Manual spot in any format; used until a live spot source updates it")
        self.edit.setFixedWidth(190)
        self.edit.returnPressed.connect(self.submit)
        self.button = QPushButton("Set")
        self.button.setObjectName("spotSet")
        self.button.clicked.connect(self.submit)
        self.error = QLabel()
        self.error.setObjectName("spotError")
        self.error.setStyleSheet("color: #ff5a5f;")
        self.error.hide()
        self.button.setFixedWidth(48)
        self.error.setMaximumWidth(520)
        layout.addWidget(self.edit)
        layout.addWidget(self.button)
        layout.addWidget(self.error)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)

    def submit(self) -> Price | None:
        text = self.edit.text()
        try:
            price = parse_price(text, self.product, spot=True)
        except InputError as exc:
            self.error.setText(str(exc))
            self.error.setToolTip(str(exc))
            self.error.show()
            return None
        self.error.clear()
        self.error.hide()
        self.edit.setToolTip(f"Manual spot {format_price(price, self.product, 'pricing_monkey')} "
                             f"({format_price(price, self.product, 'decimal')})")
        self.spotEntered.emit(price)
        return price
