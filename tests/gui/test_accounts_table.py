"""The accounts table: one row per account's book at the scenario's spot, a total row equal to the cards."""

from __future__ import annotations

from fractions import Fraction

from PySide6.QtCore import Qt

from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.prices import Price, parse_ticks
from zn_ladder.domain.records import Fill, Side, SodLot
from zn_ladder.store.snapshot import take_snapshot
from zn_ladder.store.store import Store
from zn_ladder.ui.accounts_table import AccountsTable
from zn_ladder.ui.money import dollars
from zn_ladder.ui.summary import SummaryStrip
from zn_ladder.ui.table_columns import ACCOUNT_COLUMNS
from zn_ladder.workers.scenario import ScenarioInputs, compute_scenario

ZN = get_product("ZN")
C = "ZN Dec26"
T0 = 1_780_000_000_000_000_000
TITLES = [c.title for c in ACCOUNT_COLUMNS]


def t(text: str) -> int:
    return parse_ticks(text, ZN)


def _pnl(tmp_path, fills, sod=(), spot="110'100"):
    with Store.open(tmp_path / "s.sqlite3") as store:
        if sod:
            store.put_sod(list(sod))
        store.ingest(fills, source="test")
        snap = take_snapshot(store.conn, C, market="CME")
    return compute_scenario(ScenarioInputs(ZN, C, store=snap, spot=Price.from_ticks(t(spot), ZN))).pnl


def _day():
    return [Fill("a", "DESK01", C, Side.BUY, 2, t("110'040"), T0),
            Fill("a2", "DESK01", C, Side.BUY, 3, t("110'055"), T0 + 1),
            Fill("b", "DESK01", C, Side.SELL, 2, t("110'120"), T0 + 1),
            Fill("c", "DESK02", C, Side.SELL, 3, t("110'120"), T0 + 2),
            Fill("d", "1334000", C, Side.BUY, 1, t("110'090"), T0 + 3)], [SodLot("DESK02", C, -4, t("110'000"))]


def _cell(table: AccountsTable, row: tuple[str, ...], title: str) -> str:
    return row[TITLES.index(title)]


def test_rows_per_account_and_a_total_row_equal_to_the_cards(qtbot, tmp_path) -> None:
    fills, sod = _day()
    pnl = _pnl(tmp_path, fills, sod)
    table, strip = AccountsTable(), SummaryStrip()
    qtbot.addWidget(table)
    qtbot.addWidget(strip)
    table.apply_pnl(pnl)
    strip.apply(pnl)
    rows = table.row_texts()
    assert [r[0] for r in rows] == ["1334000", "DESK01", "DESK02", "Total"]
    desk01, desk02, total = rows[1], rows[2], rows[3]
    # DESK01: bought 2 @ 110'040 and 3 @ 110'055, sold 2 @ 110'120 -> +3. In ticks of 1/64 ($15.625):
    # LIFO closes the 110'055s (2 x 13 realized; open 2 @ 110'040 + 1 @ 110'055, at 110'100: 2 x 12 + 9),
    # FIFO the 110'040s (2 x 16 realized; open 3 @ 110'055: 3 x 9). Both total 59 ticks.
    assert _cell(table, desk01, "Position") == "+3" and _cell(table, desk01, "SOD") == "0"
    assert _cell(table, desk01, "Realized LIFO") == "$406.25"
    assert _cell(table, desk01, "Unrealized LIFO") == dollars(33 * ZN.tick_value)
    assert _cell(table, desk01, "Realized FIFO") == "$500.00"
    assert _cell(table, desk01, "Unrealized FIFO") == dollars(27 * ZN.tick_value)
    assert _cell(table, desk01, "Total P&L") == dollars(59 * ZN.tick_value)
    assert _cell(table, desk01, "Avg open") == "110'045"  # (2 x 8 + 11) / 3 = 9 ticks
    # DESK02: short 4 from SOD at 110'000, sold 3 more at 110'120: -7, nothing closed.
    assert (_cell(table, desk02, "Position"), _cell(table, desk02, "SOD")) == ("-7", "-4")
    assert _cell(table, desk02, "Realized FIFO") == "$0.00"
    # The total row reads exactly what the cards read.
    cards = {"Position": "position", "SOD": "sod", "Realized LIFO": "realized_lifo", "Unrealized LIFO": "unrealized",
             "Realized FIFO": "realized_fifo", "Unrealized FIFO": "unrealized_fifo", "Total P&L": "total"}
    for title, key in cards.items():
        assert _cell(table, total, title) == strip.text(key), title
    # Long and short accounts at once: no netted average on the total row (the cards list each account's).
    assert _cell(table, total, "Avg open") == "—" and "DESK02 -7 @" in strip.text("average")
    assert table.title.text() == "Position & P&L by account  (3 accounts)"


def test_the_total_row_stays_last_whatever_the_sort(qtbot, tmp_path) -> None:
    fills, sod = _day()
    table = AccountsTable()
    qtbot.addWidget(table)
    table.apply_pnl(_pnl(tmp_path, fills, sod))
    for column in (0, TITLES.index("Total P&L"), TITLES.index("Position")):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            table.view.sortByColumn(column, order)
            assert table.row_texts()[-1][0] == "Total"
    table.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert [r[0] for r in table.row_texts()] == ["DESK02", "DESK01", "1334000", "Total"]


def test_one_account_same_sign_shows_the_netted_average_and_colours_by_sign(qtbot, tmp_path) -> None:
    fills = [Fill("a", "DESK01", C, Side.BUY, 2, t("110'050"), T0),
             Fill("b", "DESK03", C, Side.BUY, 2, t("110'060"), T0 + 1)]
    table = AccountsTable()
    qtbot.addWidget(table)
    pnl = _pnl(tmp_path, fills, spot="110'040")
    table.apply_pnl(pnl)
    total = table.row_texts()[-1]
    assert _cell(table, total, "Avg open") == "110'055" and _cell(table, total, "Position") == "+4"
    assert pnl.total < 0
    model = table.model
    row = [model.record(r).account for r in range(model.rowCount())].index("Total")
    money = model.index(row, TITLES.index("Total P&L"))
    assert model.data(money, Qt.ItemDataRole.ForegroundRole) == model.sign_colors[1]
    position = model.index(row, TITLES.index("Position"))
    assert model.data(position, Qt.ItemDataRole.ForegroundRole) == model.sign_colors[0]
    assert model.data(model.index(row, 0), Qt.ItemDataRole.FontRole).bold()
    unrealized = TITLES.index("Unrealized LIFO")
    assert "LIFO" in model.headerData(unrealized, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert model.headerData(unrealized, Qt.Orientation.Horizontal) == "Unrealized\nLIFO"  # two lines: they fit
    assert table.view.horizontalHeader().isSectionHidden(TITLES.index("Market"))  # one market per window


def test_rows_update_in_place_and_an_account_that_leaves_goes(qtbot, tmp_path) -> None:
    fills, sod = _day()
    table = AccountsTable()
    qtbot.addWidget(table)
    table.apply_pnl(_pnl(tmp_path / "1", fills, sod))
    table.apply_pnl(_pnl(tmp_path / "2", fills[:2]))
    assert [r[0] for r in table.row_texts()] == ["DESK01", "Total"]
    assert table.title.text().endswith("(1 account)")
