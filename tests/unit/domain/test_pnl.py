"""The ladder's base P0/B0 from the day's books (DESIGN §3.4): by hand, method-independence, end to end.

ZN: one tick = 1/64 point = $15.625; 110'080 = 110.25 = tick 7056.
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.ladder import project_ladder
from zn_ladder.domain.lots import LotBook, match_fills
from zn_ladder.domain.pnl import base_pnl, base_position, ladder_base, ladder_base_from_fills
from zn_ladder.domain.prices import Price, parse_price, parse_ticks
from zn_ladder.domain.records import Fill, OrderType, Side, SodLot, WorkingOrder

ZN = get_product("ZN")
TV = ZN.tick_value


def test_base_by_hand():
    # SOD long 2 at 110'080; today sold 1 at 110'100; spot 110'090.
    sod = [SodLot("A1", "ZN Sep25", 2, parse_ticks("110'080", ZN))]
    fills = [Fill("e1", "A1", "ZN Sep25", Side.SELL, 1, parse_ticks("110'100", ZN), 1)]
    spot = parse_price("110'090", ZN)
    book = LotBook(ZN, "lifo", sod)
    book.apply(fills[0])
    # Realized: 1 x (110'100 - 110'080) = 2/32 = 4 ticks = $62.50.
    # Open 1 lot from 110'080 marked at 110'090 = 1/32 = 2 ticks = $31.25.  B0 = $93.75, P0 = 1.
    assert base_pnl(book, spot) == Fraction(9375, 100)
    assert base_position(book) == 1
    base = ladder_base_from_fills(fills, ZN, spot, sod=sod)
    assert (base.position, base.pnl, base.realized, base.unrealized) == (1, Fraction(375, 4), Fraction(125, 2),
                                                                       Fraction(125, 4))


def test_base_is_the_same_for_lifo_and_fifo_and_sums_accounts():
    fills = [Fill("e1", "A1", "ZN Sep25", Side.BUY, 1, 7040, 1), Fill("e2", "A1", "ZN Sep25", Side.BUY, 1, 7044, 2),
             Fill("e3", "A1", "ZN Sep25", Side.SELL, 1, 7046, 3), Fill("e4", "A2", "ZN Sep25", Side.SELL, 3, 7050, 4)]
    spot = parse_price("110-00.75", ZN, spot=True)  # tick 7041.5: between ticks
    lifo = ladder_base_from_fills(fills, ZN, spot, method="lifo")
    fifo = ladder_base_from_fills(fills, ZN, spot, method="fifo")
    assert lifo.pnl == fifo.pnl and lifo.realized != fifo.realized
    # A1: cash -7040 - 7044 + 7046 + 1 x 7041.5 = 3.5 ticks; A2: +3 x 7050 - 3 x 7041.5 = 25.5 ticks.
    assert lifo.pnl == (Fraction(7, 2) + Fraction(51, 2)) * TV
    assert lifo.position == 1 - 3
    only_a2 = ladder_base_from_fills(fills, ZN, spot, account="A2")
    assert (only_a2.position, only_a2.pnl) == (-3, Fraction(51, 2) * TV)
    books = match_fills(fills, ZN, "fifo")
    assert base_pnl(books, spot) == base_pnl(list(books.values()), spot) == fifo.pnl
    assert ladder_base({}, spot).pnl == 0


def test_ladder_spot_row_carries_the_base():
    sod = [SodLot("A1", "ZN Sep25", 2, parse_ticks("110'080", ZN))]
    spot = parse_price("110'090", ZN)
    base = ladder_base_from_fills([], ZN, spot, sod=sod)
    s = parse_ticks("110'090", ZN)
    orders = [WorkingOrder("b", "A1", "ZN Sep25", Side.BUY, OrderType.LIMIT, s - 2, 2)]
    ladder = project_ladder(ZN, spot, base.position, base.pnl, orders, padding=2)
    # Long 2 from 110'080 marked at 110'090 = 2 x 2 ticks = $62.50 at the spot row.
    assert ladder.row_at(s).projected_pnl == base.pnl == 4 * TV
    # Two ticks down long 2 = -4 ticks: the row is worth exactly what the lots are worth marked there.
    assert ladder.row_at(s - 2).projected_pnl == 0 and ladder.row_at(s - 2).position == 4


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.integers(1, 9), st.integers(-20, 20)), max_size=30),
       st.integers(-20, 20), st.integers(-6, 6))
def test_ladder_pnl_equals_books_marked_at_each_level(stream, spot_offset, move):
    """With no orders, the ladder's P&L at level L equals base_pnl of the same books marked at L."""
    fills = [Fill(f"e{i}", "A", "ZN Sep25", Side.BUY if b else Side.SELL, q, 7040 + dp, i)
             for i, (b, q, dp) in enumerate(stream)]
    books = match_fills(fills, ZN, "lifo")
    spot = Price.from_ticks(7040 + spot_offset, ZN)
    ladder = project_ladder(ZN, spot, base_position(books), base_pnl(books, spot), [], padding=6)
    level = 7040 + spot_offset + move
    assert ladder.row_at(level).projected_pnl == base_pnl(books, Price.from_ticks(level, ZN))
