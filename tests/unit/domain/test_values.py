"""`values`: the one bounded conversion of prices, lots and timestamps (issue 13 §1, §6)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.prices import parse_price, parse_ticks
from zn_ladder.domain.values import (ERA_END_NS, ERA_START_NS, MAX_LOTS, lots, price_ticks, signed_lots,
                                     timestamp_ns)

ZN = get_product("ZN")


@pytest.mark.parametrize("value", ["1_000", "1e2", "0x10", "5.5", "-1", "0", "0.0", "", " ", "nan", "inf", 1e20,
                                   2 ** 64, -3, 0, 5.5, float("nan"), float("inf"), True, None, [1], "1" * 5000,
                                   "١٢", MAX_LOTS + 1, str(MAX_LOTS + 1)])
def test_lots_refuses_what_is_not_a_plain_bounded_whole_number(value):
    with pytest.raises(InputError):
        lots(value)


@pytest.mark.parametrize(("value", "expected"), [("5", 5), ("5.0", 5), (" 10.00 ", 10), (7, 7), (80.0, 80),
                                                 (MAX_LOTS, MAX_LOTS), (str(MAX_LOTS), MAX_LOTS)])
def test_lots_reads_what_the_files_and_tt_write(value, expected):
    assert lots(value) == expected


def test_signed_lots_and_zero():
    assert signed_lots("-3.0") == -3 and signed_lots(0) == 0 and lots(0, allow_zero=True) == 0
    with pytest.raises(InputError):
        signed_lots(-MAX_LOTS - 1)


@pytest.mark.parametrize("value", ["-110.5", "0", "0.0", "5000", "1000", -110.5, 0, 5000, 1e300, 10 ** 400,
                                   "1" * 4400, "110.001", "1e2", "abc", "", True, None, float("nan")])
def test_price_ticks_refuses_off_tick_out_of_range_and_garbage(value):
    with pytest.raises(InputError):
        price_ticks(value, ZN)


@pytest.mark.parametrize("value", ["110.5", 110.5, "110'160", "110-16"])
def test_price_ticks_reads_every_form(value):
    assert price_ticks(value, ZN) == parse_ticks("110'160", ZN)


def test_decimal_only_refuses_tt_text():
    with pytest.raises(InputError, match="not a decimal"):
        price_ticks("110'160", ZN, decimal_only=True)


@pytest.mark.parametrize("value", [0, -1, -5, "0", "-1", ERA_START_NS - 1, ERA_END_NS, 10 ** 30, "1e18", 1.5e30,
                                   "1_746_557_449_648_991_866", "abc"])
def test_timestamps_outside_the_era_are_refused(value):
    with pytest.raises(InputError, match="timestamp|not a"):
        timestamp_ns(value)


def test_a_timestamp_of_today_reads():
    assert timestamp_ns("1746557449648991866") == 1746557449648991866


def test_a_price_of_4400_digits_is_an_input_error_not_a_value_error_from_int():
    with pytest.raises(InputError, match="too long"):
        parse_price("1" * 4400, ZN)


@given(st.one_of(st.text(max_size=60), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
                 st.booleans(), st.none()))
def test_any_value_is_bounded_or_refused(value):
    for convert, low, high in ((lots, 1, MAX_LOTS), (lambda v: price_ticks(v, ZN), 1, 1000 * 64 - 1),
                               (timestamp_ns, ERA_START_NS, ERA_END_NS - 1)):
        try:
            out = convert(value)
        except InputError:
            continue
        assert isinstance(out, int) and low <= out <= high
