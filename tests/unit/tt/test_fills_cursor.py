import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zn_ladder.domain.errors import InputError
from zn_ladder.tt.fills_cursor import MAX_HOLDS, FillCursor


def poll(history, cursor, upto):
    """What TT's inclusive minTimestamp query returns when `upto` records are published, and what a
    client that dedupes with the cursor delivers."""
    answer = [r for r in history[:upto] if r[0] >= cursor.min_timestamp]
    new = [r for r in answer if not cursor.is_seen(*r)]
    return new, cursor.advance(new)


def test_boundary_fill_returned_again_is_dropped_and_a_same_time_newcomer_kept():
    c = FillCursor()
    c = c.advance([(10, "a"), (20, "b")])
    assert c.min_timestamp == 20 and c.is_seen(20, "b") and not c.is_seen(10, "a")
    # TT returns b again and a new fill c with the same timestamp
    assert not c.is_seen(20, "c")
    c2 = c.advance([(20, "c")])
    assert c2.min_timestamp == 20 and c2.seen == {(20, "b"), (20, "c")}
    c3 = c2.advance([(30, "d")])
    assert c3.seen == {(30, "d")}


def test_empty_poll_keeps_the_cursor():
    c = FillCursor.starting_at(100).advance([(100, "x")])
    assert c.advance([]) == c


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 6), min_size=0, max_size=40), st.lists(st.integers(0, 40), max_size=8))
def test_every_record_delivered_exactly_once_whatever_the_poll_points(gaps, cuts):
    t, history = 1000, []
    for i, gap in enumerate(gaps):
        t += gap  # gap 0: several executions share a timestamp
        history.append((t, f"e{i}"))
    delivered, cursor = [], FillCursor()
    for upto in sorted(cuts) + [len(history)]:
        new, cursor = poll(history, cursor, upto)
        delivered.extend(new)
        # a restart between polls: the persisted cursor is all that survives
        cursor = FillCursor.from_json(cursor.to_json())
    assert delivered == history


def test_hold_keeps_the_cursor_on_an_unreadable_record_then_gives_up():
    c = FillCursor().advance([(10, "a")])
    held = c.advance([(30, "c")], hold_at=20)
    assert held.min_timestamp == 20 and held.is_seen(30, "c") and held.holds == 1
    for _ in range(MAX_HOLDS - 1):
        held = held.advance([], hold_at=20)
    assert held.should_give_up
    moved = held.advance([(20, "b")])
    assert moved.min_timestamp == 30 and moved.holds == 0 and not moved.should_give_up


def test_cursor_round_trips_through_json_and_dict():
    c = FillCursor(123, frozenset({(123, "x"), (123, "tt:o:5")}), 1)
    assert FillCursor.from_json(c.to_json()) == c
    assert FillCursor.from_dict(c.to_dict()) == c


@pytest.mark.parametrize("bad", ["", "{", "[]", '{"v": 99, "min_timestamp": 1}', '{"v": 1}'])
def test_unreadable_saved_cursor_is_a_clear_error(bad):
    with pytest.raises(InputError, match="fills cursor"):
        FillCursor.from_json(bad)
