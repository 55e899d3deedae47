from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.instruments import PRODUCTS, get_product, product_of_contract
from zn_ladder.domain.prices import STYLES, Price, format_price, parse_price, ticks_from_number

ZN = get_product("ZN")


@pytest.mark.parametrize("text", ["110.515625", "110'165", "110-16+", "110-165", "110-16.5", " 110'165 "])
def test_every_form_of_the_same_zn_price(text):
    price = parse_price(text, ZN)
    assert price.value == Fraction(110) + Fraction(33, 64)
    assert price.ticks(ZN) == 7073


@pytest.mark.parametrize(
    "product,text,value",
    [
        ("ZN", "111'075", Fraction(111) + Fraction(15, 64)),
        ("ZN", "110'005", Fraction(110) + Fraction(1, 64)),
        ("ZB", "115'09", Fraction(115) + Fraction(9, 32)),
        ("ZB", "115'090", Fraction(115) + Fraction(9, 32)),
        ("ZT", "104'282", Fraction(104) + Fraction(113, 4 * 32)),
        ("ZF", "108-162", Fraction(108) + Fraction(65, 128)),
        ("ZF", "108-167", Fraction(108) + Fraction(67, 128)),
        ("ZN", "110-08.5", Fraction(110) + Fraction(17, 64)),
        ("ZN", "110-09.00", Fraction(110) + Fraction(9, 32)),
        ("ZT", "104'281", Fraction(104) + Fraction(28 * 8 + 1, 256)),
        ("ZT", "104'288", Fraction(104) + Fraction(28 * 8 + 7, 256)),
    ],
)
def test_desk_forms(product, text, value):
    assert parse_price(text, get_product(product)).value == value


def test_prints_in_the_desks_forms():
    zt, zb = get_product("ZT"), get_product("ZB")
    assert format_price(parse_price("104.8828125", zt), zt, "tt") == "104'282"  # 28.25/32: digit truncated
    assert format_price(parse_price("115.28125", zb), zb, "tt") == "115'09"
    assert format_price(parse_price("115.28125", zb), zb, "cme") == "115-09"
    price = parse_price("110'165", ZN)
    assert [format_price(price, ZN, s) for s in STYLES] == ["110.515625", "110'165", "110-165", "110-16.5"]


def test_spot_between_ticks_is_exact_and_tick_forms_floor():
    spot = parse_price("110-08.75", ZN, spot=True)
    assert not spot.on_tick(ZN)
    assert format_price(spot, ZN, "decimal") == "110.2734375"
    assert format_price(spot, ZN, "tt") == "110'085"
    assert format_price(spot, ZN, "pricing_monkey") == "110-08.75"


@pytest.mark.parametrize("bad", ["", "abc", "110'167", "110'34", "110'164", "110.1", "-110'165", "110''16",
                                 "1e3", "110-16++", "nan"])
def test_bad_order_prices_are_refused_naming_the_input(bad):
    with pytest.raises(InputError) as err:
        parse_price(bad, ZN)
    assert repr(bad) in str(err.value) or bad.strip() == ""
    assert "110'165" in str(err.value)  # names the accepted forms


def test_negative_prices_only_for_spreads():
    assert parse_price("-0'165", ZN, allow_negative=True).value == -Fraction(33, 64)
    assert format_price(Price(-Fraction(33, 64)), ZN, "tt") == "-0'165"


def test_contract_names_map_to_products():
    assert product_of_contract("ZN Sep25") is ZN
    assert product_of_contract("ZB Dec25").symbol == "ZB"
    with pytest.raises(InputError):
        product_of_contract("Junk 123")


def test_decimal_product_is_general():
    sr3 = get_product("SR3")
    assert sr3.tick_value == Fraction(25, 2)
    assert parse_price("96.125", sr3).ticks(sr3) == 19225
    with pytest.raises(InputError):
        parse_price("96.1234", sr3)
    assert ticks_from_number(96.125, sr3) == 19225


def test_tick_values_match_cme_specs():
    expected = {"ZT": "7.8125", "Z3N": "7.8125", "ZF": "7.8125", "ZN": "15.625", "TN": "15.625",
                "ZB": "31.25", "UB": "31.25"}
    assert {s: str(float(PRODUCTS[s].tick_value)) for s in expected} == expected


def test_ticks_from_number_checks_the_tick():
    assert ticks_from_number(110.171875, ZN) == 7051
    assert ticks_from_number("111.28125", ZN) == 7122
    with pytest.raises(InputError):
        ticks_from_number(110.17, ZN)
    with pytest.raises(InputError):
        ticks_from_number("x", ZN)


@st.composite
def product_and_tick(draw):
    product = draw(st.sampled_from(list(PRODUCTS.values())))
    low = int(product.min_price * product.ticks_per_point) + 1
    high = int(product.max_price * product.ticks_per_point) - 1
    return product, draw(st.integers(low, high))


@given(product_and_tick(), st.sampled_from(STYLES))
def test_every_tick_of_every_product_round_trips_in_every_format(pt, style):
    product, ticks = pt
    price = Price.from_ticks(ticks, product)
    text = format_price(price, product, style)
    assert parse_price(text, product) == price


@given(product_and_tick())
def test_ticks_from_float_edge_is_exact(pt):
    product, ticks = pt
    assert ticks_from_number(float(Fraction(ticks, product.ticks_per_point)), product) == ticks
