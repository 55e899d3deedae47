"""Where the app's folders are, and the move of a Windows user's files out of the doubled folder.

The Windows layout is checked on any OS with platformdirs' own Windows rules (its `Windows` class),
%LOCALAPPDATA% being a temporary folder.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import platformdirs.windows
import pytest

from zn_ladder.config import paths


@pytest.fixture
def windows(monkeypatch, tmp_path):
    """platformdirs' Windows rules with %LOCALAPPDATA% (and %APPDATA%) under tmp_path; ZN_LADDER_HOME
    unset so that the app's path functions use them. Returns the LOCALAPPDATA folder."""
    local = tmp_path / "AppData" / "Local"
    folders = {"CSIDL_LOCAL_APPDATA": local, "CSIDL_APPDATA": tmp_path / "AppData" / "Roaming"}
    monkeypatch.setattr(platformdirs.windows, "get_win_folder", lambda csidl: str(folders[csidl]))
    monkeypatch.setattr(paths, "_dirs_class", lambda: platformdirs.windows.Windows)
    monkeypatch.setattr(paths, "_migration_done", False)
    monkeypatch.delenv("ZN_LADDER_HOME", raising=False)
    return local


def test_windows_folders_name_the_app_once(windows):
    assert paths.config_dir() == windows / "zn_ladder"
    assert paths.data_dir() == windows / "zn_ladder"
    assert paths.log_dir() == windows / "zn_ladder" / "Logs"
    assert paths.default_db_path() == windows / "zn_ladder" / "zn_ladder.sqlite3"
    assert paths.browser_profile_dir() == windows / "zn_ladder" / "browser-profile"


def test_windows_user_of_an_older_build_finds_everything_in_the_new_folder(windows):
    old = windows / "zn_ladder" / "zn_ladder"  # what platformdirs gave with appauthor="zn_ladder"
    assert Path(platformdirs.windows.Windows("zn_ladder", "zn_ladder").user_data_dir) == old
    (old / "Logs").mkdir(parents=True)
    (old / "settings.toml").write_text("[ladder]\nfont_size = 17\n")
    (old / "zn_ladder.sqlite3").write_bytes(b"SQLite format 3\x00")
    (old / "Logs" / "zn_ladder.log").write_text("old log\n")
    (old / "browser-profile" / "Default").mkdir(parents=True)
    (old / "browser-profile" / "Default" / "Cookies").write_bytes(b"pm login")

    assert paths.config_dir() == windows / "zn_ladder"

    new = windows / "zn_ladder"
    assert (new / "settings.toml").read_text() == "[ladder]\nfont_size = 17\n"
    assert (new / "zn_ladder.sqlite3").read_bytes() == b"SQLite format 3\x00"
    assert (new / "Logs" / "zn_ladder.log").read_text() == "old log\n"
    assert (new / "browser-profile" / "Default" / "Cookies").read_bytes() == b"pm login"
    assert not old.exists()
    assert paths.log_dir() == new / "Logs"


def test_migration_runs_once_per_process(windows):
    paths.data_dir()
    old = windows / "zn_ladder" / "zn_ladder"
    old.mkdir(parents=True)
    (old / "settings.toml").write_text("late\n")
    paths.data_dir()
    assert (old / "settings.toml").exists()  # moved at the next start, not on every path lookup


def _dirs(root: Path, name: str) -> SimpleNamespace:
    """A platformdirs-like object with Windows' shape: config = data, log = data/Logs."""
    return SimpleNamespace(user_data_dir=str(root / name), user_config_dir=str(root / name),
                           user_log_dir=str(root / name / "Logs"))


def test_nothing_is_overwritten_and_what_stays_is_reported(tmp_path):
    local = tmp_path / "Local"
    old, new = _dirs(local / "zn_ladder", "zn_ladder"), _dirs(local, "zn_ladder")
    legacy = local / "zn_ladder" / "zn_ladder"
    (legacy / "Logs").mkdir(parents=True)
    (legacy / "settings.toml").write_text("old settings\n")
    (legacy / "Logs" / "zn_ladder.log.1").write_text("old rotated log\n")
    (legacy / "Logs" / "zn_ladder.log").write_text("old log\n")
    (local / "zn_ladder" / "Logs").mkdir(parents=True)
    (local / "zn_ladder" / "settings.toml").write_text("new settings\n")  # written by a newer build
    (local / "zn_ladder" / "Logs" / "zn_ladder.log").write_text("new log\n")

    result = paths.migrate_legacy_dirs(old, new)

    assert (local / "zn_ladder" / "settings.toml").read_text() == "new settings\n"
    assert (local / "zn_ladder" / "Logs" / "zn_ladder.log").read_text() == "new log\n"
    assert (local / "zn_ladder" / "Logs" / "zn_ladder.log.1").read_text() == "old rotated log\n"
    assert result.moved == [local / "zn_ladder" / "Logs" / "zn_ladder.log.1"]
    assert len(result.left) == 2 and all("exists" in reason for reason in result.left)
    assert (legacy / "settings.toml").read_text() == "old settings\n"  # kept where it was, not lost


def test_a_folder_named_like_the_app_inside_the_old_one_is_left_alone(tmp_path):
    local = tmp_path / "Local"
    legacy = local / "zn_ladder" / "zn_ladder"
    (legacy / "zn_ladder").mkdir(parents=True)
    (legacy / "settings.toml").write_text("s\n")

    result = paths.migrate_legacy_dirs(_dirs(local / "zn_ladder", "zn_ladder"), _dirs(local, "zn_ladder"))

    assert (local / "zn_ladder" / "settings.toml").read_text() == "s\n"
    assert (legacy / "zn_ladder").is_dir()
    assert result.left and "own parent" in result.left[0]


def test_same_folders_or_no_old_folder_moves_nothing(tmp_path):
    same = _dirs(tmp_path, "zn_ladder")  # Linux and macOS: the author is ignored
    (tmp_path / "zn_ladder").mkdir()
    (tmp_path / "zn_ladder" / "settings.toml").write_text("s\n")
    assert paths.migrate_legacy_dirs(same, same) == paths.Migration()
    assert paths.migrate_legacy_dirs(_dirs(tmp_path / "none", "zn_ladder"), same) == paths.Migration()
    assert (tmp_path / "zn_ladder" / "settings.toml").read_text() == "s\n"


def test_zn_ladder_home_wins_and_moves_nothing(monkeypatch, tmp_path, windows):
    legacy = windows / "zn_ladder" / "zn_ladder"
    legacy.mkdir(parents=True)
    monkeypatch.setenv("ZN_LADDER_HOME", str(tmp_path / "home"))
    assert paths.config_dir() == tmp_path / "home" / "config"
    assert paths.log_dir() == tmp_path / "home" / "logs"
    assert legacy.is_dir()
