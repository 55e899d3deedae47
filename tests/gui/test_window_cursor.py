"""The window's fills cursor per TT environment and address (issue 12 item 6), on a real SQLite file.

A desk that ran UAT and then LIVE on the same store must not start LIVE from UAT's timestamp; an old
global cursor goes to the environment that wrote it (from the audit log), or is dropped when unknown.
"""

from __future__ import annotations

import time
from pathlib import Path
from types import SimpleNamespace

from zn_ladder.domain.instruments import get_product
from zn_ladder.store import audit
from zn_ladder.store.audit import ENVIRONMENT_CHANGED, AuditEntry
from zn_ladder.store.cursors import all_cursors
from zn_ladder.store.store import Store
from zn_ladder.tt.fills_cursor import LEGACY_CURSOR_SOURCE, FillCursor
from zn_ladder.tt.sim import SimConfig, SimulatorServer
from zn_ladder.workers.demo import demo_connection
from zn_ladder.workers.session import Session, SessionConfig
from zn_ladder.workers.store_worker import StoreWorker
from zn_ladder.workers.window_cursor import CURSOR_DROPPED, CURSOR_MIGRATED, environment_at

URL = "https://ttrestapi.trade.tt"
UAT, LIVE = "ext_uat_cert", "ext_prod_live"
T0 = 1_800_000_000_000_000_000
HOUR = 3600 * 10**9


def opened_cursor(qtbot, db: Path, env: str, url: str = URL):
    worker = StoreWorker(db, env=env, base_url=url)
    with qtbot.waitSignal(worker.opened, timeout=10_000) as opened:
        worker.start()
    return worker, opened.args[0]


def store_page(qtbot, worker: StoreWorker, ts: int) -> None:
    page = SimpleNamespace(fills=(), corrections=(), cursor=FillCursor(ts))
    worker.ingest(page).result(10)


def test_uat_then_live_on_one_store_keep_separate_cursors(qtbot, tmp_path: Path) -> None:
    db = tmp_path / "desk.sqlite3"
    uat, cursor = opened_cursor(qtbot, db, UAT)
    assert cursor is None
    store_page(qtbot, uat, T0 + 5 * HOUR)
    uat.stop()
    live, cursor = opened_cursor(qtbot, db, LIVE)
    assert cursor is None  # LIVE starts from the start of its day, not from UAT's timestamp
    store_page(qtbot, live, T0 + HOUR)
    live.stop()
    uat, cursor = opened_cursor(qtbot, db, UAT)
    uat.stop()
    assert cursor == FillCursor(T0 + 5 * HOUR)
    other, cursor = opened_cursor(qtbot, db, LIVE, "http://127.0.0.1:9")
    other.stop()
    assert cursor is None  # another address is another cursor too


def test_the_window_and_monitor_name_the_cursor_alike(qtbot, tmp_path: Path) -> None:
    from zn_ladder.cli.monitor import cursor_source

    conn = demo_connection(URL + "/", env=LIVE)
    worker = StoreWorker(tmp_path / "x.sqlite3", env=conn.env, base_url=conn.base_url)
    assert worker.cursor_source == cursor_source(conn) == f"tt_fills:{LIVE}:{URL}"


def entry(t: int, frm: str, to: str) -> AuditEntry:
    return AuditEntry(0, t, "me@desk", ENVIRONMENT_CHANGED, {"from": frm, "to": to})


def test_environment_at_reads_the_changes_around_a_time() -> None:
    log = [entry(T0 + 2 * HOUR, "UAT", "LIVE"), entry(T0 + HOUR, "SIM", "UAT")]
    assert environment_at(log, T0) == "SIM"  # before the first change: what it switched from
    assert environment_at(log, T0 + HOUR + 1) == "UAT"
    assert environment_at(log, T0 + 3 * HOUR) == "LIVE"
    assert environment_at([], T0) is None


def legacy_store(db: Path, changes: list[tuple[int, str, str]]) -> int:
    """A store as the old window left it: its global cursor, and the environment changes audited."""
    with Store.open(db) as store:
        for t, frm, to in changes:
            with store._write("test audit") as conn:  # an entry back in time, as an old store holds
                audit.record(conn, ENVIRONMENT_CHANGED, {"from": frm, "to": to}, time_ns=t)
        store.put_cursor(LEGACY_CURSOR_SOURCE, FillCursor(T0 + 7 * HOUR).to_dict())
        return store.cursor_updated_ns(LEGACY_CURSOR_SOURCE)


def test_an_old_global_cursor_goes_to_the_environment_that_wrote_it(qtbot, tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite3"
    now = time.time_ns()
    legacy_store(db, [(now - 2 * HOUR, "SIM", "UAT")])  # UAT was in force when the cursor was written
    live, cursor = opened_cursor(qtbot, db, LIVE)
    live.stop()
    assert cursor is None  # not LIVE's
    uat, cursor = opened_cursor(qtbot, db, UAT)
    uat.stop()
    assert cursor == FillCursor(T0 + 7 * HOUR)  # UAT resumes where it stopped
    with Store.open(db) as store:
        assert store.get_cursor(LEGACY_CURSOR_SOURCE) is None
        (moved,) = store.audit_entries(CURSOR_MIGRATED)
        assert moved.detail["environment"] == "UAT" and moved.detail["to"] == f"tt_fills:{UAT}:{URL}"


def test_an_old_global_cursor_of_unknown_environment_is_dropped(qtbot, tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite3"
    legacy_store(db, [])
    live, cursor = opened_cursor(qtbot, db, LIVE)
    live.stop()
    assert cursor is None  # a fresh catch-up from the start of the day
    with Store.open(db) as store:
        assert store.get_cursor(LEGACY_CURSOR_SOURCE) is None
        assert len(store.audit_entries(CURSOR_DROPPED)) == 1
        assert all_cursors(store.conn) == {}


def run_session(qtbot, db: Path, sim: SimulatorServer, env: str, wanted: int) -> Session:
    config = SessionConfig(conn=demo_connection(sim.url, env=env), product=get_product("ZN"), env="SIM", db_path=db,
                           orders_s=30.0, fills_s=0.2, positions_s=600.0, spot_mode="manual")
    session = Session(config)
    session.start()
    try:
        qtbot.waitUntil(lambda: session.last_fills is not None and len(session.last_fills.fills) >= wanted,
                        timeout=20_000)
        qtbot.wait(600)  # a few more polls: the cursor is persisted with each page
    finally:
        assert session.stop(5.0)
    return session


def test_live_after_uat_on_one_store_reads_every_live_fill(qtbot, tmp_path: Path, ui_home) -> None:
    """End to end over HTTP: UAT's fills are hours later than LIVE's; with one global cursor LIVE would
    have started after all of its own fills and stored none of them."""
    db = tmp_path / "desk.sqlite3"
    common = {"step_interval": None, "correction_rate": 0.0, "history_fills": 8}
    with SimulatorServer(SimConfig(env=UAT, seed=9, start_time_ns=T0 + 6 * HOUR, **common), host="127.0.0.1",
                         port=0) as uat:
        run_session(qtbot, db, uat, UAT, 1)
        uat_keys = {f["execID"] for f in uat.market.published_fills()}
    with SimulatorServer(SimConfig(env=LIVE, seed=10, start_time_ns=T0, **common), host="127.0.0.1", port=0) as live:
        truth = live.market.published_fills()
        assert truth and max(f["timeStamp"] for f in truth) < T0 + 6 * HOUR
        assert not {f["execID"] for f in truth} & uat_keys
        run_session(qtbot, db, live, LIVE, 1)
    with Store.open(db) as store:
        stored = {f.exec_id or f.key for f in store.fills()}
    assert {f["execID"] for f in truth} <= stored  # every LIVE fill, none skipped
    assert uat_keys <= stored
