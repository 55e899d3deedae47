"""The confirmation a support engineer must type before the ladder points at TT's LIVE environment.

OK stays disabled until the box holds exactly the word LIVE, and `accept()` checks again, so neither
Enter nor a click can confirm anything else ("live", "LIVE ", "yes"). The word check itself is
`config.live_guard.is_live_confirmation`, shared with the command line.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from zn_ladder.config.live_guard import LIVE, PROMPT, is_live_confirmation


class LiveConfirmDialog(QDialog):
    def __init__(self, old_environment: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Switch to LIVE")
        self.setModal(True)
        layout = QVBoxLayout(self)
        text = QLabel(f"The environment changes from {old_environment} to {LIVE}.\n{PROMPT}:", self)
        text.setWordWrap(True)
        layout.addWidget(text)
        self.word = QLineEdit(self)
        self.word.setObjectName("live_word")
        layout.addWidget(self.word)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(f"Switch to {LIVE}")
        self.ok_button.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.word.textChanged.connect(lambda t: self.ok_button.setEnabled(is_live_confirmation(t)))

    def typed(self) -> str:
        return self.word.text()

    def accept(self) -> None:
        if is_live_confirmation(self.word.text()):
            super().accept()


def ask_live_word(old_environment: str, parent: QWidget | None = None) -> str | None:  # pragma: no cover - modal
    """Show the confirmation; the typed word when confirmed, else None."""
    dialog = LiveConfirmDialog(old_environment, parent)
    return dialog.typed() if dialog.exec() == QDialog.DialogCode.Accepted else None
