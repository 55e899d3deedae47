"""The positions comparison (app vs TT's netPosition) and the two-poll persistence rule."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zn_ladder.domain.reconcile import (
    PersistentDifferences,
    PositionDifference,
    compare_positions,
    fold_product_books,
    net_positions,
)

A, B = "1334000", "1334001"
DEC, MAR = "ZN Dec26", "ZN Mar27"


def test_equal_positions_give_no_difference() -> None:
    app = {(A, DEC): 5, (B, DEC): -2}
    assert compare_positions(app, dict(app)) == ()


def test_a_difference_names_account_contract_and_both_sides() -> None:
    diffs = compare_positions({(A, DEC): 3, (B, DEC): 1}, {(A, DEC): 5, (B, DEC): 1})
    assert diffs == (PositionDifference(A, DEC, 3, 5),)
    d = diffs[0]
    assert d.gap == -2 and not d.agrees and d.key == (A, DEC)
    with pytest.raises(FrozenInstanceError):
        d.app = 5  # type: ignore[misc]


def test_a_side_missing_counts_as_flat() -> None:
    diffs = compare_positions({(A, DEC): 4}, {(B, MAR): -1, (A, MAR): 0})
    assert diffs == (PositionDifference(A, DEC, 4, 0), PositionDifference(B, MAR, 0, -1))
    # A flat position TT lists and the app has no book for is no difference.
    assert compare_positions({}, {(A, MAR): 0}) == ()


def test_include_agreeing_lists_every_key_sorted() -> None:
    rows = compare_positions({(B, DEC): 2, (A, MAR): 1}, {(B, DEC): 2, (A, DEC): 7}, include_agreeing=True)
    assert [(r.account, r.contract, r.app, r.tt, r.agrees) for r in rows] == [
        (A, DEC, 0, 7, False), (A, MAR, 1, 0, False), (B, DEC, 2, 2, True)]


def test_a_product_wide_book_is_folded_into_the_accounts_contract() -> None:
    # Actant's SOD names the product ("ZN"); its lots are counted in the contract's book already.
    app = {(A, "ZN"): 4, (A, DEC): 6, (B, "ZN"): 2}
    assert fold_product_books(app) == {(A, DEC): 6, (B, "ZN"): 2}
    assert compare_positions(app, {(A, DEC): 6, (B, "ZN"): 2}) == ()


@dataclass(frozen=True)
class _TTPosition:
    account: str
    contract: str
    net_position: int


def test_tt_positions_are_summed_per_account_and_contract() -> None:
    records = [_TTPosition(A, DEC, 3), _TTPosition(A, DEC, 2), _TTPosition(B, DEC, -1), _TTPosition(A, MAR, 0)]
    assert net_positions(records) == {(A, DEC): 5, (B, DEC): -1, (A, MAR): 0}


@given(st.dictionaries(st.tuples(st.sampled_from([A, B]), st.sampled_from([DEC, MAR])), st.integers(-50, 50)),
       st.dictionaries(st.tuples(st.sampled_from([A, B]), st.sampled_from([DEC, MAR])), st.integers(-50, 50)))
def test_differences_are_exactly_the_unequal_keys(app: dict, tt: dict) -> None:
    diffs = compare_positions(app, tt)
    unequal = {k for k in set(app) | set(tt) if app.get(k, 0) != tt.get(k, 0)}
    assert {d.key for d in diffs} == unequal
    assert all(d.app == app.get(d.key, 0) and d.tt == tt.get(d.key, 0) for d in diffs)


D = PositionDifference(A, DEC, 3, 5)


def test_a_difference_shows_only_after_two_consecutive_polls() -> None:
    tracker = PersistentDifferences()
    assert tracker.observe([D], poll=True) == ()
    assert tracker.observe([D], poll=False) == ()  # a store change between polls is no poll
    assert tracker.observe([D], poll=True) == (D,)
    assert tracker.observe([D], poll=True) == (D,)


def test_agreement_at_any_check_forgets_the_difference() -> None:
    tracker = PersistentDifferences()
    tracker.observe([D], poll=True)
    assert tracker.observe([], poll=False) == ()  # the store caught up with TT
    assert tracker.observe([D], poll=True) == ()  # counting starts again
    assert tracker.observe([D], poll=True) == (D,)
    assert tracker.observe([PositionDifference(A, DEC, 5, 5)], poll=False) == ()  # agreeing rows count as none
    assert tracker.observe([D], poll=True) == ()


def test_a_store_change_never_raises_a_difference_on_its_own() -> None:
    tracker = PersistentDifferences()
    for _ in range(5):
        assert tracker.observe([D], poll=False) == ()
    assert tracker.observe([D], poll=True) == ()
    assert tracker.observe([D], poll=True) == (D,)


def test_lag_that_moves_the_gap_is_not_flagged_but_a_steady_gap_is() -> None:
    tracker = PersistentDifferences()
    assert tracker.observe([PositionDifference(A, DEC, 4, 5)], poll=True) == ()
    assert tracker.observe([PositionDifference(A, DEC, 6, 8)], poll=True) == ()  # gap -1 then -2: lag
    steady = PositionDifference(A, DEC, 9, 11)
    assert tracker.observe([steady], poll=True) == (steady,)  # -2 twice in a row


def test_a_shown_difference_carries_the_latest_values_and_keeps_others_apart() -> None:
    tracker = PersistentDifferences()
    other = PositionDifference(B, DEC, 0, -1)
    tracker.observe([D], poll=True)
    assert tracker.observe([D, other], poll=True) == (D,)
    moved = PositionDifference(A, DEC, 4, 6)  # a store change with the same gap
    assert tracker.observe([moved, other], poll=False) == (moved,)
    assert tracker.observe([moved, other], poll=True) == (moved, other)
    tracker.reset()
    assert tracker.observe([moved, other], poll=True) == ()


def test_polls_needed_is_configurable() -> None:
    tracker = PersistentDifferences(polls_needed=3)
    assert tracker.observe([D], poll=True) == ()
    assert tracker.observe([D], poll=True) == ()
    assert tracker.observe([D], poll=True) == (D,)
