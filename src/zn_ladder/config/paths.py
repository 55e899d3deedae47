"""Where the app keeps its files, per user and per OS (platformdirs).

`ZN_LADDER_HOME` moves everything under one folder: tests and portable installs use it so that
nothing touches the real user's directories.

On Windows everything is under `%LOCALAPPDATA%\\zn_ladder` (settings, fills database, browser profile,
`Logs`). Builds before issue 17 gave platformdirs an author too, which Windows nests as
`%LOCALAPPDATA%\\zn_ladder\\zn_ladder`; the first use of a folder moves such a user's files up one level
(`migrate_legacy_dirs`). Linux and macOS ignore the author, so nothing moves there.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

APP_NAME = "zn_ladder"
#: No author folder: Windows would otherwise put the app's name twice in every path.
APP_AUTHOR = False
#: The author older builds passed, so that their folders can be found and moved.
LEGACY_APP_AUTHOR = "zn_ladder"
_KINDS = ("data", "config", "log")
_migration_done = False


def _home() -> Path | None:
    value = os.environ.get("ZN_LADDER_HOME")
    return Path(value) if value else None


def _dirs_class() -> Any:
    import platformdirs  # imported lazily: keeps `zn-ladder --help` fast

    return platformdirs.PlatformDirs


def _platform(kind: str) -> Path:
    global _migration_done
    dirs_class = _dirs_class()
    if not _migration_done:
        _migration_done = True  # once per process: a folder that could not move is retried next start
        migrate_legacy_dirs(dirs_class(APP_NAME, LEGACY_APP_AUTHOR), dirs_class(APP_NAME, APP_AUTHOR))
    return Path(getattr(dirs_class(APP_NAME, APP_AUTHOR), f"user_{kind}_dir"))


@dataclass
class Migration:
    """What `migrate_legacy_dirs` did: the files and folders moved (their new paths), and those left in
    the old folder with the reason (the new place is taken, or the file is in use)."""

    moved: list[Path] = field(default_factory=list)
    left: list[str] = field(default_factory=list)


def migrate_legacy_dirs(old: Any, new: Any) -> Migration:
    """Move the user's files from the folders of `old` (a platformdirs object with the legacy author)
    to those of `new`, kind by kind (data, config, log), where they differ; then remove the emptied old
    folders. Nothing is overwritten: an entry whose new place is already taken stays where it is and is
    reported (a folder is merged entry by entry). On Windows the old data folder is the new one's child
    (`...\\zn_ladder\\zn_ladder`), so its content moves up one level and the child goes away."""
    result = Migration()
    done: list[Path] = []
    for kind in _KINDS:
        source = Path(getattr(old, f"user_{kind}_dir"))
        target = Path(getattr(new, f"user_{kind}_dir"))
        # Windows: config is the data folder and Logs is inside it; each is walked once.
        if source == target or any(source.is_relative_to(d) for d in done) or not source.is_dir():
            continue
        done.append(source)
        _merge(source, target, result)
    for path in result.moved:
        log.info("moved %s from the folder of an older build", path)
    for problem in result.left:
        log.warning("left in the folder of an older build: %s", problem)
    return result


def _merge(source: Path, target: Path, result: Migration) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for entry in sorted(source.iterdir()):
        destination = target / entry.name
        if destination == source:  # a folder named like the app inside the old one: leave it alone
            result.left.append(f"{entry} (it would replace its own parent)")
            continue
        if not destination.exists():
            try:
                entry.rename(destination)
            except FileNotFoundError:
                continue  # another zn_ladder process moved it first
            except OSError as error:  # e.g. a log file an older zn_ladder still has open
                result.left.append(f"{entry} ({error.strerror or error})")
                continue
            result.moved.append(destination)
        elif entry.is_dir() and destination.is_dir() and not entry.is_symlink():
            _merge(entry, destination, result)
        else:
            result.left.append(f"{entry} ({destination} exists)")
    try:
        source.rmdir()
    except OSError:
        pass  # not empty: what is left was reported above


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
