"""Rotating log files in the log folder, redacted, one handler however often it is set up."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

import pytest

from zn_ladder.config.logging_setup import LOG_FILE, setup_file_logging
from zn_ladder.config.redaction import RedactingFilter

SECRET = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a"


@pytest.fixture
def clean_root():
    """Keep the root logger as pytest had it: remove what the test added."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield root
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    for handler in handlers:
        for f in [f for f in handler.filters if isinstance(f, RedactingFilter)]:
            handler.removeFilter(f)
    root.setLevel(level)


def test_logs_go_to_the_log_folder_without_secrets(tmp_path: Path, monkeypatch, clean_root) -> None:
    monkeypatch.setenv("ZN_LADDER_HOME", str(tmp_path))
    path = setup_file_logging()
    assert path == tmp_path / "logs" / LOG_FILE
    log = logging.getLogger("zn_ladder.tt.access_token")
    log.info("token request for app_key=%s", f"key:{SECRET}")
    log.warning("refused: Authorization: Bearer %s", SECRET)
    for handler in clean_root.handlers:
        handler.flush()
    text = path.read_text(encoding="utf-8")
    assert "token request for app_key=" in text and "refused" in text
    assert "zn_ladder.tt.access_token" in text
    assert SECRET not in text


def test_setting_up_twice_adds_one_handler(tmp_path: Path, monkeypatch, clean_root) -> None:
    monkeypatch.setenv("ZN_LADDER_HOME", str(tmp_path))
    first = setup_file_logging()
    second = setup_file_logging()
    assert first == second
    files = [h for h in clean_root.handlers if isinstance(h, logging.handlers.RotatingFileHandler)]
    assert len(files) == 1


def test_the_file_rotates(tmp_path: Path, clean_root) -> None:
    path = setup_file_logging(path=tmp_path / "app.log", max_bytes=2_000, backups=2)
    log = logging.getLogger("zn_ladder.test_rotation")
    for i in range(200):
        log.info("line %03d %s", i, "x" * 40)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["app.log", "app.log.1", "app.log.2"]
    assert all(p.stat().st_size <= 2_100 for p in tmp_path.iterdir())
    assert "line 199" in path.read_text(encoding="utf-8")


def test_other_root_handlers_are_redacted_too(tmp_path: Path, clean_root) -> None:
    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(self.format(record))

    clean_root.addHandler(Keep())
    setup_file_logging(path=tmp_path / "app.log")
    logging.getLogger("zn_ladder.x").error("secret=%s", SECRET)
    assert records and SECRET not in records[-1] and "secret=" in records[-1]


def test_the_console_keeps_its_level_when_the_file_wants_info(tmp_path: Path, clean_root) -> None:
    records: list[str] = []

    class Console(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record.getMessage())

    clean_root.setLevel(logging.WARNING)
    clean_root.addHandler(Console())
    path = setup_file_logging(path=tmp_path / "app.log")
    log = logging.getLogger("zn_ladder.y")
    log.info("file only")
    log.warning("both")
    for handler in clean_root.handlers:
        handler.flush()
    assert records == ["both"]
    assert "file only" in path.read_text(encoding="utf-8")
