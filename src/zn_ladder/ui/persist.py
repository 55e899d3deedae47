"""Where the window remembers its layout: geometry, splitters and columns, nothing else.

A QSettings ini file under the app's config directory (`window.ini`), separate from the typed app
settings (`config/`): these are per-machine layout details a support engineer never needs to edit, and
a broken one must never stop the app (the window falls back to its defaults). Display settings (theme,
font size, units, price format, sounds) live only in the settings file: two places for one preference
meant `config set ladder.font_size 14` was overridden by the window's own copy.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from zn_ladder.config.paths import config_dir

FILE_NAME = "window.ini"


def window_settings(path: Path | None = None) -> QSettings:
    path = path or config_dir() / FILE_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    return QSettings(str(path), QSettings.Format.IniFormat)
