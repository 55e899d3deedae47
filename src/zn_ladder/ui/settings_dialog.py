"""The settings dialog support staff use on a trader's PC.

One tab per settings group, an editor per key with its check's message shown inline, Apply/OK/Cancel,
the TT credentials fields (to the OS keyring only, `credentials_box.py`),
Restore defaults, export/import of a desk configuration (no secrets: the model holds none), and "Test
connection", which runs the doctor's checks on a worker thread. Switching to LIVE needs the word LIVE
typed exactly; environment and settings changes go to the audit log through `on_audit` (the main
window wires it to the store; the default only logs), and a change that cannot be audited is undone.
Apply saves the file and emits `settingsApplied(Settings)`; keys marked * need a restart, and the
dialog says which ones changed.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from zn_ladder.config.live_guard import environment_change, is_live_confirmation, needs_live_confirmation
from zn_ladder.config.settings import GROUP_TITLES, GROUPS, Problem, Settings, restart_keys, spec_of
from zn_ladder.config.settings_file import export_settings, import_settings, save_settings, settings_path
from zn_ladder.domain.errors import ZnLadderError
from zn_ladder.store.audit import ENVIRONMENT_CHANGED, SETTINGS_CHANGED
from zn_ladder.ui.credentials_box import CredentialsBox
from zn_ladder.ui.live_confirm import ask_live_word
from zn_ladder.ui.settings_editors import ERROR_STYLE, FieldEditor
from zn_ladder.workers.connection_test import ChecksFn, ConnectionTester

log = logging.getLogger(__name__)

AuditFn = Callable[[str, dict], None]
_OK_STYLE = "color: #1a9641;"
#: Groups shown on another group's tab: the SOD's account map sits beside the SOD file it applies to.
_SHOWN_WITH = {"sod": "storage"}


def _log_audit(event: str, detail: dict) -> None:
    log.info("audit %s %s", event, detail)


class SettingsDialog(QDialog):
    settingsApplied = Signal(object)  # Settings

    def __init__(self, settings: Settings, parent: QWidget | None = None, checks: ChecksFn | None = None,
                 on_audit: AuditFn | None = None, *, path: Path | str | None = None,
                 problems: Sequence[Problem] = ()) -> None:
        super().__init__(parent)
        self.setWindowTitle("zn_ladder settings")
        self._applied = settings
        self._path = Path(path) if path is not None else settings_path()
        self._on_audit = on_audit or _log_audit
        #: Asks for the LIVE word; replaced in tests (the real one is a modal dialog).
        self.ask_live_word: Callable[[str], str | None] = lambda old: ask_live_word(old, self)
        self.editors: dict[str, FieldEditor] = {}
        self._loading = False
        self._restart = set(restart_keys())

        layout = QVBoxLayout(self)
        self.banner = QLabel(self)
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        layout.addWidget(self.banner)
        self.tabs = QTabWidget(self)
        layout.addWidget(self.tabs, 1)
        pages: dict[str, tuple[QWidget, QFormLayout]] = {}  # tab (its first group) -> page, form
        for group, cls in GROUPS.items():
            tab = _SHOWN_WITH.get(group, group)
            if tab not in pages:
                page = QWidget()
                pages[tab] = (page, QFormLayout(page))
            page, form = pages[tab]
            for field in dataclasses.fields(cls):
                key = f"{group}.{field.name}"
                spec = spec_of(key)
                editor = FieldEditor(key, spec, page)
                editor.edited.connect(self._refresh)
                self.editors[key] = editor
                form.addRow(spec.label.replace("&", "&&") + (" *" if spec.restart else ""), editor)
            if group == "tt":
                self.credentials = CredentialsBox(lambda: self.editors["tt.environment"].text(),
                                                  lambda event, detail: self._on_audit(event, detail), page)
                self.editors["tt.environment"].edited.connect(lambda _key: self.credentials.refresh())
                form.addRow(self.credentials)
                self._add_connection_test(form, page, checks)
        #: The group whose title each tab has, in tab order.
        self._tab_groups = list(pages)
        for tab, (page, _) in pages.items():
            scroll = QScrollArea(self.tabs)
            scroll.setWidgetResizable(True)
            scroll.setWidget(page)
            self.tabs.addTab(scroll, GROUP_TITLES[tab])
        note = QLabel("* takes effect after a restart of the app; everything else applies at once.", self)
        layout.addWidget(note)

        box = QDialogButtonBox(self)
        sb = QDialogButtonBox.StandardButton
        box.setStandardButtons(sb.Ok | sb.Apply | sb.Cancel | sb.RestoreDefaults)
        self.ok_button, self.apply_button = box.button(sb.Ok), box.button(sb.Apply)
        self.cancel_button, self.defaults_button = box.button(sb.Cancel), box.button(sb.RestoreDefaults)
        self.export_button = box.addButton("Export…", QDialogButtonBox.ButtonRole.ActionRole)
        self.import_button = box.addButton("Import…", QDialogButtonBox.ButtonRole.ActionRole)
        self.ok_button.clicked.connect(self._ok)
        self.apply_button.clicked.connect(self.apply)
        self.cancel_button.clicked.connect(self.reject)
        self.defaults_button.clicked.connect(self.restore_defaults)
        self.export_button.clicked.connect(self._export_clicked)
        self.import_button.clicked.connect(self._import_clicked)
        layout.addWidget(box)

        self.load(settings)
        if problems:
            self._say("Some saved values could not be used (defaults shown):\n" +
                      "\n".join(str(p) for p in problems), error=True)

    # --- the form ------------------------------------------------------------------------------
    @property
    def applied(self) -> Settings:
        """The settings in effect (the last applied, or those the dialog was opened with)."""
        return self._applied

    def load(self, settings: Settings) -> None:
        """Show `settings` in the editors (nothing is applied until Apply/OK)."""
        self._loading = True  # one refresh at the end, not one per editor
        try:
            for key, editor in self.editors.items():
                editor.set_text(settings.text_value(key))
        finally:
            self._loading = False
        self._refresh()

    def tab_of(self, key: str) -> int:
        """The index of the tab that shows `key`'s editor."""
        group = key.split(".", 1)[0]
        return self._tab_groups.index(_SHOWN_WITH.get(group, group))

    def problems(self) -> dict[str, str]:
        """Key -> message for every value the form cannot use right now."""
        found = {k: p for k, e in self.editors.items() if (p := e.problem()) is not None}
        if not found:  # then only rules between keys remain (from_mapping reports them, then repairs)
            found = {p.key: p.message for p in self._from_editors()[1]}
        return found

    def form_settings(self) -> Settings | None:
        """The settings the form holds, or None while any value is invalid."""
        if self.problems():
            return None
        return self._from_editors()[0]

    def _from_editors(self) -> tuple[Settings, list[Problem]]:
        raw: dict[str, Any] = {}
        for key, editor in self.editors.items():
            group, name = key.split(".", 1)
            raw.setdefault(group, {})[name] = editor.text()
        return Settings.from_mapping(raw)

    def _refresh(self, *_: object) -> None:
        if self._loading:
            return
        problems = self.problems()
        for key, editor in self.editors.items():
            editor.show_problem(problems.get(key))
        valid = not problems
        for button in (self.ok_button, self.apply_button, self.export_button):
            button.setEnabled(valid)
        for index, tab in enumerate(self._tab_groups):
            bad = any(self.tab_of(k) == index for k in problems)
            self.tabs.setTabText(index, GROUP_TITLES[tab] + (" (!)" if bad else ""))

    def _say(self, text: str, error: bool = False) -> None:
        self.banner.setText(text)
        self.banner.setStyleSheet(ERROR_STYLE if error else _OK_STYLE)
        self.banner.setVisible(bool(text))

    # --- apply ---------------------------------------------------------------------------------
    def apply(self) -> bool:
        """Check, confirm LIVE, save, audit, emit. False (and nothing changed) when any step refuses."""
        new = self.form_settings()
        if new is None:
            self._say("Fix the values marked in red first.", error=True)
            return False
        old = self._applied
        changed = old.changed_keys(new)
        if not changed:
            self._say("Nothing to apply.")
            return True
        if needs_live_confirmation(old, new) and not is_live_confirmation(self.ask_live_word(old.tt.environment)):
            self.editors["tt.environment"].set_text(old.tt.environment)
            self._say(f"Not switched to LIVE: the word LIVE was not typed exactly. The environment stays "
                      f"{old.tt.environment}; nothing was applied.", error=True)
            return False
        before = self._path.read_bytes() if self._path.exists() else None
        try:
            save_settings(new, self._path)
        except ZnLadderError as exc:
            self._say(f"Not applied: {exc}", error=True)
            return False
        try:
            env = environment_change(old, new)
            if env is not None:
                self._on_audit(ENVIRONMENT_CHANGED, {**env, "via": "settings dialog"})
            self._on_audit(SETTINGS_CHANGED, {"via": "settings dialog", "changes": {
                k: [old.text_value(k), new.text_value(k)] for k in changed}})
        except Exception as exc:  # the audit writer is the caller's; any failure undoes the change
            log.exception("settings change could not be audited")
            self._restore_file(before)
            self._say(f"Not applied: the audit log could not be written ({exc}).", error=True)
            return False
        self._applied = new
        self.settingsApplied.emit(new)
        restart = [k for k in changed if k in self._restart]
        self._say("Applied." + (f" Takes effect after a restart of the app: {', '.join(restart)}." if restart else ""))
        return True

    def _restore_file(self, before: bytes | None) -> None:
        try:
            if before is None:
                self._path.unlink(missing_ok=True)
            else:
                self._path.write_bytes(before)
        except OSError:
            log.exception("could not restore %s", self._path)

    def _ok(self) -> None:
        if self.apply():
            self.accept()

    def restore_defaults(self) -> None:
        self.load(Settings())
        self._say("Defaults restored in the form: Apply or OK to keep them.")

    # --- export / import -----------------------------------------------------------------------
    def export_to(self, path: Path | str) -> bool:
        settings = self.form_settings()
        if settings is None:
            self._say("Fix the values marked in red before exporting.", error=True)
            return False
        try:
            export_settings(path, settings)
        except ZnLadderError as exc:
            self._say(f"Not exported: {exc}", error=True)
            return False
        self._say(f"Exported to {path} (no credentials: they stay in this PC's keyring).")
        return True

    def import_from(self, path: Path | str) -> bool:
        try:
            loaded = import_settings(path)
        except ZnLadderError as exc:
            self._say(f"Not imported: {exc}", error=True)
            return False
        self.load(loaded.settings)
        text = f"Imported from {path}: Apply or OK to use these settings."
        if loaded.problems:
            text += " Some values could not be used (defaults shown):\n" + "\n".join(map(str, loaded.problems))
        self._say(text, error=bool(loaded.problems))
        return True

    def _export_clicked(self) -> None:  # pragma: no cover - modal file dialog
        path, _ = QFileDialog.getSaveFileName(self, "Export settings", "zn_ladder-settings.toml", "TOML (*.toml)")
        if path:
            self.export_to(path)

    def _import_clicked(self) -> None:  # pragma: no cover - modal file dialog
        path, _ = QFileDialog.getOpenFileName(self, "Import settings", "", "TOML (*.toml);;All files (*)")
        if path:
            self.import_from(path)

    # --- test connection -----------------------------------------------------------------------
    def _add_connection_test(self, form: QFormLayout, page: QWidget, checks: ChecksFn | None) -> None:
        self.tester = ConnectionTester(checks, self)
        self.tester.finished.connect(self._show_checks)
        self.tester.failed.connect(self._test_failed)
        self.test_button = QPushButton("Test connection", page)
        self.test_button.setAutoDefault(False)
        self.test_button.clicked.connect(self.test_connection)
        self.test_status = QLabel("Checks the token, each endpoint, the clock and the request budget.", page)
        self.test_status.setWordWrap(True)
        self.results = QTableWidget(0, 3, page)
        self.results.setHorizontalHeaderLabels(["check", "result", "detail"])
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.verticalHeader().hide()
        self.results.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        form.addRow(self.test_button, self.test_status)
        form.addRow(self.results)

    def test_connection(self) -> bool:
        settings = self.form_settings()
        if settings is None:
            self.test_status.setText("Fix the values marked in red first.")
            return False
        if not self.tester.start(settings):
            return False
        self.test_button.setEnabled(False)
        self.results.setRowCount(0)
        self.test_status.setText(f"Testing {settings.tt.environment}…")
        return True

    def _show_checks(self, checks: tuple) -> None:
        self.test_button.setEnabled(True)
        self.results.setRowCount(len(checks))
        for row, check in enumerate(checks):
            label = getattr(check, "label", "OK" if check.ok else "FAIL")
            for col, text in enumerate((check.name, label, check.detail)):
                self.results.setItem(row, col, QTableWidgetItem(text))
        failed = [c for c in checks if not c.ok and not getattr(c, "skipped", False)]
        self.test_status.setText("All checks passed." if not failed else
                                 f"{len(failed)} check(s) failed: " + ", ".join(c.name for c in failed))

    def _test_failed(self, message: str) -> None:
        self.test_button.setEnabled(True)
        self.test_status.setText(f"The test could not run: {message}")
