"""Shared helpers for the store tests: real SQLite files in tmp_path, fills built the way sources do."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from zn_ladder.domain.records import Fill, Side

T0 = 1_751_500_000_000_000_000  # 2025-07-03 around 00:00 UTC, in ns


def make_fill(key: str, side: int = 1, qty: int = 1, price: int = 7000, t: int = 0, *, account: str = "A1",
              contract: str = "ZN Sep25", order_id: str = "", cum_qty: int = 0, exec_id: str | None = None,
              source: str = "tt_api") -> Fill:
    return Fill(key, account, contract, Side(side), qty, price, T0 + t, order_id,
                key if exec_id is None else exec_id, source, "trader", cum_qty)


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "store" / "zn_ladder.sqlite3"
