from __future__ import annotations

import pytest

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.prices import parse_ticks
from zn_ladder.importers.actant_sod import read_actant_sod

from .conftest import FIXTURES

ZN = get_product("ZN")
SAMPLE = FIXTURES / "actant_sod_sample.csv"


def test_sample_one_long_lot_zero_row_warned_blank_lines_ignored():
    result = read_actant_sod(SAMPLE)
    assert result.rows == 2  # the four trailing blank lines are not rows
    assert [(lot.account, lot.contract, lot.qty, lot.price, lot.date) for lot in result.sod] == [
        ("73050502", "ZN", 1, parse_ticks("111'280", ZN), "08/11/2022")]
    assert [w.row for w in result.warnings] == [3]
    assert "zero quantity" in result.warnings[0].reason


def test_short_lots_options_and_bad_rows(fixture_text, write):
    header = fixture_text("actant_sod_sample.csv").splitlines()[0]
    rows = [
        "A1,ZF,ZF,08/11/2022,FUTURE,S,,,3.0,06/30/2022,50.0,108'072,",     # 2: short 3 ZF @ 108 7.25/32
        "A1,ZN,ZN,08/11/2022,OPTION,L,C,112.0,2.0,06/17/2022,50.0,0'320,",  # 3: an option
        "A1,ZN,ZN,08/11/2022,FUTURE,X,,,1.0,06/17/2022,50.0,111'280,",     # 4: neither L nor S
        "A1,ZN,ZN,08/11/2022,FUTURE,L,,,1.0,06/17/2022,50.0,111'281,",     # 5: off the ZN tick
        "A1,CL,CL,08/11/2022,FUTURE,L,,,1.0,06/17/2022,50.0,75.2,",        # 6: not a Treasury product
    ]
    result = read_actant_sod(write("sod.csv", "\n".join([header, *rows, "", ""])))
    assert [(lot.contract, lot.qty, lot.price) for lot in result.sod] == [
        ("ZF", -3, parse_ticks("108'072", get_product("ZF")))]
    assert [w.row for w in result.warnings] == [3, 4, 5, 6]
    assert "option" in result.warnings[0].reason
    assert "CL" in result.warnings[3].reason


def test_other_kinds_are_refused():
    with pytest.raises(InputError, match="not an Actant SOD CSV"):
        read_actant_sod(FIXTURES / "tt_fills_widget_copy_sample.csv")
