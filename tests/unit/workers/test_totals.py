"""The total across the contracts open in roll week (`workers.totals`), against sums written here."""

from __future__ import annotations

from fractions import Fraction

import pytest

from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.prices import Price
from zn_ladder.workers.lanes import by_month, is_outright
from zn_ladder.workers.snapshots import AccountPnl, PnlSnapshot
from zn_ladder.workers.totals import total_of

ZN = get_product("ZN")


def part(contract: str, position: int, sod: int, realized: Fraction, unrealized: Fraction,
         fifo: Fraction) -> PnlSnapshot:
    row = AccountPnl("A1", contract, position, sod, realized, fifo, unrealized, realized + unrealized - fifo,
                     realized + unrealized, Price.from_ticks(7000, ZN))
    return PnlSnapshot(position=position, sod_position=sod, realized_lifo=realized, realized_fifo=fifo,
                       unrealized=unrealized, total=realized + unrealized,
                       average_open_price=Price.from_ticks(7000, ZN),
                       risk=position * ZN.tick_value, product=ZN, spot=Price.from_ticks(7010, ZN), by_account=(row,),
                       contract=contract)


def test_one_contract_is_its_own_total() -> None:
    dec = part("ZN Dec26", 5, 2, Fraction(125, 8), Fraction(-250), Fraction(0))
    total = total_of([dec])
    assert (total.position, total.total, total.average_open_price, total.spot) == (5, dec.total, dec.average_open_price,
                                                                                   dec.spot)
    assert total.by_contract == (dec,)


def test_two_months_add_up_and_have_no_common_average() -> None:
    # A calendar spread: long 10 of the front, short 10 of the next month.
    dec = part("ZN Dec26", 10, 4, Fraction(625, 4), Fraction(-1250, 8), Fraction(100))
    mar = part("ZN Mar27", -10, -4, Fraction(-3125, 8), Fraction(500), Fraction(-50))
    total = total_of([dec, mar])
    assert total.position == 0 and total.risk == 0  # the legs net out on the cards; each tab keeps its own
    assert total.sod_position == 0
    assert total.realized_lifo == Fraction(625, 4) + Fraction(-3125, 8)
    assert total.realized_fifo == Fraction(50)
    assert total.unrealized == Fraction(-1250, 8) + 500
    assert total.total == dec.total + mar.total == total.realized_lifo + total.unrealized
    assert total.average_open_price is None and total.contract == ""
    assert total.by_contract == (dec, mar)
    assert [a.contract for a in total.by_account] == ["ZN Dec26", "ZN Mar27"]


def test_a_total_needs_a_contract() -> None:
    with pytest.raises(ValueError):
        total_of([])


def test_ladders_open_for_outright_months_only() -> None:
    assert is_outright("ZN Mar27") and is_outright("ZN Dec26")
    assert not is_outright("ZN Dec26-Mar27") and not is_outright("ZN") and not is_outright("")
    assert by_month(["ZN Mar27", "ZN Dec26", "ZN Sep26", "ZN Dec26"]) == ["ZN Sep26", "ZN Dec26", "ZN Mar27"]
