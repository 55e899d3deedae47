"""The summary strip prints an off-tick average open price the way a desk reads it, and the ladder marks
the same tick."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

from PySide6.QtWidgets import QLabel

from tests.gui.conftest import ZN, snapshot
from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.prices import Price, parse_ticks
from zn_ladder.ui.average_price import average_text, average_tooltip, compact_text
from zn_ladder.ui.ladder.model import Col, DecorRole
from zn_ladder.ui.ladder.view import LadderView
from zn_ladder.ui.summary import SummaryStrip
from zn_ladder.workers.snapshots import PnlSnapshot


def _average(*lots: tuple[int, str]) -> Price:
    """The exact average of (qty, TT price) lots, as the domain computes it: a Fraction of points."""
    qty = sum(q for q, _ in lots)
    ticks = Fraction(sum(q * parse_ticks(p, ZN) for q, p in lots), qty)
    return Price.from_ticks(ticks, ZN)


def _pnl(avg: Price | None) -> PnlSnapshot:
    return PnlSnapshot(position=7, sod_position=0, realized_lifo=Fraction(0), realized_fifo=Fraction(0),
                       unrealized=Fraction(0), total=Fraction(0), average_open_price=avg, risk=7 * ZN.tick_value,
                       product=ZN)


def test_off_tick_average_shows_the_tt_tick_below_and_a_compact_32nds_form(qtbot):
    strip = SummaryStrip()
    qtbot.addWidget(strip)
    avg = _average((2, "110'180"), (2, "110'185"), (3, "110'190"))  # 110-18.5714285714...
    strip.apply(_pnl(avg))
    assert strip.text("average") == "110'185 (110-18.57)"
    tip = strip.values["average"].toolTip()
    assert "110-18.5714285714" in tip and "ladder marks 110'185" in tip  # the exact value is one hover away
    strip.apply(_pnl(Price.from_ticks(parse_ticks("110'055", ZN), ZN)))
    assert strip.text("average") == "110'055"  # on a tick: TT format alone
    strip.apply(_pnl(None))
    assert strip.text("average") == "—" and strip.values["average"].toolTip() == ""


def test_compact_form_rounds_half_up_and_carries_into_the_next_point():
    assert compact_text(Price(Fraction(110) + Fraction(18555, 1000 * 32)), ZN) == "110-18.56"
    assert compact_text(Price(Fraction(110) + Fraction(18554, 1000 * 32)), ZN) == "110-18.55"
    assert compact_text(Price(Fraction(110) + Fraction(31999, 1000 * 32)), ZN) == "111-00"
    assert average_text(Price(Fraction(110) + Fraction(31999, 1000 * 32)), ZN) == "110'315 (111-00)"
    zb = get_product("ZB")
    assert average_text(Price(Fraction(117) + Fraction(8, 32) + Fraction(1, 96)), zb) == "117'08 (117-08.33)"
    sr3 = get_product("SR3")
    assert average_text(Price(Fraction(9612345, 100000)), sr3) == "96.120 (96.12345)"
    assert "between ticks" not in average_tooltip(Price(Fraction(9612, 100)), sr3)


def test_ladder_marks_the_row_the_summary_names(qtbot, orders):
    view = LadderView()
    qtbot.addWidget(view)
    view.resize(view.sizeHint().width(), 900)
    avg = _average((3, "110'070"), (4, "110'080"))  # 110-07.5714285714...: between 110'075 and 110'080
    view.apply_snapshot(dataclasses.replace(snapshot(orders, "110-08.25"), average_open_price=avg))
    marked = [r for r in range(view.model.rowCount())
              if view.model.index(r, Col.PRICE).data(DecorRole)[1]]
    assert [view.model.price_at(r) for r in marked] == [parse_ticks("110'075", ZN)]
    text = average_text(avg, ZN)
    assert text == "110'075 (110-07.57)"
    assert text.startswith(view.model.index(marked[0], Col.PRICE).data())


def test_unrealized_is_labelled_with_its_method_and_both_splits_add_up_to_total(qtbot):
    """Issue 14 §12: LIFO realized + LIFO unrealized = TOTAL, and FIFO's pair too, all on screen."""
    strip = SummaryStrip()
    qtbot.addWidget(strip)
    strip.apply(PnlSnapshot(position=2, sod_position=0, realized_lifo=Fraction(1250), realized_fifo=Fraction(-75, 2),
                            unrealized=Fraction(250), total=Fraction(1500), average_open_price=None,
                            risk=2 * ZN.tick_value, product=ZN))
    captions = [label.text() for label in strip.findChildren(QLabel)
                if label.objectName() == "summaryCaption"]
    assert "UNREALIZED LIFO" in captions and "UNREALIZED FIFO" in captions
    assert strip.text("unrealized") == "$250.00" and strip.text("unrealized_fifo") == "$1,537.50"
    assert strip.text("realized_fifo") == "-$37.50" and strip.text("total") == "$1,500.00"
    tip = strip.values["total"].toolTip()
    assert "LIFO: realized $1,250.00 + unrealized at spot $250.00 = total $1,500.00" in tip
    assert "FIFO: realized -$37.50 + unrealized at spot $1,537.50 = total $1,500.00" in tip


def test_average_open_is_per_account_when_accounts_are_long_and_short(qtbot):
    from types import SimpleNamespace

    strip = SummaryStrip()
    qtbot.addWidget(strip)
    long_avg = Price.from_ticks(parse_ticks("110'055", ZN), ZN)
    short_avg = Price.from_ticks(parse_ticks("110'120", ZN), ZN)
    accounts = (SimpleNamespace(account="DESK01", position=5, average_open_price=long_avg),
                SimpleNamespace(account="DESK02", position=-3, average_open_price=short_avg))
    net = SimpleNamespace(**{f.name: getattr(_pnl(long_avg), f.name) for f in dataclasses.fields(PnlSnapshot)})
    net.position, net.by_account = 2, accounts
    strip.apply(net)
    assert strip.text("average") == "DESK01 +5 @ 110'055\nDESK02 -3 @ 110'120"
    assert "never traded" in strip.values["average"].toolTip()
    net.by_account = (accounts[0], SimpleNamespace(account="DESK02", position=4, average_open_price=short_avg))
    strip.apply(net)  # same sign: one netted average, as before
    assert strip.text("average") == "110'055"


def test_average_open_per_account_keeps_the_card_low_with_many_accounts(qtbot):
    """At most three lines, in a smaller font; every account stays in the tooltip."""
    from types import SimpleNamespace

    strip = SummaryStrip()
    qtbot.addWidget(strip)
    avg = Price.from_ticks(parse_ticks("110'055", ZN), ZN)
    accounts = tuple(SimpleNamespace(account=f"DESK0{i}", position=p, average_open_price=avg)
                     for i, p in enumerate((9, -7, 5, -3), start=1))
    net = SimpleNamespace(**{f.name: getattr(_pnl(avg), f.name) for f in dataclasses.fields(PnlSnapshot)})
    net.position, net.by_account = 4, accounts
    strip.apply(net)
    label = strip.values["average"]
    lines = ["DESK01 +9 @ 110'055", "DESK02 -7 @ 110'055", "+2 more: see the tooltip"]
    assert strip.text("average").split("\n") == lines
    assert all(f"DESK0{i}" in label.toolTip() for i in range(1, 5)) and label.property("small") is True
    net.by_account = accounts[:3]
    strip.apply(net)
    assert len(strip.text("average").split("\n")) == 3 and "more" not in strip.text("average")
    net.by_account = ()
    strip.apply(net)
    assert strip.text("average") == "110'055" and label.property("small") is False
