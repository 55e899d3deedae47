from fractions import Fraction

from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.prices import Price
from zn_ladder.ui.ladder.explain import price_tooltip

ZN = get_product("ZN")


def test_price_tooltip_shows_an_off_tick_average_the_way_a_desk_reads_it():
    avg = Price.from_ticks(Fraction(3 * 7073 + 1, 3), ZN)  # 1/3 of a tick above 110'165
    text = price_tooltip(7073, ZN, None, avg)
    assert "Average open price 110'165 (110-16.67)" in text
    assert "3333" not in text  # no run of recurring decimals
