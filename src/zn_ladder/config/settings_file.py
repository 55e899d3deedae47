"""Reading and writing the settings file (TOML) without ever losing what a support engineer wrote.

- A missing file means defaults (the demo runs with nothing configured).
- A file that cannot be parsed is moved aside (`settings.corrupt-<time>.toml`) and the app starts on
  defaults with a message saying where the file went; it is never silently destroyed.
- A bad value costs only its own key (see `Settings.from_mapping`).
- Before a save replaces a file written by another schema version, a copy is kept beside it.
- Writes are atomic (temporary file + `os.replace`), so a crash mid-save leaves the old file.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import tomllib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from zn_ladder.config.migrations import migrate
from zn_ladder.config.paths import config_dir, output_target
from zn_ladder.config.settings import SCHEMA_VERSION, Problem, Settings
from zn_ladder.domain.errors import ConfigError

log = logging.getLogger(__name__)

FILE_NAME = "settings.toml"
_HEADER = ("# zn_ladder settings (schema {version}). Change them with `zn-ladder config set KEY VALUE`\n"
           "# or the Settings dialog. No secret belongs here: TT credentials live in the OS keyring.\n\n")


@dataclass(frozen=True)
class LoadedSettings:
    """What was loaded, and what could not be used (each problem names its key)."""

    settings: Settings
    problems: tuple[Problem, ...] = ()
    path: Path | None = None
    file_version: int | None = None  # schema the file was written in; None when there was no file
    kept_aside: Path | None = None  # where an unreadable file was moved


def settings_path() -> Path:
    return config_dir() / FILE_NAME


def parse_settings(text: str, origin: str = "settings") -> tuple[Settings, list[Problem], int]:
    """(settings, problems, file version) from TOML text; `ConfigError` when it is not readable TOML."""
    try:
        raw = tomllib.loads(text.lstrip("\ufeff"))  # Notepad's BOM is not an error
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{origin} is not valid TOML ({exc})") from None
    current, version = migrate(raw)
    settings, problems = Settings.from_mapping(current)
    if version > SCHEMA_VERSION:
        problems.insert(0, Problem("schema_version", f"written by a newer zn_ladder (schema {version}, this "
                                                     f"one reads {SCHEMA_VERSION}); what it understands is used"))
    elif version < SCHEMA_VERSION:
        log.info("%s: migrated from schema %d to %d", origin, version, SCHEMA_VERSION)
    return settings, problems, version


#: A settings file is a few kilobytes; anything bigger (or a device: `config import /dev/zero` read
#: until memory ran out) is not one.
MAX_SETTINGS_BYTES = 1 << 20


def _read_text(path: Path) -> str:
    import stat

    if not stat.S_ISREG(os.stat(path).st_mode):  # OSError when missing: the callers say so
        raise ConfigError(f"{path} is not a regular file (a device, a pipe or a folder)")
    with path.open("rb") as file:
        data = file.read(MAX_SETTINGS_BYTES + 1)
    if len(data) > MAX_SETTINGS_BYTES:
        raise ConfigError(f"{path} is too big for a settings file (over {MAX_SETTINGS_BYTES:,} bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path} is not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def load_settings(path: Path | str | None = None) -> LoadedSettings:
    """The settings to run with. Never raises for a bad file: problems say what was wrong."""
    path = Path(path) if path is not None else settings_path()
    if not path.exists():
        return LoadedSettings(Settings(), (), path, None, None)
    try:
        text = _read_text(path)
        settings, problems, version = parse_settings(text, str(path))
    except OSError as exc:
        problem = Problem("", f"cannot read the settings file {path} ({exc.strerror or exc}); using defaults")
        log.warning("%s", problem)
        return LoadedSettings(Settings(), (problem,), path, None, None)
    except ConfigError as exc:
        aside = _keep_aside(path)
        where = f"it was moved to {aside}" if aside else "it was left in place (could not be moved)"
        problem = Problem("", f"the settings file could not be read: {exc}; {where} and the defaults are used")
        log.warning("%s", problem)
        return LoadedSettings(Settings(), (problem,), path, None, aside)
    for problem in problems:
        log.warning("settings: %s", problem)
    return LoadedSettings(settings, tuple(problems), path, version, None)


def _keep_aside(path: Path) -> Path | None:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    aside = path.with_name(f"{path.stem}.corrupt-{stamp}{path.suffix}")
    try:
        os.replace(path, aside)
    except OSError:
        log.exception("could not move the unreadable settings file %s aside", path)
        return None
    return aside


def to_toml_text(settings: Settings) -> str:
    import tomli_w  # only the writers need it

    return _HEADER.format(version=SCHEMA_VERSION) + tomli_w.dumps(settings.to_toml_dict())


def _write_atomic(path: Path, text: str, *, make_folder: bool = True) -> None:
    if make_folder:  # the app's own settings folder; never a folder the user named (`export_settings`)
        path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _backup_other_version(path: Path) -> Path | None:
    """Keep a copy of a file written by another schema (or unreadable) before writing over it."""
    try:
        text = _read_text(path)
        _, _, version = parse_settings(text, str(path))
        label = f"v{version}" if version != SCHEMA_VERSION else None
    except (ConfigError, OSError):
        label = "unreadable"
    if label is None:
        return None
    backup = path.with_name(f"{path.stem}.{label}.bak{path.suffix}")
    if not backup.exists():
        shutil.copy2(path, backup)
        log.info("kept %s as %s before saving", path, backup)
    return backup


def save_settings(settings: Settings, path: Path | str | None = None) -> Path:
    """Write `settings` (atomically) and return the path. Raises `ConfigError` if it cannot be written."""
    path = Path(path) if path is not None else settings_path()
    try:
        if path.exists():
            _backup_other_version(path)
        _write_atomic(path, to_toml_text(settings))
    except OSError as exc:
        raise ConfigError(f"cannot write the settings file {path} ({exc.strerror or exc})") from None
    log.info("settings saved to %s", path)
    return path


def export_settings(path: Path | str, settings: Settings | None = None, *, make_folder: bool = True) -> Path:
    """Write settings for another desk to import. Holds no secret: the model has none to write.

    The target is never a symlink or a device (`paths.output_target`). `make_folder=False` (the
    `config export` command) refuses a missing folder instead of creating it: a typo in a typed path
    must not create folders; the settings dialog's file chooser only offers folders that exist.
    """
    settings = settings if settings is not None else load_settings().settings
    path = Path(path)
    if make_folder and "\x00" not in str(path):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"cannot create the folder of {path} ({exc.strerror or exc})") from None
    path = output_target(path)  # not a device, a symlink, a folder or (make_folder=False) in a missing folder
    try:
        _write_atomic(path, to_toml_text(settings), make_folder=False)
    except OSError as exc:
        raise ConfigError(f"cannot write {path} ({exc.strerror or exc})") from None
    return path


def import_settings(path: Path | str) -> LoadedSettings:
    """Read a file made by `export_settings` (any schema version). Does not save it: the caller decides
    (a switch to LIVE must be confirmed first). An unreadable file raises `ConfigError`, untouched."""
    path = Path(path)
    try:
        text = _read_text(path)
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
        raise ConfigError(f"cannot read {str(path)[:200]!r} ({getattr(exc, 'strerror', None) or exc})") from None
    settings, problems, version = parse_settings(text, str(path))
    return LoadedSettings(settings, tuple(problems), path, version, None)
