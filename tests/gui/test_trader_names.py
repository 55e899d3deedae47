"""The window's trader filter (issue 15 §4): the users TT named, kept with a fills page, name the fills
the store worker hands the window; the fills table shows them in its Trader column and `trader:NAME`
in the filter box keeps one trader's fills. The users the store named before are given to the TT
client when the store opens, before the first fills poll."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from PySide6.QtCore import Qt

from zn_ladder.domain.records import Fill, Side
from zn_ladder.tt.fills_cursor import FillCursor
from zn_ladder.tt.records import User
from zn_ladder.ui.tables import FILL_COLUMNS, RecordTable, fill_key
from zn_ladder.workers.store_worker import StoreWorker

C = "ZN Dec26"
T0 = 1_800_000_000_000_000_000
IDS = {"1168910": "DEMO TRADER", "1168911": "Eric"}


def fill(i: int, user: str, originator: str) -> Fill:
    return Fill(f"k{i}", "1334000", C, Side.BUY if i % 2 else Side.SELL, 1, 7072 + i, T0 + i * 10**9,
                order_id=f"o{i}", exec_id=f"k{i}", source="tt_api", user=user, originator=originator)


def test_fills_are_named_by_the_users_stored_with_the_page_and_filtered_by_trader(qtbot, tmp_path: Path) -> None:
    worker = StoreWorker(tmp_path / "w.sqlite3")
    with qtbot.waitSignal(worker.opened, timeout=10_000):
        worker.start()
    worker.set_contract(C)
    fills = [fill(i, "1168911" if i % 3 else "1168910", "1168910") for i in range(9)]
    users = tuple(User(i, alias, "Demo Capital LLC") for i, alias in IDS.items())
    with qtbot.waitSignal(worker.snapshotReady, timeout=10_000, check_params_cb=lambda snap: bool(snap.fills)) as got:
        worker.ingest(SimpleNamespace(fills=tuple(fills), corrections=(), cursor=FillCursor(T0), users=users))
    worker.stop()
    shown = got.args[0].fills
    assert [(f.key, f.user, f.originator) for f in shown] == [(f.key, IDS[f.user], "DEMO TRADER") for f in fills]

    table = RecordTable("Today's fills", FILL_COLUMNS, fill_key, sort_column=0)
    qtbot.addWidget(table)
    table.set_records(shown)
    trader = [c.title for c in FILL_COLUMNS].index("Trader")
    table.filter.setText("trader:eric")
    kept = sorted(table.proxy.index(r, trader).data(Qt.ItemDataRole.DisplayRole) for r in range(table.proxy.rowCount()))
    assert kept == ["Eric"] * sum(1 for f in fills if f.user == "1168911") and not table.filter_message.isVisible()


def test_the_users_the_store_named_before_reach_the_client_before_the_first_poll(qtbot, tmp_path: Path) -> None:
    db = tmp_path / "w.sqlite3"
    first = StoreWorker(db)
    with qtbot.waitSignal(first.opened, timeout=10_000):
        first.start()
    with qtbot.waitSignal(first.stored, timeout=10_000):
        first.ingest(SimpleNamespace(fills=(fill(1, "1168911", "1168911"),), corrections=(), cursor=FillCursor(T0),
                                     users=(User("1168911", "Eric", "Demo Capital LLC"),)))
    first.stop()

    known: list[tuple[str, object]] = []
    client = SimpleNamespace(know_users=lambda records: known.extend(records))
    again = StoreWorker(db)
    again.track_users(client)
    with qtbot.waitSignal(again.opened, timeout=10_000):
        again.start()
    again.stop()
    assert [User.from_refdata(i, v) for i, v in known] == [User("1168911", "Eric", "Demo Capital LLC")]
