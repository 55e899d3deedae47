from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zn_ladder.domain.contract_months import contract_for_expiry, parse_day
from zn_ladder.domain.errors import InputError
from zn_ladder.domain.instruments import canonical_contract, contract_month, product_of_contract

ENGLISH = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
DAYS = st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31))


def test_tt_alias_form():
    assert contract_for_expiry("ZN", dt.date(2025, 9, 19)) == "ZN Sep25"
    assert contract_for_expiry("zf", dt.date(2030, 12, 31)) == "ZF Dec30"
    assert contract_for_expiry("ZT", dt.date(2001, 3, 1)) == "ZT Mar01"
    assert contract_for_expiry("UB", dt.date(2099, 1, 31)) == "UB Jan99"
    for outside in (dt.date(1999, 12, 17), dt.date(2100, 3, 19)):
        with pytest.raises(InputError, match=f"{outside.isoformat()} is outside 2000-2099"):
            contract_for_expiry("ZN", outside)


@given(day=DAYS, symbol=st.sampled_from(["ZN", "ZF", "ZT", "ZB", "UB", "TN", "Z3N", "SR3"]))
def test_any_day_names_the_contract_of_its_month_and_reads_back(day, symbol):
    contract = contract_for_expiry(symbol, day)
    assert contract == f"{symbol} {ENGLISH[day.month - 1]}{day.year - 2000:02d}"
    assert contract_month(contract) == (day.year, day.month)
    assert canonical_contract(contract.lower()) == contract
    assert product_of_contract(contract).symbol == symbol
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
