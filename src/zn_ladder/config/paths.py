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


def output_target(path: Path | str) -> Path:
    """A file the user named for a command to write (`export --out`, `config export`), checked first.

    Those commands write a temporary file and rename it over the target, which would silently replace
    a device, a pipe or a symlink (not what it points at: the link itself) and would need folders
    created. So the target must be a regular file or not exist yet, must not be a symlink, and its
    folder must already exist: anything else is refused, naming the path.
    """
    from zn_ladder.domain.errors import InputError

    path = Path(path)
    try:
        if "\x00" in str(path):
            raise ValueError("a NUL character in the name")
        return _checked_target(path)
    except (OSError, ValueError) as exc:  # a name too long, a NUL in it
        raise InputError(f"{str(path)[:200]!r} cannot be written ({getattr(exc, 'strerror', None) or exc})") from None


def _checked_target(path: Path) -> Path:
    from zn_ladder.domain.errors import InputError

    if path.is_symlink():
        raise InputError(f"{path} is a symbolic link: give the path of the file itself")
    if path.exists() and not path.is_file():
        what = "a folder" if path.is_dir() else "a device, a pipe or a socket"
        raise InputError(f"{path} is {what}, not a file: give the path of a file to write")
    parent = path.parent
    if not parent.is_dir():
        raise InputError(f"the folder {parent} does not exist: create it first or choose another path")
    return path
