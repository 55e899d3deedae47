from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.prices import parse_ticks
from zn_ladder.importers.actant_sod import read_actant_sod

from .conftest import FIXTURES

ZN = get_product("ZN")
SAMPLE = FIXTURES / "actant_sod_sample.csv"
HEADER = ("ACCOUNT,UNDERLYING,ASSET,RUN_DATE,PRODUCT_CODE,LONG_SHORT,PUT_CALL,STRIKE_PRICE,QUANTITY,EXPIRE_DATE,"
          "LOT_SIZE,PRICE_TODAY,IS_AMERICAN")


def actant(write, *rows: str) -> object:
    return read_actant_sod(write("sod.csv", "\n".join([HEADER, *rows, "", ""])))


def test_the_sample_is_for_an_expired_contract_and_nothing_is_applied():
    # Run 08/11/2022, both rows expire 06/17/2022 (ZN Jun22): expired on the file's trading day.
    result = read_actant_sod(SAMPLE)
    assert result.rows == 2  # the four trailing blank lines are not rows
    assert result.sod == ()
    assert [w.row for w in result.warnings] == [2, 3]
    for warning in result.warnings:
        assert all(part in str(warning) for part in ("ZN Jun22", "2022-06-17", "2022-08-11", "expired",
                                                     "not applied", "73050502"))
    assert str(result.warnings[0]).startswith("row 2: ")


def test_a_row_belongs_to_the_contract_of_its_expiry_month(write):
    # The sample's rows, dated so the contract is live: long 1 ZN Sep25; the zero row warned.
    result = actant(write, "73050502,ZN,ZN,08/11/2025,FUTURE,L,,,1.0,09/19/2025,50.0,111'280,",
                    "73050502,ZN,ZN,08/11/2025,FUTURE,L,,,0.0,09/19/2025,50.0,110'080,")
    assert [(lot.account, lot.contract, lot.qty, lot.price, lot.date) for lot in result.sod] == [
        ("73050502", "ZN Sep25", 1, parse_ticks("111'280", ZN), "08/11/2025")]
    assert [w.row for w in result.warnings] == [3]
    assert "zero quantity for ZN Sep25" in result.warnings[0].reason


def test_months_years_aliases_and_the_expiry_day_itself(write):
    result = actant(write,
                    "A1,ZN,ZN,12/01/2025,FUTURE,L,,,2.0,12/19/2025,50.0,111'280,",   # 2: ZN Dec25
                    "A1,ZN,ZN,12/01/2025,FUTURE,S,,,1.0,3/20/2026,50.0,111'280,",    # 3: ZN Mar26 (M/D/YYYY)
                    "A2,TY,TY,12/19/2025,FUTURE,L,,,4.0,12/19/2025,50.0,111'280,",   # 4: TY is ZN; expires today
                    "A2,ZF,ZF,2025-12-01,FUTURE,L,,,1.0,2025-12-31,50.0,108'072,")   # 5: ISO dates
    assert [(lot.account, lot.contract, lot.qty) for lot in result.sod] == [
        ("A1", "ZN Dec25", 2), ("A1", "ZN Mar26", -1), ("A2", "ZN Dec25", 4), ("A2", "ZF Dec25", 1)]
    assert result.warnings == ()


def test_rows_without_a_usable_expiry_or_trading_day_are_not_applied(write):
    result = actant(write,
                    "A1,ZN,ZN,08/11/2025,FUTURE,L,,,1.0,,50.0,111'280,",             # 2: no EXPIRE_DATE
                    "A1,ZN,ZN,08/11/2025,FUTURE,L,,,1.0,13/19/2025,50.0,111'280,",   # 3: month 13
                    "A1,ZN,ZN,08/11/2025,FUTURE,L,,,1.0,Sep 2025,50.0,111'280,",     # 4: not a date
                    "A1,ZN,ZN,,FUTURE,L,,,1.0,09/19/2025,50.0,111'280,",             # 5: no RUN_DATE
                    "A1,ZN,ZN,08/11/2025,FUTURE,L,,,1.0,09/19/2025,50.0,111'280,",   # 6: fine
                    "A1,ZN,ZN,08/11/2025,FUTURE,L,,,1.0,09/19/2125,50.0,111'280,")   # 7: no two-digit year
    assert [(lot.contract, lot.qty) for lot in result.sod] == [("ZN Sep25", 1)]
    assert [w.row for w in result.warnings] == [2, 3, 4, 5, 7]
    assert all("not applied" in w.reason for w in result.warnings)
    assert all("EXPIRE_DATE" in w.reason for w in (*result.warnings[:3], result.warnings[4]))
    assert "'13/19/2025'" in result.warnings[1].reason and "'Sep 2025'" in result.warnings[2].reason
    assert "RUN_DATE" in result.warnings[3].reason and "ZN Sep25" in result.warnings[3].reason
    assert "2125-09-19 is outside 2000-2099" in result.warnings[4].reason


def test_short_lots_options_and_bad_rows(write):
    result = actant(write,
                    "A1,ZF,ZF,08/11/2025,FUTURE,S,,,3.0,09/30/2025,50.0,108'072,",     # 2: short 3 ZF @ 108 7.25/32
                    "A1,ZN,ZN,08/11/2025,OPTION,L,C,112.0,2.0,08/22/2025,50.0,0'320,",  # 3: an option
                    "A1,ZN,ZN,08/11/2025,FUTURE,X,,,1.0,09/19/2025,50.0,111'280,",     # 4: neither L nor S
                    "A1,ZN,ZN,08/11/2025,FUTURE,L,,,1.0,09/19/2025,50.0,111'281,",     # 5: off the ZN tick
                    "A1,CL,CL,08/11/2025,FUTURE,L,,,1.0,09/19/2025,50.0,75.2,",        # 6: not a Treasury product
                    "A1,ZN,ZN,08/11/2025,FUTURE,L,,,1.0,06/20/2025,50.0,111'280,")     # 7: ZN Jun25, expired
    assert [(lot.contract, lot.qty, lot.price) for lot in result.sod] == [
        ("ZF Sep25", -3, parse_ticks("108'072", get_product("ZF")))]
    assert [w.row for w in result.warnings] == [3, 4, 5, 6, 7]
    assert "option" in result.warnings[0].reason
    assert "CL" in result.warnings[3].reason
    assert result.warnings[4].reason == ("ZN Jun25 of account 'A1' expired on 2025-06-20, before the trading day "
                                         "2025-08-11: not applied")


@settings(max_examples=200, deadline=None)
@given(run=st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)),
       expiry=st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)),
       symbol=st.sampled_from(["ZN", "ZF", "ZT", "ZB", "UB", "TN"]))
def test_any_expiry_date_names_its_month_and_applies_only_until_it_expires(tmp_path_factory, run, expiry, symbol):
    path = tmp_path_factory.mktemp("sod") / "sod.csv"
    path.write_text("\n".join([HEADER, f"A,{symbol},{symbol},{run:%m/%d/%Y},FUTURE,L,,,1.0,{expiry:%m/%d/%Y},"
                                       f"50.0,110'000,"]))
    result = read_actant_sod(path)
    month = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")[expiry.month - 1]
    contract = f"{symbol} {month}{expiry.year % 100:02d}"
    if expiry >= run:
        assert [lot.contract for lot in result.sod] == [contract] and result.warnings == ()
    else:
        assert result.sod == () and len(result.warnings) == 1
        assert contract in result.warnings[0].reason and run.isoformat() in result.warnings[0].reason


def test_other_kinds_are_refused():
    with pytest.raises(InputError, match="not an Actant SOD CSV"):
        read_actant_sod(FIXTURES / "tt_fills_widget_copy_sample.csv")


def test_a_desk_file_through_the_account_map_to_one_contracts_books(write):
    # Front month (Dec25) and next (Mar26) for a mapped and an unmapped Actant account; a rolled-off Sep25 row.
    from zn_ladder.domain.sod_accounts import parse_account_map, sod_for_contract

    result = actant(write,
                    "73050502,ZN,ZN,12/01/2025,FUTURE,L,,,5.0,12/19/2025,50.0,111'280,",
                    "73050502,ZN,ZN,12/01/2025,FUTURE,S,,,2.0,03/20/2026,50.0,111'100,",
                    "73050599,ZN,ZN,12/01/2025,FUTURE,S,,,3.0,12/19/2025,50.0,111'000,",
                    "73050502,ZN,ZN,12/01/2025,FUTURE,L,,,9.0,09/19/2025,50.0,111'000,")
    assert [w.row for w in result.warnings] == [5] and "ZN Sep25" in result.warnings[0].reason
    pairs = parse_account_map("73050502 = 1334000")
    dec = sod_for_contract(result.sod, "zn dec25", account_map=pairs, trading_day="12/01/2025")
    assert [(lot.account, lot.contract, lot.qty) for lot in dec] == [("1334000", "ZN Dec25", 5),
                                                                     ("73050599", "ZN Dec25", -3)]
    mar = sod_for_contract(result.sod, "ZN Mar26", "1334000", account_map=pairs)
    assert [(lot.account, lot.qty) for lot in mar] == [("1334000", -2)]
    assert sod_for_contract(result.sod, "ZN Sep25", account_map=pairs) == ()
