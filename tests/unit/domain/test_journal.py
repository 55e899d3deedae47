"""The realized P&L journal (issue 15 §1): by hand, and against a contract-by-contract model.

ZN: one tick = 1/64 point = $15.625. Prices are ticks.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.journal_model import model_journal, model_realized
from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.journal import JournalBook, journal
from zn_ladder.domain.lots import LotBook, match_fills
from zn_ladder.domain.records import Fill, Side, SodLot

ZN = get_product("ZN")
TV = ZN.tick_value


def row(e) -> tuple:
    return (e.account, e.market, e.contract, e.method, e.time_ns, e.open_key, e.open_time_ns, e.open_qty,
            e.open_price, e.close_key, e.close_qty, e.close_price, e.matched_qty, e.realized_ticks,
            e.cumulative_ticks)


def F(key, side, qty, price, t, account="A", contract="ZN Sep25", market="CME") -> Fill:
    return Fill(key, account, contract, side, qty, price, t, market=market)


FILLS = [F("a", Side.BUY, 3, 100, 1), F("b", Side.BUY, 2, 104, 2), F("c", Side.SELL, 4, 110, 3),
         F("d", Side.SELL, 3, 90, 4)]
SOD = [SodLot("A", "ZN Sep25", 1, 96, "2025-07-01")]


def test_lifo_by_hand():
    # Long 1 (SOD @96), +3 @100 (a), +2 @104 (b). c sells 4 @110: LIFO takes b's 2 (+6 ticks each = 12),
    # then 2 of a's 3 (+10 each = 20). d sells 3 @90: a's last 1 (-10), the SOD lot (-6), opens 1 short.
    e = journal(FILLS, ZN, "lifo", SOD)
    assert [(x.open_key, x.close_key, x.matched_qty, x.realized_ticks, x.cumulative_ticks) for x in e] == [
        ("b", "c", 2, 12, 12), ("a", "c", 2, 20, 32), ("a", "d", 1, -10, 22), ("SOD 2025-07-01", "d", 1, -6, 16)]
    assert e[0].open_qty == 2 and e[0].close_qty == -4 and e[0].open_price == 104 and e[0].close_price == 110
    assert e[0].time_ns == 3 and e[0].open_time_ns == 2 and e[3].open_time_ns == 0
    assert e[1].realized == 20 * TV == Fraction(625, 2) and e[3].cumulative_realized == 16 * TV == 250
    assert {x.method for x in e} == {"lifo"}


def test_fifo_by_hand():
    # FIFO: c takes the SOD lot (+14) then 3 of a (+10 each = 30); d takes b's 2 (-14 each = -28).
    e = journal(FILLS, ZN, "fifo", SOD)
    assert [(x.open_key, x.close_key, x.matched_qty, x.realized_ticks, x.cumulative_ticks) for x in e] == [
        ("SOD 2025-07-01", "c", 1, 14, 14), ("a", "c", 3, 30, 44), ("b", "d", 2, -28, 16)]


def test_opening_only_fills_and_other_products_make_no_rows():
    fills = [F("a", Side.BUY, 1, 100, 1), F("z", Side.SELL, 1, 90, 2, contract="ZB Sep25"),
             F("u", Side.SELL, 1, 90, 3, contract="QQ Sep25")]
    assert journal(fills, ZN, "lifo") == []


def test_a_book_needs_its_recorder():
    with pytest.raises(ValueError, match="record=True"):
        JournalBook(("A", "CME", "ZN Sep25"), LotBook(ZN, "lifo"))


CONTRACTS = ["ZN Sep25", "ZN Dec25", "ZB Sep25"]


@st.composite
def days(draw):
    n = draw(st.integers(0, 60))
    fills = []
    for i in range(n):
        key = draw(st.sampled_from([f"k{i}", f"k{i}", f"k{i}", "dup"]))  # a repeated key counts once per book
        fills.append(F(key, draw(st.sampled_from([Side.BUY, Side.SELL])), draw(st.integers(1, 12)),
                       draw(st.integers(90, 110)), 10 + i, account=draw(st.sampled_from(["A", "B"])),
                       contract=draw(st.sampled_from(CONTRACTS)), market=draw(st.sampled_from(["CME", "CME", "X"]))))
    sod = [SodLot(draw(st.sampled_from(["A", "B"])), draw(st.sampled_from(CONTRACTS)), draw(st.integers(-8, 8)) or 1,
                  draw(st.integers(90, 110)), draw(st.sampled_from(["2025-07-01", ""])))
           for _ in range(draw(st.integers(0, 4)))]
    return fills, sod


@settings(max_examples=300, deadline=None)
@given(days(), st.sampled_from(["lifo", "fifo"]))
def test_journal_equals_a_unit_by_unit_model_and_the_books(day, method):
    fills, sod = day
    entries = journal(fills, ZN, method, sod)
    model = model_journal(fills, method, sod, contracts=("ZN Sep25", "ZN Dec25"))
    assert [row(e) for e in entries] == model
    assert all(e.realized == e.realized_ticks * TV and e.cumulative_realized == e.cumulative_ticks * TV
               for e in entries)
    # The journal of a book sums to the book's realized P&L, and its last cumulative figure is that.
    books = match_fills(fills, ZN, method, sod)
    sums = model_realized(model)
    for key, book in books.items():
        assert sums.get(key, 0) == book.realized_ticks
        last = [e for e in entries if (e.account, e.market, e.contract) == key][-1:]
        assert (last[0].cumulative_realized if last else 0) == book.realized
