"""The settings dialog, offscreen with pytest-qt: every field typed in and applied, inline messages,
the LIVE word, the audit hook, export/import, and "Test connection" on a worker thread."""

from __future__ import annotations

import threading
from pathlib import Path

import keyring
import pytest
from PySide6.QtCore import Qt

from tests.unit.config.examples import OTHER_VALUES, all_changed
from tests.unit.config.keyrings import MemoryKeyring
from zn_ladder.config.settings import Settings
from zn_ladder.config.settings_file import load_settings, save_settings
from zn_ladder.tt.doctor import Check
from zn_ladder.ui.live_confirm import LiveConfirmDialog
from zn_ladder.ui.settings_dialog import SettingsDialog


@pytest.fixture
def path(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("ZN_LADDER_HOME", str(tmp_path / "home"))
    return tmp_path / "home" / "config" / "settings.toml"


@pytest.fixture
def audits() -> list[tuple[str, dict]]:
    return []


@pytest.fixture
def make_dialog(qtbot, path, audits):
    def make(settings: Settings | None = None, **kw) -> SettingsDialog:
        kw.setdefault("on_audit", lambda event, detail: audits.append((event, detail)))
        dialog = SettingsDialog(settings or Settings(), path=path, **kw)
        qtbot.addWidget(dialog)
        dialog.show()
        return dialog
    return make


def type_into(qtbot, dialog: SettingsDialog, key: str, text: str) -> None:
    """Enter a value the way a person would: type it, pick it, or tick it."""
    dialog.tabs.setCurrentIndex(dialog.tab_of(key))  # as a person would: open the tab
    editor = dialog.editors[key]
    if editor.line is not None:
        editor.line.selectAll()
        qtbot.keyClick(editor.line, Qt.Key.Key_Delete)
        qtbot.keyClicks(editor.line, text)
    elif editor.combo is not None:
        editor.combo.setCurrentIndex(editor.combo.findData(editor.spec.parse(text)))
    else:
        assert editor.check is not None
        want = text.lower() in ("true", "yes")
        if editor.check.isChecked() != want:
            qtbot.mouseClick(editor.check, Qt.MouseButton.LeftButton)
    assert editor.text() == text or editor.spec.parse(editor.text()) == editor.spec.parse(text)


def test_every_field_round_trips_through_the_dialog(qtbot, make_dialog, path, audits):
    dialog = make_dialog()
    assert dialog.form_settings() == Settings()
    for key, (text, _) in OTHER_VALUES.items():
        type_into(qtbot, dialog, key, text)
    assert dialog.problems() == {}
    with qtbot.waitSignal(dialog.settingsApplied, timeout=2000) as applied:
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    expected = all_changed()
    assert applied.args[0] == expected and dialog.applied == expected
    assert load_settings(path).settings == expected
    # Shown again in a new dialog, every value reads back to the same settings.
    again = make_dialog(expected)
    for key in OTHER_VALUES:
        assert again.editors[key].text() == expected.text_value(key), key
    assert again.form_settings() == expected
    # One settings_changed entry listing every key, old and new (environment SIM -> UAT as well).
    assert [e for e, _ in audits] == ["environment_changed", "settings_changed"]
    assert audits[0][1] == {"from": "SIM", "to": "UAT", "confirmed_live": False, "via": "settings dialog"}
    assert set(audits[1][1]["changes"]) == set(OTHER_VALUES)
    assert "Takes effect after a restart of the app: tt.environment" in dialog.banner.text()


def test_inline_validation_messages(qtbot, make_dialog, path):
    dialog = make_dialog()
    type_into(qtbot, dialog, "ladder.font_size", "huge")
    error = dialog.editors["ladder.font_size"].error
    assert error.isVisible() and error.text() == "expected a whole number from 6 to 40, got 'huge'"
    assert not dialog.apply_button.isEnabled() and not dialog.ok_button.isEnabled()
    assert dialog.tabs.tabText(4) == "Ladder (!)"
    assert dialog.apply() is False and not path.exists()
    type_into(qtbot, dialog, "ladder.font_size", "12")
    assert not error.isVisible() and dialog.apply_button.isEnabled()
    assert dialog.tabs.tabText(4) == "Ladder"
    # A rule between keys is shown on the key it concerns.
    type_into(qtbot, dialog, "ladder.recenter_band_ticks", "30")
    band = dialog.editors["ladder.recenter_band_ticks"].error
    assert band.isVisible() and "fewer than half of ladder.ticks_shown (60), got 30" in band.text()
    type_into(qtbot, dialog, "ladder.ticks_shown", "100")
    assert not band.isVisible() and dialog.problems() == {}
    type_into(qtbot, dialog, "tt.base_url", "https://me:pw@proxy")
    assert "no user name or password" in dialog.editors["tt.base_url"].error.text()
    assert "pw" not in dialog.editors["tt.base_url"].error.text().split("got")[1]


def test_the_sod_account_map_is_on_the_storage_tab_beside_the_sod_file(qtbot, make_dialog, path):
    dialog = make_dialog()
    titles = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert titles == ["TT connection", "Polling", "Storage", "Spot price", "Ladder", "Notifications",
                      "Alerts", "Survival curve", "Capture", "Trading day"]
    storage = dialog.tabs.widget(2).widget()
    assert dialog.editors["sod.account_map"].parent() is storage is dialog.editors["storage.sod_path"].parent()
    assert dialog.tab_of("sod.account_map") == dialog.tab_of("storage.sod_path") == 2
    assert dialog.tab_of("spot.source") == 3 and dialog.tab_of("notifications.sound") == 5
    type_into(qtbot, dialog, "sod.account_map", "73050502 = 1334000, 73050503")
    error = dialog.editors["sod.account_map"].error
    assert error.isVisible() and "entry '73050503' is not one ACTANT = TT pair" in error.text()
    assert dialog.tabs.tabText(2) == "Storage (!)" and not dialog.apply_button.isEnabled()
    type_into(qtbot, dialog, "sod.account_map", "73050502 = 1334000, 73050503=1334001")
    assert not error.isVisible() and dialog.tabs.tabText(2) == "Storage"
    with qtbot.waitSignal(dialog.settingsApplied, timeout=2000) as applied:
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert applied.args[0].sod.account_map == (("73050502", "1334000"), ("73050503", "1334001"))
    assert load_settings(path).settings.sod.account_map == applied.args[0].sod.account_map
    assert "Takes effect after a restart of the app: sod.account_map" in dialog.banner.text()


@pytest.mark.parametrize("typed", [None, "", "live", "Live", " LIVE", "LIVE ", "yes", "LIVE LIVE"])
def test_live_is_refused_without_the_exact_word(qtbot, make_dialog, path, audits, typed):
    dialog = make_dialog()
    asked = []
    dialog.ask_live_word = lambda old: asked.append(old) or typed
    type_into(qtbot, dialog, "tt.environment", "LIVE")
    with qtbot.assertNotEmitted(dialog.settingsApplied):
        assert dialog.apply() is False
    assert asked == ["SIM"]
    assert dialog.editors["tt.environment"].text() == "SIM"
    assert "Not switched to LIVE" in dialog.banner.text()
    assert dialog.applied.tt.environment == "SIM" and audits == [] and not path.exists()


def test_live_with_the_exact_word_is_applied_and_audited(qtbot, make_dialog, path, audits):
    dialog = make_dialog()
    dialog.ask_live_word = lambda old: "LIVE"
    type_into(qtbot, dialog, "tt.environment", "LIVE")
    with qtbot.waitSignal(dialog.settingsApplied, timeout=2000) as applied:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert applied.args[0].tt.environment == "LIVE"
    assert load_settings(path).settings.tt.environment == "LIVE"
    assert audits[0] == ("environment_changed", {"from": "SIM", "to": "LIVE", "confirmed_live": True,
                                                 "via": "settings dialog"})
    assert not dialog.isVisible()  # OK closes the dialog


def test_live_confirmation_dialog_accepts_only_the_word(qtbot):
    confirm = LiveConfirmDialog("UAT")
    qtbot.addWidget(confirm)
    confirm.show()
    for text in ("live", "LIV", "LIVE!", " LIVE"):
        confirm.word.setText("")
        qtbot.keyClicks(confirm.word, text)
        assert not confirm.ok_button.isEnabled(), text
        qtbot.keyClick(confirm.word, Qt.Key.Key_Return)
        assert confirm.isVisible() and confirm.result() == 0, text
    confirm.word.setText("")
    qtbot.keyClicks(confirm.word, "LIVE")
    assert confirm.ok_button.isEnabled()
    qtbot.mouseClick(confirm.ok_button, Qt.MouseButton.LeftButton)
    assert confirm.result() == LiveConfirmDialog.DialogCode.Accepted and confirm.typed() == "LIVE"


def test_an_unauditable_change_is_undone(qtbot, make_dialog, path):
    save_settings(Settings().replace_value("ladder.font_size", "13"), path)
    before = path.read_bytes()

    def broken(event, detail):
        raise OSError("disk full")

    dialog = make_dialog(load_settings(path).settings, on_audit=broken)
    type_into(qtbot, dialog, "ladder.font_size", "20")
    with qtbot.assertNotEmitted(dialog.settingsApplied):
        assert dialog.apply() is False
    assert path.read_bytes() == before
    assert "audit log could not be written (disk full)" in dialog.banner.text()


def test_cancel_and_restore_defaults(qtbot, make_dialog, path):
    dialog = make_dialog(all_changed())
    qtbot.mouseClick(dialog.defaults_button, Qt.MouseButton.LeftButton)
    assert dialog.form_settings() == Settings() and dialog.applied == all_changed()
    with qtbot.assertNotEmitted(dialog.settingsApplied):
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert not path.exists() and not dialog.isVisible()


def test_export_then_import_on_another_desk(qtbot, make_dialog, tmp_path):
    dialog = make_dialog(all_changed())
    out = tmp_path / "desk.toml"
    assert dialog.export_to(out)
    other = make_dialog()
    assert other.import_from(out)
    assert other.form_settings() == all_changed() and other.applied == Settings()
    assert "Apply or OK to use these settings" in other.banner.text()
    broken = tmp_path / "broken.toml"
    broken.write_text("[tt\n")
    assert not other.import_from(broken)
    assert "Not imported" in other.banner.text() and other.form_settings() == all_changed()


def test_imported_live_file_still_needs_the_word(qtbot, make_dialog, tmp_path, audits):
    live = tmp_path / "live.toml"
    live.write_text('schema_version = 2\n[tt]\nenvironment = "LIVE"\n[ladder]\nfont_size = "big"\n')
    dialog = make_dialog()
    dialog.ask_live_word = lambda old: "no"
    assert dialog.import_from(live)
    assert "ladder.font_size: expected a whole number" in dialog.banner.text()
    assert dialog.apply() is False and audits == []


def test_load_problems_are_shown(make_dialog):
    from zn_ladder.config.settings import Problem

    dialog = make_dialog(problems=[Problem("ladder.font_size", "expected a whole number, got 'x'")])
    assert dialog.banner.isVisible() and "ladder.font_size: expected a whole number" in dialog.banner.text()


def test_connection_test_runs_on_a_worker_thread(qtbot, make_dialog):
    ran_on = []

    def checks(settings):
        ran_on.append((threading.current_thread(), settings.tt.environment))
        return [Check("credentials", True, "app key abcd…"), Check("token", True, "valid for 3600 s"),
                Check("clock skew", False, "this PC's clock is 9.0 s ahead of TT's"),
                Check("budget", False, "skipped", skipped=True)]

    dialog = make_dialog(checks=checks)
    type_into(qtbot, dialog, "tt.environment", "UAT")  # the form's values are tested, not the applied ones
    with qtbot.waitSignal(dialog.tester.finished, timeout=5000):
        assert dialog.test_connection()
    assert ran_on[0][0] is not threading.main_thread() and ran_on[0][1] == "UAT"
    table = [[dialog.results.item(r, c).text() for c in range(3)] for r in range(dialog.results.rowCount())]
    assert table[2] == ["clock skew", "FAIL", "this PC's clock is 9.0 s ahead of TT's"]
    assert table[3][1] == "SKIP"
    assert dialog.test_status.text() == "1 check(s) failed: clock skew"
    assert dialog.test_button.isEnabled()


def test_connection_test_failure_is_reported(qtbot, make_dialog):
    def checks(settings):
        raise RuntimeError("no route to host")

    dialog = make_dialog(checks=checks)
    with qtbot.waitSignal(dialog.tester.failed, timeout=5000):
        dialog.test_connection()
    assert dialog.test_status.text() == "The test could not run: RuntimeError: no route to host"


def test_closing_does_not_wait_for_a_running_test(qtbot, make_dialog):
    release, started = threading.Event(), threading.Event()

    def checks(settings):
        started.set()
        release.wait(5)
        return [Check("credentials", True, "ok")]

    dialog = make_dialog(checks=checks)
    assert dialog.test_connection()
    assert dialog.test_connection() is False  # one at a time
    assert started.wait(5)
    dialog.reject()  # a dead TT must not freeze the window: the dialog closes at once
    assert not dialog.isVisible() and not release.is_set() and dialog.tester.running
    with qtbot.waitSignal(dialog.tester.finished, timeout=5000):
        release.set()
    assert dialog.tester.wait(5000) and not dialog.tester.running


@pytest.fixture
def memory_keyring(monkeypatch):
    monkeypatch.delenv("ZN_LADDER_TT_KEY", raising=False)
    monkeypatch.delenv("ZN_LADDER_TT_SECRET", raising=False)
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def test_default_test_connection_is_the_doctor_against_the_demo_simulator(qtbot, make_dialog, memory_keyring):
    """Defaults and no credentials: the app runs its simulator, so the real doctor tests that, over HTTP."""
    dialog = make_dialog()
    with qtbot.waitSignal(dialog.tester.finished, timeout=30000) as done:
        dialog.test_connection()
    checks = done.args[0]
    assert checks[0].name == "simulator" and "none stored" in checks[0].detail
    names = [c.name for c in checks]
    assert {"credentials", "token", "clock skew", "budget", "endpoint orders", "endpoint fills"} <= set(names)
    assert all(c.ok for c in checks), [(c.name, c.detail) for c in checks if not c.ok]
    assert dialog.test_status.text() == "All checks passed."


def test_no_keyring_on_uat_is_reported_without_the_network(qtbot, make_dialog, memory_keyring):
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())
    dialog = make_dialog()
    type_into(qtbot, dialog, "tt.environment", "UAT")
    with qtbot.waitSignal(dialog.tester.finished, timeout=5000) as done:
        dialog.test_connection()
    (check,) = done.args[0]
    assert check.name == "credentials" and not check.ok and "no OS keyring" in check.detail
    assert dialog.results.item(0, 1).text() == "FAIL"


def test_secret_reaches_no_file_and_no_log_after_a_full_dialog_run(qtbot, make_dialog, memory_keyring, path,
                                                                    tmp_path, caplog, audits):
    """Credentials in the keyring, a TT (the simulator) that only accepts them, Apply, Test connection,
    export: then no file under the config, data and log folders and no log line holds the secret."""
    import logging

    from zn_ladder.config import paths
    from zn_ladder.tt.sim import SimConfig, SimulatorServer

    key, secret = "desk-key-0123456789", "Zx-desk-secret-4242-never-log"
    caplog.set_level(logging.DEBUG)
    with SimulatorServer(SimConfig(api_key=key, api_secret=secret, step_interval=None), port=0) as sim:
        dialog = make_dialog()
        qtbot.keyClicks(dialog.credentials.key, key)  # entered in the dialog, as support staff would
        qtbot.keyClicks(dialog.credentials.secret, secret)
        assert dialog.credentials.store()
        type_into(qtbot, dialog, "tt.simulator", "never")
        type_into(qtbot, dialog, "tt.base_url", sim.url)
        assert dialog.apply()
        with qtbot.waitSignal(dialog.tester.finished, timeout=30000) as done:
            dialog.test_connection()
        checks = done.args[0]
        assert all(c.ok for c in checks), [(c.name, c.detail) for c in checks if not c.ok]
        assert checks[0].name == "credentials" and "desk…" in checks[0].detail
        assert dialog.export_to(paths.data_dir() / "desk.toml")
    files = [p for d in (paths.config_dir(), paths.data_dir(), paths.log_dir()) if d.exists()
             for p in d.rglob("*") if p.is_file()]
    assert path in files and paths.data_dir() / "desk.toml" in files
    for file in files:
        content = file.read_bytes()
        assert secret.encode() not in content and key.encode() not in content, file
    assert secret not in caplog.text and key not in caplog.text
    assert secret not in dialog.results.item(0, 2).text() + dialog.banner.text()
    assert audits and secret not in repr(audits) and dialog.credentials.secret.text() == ""


def test_credentials_fields_store_in_the_keyring_audit_and_clear(qtbot, make_dialog, memory_keyring, audits, path):
    """Issue 14 §5: key shown, secret masked, stored only in the keyring, audited, with Clear."""
    from PySide6.QtWidgets import QLineEdit

    from zn_ladder.config.credentials import load_credentials

    dialog = make_dialog()
    box = dialog.credentials
    assert box.key.echoMode() == QLineEdit.EchoMode.Normal
    assert box.secret.echoMode() == QLineEdit.EchoMode.Password
    assert not box.store_button.isEnabled() and not box.clear_button.isEnabled()
    assert "none stored" in box.status.text()
    type_into(qtbot, dialog, "tt.environment", "UAT")
    box.key.setText("uat-key-12345678")
    box.secret.setText("uat-secret-xyz")
    assert box.store_button.isEnabled()
    qtbot.mouseClick(box.store_button, Qt.MouseButton.LeftButton)
    creds = load_credentials("UAT")
    assert (creds.app_key, creds.app_secret) == ("uat-key-12345678", "uat-secret-xyz")
    assert load_credentials("SIM") is None  # the environment the dialog shows, no other
    assert audits == [("credentials_changed", {"env": "UAT", "action": "stored", "key": "uat-…",
                                               "via": "settings dialog"})]
    assert box.secret.text() == "" and "uat-secret" not in box.status.text() and "keyring" in box.status.text()
    assert not path.exists() or "uat-" not in path.read_text()  # never the settings file
    assert box.clear_button.isEnabled()
    box.confirm_clear = lambda env: False
    assert not box.clear() and load_credentials("UAT") is not None
    box.confirm_clear = lambda env: env == "UAT"
    assert box.clear()
    assert load_credentials("UAT") is None
    assert audits[-1] == ("credentials_changed", {"env": "UAT", "action": "cleared", "via": "settings dialog"})


def test_unauditable_credentials_change_is_undone(qtbot, make_dialog, memory_keyring):
    from zn_ladder.config.credentials import Credentials, load_credentials, save_credentials

    def broken(event, detail):
        raise OSError("disk full")

    save_credentials("SIM", Credentials("old-key-000000", "old-secret"))
    dialog = make_dialog(on_audit=broken)
    dialog.credentials.key.setText("new-key-111111")
    dialog.credentials.secret.setText("new-secret")
    assert not dialog.credentials.store()
    assert load_credentials("SIM").app_key == "old-key-000000"
    assert "audit log could not be written" in dialog.credentials.status.text()
    dialog.credentials.confirm_clear = lambda env: True
    assert not dialog.credentials.clear()
    assert load_credentials("SIM").app_key == "old-key-000000"


def _wheel(widget, steps: int = -1) -> None:
    """One real wheel notch over `widget`, through its window as the desktop would deliver it
    (spontaneous, so an ignored wheel goes on to the parents)."""
    from PySide6.QtCore import QPoint
    from PySide6.QtTest import QTest

    top = widget.window()
    pos = widget.mapTo(top, QPoint(widget.width() // 2, widget.height() // 2))
    QTest.wheelEvent(top.windowHandle(), pos, QPoint(0, 120 * steps))


def test_wheel_over_an_unfocused_combo_box_scrolls_the_form_not_the_value(qtbot, make_dialog):
    from zn_ladder.config.settings import GROUPS

    dialog = make_dialog()
    dialog.resize(500, 260)  # short enough for the TT tab to scroll
    dialog.tabs.setCurrentIndex(list(GROUPS).index("tt"))
    combo = dialog.editors["tt.product"].combo
    scroll = dialog.tabs.currentWidget()
    dialog.ok_button.setFocus()
    bar = scroll.verticalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum() // 2)
    before = bar.value()
    _wheel(combo, -1)
    _wheel(combo, -1)
    assert combo.currentText() == "ZN"
    assert bar.value() != before  # the wheel went on to the form
    assert dialog.editors["tt.environment"].combo.focusPolicy() == Qt.FocusPolicy.StrongFocus

    scroll.ensureWidgetVisible(combo)
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    _wheel(combo, -1)
    _wheel(combo, +1)
    _wheel(combo, +1)
    assert combo.currentText() != "ZN"  # focused: the wheel is the combo's


def test_combo_boxes_show_words_and_keep_the_codes(qtbot, make_dialog, path):
    dialog = make_dialog()
    fmt = dialog.editors["ladder.price_format"].combo
    words = [fmt.itemText(i) for i in range(fmt.count())]
    assert "Pricing Monkey (110-16.5)" in words and "TT (110'165)" in words
    assert "pricing_monkey" not in words
    units = dialog.editors["ladder.pnl_units"].combo
    assert [units.itemText(i) for i in range(units.count())] == ["Dollars", "Ticks"]
    source = dialog.editors["spot.source"].combo
    assert "Pricing Monkey" in [source.itemText(i) for i in range(source.count())]
    fmt.setCurrentIndex(fmt.findText("Pricing Monkey (110-16.5)"))
    units.setCurrentIndex(units.findText("Ticks"))
    assert dialog.apply()
    saved = load_settings(path).settings.ladder
    assert (saved.price_format, saved.pnl_units) == ("pricing_monkey", "ticks")  # the file holds the codes


def test_the_trading_day_close_is_checked_saved_and_audited(qtbot, make_dialog, path, audits):
    dialog = make_dialog()
    tab = dialog.tab_of("trading_day.close")
    assert dialog.tabs.tabText(tab) == "Trading day" and dialog.editors["trading_day.close"].text() == \
        "16:00 America/Chicago"
    type_into(qtbot, dialog, "trading_day.close", "15:00 Europe/Londn")
    error = dialog.editors["trading_day.close"].error
    assert error.isVisible() and "unknown time zone 'Europe/Londn'" in error.text()
    assert not dialog.apply_button.isEnabled()
    type_into(qtbot, dialog, "trading_day.close", "15:00 Europe/London")
    assert not error.isVisible()
    assert dialog.apply() is True
    assert load_settings(path).settings.trading_day.close == "15:00 Europe/London"
    assert audits[-1] == ("settings_changed", {"via": "settings dialog", "changes": {
        "trading_day.close": ["16:00 America/Chicago", "15:00 Europe/London"]}})
    assert "Takes effect after a restart of the app: trading_day.close" in dialog.banner.text()
