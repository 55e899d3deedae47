"""One editor per setting, built from its `Spec`, with the check's message shown right under it.

The editors hold text (or a choice, or a tick box) and run the same `Spec.parse` the settings file
and `zn-ladder config set` use, so the dialog's inline message is word for word the one a support
engineer would get from the command line. Nothing here knows a particular setting.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QColorDialog,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from zn_ladder.config import fields as f

ERROR_STYLE = "color: #d7191c;"


class WheelSafeComboBox(QComboBox):
    """A combo box that takes the mouse wheel only when it has the focus.

    Scrolling a long settings form passes every combo box under the cursor; a plain QComboBox would
    change its value on the way (Product went from ZN to SR3 and Apply saved it). Unfocused, the wheel
    is ignored here so it goes on to the scroll area, and a click (not the wheel) gives the focus.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if not self.hasFocus():
            event.ignore()
            return
        super().wheelEvent(event)


class FieldEditor(QWidget):
    """The editor of one key: `text()`/`set_text()`, `problem()`, and `edited` on every change."""

    edited = Signal(str)  # the key

    def __init__(self, key: str, spec: f.Spec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key, self.spec = key, spec
        self.setObjectName(f"editor:{key}")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(1)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(row)
        self.combo: QComboBox | None = None
        self.check: QCheckBox | None = None
        self.line: QLineEdit | None = None
        self.swatch: QLabel | None = None
        if isinstance(spec, f.Choice):
            self.combo = WheelSafeComboBox(self)
            for choice in spec.choices:  # words shown, the code kept as the item's data
                self.combo.addItem(spec.label_of(choice), choice)
            self.combo.currentTextChanged.connect(self._changed)
            row.addWidget(self.combo, 1)
        elif isinstance(spec, f.Flag):
            self.check = QCheckBox(self)
            self.check.toggled.connect(self._changed)
            row.addWidget(self.check)
            row.addStretch(1)
        else:
            self.line = QLineEdit(self)
            self.line.setPlaceholderText(self._placeholder())
            self.line.textChanged.connect(self._changed)
            row.addWidget(self.line, 1)
            if isinstance(spec, f.Colour):
                self.swatch = QLabel(self)
                self.swatch.setFixedSize(22, 22)
                row.addWidget(self.swatch)
                self._button(row, "…", self._pick_colour).setMaximumWidth(32)
            elif isinstance(spec, (f.PathText, f.Browser)):
                self._button(row, "Browse…", self._browse)
        self.error = QLabel(self)
        self.error.setObjectName(f"error:{key}")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        outer.addWidget(self.error)
        tip = spec.help + ("\nTakes effect after a restart." if spec.restart else "")
        self.setToolTip(tip)

    def _placeholder(self) -> str:
        if isinstance(self.spec, (f.PathText, f.Url)) and getattr(self.spec, "allow_empty", True):
            return "(default)"
        if isinstance(self.spec, f.Colour):
            return "(theme colour)"
        if isinstance(self.spec, f.TextList):
            return "(all)"
        return ""

    def _button(self, row: QHBoxLayout, text: str, slot) -> QPushButton:
        button = QPushButton(text, self)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        row.addWidget(button)
        return button

    # --- value as text ------------------------------------------------------------------------
    def text(self) -> str:
        if self.combo is not None:
            return str(self.combo.currentData())
        if self.check is not None:
            return "true" if self.check.isChecked() else "false"
        assert self.line is not None
        return self.line.text()

    def set_text(self, text: str) -> None:
        if self.combo is not None:
            index = self.combo.findData(text)
            self.combo.setCurrentIndex(index if index >= 0 else 0)
        elif self.check is not None:
            self.check.setChecked(text == "true")
        else:
            assert self.line is not None
            self.line.setText(text)
        self._changed()

    def problem(self) -> str | None:
        """The spec's message for the current text, or None when it is valid."""
        try:
            self.spec.parse(self.text())
        except f.BadValue as exc:
            return str(exc)
        return None

    def show_problem(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setVisible(bool(message))

    def _changed(self, *_: object) -> None:
        problem = self.problem()
        self.show_problem(problem)
        if self.swatch is not None:
            colour = self.text().strip() if problem is None and self.text().strip() else "transparent"
            self.swatch.setStyleSheet(f"background: {colour}; border: 1px solid #888;")
        self.edited.emit(self.key)

    # --- pickers (modal; not used by tests) ---------------------------------------------------
    def _pick_colour(self) -> None:  # pragma: no cover - interactive
        from PySide6.QtGui import QColor

        chosen = QColorDialog.getColor(QColor(self.text() or "#ffffff"), self, self.spec.label)
        if chosen.isValid():
            self.set_text(chosen.name())

    def _browse(self) -> None:  # pragma: no cover - interactive
        if isinstance(self.spec, f.PathText) and self.spec.what == "folder path":
            path = QFileDialog.getExistingDirectory(self, self.spec.label, self.text())
        else:
            path, _ = QFileDialog.getOpenFileName(self, self.spec.label, self.text())
        if path:
            self.set_text(path)
