"""Alerts in the window: a banner line each, a sound, a tray message (or the status strip), acknowledged.

The rule that decides when an alert fires is the domain's (`domain.alerts.AlertRules`); this module
feeds it the snapshots the window already receives (cheap arithmetic on the GUI thread) and shows what
fires. An alert stays on screen until the trader acknowledges it: a threshold crossed while they were
looking at MD Trader must still be there when they look back. Every alert fired and acknowledged goes
to the audit log through `auditRequested`, which the owner hands to the store's writer thread: nothing
here touches the disk.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timezone
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from zn_ladder.domain.alerts import Alert, AlertLimits, AlertRules
from zn_ladder.domain.records import Fill
from zn_ladder.store.audit import ALERT_ACKNOWLEDGED, ALERT_FIRED
from zn_ladder.ui.steady import OneLineLabel
from zn_ladder.ui.theme import DARK, Theme
from zn_ladder.workers.snapshots import PnlSnapshot, StatusSnapshot

log = logging.getLogger(__name__)


def local_time(at: datetime) -> str:
    return at.astimezone().strftime("%H:%M:%S")


def stale_seconds(snap: StatusSnapshot, now: datetime) -> dict[str, float]:
    """How long each stale or failing feed has been so (its health's `since`), in seconds."""
    return {h.name: max(0.0, (now - h.since).total_seconds()) for h in snap.health
            if h.state != "ok" and h.since is not None}


def audit_detail(alert: Alert) -> dict[str, Any]:
    return {"kind": alert.kind, "key": alert.key, "message": alert.message, "value": alert.value,
            "threshold": alert.threshold, "fired_at": alert.at.isoformat()}


class AlertBanner(QFrame):
    """One line per unacknowledged alert, newest first, each with its Acknowledge button."""

    acknowledgeRequested = Signal(str)  # the alert's key

    def __init__(self, theme: Theme = DARK, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alertBanner")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        self._theme = theme
        self.rows: dict[str, tuple[QFrame, QLabel, QPushButton]] = {}
        self.hide()

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        for key, (row, _, _) in self.rows.items():
            row.setStyleSheet(self._style(key))

    def _style(self, key: str) -> str:
        t = self._theme
        colour = t.ok if key == "profit_target" else t.failing
        return (f"QFrame#alertRow {{ background: {colour}; border-radius: 3px; }}"
                f"QLabel {{ color: white; font-weight: 700; background: transparent; }}"
                f"QPushButton {{ color: {colour}; background: white; font-weight: 700; border-radius: 3px;"
                f" padding: 2px 10px; }}")

    def show_alert(self, alert: Alert) -> None:
        """Add the alert's line (or replace the line of an earlier alert with the same key), at the top."""
        text = f"⚠ {alert.title}  {local_time(alert.at)} — {alert.message}"
        if alert.key in self.rows:
            row, label, _ = self.rows[alert.key]
            self._layout.removeWidget(row)
        else:
            row, label, button = self._row(alert.key)
            button.clicked.connect(lambda _=False, k=alert.key: self.acknowledgeRequested.emit(k))
            self.rows[alert.key] = (row, label, button)
        label.set_full_text(text)
        self._layout.insertWidget(0, row)
        self.show()

    def _row(self, key: str) -> tuple[QFrame, OneLineLabel, QPushButton]:
        """One alert's line: its text (one line, cut to the width, whole in the tooltip) and its button."""
        row = QFrame(self)
        row.setObjectName("alertRow")
        line = QHBoxLayout(row)
        line.setContentsMargins(10, 3, 6, 3)
        label = OneLineLabel(row)
        label.setObjectName("alertText")
        button = QPushButton("Acknowledge", row)
        button.setObjectName("alertAck")
        button.setAutoDefault(False)
        line.addWidget(label, 1)
        line.addWidget(button)
        row.setStyleSheet(self._style(key))
        return row, label, button

    def line_height(self) -> int:
        """The height of one alert's line (its button makes it the tallest banner line): the window
        keeps this much room for the banners from the start (`steady.BannerSlot`)."""
        row = self._row("probe")[0]
        row.ensurePolished()  # in the window's style sheet, as a real line would be
        height = row.sizeHint().height()
        row.deleteLater()
        return height

    def remove(self, key: str) -> None:
        row = self.rows.pop(key, None)
        if row is not None:
            self._layout.removeWidget(row[0])
            row[0].deleteLater()
        self.setVisible(bool(self.rows))

    def lines(self) -> list[str]:
        """The banner's text, top to bottom (for tests and the strip's tooltip)."""
        rows = sorted(self.rows.values(), key=lambda r: self._layout.indexOf(r[0]))
        return [label.full_text for _, label, _ in rows]


class AlertCenter(QObject):
    """The window's alerts: rules fed from the snapshots, the unacknowledged ones, and how each is told."""

    #: (audit event, detail): the owner writes it to the store's audit log on the writer thread.
    auditRequested = Signal(str, object)
    #: The unacknowledged alerts changed (count).
    changed = Signal(int)

    def __init__(self, banner: AlertBanner, notifier: Any, strip: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.banner, self.notifier, self.strip = banner, notifier, strip
        self.rules = AlertRules()
        self.sound = True
        self.beeps = 0
        #: Unacknowledged alerts by key, in the order they fired.
        self.pending: dict[str, Alert] = {}
        #: Where the last alert was told besides the banner: "tray" or "status strip".
        self.told_in = ""
        banner.acknowledgeRequested.connect(self.acknowledge)

    def set_limits(self, limits: AlertLimits, sound: bool = True) -> None:
        self.rules.set_limits(limits)
        self.sound = sound

    # -- snapshots in (GUI thread; a few comparisons each) ------------------------------------------------
    def on_pnl(self, snap: PnlSnapshot, now: datetime | None = None) -> None:
        """P&L rules on the total; the position rule on the largest of the net and each contract's own
        (roll week: a calendar spread nets to 0 lots on the cards, its legs are each a position)."""
        position = max((snap.position, *(p.position for p in getattr(snap, "by_contract", ()) or ())), key=abs)
        self._fire(self.rules.on_pnl(snap.total, position, now or datetime.now(timezone.utc)))

    def on_new_fills(self, fills: Iterable[Fill], now: datetime | None = None) -> None:
        self._fire(self.rules.on_fills(fills, now or datetime.now(timezone.utc)))

    def on_status(self, snap: StatusSnapshot, now: datetime) -> None:
        self._fire(self.rules.on_feeds(stale_seconds(snap, now), now))

    # -- firing and acknowledging -----------------------------------------------------------------------
    def _fire(self, alerts: list[Alert]) -> None:
        for alert in alerts:
            log.warning("alert %s", alert.line())
            self.pending.pop(alert.key, None)
            self.pending[alert.key] = alert
            self.banner.show_alert(alert)
            self.auditRequested.emit(ALERT_FIRED, audit_detail(alert))
        if not alerts:
            return
        if self.sound:
            QApplication.beep()
            self.beeps += 1
        title = alerts[0].title if len(alerts) == 1 else f"{len(alerts)} alerts"
        body = "\n".join(a.message for a in alerts)
        shown = self.notifier.tray_message(f"zn_ladder: {title}", body, warning=True)
        self.told_in = "tray" if shown else "status strip"
        self._show_count()

    def acknowledge(self, key: str) -> bool:
        alert = self.pending.pop(key, None)
        if alert is None:
            return False
        now = datetime.now(timezone.utc)
        self.banner.remove(key)
        detail = audit_detail(alert) | {"acknowledged_at": now.isoformat(),
                                        "after_s": round((now - alert.at).total_seconds(), 1)}
        self.auditRequested.emit(ALERT_ACKNOWLEDGED, detail)
        self._show_count()
        return True

    def acknowledge_all(self) -> int:
        return sum(self.acknowledge(key) for key in list(self.pending))

    def _show_count(self) -> None:
        """The status strip always counts what is unacknowledged: where there is no tray it is the one
        place outside the window's banner that says an alert fired."""
        alerts = list(self.pending.values())
        if alerts:
            newest = alerts[-1]
            more = f" (+{len(alerts) - 1})" if len(alerts) > 1 else ""
            self.strip.set_alerts(f"{newest.title}{more}", "\n".join(a.line() for a in reversed(alerts)))
        else:
            self.strip.set_alerts("", "")
        self.changed.emit(len(alerts))
