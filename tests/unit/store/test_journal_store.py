"""The store's realized P&L journal (issue 15 §1): written with the books, rebuilt on busts and
corrections, always equal to `domain.journal.journal` over the live fills AND to a contract-by-contract
model written in the tests (tests/journal_model.py), whose sums are the books' realized P&L."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.journal_model import model_journal, model_realized
from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.journal import journal
from zn_ladder.domain.lots import apply_corrections
from zn_ladder.domain.records import CorrectionKind, FillCorrection, SodLot
from zn_ladder.store import journal as stored_journal
from zn_ladder.store import matching
from zn_ladder.store.store import Store

from .conftest import T0, make_fill, raw_conn

ZN = get_product("ZN")
TV = ZN.tick_value


def row(e) -> tuple:
    return (e.account, e.market, e.contract, e.method, e.time_ns, e.open_key, e.open_time_ns, e.open_qty,
            e.open_price, e.close_key, e.close_qty, e.close_price, e.matched_qty, e.realized_ticks,
            e.cumulative_ticks)


def by_book(rows) -> dict[tuple, list[tuple]]:
    out: dict[tuple, list[tuple]] = {}
    for r in rows:
        out.setdefault(r[:3], []).append(r)
    return out


def live(fills, corrections):
    """The store's definition of a book's fills: first arrival of a key, in (time, arrival) order,
    busts and corrections applied."""
    seen, first = set(), []
    for i, f in enumerate(fills):
        if f.key not in seen:
            seen.add(f.key)
            first.append((i, f))
    ordered = [f for _, f in sorted(first, key=lambda p: (p[1].time_ns, p[0]))]
    return apply_corrections(ordered, corrections)


def assert_journal(store: Store, fills, corrections, sod=()) -> None:
    fills_now = live(fills, corrections)
    books = {(b.account, b.market, b.contract, b.method): b for b in matching.stored_books(store.conn)}
    for method in ("lifo", "fifo"):
        stored = [row(e) for e in stored_journal.read(store.conn, method=method)]
        recomputed = [row(e) for e in journal(fills_now, ZN, method, sod)]
        model = model_journal(fills_now, method, sod)
        assert by_book(stored) == by_book(recomputed) == by_book(model)
        # The cumulative figure ends at the book's realized P&L, and the rows sum to it.
        sums = model_realized(model)
        for (account, market, contract, m), book in books.items():
            if m != method:
                continue
            rows = by_book(stored).get((account, market, contract), [])
            assert sums.get((account, market, contract), 0) == book.realized_units
            assert (rows[-1][14] if rows else 0) == book.realized_units


fill_streams = st.lists(
    st.tuples(st.sampled_from([1, -1]), st.integers(1, 6), st.integers(6990, 7010), st.integers(0, 40),
              st.sampled_from(["A1", "A2"]), st.integers(0, 99), st.sampled_from(["ZN Sep25", "ZN Dec25"])),
    min_size=1, max_size=50)
steps = st.lists(st.tuples(st.integers(0, 50), st.sampled_from(["fills", "fills", "bust", "correct", "reopen", "sod"]),
                           st.integers(0, 49), st.integers(0, 6), st.integers(6990, 7010)), max_size=8)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stream=fill_streams, plan=steps)
def test_store_journal_equals_recompute_and_model_through_busts_and_corrections(stream, plan) -> None:
    fills, t = [], 0
    for i, (side, qty, price, dt, account, dup, contract) in enumerate(stream):
        t = t + dt if dt < 35 else max(0, t - dt)  # mostly forward; some fills arrive late (a replay)
        key = f"e{i}" if dup >= 10 or i == 0 else f"e{i - 1}"
        fills.append(make_fill(key, side, qty, price, t, account=account, contract=contract))
    corrections: list[FillCorrection] = []
    sod: list[SodLot] = []
    done = 0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "s.sqlite3"
        store = Store.open(path)
        try:
            for j, (cut, action, target, qty, price) in enumerate(plan):
                if action == "fills":
                    upto = max(done, min(len(fills), cut))
                    store.ingest(fills[done:upto])
                    done = upto
                elif action in ("bust", "correct"):
                    # may reference a fill not stored yet (it waits), or an earlier correction (a chain)
                    if corrections and target % 5 == 0:
                        ref = corrections[-1].key
                    elif done and target % 5 != 1:
                        ref = fills[target % done].key  # a stored fill: its books are rebuilt
                    else:
                        ref = fills[target % len(fills)].key
                    corrections.append(FillCorrection(
                        f"c{j}", ref, CorrectionKind.BUST if action == "bust" else CorrectionKind.CORRECT,
                        T0 + 10_000 + j, None if action == "bust" else qty, None if action == "bust" else price))
                    store.ingest([], corrections[-1:])
                elif action == "reopen":
                    store.close()
                    store = Store.open(path)
                    assert store.audit_entries("matching_repaired") == []
                elif action == "sod" and not sod:
                    sod = [SodLot(fills[target % len(fills)].account, fills[target % len(fills)].contract,
                                  qty - 3 or 2, price, "2025-07-03")]  # the session starts before T0
                    store.put_sod(sod)
                assert_journal(store, fills[:done], corrections, sod)
            store.ingest(fills[done:])
            assert_journal(store, fills, corrections, sod)
        finally:
            store.close()
        with Store.open(path) as store:  # reopening recomputes the journal too, and finds it right
            assert store.audit_entries("matching_repaired") == []
            assert_journal(store, fills, corrections, sod)


def test_a_bust_rewrites_the_rows_and_numbers_stay_in_order(store_url: str) -> None:
    fills = [make_fill("a", 1, 2, 7000, 0), make_fill("b", -1, 1, 7004, 1), make_fill("c", -1, 1, 7008, 2)]
    with Store.open(store_url) as store:
        store.ingest(fills)
        # LIFO and FIFO alike: b closes 1 of a (+4 ticks), c the other (+8): cumulative 4, then 12.
        got = [(e.open_key, e.close_key, e.matched_qty, e.realized, e.cumulative_realized)
               for e in stored_journal.read(store.conn, method="lifo")]
        assert got == [("a", "b", 1, 4 * TV, 4 * TV), ("a", "c", 1, 8 * TV, 12 * TV)]
        store.ingest([], [FillCorrection("x", "b", CorrectionKind.BUST, T0 + 100)])
        got = [(e.close_key, e.cumulative_realized) for e in stored_journal.read(store.conn, method="fifo")]
        assert got == [("c", 8 * TV)]
        # one row left per book (LIFO, FIFO), numbered on after the deleted rows' places are freed
        assert store.conn.execute("SELECT count(*), count(DISTINCT book_id) FROM journal").fetchone() == (2, 2)


def test_an_open_lot_remembers_its_opening_fill_across_a_restart(store_url: str) -> None:
    with Store.open(store_url) as store:
        store.ingest([make_fill("open", 1, 3, 7000, 0)])
    with Store.open(store_url) as store:
        store.ingest([make_fill("close", -1, 2, 7003, 5)])
        e = list(stored_journal.read(store.conn, method="lifo"))
        assert [(x.open_key, x.open_time_ns, x.open_qty, x.open_price, x.matched_qty) for x in e] == [
            ("open", T0, 3, 7000, 2)]


def test_tampered_journal_is_rebuilt_on_open_and_audited(store_url: str) -> None:
    with Store.open(store_url) as store:
        store.ingest([make_fill("a", 1, 1, 7000, 0), make_fill("b", -1, 1, 7002, 1)])
    raw = raw_conn(store_url)
    raw.execute("UPDATE journal SET realized_units = 99")
    raw.close()
    with Store.open(store_url) as store:
        assert {e.detail["method"] for e in store.audit_entries("journal_rebuilt")} == {"lifo", "fifo"}
        assert store.audit_entries("matching_repaired") == []  # the books themselves were right
        assert [e.realized_ticks for e in stored_journal.read(store.conn)] == [2, 2]


def test_a_store_from_before_the_journal_gets_one_on_open(store_url: str) -> None:
    """What the migration leaves (no journal rows, lots without their opening fill) is built on open,
    audited as a journal rebuilt, not as a repaired book; later matches name the right opening fill."""
    fills = [make_fill("a", 1, 3, 7000, 0), make_fill("b", -1, 1, 7004, 1)]
    with Store.open(store_url) as store:
        store.ingest(fills)
        want = [row(e) for e in stored_journal.read(store.conn)]
    raw = raw_conn(store_url)
    raw.execute("DELETE FROM journal")
    raw.execute("UPDATE book_lots SET open_key = '', open_time_ns = 0, open_qty = 0")
    raw.close()
    with Store.open(store_url) as store:
        assert len(store.audit_entries("journal_rebuilt")) == 2 and store.audit_entries("matching_repaired") == []
        assert [row(e) for e in stored_journal.read(store.conn)] == want
        store.ingest([make_fill("c", -1, 2, 7001, 2)])
        assert [(e.open_key, e.close_key) for e in stored_journal.read(store.conn, method="lifo")] == [
            ("a", "b"), ("a", "c")]
    with Store.open(store_url) as store:
        assert len(store.audit_entries("journal_rebuilt")) == 2  # nothing more to rebuild


def test_a_new_sod_keeps_earlier_days_rows_and_rebuilds_its_own(store_url: str) -> None:
    start = matching.session_start_ns("2025-07-03")
    day1 = [make_fill("y1", 1, 2, 7000, start - T0 - 100), make_fill("y2", -1, 1, 7001, start - T0 - 50)]
    day2 = [make_fill("t1", -1, 1, 7010, start - T0 + 10)]
    with Store.open(store_url) as store:
        store.ingest(day1 + day2)
        # no SOD: one session; y2 closes 1 of y1 (+1), t1 the other (+10)
        assert [e.close_key for e in stored_journal.read(store.conn, method="lifo")] == ["y2", "t1"]
        store.put_sod([SodLot("A1", "ZN Sep25", 1, 7004, "2025-07-03")])
        # the SOD session: t1 closes the SOD lot (+6); day 1's row stays as it was written
        got = [(e.open_key, e.close_key, e.realized_ticks) for e in stored_journal.read(store.conn, method="lifo")]
        assert got == [("y1", "y2", 1), ("SOD 2025-07-03", "t1", 6)]
        day = stored_journal.day_bounds(__import__("datetime").date(2025, 7, 3))
        assert [e.close_key for e in stored_journal.read(store.conn, method="lifo", since_ns=day[0],
                                                         until_ns=day[1])] == ["t1"]
