"""Rotating log files in the user's log folder, with every line passed through the secret redaction.

Why here and not in the GUI entry: the window, the headless commands and the crash reporter all write
to the same folder (`zn_ladder.config.paths.log_dir()`, or `ZN_LADDER_HOME/logs`), so support finds one
place to look on a desk. Rotation (5 x 2 MB by default) keeps a week of a busy desk's INFO lines without
ever filling a disk. Calling `setup_file_logging` twice adds no second handler.
"""

from __future__ import annotations

import logging
from pathlib import Path

from zn_ladder.config.redaction import RedactingFilter

LOG_FILE = "zn_ladder.log"
FORMAT = "%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"
MAX_BYTES = 2_000_000
BACKUPS = 5

_MARK = "_zn_ladder_file"


def log_file() -> Path:
    from zn_ladder.config.paths import log_dir

    return log_dir() / LOG_FILE


def setup_file_logging(level: int = logging.INFO, *, path: Path | None = None, max_bytes: int = MAX_BYTES,
                       backups: int = BACKUPS) -> Path:
    """Attach the rotating file handler to the root logger (once) and redact every root handler.

    Returns the log file's path. The root level is lowered to `level` if it was higher, never raised
    (a developer's `--log-level DEBUG` on stderr keeps working)."""
    path = path or log_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    for other in root.handlers:  # the console keeps the level the command line asked for
        if other.level == logging.NOTSET and not getattr(other, _MARK, False):
            other.setLevel(root.level or logging.WARNING)
    existing = [h for h in root.handlers if getattr(h, _MARK, False)]
    if not existing:
        # Imported here, not at the top: every CLI command imports this module, and logging.handlers
        # brings socket, pickle and queue (a tenth of a short command's start-up).
        from logging.handlers import RotatingFileHandler

        handler = RotatingFileHandler(path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8", delay=True)
        handler.setFormatter(logging.Formatter(FORMAT))
        handler.setLevel(level)
        setattr(handler, _MARK, True)
        root.addHandler(handler)
    else:
        path = Path(existing[0].baseFilename)
    redact_handlers(root)
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    return path


def redact_handlers(logger: logging.Logger | None = None) -> None:
    """Give every handler of `logger` (default: root) the redaction filter, once."""
    logger = logger or logging.getLogger()
    for handler in logger.handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
