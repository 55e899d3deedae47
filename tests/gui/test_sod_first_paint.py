"""At 06:59, before the open: the stored start-of-day position is on screen from the first paint, with
no fill, no order and no spot yet, and TT not even answering (issue 12 §1)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.actant import actant_row, write_actant
from zn_ladder.domain.instruments import get_product
from zn_ladder.workers.demo import demo_connection
from zn_ladder.workers.session import Session, SessionConfig

ZN = get_product("ZN")


def test_the_sod_is_the_first_thing_on_screen(qtbot, tmp_path: Path, ui_home) -> None:
    run = min(dt.date.today(), dt.date(2026, 12, 18)).strftime("%m/%d/%Y")
    sod = write_actant(tmp_path / "sod.csv",
                       actant_row("73050502", "5.0", "110'080", run=run, expire="12/18/2026"),
                       actant_row("73050507", "2.0", "110'100", run=run, expire="03/19/2027"))
    # TT is a closed port: no orders, fills or positions ever come.
    config = SessionConfig(conn=demo_connection("http://127.0.0.1:9", retries=0), product=ZN, env="LIVE",
                           db_path=tmp_path / "s.sqlite3", orders_s=30.0, fills_s=30.0, positions_s=600.0,
                           spot_mode="manual", sod_path=str(sod), sod_account_map=(("73050502", "1334000"),))
    session = Session(config)
    session.start()
    try:
        qtbot.waitUntil(lambda: session.last_result is not None, timeout=15_000)
        result = session.last_result
        # Two contracts hold an SOD: the window takes one of them and shows its position (mapped account).
        assert session.contract in ("ZN Dec26", "ZN Mar27")
        expected = {"ZN Dec26": (5, 110 * 64 + 16), "ZN Mar27": (2, 110 * 64 + 20)}[session.contract]
        assert (result.pnl.position, result.pnl.sod_position) == (expected[0], expected[0])
        assert result.spot_source == "SOD price" and result.spot.ticks(ZN) == expected[1]
        assert not result.inputs.store.fills
        spot_row = next(row for row in result.ladder.ladder.rows if row.is_spot)
        assert spot_row.position == expected[0]
    finally:
        assert session.stop(5.0)
