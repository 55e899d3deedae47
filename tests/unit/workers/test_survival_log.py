"""The survival log on a real store: one row per fill, at most `MAX_PER_UPDATE` per snapshot (the rest
with the next ones, oldest first), none twice across a restart, and a fill after a bust computed from
the books without the busted fill. Positions are counted here from the fills themselves."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from zn_ladder.domain.records import CorrectionKind, Fill, FillCorrection, Side
from zn_ladder.domain.survival import SEED_LEVELS, survival_curve
from zn_ladder.store.snapshot import take_snapshot
from zn_ladder.store.store import Store
from zn_ladder.store.survival_log import read_rows
from zn_ladder.workers import survival_log
from zn_ladder.workers.survival_log import SurvivalLog

C = "ZN Dec26"
T = 1_800_000_000_000_000_000
QTYS = (3, 2, -4, 5, -1, 2, -6)


def fill(i: int, qty: int) -> Fill:
    return Fill(f"k{i}", "1334000", C, Side.BUY if qty > 0 else Side.SELL, abs(qty), 7060 + 2 * i, T + i * 10**9,
                order_id=f"o{i}", exec_id=f"k{i}", source="tt_api", user="Eric")


def update(log: SurvivalLog, store: Store) -> int:
    return log.update(store, take_snapshot(store.conn, C))


def test_each_fill_logged_once_in_batches_and_after_a_bust(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(survival_log, "MAX_PER_UPDATE", 3)
    with Store.open(tmp_path / "s.sqlite3") as store:
        fills = [fill(i, q) for i, q in enumerate(QTYS)]
        store.ingest(fills, source="tt_api")
        log = SurvivalLog()
        assert [update(log, store) for _ in range(4)] == [3, 3, 1, 0]
        assert update(SurvivalLog(), store) == 0  # a restart logs nothing twice
        rows = read_rows(store.conn, C)
        assert [r.fill_key for r in rows] == [f.key for f in fills]
        position = 0
        for r, f in zip(rows, fills):
            position += f.signed_qty
            assert (r.position, r.risk, r.trader, r.price) == (position, position * Fraction(125, 2), "Eric", f.price)
        # k2 is busted, then k7 arrives: its row counts the books without k2
        store.ingest([fill(7, 1)], [FillCorrection("b1", "k2", CorrectionKind.BUST, T + 20 * 10**9)], source="tt_api")
        assert update(log, store) == 1
        last = read_rows(store.conn, C)[-1]
        live = [f for f in fills if f.key != "k2"] + [fill(7, 1)]
        position = sum(f.signed_qty for f in live)
        price = Fraction(live[-1].price, 64)
        pnl = sum(f.signed_qty * (price - Fraction(f.price, 64)) for f in live) * 1000
        curve = survival_curve(price, position * Fraction(125, 2), SEED_LEVELS, pnl=pnl)
        assert (last.fill_key, last.position, last.pnl) == ("k7", position, pnl)
        assert (last.extreme_level, last.curve) == (curve.extreme_level,
                                                    tuple((p.level, p.risk) for p in curve.points))
