"""Fill identity: each execution stored once, across re-imports, batches and sources."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zn_ladder.store.store import Store

from .conftest import make_fill


def test_same_exec_key_twice_counts_once(store_url: str) -> None:
    with Store.open(store_url) as store:
        first = store.ingest([make_fill("e1"), make_fill("e2", t=1)])
        again = store.ingest([make_fill("e1"), make_fill("e2", t=1), make_fill("e3", t=2)])
        assert (first.added, first.duplicate) == (2, 0)
        assert (again.added, again.duplicate, again.skipped) == (1, 2, 0)
        assert [f.key for f in store.fills()] == ["e1", "e2", "e3"]


def test_duplicate_inside_one_batch_counts_once(store_url: str) -> None:
    with Store.open(store_url) as store:
        result = store.ingest([make_fill("e1"), make_fill("e1"), make_fill("e2", t=1)])
        assert (result.added, result.duplicate) == (2, 1)
        assert store.fill_count() == 2


def test_identical_looking_fills_of_one_order_are_both_kept(store_url: str) -> None:
    """Same order, qty, price and time: two executions, told apart by the cumulative qty."""
    a = make_fill("ord-1#1", order_id="ord-1", cum_qty=1, exec_id="", source="audit_trail")
    b = make_fill("ord-1#2", order_id="ord-1", cum_qty=2, exec_id="", source="audit_trail")
    with Store.open(store_url) as store:
        assert store.ingest([a, b]).added == 2
        assert store.ingest([a, b]).duplicate == 2
        assert store.fill_count() == 2


def test_same_execution_from_api_and_audit_trail_counts_once(store_url: str, new_store_url) -> None:
    api = make_fill("EXEC-77", qty=2, price=7010, order_id="ord-9", cum_qty=5, source="tt_api")
    export = make_fill("ord-9#5", qty=2, price=7010, order_id="ord-9", cum_qty=5, exec_id="",
                       source="audit_trail", t=123)
    other = make_fill("ord-9#7", qty=2, price=7010, order_id="ord-9", cum_qty=7, exec_id="",
                      source="audit_trail", t=124)
    with Store.open(store_url) as store:
        assert store.ingest([api], source="tt_api").added == 1
        result = store.ingest([export, other], source="audit_trail")
        assert (result.added, result.duplicate, result.skipped) == (1, 1, 0)
        stored = store.fills()
        assert [(f.key, f.source) for f in stored] == [("EXEC-77", "tt_api"), ("ord-9#7", "audit_trail")]
        assert sum(f.signed_qty for f in stored) == 4
    # the other way round: the export first, then the API
    with Store.open(new_store_url()) as store:
        assert store.ingest([export]).added == 1
        assert store.ingest([api]).duplicate == 1
        assert store.fill_count() == 1


def test_conflicting_execution_is_skipped_with_a_warning_and_audited(store_url: str) -> None:
    api = make_fill("EXEC-1", qty=2, price=7010, order_id="ord-1", cum_qty=2)
    wrong = make_fill("ord-1#2", qty=1, price=7012, order_id="ord-1", cum_qty=2, exec_id="", source="fill_monitor")
    with Store.open(store_url) as store:
        store.ingest([api])
        result = store.ingest([wrong], source="fill_monitor")
        assert (result.added, result.duplicate, result.skipped) == (0, 0, 1)
        assert "EXEC-1" in result.warnings[0] and "ord-1#2" in result.warnings[0]
        entry = store.audit_entries("fill_conflict")[0]
        assert entry.detail["fill"] == "ord-1#2" and entry.detail["stored"] == "EXEC-1"
        assert store.fill_count() == 1


def test_fills_without_cum_qty_never_collide_by_order(store_url: str) -> None:
    with Store.open(store_url) as store:
        result = store.ingest([make_fill("e1", order_id="o"), make_fill("e2", order_id="o")])
        assert result.added == 2


def test_invalid_fills_are_skipped_with_reasons(store_url: str) -> None:
    with Store.open(store_url) as store:
        result = store.ingest([make_fill("ok"), make_fill("", t=1), make_fill("zero", qty=0, t=2),
                               make_fill("noacct", account="", t=3)])
        assert (result.added, result.skipped) == (1, 3)
        assert any("positive whole number" in w for w in result.warnings)
        assert store.fill_count() == 1


def test_result_counts_add_up_on_a_mixed_batch(store_url: str) -> None:
    batch = [make_fill(f"e{i}", t=i) for i in range(100)]
    with Store.open(store_url) as store:
        store.ingest(batch[::2])
        result = store.ingest(batch + [make_fill("", t=1000)])
        assert (result.added, result.duplicate, result.skipped) == (50, 50, 1)
        assert result.added + result.duplicate + result.skipped == 101


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), n=st.integers(1, 25))
def test_any_mix_of_api_and_export_copies_counts_each_execution_once(new_store_url, data, n) -> None:
    """Executions arrive from the API (exec id) and from exports (order id # cum qty), in any subset,
    order and batching: the store holds each execution exactly once."""
    executions = []
    cum: dict[str, int] = {}
    for i in range(n):
        order = f"ord-{data.draw(st.integers(0, 3))}"
        qty = data.draw(st.integers(1, 3))
        cum[order] = cum.get(order, 0) + qty
        executions.append((i, order, qty, cum[order]))
    copies = []
    for i, order, qty, c in executions:
        api = make_fill(f"EX{i}", 1, qty, 7000, i, order_id=order, cum_qty=c)
        export = make_fill(f"{order}#{c}", 1, qty, 7000, i, order_id=order, cum_qty=c, exec_id="",
                           source="audit_trail")
        which = data.draw(st.sampled_from(["api", "export", "both"]))
        copies += [api] if which == "api" else [export] if which == "export" else [api, export]
    copies = data.draw(st.permutations(copies))
    cut = data.draw(st.integers(0, len(copies)))
    with Store.open(new_store_url()) as store:  # a fresh store per example
        first, second = store.ingest(copies[:cut]), store.ingest(copies[cut:])
        assert first.added + second.added == n
        assert first.duplicate + second.duplicate == len(copies) - n
        assert store.fill_count() == n
        assert sum(f.qty for f in store.fills()) == sum(q for _, _, q, _ in executions)


def test_an_export_copy_takes_the_real_time_when_the_api_copy_arrives(store_url: str) -> None:
    """The Audit Trail's clock is mangled (its times are row order): the API's time replaces it."""
    from zn_ladder.store.snapshot import pnl_view

    export = make_fill("ord-1#1", 1, 1, 7000, 0, order_id="ord-1", cum_qty=1, exec_id="", source="audit_trail")
    other = make_fill("EX2", 1, 1, 7004, 50)  # a later buy seen only by the API
    api = make_fill("EX1", 1, 1, 7000, 100, order_id="ord-1", cum_qty=1)  # the export's fill, really at t=100
    sell = make_fill("EX3", -1, 1, 7010, 200)
    with Store.open(store_url) as store:
        store.ingest([export, other, sell])
        # LIFO by the export's fake time: the sell closes the 7004 buy
        assert pnl_view(store.conn, "ZN Sep25", "lifo").open_lots == ((1, 7000),)
        result = store.ingest([api])
        assert (result.duplicate, result.books_recomputed) == (1, 1)
        assert [f.key for f in store.fills()] == ["EX2", "ord-1#1", "EX3"]
        # by the real clock the 7000 buy came last before the sell, so LIFO closes it
        assert pnl_view(store.conn, "ZN Sep25", "lifo").open_lots == ((1, 7004),)
    with Store.open(store_url) as store:
        assert store.audit_entries("matching_repaired") == []


@pytest.mark.parametrize("n", [200, 1500])  # PostgreSQL: one multi-row VALUES, and a COPY (above 20k parameters)
def test_a_large_batch_keeps_arrival_order_and_the_first_copy_of_a_key(store_url: str, n: int) -> None:
    """A big batch goes in as one bulk statement on PostgreSQL: fills at one time stay in arrival order (ids
    follow it), and of two copies of one key in the batch the first is kept, as with one row at a time."""
    keys = [f"k{(i * 37) % n:04d}" for i in range(n)]  # a scrambled, non-sorted arrival order (37 is prime to n)
    batch = [make_fill(k, t=5) for k in keys]
    batch.insert(150, make_fill(keys[10], qty=9, t=5, source="audit_trail"))  # a later copy of the 11th key
    with Store.open(store_url) as store:
        result = store.ingest(batch)
        assert (result.added, result.duplicate) == (n, 1)
        stored = store.fills()
    assert [f.key for f in stored] == keys
    assert (stored[10].qty, stored[10].source) == (1, "tt_api")
