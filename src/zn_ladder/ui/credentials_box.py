"""The TT credentials fields of the Settings dialog: app key (shown), app secret (masked), Store, Clear.

Support staff are told (installer/README.md, `doctor`) that credentials can be entered in the Settings
dialog. They go to the OS keyring only (`config.credentials`): never into the settings file, a log or
this widget once stored (the secret field is emptied). Storing and clearing are audited through the
dialog's `on_audit`, like a settings change; a change that cannot be audited is undone, so the audit log
never misses one. The environment is the one the dialog's Environment field shows.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtWidgets import (QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPushButton,
                               QWidget)

from zn_ladder.config.credentials import (Credentials, clear_credentials, credentials_status, key_hint,
                                          load_credentials, save_credentials)
from zn_ladder.domain.errors import ConfigError

log = logging.getLogger(__name__)

#: The audit event the command line writes for the same change (`zn-ladder credentials set|clear`).
CREDENTIALS_CHANGED = "credentials_changed"


class CredentialsBox(QGroupBox):
    def __init__(self, environment: Callable[[], str], on_audit: Callable[[str, dict], None],
                 parent: QWidget | None = None) -> None:
        super().__init__("TT credentials (stored in the OS keyring, never in the settings file)", parent)
        self.setObjectName("credentialsBox")
        self._environment = environment
        self._on_audit = on_audit
        #: Asks before clearing; replaced in tests (the real one is a modal question).
        self.confirm_clear: Callable[[str], bool] = self._ask_clear
        form = QFormLayout(self)
        self.key = QLineEdit(self)
        self.key.setObjectName("credentialsKey")
        self.key.setPlaceholderText("TT app key")
        self.secret = QLineEdit(self)
        self.secret.setObjectName("credentialsSecret")
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setPlaceholderText("TT app secret (not shown)")
        form.addRow("App key", self.key)
        form.addRow("App secret", self.secret)
        row = QHBoxLayout()
        self.store_button = QPushButton("Store in keyring", self)
        self.clear_button = QPushButton("Clear", self)
        for button in (self.store_button, self.clear_button):
            button.setAutoDefault(False)
            row.addWidget(button)
        row.addStretch(1)
        form.addRow(row)
        self.status = QLabel(self)
        self.status.setObjectName("credentialsStatus")
        self.status.setWordWrap(True)
        form.addRow(self.status)
        self.store_button.clicked.connect(self.store)
        self.clear_button.clicked.connect(self.clear)
        self.key.textChanged.connect(self._enable)
        self.secret.textChanged.connect(self._enable)
        self.refresh()

    def _enable(self, *_: object) -> None:
        self.store_button.setEnabled(bool(self.key.text().strip() and self.secret.text().strip()))

    def refresh(self) -> None:
        """Say where the credentials of the dialog's environment come from (never the secret)."""
        self._enable()
        try:
            status = credentials_status(self._environment())
        except ConfigError as exc:
            self.status.setText(str(exc))
            self.clear_button.setEnabled(False)
            return
        self.status.setText(status.describe())
        self.clear_button.setEnabled(status.source == "keyring")

    def store(self) -> bool:
        env = self._environment()
        key, secret = self.key.text().strip(), self.secret.text().strip()
        try:
            before = _stored(env)
            save_credentials(env, Credentials(key, secret))
        except ConfigError as exc:
            self.status.setText(f"Not stored: {exc}")
            return False
        finally:
            self.secret.clear()  # the secret does not stay in a widget, stored or not
        try:
            self._on_audit(CREDENTIALS_CHANGED, {"env": env, "action": "stored", "key": key_hint(key),
                                                 "via": "settings dialog"})
        except Exception as exc:  # the audit writer is the caller's: any failure undoes the change
            log.exception("credentials change could not be audited")
            self._undo(env, before)
            self.status.setText(f"Not stored: the audit log could not be written ({exc}).")
            return False
        self.key.clear()
        self.refresh()
        self.status.setText(f"Stored for {env} (key {key_hint(key)}); takes effect after a restart of the app. "
                            + self.status.text())
        return True

    def clear(self) -> bool:
        env = self._environment()
        if not self.confirm_clear(env):
            return False
        try:
            before = _stored(env)
            removed = clear_credentials(env)
        except ConfigError as exc:
            self.status.setText(f"Not cleared: {exc}")
            return False
        if not removed:
            self.refresh()
            return False
        try:
            self._on_audit(CREDENTIALS_CHANGED, {"env": env, "action": "cleared", "via": "settings dialog"})
        except Exception as exc:
            log.exception("credentials change could not be audited")
            self._undo(env, before)
            self.status.setText(f"Not cleared: the audit log could not be written ({exc}).")
            return False
        self.refresh()
        self.status.setText(f"Cleared for {env}; takes effect after a restart of the app. " + self.status.text())
        return True

    @staticmethod
    def _undo(env: str, before: Credentials | None) -> None:
        try:
            if before is None:
                clear_credentials(env)
            else:
                save_credentials(env, before)
        except ConfigError:
            log.exception("could not undo the unaudited credentials change for %s", env)

    def _ask_clear(self, env: str) -> bool:  # pragma: no cover - modal
        answer = QMessageBox.question(self, "Clear TT credentials",
                                      f"Remove the TT app key and secret for {env} from this PC's keyring?")
        return answer == QMessageBox.StandardButton.Yes


def _stored(env: str) -> Credentials | None:
    """What the keyring holds for `env` (not the environment variables' override), to undo a change."""
    return load_credentials(env) if credentials_status(env).source == "keyring" else None
