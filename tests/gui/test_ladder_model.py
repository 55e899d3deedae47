"""The ladder model shows the domain's numbers and updates only the cells that changed."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import pytest
from PySide6.QtCore import Qt

from tests.gui.conftest import ZN, snapshot
from zn_ladder.domain.prices import format_ticks, parse_ticks
from zn_ladder.ui.ladder.model import NCOLS, Col, DecorRole, LadderModel, RawRole

DISPLAY = Qt.ItemDataRole.DisplayRole


def _model(snap, rows: int = 60) -> LadderModel:
    model = LadderModel()
    model.set_window(snap.ladder.spot_tick + rows // 2, rows)
    model.set_snapshot(snap)
    return model


def _cells(model: LadderModel) -> dict[tuple[int, int], tuple]:
    return {(r, c): (model.index(r, c).data(DISPLAY), model.index(r, c).data(DecorRole))
            for r in range(model.rowCount()) for c in range(NCOLS)}


class Recorder:
    def __init__(self, model: LadderModel) -> None:
        self.cells: set[tuple[int, int]] = set()
        self.signals = 0
        self.resets = 0
        model.dataChanged.connect(self.on_changed)
        model.modelReset.connect(self.on_reset)
        model.layoutChanged.connect(self.on_reset)

    def on_changed(self, tl, br, roles=None) -> None:
        self.signals += 1
        self.cells |= {(r, c) for r in range(tl.row(), br.row() + 1) for c in range(tl.column(), br.column() + 1)}

    def on_reset(self, *args) -> None:
        self.resets += 1


def test_cells_equal_the_domain_ladder_for_the_fixture_orders(orders):
    snap = snapshot(orders)
    model = _model(snap)
    ladder = snap.ladder
    assert model.rowCount() == 60 and model.columnCount() == 7
    seen_orders = 0
    for r in range(model.rowCount()):
        price = model.price_at(r)
        row = ladder.row_at(price)
        raw = [model.index(r, c).data(RawRole) for c in range(NCOLS)]
        assert raw == [row.buy_qty, price, row.sell_qty, row.position, row.projected_pnl, row.risk, row.breakeven]
        assert model.index(r, Col.PRICE).data(DISPLAY) == format_ticks(price, ZN)
        assert model.index(r, Col.PNL).data(DISPLAY) == f"{float(row.projected_pnl):,.0f}".replace("-0", "0") \
            if abs(row.projected_pnl) < 1 else f"{float(row.projected_pnl):,.0f}"
        assert model.index(r, Col.POSITION).data(DISPLAY) == (f"{row.position:+d}" if row.position else "0")
        seen_orders += row.buy_qty + row.sell_qty
    # the fixture's book, read by hand: buys 80 @ 110'055, 40 @ 110'070, 160 @ 110'040; sells 15 @ 110'100,
    # 4 @ 110'120; a sell stop 1 @ 110'015 — all inside the window
    assert seen_orders == 80 + 40 + 160 + 15 + 4 + 1
    assert model.index(model.row_of(parse_ticks("110'055", ZN)), Col.BUY).data(DISPLAY) == "80"
    assert model.index(model.row_of(parse_ticks("110'120", ZN)), Col.SELL).data(DISPLAY) == "4"
    spot_row = model.row_of(ladder.spot_tick)
    assert model.index(spot_row, Col.PRICE).data(DecorRole)[0] is True  # the spot row is flagged


def test_model_passes_qt_model_tester_through_updates(qtmodeltester, orders):
    snap = snapshot(orders)
    model = LadderModel()
    qtmodeltester.check(model)
    model.set_window(snap.ladder.spot_tick + 20, 40)
    qtmodeltester.check(model)
    model.set_snapshot(snap)
    qtmodeltester.check(model)
    model.set_window(model.top + 7, 55)  # scroll and grow
    model.set_pnl_units("ticks")
    qtmodeltester.check(model)
    model.set_window(model.top - 3, 12)  # shrink
    model.set_snapshot(snapshot(orders, "110-09"))
    qtmodeltester.check(model)


def test_same_snapshot_again_emits_nothing(orders):
    snap = snapshot(orders)
    model = _model(snap)
    rec = Recorder(model)
    model.set_snapshot(snapshot(orders))
    assert rec.signals == 0 and rec.resets == 0


def test_updates_emit_data_changed_for_exactly_the_changed_cells(orders):
    model = _model(snapshot(orders))
    before = _cells(model)
    rec = Recorder(model)
    # one more lot on the sell limit at 110'120 (above spot): only cells at and above that level change
    changed = [replace(o, quantity=o.quantity + 3) if o.price == parse_ticks("110'120", ZN) else o for o in orders]
    model.set_snapshot(snapshot(changed))
    after = _cells(model)
    expected = {key for key in before if before[key] != after[key]}
    assert expected, "the change must show somewhere"
    assert rec.cells == expected
    assert rec.resets == 0
    assert all(c != Col.PRICE for _, c in rec.cells)  # the price column never moves on an update
    level_row = model.row_of(parse_ticks("110'120", ZN))
    assert all(r <= level_row for r, _ in rec.cells)  # rows below the level are untouched


def test_spot_move_changes_values_not_prices(orders):
    model = _model(snapshot(orders, "110-08.25"))
    top = model.top
    prices = [model.index(r, Col.PRICE).data(DISPLAY) for r in range(model.rowCount())]
    rec = Recorder(model)
    model.set_snapshot(snapshot(orders, "110-08.75"))
    assert model.top == top  # the model never moves its window on its own
    assert [model.index(r, Col.PRICE).data(DISPLAY) for r in range(model.rowCount())] == prices
    assert rec.resets == 0 and rec.cells


def test_pnl_units_toggle_shows_ticks_and_only_touches_the_pnl_column(orders):
    snap = snapshot(orders)
    model = _model(snap)
    rec = Recorder(model)
    headers = []
    model.headerDataChanged.connect(lambda o, a, b: headers.append((o, a, b)))
    model.set_pnl_units("ticks")
    assert {c for _, c in rec.cells} == {Col.PNL}
    assert headers == [(Qt.Orientation.Horizontal, Col.PNL, Col.PNL)]
    assert model.headerData(Col.PNL, Qt.Orientation.Horizontal) == "P&L t"
    for r in range(model.rowCount()):
        row = snap.ladder.row_at(model.price_at(r))
        expected = f"{float(row.projected_pnl / ZN.tick_value):,.1f}"
        assert model.index(r, Col.PNL).data(DISPLAY) == ("0.0" if expected == "-0.0" else expected)
    model.set_pnl_units("dollars")
    assert model.headerData(Col.PNL, Qt.Orientation.Horizontal) == "P&L $"
    with pytest.raises(ValueError):
        model.set_pnl_units("euros")


def test_window_shift_moves_prices_and_announces_the_range(orders):
    model = _model(snapshot(orders), rows=30)
    ranges = []
    model.windowChanged.connect(lambda hi, lo: ranges.append((hi, lo)))
    top = model.top
    model.set_window(top + 5, 30)
    assert ranges == [(top + 5, top - 24)]
    assert model.index(0, Col.PRICE).data(DISPLAY) == format_ticks(top + 5, ZN)
    assert model.headerData(0, Qt.Orientation.Vertical) == format_ticks(top + 5, ZN)


def test_rows_outside_the_projected_range_show_price_only(orders):
    snap = snapshot(orders, padding=2)
    model = LadderModel()
    model.set_window(snap.ladder.high + 5, 10)
    model.set_snapshot(snap)
    assert model.index(0, Col.PRICE).data(DISPLAY) == format_ticks(snap.ladder.high + 5, ZN)
    assert [model.index(0, c).data(DISPLAY) for c in (Col.BUY, Col.POSITION, Col.PNL)] == ["", "", ""]
    assert model.index(0, Col.PNL).data(RawRole) is None


def test_breakeven_beyond_a_sane_bound_is_a_dash_and_the_header_explains_the_column(qtbot):
    """Issue 14 §12: a tiny risk makes P&L / risk huge (56,869.3 ticks); the cell says — instead, its
    tooltip says why, and the header's tooltip says what B/E is."""
    from zn_ladder.ui.ladder.model import BREAKEVEN_LIMIT_TICKS, HEADER_TIPS, breakeven_text

    assert breakeven_text(Fraction(0)) == ""
    assert breakeven_text(Fraction(80, 10)) == "8.0"
    assert breakeven_text(Fraction(-999)) == "-999.0"
    assert breakeven_text(Fraction(568693, 10)) == "—"
    assert breakeven_text(Fraction(-(BREAKEVEN_LIMIT_TICKS + 1))) == "—"
    assert "projected P&L / risk" in HEADER_TIPS[Col.BREAKEVEN] and "—" in HEADER_TIPS[Col.BREAKEVEN]


def test_money_in_ladder_tooltips_is_dollars_and_cents(qtbot):
    from zn_ladder.ui.ladder.explain import pnl_tooltip
    from types import SimpleNamespace

    tip = pnl_tooltip(SimpleNamespace(projected_pnl=Fraction(103468750, 2000)), ZN, "110'055")
    assert "$51,734.38" in tip and "51734.375" not in tip
