"""The store worker: pages persisted with their cursor, incremental fill lists equal to the store's."""

from __future__ import annotations

from types import SimpleNamespace

from zn_ladder.domain.records import CorrectionKind, Fill, FillCorrection, Side
from zn_ladder.store.store import Store
from zn_ladder.tt.fills_cursor import FillCursor
from zn_ladder.workers.store_worker import StoreWorker

C = "ZN Dec26"
T0 = 1_800_000_000_000_000_000


def fill(i: int, qty: int = 2, side: Side = Side.BUY) -> Fill:
    return Fill(f"k{i}", "1334000", C, side, qty, 7072 + i % 9, T0 + i * 1_000_000_000, order_id=f"o{i // 2}",
                exec_id=f"k{i}", source="tt_api", user="1168910")


def page(fills=(), corrections=(), ts: int = 0):
    return SimpleNamespace(fills=tuple(fills), corrections=tuple(corrections), cursor=FillCursor(ts))


def test_pages_persist_with_their_cursor_and_the_lists_follow_busts_and_corrections(qtbot, store_url: str) -> None:
    """On the PC's file and on a desk database alike (`store_url`)."""
    db = store_url
    worker = StoreWorker(db)
    with qtbot.waitSignal(worker.opened, timeout=10_000) as opened:
        worker.start()
    assert opened.args == [None]  # a fresh store: no cursor yet
    snaps = []
    worker.snapshotReady.connect(snaps.append)
    worker.set_contract(C)
    for batch in range(3):
        fills = [fill(i, side=Side.SELL if i % 3 == 0 else Side.BUY) for i in range(batch * 10, batch * 10 + 10)]
        with qtbot.waitSignal(worker.snapshotReady, timeout=10_000):
            worker.ingest(page(fills, ts=T0 + batch))
    bust = FillCorrection("c1", "k3", CorrectionKind.BUST, T0 + 99 * 10**9)
    fix = FillCorrection("c2", "k7", CorrectionKind.CORRECT, T0 + 99 * 10**9 + 1, qty=1, price=7080)
    with qtbot.waitSignal(worker.snapshotReady, timeout=10_000):
        worker.ingest(page([fill(40)], [bust, fix], ts=T0 + 9))
    qtbot.waitUntil(lambda: len(snaps[-1].fills) == 30, timeout=5000)
    worker.stop()
    with Store.open(db) as store:
        truth = store.fills(C)
        assert store.get_cursor(worker.cursor_source) == FillCursor(T0 + 9).to_dict()
    shown = snaps[-1].fills
    assert [f.key for f in shown] == [f.key for f in truth]  # k3 busted, time order kept
    assert list(shown) == truth  # k7 corrected to 1 @ 7080, everything else as stored
    assert next(f for f in shown if f.key == "k7").qty == 1
    assert snaps[-1].pnl["lifo"].position == sum(f.signed_qty for f in truth)
    # Unchanged fills are the very same objects between snapshots (the window's diff stays cheap).
    assert snaps[-1].fills[0] is snaps[-2].fills[0]
