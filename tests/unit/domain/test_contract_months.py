from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zn_ladder.domain.contract_months import contract_for_expiry, contract_for_month, contract_month, parse_day
from zn_ladder.domain.errors import InputError
from zn_ladder.domain.instruments import product_of_contract

ENGLISH = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
DAYS = st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31))


def test_tt_alias_form():
    assert contract_for_expiry("ZN", dt.date(2025, 9, 19)) == "ZN Sep25"
    assert contract_for_expiry("zf", dt.date(2030, 12, 31)) == "ZF Dec30"
    assert contract_for_month("ZT", 2001, 3) == "ZT Mar01"
    assert contract_for_month("UB", 2100 - 1, 1) == "UB Jan99"
    with pytest.raises(InputError, match="month 13"):
        contract_for_month("ZN", 2025, 13)
    with pytest.raises(InputError, match="year 1999"):
        contract_for_month("ZN", 1999, 12)


@given(day=DAYS, symbol=st.sampled_from(["ZN", "ZF", "ZT", "ZB", "UB", "TN", "Z3N", "SR3"]))
def test_any_day_names_the_contract_of_its_month_and_reads_back(day, symbol):
    contract = contract_for_expiry(symbol, day)
    assert contract_month(contract) == (symbol, day.year, day.month)
    assert contract_month(contract.lower()) == (symbol, day.year, day.month)
    assert product_of_contract(contract).symbol == symbol
    assert contract == f"{symbol} {ENGLISH[day.month - 1]}{day.year - 2000:02d}"
    # Every day of the month names the same contract; the next month's first day another.
    first = day.replace(day=1)
    assert contract_for_expiry(symbol, first) == contract
    following = (first + dt.timedelta(days=31)).replace(day=1)
    if following.year < 2100:
        assert contract_for_expiry(symbol, following) != contract


@given(day=DAYS)
def test_days_in_both_written_forms(day):
    assert parse_day(f"{day:%m/%d/%Y}") == day
    assert parse_day(f"{day.month}/{day.day}/{day.year}") == day
    assert parse_day(day.isoformat()) == day


@pytest.mark.parametrize("text", ["", "13/01/2025", "02/30/2025", "2025/09/19", "Sep 19 2025", "09/19/25"])
def test_not_a_day(text):
    with pytest.raises(InputError, match="is not a date"):
        parse_day(text)


@pytest.mark.parametrize("name", ["ZN", "ZN Sep2025", "ZN Xyz25", "ZN Sep25-ZN Dec25", ""])
def test_names_that_are_not_a_contract_month(name):
    assert contract_month(name) is None
