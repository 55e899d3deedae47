"""Persisted LIFO/FIFO books: incremental updates equal a recompute from the fills, always."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.lots import LotBook, apply_corrections
from zn_ladder.domain.prices import Price
from zn_ladder.domain.records import CorrectionKind, FillCorrection, SodLot
from zn_ladder.store import db, matching
from zn_ladder.store.snapshot import pnl_view, positions
from zn_ladder.store.store import Store

from .conftest import T0, make_fill

ZN = get_product("ZN")
CONTRACT = "ZN Sep25"


def _expected(fills, corrections, method, account="A1", sod=()):
    """The definition: fills in (time, arrival) order, duplicates once, corrections applied, replayed."""
    seen, first = set(), []
    for i, f in enumerate(fills):  # the first arrival of a key is the one kept
        if f.key not in seen:
            seen.add(f.key)
            first.append((i, f))
    ordered = [f for _, f in sorted(first, key=lambda p: (p[1].time_ns, p[0]))]
    live = [f for f in apply_corrections(ordered, corrections) if f.account == account]
    book = LotBook(ZN, method, [s for s in sod if s.account == account])
    book.apply_all(live)
    return book


def _assert_books_match(store: Store, fills, corrections, sod=()) -> None:
    for account in {f.account for f in fills} | {s.account for s in sod}:
        for method in ("lifo", "fifo"):
            want = _expected(fills, corrections, method, account, sod)
            got = pnl_view(store.conn, CONTRACT, method, account)
            assert got.position == want.position
            assert got.realized == want.realized
            assert [q for q, _ in got.open_lots] == [lot.qty for lot in want.open_lots]
            assert [p for _, p in got.open_lots] == [lot.price for lot in want.open_lots]
            mark = Price.from_ticks(7003, ZN)
            assert got.unrealized(mark) == want.unrealized(mark)


fill_streams = st.lists(
    st.tuples(st.sampled_from([1, -1]), st.integers(1, 6), st.integers(6990, 7010), st.integers(0, 40),
              st.sampled_from(["A1", "A2"]), st.integers(0, 99)),
    min_size=1, max_size=60)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(stream=fill_streams, cuts=st.lists(st.integers(0, 60), max_size=5),
       busts=st.lists(st.tuples(st.integers(0, 59), st.sampled_from(["bust", "correct"]), st.integers(1, 5),
                                st.integers(6990, 7010)), max_size=4))
def test_incremental_books_equal_recompute(new_store_url, stream, cuts, busts) -> None:
    # time steps mostly increase; some fills repeat or go back in time (a late export)
    fills, t = [], 0
    for i, (side, qty, price, dt, account, dup) in enumerate(stream):
        t = t + dt if dt < 35 else max(0, t - dt)
        key = f"e{i}" if dup >= 10 or i == 0 else f"e{i - 1}"
        fills.append(make_fill(key, side, qty, price, t, account=account))
    corrections = [FillCorrection(f"c{j}", fills[i % len(fills)].key,
                                  CorrectionKind.BUST if kind == "bust" else CorrectionKind.CORRECT,
                                  T0 + 10_000 + j, None if kind == "bust" else q, None if kind == "bust" else p)
                   for j, (i, kind, q, p) in enumerate(busts)]
    bounds = sorted({0, len(fills), *[c % (len(fills) + 1) for c in cuts]})
    path = new_store_url()  # a fresh store per example
    with Store.open(path) as store:
        for a, b in zip(bounds, bounds[1:]):
            store.ingest(fills[a:b])
            _assert_books_match(store, fills[:b], [])
        store.ingest([], corrections)
        _assert_books_match(store, fills, corrections)
    with Store.open(path) as store:  # reopening recomputes and finds nothing to repair
        assert store.audit_entries("matching_repaired") == []
        _assert_books_match(store, fills, corrections)


def test_worked_example_lifo_and_fifo(store_url: str) -> None:
    # buy 1 @ 7000, buy 1 @ 7004, sell 1 @ 7010:
    #   LIFO closes the 7004 lot: +6 ticks = 6 x 15.625 = $93.75, open 1 @ 7000
    #   FIFO closes the 7000 lot: +10 ticks = $156.25, open 1 @ 7004
    with Store.open(store_url) as store:
        store.ingest([make_fill("a", 1, 1, 7000, 0), make_fill("b", 1, 1, 7004, 1)])
        store.ingest([make_fill("c", -1, 1, 7010, 2)])
        lifo = pnl_view(store.conn, CONTRACT, "lifo")
        fifo = pnl_view(store.conn, CONTRACT, "fifo")
        assert (lifo.realized, lifo.open_lots) == (93.75, ((1, 7000),))
        assert (fifo.realized, fifo.open_lots) == (156.25, ((1, 7004),))
        assert positions(store.conn) == {("A1", CONTRACT): 1}


def test_a_new_fill_touches_a_constant_number_of_rows(store_url: str) -> None:
    """Incremental: with 2,000 open lots, one more fill writes one lot row per method, not 2,000."""
    with Store.open(store_url) as store:
        store.ingest([make_fill(f"b{i}", 1, 1, 7000 + i % 7, i) for i in range(2000)])
        writes: list[str] = []
        store.conn.set_trace_callback(writes.append)
        store.ingest([make_fill("s1", -1, 1, 7010, 5000)])
        store.conn.set_trace_callback(None)
        lot_writes = [w for w in writes if "book_lots" in w]
        assert len(lot_writes) <= 4
        assert not any("DELETE FROM book_lots WHERE book_id=?" == w.split(" AND")[0] and "seq" not in w
                       for w in lot_writes)


def test_tampered_state_is_repaired_from_the_fills_and_audited(store_url: str) -> None:
    fills = [make_fill("a", 1, 2, 7000, 0), make_fill("b", -1, 1, 7008, 1)]
    with Store.open(store_url) as store:
        store.ingest(fills)
    raw = db.connect(store_url)  # another program, behind the app's back
    raw.execute("UPDATE books SET realized_units = 999, position = 7 WHERE method='fifo'")
    raw.execute("DELETE FROM book_lots WHERE book_id = (SELECT id FROM books WHERE method='lifo')")
    raw.close()
    with Store.open(store_url) as store:
        entries = store.audit_entries("matching_repaired")
        assert {e.detail["method"] for e in entries} == {"lifo", "fifo"}
        assert "realized 999" in next(e for e in entries if e.detail["method"] == "fifo").detail["stored"]
        _assert_books_match(store, fills, [])


def test_out_of_order_fill_replays_the_book(store_url: str) -> None:
    early = make_fill("early", -1, 1, 7020, 5)
    with Store.open(store_url) as store:
        store.ingest([make_fill("a", 1, 1, 7000, 0), make_fill("b", 1, 1, 7010, 10)])
        result = store.ingest([early])
        assert result.books_recomputed == 1
        # LIFO at t=5 closes the only lot then open (7000): +20 ticks
        assert pnl_view(store.conn, CONTRACT, "lifo").realized == 20 * ZN.tick_value
        _assert_books_match(store, [make_fill("a", 1, 1, 7000, 0), make_fill("b", 1, 1, 7010, 10), early], [])


def test_sod_starts_the_book_and_earlier_sessions_are_left_out(store_url: str) -> None:
    # SOD dated 2025-07-03: the session starts 2025-07-02 22:00 UTC
    start = matching.session_start_ns("2025-07-03")
    assert start == 1_751_493_600 * 1_000_000_000
    before = make_fill("yesterday", 1, 5, 6900, start - T0 - 1)
    today = make_fill("today", -1, 1, 7004, start - T0 + 10)
    with Store.open(store_url) as store:
        store.ingest([before, today])
        assert pnl_view(store.conn, CONTRACT, "lifo").position == 4  # no SOD yet: every fill
        store.put_sod([SodLot("A1", CONTRACT, 2, 7000, "07/03/2025")], source="actant")
        view = pnl_view(store.conn, CONTRACT, "fifo")
        assert view.position == 1 and view.realized == 4 * ZN.tick_value and view.fills == 1
        assert store.put_sod([SodLot("A1", CONTRACT, 2, 7000, "2025-07-03")]).duplicate == 1
        later = make_fill("later", 1, 3, 7001, start - T0 + 20)
        store.ingest([later])
        assert pnl_view(store.conn, CONTRACT, "lifo").position == 4
    with Store.open(store_url) as store:
        assert store.audit_entries("matching_repaired") == []
        assert [e.detail["groups"][0]["date"] for e in store.audit_entries("sod_import")] == ["2025-07-03"]


def test_correction_and_bust_change_realized_exactly_as_a_recompute(store_url: str) -> None:
    fills = [make_fill("a", 1, 2, 7000, 0), make_fill("b", -1, 2, 7010, 1), make_fill("c", 1, 1, 7005, 2),
             make_fill("d", -1, 1, 7001, 3)]
    corrections = [FillCorrection("x1", "b", CorrectionKind.CORRECT, T0 + 100, qty=1, price=7012),
                   FillCorrection("x2", "x1", CorrectionKind.CORRECT, T0 + 101, price=7013),
                   FillCorrection("x3", "d", CorrectionKind.BUST, T0 + 102)]
    with Store.open(store_url) as store:
        store.ingest(fills)
        result = store.ingest([], corrections[:1])
        assert result.corrections_applied == 1
        _assert_books_match(store, fills, corrections[:1])
        store.ingest([], corrections[1:])
        _assert_books_match(store, fills, corrections)
        assert store.ingest([], corrections).corrections_duplicate == 3
        applied = store.audit_entries("correction_applied")
        assert {e.detail["fill"] for e in applied} == {"b", "d"}
        assert [f.key for f in store.fills()] == ["a", "b", "c"]
        assert store.fills()[1].price == 7013  # corrected figures; the original stays in the row
        assert store.conn.execute("SELECT qty, price FROM fills WHERE key='b'").fetchone() == (2, 7010)


def test_correction_before_its_fill_waits_then_applies(store_url: str) -> None:
    bust = FillCorrection("x", "late", CorrectionKind.BUST, T0 + 50)
    with Store.open(store_url) as store:
        assert store.ingest([], [bust]).corrections_applied == 0
        result = store.ingest([make_fill("late", 1, 3, 7000, 1), make_fill("kept", 1, 1, 7000, 2)])
        assert result.corrections_applied == 1
        assert pnl_view(store.conn, CONTRACT, "lifo").position == 1


def test_sod_opens_only_its_own_contract_and_market(store_url: str) -> None:
    """An SOD belongs to one contract on one market (issue 12 §2): ZN Sep25's lots open ZN Sep25 on CME,
    and neither a product-wide "ZN" lot nor the CME_Delayed book of the same contract takes them."""
    with Store.open(store_url) as store:
        store.ingest([make_fill("s1", -1, 1, 7010, 0)])
        store.put_sod([SodLot("A1", CONTRACT, 2, 7000, "08/11/2022"),
                       SodLot("A1", "ZN", 5, 7000, "08/11/2022")], source="actant_sod")
        view = pnl_view(store.conn, CONTRACT, "lifo", market="CME")
        assert (view.position, view.realized, view.fills) == (1, 10 * ZN.tick_value, 1)
        assert view.open_lots == ((1, 7000),)
        store.ingest([make_fill("b1", 1, 1, 7001, 5)])
        assert pnl_view(store.conn, CONTRACT, "fifo", market="CME").position == 2
        assert pnl_view(store.conn, "ZN Dec99", "fifo").position == 0
        store.put_sod([SodLot("A1", CONTRACT, 7, 7000, "08/11/2022", market="CME_DELAYED")])
        assert pnl_view(store.conn, CONTRACT, "lifo", market="CME").position == 2
        assert pnl_view(store.conn, CONTRACT, "lifo", market="CME_DELAYED").position == 7
    with Store.open(store_url) as store:
        assert store.audit_entries("matching_repaired") == []


def test_an_actant_file_replaces_its_whole_day_so_a_remapped_account_counts_once(store_url: str) -> None:
    """Imported before `sod.account_map` was set and again after it: the lots move to the TT account,
    the Actant number's copy goes (a long 5 must never read as 10)."""
    before = [SodLot("73050502", CONTRACT, 5, 7000, "08/11/2025"), SodLot("A9", CONTRACT, -1, 7002, "08/11/2025")]
    after = [SodLot("1334000", CONTRACT, 5, 7000, "08/11/2025"), SodLot("A9", CONTRACT, -1, 7002, "08/11/2025")]
    with Store.open(store_url) as store:
        store.put_sod(before, source="actant_sod")
        assert pnl_view(store.conn, CONTRACT, "lifo").position == 4
        store.put_sod(after, source="actant_sod")
        assert pnl_view(store.conn, CONTRACT, "lifo").position == 4
        assert pnl_view(store.conn, CONTRACT, "lifo", "73050502").position == 0
        assert pnl_view(store.conn, CONTRACT, "fifo", "1334000").position == 5
        # TT's own SOD (another source) is never dropped by an Actant file
        store.put_sod([SodLot("T1", CONTRACT, 2, 7001, "08/11/2025")], source="tt_api")
        store.put_sod(after, source="actant_sod")
        assert pnl_view(store.conn, CONTRACT, "lifo").position == 6
    with Store.open(store_url) as store:
        assert store.audit_entries("matching_repaired") == []
