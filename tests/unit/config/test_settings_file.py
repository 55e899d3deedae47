"""The settings file: defaults, corrupt files kept aside, v1 migration, backups, export/import."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.config.examples import all_changed
from zn_ladder.config.settings import SCHEMA_VERSION, Settings
from zn_ladder.config.settings_file import (
    export_settings,
    import_settings,
    load_settings,
    save_settings,
    settings_path,
)
from zn_ladder.domain.errors import ConfigError

V1 = Path(__file__).parent / "data" / "settings_v1.toml"


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("ZN_LADDER_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def test_no_file_means_defaults_and_nothing_written(home):
    loaded = load_settings()
    assert loaded.settings == Settings()
    assert loaded.problems == () and loaded.file_version is None
    assert loaded.path == home / "config" / "settings.toml" == settings_path()
    assert not home.exists()


def test_save_then_load_round_trips_every_field(home):
    s = all_changed()
    path = save_settings(s)
    assert path == settings_path()
    loaded = load_settings()
    assert loaded.settings == s and loaded.problems == () and loaded.file_version == SCHEMA_VERSION
    assert [p.name for p in path.parent.iterdir()] == ["settings.toml"]  # no temp file left behind
    assert "No secret belongs here" in path.read_text()


@pytest.mark.parametrize("content", [b"[ladder\nfont_size = 12\n", b"\xff\xfe garbage \x00\x01",
                                     b"schema_version = 0\n"])
def test_corrupt_file_is_kept_aside_and_defaults_are_used(home, content):
    path = settings_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    loaded = load_settings()
    assert loaded.settings == Settings()
    assert loaded.kept_aside is not None and loaded.kept_aside.read_bytes() == content
    assert loaded.kept_aside.parent == path.parent and "corrupt" in loaded.kept_aside.name
    assert not path.exists()
    (problem,) = loaded.problems
    assert "the settings file could not be read" in str(problem)
    assert str(loaded.kept_aside) in str(problem) and "defaults are used" in str(problem)
    # The next save writes a fresh file and leaves the kept copy alone.
    save_settings(Settings().replace_value("ladder.font_size", "12"))
    assert load_settings().settings.ladder.font_size == 12
    assert loaded.kept_aside.read_bytes() == content


def test_bad_value_in_the_file_costs_only_its_key(home):
    path = settings_path()
    path.parent.mkdir(parents=True)
    path.write_text('schema_version = 2\n[ladder]\nfont_size = "big"\nticks_shown = 100\n'
                    '[tt]\nenvironment = "UAT"\n', encoding="utf-8")
    loaded = load_settings()
    assert loaded.settings.ladder.ticks_shown == 100 and loaded.settings.tt.environment == "UAT"
    assert loaded.settings.ladder.font_size == 11
    assert [str(p) for p in loaded.problems] == [
        "ladder.font_size: expected a whole number from 6 to 40, got 'big'; using the default '11'"]
    assert path.exists()  # a readable file is never moved


def test_notepad_bom_is_accepted(home):
    path = settings_path()
    path.parent.mkdir(parents=True)
    path.write_bytes("\ufeffschema_version = 2\n[ladder]\nfont_size = 15\n".encode("utf-8"))
    loaded = load_settings()
    assert loaded.problems == () and loaded.settings.ladder.font_size == 15


def test_v1_file_is_migrated(home):
    path = settings_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(V1.read_bytes())
    loaded = load_settings()
    assert loaded.file_version == 1 and loaded.problems == ()
    s = loaded.settings
    assert (s.tt.environment, s.tt.app_name, s.tt.company, s.tt.product) == ("UAT", "ladder", "acme", "ZF")
    assert s.tt.accounts == ("ACC1", "ACC2")
    assert (s.polling.orders_s, s.polling.fills_s, s.polling.spot_s) == (5.0, 5.0, 2.0)
    assert s.polling.positions_s == Settings().polling.positions_s
    assert (s.storage.database_path, s.storage.sod_path) == ("C:/ladder/zn.db", "C:/sod/today.csv")
    assert (s.spot.source, s.spot.pm_url, s.spot.locator, s.spot.browser) == (
        "pricing_monkey", "https://pricingmonkey.com/b/abc", "#cell-1", "msedge")
    assert (s.ladder.ticks_shown, s.ladder.font_size, s.ladder.pnl_units, s.ladder.theme) == (40, 13, "ticks", "light")
    # Saving keeps the v1 file beside the new one, byte for byte.
    save_settings(s)
    backup = path.with_name("settings.v1.bak.toml")
    assert backup.read_bytes() == V1.read_bytes()
    again = load_settings()
    assert again.file_version == SCHEMA_VERSION and again.settings == s


def test_v1_file_without_a_version_and_with_a_bad_value(home):
    path = settings_path()
    path.parent.mkdir(parents=True)
    path.write_text('environment = "moon"\n[ladder]\nrows = 50\n', encoding="utf-8")
    loaded = load_settings()
    assert loaded.file_version == 1
    assert loaded.settings.ladder.ticks_shown == 50 and loaded.settings.tt.environment == "SIM"
    assert [p.key for p in loaded.problems] == ["tt.environment"]


def test_newer_file_is_read_as_far_as_understood_and_kept_before_saving(home):
    path = settings_path()
    path.parent.mkdir(parents=True)
    text = 'schema_version = 9\n[ladder]\nfont_size = 16\nhologram = true\n'
    path.write_text(text, encoding="utf-8")
    loaded = load_settings()
    assert loaded.file_version == 9 and loaded.settings.ladder.font_size == 16
    assert str(loaded.problems[0]).startswith("schema_version: written by a newer zn_ladder (schema 9")
    assert "ladder.hologram: unknown setting, ignored" in [str(p) for p in loaded.problems]
    save_settings(loaded.settings)
    assert path.with_name("settings.v9.bak.toml").read_text(encoding="utf-8") == text


def test_unwritable_location_gives_a_config_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ConfigError, match="cannot write the settings file"):
        save_settings(Settings(), blocker / "settings.toml")


def test_export_and_import_round_trip(tmp_path):
    s = all_changed()
    out = export_settings(tmp_path / "desk.toml", s)
    loaded = import_settings(out)
    assert loaded.settings == s and loaded.problems == ()
    assert not settings_path().exists()  # import does not save: the caller decides (LIVE guard)


def test_export_defaults_to_the_current_settings(tmp_path):
    save_settings(Settings().replace_value("ladder.font_size", "18"))
    out = export_settings(tmp_path / "desk.toml")
    assert import_settings(out).settings.ladder.font_size == 18


def test_import_of_a_broken_file_raises_and_leaves_it_alone(tmp_path):
    bad = tmp_path / "broken.toml"
    bad.write_bytes(b"[tt\n")
    with pytest.raises(ConfigError, match="is not valid TOML"):
        import_settings(bad)
    assert bad.read_bytes() == b"[tt\n"
    with pytest.raises(ConfigError, match="cannot read"):
        import_settings(tmp_path / "missing.toml")


def test_import_accepts_a_v1_file():
    loaded = import_settings(V1)
    assert loaded.file_version == 1 and loaded.settings.tt.environment == "UAT"
