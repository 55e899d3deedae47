"""Where the app keeps its files, per user and per OS (platformdirs).

`ZN_LADDER_HOME` moves everything under one folder: tests and portable installs use it so that
nothing touches the real user's directories.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "zn_ladder"
APP_AUTHOR = "zn_ladder"


def _home() -> Path | None:
    value = os.environ.get("ZN_LADDER_HOME")
    return Path(value) if value else None


def _platform(kind: str) -> Path:
    import platformdirs  # imported lazily: keeps `zn-ladder --help` fast

    return Path(getattr(platformdirs, f"user_{kind}_dir")(APP_NAME, APP_AUTHOR))


def config_dir() -> Path:
    home = _home()
    return home / "config" if home else _platform("config")


def data_dir() -> Path:
    home = _home()
    return home / "data" if home else _platform("data")


def log_dir() -> Path:
    home = _home()
    return home / "logs" if home else _platform("log")


def default_db_path() -> Path:
    return data_dir() / "zn_ladder.sqlite3"


def browser_profile_dir() -> Path:
    return data_dir() / "browser-profile"
