"""Where the window remembers itself: geometry, splitters, column widths and ladder preferences.

A QSettings ini file under the app's config directory (`window.ini`), separate from the typed app
settings (`config/`): these are per-machine layout details a support engineer never needs to edit, and
a broken one must never stop the app (the window falls back to its defaults).
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


def read_int(settings: QSettings, key: str, default: int, low: int, high: int) -> int:
    try:
        value = int(settings.value(key, default))
    except (TypeError, ValueError):
        return default
    return value if low <= value <= high else default


def read_bool(settings: QSettings, key: str, default: bool) -> bool:
    value = settings.value(key, default)
    if isinstance(value, str):
        return value.lower() in ("1", "true", "yes", "on")
    return bool(value)
