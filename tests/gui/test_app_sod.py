"""The desk's start-of-day file imported at start (storage.sod_path + storage.sod_auto_import)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from zn_ladder.config.settings import Settings
from zn_ladder.domain.records import Side

from .live_app import FAST

HEADER = ("ACCOUNT,UNDERLYING,ASSET,RUN_DATE,PRODUCT_CODE,LONG_SHORT,PUT_CALL,STRIKE_PRICE,QUANTITY,EXPIRE_DATE,"
          "LOT_SIZE,PRICE_TODAY,IS_AMERICAN\n")


def with_sod(path: Path | str, auto: bool = True) -> Settings:
    s = Settings()
    return dataclasses.replace(s, storage=dataclasses.replace(s.storage, sod_path=str(path), sod_auto_import=auto))


def start(qtbot, tmp_path: Path, settings: Settings):
    from zn_ladder.app import AppController
    from zn_ladder.workers.demo import demo_sim_config

    controller = AppController(settings, force_demo=True, db_path=tmp_path / "sod.sqlite3",
                               ui_state=tmp_path / "w.ini", intervals=FAST,
                               sim_config=demo_sim_config(seed=5, step_interval=0.2, history_fills=12))
    qtbot.addWidget(controller.window)
    controller.window.show()
    controller.start()
    return controller


def net(fills) -> int:
    return sum(f.qty * (1 if f.side == Side.BUY else -1) for f in fills)


def test_the_sod_file_is_imported_at_start_and_the_pnl_starts_from_it(qtbot, tmp_path, ui_home) -> None:
    folder = tmp_path / "actant"
    folder.mkdir()
    # The simulator's first account starts the day long 5 at 110'080 in its one contract, ZN Dec26 (Actant
    # names the product and the expiry: 12/18/2026 is ZN Dec26's). The trading day is yesterday, or the
    # contract's last day once that has passed (the simulator trades ZN Dec26 whatever the date).
    yesterday = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=1)).date()
    run = min(yesterday, dt.date(2026, 12, 18)).strftime("%m/%d/%Y")
    (folder / "sod.csv").write_text(HEADER + f"1334000,ZN,ZN,{run},FUTURE,L,,,5.0,12/18/2026,1000.0,"
                                             "110'080,\n")
    controller = start(qtbot, tmp_path, with_sod(folder))
    try:
        def store_snap():
            result = controller.session.last_result if controller.session else None
            return result.inputs.store if result is not None else None

        qtbot.waitUntil(lambda: store_snap() is not None and any(f.account == "1334000" for f in store_snap().fills), timeout=15_000)
        session = controller.session
        assert session._sod_imported
        # The P&L on screen: every account's fills plus the file's 5 lots (TT's SOD is not used then).
        qtbot.waitUntil(lambda: store_snap().pnl["lifo"].position == net(store_snap().fills) + 5, timeout=10_000)
        assert not any("start-of-day" in m for m in controller.window.banner.text().splitlines())
        # The SOD shown is the one the books start from, named for the ladder's contract, so a replay of
        # the snapshot (what the self-test checks the window against) gives the same position.
        from zn_ladder.domain.pnl import ladder_base_from_fills

        snap = store_snap()
        assert [(lot.account, lot.contract, lot.qty) for lot in snap.sod] == [("1334000", session.contract, 5)]
        replay = ladder_base_from_fills(snap.fills, session.config.product, controller.session.last_result.spot,
                                        sod=snap.sod, contract=session.contract)
        assert replay.position == snap.pnl["lifo"].position
    finally:
        controller.window.close()
        controller.shutdown()
    from zn_ladder.store.store import Store

    with Store.open(tmp_path / "sod.sqlite3") as store:
        rows = store.conn.execute("SELECT account, contract, qty, source FROM sod_lots").fetchall()
    assert [tuple(r) for r in rows] == [("1334000", "ZN Dec26", 5, "actant_sod")]


def test_a_bad_sod_file_shows_a_banner_naming_it_and_stores_nothing(qtbot, tmp_path, ui_home) -> None:
    bad = tmp_path / "sod.csv"
    bad.write_text("this is not,an actant export\n1,2\n")
    controller = start(qtbot, tmp_path, with_sod(bad))
    w = controller.window
    try:
        qtbot.waitUntil(lambda: w.banner.isVisible() and "start-of-day file" in w.banner.text(), timeout=10_000)
        assert f"start-of-day file {bad} not imported:" in w.banner.text()
        assert not controller.session._sod_imported
        qtbot.waitUntil(lambda: w.fills.model.rowCount() > 0, timeout=15_000)  # the rest of the app runs on
    finally:
        w.close()
        controller.shutdown()
    from zn_ladder.store.store import Store

    with Store.open(tmp_path / "sod.sqlite3") as store:
        rows = store.conn.execute("SELECT source FROM sod_lots").fetchall()
        audits = store.conn.execute("SELECT count(*) FROM audit WHERE event = 'sod_import' "
                                    "AND detail LIKE '%actant%'").fetchone()[0]
    assert all(r[0] != "actant_sod" for r in rows) and audits == 0  # only TT's SOD, nothing from the file


def test_without_auto_import_the_file_is_left_alone(qtbot, tmp_path, ui_home) -> None:
    sod = tmp_path / "sod.csv"
    sod.write_text(HEADER + "1334000,ZN,ZN,11/25/2026,FUTURE,L,,,5.0,12/19/2026,1000.0,110'080,\n")
    controller = start(qtbot, tmp_path, with_sod(sod, auto=False))
    try:
        assert controller.session is None or controller.session.config.sod_path == ""
        qtbot.waitUntil(lambda: controller.session is not None and controller.window.fills.model.rowCount() > 0,
                        timeout=15_000)
        assert controller.session.config.sod_path == "" and not controller.session._sod_imported
    finally:
        controller.window.close()
        controller.shutdown()
