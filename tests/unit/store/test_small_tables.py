"""Cursors, reference data, audit log and snapshots: the small tables, through the Store."""

from __future__ import annotations

from zn_ladder.domain.records import SodLot
from zn_ladder.store import audit
from zn_ladder.store.snapshot import take_snapshot
from zn_ladder.store.store import Store

from .conftest import make_fill


def test_cursor_is_json_and_commits_with_its_fills(store_url: str) -> None:
    cursor = {"v": 1, "min_timestamp": 123, "seen": [[123, "e1"]], "holds": 0}
    with Store.open(store_url) as store:
        store.ingest([make_fill("e1")], cursor=("tt_fills:sim", cursor))
        assert store.get_cursor("tt_fills:sim") == cursor
        assert store.get_cursor("other") is None
    with Store.open(store_url) as store:
        assert store.get_cursor("tt_fills:sim") == cursor
        store.put_cursor("tt_fills:sim", {"v": 1, "min_timestamp": 200})
        assert store.get_cursor("tt_fills:sim")["min_timestamp"] == 200


def test_refdata_cache_survives_a_restart_and_ages(store_url: str) -> None:
    with Store.open(store_url) as store:
        store.put_refdata("instrument", "8092262517946017060", {"alias": "ZN Sep25", "productSymbol": "ZN"})
    with Store.open(store_url) as store:
        assert store.get_refdata("instrument", "8092262517946017060")["alias"] == "ZN Sep25"
        assert store.get_refdata("instrument", "8092262517946017060", max_age_s=-1) is None
        assert store.get_refdata("instrument", "nope") is None


def test_audit_records_who_what_when_and_never_needs_a_store_object(store_url: str) -> None:
    audit.audit(audit.ENVIRONMENT_CHANGED, {"old": "sim", "new": "uat"}, "support@desk", db_path=store_url)
    with Store.open(store_url) as store:
        store.ingest([make_fill("e1")], audit_detail={"file": "fills.csv", "kind": "fill_monitor"}, who="eric@pc")
        entries = store.audit_entries()
    assert [e.event for e in entries] == ["import", "environment_changed"]
    imported, env = entries
    assert imported.who == "eric@pc" and imported.detail["added"] == 1 and imported.detail["file"] == "fills.csv"
    assert env.detail == {"old": "sim", "new": "uat"} and env.time_ns > 0
    assert "@" in audit.default_who()


def test_snapshot_is_frozen_and_consistent(store_url: str) -> None:
    with Store.open(store_url) as store:
        store.put_sod([SodLot("A1", "ZN Sep25", 3, 6990, "")])
        store.ingest([make_fill("e1", -1, 1, 7000, 0), make_fill("e2", 1, 2, 7002, 1, contract="ZN Dec25")])
        snap = take_snapshot(store.conn, "ZN Sep25")
    assert [f.key for f in snap.fills] == ["e1"]
    assert [(s.qty, s.price) for s in snap.sod] == [(3, 6990)]
    assert snap.pnl["lifo"].position == 2
    assert snap.pnl["lifo"].realized == 10 * snap.pnl["lifo"].product.tick_value
    assert snap.pnl["fifo"].average_open_price is not None
    import dataclasses

    import pytest

    with pytest.raises(dataclasses.FrozenInstanceError):
        snap.contract = "x"  # type: ignore[misc]
