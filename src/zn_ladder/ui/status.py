"""The status strip (environment, connection, data ages, budget, spot) and the problem banner.

Why ages and not timestamps: "orders 2s" tells a trader at a glance that the grid is live; "orders 3m"
in amber tells them not to trust it. The ages tick once a second from a timer owned here (stopped with
the window). When a source is stale or failing the banner says what, since when, and the last error;
the data on screen stays, marked, because a slightly old ladder is more useful than an empty one.
"""

from __future__ import annotations

from collections.abc import Callable
import time
from datetime import datetime, timedelta, timezone

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from zn_ladder.ui.position_marks import difference_lines
from zn_ladder.ui.steady import OneLineLabel, set_style
from zn_ladder.ui.theme import DARK, Theme
from zn_ladder.workers.session_status import SOURCES
from zn_ladder.workers.snapshots import SourceHealth, StatusSnapshot


def age_text(seconds: float) -> str:
    s = max(0, int(seconds))
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m {s % 60:02d}s"
    return f"{s // 3600}h {(s % 3600) // 60:02d}m"


def local_time(at: datetime | None) -> str:
    return at.astimezone().strftime("%H:%M:%S") if at is not None else "never"


def snapshot_is_old(age_s: float, interval_s: float) -> bool:
    """A polled snapshot older than twice its interval: at least one poll is missing (shown amber)."""
    return interval_s > 0 and age_s > 2 * interval_s


def problem_line(health: SourceHealth, now: datetime) -> str:
    """One banner line: what, since when, last good read, last error."""
    since = f" since {local_time(health.since)}" if health.since else ""
    ago = f" ({age_text((now - health.since).total_seconds())})" if health.since else ""
    good = f"; last good data {local_time(health.last_ok_at)}" if health.last_ok_at else "; no good data yet"
    error = f" — {health.last_error}" if health.last_error else ""
    return f"{health.name.upper()} {health.state.upper()}{since}{ago}{good}{error}"


class StatusStrip(QWidget):
    """Environment badge, DEMO badge, connection, ages per source, request budget, spot source and age."""

    def __init__(self, theme: Theme = DARK, clock: Callable[[], datetime] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusStrip")
        self._theme = theme
        self._clock = clock or (lambda: datetime.now(timezone.utc))
        self._snap: StatusSnapshot | None = None
        self._received = 0.0
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(10)
        self.env_badge = QLabel("connecting…")
        self.env_badge.setObjectName("envBadge")
        self.demo_badge = QLabel("DEMO")
        self.demo_badge.setObjectName("demoBadge")
        self.demo_badge.setToolTip("Running against the built-in TT simulator: no credentials are configured")
        self.demo_badge.hide()
        self.connection = QLabel("TT: —")
        self.connection.setObjectName("connection")
        #: Unacknowledged alerts (ui/alerts.py): next to the badges, so a narrow window never clips it.
        self.alerts = QLabel()
        self.alerts.setObjectName("alertsNote")
        self.alerts.hide()
        layout.addWidget(self.env_badge)
        layout.addWidget(self.demo_badge)
        layout.addWidget(self.alerts)
        layout.addWidget(self.connection)
        self.ages: dict[str, QLabel] = {}
        for name in SOURCES[:3]:
            label = QLabel(f"{name.capitalize()} —")
            label.setObjectName(f"age_{name}")
            self.ages[name] = label
            layout.addWidget(label)
        self.budget = QLabel("Budget —")
        self.budget.setObjectName("budget")
        self.budget.setToolTip("TT requests used in the current rate window / the usage plan's limit")
        self.spot = QLabel("Spot —")
        self.spot.setObjectName("spotAge")
        layout.addWidget(self.budget)
        layout.addWidget(self.spot)
        #: A standing fact about this PC (e.g. no OS keyring), said once here rather than in the banner.
        self.note = QLabel()
        self.note.setObjectName("stripNote")
        self.note.hide()
        layout.addWidget(self.note)
        layout.addStretch(1)
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.refresh)
        self.set_theme(theme)

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.demo_badge.setStyleSheet(f"background: {theme.demo}; color: white; font-weight: 700; "
                                      f"padding: 1px 8px; border-radius: 3px;")
        self.alerts.setStyleSheet(f"background: {theme.failing}; color: white; font-weight: 700; "
                                  f"padding: 1px 8px; border-radius: 3px;")
        self.refresh()

    def set_note(self, text: str, detail: str = "") -> None:
        """A short standing note (empty: none), its full text in the tooltip."""
        self.note.setText(f"⚠ {text}" if text else "")
        self.note.setToolTip(detail or text)
        self.note.setVisible(bool(text))

    def set_alerts(self, text: str, detail: str = "") -> None:
        """The unacknowledged alerts in a few words (empty: none), each one's line in the tooltip."""
        self.alerts.setText(f"⚠ ALERT {text}" if text else "")
        self.alerts.setToolTip(detail)
        self.alerts.setVisible(bool(text))

    def apply(self, snap: StatusSnapshot) -> None:
        self._snap = snap
        self._received = time.monotonic()
        if not self.timer.isActive():
            self.timer.start()
        self.refresh()

    def now(self) -> datetime:
        """The snapshot's own time plus the time since it arrived: ages tick between snapshots, and a
        snapshot built a moment ago reads exactly as its producer meant it."""
        snap = self._snap
        if snap is None or snap.at is None:
            return self._clock()
        return snap.at + timedelta(seconds=time.monotonic() - self._received)

    def stop(self) -> None:
        self.timer.stop()

    def _badge_style(self, color: str) -> str:
        return (f"background: {color}; color: white; font-weight: 800; padding: 1px 10px; border-radius: 3px; "
                f"letter-spacing: 1px;")

    def _age_style(self, color: str, text: str) -> str:
        return f"color: {text}; border-left: 3px solid {color}; padding-left: 4px;"

    def _idle(self) -> None:
        """Before the first snapshot: the badge and ages already in their final shape (padding, border),
        so the first snapshot re-colours the strip without making it taller (a relayout of the window)."""
        t = self._theme
        set_style(self.env_badge, self._badge_style(t.muted))
        for label in (*self.ages.values(), self.spot):
            set_style(label, self._age_style(t.muted, t.text))

    def refresh(self) -> None:
        snap, t = self._snap, self._theme
        if snap is None:
            self._idle()
            return
        color = {"SIM": t.env_sim, "UAT": t.env_uat, "LIVE": t.env_live}.get(snap.env, t.muted)
        self.env_badge.setText(snap.env)
        set_style(self.env_badge, self._badge_style(color))
        self.env_badge.setToolTip(f"TT environment {snap.env}" + (" — real orders and money" if snap.env == "LIVE"
                                                                   else ""))
        self.demo_badge.setVisible(snap.demo)
        self.connection.setText(f"TT: {snap.connection}")
        now = self.now()
        for name, label in self.ages.items():
            health = snap.source(name)
            self._age(label, name.capitalize(), health, now, snap.orders_at if name == "orders" else None,
                      old_amber=name == "orders")
        manual = snap.spot_source == "manual"
        title = "Spot MANUAL" if manual else f"Spot {snap.spot_source or '—'}"
        self._age(self.spot, title, snap.source("spot"), now, snap.spot_at)
        if manual:  # a typed spot stays in force until cleared; the live source does not overwrite it
            standby = f" · {snap.spot_standby} standing by" if snap.spot_standby else ""
            self.spot.setText(self.spot.text() + standby)
            self.spot.setToolTip(f"Typed spot in force since {local_time(snap.spot_at)} until cleared"
                                 + (f"; {snap.spot_standby} keeps reading, standing by" if standby else "")
                                 + (f"\n{self.spot.toolTip()}" if snap.source("spot") is not None
                                    and snap.source("spot").state != "ok" else ""))
        if snap.budget_limit:
            share = snap.budget_used / snap.budget_limit
            color = t.failing if share >= 0.95 else t.stale if share >= 0.8 else t.text
            self.budget.setText(f"Budget {snap.budget_used}/{snap.budget_limit}")
            set_style(self.budget, f"color: {color};")
        else:
            self.budget.setText(f"Budget {snap.budget_used}")

    def _age(self, label: QLabel, title: str, health: SourceHealth | None, now: datetime,
             at: datetime | None = None, *, old_amber: bool = False) -> None:
        t = self._theme
        at = at or (health.last_ok_at if health is not None else None)
        state = health.state if health is not None else "ok"
        seconds = (now - at).total_seconds() if at is not None else 0.0
        age = age_text(seconds) if at is not None else "—"
        label.setText(f"{title} {age}")
        interval = health.interval_s if health is not None else 0.0
        old = old_amber and state == "ok" and at is not None and snapshot_is_old(seconds, interval)
        color = t.stale if old else {"ok": t.ok, "stale": t.stale, "failing": t.failing}.get(state, t.muted)
        set_style(label, self._age_style(color, color if state != 'ok' or old else t.text))
        if health is not None and state != "ok":
            label.setToolTip(problem_line(health, now))
        elif old:
            label.setToolTip(f"{title} snapshot taken {local_time(at)}, {age} ago: more than twice the "
                             f"{interval:g}s poll interval. Fills since then are taken off its orders.")
        else:
            label.setToolTip(f"last good read {local_time(at)}")


class StatusBanner(QFrame):
    """A full-width banner listing each stale or failing source; hidden when all is well."""

    def __init__(self, theme: Theme = DARK, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusBanner")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 4)
        layout.setSpacing(1)
        # One line, cut to the window's width (the whole list in its tooltip): the banner's height never
        # follows the number of feeds in trouble, so it fits the room the window keeps for it.
        self.label = OneLineLabel()
        self.label.setObjectName("bannerText")
        layout.addWidget(self.label)
        self._theme = theme
        self._failing = False
        self.hide()

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self._restyle()

    def _restyle(self) -> None:
        t = self._theme
        color = t.failing if self._failing else t.stale
        self.setStyleSheet(f"QFrame#statusBanner {{ background: {color}; border-radius: 3px; }}"
                           f"QLabel#bannerText {{ color: white; font-weight: 600; background: transparent; }}")

    def apply(self, snap: StatusSnapshot, now: datetime) -> list[SourceHealth]:
        problems = [h for h in snap.health if h.state != "ok"]
        notes = list(snap.messages)  # e.g. settings the app could not use (it runs on their defaults)
        # A position that differs from TT's is red: the trader must not trust the ladder's base blindly.
        differs = difference_lines(snap.position_differences, snap.positions_checked_at)
        if not problems and not notes and not differs:
            self.hide()
            self.label.set_full_text("")
            return problems
        failing = bool(differs) or any(h.state == "failing" for h in problems)
        lines = differs + [problem_line(h, now) for h in problems]
        if problems:
            lines.append("Data on screen is kept and marked STALE until the source recovers.")
        lines.extend(notes)
        text = "\n".join(lines)
        # Restyle and re-text only on a change: a style sheet set every second re-polishes the banner
        # and asks the window's layout again (issue 14 §18).
        if failing != self._failing:
            self._failing = failing
            self._restyle()
        if text != self.label.full_text:
            self.label.set_full_text(text)
        self.show()
        return problems

    def text(self) -> str:
        """Every line of the banner (the label shows them on one line, cut to its width)."""
        return self.label.full_text
