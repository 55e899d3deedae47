"""`domain.identity.Executions`: the rule the store's unique index enforces, for the CLI's file merges."""

from __future__ import annotations

from zn_ladder.domain.identity import Executions


def test_a_spreads_two_legs_are_two_executions_and_a_copy_of_one_is_not() -> None:
    seen = Executions()
    # Both legs carry the spread order's id and cum qty; they differ by contract.
    assert seen.add("LEG-DEC", "spread-1", 5, "ZN Dec26")
    assert seen.add("LEG-MAR", "spread-1", 5, "ZN Mar27")
    # The same Mar27 leg from an export keyed otherwise: the same execution.
    assert not seen.add("spread-1#5", "spread-1", 5, "ZN Mar27")
    assert not seen.add("LEG-DEC", "", 0, "ZN Dec26")  # the same key again
    assert seen.add("other#5", "other", 5, "ZN Mar27")
