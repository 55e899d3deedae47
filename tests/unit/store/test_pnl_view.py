from fractions import Fraction

from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.prices import Price
from zn_ladder.store.snapshot import PnlView

ZN = get_product("ZN")


def view(lots, position):
    return PnlView(contract="ZN Dec26", account=None, method="lifo", product=ZN, position=position,
                   realized=Fraction(0), fills=len(lots), open_lots=tuple(lots))


def test_average_of_one_sided_lots():
    v = view([(2, 7000), (1, 7003)], 3)
    assert v.average_open_price == Price.from_ticks(Fraction(7001), ZN)


def test_accounts_on_both_sides_give_the_net_breakeven():
    # Account A long 3 @ 7000 ticks, account B short 1 @ 7004: net +2, breakeven (3*7000 - 7004) / 2 = 6998.
    v = view([(3, 7000), (-1, 7004)], 2)
    avg = v.average_open_price
    assert avg == Price.from_ticks(6998, ZN)
    assert v.unrealized(avg) == 0


def test_flat_has_no_average():
    assert view([(1, 7000), (-1, 7004)], 0).average_open_price is None
