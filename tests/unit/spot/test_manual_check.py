"""A typed spot passes the Pricing Monkey reader's rule before it is used (issue 12 item 7).

Expected verdicts are worked out here from the product's numbers (range, 32nds), not by the code
under test: ZN 110-16 is 110.5; 112-16 is exactly 2 points away; 112-16+ is 2 + 1/64.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.prices import Price
from zn_ladder.spot.manual import check_manual_spot
from zn_ladder.spot.sanity import SpotSanity

ZN = get_product("ZN")
LAST = Price(Fraction(221, 2))  # 110-16


@pytest.mark.parametrize("text, verdict, value", [
    ("110-20", "accept", Fraction(110) + Fraction(20, 32)),
    ("112-16", "accept", Fraction(225, 2)),  # exactly the limit
    ("108'160", "accept", Fraction(217, 2)),
    ("112-16+", "confirm", Fraction(225, 2) + Fraction(1, 64)),  # just past it
    ("108-15.5", "confirm", Fraction(108) + Fraction(31, 64)),
    ("240", "confirm", Fraction(240)),
])
def test_distance_from_the_last_good_spot(text: str, verdict: str, value: Fraction) -> None:
    check = check_manual_spot(text, ZN, LAST)
    assert (check.verdict, check.price) == (verdict, Price(value))
    if verdict == "confirm":
        move = abs(value - LAST.value)
        assert str(float(move)).rstrip("0").rstrip(".") in check.message and "limit is 2 points" in check.message


@pytest.mark.parametrize("text", [str(ZN.max_price + 1), str(ZN.max_price), "-3", str(ZN.min_price), "999", "5"])
def test_outside_the_product_range_is_refused_with_the_expected_form(text: str) -> None:
    check = check_manual_spot(text, ZN, LAST)
    assert check.verdict == "refuse" and check.price is None
    assert "outside the ZN price range" in check.message
    assert f"between {ZN.min_price} and {ZN.max_price}" in check.message
    assert "110'165" in check.message and "110-16+" in check.message  # the forms the desk types


def test_not_a_price_is_refused_with_the_parser_message() -> None:
    check = check_manual_spot("11o-16", ZN, LAST)
    assert check.verdict == "refuse" and "not a valid ZN price" in check.message


def test_the_reader_limit_setting_applies_and_no_reference_means_range_only() -> None:
    tight = SpotSanity(Fraction(1, 2))
    assert check_manual_spot("111-00", ZN, LAST, tight).verdict == "accept"  # 0.5 away
    assert check_manual_spot("111-00+", ZN, LAST, tight).verdict == "confirm"
    assert check_manual_spot("150", ZN, None).verdict == "accept"
    assert check_manual_spot("150", ZN, LAST, SpotSanity(None)).verdict == "accept"
