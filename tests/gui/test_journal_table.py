"""The window's realized P&L journal (issue 15 §1): read by the store worker on its own thread, shown
as stored, equal to a contract-by-contract model of the fills; a bust takes its rows away."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo
import threading
import time
from pathlib import Path
from types import SimpleNamespace

from tests.journal_model import model_journal
from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.records import CorrectionKind, Fill, FillCorrection, Side
from zn_ladder.store import journal as stored_journal
from zn_ladder.store.store import Store
from zn_ladder.tt.fills_cursor import FillCursor
from zn_ladder.ui.money import dollars
from zn_ladder.workers.snapshots import JournalSnapshot
from zn_ladder.workers.store_worker import StoreWorker

C = "ZN Dec26"
ZN = get_product("ZN")


def _today_start_ns() -> int:
    """Start of the current trading day by the desk's default rule, worked out here: the latest weekday
    16:00 in Chicago at or before now (a weekend belongs to Monday, whose day starts Friday 16:00)."""
    now = dt.datetime.now(ZoneInfo("America/Chicago"))
    start = now.replace(hour=16, minute=0, second=0, microsecond=0)
    while start > now or start.weekday() >= 5:
        start = (start - dt.timedelta(days=1)).replace(hour=16)
    return int(start.timestamp()) * 1_000_000_000


T0 = _today_start_ns() + 1_000_000_000  # one second into the day: every fill below is today's


def fill(i: int, side: Side, qty: int, price: int) -> Fill:
    return Fill(f"k{i}", "1334000", C, side, qty, price, T0 + i * 1_000_000, exec_id=f"k{i}", source="tt_api")


FILLS = [fill(0, Side.BUY, 3, 7072), fill(1, Side.BUY, 2, 7075), fill(2, Side.SELL, 4, 7080),
         fill(3, Side.SELL, 2, 7070), fill(4, Side.BUY, 1, 7068), fill(5, Side.SELL, 1, 7079)]


def page(fills=(), corrections=(), ts: int = 0):
    return SimpleNamespace(fills=tuple(fills), corrections=tuple(corrections), cursor=FillCursor(ts))


def rows(entries) -> list[tuple]:
    return [(e.account, e.market, e.contract, e.method, e.time_ns, e.open_key, e.open_time_ns, e.open_qty,
             e.open_price, e.close_key, e.close_qty, e.close_price, e.matched_qty, e.realized_ticks,
             e.cumulative_ticks) for e in entries]


def test_the_journal_table_shows_the_stores_rows_read_off_the_gui_thread(qtbot, tmp_path: Path, window) -> None:
    db = tmp_path / "j.sqlite3"
    worker = StoreWorker(db)
    with qtbot.waitSignal(worker.opened, timeout=10_000):
        worker.start()
    snaps = []
    worker.snapshotReady.connect(snaps.append)
    readers: set[str] = set()
    original = stored_journal.read

    def spy(*args, **kwargs):
        readers.add(threading.current_thread().name)
        return original(*args, **kwargs)

    stored_journal.read = spy
    try:
        worker.set_contract(C)
        with qtbot.waitSignal(worker.snapshotReady, timeout=10_000):
            worker.ingest(page(FILLS, ts=T0))
        qtbot.waitUntil(lambda: len(snaps[-1].fills) == len(FILLS), timeout=5000)
        before = snaps[-1].journal
        bust = FillCorrection("b1", "k2", CorrectionKind.BUST, time.time_ns())
        with qtbot.waitSignal(worker.snapshotReady, timeout=10_000):
            worker.ingest(page([], [bust], ts=T0 + 1))
        qtbot.waitUntil(lambda: len(snaps[-1].fills) == len(FILLS) - 1, timeout=5000)
    finally:
        stored_journal.read = original
        worker.stop()
    assert readers and threading.main_thread().name not in readers  # read on the store's thread
    after = snaps[-1].journal
    live = [f for f in FILLS if f.key != "k2"]
    with Store.open(db) as store:
        assert store.fills(C) == live
        assert rows(after) == rows(stored_journal.read(store.conn, contract=C))
    for method in ("lifo", "fifo"):
        assert [r for r in rows(after) if r[3] == method] == model_journal(live, method)
        assert [r for r in rows(before) if r[3] == method] == model_journal(FILLS, method)
    assert any(e.close_key == "k2" for e in before) and not any("k2" in (e.open_key, e.close_key) for e in after)

    window.apply_journal(JournalSnapshot(after, dt.datetime.now(dt.timezone.utc)))
    table = window.journal
    titles = [c.title for c in table.model.columns]
    shown = [dict(zip(titles, table.model.row_texts(table.proxy.mapToSource(table.proxy.index(r, 0)).row())))
             for r in range(table.proxy.rowCount())]
    assert len(shown) == len(after) > 0
    want = sorted((e.method.upper(), e.open_key, e.close_key, str(e.matched_qty), dollars(e.realized),
                   dollars(e.cumulative_realized)) for e in after)
    assert sorted((s["Method"], s["Opened by"], s["Closed by"], s["Matched"], s["Realized"], s["Cumulative"])
                  for s in shown) == want
    assert window.docks.docks["journal"].windowTitle() == f"Realized P&&L journal  ({len(after)})"
    window.apply_journal(JournalSnapshot((), dt.datetime.now(dt.timezone.utc)))
    assert table.proxy.rowCount() == 0


def test_the_live_window_shows_the_journal_the_store_keeps(qtbot, tmp_path: Path, ui_home) -> None:
    """Through the whole app (session, store worker, window) on the built-in simulator: the journal
    table holds the store's rows for the ladder's contract, both methods."""
    from zn_ladder.store.db import connect
    from zn_ladder.store.snapshot import read_journal

    from .live_app import make_controller

    controller = make_controller(tmp_path, sim={"step_interval": None, "history_fills": 40})
    qtbot.addWidget(controller.window)
    controller.window.show()
    controller.start()
    try:
        w = controller.window
        qtbot.waitUntil(lambda: w.journal.model.rowCount() > 0, timeout=20_000)
        contract = controller.session.contract

        def stored() -> list[tuple]:
            conn = connect(tmp_path / "app.sqlite3", readonly=True)
            try:
                return rows(read_journal(conn, contract))
            finally:
                conn.close()

        qtbot.waitUntil(lambda: sorted(rows(w.journal.model.records())) == sorted(stored()), timeout=20_000)
        assert {r[3] for r in stored()} == {"lifo", "fifo"}
    finally:
        controller.window.close()
        controller.shutdown()
