from __future__ import annotations

from fractions import Fraction

import pytest

from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.prices import Price
from zn_ladder.spot.errors import SpotValueError
from zn_ladder.spot.sanity import SpotSanity

ZN = get_product("ZN")
MID = Price(Fraction(110) + Fraction(33, 64))  # 110-16.5


@pytest.mark.parametrize("raw", ["110-16.5", "110-16+", "110'165", "110-165", "110.515625", " 110-16.50\n",
                                 "110\u201916" "5", "\u00a0110-16.5\u00a0"])
def test_every_form_of_the_same_price_is_read(raw):
    assert SpotSanity().check(raw, ZN, None) == MID


def test_a_pricing_monkey_mid_between_ticks_is_a_valid_spot():
    assert SpotSanity().check("110-16.75", ZN, MID).value == 110 + Fraction(16.75) / 32


@pytest.mark.parametrize("raw", ["", "#N/A", "loading...", "110-33.0", "-110-16.5", "1e3"])
def test_not_a_price_is_refused_naming_the_text(raw):
    with pytest.raises(SpotValueError) as info:
        SpotSanity().check(raw, ZN, None, where="cell X")
    assert str(info.value).startswith(f"cell X read {raw!r}, which is not a usable price")
    assert info.value.raw == raw


def test_move_beyond_the_limit_is_refused_with_both_values():
    with pytest.raises(SpotValueError) as info:
        SpotSanity().check("112-17.0", ZN, MID)
    message = str(info.value)
    assert "'112-17.0'" in message and "112'170" in message and "110'165" in message
    assert "2.015625 points" in message and "limit is 2 points" in message


def test_move_at_the_limit_is_accepted_and_the_limit_is_configurable():
    assert SpotSanity().check("112-16.5", ZN, MID) == Price(MID.value + 2)
    assert SpotSanity().check("108-16.5", ZN, MID) == Price(MID.value - 2)
    with pytest.raises(SpotValueError):
        SpotSanity(max_move_points=Fraction(1, 2)).check("111-01.0", ZN, MID)
    assert SpotSanity(max_move_points=None).check("130-00", ZN, MID).value == 130
