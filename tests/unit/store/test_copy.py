"""`store copy`: a PC's SQLite store into the desk store (PostgreSQL, or another file), idempotent, with
overlapping copies from two PCs counting each execution once. The expected books are computed here
with the domain's LotBook from the fills as they stand, never read back from the store under test."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from zn_ladder.domain.errors import StoreError
from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.lots import LotBook
from zn_ladder.domain.records import CorrectionKind, FillCorrection, SodLot
from zn_ladder.store.copy import STORE_COPIED, copy_store
from zn_ladder.store.fills import environment_accounts
from zn_ladder.store.snapshot import pnl_view
from zn_ladder.store.store import Store

from .conftest import T0, make_fill, store_digest

ZN = get_product("ZN")
CONTRACT = "ZN Sep25"


def _pc_store(path: Path, fills, corrections=(), sod=(), cursor=None) -> str:
    with Store.open(path) as store:
        if sod:
            store.put_sod(sod, source="actant_sod")
        store.ingest(fills, corrections, source="tt_api", cursor=cursor, environment="ext_prod_sim")
        store.audit("settings_changed", {"key": "ladder.font_size", "old": 11, "new": 12}, who="trader@pc")
        store.put_refdata("instrument", "8092262517946017060", {"alias": CONTRACT})
    return str(path)


def _book(fills, method: str, sod=()) -> LotBook:
    """What the desk's book must be: the SOD, then each execution once, in time order."""
    book = LotBook(ZN, method, list(sod))
    book.apply_all(sorted(fills, key=lambda f: f.time_ns))
    return book


def test_a_pc_store_is_copied_whole_and_the_source_left_alone(tmp_path: Path, store_url: str) -> None:
    sod = [SodLot("A1", CONTRACT, 2, 6990, "2025-07-03")]
    fills = [make_fill("E1", 1, 2, 7000, 10), make_fill("E2", -1, 1, 7008, 20), make_fill("E3", -1, 1, 7004, 30)]
    bust = FillCorrection("C1", "E3", CorrectionKind.BUST, T0 + 40)
    held = SimpleNamespace(name="X9", time_ns=T0 + 50, raw='{"lastPx": "garbage"}', reason="lastPx is not a price")
    source = _pc_store(tmp_path / "pc.sqlite3", fills, [bust], sod, cursor=("tt_fills:sim", {"min_timestamp": 5}))
    with Store.open(source) as pc:
        pc.ingest([], quarantined=[held], environment="ext_prod_sim")
    before = store_digest(source)

    result = copy_store(source, store_url)

    assert store_digest(source) == before  # read only
    assert (result.fills_added, result.fills_duplicate, result.corrections_added) == (3, 0, 1)
    assert (result.sod_lots_copied, result.refdata_copied, result.quarantine_copied) == (1, 1, 1)
    assert result.book_differences == 0
    with Store.open(store_url) as desk:
        assert [(f.key, f.qty, f.price, f.source) for f in desk.fills()] == [
            ("E1", 2, 7000, "tt_api"), ("E2", 1, 7008, "tt_api")]  # E3 busted, as on the PC
        assert [c.key for c in desk.corrections()] == ["C1"]
        assert [(s.qty, s.price, s.date) for s in desk.sod_lots()] == [(2, 6990, "2025-07-03")]
        assert desk.get_refdata("instrument", "8092262517946017060") == {"alias": CONTRACT}
        assert [q.name for q in desk.quarantined("ext_prod_sim")] == ["X9"]
        assert desk.get_cursor("tt_fills:sim") is None  # that PC's cursor is not the desk capture's
        assert environment_accounts(desk.conn, "ext_prod_sim") == {"A1"}  # the TT environment kept
        events = [e.event for e in desk.audit_entries()]
        assert events[0] == STORE_COPIED and "settings_changed" in events
        for method in ("lifo", "fifo"):
            expected = _book([f for f in fills if f.key != "E3"], method, sod)
            view = pnl_view(desk.conn, CONTRACT, method)
            assert (view.position, view.realized) == (expected.position, expected.realized)


def test_copying_twice_adds_nothing_the_second_time(tmp_path: Path, store_url: str) -> None:
    fills = [make_fill(f"E{i}", 1 if i % 3 else -1, 1 + i % 2, 7000 + i, i) for i in range(40)]
    source = _pc_store(tmp_path / "pc.sqlite3", fills, [FillCorrection("C1", "E5", CorrectionKind.CORRECT, T0 + 99,
                                                                        3, 7001)])
    first = copy_store(source, store_url)
    with Store.open(store_url) as desk:
        after_first = [(f.key, f.qty, f.price) for f in desk.fills()]
        audit_first = len(desk.audit_entries())
    second = copy_store(source, store_url)
    assert (first.fills_added, second.fills_added, second.fills_duplicate) == (40, 0, 40)
    assert (second.corrections_added, second.sod_lots_copied, second.audit_copied, second.refdata_copied) == (0, 0, 0, 0)
    with Store.open(store_url) as desk:
        assert [(f.key, f.qty, f.price) for f in desk.fills()] == after_first
        assert len(desk.audit_entries()) == audit_first + 1  # only the second copy's own entry
        assert ("E5", 3, 7001) in after_first  # the correction applied, once


def test_overlapping_copies_from_two_pcs_count_each_execution_once(tmp_path: Path, store_url: str) -> None:
    """PC A captured E1 and E2 from the API; PC B captured E2 and E3, and imported an Audit Trail holding E1
    under its composite key (same order and cumulative qty): the desk holds E1, E2, E3 once each."""
    e1 = make_fill("E1", 1, 2, 7000, 10, order_id="o1", cum_qty=2)
    e2 = make_fill("E2", -1, 1, 7008, 20, order_id="o2", cum_qty=1)
    e3 = make_fill("E3", 1, 1, 7002, 30, order_id="o3", cum_qty=1)
    e1_export = make_fill("o1#2", 1, 2, 7000, 11, order_id="o1", cum_qty=2, exec_id="", source="audit_trail")
    pc_a = _pc_store(tmp_path / "a.sqlite3", [e1, e2])
    pc_b = _pc_store(tmp_path / "b.sqlite3", [e2, e3, e1_export])
    a = copy_store(pc_a, store_url)
    b = copy_store(pc_b, store_url)
    again = copy_store(pc_a, store_url)
    assert (a.fills_added, b.fills_added, b.fills_duplicate, again.fills_added) == (2, 1, 2, 0)
    with Store.open(store_url) as desk:
        assert sorted(f.key for f in desk.fills()) == ["E1", "E2", "E3"]
        assert desk.audit_entries("matching_repaired") == []
        for method in ("lifo", "fifo"):
            expected = _book([e1, e2, e3], method)
            view = pnl_view(desk.conn, CONTRACT, method)
            assert (view.position, view.realized, view.fills) == (expected.position, expected.realized, 3)


def test_the_desks_own_sod_for_a_day_is_kept(tmp_path: Path, store_url: str) -> None:
    with Store.open(store_url) as desk:
        desk.put_sod([SodLot("A1", CONTRACT, 5, 7000, "2025-07-03"), SodLot("A2", CONTRACT, -1, 7010, "2025-07-03")],
                     source="actant_sod")
    source = _pc_store(tmp_path / "pc.sqlite3", [make_fill("E1", t=10)],
                       sod=[SodLot("A1", CONTRACT, 4, 6999, "2025-07-03"), SodLot("A3", CONTRACT, 2, 7001, "2025-07-03")])
    result = copy_store(source, store_url)
    assert (result.sod_lots_copied, result.sod_days_kept) == (1, 1)
    with Store.open(store_url) as desk:  # A1 the desk's own, A2 untouched, A3 from the PC
        assert sorted((s.account, s.qty, s.price) for s in desk.sod_lots()) == [
            ("A1", 5, 7000), ("A2", -1, 7010), ("A3", 2, 7001)]


def test_the_same_store_is_refused(tmp_path: Path) -> None:
    path = _pc_store(tmp_path / "pc.sqlite3", [make_fill("E1")])
    with pytest.raises(StoreError, match="the same store"):
        copy_store(path, f"sqlite:{path}")


def test_store_copy_command(run_cli, tmp_path: Path, pg_url: str) -> None:
    source = _pc_store(tmp_path / "pc.sqlite3", [make_fill("E1", t=1), make_fill("E2", -1, t=2)])
    first = run_cli("store", "copy", "--from", f"sqlite:{source}", "--to", pg_url, "--json")
    assert first.returncode == 0, first.stderr
    payload = json.loads(first.stdout)
    assert (payload["to"], payload["fills_added"], payload["book_differences"]) == (pg_url, 2, 0)
    text = run_cli("store", "copy", "--from", f"sqlite:{source}", "--to", pg_url)
    assert text.returncode == 0 and f"copied {source} -> {pg_url}" in text.stdout
    assert [line.split()[1:3] for line in text.stdout.splitlines() if line.strip().startswith("fills")] == [["0", "2"]]
    bad = run_cli("store", "copy", "--from", f"sqlite:{source}", "--to", "mysql://desk@db/zn")
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1 and "mysql URL" in bad.stderr
    missing = run_cli("store", "copy", "--from", str(tmp_path / "none.sqlite3"), "--to", pg_url)
    assert missing.returncode == 2 and "nothing to copy" in missing.stderr


def test_a_desk_database_copies_back_into_a_file(tmp_path: Path, pg_url: str) -> None:
    """The other way round (a support engineer's snapshot of the desk): the same fills, corrections and books."""
    fills = [make_fill("E1", 1, 2, 7000, 10), make_fill("E2", -1, 1, 7008, 20), make_fill("E3", 1, 1, 7004, 30)]
    with Store.open(pg_url) as desk:
        desk.ingest(fills, [FillCorrection("C1", "E2", CorrectionKind.CORRECT, T0 + 40, 1, 7012)])
    backup = tmp_path / "backup.sqlite3"
    assert copy_store(pg_url, f"sqlite:{backup}").fills_added == 3
    with Store.open(backup) as store:
        assert [(f.key, f.qty, f.price) for f in store.fills()] == [("E1", 2, 7000), ("E2", 1, 7012), ("E3", 1, 7004)]
        lifo = pnl_view(store.conn, CONTRACT, "lifo")
        # by hand: +2@7000, -1@7012 (corrected) closes the 7000 lot: +12 ticks; +1@7004: long 2
        assert (lifo.position, lifo.realized) == (2, 12 * ZN.tick_value)
