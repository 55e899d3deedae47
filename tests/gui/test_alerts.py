"""Alerts in the window (issue 14 §17): fired into the banner and the status strip, acknowledged by a
click, and both kept in the audit log of a real SQLite store through the store's writer thread."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from fractions import Fraction
from pathlib import Path

from PySide6.QtCore import Qt

from zn_ladder.config.settings import Settings
from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.records import Fill, Side
from zn_ladder.store.audit import ALERT_ACKNOWLEDGED, ALERT_FIRED
from zn_ladder.store.store import Store
from zn_ladder.workers.snapshots import FillsSnapshot, PnlSnapshot, SourceHealth, StatusSnapshot
from zn_ladder.workers.store_worker import StoreWorker

ZN = get_product("ZN")


def pnl(total: int, position: int = 3) -> PnlSnapshot:
    return PnlSnapshot(position=position, sod_position=0, realized_lifo=Fraction(total),
                       realized_fifo=Fraction(total), unrealized=Fraction(0), total=Fraction(total),
                       average_open_price=None, risk=position * ZN.tick_value, product=ZN)


def with_alerts(**values: str) -> Settings:
    settings = Settings()
    for key, text in values.items():
        settings = settings.replace_value(f"alerts.{key}", text)
    return settings


class _Session:
    """The one part of a session the controller's audit uses: its store worker (a real SQLite file)."""

    def __init__(self, store: StoreWorker) -> None:
        self.store = store

    def stop(self, timeout_s: float = 4.0, then=None) -> bool:
        self.store.stop(timeout_s)
        if then is not None:
            then()
        return True


def test_an_alert_fires_into_banner_and_strip_and_its_acknowledgement_is_audited(qtbot, tmp_path: Path,
                                                                                 ui_home) -> None:
    from zn_ladder.app import AppController

    db = tmp_path / "alerts.sqlite3"
    worker = StoreWorker(db)
    with qtbot.waitSignal(worker.opened, timeout=10_000):
        worker.start()
    controller = AppController(with_alerts(loss_limit="1000", sound="true"), force_demo=True, db_path=db,
                               ui_state=tmp_path / "w.ini")
    controller.session = _Session(worker)
    w = controller.window
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    try:
        w.apply_pnl(pnl(-999))
        assert not w.alert_banner.isVisible() and not w.status_strip.alerts.isVisible()
        w.apply_pnl(pnl(-1200))
        assert w.alert_banner.isVisible()
        [line] = w.alert_banner.lines()
        assert "LOSS LIMIT" in line and "total P&L -$1,200.00 is at or below the loss limit -$1,000.00" in line
        assert w.status_strip.alerts.isVisible() and w.status_strip.alerts.text() == "⚠ ALERT LOSS LIMIT"
        assert "-$1,200.00" in w.status_strip.alerts.toolTip()
        assert w.alerts.beeps == 1 and w.alerts.told_in in ("tray", "status strip")
        w.apply_pnl(pnl(-1100))  # still beyond the limit, second after second: no second alert
        w.apply_pnl(pnl(-1300))
        assert len(w.alert_banner.lines()) == 1 and w.alerts.beeps == 1

        _, _, button = w.alert_banner.rows["loss_limit"]
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert not w.alert_banner.isVisible() and w.alert_banner.lines() == []
        assert not w.status_strip.alerts.isVisible() and w.alerts.pending == {}

        def audited() -> bool:
            return worker.submit(lambda s: len(s.audit_entries(ALERT_ACKNOWLEDGED))).result(5) == 1
        qtbot.waitUntil(audited, timeout=5000)
    finally:
        controller.session = None
        worker.stop()
        w.close()
    with Store.open(db) as store:
        [fired] = store.audit_entries(ALERT_FIRED)
        [acked] = store.audit_entries(ALERT_ACKNOWLEDGED)
    assert fired.detail["kind"] == "loss_limit" and fired.detail["value"] == "-1200"
    assert fired.detail["threshold"] == "-1000"
    assert acked.detail["key"] == "loss_limit" and acked.detail["fired_at"] == fired.detail["fired_at"]
    assert acked.detail["after_s"] >= 0 and "@" in acked.who


def test_large_fill_stale_feed_and_acknowledge_all(window, qtbot) -> None:
    window.apply_settings(with_alerts(large_fill_lots="20", stale_feed_s="30", max_position="5", sound="false"))
    audits: list[tuple[str, dict]] = []
    window.alertAudit.connect(lambda event, detail: audits.append((event, detail)))
    now = datetime.now(timezone.utc)
    big = Fill("k-big", "1334000", "ZN Dec26", Side.SELL, 25, 7072, 1_800_000_000_000_000_000)
    small = Fill("k-small", "1334000", "ZN Dec26", Side.BUY, 20, 7072, 1_800_000_000_000_000_000)
    window.apply_fills(FillsSnapshot((small,), now))  # the first snapshot is history, never an alert
    window.apply_fills(FillsSnapshot((big, small), now, new_keys=("k-big",)))
    ok = SourceHealth("fills", "ok", now, now)
    failing = SourceHealth("orders", "failing", now - timedelta(seconds=45), now - timedelta(seconds=45), "timeout")
    window.apply_status(StatusSnapshot("SIM", True, "degraded", health=(failing, ok), at=now))
    window.apply_pnl(pnl(0, position=-6))
    lines = window.alert_banner.lines()
    assert [line.split()[1] for line in lines] == ["POSITION", "STALE", "LARGE"]  # newest first
    assert "SOLD 25 ZN Dec26 (1334000): more than 20 lots" in lines[2]
    assert "orders has been stale for 45s (limit 30s)" in lines[1]
    assert window.status_strip.alerts.text() == "⚠ ALERT POSITION (+2)"
    assert window.alerts.beeps == 0  # alerts.sound off
    window.acknowledge_action.trigger()
    assert window.alert_banner.lines() == [] and not window.status_strip.alerts.isVisible()
    assert [e for e, _ in audits] == ["alert_fired"] * 3 + ["alert_acknowledged"] * 3


def test_the_position_limit_sees_each_leg_of_a_calendar_spread(window) -> None:
    """Roll week: long 8 of the front and short 8 of the next month is 0 lots on the cards, but each leg
    is beyond a 5-lot limit: the alert names the larger leg, not the netted 0."""
    from dataclasses import replace

    window.apply_settings(with_alerts(max_position="5", sound="false"))
    dec, mar = replace(pnl(100, position=8), contract="ZN Dec26"), replace(pnl(-50, position=-8), contract="ZN Mar27")
    total = replace(pnl(50, position=0), by_contract=(dec, mar))
    window.apply_pnl(total)
    [line] = window.alert_banner.lines()
    assert "position +8 lots is beyond the limit of 5 lots" in line
