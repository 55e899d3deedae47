from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.records import SodLot
from zn_ladder.domain.sod_accounts import (
    contract_key,
    format_account_map,
    map_sod_accounts,
    parse_account_map,
    sod_for_contract,
)


def test_typed_pairs_and_toml_tables():
    assert parse_account_map("73050502 = 1334000, 73050503=1334001") == {"73050502": "1334000",
                                                                        "73050503": "1334001"}
    assert parse_account_map("73050502=1334000;\n73050504 = DESK_B\n") == {"73050502": "1334000",
                                                                          "73050504": "DESK_B"}
    assert parse_account_map("") == {} and parse_account_map(" , ") == {}
    assert parse_account_map({"73050502": 1334000, 73050503: "1334001"}) == {"73050502": "1334000",
                                                                            "73050503": "1334001"}
    assert parse_account_map({}) == {}
    # Several Actant accounts into one TT account; the same pair twice is harmless.
    assert parse_account_map("1 = T, 2 = T, 1 = T") == {"1": "T", "2": "T"}


@pytest.mark.parametrize(("value", "needle"), [
    ("73050502 1334000", "'73050502 1334000' is not one ACTANT = TT pair"),
    ("1 = 2 = 3", "'1 = 2 = 3' is not one ACTANT = TT pair"),
    ("73050502 = 1334000, = 1334001", "'= 1334001' names no Actant account"),
    ("73050502 =", "'73050502 =' names no TT account"),
    ("1 = A, 1 = B", "Actant account '1' is mapped twice ('A' and 'B')"),
    ({"1": True}, "the TT account must be text or a number"),
    ({"1": "a=b"}, "'a=b' is not an account name"),
    ({"1": ""}, "names no TT account"),
    (["1 = 2"], "expected pairs such as '73050502 = 1334000"),
    ("1 = " + "x" * 65, "is not an account name"),
])
def test_a_bad_entry_is_named(value, needle):
    with pytest.raises(InputError) as err:
        parse_account_map(value)
    assert needle in str(err.value)
    if isinstance(value, str) and "twice" not in needle:
        assert "73050502 = 1334000, 73050503 = 1334001" in str(err.value)  # what to type instead


ACCOUNT = st.text(st.characters(codec="ascii", categories=["L", "N"]) | st.sampled_from("_-. "), min_size=1,
                  max_size=20).map(str.strip).filter(bool)


@given(st.dictionaries(ACCOUNT, ACCOUNT, max_size=8))
def test_the_typed_form_reads_back(mapping):
    text = format_account_map(mapping)
    assert parse_account_map(text) == mapping
    assert parse_account_map(dict(mapping)) == mapping


def lot(account, contract="ZN Sep25", qty=1, date="08/11/2025", market="CME"):
    return SodLot(account, contract, qty, 7000, date, market)


def test_mapped_accounts_take_the_tt_account_unmapped_keep_their_actant_number():
    lots = (lot("73050502", qty=5), lot("73050503", qty=-2), lot("99999999", qty=3))
    mapped = map_sod_accounts(lots, {"73050502": "1334000", "73050503": "1334000"})
    assert [(x.account, x.qty) for x in mapped] == [("1334000", 5), ("1334000", -2), ("99999999", 3)]
    assert [(x.contract, x.price, x.date) for x in mapped] == [(x.contract, x.price, x.date) for x in lots]
    assert map_sod_accounts(lots, {}) == lots
    assert map_sod_accounts(lots, (("99999999", "T9"),))[2].account == "T9"  # the settings' pairs work too


def test_contracts_compare_without_case_or_spacing():
    assert contract_key("zn  sep25") == contract_key("ZN Sep25") != contract_key("ZN Dec25")
    assert contract_key("zn sep25-zn dec25") == contract_key("ZN Sep25-ZN Dec25")  # not an outright: case only
    lots = (lot("A", "ZN Sep25", 1), lot("A", "zn sep25", 2), lot("A", "ZN Dec25", 4), lot("A", "ZN", 8),
            lot("B", "ZN SEP25", 16))
    assert [x.qty for x in sod_for_contract(lots, "zn sep25")] == [1, 2, 16]
    assert [x.qty for x in sod_for_contract(lots, " ZN Sep25 ", "A")] == [1, 2]
    assert [x.qty for x in sod_for_contract(lots, "ZN Dec25", "B")] == []
    assert sod_for_contract(lots, "ZN Mar26") == ()
    # A bare product is not a contract: Actant's rows are named by their expiry month now.
    assert [x.qty for x in sod_for_contract(lots, "ZN")] == [8]


def test_one_market_or_all():
    lots = (lot("A", qty=1), lot("A", qty=2, market="CME_DELAYED"), lot("B", qty=4, market="CME"))
    assert [x.qty for x in sod_for_contract(lots, "ZN Sep25", market="CME")] == [1, 4]
    assert [x.qty for x in sod_for_contract(lots, "ZN Sep25", market="cme_delayed")] == [2]
    assert [x.qty for x in sod_for_contract(lots, "ZN Sep25")] == [1, 2, 4]
    # A trading day picks the latest SOD per account and market: one market's newer SOD hides nothing else.
    dated = (lot("A", qty=1, date="08/08/2025"), lot("A", qty=2, date="08/11/2025", market="CME_DELAYED"))
    assert [x.qty for x in sod_for_contract(dated, "ZN Sep25", trading_day="08/11/2025")] == [1, 2]


def test_the_account_asked_for_is_the_tt_account_after_mapping():
    lots = (lot("73050502", qty=5), lot("73050503", qty=-2), lot("99999999", qty=3), lot("1334000", qty=7))
    pairs = {"73050502": "1334000", "73050503": "1334001"}
    got = sod_for_contract(lots, "ZN Sep25", "1334000", account_map=pairs)
    assert [(x.account, x.qty) for x in got] == [("1334000", 5), ("1334000", 7)]
    assert [x.qty for x in sod_for_contract(lots, "ZN Sep25", "73050502", account_map=pairs)] == []
    assert [x.qty for x in sod_for_contract(lots, "ZN Sep25", "99999999", account_map=pairs)] == [3]
    assert [x.qty for x in sod_for_contract(lots, "ZN Sep25", "73050502")] == [5]  # no map: Actant's own


def test_on_a_trading_day_each_account_starts_from_its_latest_sod_not_after_it():
    lots = (lot("A", qty=1, date="08/08/2025"), lot("A", qty=2, date="2025-08-11"), lot("A", qty=3, date="08/11/2025"),
            lot("A", qty=4, date="08/12/2025"), lot("B", qty=8, date="08/07/2025"), lot("C", qty=16, date=""))
    on = {d: [x.qty for x in sod_for_contract(lots, "ZN Sep25", trading_day=d)]
          for d in ("08/11/2025", "08/12/2025", "08/08/2025", "08/07/2025", "08/06/2025")}
    assert on == {"08/11/2025": [2, 3, 8, 16], "08/12/2025": [4, 8, 16], "08/08/2025": [1, 8, 16],
                  "08/07/2025": [8, 16], "08/06/2025": [16]}
    assert sod_for_contract(lots, "ZN Sep25", trading_day=dt.date(2025, 8, 12)) == \
        sod_for_contract(lots, "ZN Sep25", trading_day=dt.datetime(2025, 8, 12, 6, 59))
    assert [x.qty for x in sod_for_contract(lots, "ZN Sep25")] == [1, 2, 3, 4, 8, 16]  # no day: all, as given
    # Two Actant accounts mapped into one TT account: one book, from the latest SOD of either.
    merged = sod_for_contract(lots, "ZN Sep25", "T", trading_day="08/11/2025", account_map={"A": "T", "B": "T"})
    assert [x.qty for x in merged] == [2, 3]
    with pytest.raises(InputError, match="'yesterday' is not a date"):
        sod_for_contract((lot("A", date="yesterday"),), "ZN Sep25", trading_day="08/11/2025")
