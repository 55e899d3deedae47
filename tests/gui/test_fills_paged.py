"""The fills table paged from the store (issue 14 §18): the rows shown are the store's, read a page at
a time; filter, sort, new fills on top, busts, the title's counts and a bounded cache of rows.

Every expectation is computed here from the fills the test generated (or a plain SQL count), never by
the model's code."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt

from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.prices import format_ticks, parse_ticks
from zn_ladder.domain.records import CorrectionKind, Fill, FillCorrection, Side
from zn_ladder.store.store import Store
from zn_ladder.ui import fills_model
from zn_ladder.ui.fills_model import PagedFillsModel
from zn_ladder.ui.tables import FILL_COLUMNS, RecordTable, fill_key
from zn_ladder.workers.snapshots import FillsQuery

ZN = get_product("ZN")
C = "ZN Dec26"
T0 = 1_800_000_000_000_000_000
N = 730  # several pages (fills_model.PAGE) and a last page that is not full
COL = {c.title: i for i, c in enumerate(FILL_COLUMNS)}


def make_fill(i: int) -> Fill:
    """Fill i: one a second, qty 1..17, prices around 110'000, every third a sell, two accounts."""
    return Fill(f"k{i:05d}", "A1" if i % 5 else "A2", C, Side.SELL if i % 3 == 0 else Side.BUY, 1 + i % 17,
                7040 + (i * 7) % 41, T0 + i * 1_000_000_000, order_id=f"o{i}", exec_id=f"e{i:05d}",
                source="tt_api", cum_qty=1 + i % 17)


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    path = tmp_path / "fills.sqlite3"
    with Store.open(path) as store:
        store.ingest([make_fill(i) for i in range(N)], source="tt_api")
        store.ingest([Fill("other", "A1", "ZN Mar27", Side.BUY, 3, 7050, T0, exec_id="other")], source="tt_api")
    return path


@pytest.fixture
def paged(qtbot, store_path: Path):
    models = []

    def make(**query) -> PagedFillsModel:
        model = PagedFillsModel(FILL_COLUMNS, FillsQuery(str(store_path), C, **query))
        models.append(model)
        model.refresh()
        qtbot.waitUntil(lambda: model.loaded, timeout=10_000)
        return model

    yield make
    for model in models:
        model.close()


def cell(qtbot, model: PagedFillsModel, row: int, title: str) -> str:
    """The text the view would show once the row's page is read (asked for by the first look)."""
    index = model.index(row, COL[title])
    index.data()
    qtbot.waitUntil(lambda: model.index(row, COL[title]).data() != "", timeout=10_000)
    return model.index(row, COL[title]).data()


def clock(i: int) -> str:
    return datetime.fromtimestamp((T0 + i * 1_000_000_000) / 1e9).strftime("%H:%M:%S")


def test_the_rows_are_the_stores_newest_first_read_a_page_at_a_time(qtbot, paged, store_path: Path) -> None:
    model = paged()
    with sqlite3.connect(store_path) as conn:
        stored = conn.execute("SELECT count(*) FROM fills WHERE contract = ? AND busted = 0", (C,)).fetchone()[0]
    assert stored == N
    assert model.rowCount() == model.total == N
    assert not model._cache  # nothing read but the ids until a row is looked at
    for row in (0, 1, 99, 100, 401, N - 1):  # first, across page edges, the last (partial) page
        i = N - 1 - row  # newest first
        expected = make_fill(i)
        assert cell(qtbot, model, row, "Exec ID") == expected.exec_id
        assert cell(qtbot, model, row, "Qty") == str(expected.qty)
        assert cell(qtbot, model, row, "Side") == ("SELL" if expected.side is Side.SELL else "BUY")
        assert cell(qtbot, model, row, "Price") == format_ticks(expected.price, ZN)
        assert cell(qtbot, model, row, "Time") == clock(i)
        assert model.index(row, COL["Account"]).data() == expected.account
    # Only the pages looked at were read.
    assert len(model._cache) <= 5 * fills_model.PAGE


def test_the_rows_kept_in_memory_stay_bounded_while_scrolling_the_whole_day(qtbot, paged, monkeypatch) -> None:
    monkeypatch.setattr(fills_model, "CACHE_ROWS", 250)
    model = paged()
    for row in range(0, N, 50):
        assert cell(qtbot, model, row, "Exec ID") == make_fill(N - 1 - row).exec_id
        assert len(model._cache) <= 250
    # scrolled back to the top: read again, the same rows
    assert cell(qtbot, model, 0, "Exec ID") == make_fill(N - 1).exec_id


def test_filters_on_a_paged_table_count_and_show_the_matching_fills(qtbot, store_path: Path) -> None:
    table = RecordTable("Fills", FILL_COLUMNS, fill_key)
    qtbot.addWidget(table)
    model = PagedFillsModel(FILL_COLUMNS, FillsQuery(str(store_path), C), parent=table)
    table.set_model(model)
    try:
        qtbot.waitUntil(lambda: model.loaded, timeout=10_000)
        assert table.title.text() == f"Fills  ({N})"
        fills = [make_fill(i) for i in range(N)]
        above = parse_ticks("110'100", ZN)
        cases = {
            "qty:>=10": [f for f in fills if f.qty >= 10],
            "price:>110'100": [f for f in fills if f.price > above],
            "side:sell qty:<3": [f for f in fills if f.side is Side.SELL and f.qty < 3],
            f"time:>{clock(700)}": [f for f in fills if f.time_ns > T0 + 700 * 1_000_000_000],
            "a2": [f for f in fills if f.account == "A2"],
        }
        for text, wanted in cases.items():
            before = model._generation
            table.filter.setText(text)
            qtbot.waitUntil(lambda: model._generation > before and not model._reading, timeout=10_000)
            assert 0 < len(wanted) < N, text
            assert model.rowCount() == len(wanted), text
            assert table.title.text() == f"Fills  {len(wanted)} of {N}", text
            newest = max(wanted, key=lambda f: f.time_ns)
            assert cell(qtbot, model, 0, "Exec ID") == newest.exec_id, text
        table.filter.setText("nosuchcolumn:>3")
        qtbot.waitUntil(lambda: model.rowCount() == N, timeout=10_000)  # ignored and said, never an empty table
        assert "no column starts with 'nosuchcolumn'" in table.filter_message.text()
    finally:
        model.close()


def test_sorting_a_paged_table_is_the_stores_order(qtbot, paged) -> None:
    model = paged()
    before = model._generation
    model.sort(COL["Qty"], Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: model._generation > before and not model._reading, timeout=10_000)
    # qty ascending, ties in arrival (row id) order
    wanted = sorted(range(N), key=lambda i: (make_fill(i).qty, i))
    for row in (0, 1, 250, N - 1):
        assert cell(qtbot, model, row, "Exec ID") == make_fill(wanted[row]).exec_id


def test_new_fills_appear_at_the_top_as_inserted_rows_and_a_selection_follows_its_fill(qtbot, paged,
                                                                                         store_path: Path) -> None:
    from PySide6.QtWidgets import QTableView

    model = paged()
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    selected = make_fill(N - 1 - 5)
    assert cell(qtbot, model, 5, "Exec ID") == selected.exec_id
    view.selectionModel().select(model.index(5, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                                 | QItemSelectionModel.SelectionFlag.Rows)
    inserted: list[tuple[int, int]] = []
    resets: list[bool] = []
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))
    model.modelReset.connect(lambda: resets.append(True))
    with Store.open(store_path) as store:
        store.ingest([make_fill(i) for i in range(N, N + 3)], source="tt_api")
    model.refresh()
    qtbot.waitUntil(lambda: model.rowCount() == N + 3, timeout=10_000)
    assert inserted == [(0, 2)] and not resets
    assert [cell(qtbot, model, r, "Exec ID") for r in range(4)] == [make_fill(i).exec_id
                                                                    for i in (N + 2, N + 1, N, N - 1)]
    rows = {i.row() for i in view.selectionModel().selectedRows()}
    assert rows == {8} and cell(qtbot, model, 8, "Exec ID") == selected.exec_id


def test_a_bust_leaves_the_table_and_a_correction_is_shown(qtbot, paged, store_path: Path) -> None:
    model = paged()
    assert cell(qtbot, model, 1, "Exec ID") == make_fill(N - 2).exec_id
    assert cell(qtbot, model, 3, "Qty") == str(make_fill(N - 4).qty)
    bust = FillCorrection("c1", make_fill(N - 2).key, CorrectionKind.BUST, T0 + 10**13)
    fix = FillCorrection("c2", make_fill(N - 4).key, CorrectionKind.CORRECT, T0 + 10**13 + 1, qty=40, price=7060)
    with Store.open(store_path) as store:
        store.ingest([], [bust, fix], source="tt_api")
    model.refresh()
    qtbot.waitUntil(lambda: model.rowCount() == N - 1, timeout=10_000)
    assert model.total == N - 1
    assert cell(qtbot, model, 1, "Exec ID") == make_fill(N - 3).exec_id
    # the corrected fill (now row 2) is read again and shows its new quantity and price
    qtbot.waitUntil(lambda: model.index(2, COL["Qty"]).data() == "40", timeout=10_000)
    assert model.index(2, COL["Price"]).data() == format_ticks(7060, ZN)


def test_the_accounts_of_the_query_limit_the_rows(qtbot, paged) -> None:
    model = paged(account=frozenset({"A2"}))
    wanted = [i for i in range(N) if make_fill(i).account == "A2"]
    assert model.rowCount() == model.total == len(wanted)
    assert cell(qtbot, model, 0, "Exec ID") == make_fill(max(wanted)).exec_id
    assert {f.account for f in model.records()} == {"A2"}


def test_a_slow_read_paces_the_next_store_refresh_but_a_filter_reads_at_once(qtbot, paged, store_path: Path) -> None:
    """A filtered 100k-fill day takes a while to read: the re-read after a store change waits PACE times
    the last read (the reader never takes the CPU every second), yet the new fills still come in, and
    what the trader asks for (a filter) is read at once."""
    model = paged()
    model._read_s = 0.3  # as if the last read had taken 0.3 s
    with Store.open(store_path) as store:
        store.ingest([make_fill(N)], source="tt_api")
    model.refresh()
    assert not model._reading and model._pace.isActive()  # deferred, not dropped
    qtbot.waitUntil(lambda: model.rowCount() == N + 1, timeout=10_000)
    model._read_s = 0.3
    model.refresh()
    model.set_filter_text("qty:>=17")
    assert model._reading  # read now
    qtbot.waitUntil(lambda: not model._reading and not model._pace.isActive(), timeout=10_000)
    assert model.rowCount() == sum(make_fill(i).qty >= 17 for i in range(N + 1))
