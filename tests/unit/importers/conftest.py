"""Helpers for importer tests: copies of the desk fixtures with rows added or changed."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


@pytest.fixture
def fixture_text():
    def read(name: str) -> str:
        return (FIXTURES / name).read_text(encoding="utf-8-sig")

    return read


@pytest.fixture
def write(tmp_path: Path):
    """Write `text` to a file in tmp_path (utf-8 unless `encoding`, optional BOM) and return its path."""

    def _write(name: str, text: str, *, encoding: str = "utf-8", bom: bool = False) -> Path:
        path = tmp_path / name
        data = text.encode(encoding)
        path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
        return path

    return _write
